// The search page: reads the index the build wrote into search/ (meta.json, terms/<hex>.json,
// docs/<id>.json), fetching only the shards the query's words live in and the records of the
// results shown. Words are split exactly as the build splits them (site/search/text.py).
(function () {
  'use strict';
  var root = document.querySelector('.search-page');
  if (!root) return;
  var base = new URL(root.getAttribute('data-index'), window.location.href);  // .../search/
  var site = new URL('../', base);                                          // the site's root, under any sub-path
  var input = document.getElementById('search-query');
  var tagBox = document.getElementById('search-tag');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var SHOWN = 20, CONTEXT = 90;
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var CJK = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)/;
  var cache = {};

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, base)).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  function terms(text) {
    var found = [];
    (text.normalize('NFKC').toLowerCase().match(WORD) || []).forEach(function (word) {
      word.split(CJK).forEach(function (part, i) {
        if (!part) return;
        if (i % 2 === 0) { if (part.length <= 40) found.push(part); }
        else if (part.length === 1) found.push(part);
        else for (var j = 0; j + 1 < part.length; j++) found.push(part.slice(j, j + 2));
      });
    });
    return found;
  }

  function shardOf(term) {
    var hex = '';
    new TextEncoder().encode(Array.from(term).slice(0, 2).join('')).forEach(function (b) {
      hex += (b < 16 ? '0' : '') + b.toString(16);
    });
    return hex;
  }

  // Pages holding a word that starts with `word`: {id: score}; an exact word counts double. Shards are
  // named by their terms' first two characters: a one-character word reads every shard it begins.
  function matches(meta, word) {
    var name = shardOf(word);
    var names = Array.from(word).length > 1 ? meta.shards.filter(function (n) { return n === name; })
      : meta.shards.filter(function (n) { return n.lastIndexOf(name, 0) === 0; });
    return Promise.all(names.map(function (n) { return load('terms/' + n + '.json'); })).then(function (shards) {
      var found = {};
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (term) {
          if (term.lastIndexOf(word, 0) !== 0) return;
          var boost = term === word ? 2 : 1;
          shard[term].forEach(function (p) { found[p[0]] = (found[p[0]] || 0) + p[1] * boost; });
        });
      });
      return found;
    });
  }

  function rank(meta, words, tag) {
    return Promise.all(words.map(function (w) { return matches(meta, w); })).then(function (each) {
      var allowed = tag ? new Set(meta.tags[tag] || []) : null;
      var scores = {};
      Object.keys(each[0] || {}).forEach(function (id) {
        if (allowed && !allowed.has(id)) return;
        var score = 0;
        for (var i = 0; i < each.length; i++) {
          if (!(id in each[i])) return;  // every word must match
          var df = Object.keys(each[i]).length;
          score += Math.log(1 + each[i][id]) * Math.log(1 + meta.pages / df);
        }
        scores[id] = score;
      });
      return Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || (a < b ? -1 : 1); });
    });
  }

  function excerpt(text, words) {
    var lower = text.toLowerCase(), at = -1;
    words.forEach(function (w) { var i = lower.indexOf(w); if (i >= 0 && (at < 0 || i < at)) at = i; });
    if (at < 0) return text.slice(0, 2 * CONTEXT);
    var start = Math.max(0, at - CONTEXT), end = Math.min(text.length, at + CONTEXT);
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  // The excerpt as text nodes, with the query's words in <mark>: nothing from the index is parsed as HTML.
  function marked(text, words) {
    var p = document.createElement('p'), lower = text.toLowerCase(), i = 0;
    p.className = 'search-excerpt';
    while (i < text.length) {
      var next = -1, len = 0;
      words.forEach(function (w) { var j = lower.indexOf(w, i); if (j >= 0 && (next < 0 || j < next)) { next = j; len = w.length; } });
      if (next < 0) { p.appendChild(document.createTextNode(text.slice(i))); break; }
      p.appendChild(document.createTextNode(text.slice(i, next)));
      var m = document.createElement('mark');
      m.textContent = text.slice(next, next + len);
      p.appendChild(m);
      i = next + len;
    }
    return p;
  }

  function show(doc, words) {
    var li = document.createElement('li'), h = document.createElement('h2'), a = document.createElement('a');
    li.className = 'search-result';
    a.href = new URL(doc.url.replace(/^\//, ''), site).href;
    a.className = 'search-result-link';
    a.textContent = doc.title;
    h.appendChild(a);
    li.appendChild(h);
    if (doc.date || doc.tags.length) {
      var meta = document.createElement('p');
      meta.className = 'post-meta';
      meta.textContent = [doc.date].concat(doc.tags).filter(Boolean).join(' · ');
      li.appendChild(meta);
    }
    li.appendChild(marked(excerpt(doc.text || doc.description, words), words));
    return li;
  }

  var serial = 0;
  function search(meta) {
    var query = input.value.trim(), tag = tagBox.value, mine = ++serial;
    var words = terms(query).filter(function (w, i, all) { return all.indexOf(w) === i; });
    var url = new URL(window.location.href);
    url.searchParams.set('q', query);
    if (tag) url.searchParams.set('tag', tag); else url.searchParams.delete('tag');
    window.history.replaceState(null, '', url);
    if (!words.length) { list.replaceChildren(); status.textContent = ''; return; }
    rank(meta, words, tag).then(function (ids) {
      return Promise.all(ids.slice(0, SHOWN).map(function (id) { return load('docs/' + id + '.json'); })).then(function (docs) {
        if (mine !== serial) return;  // a newer query is on its way
        list.replaceChildren.apply(list, docs.map(function (d) { return show(d, words); }));
        var n = ids.length;
        status.textContent = (n === 0 ? 'No results' : n === 1 ? '1 result' : n + ' results') + ' for “' + query + '”' +
          (n > SHOWN ? ' (best ' + SHOWN + ' shown)' : '') + (tag ? ' tagged ' + tag : '');
      });
    }).catch(function (e) { if (mine === serial) status.textContent = 'Search failed: ' + e.message; });
  }

  load('meta.json').then(function (meta) {
    Object.keys(meta.tags).sort().forEach(function (tag) {
      var o = document.createElement('option');
      o.value = tag;
      o.textContent = tag + ' (' + meta.tags[tag].length + ')';
      tagBox.appendChild(o);
    });
    var params = new URLSearchParams(window.location.search);
    input.value = input.value || params.get('q') || '';  // what the reader typed while the index loaded stays
    if (params.get('tag') && meta.tags[params.get('tag')]) tagBox.value = params.get('tag');
    var timer;
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { search(meta); }, 120); });
    tagBox.addEventListener('change', function () { search(meta); });
    root.querySelector('form').addEventListener('submit', function (e) { e.preventDefault(); search(meta); });
    if (input.value) search(meta);
    input.focus();
  }).catch(function (e) { status.textContent = 'Search is unavailable: ' + e.message; });
})();
