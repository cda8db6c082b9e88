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

  // --- Copy buttons: data-copy names the element whose text is copied, data-copy-text holds the text itself
  // (a rule's expression as written in its file, while the card shows it laid out) ---
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
    var button = event.target instanceof Element ? event.target.closest('button[data-copy], button[data-copy-text]') : null;
    if (!button) return;
    var text = button.getAttribute('data-copy-text');
    if (text === null) {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (!source) return;
      text = source.textContent;
    }
    var label = button.textContent;
    copyText(text.replace(/\n$/, '')).then(
      function () { button.textContent = 'Copied'; button.classList.add('done'); },
      function () { button.textContent = 'Press Ctrl+C'; }
    ).then(function () {
      setTimeout(function () { button.textContent = label; button.classList.remove('done'); }, 1500);
    });
  });

  // A copy button on every code block of the body (rule embeds bring their own).
  document.querySelectorAll('.body pre').forEach(function (pre, i) {
    if (pre.closest('.rule-embed, .codeblock')) return;
    var code = pre.querySelector('code') || pre;
    if (!code.id) code.id = 'rs-code-' + i;
    var wrap = document.createElement('div');
    wrap.className = 'codeblock';
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.setAttribute('data-copy', code.id);
    button.setAttribute('aria-label', 'Copy code');
    button.textContent = 'Copy';
    wrap.appendChild(button);
  });

  // --- Navigation button (small screens): without JS a link to the sidebar, with it a drawer ---
  var navButton = document.querySelector('.navbtn');
  var nav = document.getElementById('rs-nav');
  if (navButton && nav) {
    navButton.setAttribute('role', 'button');
    navButton.setAttribute('aria-controls', 'rs-nav');
    navButton.setAttribute('aria-expanded', 'false');
    var setNav = function (open) {
      if (open) {
        var top = document.querySelector('.top');
        nav.style.setProperty('--top', (top ? top.getBoundingClientRect().bottom : 0) + 'px');
        nav.setAttribute('data-open', '');
      } else nav.removeAttribute('data-open');
      navButton.setAttribute('aria-expanded', String(open));
    };
    navButton.addEventListener('click', function (event) {
      event.preventDefault();
      var open = !nav.hasAttribute('data-open');
      setNav(open);
      if (open) { var first = nav.querySelector('a[aria-current], a'); if (first) first.focus(); }
    });
    navButton.addEventListener('keydown', function (event) {
      if (event.key === ' ') { event.preventDefault(); navButton.click(); }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && nav.hasAttribute('data-open')) { setNav(false); navButton.focus(); }
    });
    nav.addEventListener('click', function (event) {
      if (event.target instanceof Element && event.target.closest('a')) setNav(false);
    });
  }

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
  var boost = { title: 4, alerts: 3, metrics: 2.5, labels: 1.2, headings: 1.5, text: 1 };
  var nameFields = ['title', 'alerts', 'metrics', 'headings'];
  var indexFields = null;

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
        indexFields = o.fields;
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
    var fields = indexFields || nameFields;
    var nameOpts = Object.assign({}, opts, { fields: nameFields.filter(function (f) { return fields.indexOf(f) !== -1; }), prefix: false, fuzzy: false });
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
  function severityClass(severity) {
    var v = String(severity || '').trim().toLowerCase();
    if (!v) return 'sev-none';
    return v === 'critical' || v === 'warning' || v === 'info' ? 'sev-' + v : 'sev-other';
  }
  // The words to mark: what was typed and the index terms it matched (prefix and fuzzy matches).
  function markTerms(q, hit) {
    var terms = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 1; });
    (hit.terms || []).forEach(function (t) { if (t.length > 1 && terms.indexOf(t) === -1) terms.push(t.toLowerCase()); });
    return terms.sort(function (a, b) { return b.length - a.length; });
  }
  function matches(text, terms) {
    var lower = text.toLowerCase();
    return terms.some(function (t) { return lower.indexOf(t) !== -1; });
  }
  // Text with a <wbr> where an identifier may wrap (camel case, after _ - . : /), as the
  // server's `breakable` helper writes names: a long alert name wraps between its words, never
  // inside one.
  var WRAP_AFTER = /([a-z0-9](?=[A-Z])|[A-Z](?=[A-Z][a-z])|[_\-.:\/](?=[^\s_\-.:\/]))/g;
  function appendBreakable(element, text) {
    var last = 0;
    text.replace(WRAP_AFTER, function (match, _group, offset) {
      var end = offset + match.length;
      element.appendChild(document.createTextNode(text.slice(last, end)));
      element.appendChild(document.createElement('wbr'));
      last = end;
      return match;
    });
    if (last < text.length) element.appendChild(document.createTextNode(text.slice(last)));
  }
  // Text with each occurrence of a term in <mark>, built as DOM nodes (never as HTML).
  function markInto(element, text, terms) {
    if (!terms.length) { appendBreakable(element, text); return; }
    var pattern = new RegExp('(' + terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }).join('|') + ')', 'gi');
    var last = 0;
    text.replace(pattern, function (match, _group, offset) {
      if (offset > last) appendBreakable(element, text.slice(last, offset));
      var mark = document.createElement('mark');
      appendBreakable(mark, match);
      element.appendChild(mark);
      last = offset + match.length;
      return match;
    });
    if (last < text.length) appendBreakable(element, text.slice(last));
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
        var terms = markTerms(q, hit);
        var head = document.createElement('span');
        head.className = 'hit-head';
        var title = document.createElement('span');
        markInto(title, hit.title, terms);
        head.appendChild(title);
        if (hit.severity) {
          var badge = document.createElement('span');
          badge.className = 'sev ' + severityClass(hit.severity);
          badge.textContent = hit.severity;
          head.appendChild(badge);
        }
        a.appendChild(head);
        var section = sectionOf(hit.id);
        if (section) {
          var small = document.createElement('small');
          small.textContent = section;
          a.appendChild(small);
        }
        var usedMetrics = (hit.metrics || '').split(' ').filter(function (m) { return m && matches(m, terms); });
        var snippetText = usedMetrics.length ? 'Uses ' + usedMetrics.join(', ') : hit.snippet;
        if (snippetText) {
          var snippet = document.createElement('span');
          snippet.className = 'snippet';
          markInto(snippet, snippetText, terms);
          a.appendChild(snippet);
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
    // Ctrl-K / Cmd-K from anywhere (also inside fields), `/` outside fields.
    var mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
    if (mac) input.placeholder = input.placeholder.replace('Ctrl K', '⌘K');
    document.addEventListener('keydown', function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (event.key === 'k' || event.key === 'K')) {
        event.preventDefault();
        input.focus();
        input.select();
        return;
      }
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
    var tbody = document.querySelector('table.alerts tbody');
    var params = new URLSearchParams(location.search);
    if (params.get('q')) filter.elements.q.value = params.get('q');
    if (params.get('severity') !== null) filter.elements.severity.value = params.get('severity');
    if (params.get('missing') === '1') filter.elements.missing.checked = true;
    // Sorting by name or severity: buttons in the column headers (the server's order is by name).
    var rank = function (row) {
      var v = (row.dataset.sev || '').toLowerCase();
      var i = ['critical', 'warning', 'info'].indexOf(v);
      return i !== -1 ? i : v ? 3 : 4;
    };
    var original = rows.slice();
    var sortKey = '';
    var sortDir = 'ascending';
    function sortRows() {
      var ordered = original.slice();
      if (sortKey === 'severity') ordered.sort(function (a, b) { return rank(a) - rank(b) || original.indexOf(a) - original.indexOf(b); });
      if (sortDir === 'descending') ordered.reverse();
      ordered.forEach(function (row) { tbody.appendChild(row); });
      document.querySelectorAll('table.alerts thead th[data-sort]').forEach(function (th) {
        var active = th.dataset.sort === (sortKey || 'name');
        if (active) th.setAttribute('aria-sort', sortDir); else th.removeAttribute('aria-sort');
      });
    }
    document.querySelectorAll('table.alerts thead th[data-sort]').forEach(function (th) {
      var button = document.createElement('button');
      button.type = 'button';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var key = th.dataset.sort === 'name' ? '' : th.dataset.sort;
        sortDir = key === sortKey && sortDir === 'ascending' ? 'descending' : 'ascending';
        sortKey = key;
        sortRows();
        remember();
      });
    });
    var sortParam = params.get('sort') || '';
    if (/^-?(name|severity)$/.test(sortParam)) {
      sortDir = sortParam[0] === '-' ? 'descending' : 'ascending';
      sortKey = sortParam.replace(/^-/, '') === 'name' ? '' : 'severity';
    }
    sortRows();
    // The view lives in the address, so a link to "critical alerts without runbook" can be shared.
    function remember() {
      var next = new URLSearchParams();
      var q = filter.elements.q.value.trim();
      if (q) next.set('q', q);
      if (filter.elements.severity.value) next.set('severity', filter.elements.severity.value);
      if (filter.elements.missing.checked) next.set('missing', '1');
      if (sortKey || sortDir === 'descending') next.set('sort', (sortDir === 'descending' ? '-' : '') + (sortKey || 'name'));
      var search = next.toString();
      history.replaceState(null, '', location.pathname + (search ? '?' + search : '') + location.hash);
    }
    function apply() {
      var words = filter.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var severity = filter.elements.severity.value;
      var onlyMissing = filter.elements.missing.checked;
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = (!severity || row.dataset.sev === (severity === '(none)' ? '' : severity)) &&
          (!onlyMissing || row.hasAttribute('data-missing')) &&
          words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + ' of ' + rows.length + ' rules shown';
    }
    filter.addEventListener('input', function () { apply(); remember(); });
    filter.addEventListener('change', function () { apply(); remember(); });
    filter.addEventListener('submit', function (event) { event.preventDefault(); });
    apply();
  }
})();
