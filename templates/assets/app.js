// runbook-site default theme: progressive enhancement only. The page works without this file.
(function () {
  'use strict';
  var root = document.documentElement;

  // --- Light/dark toggle (the choice is applied before first paint by the inline head script) ---
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  function isDark() {
    var chosen = root.dataset.theme;
    return chosen ? chosen === 'dark' : !!(dark && dark.matches);
  }
  var toggle = document.querySelector('.theme');
  function syncToggle() {
    if (toggle) toggle.setAttribute('aria-pressed', String(isDark()));
  }
  if (toggle) {
    toggle.addEventListener('click', function () {
      var next = isDark() ? 'light' : 'dark';
      root.dataset.theme = next;
      try { localStorage.setItem('rs-theme', next); } catch (e) { /* private mode */ }
      syncToggle();
    });
    if (dark && dark.addEventListener) dark.addEventListener('change', syncToggle);
    syncToggle();
  }

  // --- Copy buttons: data-copy names the element whose text is copied ---
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      area.remove();
      ok ? resolve() : reject(new Error('copy failed'));
    });
  }
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    var label = button.textContent;
    copyText(source.textContent.replace(/\n$/, '')).then(
      function () { button.textContent = 'Copied'; button.classList.add('done'); },
      function () { button.textContent = 'Press Ctrl+C'; }
    ).then(function () {
      setTimeout(function () { button.textContent = label; button.classList.remove('done'); }, 1500);
    });
  });

  // Print the whole page, folded parts included.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.setAttribute('open', ''); d.dataset.printOpened = '1'; });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details[data-print-opened]').forEach(function (d) { d.removeAttribute('open'); delete d.dataset.printOpened; });
  });

  // --- Search: MiniSearch and the prebuilt index load on first focus ---
  var box = document.querySelector('.search');
  var input = document.getElementById('rs-q');
  var list = document.getElementById('rs-results');
  var status = document.getElementById('rs-status');
  var engine = null;
  var loading = null;
  var active = -1;
  var boost = { title: 4, alerts: 3, headings: 1.5, text: 1 };

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.MiniSearch) return resolve();
      var s = document.createElement('script');
      s.src = src;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error('Could not load ' + src)); };
      document.head.appendChild(s);
    });
  }
  function load() {
    if (!loading) {
      loading = Promise.all([
        loadScript(box.dataset.lib),
        fetch(box.dataset.index, { cache: 'no-cache' }).then(function (r) {
          if (!r.ok) throw new Error('Search index: HTTP ' + r.status);
          return r.text();
        })
      ]).then(function (parts) {
        var data = JSON.parse(parts[1]);
        var o = data.options;
        if (o.searchOptions && o.searchOptions.boost) boost = o.searchOptions.boost;
        engine = window.MiniSearch.loadJS(data.index, { idField: o.idField, fields: o.fields, storeFields: o.storeFields });
        return engine;
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }
  function sectionOf(url) {
    var parts = url.split('/').filter(Boolean);
    return parts.length > 2 ? parts.slice(1, -1).join(' / ') : '';
  }
  // Ranking: documents whose name fields (title, alert names, headings) match the whole words best come first;
  // equally good name matches are ordered by title, so related alerts stay together
  // (`haproxy 4xx` → …4xxErrorRateBackend before …4xxErrorRateServer); body text breaks the rest.
  function query(q) {
    var opts = {
      boost: boost,
      prefix: function (term) { return term.length > 1; },
      fuzzy: function (term) { return term.length > 4 ? 0.2 : false; },
      combineWith: 'AND'
    };
    var hits = engine.search(q, opts);
    if (!hits.length) { opts.combineWith = 'OR'; hits = engine.search(q, opts); }
    var nameOpts = Object.assign({}, opts, { fields: ['title', 'alerts', 'headings'], prefix: false, fuzzy: false });
    var nameScore = {};
    engine.search(q, nameOpts).forEach(function (hit) { nameScore[hit.id] = Math.round(hit.score * 100); });
    hits.sort(function (a, b) {
      var na = nameScore[a.id] || 0, nb = nameScore[b.id] || 0;
      if (na !== nb) return nb - na;
      if (na > 0 && a.title !== b.title) return a.title < b.title ? -1 : 1;
      return b.score - a.score;
    });
    return hits.slice(0, 12);
  }
  function setActive(index) {
    var items = list.querySelectorAll('li[role="option"]');
    if (!items.length) { active = -1; return; }
    active = (index + items.length) % items.length;
    items.forEach(function (li, i) { li.setAttribute('aria-selected', String(i === active)); });
    input.setAttribute('aria-activedescendant', items[active].id);
    items[active].scrollIntoView({ block: 'nearest' });
  }
  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function show() {
    var q = input.value.trim();
    if (!q) { list.textContent = ''; close(); status.textContent = ''; return; }
    load().then(function () {
      if (input.value.trim() !== q) return;
      var hits = query(q);
      list.textContent = '';
      if (!hits.length) {
        var none = document.createElement('li');
        none.className = 'empty';
        none.textContent = 'No runbook matches “' + q + '”';
        list.appendChild(none);
      }
      hits.forEach(function (hit, i) {
        var li = document.createElement('li');
        li.id = 'rs-r' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        var a = document.createElement('a');
        a.href = box.dataset.base + hit.id;
        a.tabIndex = -1;
        a.textContent = hit.title;
        var section = sectionOf(hit.id);
        if (section) {
          var small = document.createElement('small');
          small.textContent = section;
          a.appendChild(small);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      status.textContent = hits.length + (hits.length === 1 ? ' result' : ' results');
      active = -1;
      if (hits.length) setActive(0);
    }, function (error) {
      list.textContent = '';
      var li = document.createElement('li');
      li.className = 'empty';
      li.textContent = 'Search is unavailable: ' + error.message;
      list.appendChild(li);
      list.hidden = false;
    });
  }
  if (box && input && list) {
    input.addEventListener('focus', function () { load().catch(function () {}); if (input.value.trim()) show(); }, { once: false });
    input.addEventListener('input', show);
    input.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown') { event.preventDefault(); if (list.hidden) show(); else setActive(active + 1); }
      else if (event.key === 'ArrowUp') { event.preventDefault(); setActive(active - 1); }
      else if (event.key === 'Enter') {
        var current = active >= 0 ? list.querySelectorAll('li[role="option"] a')[active] : null;
        if (current) { event.preventDefault(); window.location.href = current.href; }
      } else if (event.key === 'Escape') {
        if (!list.hidden) { event.preventDefault(); close(); } else { input.value = ''; }
      }
    });
    document.addEventListener('click', function (event) {
      if (!box.contains(event.target)) close();
    });
    document.addEventListener('keydown', function (event) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      var t = event.target;
      if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
    document.querySelectorAll('[data-focus-search]').forEach(function (button) {
      button.addEventListener('click', function () { input.focus(); });
    });
    // 404: offer what the missing address looks like it was about.
    if (document.body.dataset.kind === '404') {
      var words = decodeURIComponent(location.pathname.slice((box.dataset.base || '/').length))
        .split('/').filter(Boolean).pop() || '';
      words = words.replace(/\.html?$/, '').replace(/[-_.]+/g, ' ').trim();
      if (words) { input.value = words; }
    }
  }

  // --- Alerts page filter ---
  var filter = document.querySelector('form.filter');
  if (filter) {
    var rows = Array.prototype.slice.call(document.querySelectorAll('table.alerts tbody tr'));
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var count = filter.querySelector('.count');
    var params = new URLSearchParams(location.search);
    if (params.get('q')) filter.elements.q.value = params.get('q');
    if (params.get('severity') !== null) filter.elements.severity.value = params.get('severity');
    function apply() {
      var words = filter.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var severity = filter.elements.severity.value;
      var onlyMissing = filter.elements.missing.checked;
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = (!severity || row.dataset.sev === severity) &&
          (!onlyMissing || row.hasAttribute('data-missing')) &&
          words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + ' of ' + rows.length + ' rules shown';
    }
    filter.addEventListener('input', apply);
    filter.addEventListener('change', apply);
    filter.addEventListener('submit', function (event) { event.preventDefault(); });
    apply();
  }
})();
