// Hugo's `param`: a parameter of the page's front matter, else of the site (`params` of the
// configuration). Dotted names reach into maps (`param "contact.team"`); keys match
// case-insensitively, as Hugo lower-cases them. A name found nowhere is an error, as in Hugo.
import type { Shortcode } from '../registry.js';
import { argument } from '../registry.js';
import { suggestion } from '../suggest.js';

function lookup(record: unknown, dotted: string): unknown {
  let value: unknown = record;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const entries = value as Record<string, unknown>;
    if (Object.hasOwn(entries, key)) value = entries[key];
    else {
      const match = Object.keys(entries).find((name) => name.toLowerCase() === key.toLowerCase());
      if (match === undefined) return undefined;
      value = entries[match];
    }
  }
  return value;
}

/** How Go's template printing shows a value. */
export function goPrint(value: unknown): string {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, ' +0000 UTC');
  if (Array.isArray(value)) return `[${value.map(goPrint).join(' ')}]`;
  if (value !== null && typeof value === 'object') {
    return `map[${Object.keys(value).sort().map((key) => `${key}:${goPrint((value as Record<string, unknown>)[key])}`).join(' ')}]`;
  }
  return value === null || value === undefined ? '' : String(value);
}

export const param: Shortcode = {
  name: 'param',
  inner: 'none',
  usage: '{{< param "name" >}}',
  origin: 'hugo',
  resolve(call, scope) {
    const name = argument(call, 'name', 0);
    if (!name || call.token.args.length > 1) {
      call.error('Unexpected arguments to `param`, expected one parameter name: `{{< param "name" >}}`', 'shortcode-arguments');
      return undefined;
    }
    const fromPage = lookup(call.runbook.frontMatter, name);
    const value = fromPage !== undefined && fromPage !== null ? fromPage : lookup(scope.siteParams, name);
    if (value === undefined || value === null) {
      const known = [...Object.keys(call.runbook.frontMatter), ...Object.keys(scope.siteParams)];
      const near = suggestion(name, known);
      call.error(
        `Unexpected parameter \`${name}\` in \`param\`: neither this page's front matter nor the site's \`params\` set it${near ? `; did you mean \`${near}\`?` : ''}`,
        'param-not-found',
      );
      return undefined;
    }
    return { text: goPrint(value) };
  },
};
