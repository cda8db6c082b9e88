// A site's own shortcode: `templates/shortcodes/NAME.hbs` in the templates folder defines
// shortcode NAME. The template gets documented plain data (templates/README.md); the runbook's
// text is data, never a template; Handlebars escaping stays on. Inner content is markdown
// rendered to HTML for `{{% %}}`, and the text as written for `{{< >}}`, as Hugo passes `.Inner`
// (HTML, like raw HTML in markdown).
import Handlebars from 'handlebars';
import type { RenderCall, SiteShortcodeData } from '../registry.js';

export function renderSiteTemplate(call: RenderCall): string | undefined {
  const paired = call.inner !== undefined;
  const inner = !paired ? '' : call.token.delimiter === '{{<' ? (call.inner ?? '') : call.innerHtml();
  const page = call.env.page;
  const data: SiteShortcodeData & { innerText: string } = {
    name: call.token.name,
    params: call.args,
    named: call.named,
    inner: new Handlebars.SafeString(inner),
    innerText: call.inner ?? '',
    isPaired: paired,
    delimiter: call.token.delimiter,
    page: page ? { title: page.title, url: page.url, frontMatter: page.frontMatter } : undefined,
    site: page?.site,
  };
  return call.env.siteTemplate(call.token.name, data);
}
