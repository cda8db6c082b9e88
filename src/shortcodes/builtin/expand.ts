// hugo-book's `expand`: `{{< expand "Label" "↕" >}} … {{< /expand >}}`, a collapsed block with a
// label and a marker; a native details element, so it works without JavaScript.
import { escapeHtml } from '../../html.js';
import type { Shortcode } from '../registry.js';

export const expand: Shortcode = {
  name: 'expand',
  inner: 'required',
  usage: '{{< expand "Label" >}} … {{< /expand >}}',
  origin: 'hugo-book',
  render(call) {
    const label = call.args[0] ?? call.named.label ?? 'Expand';
    const marker = call.args[1] ?? call.named.marker ?? '↕';
    return `<details class="sc-expand"><summary><span>${escapeHtml(label)}</span><span class="sc-expand-marker" aria-hidden="true">${escapeHtml(marker)}</span></summary><div class="sc-body">${call.innerHtml()}</div></details>`;
  },
};
