// Which rules files a Falco configuration loads, read as the target release (`falcoLens.falcoVersion`) reads them
// (userspace/falco/configuration.cpp and yaml_helper.h):
// - the configuration merged with its `config_files` as that release merges them (merge.ts: none before 0.38,
//   top-level keys replaced in 0.38-0.40, the append/override/add-only strategies from 0.41);
// - then `rules_files` (or the deprecated `rules_file`; both set is a start failure) of the merged configuration; 0.37
//   reads only `rules_file` (configuration.cpp:193 at 0.37.0);
// - each resulting rules path that exists is loaded: a folder gives its *.yaml/*.yml regular files sorted by path, a
//   file is loaded when its name ends in .yaml or .yml (from 0.41; before, every file of a folder and any file).
// Environment variables (`${VAR}`) are not expanded: Falco's environment is not this editor's; such paths are left out.
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Location } from 'vscode-languageserver-types';
import { compareVersions } from '../../knowledge/falcoVersions';
import type { ServiceHost } from '../host';
import { pathToUri } from '../uri';
import { mergeConfiguration, type MergedConfig, type Part } from './merge';
import { booleanValue, envReading, parseConfig, scalarText, stringItems, usesEnvironment, valueOf, valueText, type EnvLookup } from './model';
import { SUGGESTED_OUTPUT_FIELDS } from '../../knowledge/suggestedOutput';

/** Falco's own default when no configuration can be read (falco.yaml of 0.44.0). */
export const FALCO_DEFAULT_RULES_FILES: readonly string[] = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d'];

export type { MergeStrategy } from './merge';

export interface ConfigRulesFiles {
  /** The rules paths of `rules_files` after merging, in order (files and folders, as written). */
  paths: string[];
  /** The same paths, each with where it is written: its item in the configuration file that gives it. */
  entries: { path: string; at: Location }[];
  /** The configuration files read, main first. */
  configFiles: string[];
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A rules path of a merged configuration: its text (through `${VAR}` where a manifest gives the values, pathReading),
 *  the file (part) that gives it, and its item there. */
export interface RulesPathEntry { path: string; part: Part; node: Scalar }

/** The paths a list key gives (a lone string is a one-item list; empty items, 'null' and ${VAR} paths `env` does not
 *  read are left out). */
function pathsOf(parts: readonly Part[], env?: EnvLookup): RulesPathEntry[] {
  const out: RulesPathEntry[] = [];
  for (const part of parts) {
    const value = part.pair.value;
    const items: unknown[] = isSeq(value) ? value.items : [value];
    for (const item of items) {
      if (!isScalar(item) || item.value === null) continue;
      const text = pathReading(item, env);
      if (text) out.push({ path: text, part, node: item });
    }
  }
  return out;
}

/** The text Falco reads for a path: its `${VAR}` replaced where `env` knows every value (envReading), else
 *  undefined. */
export function pathReading(node: Scalar, env?: EnvLookup): string | undefined {
  if (!usesEnvironment(node)) return valueText(node);
  return env ? envReading(scalarText(node), env).text : undefined;
}

/**
 * The rules paths of the configuration at `configPath`, or undefined when it cannot be read or parsed as a mapping.
 * Both `rules_files` and `rules_file` set makes Falco refuse to start: the first is taken, as the file is broken.
 * `target` is the Falco release (default: the host's `falcoVersion` setting).
 */
export function configRulesFiles(host: ServiceHost, configPath: string, target?: string): ConfigRulesFiles | undefined {
  const text = host.readFile(configPath);
  if (text === undefined) return undefined;
  const main = parseConfig(text);
  if (!main.root) return undefined;
  const release = target ?? host.settings().falcoVersion;
  const merged = mergeConfiguration({ host, target: release, path: configPath, model: main, parse: parseConfig, asMain: true });
  const entries = mergedRulesEntries(merged).map(({ path, part, node }) => {
    const [start, end] = node.range ?? [0, 0];
    return { path, at: { uri: pathToUri(part.source.path ?? configPath), range: part.source.model.lines.range(start, end) } };
  });
  return { paths: entries.map((e) => e.path), entries, configFiles: merged.sources.map((s) => s.path ?? configPath) };
}

/** The rules paths of a merged configuration at its release: `rules_files`, else `rules_file`; `rules_file` only before 0.38. */
export function mergedRulesPaths(merged: MergedConfig): string[] {
  return mergedRulesEntries(merged).map((e) => e.path);
}

/** mergedRulesPaths, each with the file and item that give it. */
export function mergedRulesEntries(merged: MergedConfig, env?: EnvLookup): RulesPathEntry[] {
  const plural = merged.keys.get('rules_files')?.parts ?? [];
  const singular = merged.keys.get('rules_file')?.parts ?? [];
  return pathsOf(compareVersions(merged.target, '0.38') < 0 ? singular : plural.length > 0 ? plural : singular, env);
}

/**
 * Falco's `*` pattern match (falco::utils::matches_wildcard, 0.44.0), used for rule selections by name and for the
 * `*.yaml` test of rules paths. It does not backtrack: after a leading `*` it takes the first occurrence of the next
 * literal part, so `*.yaml` does not match `a.yaml.yaml`. Falco Lens matches exactly as Falco does.
 */
export function matchesWildcard(pattern: string, s: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === s;
  if (star > 0) return pattern.slice(0, star) === s.slice(0, star) && matchesWildcard(pattern.slice(star), s.slice(star));
  let next = 0;
  while (next < pattern.length && pattern[next] === '*') next++;
  if (next === pattern.length) return true;
  const rest = pattern.slice(next);
  const nextStar = rest.indexOf('*');
  const literal = nextStar < 0 ? rest : rest.slice(0, nextStar);
  const at = s.indexOf(literal);
  if (at < 0) return false;
  return matchesWildcard(rest.slice(literal.length), s.slice(at + literal.length));
}

/** Whether Falco loads a rules path as a file: its name must match `*.yaml` or `*.yml`. */
export function isRulesFileName(path: string): boolean {
  return matchesWildcard('*.yaml', path) || matchesWildcard('*.yml', path);
}

/**
 * Whether the target release loads the file at `path`, found in a rules folder or named directly: any file before
 * 0.41, from 0.41 only a path matching *.yaml or *.yml (configuration.cpp read_rules_file_directory, 0.41.0:737-750).
 */
export function loadsRulesPath(path: string, target: string): boolean {
  return compareVersions(target, '0.41') < 0 || isRulesFileName(path);
}

/**
 * The rules files Falco loads from configured paths: folders give their regular files sorted by path, each file kept
 * when loadsRulesPath says the target release loads it.
 */
export function expandRulesPaths(host: ServiceHost, paths: readonly string[], target = host.settings().falcoVersion): string[] {
  const out: string[] = [];
  for (const path of paths) {
    if (host.isDirectory(path)) {
      const names = (host.readDirectory(path) ?? []).map((n) => joinPath(path, n)).filter((p) => loadsRulesPath(p, target) && !host.isDirectory(p));
      out.push(...names.sort(byteOrder));
    } else if (loadsRulesPath(path, target)) {
      out.push(path);
    }
  }
  return out;
}

/**
 * Text falco.yaml's `append_output` adds to the output of the rules an entry matches, as the target release builds a
 * rule's output before checking it (rule_loader_compiler.cpp compile_rule_infos: `output + " " + format` for each
 * entry whose source, tags and rule match, 0.39.0:416-441, 0.43.0:432-450, 0.44.0:443-461): `extra_output` from 0.39
 * (configuration.cpp:612 at 0.39.0), and from 0.41 `suggested_output: true`, the suggested fields of the loaded plugins
 * of the entry's source, or of every source (init_falco_engine.cpp configure_output_format at 0.41.0; knowledge
 * SUGGESTED_OUTPUT_FIELDS, plugins named by `load_plugins`). `at`: the entry.
 */
export interface OutputAppend { source?: string; tags: readonly string[]; rule?: string; text: string; what: 'extra_output' | 'suggested_output'; at: Location }

export function configOutputAppends(host: ServiceHost, configPath: string, target: string): OutputAppend[] {
  if (compareVersions(target, '0.39') < 0) return [];
  const text = host.readFile(configPath);
  if (text === undefined) return [];
  const main = parseConfig(text);
  if (!main.root) return [];
  const merged = mergeConfiguration({ host, target, path: configPath, model: main, parse: parseConfig, asMain: true });
  const parts = merged.keys.get('append_output')?.parts ?? [];
  if (parts.length === 0) return [];
  const loaded = new Set<string>();
  for (const part of merged.keys.get('load_plugins')?.parts ?? []) for (const item of stringItems(part.pair.value)) loaded.add(valueText(item));
  const out: OutputAppend[] = [];
  for (const part of parts) {
    const value = part.pair.value;
    if (!isSeq(value)) continue;
    for (const entry of value.items) {
      if (!isMap(entry)) continue;
      const [start, end] = entry.range ?? [0, 0];
      const at = { uri: pathToUri(part.source.path ?? configPath), range: part.source.model.lines.range(start, end) };
      const match = valueOf(entry, 'match');
      const word = (key: string) => { const v = isMap(match) ? valueOf(match, key) : undefined; return isScalar(v) && v.value !== null ? valueText(v) : undefined; };
      const tags = isMap(match) ? stringItems(valueOf(match, 'tags')).map(valueText) : [];
      const base = { tags, ...(word('source') ? { source: word('source') } : {}), ...(word('rule') ? { rule: word('rule') } : {}) };
      const extra = valueOf(entry, 'extra_output');
      if (isScalar(extra) && extra.value !== null && valueText(extra) !== '') out.push({ ...base, text: valueText(extra), what: 'extra_output', at });
      const suggested = valueOf(entry, 'suggested_output');
      if (compareVersions(target, '0.41') < 0 || !isScalar(suggested) || booleanValue(suggested) !== true) continue;
      for (const [plugin, { source, fields }] of Object.entries(SUGGESTED_OUTPUT_FIELDS)) {
        if (!loaded.has(plugin) || (base.source !== undefined && base.source !== source)) continue;
        out.push({ ...base, source, text: fields.map((f) => `${f.replace(/\./g, '_')}=%${f}`).join(' '), what: 'suggested_output', at });
      }
    }
  }
  return out;
}

/**
 * The plugins Falco loads by the configuration at `configPath` (merged with its config_files): those `load_plugins`
 * names where the key is set, else every `plugins` entry (configuration.cpp load_plugins_node_defined, 0.37.0:490-530,
 * 0.44.0:655-696); undefined where the file cannot be read.
 */
export function configLoadedPlugins(host: ServiceHost, configPath: string, target: string): string[] | undefined {
  const text = host.readFile(configPath);
  if (text === undefined) return undefined;
  const main = parseConfig(text);
  if (!main.root) return undefined;
  const merged = mergeConfiguration({ host, target, path: configPath, model: main, parse: parseConfig, asMain: true });
  const names: string[] = [];
  const load = merged.keys.get('load_plugins');
  if (load) {
    for (const part of load.parts) for (const item of stringItems(part.pair.value)) names.push(valueText(item));
    return names;
  }
  for (const part of merged.keys.get('plugins')?.parts ?? []) {
    const value = part.pair.value;
    if (!isSeq(value)) continue;
    for (const entry of value.items) {
      const name = isMap(entry) ? valueOf(entry, 'name') : undefined;
      if (isScalar(name) && name.value !== null) names.push(valueText(name));
    }
  }
  return names;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** The n-th load of a rules file in words (`second`, `third`, …, `11th`): both sides say a repeated load so. */
export function loadOrdinal(n: number): string {
  return ORDINALS[n - 1] ?? `${n}th`;
}

/** How many times a file is loaded by its n-th load: `twice`, `a third time`, … */
export function loadTimes(n: number): string {
  return n === 2 ? 'twice' : `a ${loadOrdinal(n)} time`;
}
