// hugo-book's `mermaid`: a diagram from its text, `{{< mermaid >}}graph LR; A-->B{{< /mermaid >}}`.
// The mermaid library is served from the site's own assets (copied from the `mermaid` package at
// build time: no CDN, pages work offline) and loaded only by pages that have a diagram. Without
// JavaScript the diagram's source is shown.
import { escapeHtml, escapeText } from '../../html.js';
import type { Shortcode } from '../registry.js';

export const MERMAID_ASSET = 'mermaid.min.js';
export const MERMAID_INIT_ASSET = 'mermaid-init.js';

export const mermaid: Shortcode = {
  name: 'mermaid',
  inner: 'required',
  rawInner: true,
  usage: '{{< mermaid >}} graph LR; A-->B {{< /mermaid >}}',
  origin: 'hugo-book',
  render(call) {
    const source = (call.inner ?? '').replace(/^\r?\n/, '').replace(/\s+$/, '');
    const className = ['sc-mermaid', call.named.class].filter(Boolean).join(' ');
    let html = `<pre class="${escapeHtml(className)}">${escapeText(source)}</pre>`;
    const library = call.env.asset(MERMAID_ASSET);
    const init = call.env.asset(MERMAID_INIT_ASSET);
    if (library && init && call.env.first('mermaid')) {
      html += `<script src="${escapeHtml(library)}" defer></script><script src="${escapeHtml(init)}" defer></script>`;
    }
    return html;
  },
};
