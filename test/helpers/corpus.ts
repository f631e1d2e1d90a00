// Locates the shared corpus (../shared/corpus from the repository root, where tests run) and loads its rules files.
// Tests that need the corpus skip with a message when corpusDir() is undefined.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface RulesFileRef {
  /** Absolute path of the rules file. */
  path: string;
  /** Basename, as playbooks name it (`falco_rules.yaml`). */
  file: string;
  /** Event source of the file's rules when a rule does not say (`syscall` for the official files). */
  defaultSource: string;
  /** Rules set: `stable`, `incubating`, `sandbox` or the plugin directory (`k8saudit`, `cloudtrail`...). */
  set: string;
  /** Whether every rule of this file must have a playbook (issue 3: the official files, k8saudit and cloudtrail). */
  needsPlaybooks: boolean;
}

/** A rule item of a rules file, with its source resolved. */
export interface CorpusRule {
  name: string;
  source: string;
  file: string;
  condition?: string;
  output?: string;
  tags: string[];
  enabled: boolean;
  /** The item as parsed, for anything else a test needs. */
  item: Record<string, unknown>;
}

/** The corpus directory, or undefined when it is absent (tests then skip). */
export function corpusDir(): string | undefined {
  const dir = path.join(process.cwd(), '..', 'shared', 'corpus');
  return fs.existsSync(path.join(dir, 'rules')) ? dir : undefined;
}

function rulesPath(...parts: string[]): string {
  return path.join(corpusDir() ?? path.join(process.cwd(), '..', 'shared', 'corpus'), 'rules', ...parts);
}

/** The three current official rules files (falcosecurity/rules, as bundled with Falco 0.44), in load order. */
export function officialRulesFiles(): RulesFileRef[] {
  return [
    ['falco_rules.yaml', 'stable'],
    ['falco-incubating_rules.yaml', 'incubating'],
    ['falco-sandbox_rules.yaml', 'sandbox'],
  ].map(([file, set]) => ({ path: rulesPath('falcosecurity__rules', file), file, defaultSource: 'syscall', set, needsPlaybooks: true }));
}

/** Rules files of the plugins that ship official rules (not the example plugins krsi, dummy, k8smeta, nor the
 *  k8saudit-gke override file). Rules in these files carry their own `source`; defaultSource is the usual one. */
export function pluginRulesFiles(): RulesFileRef[] {
  const plugins: [string, string, string, boolean][] = [
    ['k8saudit', 'k8s_audit_rules.yaml', 'k8s_audit', true],
    ['cloudtrail', 'aws_cloudtrail_rules.yaml', 'aws_cloudtrail', true],
    ['gcpaudit', 'gcp_auditlog_rules.yaml', 'gcp_auditlog', false],
    ['okta', 'okta_rules.yaml', 'okta', false],
    ['github', 'github.yaml', 'github', false],
  ];
  return plugins.map(([dir, file, defaultSource, needsPlaybooks]) => ({
    path: rulesPath('falcosecurity__plugins', dir, file), file, defaultSource, set: dir, needsPlaybooks,
  }));
}

/** All items (maps) of a rules file, over every YAML document it contains. Throws on a YAML error. */
export function loadYamlItems(file: string): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) throw new Error(`${file}: a rules file is a YAML sequence`);
    for (const item of value) if (item && typeof item === 'object' && !Array.isArray(item)) items.push(item as Record<string, unknown>);
  }
  return items;
}

/** The rule items of a rules file (items with a `rule` key and a condition, i.e. definitions, not overrides). */
export function loadRules(ref: RulesFileRef): CorpusRule[] {
  return loadYamlItems(ref.path)
    .filter((item) => typeof item.rule === 'string' && typeof item.condition === 'string')
    .map((item) => ({
      name: item.rule as string,
      source: typeof item.source === 'string' ? item.source : 'syscall',
      file: ref.file,
      condition: item.condition as string,
      output: typeof item.output === 'string' ? item.output : undefined,
      tags: Array.isArray(item.tags) ? item.tags.map(String) : [],
      enabled: item.enabled !== false,
      item,
    }));
}

/** The macros and lists of a rules file, by name (later definitions win, as in Falco). */
export function loadMacrosAndLists(file: string): { macros: Map<string, string>; lists: Map<string, unknown[]> } {
  const macros = new Map<string, string>();
  const lists = new Map<string, unknown[]>();
  for (const item of loadYamlItems(file)) {
    if (typeof item.macro === 'string' && typeof item.condition === 'string') macros.set(item.macro, item.condition);
    if (typeof item.list === 'string' && Array.isArray(item.items)) lists.set(item.list, item.items);
  }
  return { macros, lists };
}
