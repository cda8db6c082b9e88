// HTML escaping for the text we write ourselves (the theme's templates use Handlebars' own).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and attribute values (also valid XML). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

/** Escapes element content only (`&`, `<`, `>`), so code such as YAML keeps its quotes readable in the source. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (ch) => ENTITIES[ch]);
}

/** Lower-case ASCII letters, digits and single hyphens, for element ids (`x` when nothing is left). */
export function slugId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}
