// Tabsets (Quarto's .panel-tabset, drawn by _extensions/coursenotes/tabsets.lua): click or
// arrow keys / Home / End switch tabs (WAI-ARIA tabs pattern, automatic activation); tabsets that
// share a `group` switch together, and the choice is remembered for the next page, as in Quarto.
(function () {
  'use strict';
  var STORAGE_KEY = 'coursenotes-tabset-groups';
  var KEYS = { ArrowRight: 1, ArrowLeft: -1 };

  function remembered() {
    try { return JSON.parse(localStorage.getItem(STORAGE_KEY)) || {}; } catch (e) { return {}; }
  }

  function remember(group, name) {
    var groups = remembered();
    groups[group] = name;
    try { localStorage.setItem(STORAGE_KEY, JSON.stringify(groups)); } catch (e) { /* private mode: this page only */ }
  }

  function tabsOf(set) {
    return Array.prototype.slice.call(set.querySelectorAll(':scope > [role="tablist"] [role="tab"]'));
  }

  function nameOf(tab) { return tab.textContent.trim(); }

  function show(set, tab, focus) {
    tabsOf(set).forEach(function (t) {
      var on = t === tab;
      t.classList.toggle('active', on);
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(t.getAttribute('aria-controls'));
      if (panel) { panel.classList.toggle('active', on); panel.hidden = !on; }
    });
    if (focus) tab.focus();
  }

  function showGroup(group, name, except) {
    document.querySelectorAll('.panel-tabset[data-group]').forEach(function (set) {
      if (set === except || set.dataset.group !== group) return;
      var match = tabsOf(set).filter(function (t) { return nameOf(t) === name; })[0];
      if (match) show(set, match, false);
    });
  }

  function choose(set, tab, focus) {
    show(set, tab, focus);
    var group = set.dataset.group;
    if (!group) return;
    showGroup(group, nameOf(tab), set);
    remember(group, nameOf(tab));
  }

  document.querySelectorAll('.panel-tabset').forEach(function (set) {
    var tabs = tabsOf(set);
    if (!tabs.length) return;
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function (event) { event.preventDefault(); choose(set, tab, false); });
      tab.addEventListener('keydown', function (event) {
        var next = event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1
          : KEYS[event.key] ? (i + KEYS[event.key] + tabs.length) % tabs.length : null;
        if (next === null) return;
        event.preventDefault();
        choose(set, tabs[next], true);
      });
    });
    show(set, tabs.filter(function (t) { return t.classList.contains('active'); })[0] || tabs[0], false);
  });

  var saved = remembered();
  Object.keys(saved).forEach(function (group) { showGroup(group, saved[group], null); });

  // A link to something inside a hidden tab (a tab's title, or a heading in it) opens that tab.
  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id), panel = null;
    for (var node = target; node; node = node.parentElement) {
      if (node.getAttribute('role') !== 'tabpanel') continue;
      var tab = document.getElementById(node.getAttribute('aria-labelledby'));
      var set = tab && tab.closest('.panel-tabset');
      if (set) { show(set, tab, false); panel = panel || node; }
    }
    if (panel) (target.classList.contains('tab-heading') ? panel : target).scrollIntoView();
  }
  window.addEventListener('hashchange', revealTarget);
  if (location.hash) revealTarget();
})();
