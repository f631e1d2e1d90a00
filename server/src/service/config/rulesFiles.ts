// Which rules files a Falco configuration loads, read as Falco 0.44 reads them (userspace/falco/configuration.cpp
// and userspace/engine/yaml_helper.h at 0.44.0):
// - `rules_files` (or the deprecated `rules_file`; both set is a start failure) of the main file;
// - then every `config_files` entry of the main file, in order: a file, or a folder whose regular files are taken
//   sorted by path (all of them, whatever their extension). An included file's top-level keys are merged by the
//   entry's strategy: `append` (the default; a list is appended, anything else replaces), `override` (replaces),
//   `add-only` (only keys the configuration does not have yet). Paths that do not exist are skipped silently.
// - each resulting rules path that exists is loaded: a folder gives its *.yaml/*.yml regular files sorted by path, a
//   file is loaded when its name ends in .yaml or .yml.
// Environment variables (`${VAR}`) are not expanded: Falco's environment is not this editor's.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ServiceHost } from '../host';
import { parseConfig, scalarText, valueOf } from './model';

/** Falco's own default when no configuration can be read (falco.yaml of 0.44.0). */
export const FALCO_DEFAULT_RULES_FILES: readonly string[] = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d'];

export type MergeStrategy = 'append' | 'override' | 'add-only';

export interface ConfigRulesFiles {
  /** The rules paths of `rules_files` after merging, in order (files and folders, as written). */
  paths: string[];
  /** The configuration files read, main first. */
  configFiles: string[];
}

/** A list of strings, or undefined when the node is not a list (a lone string is a one-item list for yaml-cpp). */
function stringList(node: Node | null | undefined): string[] | undefined {
  if (isSeq(node)) return node.items.filter(isScalar).map((s) => scalarText(s)).filter((s) => s !== '');
  if (isScalar(node) && scalarText(node) !== '') return [scalarText(node)];
  return undefined;
}

export interface IncludeEntry { path: string; strategy: MergeStrategy }

/** The `config_files` entries of a main configuration: strings (append) or {path, strategy}. */
export function includeEntries(configFiles: Node | null | undefined): IncludeEntry[] {
  if (!isSeq(configFiles)) return [];
  const out: IncludeEntry[] = [];
  for (const item of configFiles.items) {
    if (isScalar(item)) {
      const path = scalarText(item);
      if (path !== '') out.push({ path, strategy: 'append' });
    } else if (isMap(item)) {
      const path = valueOf(item, 'path');
      const strategy = valueOf(item, 'strategy');
      const s = isScalar(strategy) ? scalarText(strategy) : 'append';
      if (isScalar(path) && scalarText(path) !== '') {
        out.push({ path: scalarText(path), strategy: s === 'override' || s === 'add-only' ? s : 'append' });
      }
    }
  }
  return out;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The regular files a config_files folder contributes, sorted by path as Falco sorts them (byte order). */
function folderFiles(host: ServiceHost, dir: string): string[] {
  const names = host.readDirectory(dir) ?? [];
  return names.map((n) => joinPath(dir, n)).filter((p) => !host.isDirectory(p)).sort(byteOrder);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The rules paths of the configuration at `configPath`, or undefined when it cannot be read or parsed as a mapping.
 * Both `rules_files` and `rules_file` set makes Falco refuse to start: the first is taken, as the file is broken.
 */
export function configRulesFiles(host: ServiceHost, configPath: string): ConfigRulesFiles | undefined {
  const text = host.readFile(configPath);
  if (text === undefined) return undefined;
  const main = parseConfig(text);
  if (!main.root) return undefined;
  // The two keys are kept apart, as yaml-cpp's merge keeps them; Falco reads `rules_files`, else `rules_file`.
  const keys = new Map<string, string[] | undefined>([
    ['rules_files', stringList(valueOf(main.root, 'rules_files'))],
    ['rules_file', stringList(valueOf(main.root, 'rules_file'))],
  ]);
  const defined = new Set<string>([...keys].filter(([k]) => valueOf(main.root, k) !== undefined).map(([k]) => k));
  const configFiles = [configPath];
  for (const entry of includeEntries(valueOf(main.root, 'config_files'))) {
    if (entry.path === configPath) continue; // Falco refuses this (a start failure the config service reports).
    const files = host.isDirectory(entry.path) ? folderFiles(host, entry.path) : host.readFile(entry.path) !== undefined ? [entry.path] : [];
    for (const file of files) {
      const included = parseConfig(host.readFile(file) ?? '');
      if (!included.root) continue;
      configFiles.push(file);
      for (const key of ['rules_files', 'rules_file']) {
        const node = valueOf(included.root, key);
        if (node === undefined) continue;
        const list = stringList(node);
        if (entry.strategy === 'add-only' && defined.has(key)) continue;
        if (entry.strategy === 'append' && isSeq(node)) keys.set(key, [...(keys.get(key) ?? []), ...(list ?? [])]);
        else keys.set(key, list);
        defined.add(key);
      }
    }
  }
  const paths = defined.has('rules_files') ? keys.get('rules_files') : keys.get('rules_file');
  return { paths: paths ?? [], configFiles };
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

/** The rules files Falco loads from configured paths: folders give their *.yaml/*.yml files sorted by path. */
export function expandRulesPaths(host: ServiceHost, paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    if (host.isDirectory(path)) {
      const names = (host.readDirectory(path) ?? []).map((n) => joinPath(path, n)).filter((p) => isRulesFileName(p) && !host.isDirectory(p));
      out.push(...names.sort(byteOrder));
    } else if (isRulesFileName(path)) {
      out.push(path);
    }
  }
  return out;
}

