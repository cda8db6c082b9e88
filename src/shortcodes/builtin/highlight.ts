// Hugo's `highlight`: `{{< highlight LANG "linenos=table,hl_lines=2 4-5" >}}code{{< /highlight >}}`.
// Rendered as the fenced code block ```LANG {options} would be, so that the theme's highlighter
// treats both alike (Hugo's output for the two is identical too).
import type { Shortcode } from '../registry.js';
import { argument } from '../registry.js';

/** Hugo's option string (`linenos=table,hl_lines=2 4-5`) as a fenced block's attribute list. */
export function fenceAttributes(options: string): string {
  const parts = options
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [key, ...rest] = part.split('=');
      const value = rest.join('=').trim();
      if (key.trim() === 'hl_lines') {
        const lines = value.split(/\s+/).filter(Boolean).map((range) => (/^\d+$/.test(range) ? range : JSON.stringify(range)));
        return `hl_lines=[${lines.join(',')}]`;
      }
      return value === '' ? key.trim() : `${key.trim()}=${value}`;
    });
  return parts.length ? `{${parts.join(',')}}` : '';
}

export const highlight: Shortcode = {
  name: 'highlight',
  inner: 'required',
  rawInner: true,
  usage: '{{< highlight bash "linenos=table,hl_lines=2" >}} … {{< /highlight >}}',
  origin: 'hugo',
  resolve(call) {
    if (!argument(call, 'lang', 0)) call.warning('Unexpected `highlight` without a language, expected `{{< highlight LANG >}}`: shown as plain text', 'shortcode-arguments');
    return undefined;
  },
  render(call) {
    const lang = argument(call, 'lang', 0) || undefined;
    const options = argument(call, 'options', 1) ?? '';
    // Hugo drops the newline after the opening tag and the one before the closing tag.
    const value = (call.inner ?? '').replace(/^\r?\n/, '').replace(/\r?\n$/, '');
    return { code: { lang, meta: fenceAttributes(options) || undefined, value } };
  },
};
