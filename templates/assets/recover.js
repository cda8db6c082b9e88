// 404 page only: sends a reader whose address differs from a real page only by case, a trailing
// slash or `.html`, or names an alert or an old address (alias), to that page. Uses the map in
// 404.json; when nothing matches, the page stays as it is and offers search.
(function () {
  'use strict';
  var holder = document.querySelector('[data-recovery-map]');
  if (!holder || !window.fetch || !window.JSON) return;
  var base = holder.getAttribute('data-base') || '/';
  var path = location.pathname;
  try { path = decodeURIComponent(path); } catch (e) { /* keep it encoded */ }
  var here = path.indexOf(base) === 0 ? path.slice(base.length) : path.replace(/^\/+/, '');
  function encode(url) {
    return url.replace(/[#?\s"<>]/g, function (ch) { return encodeURIComponent(ch); });
  }
  function go(url) {
    if (url === here) return false; // the page should exist but does not: no loop
    location.replace(base + encode(url) + location.search + location.hash);
    return true;
  }
  fetch(holder.getAttribute('data-recovery-map')).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (map) {
    if (!map || map.version !== 1) return;
    var pages = {};
    map.pages.forEach(function (url) { pages[url.toLowerCase()] = url; });
    Object.keys(map.aliases).forEach(function (from) { pages[from.toLowerCase()] = map.aliases[from]; });
    var lower = here.toLowerCase().replace(/\/{2,}/g, '/');
    var bare = lower.replace(/(^|\/)index\.html?$/, '$1').replace(/\.html?$/, '').replace(/\/+$/, '');
    var candidates = [lower, bare + '/', bare, bare + '.html'];
    for (var i = 0; i < candidates.length; i++) {
      var found = pages[candidates[i]];
      if (found !== undefined && go(found)) return;
    }
    var name = bare.split('/').pop();
    if (name && Object.prototype.hasOwnProperty.call(map.alerts, name)) go(map.alerts[name]);
  }).catch(function () { /* search stays on offer */ });
})();
