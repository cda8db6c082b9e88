// hugo-book's `columns`: side-by-side markdown, parts split by a line `<--->`; stacked on narrow
// screens.
import type { Shortcode } from '../registry.js';

const SEPARATOR = /^[ \t]*<--->[ \t]*$/gm;

export const columns: Shortcode = {
  name: 'columns',
  inner: 'required',
  usage: '{{< columns >}} left <---> right {{< /columns >}}',
  origin: 'hugo-book',
  render(call) {
    if (call.inner === undefined || call.innerStart === undefined) return '';
    const start = call.innerStart;
    const parts: [number, number][] = [];
    let from = 0;
    SEPARATOR.lastIndex = 0;
    for (let match = SEPARATOR.exec(call.inner); match; match = SEPARATOR.exec(call.inner)) {
      parts.push([from, match.index]);
      from = match.index + match[0].length;
    }
    parts.push([from, call.inner.length]);
    const html = parts.map(([a, b]) => `<div class="sc-column">${call.renderRange(start + a, start + b)}</div>`).join('');
    return `<div class="sc-columns">${html}</div>`;
  },
};
