// Which files of the rules folder are rule files, by name: shared by the loader, annotate, init,
// the build record and the pages (a module of its own, so the render workers need not load YAML).
import path from 'node:path';

/**
 * Rule files: `*.yml` and `*.yaml`, and `*.rules`, the extension Prometheus's own examples and
 * many older repositories use (`rule_files: ['alert.rules']`).
 */
export const RULE_FILE_NAME = /\.(?:ya?ml|rules)$/i;

/** A rule file's name without its extension (`haproxy-exporter-v1.yml` → `haproxy-exporter-v1`). */
export function ruleFileStem(file: string): string {
  return path.posix.basename(file).replace(RULE_FILE_NAME, '');
}

/** RULE_FILE_NAME as a test, one function (load/files.ts `listKnownFiles` tells listings by their test). */
export const isRuleFileName = (name: string): boolean => RULE_FILE_NAME.test(name);
