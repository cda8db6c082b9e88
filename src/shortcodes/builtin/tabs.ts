// hugo-book's `tabs` and `tab`: `{{< tabs "id" >}}{{< tab "Linux" >}} … {{< /tab >}}…{{< /tabs >}}`.
// Radio buttons and labels, as hugo-book does: tabs work without JavaScript and by keyboard
// (arrow keys move between the radios of a group). The first tab is shown.
import { escapeHtml } from '../../html.js';
import type { RenderCall, Shortcode } from '../registry.js';

/** Lower-case letters, digits and single hyphens, for element ids. */
function slugId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

interface TabsState {
  id: string;
  count: number;
}

export const tabs: Shortcode = {
  name: 'tabs',
  inner: 'required',
  usage: '{{< tabs "id" >}} {{< tab "Name" >}} … {{< /tab >}} … {{< /tabs >}}',
  origin: 'hugo-book',
  render(call) {
    const id = call.env.takeId(`tabs-${slugId(call.args[0] ?? call.named.id ?? 'tabs')}`);
    const outer = call.env.context.get('tabs');
    const state: TabsState = { id, count: 0 };
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
  },
};

export const tab: Shortcode = {
  name: 'tab',
  inner: 'required',
  usage: '{{< tab "Name" >}} … {{< /tab >}} inside `tabs`',
  origin: 'hugo-book',
  render(call: RenderCall) {
    const state = call.env.context.get('tabs') as TabsState | undefined;
    const title = call.args[0] ?? call.named.name ?? call.named.title ?? 'Tab';
    if (!state) {
      // A tab outside tabs: shown as a titled section rather than lost.
      return `<div class="sc-tab-alone"><p><strong>${escapeHtml(title)}</strong></p>${call.innerHtml()}</div>`;
    }
    const index = state.count++;
    const id = `${state.id}-${index}`;
    return (
      `<input type="radio" class="sc-tab-toggle" name="${state.id}" id="${id}"${index === 0 ? ' checked' : ''}>` +
      `<label for="${id}">${escapeHtml(title)}</label>` +
      `<div class="sc-tab-panel">${call.innerHtml()}</div>`
    );
  },
};
