// docsy's `alert`: `{{% alert title="Warning" color="warning" %}} … {{% /alert %}}`, a call-out box
// with an optional title; Bootstrap's colours are mapped onto the theme's three looks
// (callout-kinds.ts), `primary` (docsy's default) as info. Inner content is markdown.
import type { Shortcode } from '../registry.js';
import { calloutHtml, calloutKind } from './callout-kinds.js';

export const alert: Shortcode = {
  name: 'alert',
  inner: 'required',
  usage: '{{% alert title="Note" color="primary|info|warning|danger" %}} … {{% /alert %}}',
  origin: 'docsy',
  resolve(call) {
    const color = call.token.named?.color;
    if (color !== undefined && !calloutKind(color)) {
      call.warning(`Unexpected alert color \`${color}\`, expected one of docsy's \`primary\`, \`info\`, \`success\`, \`warning\`, \`danger\` (or \`secondary\`, \`light\`, \`dark\`): shown as \`info\``, 'shortcode-arguments');
    }
    return undefined;
  },
  render(call) {
    const kind = calloutKind(call.named.color) ?? 'info';
    return calloutHtml(kind, call.named.title ? call.env.inlineArgument(call.named.title) : undefined, call.innerHtml());
  },
};
