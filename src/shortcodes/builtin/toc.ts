// hugo-book's and geekdoc's `toc`: `{{< toc >}}`, the page's table of contents. The default layout
// shows it at the top of a runbook ("On this page", render/page.ts), from three sections on and on
// any page that has this shortcode; in the text it adds nothing, rather than a second copy.
import { ignoreArguments, type Shortcode } from '../registry.js';

export const toc: Shortcode = {
  name: 'toc',
  inner: 'none',
  usage: '{{< toc >}}',
  origin: 'hugo-book',
  resolve: ignoreArguments,
  render() {
    return '';
  },
};
