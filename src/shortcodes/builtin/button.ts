// hugo-book's `button`: a link styled as a button, `{{< button href="https://…" >}}Text{{< /button >}}`
// or `{{< button relref="/runbooks/x.md" >}}`, resolved like `relref`. External links open in a new
// tab, as in hugo-book.
import { escapeHtml } from '../../html.js';
import type { Shortcode } from '../registry.js';
import { relref } from './ref.js';
import { safeUrl } from './figure.js';

export const button: Shortcode = {
  name: 'button',
  inner: 'required',
  usage: '{{< button href="https://…" >}}Text{{< /button >}} or relref="page.md"',
  origin: 'hugo-book',
  resolve(call, scope) {
    const named = call.token.named ?? {};
    if (named.relref !== undefined) {
      const target = { ...call, token: { ...call.token, args: [named.relref], named: undefined } };
      const link = relref.resolve!(target, scope);
      return link?.text === undefined ? undefined : { url: link.text };
    }
    if (named.href === undefined) {
      call.error('Unexpected `button` without a target, expected `href="https://…"` or `relref="page.md"`', 'shortcode-arguments');
    } else if (!safeUrl(named.href)) {
      call.error(`Unexpected \`href="${named.href}"\` in \`button\`: only http(s), mailto and relative URLs are allowed`, 'shortcode-arguments');
    }
    return undefined;
  },
  render(call) {
    // A relref is resolved by the link stage; an href is read and checked as a markdown link's.
    const href = call.resolved?.url ?? (call.named.href && safeUrl(call.named.href) ? call.env.urlArgument(call.named.href, 'link') : call.named.href);
    const text = call.env.inlineMarkdown((call.inner ?? '').trim());
    const className = ['sc-button', call.named.class].filter(Boolean).join(' ');
    if (!href || !safeUrl(href)) return `<span class="${escapeHtml(className)}">${text}</span>`;
    const external = /^https?:\/\//i.test(href) && call.resolved?.url === undefined;
    return `<a class="${escapeHtml(className)}" href="${escapeHtml(href)}"${external ? ' target="_blank" rel="noopener"' : ''}>${text}</a>`;
  },
};
