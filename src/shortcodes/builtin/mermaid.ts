// hugo-book's `mermaid`: a diagram from its text, `{{< mermaid >}}graph LR; A-->B{{< /mermaid >}}`.
// The mermaid library is served from the site's own assets (copied from the `mermaid` package at
// build time: no CDN, pages work offline) and loaded only by pages that have a diagram. Without
// JavaScript the diagram's source is shown.
import { escapeHtml, escapeText } from '../../html.js';
import type { RenderEnv, Shortcode } from '../registry.js';

export const MERMAID_ASSET = 'mermaid.min.js';
export const MERMAID_INIT_ASSET = 'mermaid-init.js';

/** The script URLs a page's first diagram brings (the library, then its starter); none after it, or without a theme. */
export function mermaidScripts(env: Pick<RenderEnv, 'asset' | 'first'>): string[] {
  const library = env.asset(MERMAID_ASSET);
  const init = env.asset(MERMAID_INIT_ASSET);
  return library && init && env.first('mermaid') ? [library, init] : [];
}

export const mermaid: Shortcode = {
  name: 'mermaid',
  inner: 'required',
  rawInner: true,
  usage: '{{< mermaid >}} graph LR; A-->B {{< /mermaid >}}',
  origin: 'hugo-book',
  render(call) {
    const source = (call.inner ?? '').replace(/^\r?\n/, '').replace(/\s+$/, '');
    const className = ['sc-mermaid', call.named.class].filter(Boolean).join(' ');
    const scripts = mermaidScripts(call.env).map((src) => `<script src="${escapeHtml(src)}" defer></script>`);
    return `<pre class="${escapeHtml(className)}">${escapeText(source)}</pre>${scripts.join('')}`;
  },
};
