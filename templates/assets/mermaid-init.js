// Draws the page's mermaid diagrams (pre.sc-mermaid) with the library served beside it; loaded
// only by pages that have one. Follows the site's light/dark choice.
(function () {
  if (typeof mermaid === 'undefined') return;
  var root = document.documentElement;
  var chosen = root.getAttribute('data-theme');
  var dark = chosen ? chosen === 'dark' : window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
  mermaid.run({ querySelector: 'pre.sc-mermaid' });
})();
