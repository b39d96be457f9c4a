// Site behaviour: theme toggle, copy buttons on code. No network, no dependencies.
(function () {
  'use strict';
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function currentTheme() {
    return root.dataset.theme || (dark && dark.matches ? 'dark' : 'light');
  }

  function setTheme(theme) {
    root.dataset.theme = theme;
    try { localStorage.setItem('theme', theme); } catch (e) { /* private mode: theme lasts this page */ }
    document.dispatchEvent(new CustomEvent('themechange', { detail: { theme: theme } }));
  }

  var toggle = document.querySelector('.theme-toggle');
  if (toggle) {
    toggle.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
    toggle.addEventListener('click', function () {
      var next = currentTheme() === 'dark' ? 'light' : 'dark';
      setTheme(next);
      toggle.setAttribute('aria-pressed', String(next === 'dark'));
    });
  }

  document.querySelectorAll('div.sourceCode, pre.code-block').forEach(function (block) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-code';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code to clipboard');
    button.addEventListener('click', function () {
      var code = block.querySelector('code') || block;
      var text = code.innerText;
      var done = function () {
        // The name changes with the text, so a screen reader hears that the copy worked too.
        button.textContent = 'Copied'; button.setAttribute('aria-label', 'Copied to clipboard');
        setTimeout(function () { button.textContent = 'Copy'; button.setAttribute('aria-label', 'Copy code to clipboard'); }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, function () {});
      else {
        var area = document.createElement('textarea');
        area.value = text; document.body.appendChild(area); area.select();
        try { document.execCommand('copy'); done(); } catch (e) { /* nothing to copy with */ }
        area.remove();
      }
    });
    block.classList.add('has-copy');
    block.insertBefore(button, block.firstChild);   // first, so the CSS can keep it at the top right while the block scrolls
  });
})();
