// Hugo's `figure`: an image with optional link, title, caption and attribution, in Hugo 0.111's
// markup (figure > [a >] img, figcaption > h4 + p). Caption and attribution are markdown.
import { escapeHtml } from '../../html.js';
import type { Shortcode } from '../registry.js';

const ATTRIBUTES = ['src', 'link', 'target', 'rel', 'alt', 'title', 'caption', 'class', 'height', 'width', 'attr', 'attrlink'];

/** True for a URL that may go in an href or src (no `javascript:` and the like). */
export function safeUrl(url: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  return !scheme || ['http', 'https', 'mailto'].includes(scheme[1].toLowerCase());
}

function plain(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

export const figure: Shortcode = {
  name: 'figure',
  inner: 'none',
  usage: '{{< figure src="dash.png" alt="…" title="…" caption="…" link="…" >}}',
  origin: 'hugo',
  resolve(call) {
    const named = call.token.named ?? {};
    if (call.token.args.length > 0 || !named.src) {
      call.error('Unexpected arguments to `figure`, expected named ones with at least `src`: `{{< figure src="image.png" alt="…" caption="…" >}}`', 'shortcode-arguments');
      return undefined;
    }
    for (const key of Object.keys(named)) {
      if (!ATTRIBUTES.includes(key)) call.warning(`Unexpected \`${key}\` argument to \`figure\`: it is ignored; expected one of ${ATTRIBUTES.map((a) => `\`${a}\``).join(', ')}`, 'shortcode-arguments');
    }
    for (const key of ['src', 'link', 'attrlink']) {
      if (named[key] && !safeUrl(named[key])) call.error(`Unexpected \`${key}="${named[key]}"\` in \`figure\`: only http(s), mailto and relative URLs are allowed`, 'shortcode-arguments');
    }
    return undefined;
  },
  render(call) {
    const get = (key: string) => call.named[key] || undefined;
    const attr = (name: string, value: string | undefined) => (value ? ` ${name}="${escapeHtml(value)}"` : '');
    // Read and checked as the same URL in a markdown image or link would be.
    const url = (key: string) => (get(key) && safeUrl(get(key)!) ? call.env.urlArgument(get(key)!, key === 'src' ? 'image' : 'link') : undefined);
    const src = url('src');
    if (!src) return '';
    const caption = get('caption') ? call.env.inlineArgument(get('caption')!) : '';
    const alt = get('alt') ?? (caption ? plain(caption) : undefined);
    const link = url('link');
    const attrlink = url('attrlink');
    let html = `<figure${attr('class', get('class'))}>`;
    if (link) html += `<a href="${escapeHtml(link)}"${attr('target', get('target'))}${attr('rel', get('rel'))}>`;
    html += `<img src="${escapeHtml(src)}"${attr('alt', alt)}${attr('width', get('width'))}${attr('height', get('height'))}/>`;
    if (link) html += '</a>';
    if (get('title') || get('caption') || get('attr')) {
      html += '<figcaption>';
      if (get('title')) html += `<h4>${escapeHtml(get('title')!)}</h4>`;
      if (get('caption') || get('attr')) {
        html += `<p>${caption}`;
        if (attrlink) html += `<a href="${escapeHtml(attrlink)}">`;
        if (get('attr')) html += call.env.inlineArgument(get('attr')!);
        if (attrlink) html += '</a>';
        html += '</p>';
      }
      html += '</figcaption>';
    }
    return html + '</figure>';
  },
};
