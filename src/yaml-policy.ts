// The one policy for reading YAML: rule files, runbook front matter and the config file all go
// through it, so no YAML input can exhaust memory or time. It bounds three things:
//  - size: a text larger than any real rule file is refused before parsing;
//  - nesting: flow collections (`[[[[…`) are measured by a linear scan before parsing (the
//    yaml package is quadratic on them: 100,000 `[` took 5 s, then ran out of memory), and the
//    parsed tree's depth, aliases expanded, is checked after;
//  - aliases: what aliases expand to is counted, without expanding anything. A document without
//    aliases is never refused for being large, however many nodes it has ("billion laughs"
//    documents are: 9 levels of 9 aliases expand to 387 million nodes).
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, visit, type Alias, type Document, type LineCounter, type Node, type ParseOptions, type DocumentOptions, type SchemaOptions } from 'yaml';

export const YAML_LIMITS = {
  /** Bytes of YAML text (UTF-16 code units); the largest real rule files are a few hundred KB. */
  maxLength: 16 * 1024 * 1024,
  /** Collections nested in one another, aliases expanded. Kubernetes objects need about ten. */
  maxDepth: 64,
  /** Nodes that aliases may add to a document when expanded (merge keys included). */
  maxAliasExpansion: 100_000,
};

export type YamlRefusalRule = 'yaml-too-large' | 'yaml-too-deep' | 'yaml-alias-bomb';

/** Why a YAML text or document is refused, at an offset of the text. */
export interface YamlRefusal {
  offset: number;
  /** 1-based line and column of `offset` (set by the parse functions). */
  line?: number;
  column?: number;
  /** A sentence: what is wrong and what to do. */
  reason: string;
  ruleId: YamlRefusalRule;
}

const tooDeep = (offset: number): YamlRefusal => ({
  offset,
  reason: `Unexpected YAML nested more than ${YAML_LIMITS.maxDepth} levels deep, expected far fewer: flatten the structure`,
  ruleId: 'yaml-too-deep',
});

/**
 * Checks that hold before parsing: the size, and the depth of flow collections. Conservative:
 * in block context a `[` or `{` after a space or an indicator is taken for a flow collection
 * even in a plain scalar (`see [docs`), and inside flow collections every bracket counts, quoted
 * or not; such over-counting needs 64 unclosed brackets to matter.
 */
export function checkYamlText(text: string): YamlRefusal | undefined {
  if (text.length > YAML_LIMITS.maxLength) {
    return {
      offset: 0,
      reason: `Unexpected YAML of ${(text.length / 1024 / 1024).toFixed(1)} MB, expected at most ${YAML_LIMITS.maxLength / 1024 / 1024} MB: split it into several files`,
      ruleId: 'yaml-too-large',
    };
  }
  let depth = 0;
  let previous = 10; // the character before, spaces and tabs skipped; a newline at the start
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 91 /* [ */ || code === 123 /* { */) {
      // Line start, after whitespace, or after an indicator: `- [`, `key: {`, `? [`, `[[`, `,{`.
      const before = index === 0 ? 10 : text.charCodeAt(index - 1);
      const opens = depth > 0 || before === 32 || before === 9 || before === 10 || before === 13 || previous === 45 || previous === 58 || previous === 63 || previous === 44;
      if (opens && ++depth > YAML_LIMITS.maxDepth) return tooDeep(index);
    } else if ((code === 93 /* ] */ || code === 125 /* } */) && depth > 0) {
      depth--;
    }
    if (code !== 32 && code !== 9) previous = code;
  }
  return undefined;
}

/**
 * Resolve every alias once, in document order (an alias refers to the closest preceding anchor
 * of that name). yaml's own Alias.resolve walks the whole document per call, which is quadratic.
 */
export function resolveAliases(doc: Document): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
    } else if (node && typeof node === 'object' && 'anchor' in node && typeof (node as { anchor?: unknown }).anchor === 'string') {
      anchors.set((node as { anchor: string }).anchor, node as Node);
    }
    return undefined;
  });
  return targets;
}

function childrenOf(node: Node): unknown[] {
  if (!isMap(node) && !isSeq(node)) return [];
  const out: unknown[] = [];
  for (const item of node.items as unknown[]) {
    if (isPair(item)) out.push(item.key, item.value);
    else out.push(item);
  }
  return out;
}

/**
 * Checks on a parsed document: its depth and the nodes its aliases add, both with aliases
 * expanded, computed once per node (memoised), so linear in the document as written.
 * Iterative: a document nested 100,000 deep must not exhaust the stack here either.
 */
export function checkYamlDocument(doc: Document, aliases: Map<Alias, Node | undefined> = resolveAliases(doc)): YamlRefusal | undefined {
  const root = doc.contents as Node | null;
  if (!root || isScalar(root)) return undefined;
  // Per node: nodes with aliases expanded, and depth with aliases expanded.
  const size = new Map<Node, number>();
  const depth = new Map<Node, number>();
  const onPath = new Set<Node>();
  const target = (value: unknown): Node | undefined => {
    let node = value as Node | undefined;
    for (let hops = 0; node && isAlias(node) && hops < 1000; hops++) node = aliases.get(node as Alias);
    return node && !isAlias(node) ? node : undefined;
  };
  const offsetOf = (node: unknown): number => (node as Node | undefined)?.range?.[0] ?? 0;

  // Post-order walk over the graph the aliases make; a node seen again while on the path is a cycle.
  const stack: { node: Node; entered: boolean; from: unknown }[] = [{ node: root, entered: false, from: root }];
  let pathDepth = 0;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const { node } = frame;
    if (!frame.entered) {
      if (size.has(node)) {
        stack.pop();
        continue;
      }
      if (onPath.has(node)) {
        return { offset: offsetOf(frame.from), reason: 'Unexpected YAML alias inside the node it refers to (a cycle), expected an alias to an earlier, complete value: remove the alias', ruleId: 'yaml-alias-bomb' };
      }
      frame.entered = true;
      onPath.add(node);
      if (++pathDepth > YAML_LIMITS.maxDepth + 1) return tooDeep(offsetOf(frame.from));
      for (const child of childrenOf(node)) {
        const resolved = target(child);
        if (resolved && isCollection(resolved) && !size.has(resolved)) stack.push({ node: resolved, entered: false, from: child });
      }
      continue;
    }
    stack.pop();
    onPath.delete(node);
    pathDepth--;
    let nodes = 1;
    let deepest = 0;
    for (const child of childrenOf(node)) {
      const resolved = target(child);
      if (resolved && isCollection(resolved)) {
        nodes += size.get(resolved) ?? 0;
        deepest = Math.max(deepest, depth.get(resolved) ?? 0);
      } else {
        nodes += 1;
      }
    }
    size.set(node, nodes);
    depth.set(node, deepest + 1);
    if (deepest + 1 > YAML_LIMITS.maxDepth) return tooDeep(offsetOf(frame.from));
  }

  // Nodes added by aliases, in document order: each alias written adds its target's expanded size, less itself.
  let added = 0;
  let refusal: YamlRefusal | undefined;
  visit(doc, (_key, node) => {
    if (!isAlias(node)) return undefined;
    const resolved = target(node);
    if (!resolved) return undefined;
    added += (isCollection(resolved) ? size.get(resolved) ?? 1 : 1) - 1;
    if (added > YAML_LIMITS.maxAliasExpansion) {
      refusal = {
        offset: offsetOf(node),
        reason: `Unexpected YAML aliases that expand to more than ${YAML_LIMITS.maxAliasExpansion.toLocaleString('en-US')} nodes (a "billion laughs" alias bomb?), expected aliases that repeat a few values: write the values out, or use fewer aliases`,
        ruleId: 'yaml-alias-bomb',
      };
      return visit.BREAK;
    }
    return undefined;
  });
  return refusal;
}

/** `refusal` with the line and column of its offset in `text`. */
function placed(text: string, refusal: YamlRefusal): YamlRefusal {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < refusal.offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { ...refusal, line, column: refusal.offset - lineStart + 1 };
}

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

export interface ParsedYaml {
  docs: Document.Parsed[];
  /** The first refusal, if any: either before parsing (then `docs` is empty) or of a document. */
  refusal?: YamlRefusal;
  /** Per document, resolved aliases (for documents that passed). */
  aliases: Map<Document.Parsed, Map<Alias, Node | undefined>>;
}

/**
 * Parse every document of `text` under the policy. A document refused by the policy is left out
 * of `docs`; documents with syntax errors are kept (their `errors` say why), unchecked.
 */
export function parseYamlDocuments(text: string, options: YamlOptions & { lineCounter?: LineCounter }): ParsedYaml {
  const aliases = new Map<Document.Parsed, Map<Alias, Node | undefined>>();
  const before = checkYamlText(text);
  if (before) return { docs: [], refusal: placed(text, before), aliases };
  const docs: Document.Parsed[] = [];
  let refusal: YamlRefusal | undefined;
  try {
    let parsed = parseAllDocuments(text, options) as unknown as Document.Parsed[];
    if (!Array.isArray(parsed)) parsed = [parsed as unknown as Document.Parsed];
    for (const doc of parsed) {
      if (doc.errors.length > 0) {
        docs.push(doc);
        continue;
      }
      const resolved = resolveAliases(doc);
      const problem = checkYamlDocument(doc, resolved);
      if (problem) {
        refusal ??= problem;
        continue;
      }
      aliases.set(doc, resolved);
      docs.push(doc);
    }
  } catch (error) {
    // The yaml package recurses per level of block nesting; past the stack it is too deep.
    if (!(error instanceof RangeError)) throw error;
    return { docs: [], refusal: placed(text, tooDeep(0)), aliases };
  }
  return { docs, refusal: refusal && placed(text, refusal), aliases };
}

/** One document (front matter, config) under the policy; `doc` is absent when refused. */
export function parseYamlDocument(text: string, options: YamlOptions & { lineCounter?: LineCounter }): { doc?: Document.Parsed; refusal?: YamlRefusal } {
  const before = checkYamlText(text);
  if (before) return { refusal: placed(text, before) };
  try {
    const doc = parseDocument(text, options) as Document.Parsed;
    if (doc.errors.length > 0) return { doc };
    const refusal = checkYamlDocument(doc);
    return refusal ? { refusal: placed(text, refusal) } : { doc };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { refusal: placed(text, tooDeep(0)) };
  }
}

/** The plain value of a document that passed the policy (its aliases are known to be bounded). */
export function yamlValue(doc: Document): unknown {
  return doc.toJS({ maxAliasCount: -1 });
}
