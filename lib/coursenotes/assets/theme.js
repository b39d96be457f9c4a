// Set the saved theme before first paint so dark mode never flashes. A file, not an inline
// script, so the Content-Security-Policy needs no 'unsafe-inline' for scripts.
(function () {
  document.documentElement.classList.add('js');  // tabsets lay out for script before first paint
  try {
    var theme = localStorage.getItem('theme');
    if (theme) document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage blocked: the page follows the system theme */ }
})();
