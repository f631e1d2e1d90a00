// Falco's configuration as Falco reads it: the main file merged with the files of its `config_files`, and, for a
// file of config_files being edited, the main file that includes it. Checks whose truth depends on the whole
// configuration (a plugin defined in one file and loaded in another, an output turned off by a later file) read the
// merge; diagnostics go only on the document being edited.
//
// How Falco merges, per release (userspace/falco/configuration.cpp `merge_config_files` and yaml_helper.h
// `include_config_file`):
// - 0.37 has no config_files: the file is read alone.
// - 0.38-0.40 (yaml_helper.h:100 at 0.38.0, userspace/engine/yaml_helper.h:139 at 0.40.0): config_files is a list of
//   paths (configuration.cpp:12 at 0.38.0 reads it as strings: a `{path, strategy}` item is a bad conversion and Falco
//   refuses to start); every top-level key of an included file replaces the key of the configuration so far.
// - 0.41+ (yaml_helper.h:166-202 at 0.44.0): an item is a path (strategy append) or `{path, strategy}` (path
//   required; an unknown strategy is append, configuration.h convert<config_files_config>). `append`: a list value
//   is appended item by item to the key's value (yaml-cpp push_back: onto a mapping or a text it throws BadPushback
//   and Falco refuses to start; onto nothing or an empty value it starts a list); any other value replaces it.
//   `override` replaces. `add-only` sets only keys not defined yet (a key written with an empty value is defined).
// In every release: an entry naming the main file itself refuses to start; a path that does not exist is skipped; a
// folder contributes its regular files (any extension) sorted by path; an included file with a `config_files` key
// refuses to start (yaml_helper.h:178 at 0.44.0). Only top-level keys are merged: `engine:` in a later file replaces
// the whole `engine` mapping. Falco reads the main file's config_files only, before any file is merged.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { compareVersions } from '../../knowledge/falcoVersions';
import type { ServiceHost } from '../host';
import { realSpan, scalarText, usesEnvironment, valueOf, valueText, type ConfigModel } from './model';
import { withoutTrailing } from '../text';

export type MergeStrategy = 'append' | 'override' | 'add-only';

export interface ConfigSource {
  /** The file's path (undefined for an unsaved document). */
  path?: string;
  model: ConfigModel;
  /** The document being edited (its text is the editor's, not the disk's). */
  edited: boolean;
  /** 'main', or the strategy config_files merged it with (before 0.41 every file replaces: 'override'). */
  strategy: 'main' | MergeStrategy;
  /** How messages name the file, when its path alone does not say what writes it (MergeInput.describe). */
  label?: string;
}

/** How a message names a file of the merge: its label, else its path. */
export function sourceName(source: ConfigSource, fallback = 'another configuration file'): string {
  return source.label ?? source.path ?? fallback;
}

/** One file's `key: value` of a top-level key. */
export interface Part {
  source: ConfigSource;
  pair: Pair<Scalar, Node | null>;
}

export interface Dropped {
  part: Part;
  /** The part that replaced it, or, for add-only, the part already there. */
  by: Part;
  how: 'replaced' | 'ignored';
  /** Replaced through another top-level key holding the same yaml-cpp node (`by` sets that key): its name. */
  through?: string;
}

/** A change of one key that another key of the same yaml-cpp node made (an anchor and its alias: SharedNodes). */
export interface SharedChange {
  /** The key the later file writes. */
  key: string;
  /** That file's pair. */
  part: Part;
  how: 'appended' | 'replaced';
}

export interface MergedKey {
  /** What Falco reads, in order: one part, or several when lists were appended. */
  parts: Part[];
  /** Parts a later file replaced or an add-only file could not set. */
  dropped: Dropped[];
  /** What later files did to this key through another key holding its node (SharedNodes). */
  shared?: SharedChange[];
}

/** A start refusal of the merge itself, on a node of one of the files. */
export interface MergeFailure {
  source: ConfigSource;
  node: Node;
  message: string;
  data?: Record<string, unknown>;
}

/** A config_files entry whose content Falco Lens cannot know. */
export interface UnknownInclude {
  path: string;
  /** `pod`: a path of the pod a ConfigMap's falco.yaml is mounted in, whose files Falco Lens does not have. */
  why: 'environment' | 'relative' | 'absent' | 'pod';
}

export interface MergedConfig {
  target: string;
  main: ConfigSource;
  edited: ConfigSource;
  /** The files in the order Falco reads them, main first. */
  sources: ConfigSource[];
  keys: Map<string, MergedKey>;
  failures: MergeFailure[];
  unknown: UnknownInclude[];
  /**
   * Whether the edited document is Falco's whole configuration or merged into a known one, so that checks of what
   * the whole configuration lacks (no output at all) apply: false for a config.d file whose main file is not known.
   */
  whole: boolean;
  /**
   * Whether the edited document is laid key by key over a configuration Falco Lens does not have (Helm merges the
   * chart's `falco:` values into the chart's own, mappings recursively, lists whole): a key absent from one of its
   * mappings may be set underneath, so its absence is not judged either.
   */
  overlay: boolean;
  /** Whether the files are a pod's (a ConfigMap's entries): paths are not those of this machine. */
  inPod: boolean;
  /** The files config_files merges, in Falco's order, each with the config_files item that gives it (a folder's
   *  entry gives each of its files). */
  included: { path: string; entry: Node }[];
}

/** The first release that reads config_files, and the first with merge strategies. */
export const CONFIG_FILES_SINCE = '0.38';
export const STRATEGIES_SINCE = '0.41';

/** Paths as std::filesystem::path compares them here: repeated separators are one. */
export function samePath(a: string, b: string): boolean {
  return a.replace(/\/{2,}/g, '/') === b.replace(/\/{2,}/g, '/');
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function dirname(path: string): string {
  const i = withoutTrailing(path, '/').lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One config_files entry as Falco reads it at the target release. */
export interface IncludeEntry {
  /** The path as Falco reads it, or undefined when it depends on the environment. */
  path?: string;
  strategy: MergeStrategy;
  /** The item of config_files (a scalar, or a mapping from 0.41). */
  node: Node;
  /** The node holding the path (the scalar item, or the mapping's `path` value). */
  pathNode?: Scalar;
}

/**
 * The entries of a main file's config_files at a release, and the refusals reading them: before 0.38 there are
 * none; a lone string is a one-item list (yaml_helper.h get_sequence_from_node); an empty item reads as the text
 * 'null' (yaml-cpp), a path that never exists.
 */
export function includeEntries(configFiles: Node | null | undefined, target: string, refuse?: (node: Node, message: string, data?: Record<string, unknown>) => void): IncludeEntry[] {
  if (compareVersions(target, CONFIG_FILES_SINCE) < 0 || configFiles === null || configFiles === undefined) return [];
  const items: Node[] = isSeq(configFiles) ? (configFiles.items as Node[]) : isScalar(configFiles) ? [configFiles] : [];
  const strategies = compareVersions(target, STRATEGIES_SINCE) >= 0;
  const out: IncludeEntry[] = [];
  for (const item of items) {
    if (!item) continue;
    if (isScalar(item)) {
      if (item.value === null) continue;
      out.push({ path: usesEnvironment(item) ? undefined : valueText(item), strategy: strategies ? 'append' : 'override', node: item, pathNode: item });
    } else if (isMap(item) && strategies) {
      const path = valueOf(item, 'path');
      if (!isScalar(path)) {
        refuse?.(item, path === undefined
          ? 'a config_files entry written as a mapping needs a path (yaml-cpp: bad conversion).'
          : 'the path of a config_files entry is a text (yaml-cpp: bad conversion).', { path: 'config_files[]' });
        continue;
      }
      const strategy = valueOf(item, 'strategy');
      const s = isScalar(strategy) && !usesEnvironment(strategy) ? valueText(strategy) : 'append';
      out.push({
        path: usesEnvironment(path) ? undefined : path.value === null ? 'null' : valueText(path),
        strategy: s === 'override' || s === 'add-only' ? s : 'append',
        node: item, pathNode: path,
      });
    } else if (isMap(item)) {
      const path = valueOf(item, 'path');
      refuse?.(item, `Falco ${target} reads config_files as a list of paths; an entry written as {path, strategy} came with Falco 0.41 (yaml-cpp: bad conversion).`
        + (isScalar(path) ? ` Write the path alone: Falco ${target} merges every file by replacing its top-level keys.` : ''),
        { path: 'config_files[]', ...(isScalar(path) ? { replacement: scalarText(path) } : {}) });
    } else {
      refuse?.(item, 'a config_files entry is a path or a {path, strategy} mapping, not a list (yaml-cpp: bad conversion).', { path: 'config_files[]' });
    }
  }
  return out;
}

/** A file an entry contributes. */
interface Included { path: string; entry: IncludeEntry }

/**
 * The files config_files contributes, in Falco's order: a file, or a folder's regular files sorted by path. An entry
 * naming the main file itself is a refusal (checked before existence, configuration.cpp:175 at 0.44.0); entries
 * whose file cannot be known are listed in `unknown`.
 */
function includedFiles(host: ServiceHost, entries: readonly IncludeEntry[], mainPath: string | undefined, unknown: UnknownInclude[], refuse?: (entry: IncludeEntry) => void, inPod = false): Included[] {
  const out: Included[] = [];
  for (const entry of entries) {
    const path = entry.path;
    if (path === undefined) { unknown.push({ path: entry.pathNode ? scalarText(entry.pathNode) : '', why: 'environment' }); continue; }
    if (mainPath !== undefined && samePath(path, mainPath)) { refuse?.(entry); continue; }
    if (!path.startsWith('/')) { unknown.push({ path, why: 'relative' }); continue; }
    if (host.isDirectory(path)) {
      const names = host.readDirectory(path) ?? [];
      const files = names.map((n) => joinPath(path, n)).filter((p) => !host.isDirectory(p)).sort(byteOrder);
      for (const file of files) out.push({ path: file, entry });
    } else if (host.readFile(path) !== undefined) {
      out.push({ path, entry });
    } else {
      unknown.push({ path, why: inPod ? 'pod' : 'absent' });
    }
  }
  return out;
}

export interface MergeInput {
  host: ServiceHost;
  target: string;
  /** The document being edited. */
  path?: string;
  model: ConfigModel;
  /** Parses a file's text (a cache of the service). */
  parse(text: string): ConfigModel;
  /** The document is the main configuration (Falco's -c file): no main file including it is looked for. */
  asMain?: boolean;
  /**
   * The document is laid over a configuration Falco Lens does not have (the `falco:` values of Falco's Helm chart,
   * which Helm merges key by key into the chart's own before it writes falco.yaml): what it lacks is not judged.
   */
  asOverlay?: boolean;
  /**
   * The files are a pod's (a ConfigMap's entries): `host` reads the ones Falco Lens knows, and a config_files path it
   * cannot read is the pod's, not a missing one.
   */
  inPod?: boolean;
  /**
   * What writes the file at a path, for messages (a Falco Operator Config's file of /etc/falco/config.d is named by
   * its resource and manifest): undefined to name it by its path.
   */
  describe?(path: string): string | undefined;
}

/** Whether a path is a file of a config.d folder (a file meant to be included, not a main configuration). */
function inConfigFolder(path: string | undefined): boolean {
  return !!path && /\/config\.d\/[^/]+$/.test(path);
}

/**
 * The main file that includes the edited document, when it is known: `falcoLens.falcoConfigFile`, else ../falco.yaml
 * (a config.d file's), else falco.yaml beside it; only one whose config_files actually names the file, or a folder
 * holding it, at the target release.
 */
function findMain(input: MergeInput): { path: string; model: ConfigModel; files: Included[]; entries: IncludeEntry[] } | undefined {
  const own = input.path;
  if (!own || input.asMain || input.asOverlay || compareVersions(input.target, CONFIG_FILES_SINCE) < 0) return undefined;
  const candidates = [input.host.settings().falcoConfigFile, joinPath(dirname(dirname(own)), 'falco.yaml'), joinPath(dirname(own), 'falco.yaml')];
  const tried = new Set<string>();
  for (const candidate of candidates) {
    if (!candidate || !candidate.startsWith('/') || samePath(candidate, own) || tried.has(candidate)) continue;
    tried.add(candidate);
    const text = input.host.readFile(candidate);
    if (text === undefined) continue;
    const model = input.parse(text);
    if (!model.root) continue;
    const entries = includeEntries(valueOf(model.root, 'config_files'), input.target);
    const files = includedFiles(input.host, entries, candidate, []);
    if (files.some((f) => samePath(f.path, own))) return { path: candidate, model, files, entries };
  }
  return undefined;
}

function topPairs(root: YAMLMap | undefined): Pair<Scalar, Node | null>[] {
  if (!root) return [];
  return root.items.filter((p): p is Pair<Scalar, Node | null> => isPair(p) && isScalar(p.key));
}

/** Whether yaml-cpp can append list items to the value built so far (nothing, an empty value, or a list). */
function appendable(parts: readonly Part[]): boolean {
  if (parts.length !== 1) return true; // none yet, or already a list made of several
  const value = parts[0].pair.value;
  return value === null || isSeq(value) || (isScalar(value) && value.value === null);
}

/**
 * Which top-level keys hold one node, as yaml-cpp builds the merged document (yaml_helper.h include_config_file,
 * 0.38.0-0.44.1). A key's value is a `detail::node` holding a reference to its data (`node_ref`); an alias gives the
 * anchored node itself (NodeBuilder::OnAlias), so an anchored key and its aliases hold one node. Appending a list
 * (`m_root[key].push_back(item)`) adds to the data every holder of that reference reads; replacing a key
 * (`m_root[key] = n.second`, Node::AssignNode) points its node at the new data (node::set_ref), which every key
 * holding that node reads, and a key new to the merge is a new node pointing at the included file's data (shared with
 * the file's other keys of that node). yaml-cpp at c2bec4c (the one Falco 0.44 bundles): node/impl.h AssignNode,
 * node/detail/node.h set_ref and push_back. Only top-level keys are followed (the merge writes no other).
 */
class SharedNodes {
  private readonly cellOf = new Map<string, { ref: object }>();
  private readonly refsOf = new Map<ConfigModel, Map<number, object>>();

  /** The data a file's top-level value is in its file: an alias's is its anchor's node. */
  private ref(model: ConfigModel, value: Node | null): object {
    let refs = this.refsOf.get(model);
    if (!refs) this.refsOf.set(model, refs = new Map());
    const id = nodeIdentity(model, value);
    if (id === undefined) return {};
    let ref = refs.get(id);
    if (!ref) refs.set(id, ref = {});
    return ref;
  }

  /** The main file's key: its node, one per node of the file (aliases of one anchor share it). */
  main(key: string, model: ConfigModel, value: Node | null, cells: Map<number, { ref: object }>): void {
    const id = nodeIdentity(model, value);
    let cell = id !== undefined ? cells.get(id) : undefined;
    if (!cell) { cell = { ref: this.ref(model, value) }; if (id !== undefined) cells.set(id, cell); }
    this.cellOf.set(key, cell);
  }

  /** A key new to the merge: a new node reading the included file's data. */
  added(key: string, model: ConfigModel, value: Node | null): void {
    this.cellOf.set(key, { ref: this.ref(model, value) });
  }

  /** The other keys reading the data list items are appended to through `key`. */
  readingData(key: string): string[] {
    const ref = this.cellOf.get(key)?.ref;
    return [...this.cellOf].filter(([k, c]) => k !== key && c.ref === ref).map(([k]) => k);
  }

  /** The other keys holding the node `key` replaces the data of. */
  holdingNode(key: string): string[] {
    const cell = this.cellOf.get(key);
    return [...this.cellOf].filter(([k, c]) => k !== key && c === cell).map(([k]) => k);
  }

  /** `key`'s node now reads the included file's value. */
  replaced(key: string, model: ConfigModel, value: Node | null): void {
    const cell = this.cellOf.get(key);
    if (cell) cell.ref = this.ref(model, value); else this.added(key, model, value);
  }
}

/** Where a top-level value's node is in its file: its own start, or, for a value an alias gives, its anchor's node's. */
function nodeIdentity(model: ConfigModel, value: Node | null): number | undefined {
  if (!value?.range) return undefined;
  const real = realSpan(model, [value.range[0], value.range[1]]);
  return real.whole ? real.whole.target[0] : real.span[0];
}

const KIND_WORDS = (value: Node | null): string => (isMap(value) ? 'a mapping' : isSeq(value) ? 'a list' : 'a text');

/** Falco's configuration around the edited document, merged as the target release merges it. */
export function mergeConfiguration(input: MergeInput): MergedConfig {
  const { host, target } = input;
  const failures: MergeFailure[] = [];
  const unknown: UnknownInclude[] = [];
  const labelOf = (path: string | undefined) => {
    const label = path !== undefined ? input.describe?.(path) : undefined;
    return label !== undefined ? { label } : {};
  };
  const edited: ConfigSource = { path: input.path, model: input.model, edited: true, strategy: 'main', ...labelOf(input.path) };
  const found = findMain(input);
  let main: ConfigSource;
  let files: Included[];
  if (found) {
    main = { path: found.path, model: found.model, edited: false, strategy: 'main', ...labelOf(found.path) };
    files = includedFiles(host, found.entries, found.path, unknown, undefined, input.inPod);
  } else {
    main = edited;
    const entries = includeEntries(valueOf(edited.model.root, 'config_files'), target,
      (node, message, data) => failures.push({ source: edited, node, message, data }));
    // An overlay's config_files name files of the machine Falco will run on (a pod), not of this one: not read.
    files = input.asOverlay ? [] : includedFiles(host, entries, edited.path, unknown, (entry) => failures.push({ source: edited, node: entry.node,
      message: 'config_files includes this configuration file itself ("tried to recursively include main config file").' }), input.inPod);
  }

  const keys = new Map<string, MergedKey>();
  const nodes = new SharedNodes();
  const mainCells = new Map<number, { ref: object }>();
  for (const pair of topPairs(main.model.root)) {
    const key = String(pair.key.value);
    if (keys.has(key)) continue;
    keys.set(key, { parts: [{ source: main, pair }], dropped: [] });
    nodes.main(key, main.model, pair.value, mainCells);
  }
  const sources: ConfigSource[] = [main];
  const strategies = compareVersions(target, STRATEGIES_SINCE) >= 0;
  for (const file of files) {
    let source: ConfigSource;
    if (found && samePath(file.path, edited.path!)) {
      source = edited;
      edited.strategy = file.entry.strategy;
    } else {
      const text = host.readFile(file.path);
      if (text === undefined) continue;
      source = { path: file.path, model: input.parse(text), edited: false, strategy: file.entry.strategy, ...labelOf(file.path) };
    }
    sources.push(source);
    if (source.model.doc.errors.length > 0 && !source.edited) {
      failures.push({ source: main, node: file.entry.node, message: `${file.path} is not valid YAML (${source.model.doc.errors[0].message.split('\n')[0]}).`, data: { file: file.path } });
      continue;
    }
    for (const pair of topPairs(source.model.root)) {
      const key = String(pair.key.value);
      const part: Part = { source, pair };
      if (key === 'config_files') {
        failures.push({ source, node: pair.key, message: `an included file cannot list config_files ("'config_files' directive in included config file"). Move these entries to ${sourceName(main, 'the main configuration file')}.`, data: { key } });
        // The main file is told at the entry that includes it (a copy of the main file, or the same file mounted twice).
        if (source !== edited) failures.push({ source: main, node: file.entry.node, message: `${sourceName(source)}, which this entry includes, lists config_files, and an included file cannot ("'config_files' directive in included config file").`, data: { file: file.path } });
        continue;
      }
      const current = keys.get(key);
      const strategy = strategies ? file.entry.strategy : 'override';
      if (!current) {
        keys.set(key, { parts: [part], dropped: [] });
        nodes.added(key, source.model, pair.value);
        continue;
      }
      if (strategy === 'add-only') {
        current.dropped.push({ part, by: current.parts[0], how: 'ignored' });
      } else if (strategy === 'append' && isSeq(pair.value)) {
        if (!appendable(current.parts)) {
          const onto = current.parts[0];
          failures.push({ source, node: pair.key,
            message: `${source === edited ? 'this file' : sourceName(source)} appends list items to '${key}', which ${onto.source === edited ? 'this file' : sourceName(onto.source)} sets to ${KIND_WORDS(onto.pair.value)}: yaml-cpp cannot append to it (BadPushback).`,
            data: { key } });
          if (onto.source !== source) failures.push({ source: onto.source, node: onto.pair.key,
            message: `${sourceName(source, 'a later file')} appends list items to '${key}', which this file sets to ${KIND_WORDS(onto.pair.value)}: yaml-cpp cannot append to it (BadPushback). Write it as a list.`,
            data: { key } });
          continue;
        }
        // Every key reading the data appended to gets the items (an anchored list and its aliases).
        for (const k of [key, ...nodes.readingData(key)]) {
          const entry = keys.get(k)!;
          const through = k === key ? {} : { through: key };
          // An empty value becomes the list: it is dropped, not appended to.
          if (entry.parts.length === 1 && !isSeq(entry.parts[0].pair.value)) {
            entry.dropped.push({ part: entry.parts[0], by: part, how: 'replaced', ...through });
            entry.parts = [part];
          } else {
            entry.parts.push(part);
          }
          if (k !== key) (entry.shared ??= []).push({ key, part, how: 'appended' });
        }
      } else {
        // Every key holding the node replaced reads the new value (an anchored key and its aliases).
        for (const k of [key, ...nodes.holdingNode(key)]) {
          const entry = keys.get(k)!;
          for (const old of entry.parts) entry.dropped.push({ part: old, by: part, how: 'replaced', ...(k === key ? {} : { through: key }) });
          entry.parts = [part];
          if (k !== key) (entry.shared ??= []).push({ key, part, how: 'replaced' });
        }
        nodes.replaced(key, source.model, pair.value);
      }
    }
  }
  const whole = !input.asOverlay && (main !== edited || !inConfigFolder(edited.path));
  const included = files.map((f) => ({ path: f.path, entry: f.entry.node }));
  return { target, main, edited, sources, keys, failures, unknown, whole, overlay: !!input.asOverlay, inPod: !!input.inPod, included };
}
