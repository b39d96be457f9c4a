// The search page: pagefind's default UI over the index the build wrote into pagefind/.
// Everything loads from this site; the query comes from ?q= (the navbar's search box).
(function () {
  'use strict';
  var box = document.getElementById('search');
  if (!box || !window.PagefindUI) return;
  var ui = new PagefindUI({
    element: '#search',                   // pagefind finds its bundle (and the site's base) from its own script URL
    showSubResults: true,
    showImages: false,
    autofocus: true
  });
  var input = box.querySelector('.pagefind-ui__search-input');
  // pagefind names its box only with a title (axe: label-title-only); a label names it for every reader.
  if (input) input.setAttribute('aria-label', 'Search the notes');
  var query = new URLSearchParams(window.location.search).get('q');
  if (!query) return;
  ui.triggerSearch(query);
  if (input) input.value = query;          // triggerSearch runs the search but leaves the box empty
})();
