// The three call-out looks of the default theme (info, warning, danger), and how the kinds and
// colours of the docs themes map onto them: hugo-book's `hint` kinds, geekdoc's `hint` types,
// docsy's Bootstrap colours (`alert`, `pageinfo`).
export type CalloutKind = 'info' | 'warning' | 'danger';

const KINDS: Record<string, CalloutKind> = {
  info: 'info', note: 'info', tip: 'info', ok: 'info', primary: 'info', secondary: 'info', success: 'info', light: 'info', dark: 'info',
  warning: 'warning', caution: 'warning',
  danger: 'danger', error: 'danger', important: 'danger',
};

/** The look for a kind or colour as written, or undefined when it is none of the known ones. */
export function calloutKind(written: string | undefined): CalloutKind | undefined {
  return written === undefined ? undefined : KINDS[written.trim().toLowerCase()];
}

const CALLOUT_LABELS: Record<CalloutKind, string> = { info: 'Note', warning: 'Warning', danger: 'Danger' };

/** A call-out box: the kind's label for screen readers (the colour and bar say it to the eye), an optional title, the content. */
export function calloutHtml(kind: CalloutKind, titleHtml: string | undefined, innerHtml: string): string {
  const title = titleHtml ? `<p class="sc-hint-title"><strong>${titleHtml}</strong></p>` : '';
  return `<div class="sc-hint sc-hint-${kind}" role="note"><span class="sr">${CALLOUT_LABELS[kind]}: </span>${title}${innerHtml}</div>`;
}
