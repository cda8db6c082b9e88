// `{{% comment %}} … {{% /comment %}}`: removed with everything inside (srerun keeps rule YAML there
// for Hugo). The removal itself is done by expand.ts; this entry makes the name known and paired.
import { ignoreArguments, type Shortcode } from '../registry.js';

export const comment: Shortcode = {
  name: 'comment',
  inner: 'required',
  usage: '{{% comment %}} … {{% /comment %}}',
  origin: 'runbook-site',
  resolve: ignoreArguments,
};
