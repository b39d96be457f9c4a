// coursenotes preview: long-poll the build version, reload the page when it changes, and show the
// last build's errors in a banner. Served by the preview only; never part of a built site.
(function () {
  'use strict';
  var me = document.currentScript;
  var seen = Number(me.dataset.version), serial = Number(me.dataset.serial);
  var path = me.dataset.poll;
  function banner(errors) {
    var box = document.getElementById('coursenotes-preview-errors');
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('pre'); box.id = 'coursenotes-preview-errors';
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;' +
        'margin:0;z-index:1000;' +
        'padding:.75rem 1rem;background:#82071e;color:#fff;font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap';
      document.body.appendChild(box);
    }
    box.textContent = 'Build failed; this is the last good build.\n' + errors.join('\n');
  }
  // The server answers as soon as a build after `serial` finishes: a saved edit shows once it is built.
  function poll() {
    fetch(path + '?since=' + serial, {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (state) {
      if (state.version !== seen) { window.location.reload(); return; }
      banner(state.errors); serial = state.serial; poll();
    }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();
