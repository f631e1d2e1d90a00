// Falco rules files written inside other YAML files, and how their lines sit in the file that holds them.
//
// Falco on Kubernetes is mostly installed with its Helm chart, and there custom rules are not files: they are the
// values of `customRules` (charts/falco/values.yaml), each key a file name and each value the file's text, which the
// chart writes into a ConfigMap mounted at /etc/falco/rules.d (templates/rules-configmap.yaml, pod-template.tpl).
// The same values appear under `falco:` in an umbrella chart, under `spec.values` of a Flux HelmRelease and under
// `spec.source(s).helm.valuesObject` of an Argo CD Application; and hand-written ConfigMaps carry rules files in
// `data`. This module finds those texts (any `customRules` mapping; a ConfigMap's `data` entries whose text has rules
// items) and gives each as an embedded file: its text with the block's indentation removed, and the column each of
// its lines was cut by, so that every position maps both ways.
//
// Only literal block scalars (`|`, `|-`, `|+`, with or without an indentation indicator) are embedded: each of their
// lines is the file's line, shifted right by the block's indentation. A folded (`>`) or quoted value does not map line
// for line (and folding changes a rules file's text), so it is reported instead of checked.
//
// Falco's configuration is embedded too. The chart's `falco:` values (a block mapping) are laid over the chart's own
// configuration. A ConfigMap's `data` entry named `falco.yaml` is the whole file Falco reads (the chart renders its
// falco.yaml into one, templates/configmap.yaml, and mounts it at /etc/falco/falco.yaml with subPath, pod-template.tpl),
// and any other `*.yaml`/`*.yml` entry whose text is a mapping of falco.yaml's keys is a file meant for config_files (a
// config.d file). How they merge is embedded/index.ts's business.
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Position } from 'vscode-languageserver-types';
import { LineIndex } from '../text';
import { rulesFileShape } from '../fileShape';
import { loadsRulesPath } from '../config/rulesFiles';
import { LATEST_FALCO } from '../../knowledge/falcoVersions';
import { FALCO_CONFIG_SCHEMA } from '../../knowledge/falcoConfigSchema';

/** Where an embedded file's key sits, which decides where Falco finds the file and whether it loads it. */
export type Holder =
  /** A `customRules` entry of the Falco chart's values: mounted as /etc/falco/rules.d/<key>. */
  | 'customRules'
  /** A `data` entry of a ConfigMap: mounted wherever a volume puts it (a rules file, falco.yaml or a config.d file). */
  | 'configMap'
  /** The chart's `falco:` values: Falco's configuration, which Helm merges into the chart's own and writes as
   *  /etc/falco/falco.yaml (templates/configmap.yaml). */
  | 'chartConfig';

export interface EmbeddedFile {
  /** A rules file, or Falco's configuration (laid over the chart's). */
  kind: 'rules' | 'config';
  holder: Holder;
  /** The mapping entry's key: the file's name once mounted. */
  key: string;
  /** Offsets of the key in the host text. */
  keySpan: readonly [number, number];
  /** Which set of files loads together (one per `customRules` mapping or ConfigMap): files of different sets are
   *  different Falco deployments. */
  set: number;
  /** The host line of the embedded file's first line. */
  firstLine: number;
  /** Per embedded line, the columns removed from the host line (the block's indentation; fewer on a blank line). */
  cuts: number[];
  /** The block's indentation: what a new line of the embedded file needs in front of it. */
  indent: number;
  /** Whether the embedded text ends with a line break (a position after it is the start of the host's next line). */
  endsWithBreak: boolean;
  /** The embedded file's text. */
  text: string;
}

/** A problem of the holder itself (a key Falco skips, a value Falco Lens cannot check), reported on the host. */
export interface HolderProblem {
  code: HolderCode;
  span: readonly [number, number];
  message: string;
  severity: 'error' | 'warning' | 'information';
  /** For a quick fix: the replacement of the span. */
  replacement?: string;
}

export enum HolderCode {
  /** A key Kubernetes refuses as a ConfigMap key (the chart's install fails). */
  InvalidConfigMapKey = 'embedded-invalid-configmap-key',
  /** A customRules file whose name does not end in .yaml or .yml: Falco skips it in rules.d. */
  NotYamlName = 'embedded-not-yaml-name',
  /** The values' `falco.rules_files` does not read /etc/falco/rules.d: the customRules never load. */
  RulesDirNotLoaded = 'embedded-rules-dir-not-loaded',
  /** A rules text or a configuration written as a folded or quoted scalar: not checked. */
  NotLiteralBlock = 'embedded-not-literal-block',
}

export interface HostAnalysis {
  files: EmbeddedFile[];
  problems: HolderProblem[];
}

/** Where the Falco chart mounts customRules (pod-template.tpl: the rules-volume mount). */
export const CHART_RULES_DIR = '/etc/falco/rules.d';

// Kubernetes' IsConfigMapKey (apimachinery validation.go): [-._a-zA-Z0-9]+, at most 253 characters, not '.' or '..'
// and not starting with '..'.
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_MAP_KEY = 253;
/** Files this large are not searched (a generated manifest of many megabytes): reading them on every edit costs more
 *  than a rules text inside them is worth. */
const MAX_HOST_LENGTH = 4_000_000;

/** The name Falco's configuration file has as a ConfigMap entry (the chart's, and Falco's default -c file's). */
export const CONFIG_MAP_MAIN_KEY = 'falco.yaml';

/** A quick test before parsing: whether the text can hold embedded rules or Falco configuration at all. */
export function mayHoldRules(text: string): boolean {
  return text.length <= MAX_HOST_LENGTH && (text.includes('customRules') || /^[ \t]*falco:[ \t]*(#.*)?$/m.test(text)
    || (/\bConfigMap\b/.test(text) && (/-[ \t]+(rule|macro|list)[ \t]*:/.test(text) || /^[ \t]+["']?[-._a-zA-Z0-9]*\.ya?ml["']?[ \t]*:/m.test(text))));
}

/** `target`: the Falco release whose loading of a rules folder the customRules names are judged by. */
export function analyzeHost(text: string, target: string = LATEST_FALCO): HostAnalysis {
  const out: HostAnalysis = { files: [], problems: [] };
  if (!mayHoldRules(text)) return out;
  const lines = new LineIndex(text);
  let set = 0;
  let docs;
  try {
    docs = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  } catch {
    return out;
  }
  if (!Array.isArray(docs)) return out;
  for (const doc of docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    if (scalarString(root.get('kind', true)) === 'ConfigMap') {
      const data = root.get('data', true);
      if (isMap(data)) {
        const found = embeddedEntries(text, lines, data, 'configMap', set, out.problems, target);
        if (found.length) { out.files.push(...found); set++; }
      }
      continue;
    }
    // Any `customRules` mapping, however deep (values, umbrella values, HelmRelease, Argo CD Application), and the
    // chart's `falco:` configuration beside it or alone.
    visitMaps(root, 0, (map) => {
      for (const pair of map.items) {
        if (!isPair(pair)) continue;
        const key = scalarString(pair.key as Node);
        if (key === 'falco' && isMap(pair.value) && looksLikeFalcoConfig(pair.value)) {
          const config = blockMapping(text, lines, pair.value, set);
          if (config) { out.files.push(config); set++; }
        }
        if (key !== 'customRules' || !isMap(pair.value)) continue;
        const found = embeddedEntries(text, lines, pair.value, 'customRules', set, out.problems, target);
        checkRulesDirLoaded(map, found, out.problems, target);
        if (found.length) { out.files.push(...found); set++; }
      }
    });
  }
  return out;
}

/** Calls `visit` on every mapping down to a modest depth (values are not deep). */
function visitMaps(node: unknown, depth: number, visit: (map: YAMLMap) => void): void {
  if (depth > 8) return;
  if (isMap(node)) {
    visit(node);
    for (const pair of node.items) if (isPair(pair)) visitMaps(pair.value, depth + 1, visit);
  } else if (isSeq(node)) {
    for (const item of node.items) visitMaps(item, depth + 1, visit);
  }
}

function scalarString(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function embeddedEntries(text: string, lines: LineIndex, map: YAMLMap, holder: Holder, set: number, problems: HolderProblem[], target: string): EmbeddedFile[] {
  const files: EmbeddedFile[] = [];
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = scalarString(pair.key);
    const keyRange = (pair.key as Scalar).range;
    if (key === undefined || !keyRange) continue;
    const keySpan = [keyRange[0], keyRange[1]] as const;
    const value = pair.value;
    if (!isScalar(value)) continue;
    const file = literalBlock(text, lines, value, holder, key, keySpan, set);
    const content = file?.text ?? (typeof value.value === 'string' ? value.value : '');
    // A ConfigMap holds all sorts of files: falco.yaml and the entries whose text is a mapping of falco.yaml's keys
    // are Falco's configuration, the ones whose text has Falco's items are rules files. Other charts name values
    // `customRules` too (kube-prometheus-stack's are alerting rules): text that is plainly something else is left
    // alone.
    const kind = holder === 'configMap' ? configMapEntryKind(key, content) : rulesFileShape(content) === 'foreign' ? undefined : 'rules';
    if (!kind) continue;
    checkKey(key, keySpan, holder, problems, target);
    if (file) files.push(kind === 'config' ? { ...file, kind } : file);
    else if (typeof value.value === 'string' && value.value.trim() !== '') {
      const what = kind === 'config' ? 'Falco configuration file' : 'rules file';
      problems.push({
        code: HolderCode.NotLiteralBlock, span: keySpan, severity: 'information',
        message: `Falco Lens checks a ${what} written as a literal block (\`${key}: |-\` and the file on the lines below); this one is written as a ${value.type === 'BLOCK_FOLDED' ? 'folded block (\'>\'), which joins lines and can change what Falco reads' : 'one-line string'}, and is not checked.`,
      });
    }
  }
  // Falco reads a folder's files sorted by path (configuration.cpp read_rules_file_directory).
  return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * What a ConfigMap entry holds for Falco: its configuration (an entry named falco.yaml, or a `*.yaml`/`*.yml` entry
 * whose text is a mapping most of whose keys are falco.yaml's), a rules file (Falco's items), or nothing of Falco's.
 * A text holding `{{` is a Helm template (the chart's own templates/configmap.yaml), not what Falco reads.
 */
function configMapEntryKind(key: string, content: string): 'rules' | 'config' | undefined {
  if (key === CONFIG_MAP_MAIN_KEY) return content.includes('{{') ? undefined : 'config';
  if (/\.ya?ml$/.test(key) && !content.includes('{{') && /^[A-Za-z_"']/m.test(content)) {
    try {
      const parsed = parseDocument(content, { uniqueKeys: false, prettyErrors: false });
      if (isMap(parsed.contents) && looksLikeFalcoConfig(parsed.contents)) return 'config';
    } catch { /* not YAML: not a configuration */ }
  }
  return rulesFileShape(content) === 'falco' ? 'rules' : undefined;
}

function checkKey(key: string, keySpan: readonly [number, number], holder: Holder, problems: HolderProblem[], target: string): void {
  const invalid = key.length > MAX_CONFIG_MAP_KEY ? `is longer than ${MAX_CONFIG_MAP_KEY} characters`
    : !CONFIG_MAP_KEY.test(key) ? 'may only hold letters, digits, \'-\', \'_\' and \'.\''
      : key === '.' || key === '..' || key.startsWith('..') ? 'must not be \'.\' or \'..\' or start with \'..\''
        : undefined;
  if (invalid) {
    const replacement = key.replace(/[^-._a-zA-Z0-9]+/g, '-').replace(/^\.+/, '').slice(0, MAX_CONFIG_MAP_KEY) || 'custom-rules.yaml';
    problems.push({
      code: HolderCode.InvalidConfigMapKey, span: keySpan, severity: 'error',
      message: `'${key}' cannot be a ConfigMap key: a key ${invalid}. ${holder === 'customRules' ? 'The chart writes customRules into a ConfigMap, so the install or upgrade fails.' : 'Kubernetes refuses this ConfigMap.'}`,
      ...(replacement !== key ? { replacement } : {}),
    });
    return;
  }
  // The chart mounts each entry as a file of rules.d, which Falco reads as a rules folder (config/rulesFiles.ts).
  if (holder === 'customRules' && !loadsRulesPath(`${CHART_RULES_DIR}/${key}`, target)) {
    // Falco's *.yaml test takes the first '.yaml' of the path (falco_utils.cpp matches_wildcard): a.yaml.yaml fails.
    let stem = key;
    while (/\.ya?ml$/.test(stem)) stem = stem.replace(/\.ya?ml$/, '');
    const replacement = `${stem.replace(/\.(ya?ml)/g, '-$1') || 'custom-rules'}.yaml`;
    const why = /\.ya?ml$/.test(key) ? `whose path matches *.yaml or *.yml as Falco matches it: the first '.yaml' (or '.yml') of the path must end it` : 'whose names end in .yaml or .yml';
    problems.push({
      code: HolderCode.NotYamlName, span: keySpan, severity: 'warning',
      message: `Falco skips '${key}': since 0.41 it loads only the files of ${CHART_RULES_DIR} ${why}, and says nothing about the others. Name it '${replacement}'.`,
      replacement,
    });
  }
}

/**
 * When the values set `falco.rules_files` (the chart renders it into falco.yaml) without /etc/falco/rules.d, the
 * customRules are mounted and never read. The chart's own default lists the folder.
 */
function checkRulesDirLoaded(holder: YAMLMap, files: EmbeddedFile[], problems: HolderProblem[], target: string): void {
  if (files.length === 0) return;
  const falco = holder.get('falco', true);
  if (!isMap(falco)) return;
  const rulesFiles = falco.get('rules_files', true);
  if (!isSeq(rulesFiles) || !rulesFiles.range) return;
  const paths = rulesFiles.items.map((i) => scalarString(i)).filter((p): p is string => p !== undefined).map((p) => p.replace(/\/+$/, ''));
  const dir = CHART_RULES_DIR;
  for (const file of files) {
    if (!loadsRulesPath(`${dir}/${file.key}`, target)) continue;
    if (paths.some((p) => p === dir || p === `${dir}/${file.key}`)) continue;
    problems.push({
      code: HolderCode.RulesDirNotLoaded, span: file.keySpan, severity: 'warning',
      message: `Falco never loads '${file.key}': the chart mounts customRules in ${dir}, and falco.rules_files does not list that folder (nor ${dir}/${file.key}). Add '${dir}' to falco.rules_files.`,
    });
  }
}

/** The embedded file of a literal block scalar, or undefined for any other scalar. */
function literalBlock(text: string, lines: LineIndex, value: Scalar, holder: Holder, key: string, keySpan: readonly [number, number], set: number): EmbeddedFile | undefined {
  if (value.type !== 'BLOCK_LITERAL') return undefined;
  const token = value.srcToken as { type?: string; indent?: number; props?: { type: string; offset: number; source: string }[]; source?: string } | undefined;
  if (!token || token.type !== 'block-scalar' || !token.props || typeof token.source !== 'string' || !value.range) return undefined;
  const header = token.props.find((p) => p.type === 'block-scalar-header');
  const newline = token.props.find((p) => p.type === 'newline');
  if (!header || !newline) return undefined;
  const contentStart = newline.offset + newline.source.length;
  const contentEnd = value.range[2];
  if (contentEnd <= contentStart) return undefined;
  const firstLine = lines.positionAt(contentStart).line;
  // The last content line: the one holding the last character before the end (the end follows a line break).
  const lastLine = lines.positionAt(Math.max(contentStart, contentEnd - 1)).line;
  const indicator = /[1-9]/.exec(header.source)?.[0];
  let indent: number;
  if (indicator) indent = (token.indent ?? 0) + Number(indicator);
  else {
    indent = -1;
    for (let l = firstLine; l <= lastLine && indent < 0; l++) {
      const line = lineText(text, lines, l);
      if (line.trim() !== '') indent = leadingSpaces(line);
    }
    if (indent < 0) return undefined;
  }
  const { cuts, embedded } = cutLines(text, lines, firstLine, lastLine, indent);
  const endsWithBreak = /[\r\n]$/.test(embedded);
  return { kind: 'rules', holder, key, keySpan, set, firstLine, cuts, indent, endsWithBreak, text: embedded };
}

/**
 * Whether a `falco:` mapping is Falco's configuration (the chart's values) rather than an umbrella chart's values for
 * the Falco subchart (`driver`, `customRules`, `falco`…): most of its keys are keys of falco.yaml.
 */
function looksLikeFalcoConfig(map: YAMLMap): boolean {
  const keys = map.items.filter(isPair).map((p) => scalarString(p.key as Node)).filter((k): k is string => k !== undefined);
  const known = keys.filter((k) => CONFIG_KEYS.has(k)).length;
  return known > 0 && known * 2 >= keys.length;
}

const CONFIG_KEYS = new Set(Object.keys(FALCO_CONFIG_SCHEMA.properties ?? {}));

/** The embedded configuration of a block mapping: its lines, cut by the mapping's indentation. */
function blockMapping(text: string, lines: LineIndex, map: YAMLMap, set: number): EmbeddedFile | undefined {
  if (map.flow || !map.range) return undefined;
  const start = map.range[0];
  const end = Math.max(start, map.range[2]);
  const firstLine = lines.positionAt(start).line;
  const indent = start - lines.lineStarts[firstLine];
  // The mapping's first key must start its line (a mapping written on the key's line is not a block of lines).
  if (text.slice(lines.lineStarts[firstLine], start).trim() !== '') return undefined;
  const lastLine = lines.positionAt(Math.max(start, end - 1)).line;
  const { cuts, embedded } = cutLines(text, lines, firstLine, lastLine, indent);
  const keySpan = [start, start] as const;
  return { kind: 'config', holder: 'chartConfig', key: 'falco.yaml', keySpan, set, firstLine, cuts, indent, endsWithBreak: /[\r\n]$/.test(embedded), text: embedded };
}

/** The host's lines firstLine..lastLine without their first `indent` columns (fewer where a line has fewer blanks). */
function cutLines(text: string, lines: LineIndex, firstLine: number, lastLine: number, indent: number): { cuts: number[]; embedded: string } {
  const cuts: number[] = [];
  let embedded = '';
  for (let l = firstLine; l <= lastLine; l++) {
    const start = lines.lineStarts[l];
    const end = l + 1 < lines.lineCount ? lines.lineStarts[l + 1] : text.length;
    const cut = Math.min(indent, leadingSpaces(text.slice(start, Math.min(end, start + indent))));
    cuts.push(cut);
    embedded += text.slice(start + cut, end);
  }
  return { cuts, embedded };
}

function lineText(text: string, lines: LineIndex, line: number): string {
  const start = lines.lineStarts[line];
  const end = line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : text.length;
  return text.slice(start, end).replace(/[\r\n]+$/, '');
}

function leadingSpaces(s: string): number {
  let n = 0;
  while (n < s.length && s.charCodeAt(n) === 32) n++;
  return n;
}

// ---- Positions ----

/** The embedded position of a host position, or undefined when it is not inside the file's lines. */
export function toEmbedded(file: EmbeddedFile, position: Position): Position | undefined {
  const line = position.line - file.firstLine;
  if (line < 0 || line >= file.cuts.length) return undefined;
  return { line, character: Math.max(0, position.character - file.cuts[line]) };
}

/**
 * The host position of an embedded position. The line after the embedded text's final line break (where text is
 * appended) is the start of the host line after the block.
 */
export function toHost(file: EmbeddedFile, position: Position): Position {
  if (position.line >= file.cuts.length) return { line: file.firstLine + file.cuts.length, character: 0 };
  return { line: file.firstLine + position.line, character: position.character + file.cuts[position.line] };
}
