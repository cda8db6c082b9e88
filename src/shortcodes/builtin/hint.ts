// hugo-book's `hint`: a call-out box, `{{< hint info|warning|danger >}} … {{< /hint >}}` (also
// docsy-style `note`, `tip`…, mapped onto the three). Inner content is markdown.
import type { Shortcode } from '../registry.js';

const KINDS: Record<string, 'info' | 'warning' | 'danger'> = {
  info: 'info', note: 'info', tip: 'info', primary: 'info', success: 'info',
  warning: 'warning', caution: 'warning',
  danger: 'danger', error: 'danger', important: 'danger',
};
const LABELS = { info: 'Note', warning: 'Warning', danger: 'Danger' } as const;

export const hint: Shortcode = {
  name: 'hint',
  inner: 'required',
  usage: '{{< hint info|warning|danger >}} … {{< /hint >}}',
  origin: 'hugo-book',
  resolve(call) {
    const kind = call.token.args[0] ?? call.token.named?.type;
    if (kind !== undefined && !KINDS[kind.toLowerCase()]) {
      call.warning(`Unexpected hint kind \`${kind}\`, expected \`info\`, \`warning\` or \`danger\`: shown as \`info\``, 'shortcode-arguments');
    }
    return undefined;
  },
  render(call) {
    const kind = KINDS[(call.args[0] ?? call.named.type ?? 'info').toLowerCase()] ?? 'info';
    // The label is for screen readers; the colour and bar say it to the eye.
    return `<div class="sc-hint sc-hint-${kind}" role="note"><span class="sr">${LABELS[kind]}: </span>${call.innerHtml()}</div>`;
  },
};
