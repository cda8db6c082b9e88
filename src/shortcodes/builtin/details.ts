// `details`: a collapsed section. Both conventions are read: hugo-book's positional
// `{{% details "Title" open %}}` and Hugo's named `{{< details summary="…" open=true >}}` (built in
// since Hugo 0.140). The summary is markdown, as in both.
import { escapeHtml } from '../../html.js';
import type { Shortcode } from '../registry.js';
import { isTrue } from '../registry.js';

export const details: Shortcode = {
  name: 'details',
  inner: 'required',
  usage: '{{% details "Title" [open] %}} … {{% /details %}}',
  origin: 'hugo-book',
  render(call) {
    const summary = call.named.summary ?? call.named.title ?? call.args[0] ?? 'Details';
    const open = isTrue(call.named.open) || call.args.slice(1).includes('open');
    const name = call.named.name ? ` name="${escapeHtml(call.named.name)}"` : '';
    return `<details class="sc-details"${open ? ' open' : ''}${name}><summary>${call.env.inlineArgument(summary)}</summary><div class="sc-body">${call.innerHtml()}</div></details>`;
  },
};
