// hugo-book's `tabs` and `tab`: `{{< tabs "id" >}}{{< tab "Linux" >}} … {{< /tab >}}…{{< /tabs >}}`.
// Radio buttons and labels, as hugo-book does: tabs work without JavaScript and by keyboard
// (arrow keys move between the radios of a group). The first tab is shown.
import { escapeHtml, slugId } from '../../html.js';
import { isTrue, type RenderCall, type Shortcode } from '../registry.js';
import { highlightCode } from '../../markdown/highlight-code.js';

export interface TabsState {
  id: string;
  count: number;
  /** Inside docsy's `tabpane`: a tab's content is code in `lang` unless `text` says it is markdown. */
  pane?: { lang?: string; text: boolean };
}

/** Renders `call`'s inner content with `state` as the current tab group, then the group's markup. */
export function tabGroup(call: RenderCall, state: TabsState): string {
  const outer = call.env.context.get('tabs');
  call.env.context.set('tabs', state);
  let inner: string;
  try {
    inner = call.innerHtml();
  } finally {
    call.env.context.set('tabs', outer);
  }
  // Only the tabs themselves belong in the group (whitespace paragraphs between them do not).
  const panels = inner.replace(/<p>\s*<\/p>/g, '');
  return `<div class="sc-tabs">${panels}</div>`;
}

export const tabs: Shortcode = {
  name: 'tabs',
  inner: 'required',
  usage: '{{< tabs "id" >}} {{< tab "Name" >}} … {{< /tab >}} … {{< /tabs >}}',
  origin: 'hugo-book',
  render(call) {
    return tabGroup(call, { id: call.env.takeId(`tabs-${slugId(call.args[0] ?? call.named.id ?? 'tabs')}`), count: 0 });
  },
};

export const tab: Shortcode = {
  name: 'tab',
  inner: 'required',
  usage: '{{< tab "Name" >}} … {{< /tab >}} inside `tabs` (or `{{< tab header="Name" >}}` inside docsy\'s `tabpane`)',
  origin: 'hugo-book',
  render(call: RenderCall) {
    const state = call.env.context.get('tabs') as TabsState | undefined;
    const title = call.args[0] ?? call.named.name ?? call.named.title ?? call.named.header ?? 'Tab';
    const content = () => {
      if (!state?.pane || (call.named.text !== undefined ? isTrue(call.named.text) : state.pane.text)) return call.innerHtml();
      // docsy shows a tab of a tabpane as code unless told it is text; Hugo drops the newlines
      // after the opening and before the closing tag.
      const lang = call.named.lang ?? state.pane.lang;
      const code = (call.inner ?? '').replace(/^\r?\n/, '').replace(/\r?\n\s*$/, '');
      // Highlighted as a fenced block in that language would be (escaped plain text otherwise).
      return `<pre><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${highlightCode(lang, `${code}\n`)}</code></pre>`;
    };
    if (!state) {
      // A tab outside tabs: shown as a titled section rather than lost.
      return `<div class="sc-tab-alone"><p><strong>${escapeHtml(title)}</strong></p>${content()}</div>`;
    }
    const index = state.count++;
    const id = `${state.id}-${index}`;
    return (
      `<input type="radio" class="sc-tab-toggle" name="${state.id}" id="${id}"${index === 0 ? ' checked' : ''}>` +
      `<label for="${id}">${escapeHtml(title)}</label>` +
      `<div class="sc-tab-panel">${content()}</div>`
    );
  },
};
