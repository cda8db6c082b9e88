// docsy's `tabpane`: `{{< tabpane lang="bash" >}}{{< tab header="Linux" >}} … {{< /tab >}}{{< /tabpane >}}`.
// The same tab group as hugo-book's `tabs` (tabs.ts); as in docsy, a tab's content is code in the
// tab's or the pane's `lang`, unless `text=true` (on the pane or the tab) makes it markdown.
import { isTrue, type Shortcode } from '../registry.js';
import { slugId } from '../../html.js';
import { tabGroup } from './tabs.js';

export const tabpane: Shortcode = {
  name: 'tabpane',
  inner: 'required',
  usage: '{{< tabpane lang="bash" >}} {{< tab header="Name" >}} … {{< /tab >}} … {{< /tabpane >}} (text=true for markdown tabs)',
  origin: 'docsy',
  render(call) {
    const id = call.env.takeId(`tabs-${slugId(call.named.id ?? 'tabpane')}`);
    return tabGroup(call, { id, count: 0, pane: { lang: call.named.lang, text: isTrue(call.named.text) } });
  },
};
