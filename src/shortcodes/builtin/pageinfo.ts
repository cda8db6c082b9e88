// docsy's `pageinfo`: `{{% pageinfo color="primary" %}} … {{% /pageinfo %}}`, a box of notes about
// the page (status, owner), drawn like a call-out in the colour's look. Inner content is markdown.
import type { Shortcode } from '../registry.js';
import { calloutKind } from './callout-kinds.js';

export const pageinfo: Shortcode = {
  name: 'pageinfo',
  inner: 'required',
  usage: '{{% pageinfo color="primary" %}} … {{% /pageinfo %}}',
  origin: 'docsy',
  render(call) {
    const kind = calloutKind(call.named.color ?? call.args[0]) ?? 'info';
    return `<div class="sc-hint sc-hint-${kind} sc-pageinfo">${call.innerHtml()}</div>`;
  },
};
