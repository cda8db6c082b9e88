// hugo-book's and geekdoc's `hint`: a call-out box, `{{< hint info|warning|danger >}} … {{< /hint >}}`
// (geekdoc: `{{< hint type=caution title="Careful" >}}`), kinds mapped onto the theme's three looks
// (callout-kinds.ts). Inner content is markdown.
import type { Shortcode } from '../registry.js';
import { calloutHtml, calloutKind } from './callout-kinds.js';

export const hint: Shortcode = {
  name: 'hint',
  inner: 'required',
  usage: '{{< hint info|warning|danger >}} … {{< /hint >}}',
  origin: 'hugo-book',
  resolve(call) {
    const kind = call.token.args[0] ?? call.token.named?.type;
    if (kind !== undefined && !calloutKind(kind)) {
      call.warning(`Unexpected hint kind \`${kind}\`, expected \`info\`, \`warning\` or \`danger\` (or geekdoc's \`note\`, \`tip\`, \`important\`, \`caution\`): shown as \`info\``, 'shortcode-arguments');
    }
    return undefined;
  },
  render(call) {
    const kind = calloutKind(call.args[0] ?? call.named.type) ?? 'info';
    return calloutHtml(kind, call.named.title ? call.env.inlineArgument(call.named.title) : undefined, call.innerHtml());
  },
};
