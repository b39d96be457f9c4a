// Diagrams: draws the <figure class="diagram"><pre class="mermaid"> blocks the build could not
// draw. Loaded only on pages with such a diagram. mermaid is the site's own ES module build
// (assets/mermaid/), imported on first use: the browser then fetches only the chunks the page's
// diagram types need, not the whole 5.5 MB bundle. Under Quarto, mermaid.min.js is loaded
// before this script and defines window.mermaid, which is used instead. Only the site's own
// files are fetched. Until a diagram is drawn, and whenever drawing fails, the pre shows the
// diagram's source, so the reader always has something to read.
(function () {
  'use strict';
  // Beside this script whatever sub-path the site is served under; resolved now, while
  // document.currentScript is this script (a page's base URL may differ from the script's).
  var kModule = new URL('mermaid/mermaid.esm.min.mjs', document.currentScript.src).href;
  // Only our containers: Quarto's own ```{mermaid} output (pre.mermaid-js) is drawn by Quarto.
  var kSelector = 'figure.diagram > pre.mermaid';
  var kIdPrefix = 'coursenotes-diagram-';
  var kErrorNote = 'This diagram could not be drawn; its source is shown instead.';
  // mermaid's dark edge labels (#ccc on #585858) fall short of WCAG AA contrast; this passes.
  var kDarkThemeVariables = { edgeLabelBackground: '#30363d' };
  // A diagram's title: mermaid front matter `title:` or an `accTitle:` line.
  var kTitle = /^\s*(?:title|accTitle)\s*:\s*(.+?)\s*$/m;
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var drawnTheme = null;
  var pending = Promise.resolve(); // passes run one after another, never interleaved
  var counter = 0;
  var loading = null;

  // window.mermaid when a classic mermaid.min.js defined it, else the ES module, imported once.
  function loadMermaid() {
    if (window.mermaid) return Promise.resolve(window.mermaid);
    loading = loading || import(kModule).then(function (module) { return module.default; });
    return loading;
  }

  // The site's theme wins (site.js sets data-theme on <html>); without it, follow the system.
  function mermaidTheme() {
    var theme = root.dataset.theme || (dark && dark.matches ? 'dark' : 'light');
    return theme === 'dark' ? 'dark' : 'default';
  }

  // The source as the author wrote it, kept in data-diagram-source: after drawing, the pre
  // holds an SVG, and a theme change must redraw from the text.
  function sourceOf(pre) {
    if (pre.dataset.diagramSource === undefined) pre.dataset.diagramSource = pre.textContent;
    return pre.dataset.diagramSource;
  }

  // The drawn SVG's text alternative (WCAG 1.1.1): its title or caption, then its source, which
  // says what connects to what. Before drawing, and without JavaScript, the source is the text itself.
  function describe(pre, source) {
    var svg = pre.querySelector('svg');
    if (!svg) return;
    var caption = pre.parentElement && pre.parentElement.querySelector('figcaption');
    var title = (caption && caption.textContent.trim()) || ((source.match(kTitle) || [])[1]) || '';
    var body = source.replace(/^\s*---[\s\S]*?---\s*/, '').replace(/\s+/g, ' ').trim();
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', (title ? 'Diagram: ' + title : 'Diagram') + '. Source: ' + body);
  }

  function clearError(pre) {
    pre.classList.remove('diagram-error');
    var note = pre.nextElementSibling;
    if (note && note.classList.contains('diagram-error-note')) note.remove();
  }

  function showError(pre, source, error) {
    pre.removeAttribute('data-processed');
    pre.textContent = source;
    pre.classList.add('diagram-error');
    var note = document.createElement('p');
    note.className = 'diagram-error-note';
    note.textContent = kErrorNote;
    pre.after(note);
    // Handled: the reader sees the source, so a warning, not an error.
    console.warn('coursenotes: a diagram could not be drawn:', (error && error.message) || error);
  }

  // mermaid draws in a temporary element under <body>; make sure a failure leaves none behind.
  function removeLeftovers(id) {
    ['d' + id, 'i' + id, id].forEach(function (leftover) {
      var element = document.getElementById(leftover);
      if (element) element.remove();
    });
  }

  async function draw(mermaid, pre) {
    var source = sourceOf(pre);
    var id = kIdPrefix + (++counter);
    clearError(pre);
    try {
      var result = await mermaid.render(id, source);
      pre.innerHTML = result.svg; // already sanitised by mermaid (securityLevel 'strict')
      if (result.bindFunctions) result.bindFunctions(pre);
      pre.dataset.processed = 'true';
      describe(pre, source);
    } catch (error) {
      removeLeftovers(id);
      showError(pre, source, error);
    }
  }

  async function drawAll(theme) {
    var pres = Array.prototype.slice.call(document.querySelectorAll(kSelector));
    if (!pres.length) return;
    var mermaid;
    try {
      mermaid = await loadMermaid();
    } catch (error) {
      loading = null; // a later theme change tries again
      pres.forEach(function (pre) { clearError(pre); showError(pre, sourceOf(pre), 'mermaid.js did not load'); });
      return;
    }
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: theme,
      themeVariables: theme === 'dark' ? kDarkThemeVariables : {},
      suppressErrorRendering: true, // no "Syntax error" bomb SVG: we show the source instead
      logLevel: 'fatal',
    });
    for (var i = 0; i < pres.length; i++) await draw(mermaid, pres[i]);
  }

  // Redraw only when the mermaid theme actually changes (e.g. not on light -> default twice).
  function refresh() {
    var theme = mermaidTheme();
    if (theme === drawnTheme) return;
    drawnTheme = theme;
    pending = pending.then(function () { return drawAll(theme); }).catch(function (error) {
      console.warn('coursenotes: drawing diagrams stopped:', (error && error.message) || error);
    });
  }

  function start() {
    refresh();
    document.addEventListener('themechange', refresh);
    if (dark && dark.addEventListener) dark.addEventListener('change', refresh);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
