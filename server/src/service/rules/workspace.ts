// The rules workspace: which rules files Falco would load, in which order, and the effective rules, macros and
// lists after every file's definitions, appends and overrides are applied in that order.
//
// Load order (deterministic):
//   1. the paths of the `falcoLens.rules.files` setting, or when it is not set the `rules_files` of Falco's
//      configuration (`falcoLens.falcoConfigFile`, see config/rulesFiles.ts), in order, each folder expanded as the
//      target release (`falcoLens.falcoVersion`) expands it (config/rulesFiles.ts expandRulesPaths: its regular files
//      sorted by path; from 0.41 only names matching *.yaml or *.yml, and a file named directly too);
//   2. the rules files found in the workspace folders, ranked the way Falco installations load them:
//      falco_rules.yaml (the base every other file builds on), then the other official files (falco-incubating,
//      falco-sandbox, other falco*_rules files), then plugin and other rules files, then local tuning files
//      (*.local.yaml and files under rules.d/) last, because they append to and override everything else.
//      Within a rank files are ordered by file name, then by path (so k8s_audit_rules.yaml precedes
//      k8s_audit_rules_gke.yaml, which extends it).
// A file that appears twice (configured and inside the workspace) is loaded once, at its first place. So is a file
// the workspace reaches by several paths (file links): see files(). The configured paths are kept as Falco reads them.
// Open documents replace the disk content of their file.
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Location } from 'vscode-languageserver-types';
import type { ServiceHost } from '../host';
import { detectLanguage, LANGUAGE_RULES } from '../features';
import { URI_TO_PATH, pathToUri } from '../uri';
import { isBroadRulesFileName, rulesFileShape } from '../fileShape';
import { displayPath, revealAll } from '../displayPath';
import { configLoadedPlugins, configOutputAppends, configRulesFiles, expandRulesPaths, FALCO_DEFAULT_RULES_FILES, type OutputAppend } from '../config/rulesFiles';
import { LATEST_FALCO, newerThanTarget, REPLACED_EXCEPTIONS_NEED_FIELDS_SINCE, RULE_KEYS_SINCE, RULE_SOURCE_READ_FIRST_SINCE } from '../../knowledge/falcoVersions';
import { APPENDABLE, REPLACEABLE, isValidPriority } from './schema';
import { compAccepted } from './operators';
import { chunkKey, entryOf, entryValue, hasEntry, parseRulesFile, scalarBoolean, scalarText, type ChangedRegion, type MapEntry, type ModelItem, type ModelNode, type RulesFileModel } from './model';

/** One file of the load order. */
export interface LoadedFile {
  uri: string;
  path?: string;
  model: RulesFileModel;
  /** Position in the load order. */
  order: number;
  /** How messages name the file (fileLabels): its base name, or more of its path where another loaded file has that name. */
  label?: string;
  /** Whether the file comes from the configured paths (not from the workspace folders). */
  configured: boolean;
  /**
   * A document that is neither configured nor found in the workspace (opened from elsewhere, or named unlike rules
   * files): checked as if loaded after every other file, though nothing loads it.
   */
  outside?: true;
  /** For a file written inside another document (a Helm chart's customRules): where one of its lines is there now. */
  hostLine?: HostLine;
  /** For a configured file: the configured rules path (the file, or its folder) that names it here. */
  entry?: string;
  /** Where Falco's configuration (falco.yaml or a file of its config_files) writes `entry`, when it comes from one. */
  entryAt?: Location;
  /**
   * For a configured path that loads a file an earlier configured path of this load loads already (the same path
   * named again, or another path of the file: a file link), the URI that earlier load has. Falco loads it again
   * (FileEntry), so definitions and diagnostics keep both loads; navigation, symbols and hovers read one text and
   * name each place in it once.
   */
  sameAs?: string;
}

/** The document holding an embedded file and the line there of one of its lines (0-based). */
export type HostLine = (line: number) => { uri: string; line: number } | undefined;

function baseName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** The name messages give a loaded file (LoadedFile.label, else its base name). */
export function fileLabel(file: LoadedFile): string {
  return file.label ?? baseName(file.path ?? file.uri);
}

/**
 * How messages name each of `files` (a load order): its base name, unless another file of the list has the same
 * (`falco_rules.yaml` of two folders); then the shortest end of its path relative to the workspace folder holding it
 * (displayPath: prefixed by the folder's name in a workspace of several) that no other such file's path ends with,
 * written `…/a/falco_rules.yaml` where it is cut, and a file outside every folder by its whole path. A file written
 * inside another document (a URI with a fragment, named by its key) keeps the name after its last '/', and is no
 * other file's namesake. Invisible and reordering characters are revealed (displayPath.ts revealAll).
 */
export function fileLabels(files: readonly { uri: string; path?: string; file?: string }[], folders: readonly string[]): string[] {
  const names = files.map((f) => f.path ?? f.uri);
  const bases = names.map(baseName);
  // By base name, each file's paths by the file (`file`: several paths of one file are no namesakes).
  const byBase = new Map<string, Map<string, string>>();
  files.forEach((f, i) => {
    if (f.uri.includes('#')) return;
    const same = byBase.get(bases[i]) ?? new Map<string, string>();
    byBase.set(bases[i], same);
    if (!same.has(f.file ?? names[i])) same.set(f.file ?? names[i], names[i]);
  });
  return files.map((f, i) => {
    const namesakes = f.uri.includes('#') ? undefined : byBase.get(bases[i]);
    if (!namesakes || namesakes.size < 2) return revealAll(bases[i]);
    const whole = displayPath(names[i], folders);
    if (whole.startsWith('/') || /^[A-Za-z]:/.test(whole)) return whole;
    const parts = whole.split('/');
    const others = [...namesakes].filter(([file]) => file !== (f.file ?? names[i])).map(([, n]) => displayPath(n, folders).split('/'));
    for (let k = 2; k < parts.length; k++) {
      const end = parts.slice(-k);
      if (!others.some((o) => o.length >= k && o.slice(-k).every((x, j) => x === end[j]))) return `…/${end.join('/')}`;
    }
    return whole;
  });
}

/**
 * Where a place of `target` is, said in a message about `from`: `line 9`, `line 9 of other.yaml`. A line of a file
 * written inside another document is the line of that document (`line 42`, or `line 42 of values.yaml`), with the
 * embedded file's name when it is not `from` itself: the user reads the host, where the embedded file's own line
 * numbers mean nothing.
 */
export function lineText(target: LoadedFile, offset: number, from: LoadedFile): string {
  const line = target.model.lines.positionAt(offset).line;
  const host = target.hostLine?.(line);
  if (!host) return target === from ? `line ${line + 1}` : `line ${line + 1} of ${fileLabel(target)}`;
  if (target === from) return `line ${host.line + 1}`;
  const sameHost = from.hostLine?.(0)?.uri === host.uri;
  return sameHost ? `line ${host.line + 1} (${baseName(target.uri)})` : `line ${host.line + 1} of ${baseName(host.uri)} (${baseName(target.uri)})`;
}

export type DefinitionKind = 'rule' | 'macro' | 'list';

/** One item that contributed to a definition: its first definition, an append, a replace or a redefinition. */
export interface Contribution {
  file: LoadedFile;
  item: ModelItem;
  mode: 'define' | 'redefine' | 'override' | 'append-legacy' | 'enable-legacy';
}

export interface MacroDef { kind: 'macro'; name: string; condition: string; contributions: Contribution[] }
export interface ListDef { kind: 'list'; name: string; items: readonly string[]; contributions: Contribution[] }
export interface RuleDef {
  kind: 'rule';
  name: string;
  source: string;
  desc?: string;
  output?: string;
  condition?: string;
  priority?: string;
  tags: string[];
  enabled: boolean;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  /**
   * The items whose `exceptions` make up the rule's, in order (from the last that replaced them): ruleExceptions reads
   * their nodes when asked, so loading reads no node of an item an edit only moved.
   */
  exceptionItems: readonly ModelItem[];
  contributions: Contribution[];
}

/** Exception entries (model nodes) of every contribution of the rule, in order. */
export function ruleExceptions(rule: RuleDef): ModelNode[] {
  return exceptionsAlong(rule, exceptionsOf, exceptionsByRule);
}

/**
 * ruleExceptions as the items' values (model.ts itemValues): for what the exceptions say (the text Falco compiles,
 * their fields and comps), without making the nodes of items an edit moved; never for their spans.
 */
export function ruleExceptionValues(rule: RuleDef): ModelNode[] {
  return exceptionsAlong(rule, exceptionValuesOf, exceptionValuesByRule);
}

const exceptionsByRule = new WeakMap<RuleDef, ModelNode[]>();
const exceptionValuesByRule = new WeakMap<RuleDef, ModelNode[]>();
const NO_NODES: ModelNode[] = [];

/** The exceptions `read` gives of each of the rule's items, in order (one array kept per rule with several). */
function exceptionsAlong(rule: RuleDef, read: (item: ModelItem) => ModelNode[], memo: WeakMap<RuleDef, ModelNode[]>): ModelNode[] {
  const items = rule.exceptionItems;
  if (items.length <= 1) return items.length === 0 ? NO_NODES : read(items[0]);
  let out = memo.get(rule);
  if (!out) memo.set(rule, (out = items.flatMap(read)));
  return out;
}

function exceptionValuesOf(item: ModelItem): ModelNode[] {
  const v = entryValue(item, 'exceptions');
  return v?.kind === 'seq' ? v.items : [];
}

export type Definition = MacroDef | ListDef | RuleDef;

/**
 * Falco numbers every item it loads, files in load order and items in file order (rule_loader_collector.cpp,
 * m_cur_index); this number orders contributions the same way.
 */
export function loadPosition(c: Contribution): number {
  return c.file.order * 0x100000 + c.item.index;
}

/** A list with what Falco's collector keeps of its order. */
export type OrderedList = { readonly items: readonly string[]; readonly contributions: readonly Contribution[] };

/**
 * A list's index in Falco's collector: where it was first defined (a redefinition takes the list's place and keeps
 * its index, rule_loader_collector.cpp define_info).
 */
export function listIndex(list: OrderedList): number {
  return loadPosition(list.contributions[0]);
}

/** A list's visibility: its last definition or append (the lists it may expand are those with a smaller index). */
export function listVisibility(list: OrderedList): number {
  return loadPosition(list.contributions[list.contributions.length - 1]);
}

/** Whether a list's contribution replaces its items: a definition, a redefinition, or an override replacing items. */
function replacesItems(c: Contribution): boolean {
  if (c.mode === 'define' || c.mode === 'redefine') return true;
  if (c.mode !== 'override') return false;
  const o = entryOf(c.item, 'override')?.value;
  return o?.kind === 'map' && scalarText(o.entries.find((e) => e.key === 'items')?.value) === 'replace';
}

/**
 * Whether the item `name` of the list item `item` is the list of that name as Falco compiles the lists
 * (compile_list_infos, rule_loader_compiler.cpp 0.37.0:340-375, 0.44.0:298-324) in one of its compiles: Falco compiles
 * every list again after each file (falco_engine.cpp load_rules), and in a compile the item counts when it is among
 * the items the list holds then (its definition or a change after the last one replacing the items) and the named
 * list's index is below the list's visibility (defined before the list's last definition or append so far); otherwise
 * Falco keeps the word.
 */
export function listItemNamesList(load: LoadResult, item: ModelItem, name: string): boolean {
  if (item.kind !== 'list' || item.name === undefined) return false;
  for (const defs of load.after) {
    const list = defs.lists.get(item.name);
    const ref = defs.lists.get(name);
    if (!list || !ref) continue;
    const changes = list.contributions;
    let from = 0;
    for (let i = changes.length - 1; i >= 0; i--) if (replacesItems(changes[i])) { from = i; break; }
    let holds = false;
    for (let i = from; i < changes.length; i++) if (changes[i].item === item) holds = true;
    if (holds && listIndex(ref) < listVisibility(list)) return true;
  }
  return false;
}

/**
 * The items Falco pastes in place of the list `list` written in a condition, as Falco 0.44 computes them:
 * 1. compiling the lists (rule_loader_compiler.cpp compile_list_infos), an item that names a list whose index is
 *    below the list's visibility is replaced by that list's own items as written (one level: their items that name
 *    lists stay words); any other item stays a word;
 * 2. in a condition (parse_condition, resolve_list), the lists are substituted in the text one after the other in
 *    index order, so a word pasted from a list is replaced again only by a list that comes later in that order.
 * The recursion ends: each step goes to a list of a greater index. `looked` is told every list looked up by name.
 */
export function listItemsInCondition(list: OrderedList, lists: ReadonlyMap<string, OrderedList>, looked?: (name: string, found: OrderedList | undefined) => void): string[] {
  const out: string[] = [];
  pasteList(list, lists, out, looked);
  return out;
}

/** The names of the lists Falco substitutes in a condition after pasting `list` (step 2 above), with repeats. */
export function listsPastedAfter(list: OrderedList, lists: ReadonlyMap<string, OrderedList>): string[] {
  const names: string[] = [];
  pasteList(list, lists, [], undefined, names);
  return names;
}

function pasteList(list: OrderedList, lists: ReadonlyMap<string, OrderedList>, out: string[], looked?: (name: string, found: OrderedList | undefined) => void, pasted?: string[]): void {
  const index = listIndex(list);
  for (const item of compiledListItems(list, lists, looked)) {
    const later = lists.get(item);
    looked?.(item, later);
    if (later && listIndex(later) > index) {
      pasted?.push(item);
      pasteList(later, lists, out, looked, pasted);
    } else out.push(item);
  }
}

/** The items of a compiled list (step 1 above). */
export function compiledListItems(list: OrderedList, lists: ReadonlyMap<string, OrderedList>, looked?: (name: string, found: OrderedList | undefined) => void): readonly string[] {
  const visibility = listVisibility(list);
  let out: string[] | undefined;
  for (let i = 0; i < list.items.length; i++) {
    const item = list.items[i];
    const ref = lists.get(item);
    looked?.(item, ref);
    const expand = ref !== undefined && listIndex(ref) < visibility;
    // Most lists name no other list: their items are returned as they are.
    if (expand && !out) out = list.items.slice(0, i);
    // A loop, not push(...): a list of 150,000 items overflowed the stack with its arguments.
    if (expand) for (const x of ref!.items) out!.push(x);
    else out?.push(item);
  }
  return out ?? list.items;
}

/** What the loader concluded about one item (reported as diagnostics on that item). */
export interface LoadFinding {
  code: 'no-previous-definition' | 'redefinition' | 'source-mismatch';
  item: ModelItem;
  /** For a redefinition: the earlier item in the same file. */
  previous?: Contribution;
}

export interface Definitions {
  macros: Map<string, MacroDef>;
  lists: Map<string, ListDef>;
  rules: Map<string, RuleDef>;
}

export interface LoadResult {
  files: LoadedFile[];
  /** Definitions after all files. */
  final: Definitions;
  /** Definitions after each file (index = load order), for validating a file against what precedes it. */
  after: Definitions[];
  findings: Map<ModelItem, LoadFinding[]>;
  /** The target release the overrides were read for (applyDefinitions), when not the latest. */
  target?: string;
}

const RULES_FILE_EXTENSION = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);
const MAX_WALK_FILES = 5000;
/** The other YAML files the walk lists (see otherYamlFiles): paths only, none is read here. */
const MAX_WALK_YAML_FILES = 20000;

/** Rank of a workspace file in the load order (see the header comment). */
export function loadRank(path: string): number {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/\.local\.ya?ml$/.test(base) || /\/rules\.d\//.test(p)) return 3;
  if (base === 'falco_rules.yaml') return 0;
  if (/^falco[-_].*rules\.ya?ml$/.test(base)) return 1;
  return 2;
}

export function compareLoadOrder(a: string, b: string): number {
  const ra = loadRank(a);
  const rb = loadRank(b);
  if (ra !== rb) return ra - rb;
  const ba = a.slice(a.replace(/\\/g, '/').lastIndexOf('/') + 1);
  const bb = b.slice(b.replace(/\\/g, '/').lastIndexOf('/') + 1);
  if (ba !== bb) return ba < bb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : `${dir}/${name}`;
}

interface CachedFile { text: string; model: RulesFileModel }

/**
 * One file of the load order. `aliases`: the other URIs of the same file (by its real path, file links) that the
 * workspace or the editor reach it by; the file loads once, under the name `member` picks.
 */
interface FileEntry { uri: string; path?: string; configured: boolean; aliases?: string[]; entry?: string; entryAt?: Location; sameAs?: FileEntry }

export class RulesWorkspaceIndex {
  /** Text of open documents, by URI; overrides the disk. */
  private readonly open = new Map<string, { text: string; version: number }>();
  /** Parsed files by URI; re-parsed only when their text changes. */
  private readonly parsed = new Map<string, CachedFile>();
  private fileList: FileEntry[] | undefined;
  /** The workspace's other YAML files, found by the walk that finds its rules files (see otherYamlFiles). */
  private yamlList: readonly string[] = [];
  /** The last load of the files as they are, and the last with a hypothetical file added (kept apart, so that
   * checking a snippet does not make the next ordinary load recompute everything). */
  private readonly loadCache: { main?: LoadResult; hypothetical?: LoadResult } = {};

  /** Disk contents read so far (cleared when files change on disk). */
  private readonly diskText = new Map<string, string | undefined>();

  constructor(private readonly host: ServiceHost) {}

  /**
   * Where each open document's text differs from the text it was last parsed from (`base`), kept while every change
   * since is an incremental one; `current` is the text it leads to.
   */
  private readonly changedSinceParse = new Map<string, { base: string; current: string; region: ChangedRegion }>();

  didOpenOrChange(doc: TextDocument, changes?: readonly TextDocumentContentChangeEvent[]): void {
    const before = this.open.get(doc.uri)?.text;
    const text = doc.getText();
    this.trackChange(doc, before, text, changes);
    this.open.set(doc.uri, { text, version: doc.version });
    const path = URI_TO_PATH(doc.uri);
    // A new rules file opened from outside the known list joins the load order.
    if (this.fileList && !this.fileList.some((f) => f.uri === doc.uri || f.aliases?.includes(doc.uri)) && path && detectLanguage(path, '') === LANGUAGE_RULES) this.fileList = undefined;
  }

  didClose(uri: string): void {
    this.open.delete(uri);
    this.changedSinceParse.delete(uri);
    // Another tool's file that the editor had open as a rules file (the user's choice) is no longer loaded once closed.
    const path = URI_TO_PATH(uri);
    if (path && this.fileList?.some((f) => !f.configured && f.path === path) && this.isOtherToolsFile(path)) this.fileList = undefined;
  }

  /**
   * Widens the document's changed region by one change event: the lines before the first changed line and after the
   * line where the replaced range ended are unchanged. Several events or a whole-text replacement forget the region.
   */
  private trackChange(doc: TextDocument, before: string | undefined, text: string, changes: readonly TextDocumentContentChangeEvent[] | undefined): void {
    const change = changes?.length === 1 ? changes[0] : undefined;
    const range = change && 'range' in change ? (change as { range: { start: { line: number }; end: { line: number } } }).range : undefined;
    if (before === undefined || !range) { this.changedSinceParse.delete(doc.uri); return; }
    // The start line begins at the same offset in both texts; one character less, because a line break typed after
    // a lone CR joins it (CR LF), which moves that line's start. The end: from that line's start, past as many line
    // breaks as the range spans lines, plus one, in the text before, i.e. past the range's last line (counting LF
    // only finds the end at or after the LSP line's: never too early). Counting from the prefix instead found the
    // line break before the start line first, and left the range's last line out of the region.
    const lineStart = Math.min(doc.offsetAt({ line: range.start.line, character: 0 }), before.length);
    const prefix = Math.max(0, lineStart - 1);
    let end = lineStart;
    for (let n = range.end.line - range.start.line; n >= 0 && end < before.length; n--) {
      const lf = before.indexOf('\n', end);
      end = lf < 0 ? before.length : lf + 1;
    }
    const suffix = Math.max(0, before.length - Math.max(end, prefix));
    const known = this.changedSinceParse.get(doc.uri);
    if (known && known.current === before) {
      known.current = text;
      known.region = { prefix: Math.min(known.region.prefix, prefix), suffix: Math.min(known.region.suffix, suffix) };
    } else {
      this.changedSinceParse.set(doc.uri, { base: before, current: text, region: { prefix, suffix } });
    }
  }

  private appendsCache: { files: FileEntry[]; key: string; appends: readonly OutputAppend[] } | undefined;

  /**
   * What falco.yaml's `append_output` adds to the rules' outputs at the target release (configOutputAppends), read
   * from the configuration `falcoLens.falcoConfigFile` names; read again when the rules files are listed again (a
   * configuration saved, files changed on disk).
   */
  /** The plugins the configuration `falcoLens.falcoConfigFile` names loads (configLoadedPlugins), undefined without one. */
  loadedPlugins(): readonly string[] | undefined {
    const settings = this.host.settings();
    return settings.falcoConfigFile ? configLoadedPlugins(this.host, settings.falcoConfigFile, settings.falcoVersion ?? LATEST_FALCO) : undefined;
  }

  outputAppends(): readonly OutputAppend[] {
    const settings = this.host.settings();
    const files = this.files();
    const key = `${settings.falcoConfigFile}\u0000${settings.falcoVersion}`;
    if (this.appendsCache?.files === files && this.appendsCache.key === key) return this.appendsCache.appends;
    const appends = settings.falcoConfigFile ? configOutputAppends(this.host, settings.falcoConfigFile, settings.falcoVersion ?? LATEST_FALCO) : [];
    this.appendsCache = { files, key, appends };
    return appends;
  }

  /** The text of a document open in the editor (it overrides the disk), or undefined when it is not open. */
  openText(uri: string): string | undefined {
    return this.open.get(uri)?.text;
  }

  didChangeWatchedFiles(_uris: string[]): void {
    this.diskText.clear();
    this.fileList = undefined;
  }

  /** The model of a document's text (cached by URI and text). */
  modelOf(uri: string, text: string): RulesFileModel {
    const cached = this.parsed.get(uri);
    if (cached && cached.text === text) return cached.model;
    const changed = this.changedSinceParse.get(uri);
    const region = changed && cached && changed.current === text && changed.base === cached.text ? changed.region : undefined;
    const model = parseRulesFile(uri, text, cached?.model, region);
    this.parsed.set(uri, { text, model });
    // Later changes are counted from this text.
    if (changed?.current === text) this.changedSinceParse.delete(uri);
    return model;
  }

  private readDisk(path: string): string | undefined {
    if (!this.diskText.has(path)) this.diskText.set(path, this.host.readFile(path));
    return this.diskText.get(path);
  }

  private textOf(uri: string, path: string | undefined): string | undefined {
    const open = this.open.get(uri);
    if (open) return open.text;
    return path ? this.readDisk(path) : undefined;
  }

  /**
   * The rules files in load order (configured paths, then workspace files).
   *
   * One file reached by several paths (file links: `rules.d/x.yaml -> ../shared/x.yaml`, or a workspace file that is
   * a link to a configured one) is one entry, with the other paths' URIs as `aliases`: loaded once per path, every
   * definition in it was a duplicate of itself, and the second copy moved its appends after the files between the
   * two places. The configured paths are the exception: Falco loads each path its rules_files (or -r) expands to,
   * one after the other, a file named twice twice (load_rules_files.cpp:45-49 collects every path into the list
   * m_loaded_rules_filenames, configuration.cpp:701-742 read_rules_file_directory appends without looking for
   * repeats, load_rules_files.cpp:64 loads each), so two configured paths of one file stay two entries, and so does
   * one path named twice (twice in the list, or a folder and a file in it both listed): the later entry has `sameAs`,
   * the entry it loads again (0.37.0-0.44.1 alike; the loaded list is a std::list, rc a map the second read of a name
   * finds again; a folder's link to a file is read as the file, is_regular_file following links at
   * configuration.cpp:718 at 0.44.0).
   * Which path names the file is member's choice at each load.
   */
  files(): FileEntry[] {
    if (this.fileList) return this.fileList;
    const seen = new Set<string>();
    const byRealPath = new Map<string, FileEntry>();
    const list: FileEntry[] = [];
    const add = (uri: string, path: string | undefined, configured: boolean, entry?: { path: string; at?: Location }) => {
      const named = entry ? { entry: entry.path, ...(entry.at ? { entryAt: entry.at } : {}) } : {};
      if (seen.has(uri)) {
        if (configured) list.push({ uri, path, configured, ...named, sameAs: list.find((f) => f.uri === uri) });
        return;
      }
      seen.add(uri);
      const real = path === undefined ? undefined : this.host.realPath?.(path) ?? path;
      const known = real === undefined ? undefined : byRealPath.get(real);
      if (known && !configured) { (known.aliases ??= []).push(uri); return; }
      const file: FileEntry = { uri, path, configured, ...named, ...(known ? { sameAs: known } : {}) };
      if (real !== undefined && !known) byRealPath.set(real, file);
      list.push(file);
    };
    // Folders are expanded and names filtered as the target release does (expandRulesPaths); a path that cannot be
    // read and is not open is left out (Falco would refuse to start: the configuration service says so).
    // A host's settings may lack the target (the rules checks read the latest release then, as here).
    for (const entry of configuredRulesEntries(this.host)) {
      for (const path of expandRulesPaths(this.host, [entry.path], this.host.settings().falcoVersion ?? LATEST_FALCO)) {
        if (this.readDisk(path) !== undefined || this.open.has(pathToUri(path))) add(pathToUri(path), path, true, entry);
      }
    }
    const found: string[] = [];
    const yaml: string[] = [];
    const walked = new Set<string>();
    for (const folder of this.host.workspaceFolders()) this.walk(folder, found, 0, yaml, walked);
    this.yamlList = yaml;
    found.sort(compareLoadOrder);
    for (const path of found) add(pathToUri(path), path, false);
    // Open rules documents outside every folder (an untitled buffer, a file opened alone) load last, unless they are
    // another path of a file listed already.
    for (const uri of [...this.open.keys()].sort()) {
      if (seen.has(uri)) continue;
      const path = URI_TO_PATH(uri);
      if (path && detectLanguage(path, '') !== LANGUAGE_RULES) continue;
      add(uri, path, false);
    }
    this.fileList = list;
    return list;
  }

  /**
   * The URI a file reached by several paths is loaded under: the document being validated when it is one of them
   * (its diagnostics are computed from its own text, at the file's place); else the path the editor has open (its
   * unsaved text is what the user sees, and definitions, references and edits then name the document in front of
   * them), the first in load order among several; else the first in Falco's order. The place in the load order is
   * the first path's whichever name wins: opening another link to the file must not change what loads before it.
   */
  private member(f: FileEntry, validating?: string): { uri: string; path?: string } {
    if (!f.aliases) return f;
    const named = (uri: string) => ({ uri, path: uri === f.uri ? f.path : URI_TO_PATH(uri) });
    if (validating !== undefined && (validating === f.uri || f.aliases.includes(validating))) return named(validating);
    if (this.open.has(f.uri)) return f;
    return named(f.aliases.find((uri) => this.open.has(uri)) ?? f.uri);
  }

  /**
   * The YAML files of the workspace folders that are neither rules nor configuration files by their names (Helm
   * values, manifests: where rules files may be embedded), with other tools' files named like rules files
   * (isOtherToolsFile), in walk order, at most MAX_WALK_YAML_FILES; listed by the walk that finds the rules files, none
   * of them read but those named like rules files. The same array until the workspace's files change.
   */
  otherYamlFiles(): readonly string[] {
    this.files();
    return this.yamlList;
  }

  /**
   * Lists the rules files and other YAML files under `dir`. Links are followed, but a folder already walked (by its
   * real path, when the host can tell it: `realPath`) is not walked again, so a link back to a parent (`a/loop -> ..`)
   * or a second link to a folder lists each file once, under the path met first (a file listed under several paths
   * was loaded once per path: every definition in it a duplicate of itself).
   */
  private walk(dir: string, out: string[], depth: number, yaml: string[], walked: Set<string>): void {
    if (depth > 12 || out.length >= MAX_WALK_FILES) return;
    const real = this.host.realPath?.(dir) ?? dir;
    if (walked.has(real)) return;
    walked.add(real);
    const names = this.host.readDirectory(dir);
    if (!names) return;
    for (const name of [...names].sort()) {
      if (out.length >= MAX_WALK_FILES) return;
      const path = joinPath(dir, name);
      if (this.host.isDirectory(path)) {
        if (!SKIPPED_DIRECTORIES.has(name) && !name.startsWith('.')) this.walk(path, out, depth + 1, yaml, walked);
      } else if (RULES_FILE_EXTENSION.test(name)) {
        const language = detectLanguage(path, '');
        if (language === LANGUAGE_RULES && !this.isOtherToolsFile(path)) out.push(path);
        else if ((language === undefined || language === LANGUAGE_RULES) && /\.ya?ml$/.test(name) && yaml.length < MAX_WALK_YAML_FILES) yaml.push(path);
      }
    }
  }

  /**
   * Whether a file the walk finds is another tool's, named like a rules file by a broad pattern only (`*_rules.yaml`,
   * `rules.d/*.yaml`: Prometheus alerting rules, Falco Talon's rules), by the test the editor opens it as plain YAML by
   * and `falco-lens check` skips it by (fileShape.ts isOtherToolsRulesFile), on the disk's text: it is not loaded (its
   * parse and model cost memory and time, and nothing in it is Falco's), and is listed with the other YAML files, as
   * the editor has it. Open in the editor as a rules file (the user picked Falco Rules for it), it is loaded. A path
   * Falco's configuration names is loaded whatever it holds (configured entries are not walked).
   */
  private isOtherToolsFile(path: string): boolean {
    if (!isBroadRulesFileName(path) || this.open.has(pathToUri(path))) return false;
    const text = this.readDisk(path);
    return text !== undefined && rulesFileShape(text) === 'foreign';
  }

  /**
   * Loads every file in order. `replace` gives the text of one file: in its place when the file is part of the load
   * order (a document being validated), or after every other file (`last`, or a file outside the order).
   */
  load(replace?: { uri: string; text: string; last?: boolean }): LoadResult {
    const entries = this.files();
    const read: { f: FileEntry; uri: string; path?: string; text: string; file: string }[] = [];
    let placed = false;
    let listed = false;
    for (const f of entries) {
      const { uri, path } = this.member(f, replace?.uri);
      let text: string | undefined;
      if (replace && uri === replace.uri) {
        listed = true;
        if (replace.last) continue;
        text = replace.text;
        placed = true;
      } else text = this.textOf(uri, path);
      if (text === undefined) continue;
      read.push({ f, uri, path, text, file: (f.sameAs ?? f).uri });
    }
    const extra = replace && !placed ? { uri: replace.uri, path: URI_TO_PATH(replace.uri) } : undefined;
    const labels = fileLabels(extra ? [...read, extra] : read, this.host.workspaceFolders());
    const files: LoadedFile[] = [];
    const loaded = new Map<FileEntry, LoadedFile>();
    for (const { f, uri, path, text } of read) files.push(this.entryFile(f, uri, path, text, files.length, loaded, labels[files.length]));
    if (replace && extra) {
      // A hypothetical text must not evict the cached model of the real document.
      const model = this.open.get(replace.uri)?.text === replace.text || !this.open.has(replace.uri) ? this.modelOf(replace.uri, replace.text) : parseRulesFile(replace.uri, replace.text);
      files.push({ uri: replace.uri, path: extra.path, model, order: files.length, configured: false, label: labels[files.length], ...(listed ? {} : { outside: true as const }) });
    }
    // Models are immutable per text, so the list of model identities decides whether the last result still holds.
    const slot = replace && (replace.last || !placed) ? 'hypothetical' : 'main';
    const cached = this.loadCache[slot];
    const target = this.host.settings().falcoVersion ?? LATEST_FALCO;
    if (cached && sameModels(cached.files, files) && sameTarget(cached, target)) return cached;
    const result = applyDefinitions(files, cached, target);
    this.loadCache[slot] = result;
    return result;
  }

  /** The last load of each set of embedded files (loadWithEmbedded), by set. */
  private readonly embeddedLoads = new Map<string, LoadResult>();

  /**
   * Loads every file in order, then `embedded` files after them in the order given: rules files written inside
   * another document (a Helm chart's customRules, mounted in /etc/falco/rules.d, which Falco's default rules_files
   * reads last). Each set is a deployment of its own, so it is loaded and cached apart from the others (`set`), and
   * its files are never seen by the workspace's own load.
   */
  loadWithEmbedded(set: string, embedded: readonly { uri: string; path?: string; text: string; hostLine?: HostLine }[]): LoadResult {
    const read: { f: FileEntry; uri: string; path?: string; text: string; file: string }[] = [];
    for (const f of this.files()) {
      const { uri, path } = this.member(f);
      const text = this.textOf(uri, path);
      if (text !== undefined) read.push({ f, uri, path, text, file: (f.sameAs ?? f).uri });
    }
    // Named among the workspace's files (an embedded file is named by its key, fileLabels).
    const labels = fileLabels(read, this.host.workspaceFolders());
    const files: LoadedFile[] = [];
    const loaded = new Map<FileEntry, LoadedFile>();
    for (const { f, uri, path, text } of read) files.push(this.entryFile(f, uri, path, text, files.length, loaded, labels[files.length]));
    for (const e of embedded) files.push(this.loadedFile(e.uri, e.path, this.modelOf(e.uri, e.text), files.length, false, e.hostLine));
    const cached = this.embeddedLoads.get(set);
    const target = this.host.settings().falcoVersion ?? LATEST_FALCO;
    if (cached && sameModels(cached.files, files) && sameTarget(cached, target)) return cached;
    // The workspace's own load shares every file but the embedded ones: definitions are re-applied from there on.
    const result = applyDefinitions(files, cached ?? this.loadCache.main, target);
    this.embeddedLoads.set(set, result);
    return result;
  }

  /** Drops what was kept for a set of embedded files (its document was closed or no longer holds them). */
  forgetEmbedded(set: string, uris: readonly string[]): void {
    this.embeddedLoads.delete(set);
    for (const uri of uris) { this.parsed.delete(uri); this.loadedFiles.delete(uri); }
  }

  /** The files of the last loads, so that an unchanged file keeps its LoadedFile (definitions point at it). */
  private readonly loadedFiles = new Map<string, LoadedFile>();

  /**
   * The LoadedFile of a load order entry, named `uri` (member's choice). A configured entry loading a file again
   * (FileEntry.sameAs) names the URI that file's earlier entry was loaded under in this load (`loaded`), when it was.
   */
  private entryFile(f: FileEntry, uri: string, path: string | undefined, text: string, order: number, loaded: Map<FileEntry, LoadedFile>, label: string): LoadedFile {
    const sameAs = f.sameAs && loaded.get(f.sameAs)?.uri;
    const file = this.loadedFile(uri, path, this.modelOf(uri, text), order, f.configured, undefined, f, sameAs, label);
    loaded.set(f, file);
    return file;
  }

  private loadedFile(uri: string, path: string | undefined, model: RulesFileModel, order: number, configured: boolean, hostLine?: HostLine, named?: { entry?: string; entryAt?: Location }, sameAs?: string, label?: string): LoadedFile {
    // The same path loaded again (LoadedFile.sameAs) is kept apart from its first load, by its place.
    const key = sameAs === uri ? `${uri}#${order}` : uri;
    const known = this.loadedFiles.get(key);
    const { entry, entryAt } = named ?? {};
    if (known && known.model === model && known.order === order && known.configured === configured && known.path === path && known.hostLine === hostLine && known.entry === entry
      && sameLocation(known.entryAt, entryAt) && known.sameAs === sameAs && known.label === label) return known;
    const file: LoadedFile = {
      uri, path, model, order, configured, ...(hostLine ? { hostLine } : {}), ...(entry === undefined ? {} : { entry }), ...(entryAt ? { entryAt } : {}),
      ...(sameAs === undefined ? {} : { sameAs }), ...(label === undefined ? {} : { label }),
    };
    this.loadedFiles.set(key, file);
    return file;
  }

  /** The loaded file of a document (its open text), or undefined when it is not a rules file of the load order. */
  fileOf(result: LoadResult, uri: string): LoadedFile | undefined {
    return result.files.find((f) => f.uri === uri);
  }
}

function sameLocation(a: Location | undefined, b: Location | undefined): boolean {
  if (!a || !b) return a === b;
  const r = a.range;
  const q = b.range;
  return a.uri === b.uri && r.start.line === q.start.line && r.start.character === q.start.character && r.end.line === q.end.line && r.end.character === q.end.character;
}

/**
 * Whether a load of these files gives the cached result: the same models, and each file named and placed the same.
 * The result's definitions and findings hold its LoadedFiles, whose label (fileLabels: namesakes, the workspace
 * folders), configured entry and its place in falco.yaml (entry, entryAt: the loaded-again findings point there),
 * configured flag and path messages and hovers read: a change of any of them while the texts stay is a new result.
 * loadedFile keeps a file's LoadedFile while all of them are equal, so identity decides but for the document loaded
 * last (a new object each load), compared field by field.
 */
function sameModels(a: LoadedFile[], b: LoadedFile[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameLoadedFile(a[i], b[i])) return false;
  return true;
}

function sameLoadedFile(a: LoadedFile, b: LoadedFile): boolean {
  // A file outside the loaded set (LoadedFile.outside) is said so by hovers: the same models with another set differ.
  return a.model === b.model && a.outside === b.outside && a.uri === b.uri && a.path === b.path && a.order === b.order && a.label === b.label
    && a.configured === b.configured && a.entry === b.entry && sameLocation(a.entryAt, b.entryAt) && a.sameAs === b.sameAs && a.hostLine === b.hostLine;
}

// ---------------------------------------------------------------------------------------------------------------
// Applying definitions, appends and overrides in load order

/** The operations of an `override:` value by key (as overridesOf, without the entries). */
function overrideOps(o: ModelNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (o?.kind === 'map') {
    for (const e of o.entries) {
      const op = scalarText(e.value);
      if (op !== undefined) out.set(e.key, op);
    }
  }
  return out;
}

/** The `override:` mapping of an item: key → operation (only well-formed entries). */
export function overridesOf(item: ModelItem): Map<string, { op: string; entry: MapEntry }> {
  const out = new Map<string, { op: string; entry: MapEntry }>();
  const o = entryOf(item, 'override')?.value;
  if (o?.kind !== 'map') return out;
  for (const e of o.entries) {
    const op = scalarText(e.value);
    if (op !== undefined) out.set(e.key, { op, entry: e });
  }
  return out;
}

/**
 * Whether a macro or list item with `override:` defines its name (or redefines it in place) instead of changing an
 * earlier definition. Falco's reader (rule_loader_reader.cpp at 0.44.0, the list and macro branches of read_item)
 * appends only when `append: true` is set or an `append` operation is given (a macro or list has one overridable
 * key); every other such item goes to collector::define, which needs no earlier definition. A rule's override always
 * changes an earlier rule (selective_replace / selective_append need one).
 */
export function overrideDefines(item: ModelItem): boolean {
  // An `override:` with nothing to override is read as none: the item is what it would be without the key.
  const override = entryValue(item, 'override');
  if (!overrideHasEntries(override)) {
    return !isLegacyAppend(item) && (item.kind !== 'rule' || hasDefiningRuleKey(item));
  }
  if (item.kind !== 'macro' && item.kind !== 'list') return false;
  if (isLegacyAppend(item)) return false;
  for (const op of overrideOps(override).values()) if (op === 'append') return false;
  // One Falco's reader refuses defines nothing: it throws before collector.define (itemRefusal).
  return itemRefusal(item) === undefined;
}

/**
 * Whether an `override:` value gives Falco's reader anything to override. decode_overrides (rule_loader_reader.cpp at
 * 0.44.0) iterates the value's entries, and yaml-cpp iterates a null or plain scalar like an empty mapping: for
 * `override: {}`, `override:` with no value or `override: replace` the reader goes on as for an item without the key
 * (a rule with condition, output, desc or priority is a new rule, a macro or list is defined, `append: true` appends).
 * Only the rules schema check notices (rule_json_schema.h: Override is an object with minProperties 1), with a schema
 * warning that does not stop the load. A sequence or an alias is kept as an override (validate.ts reports it).
 */
export function overrideHasEntries(value: ModelNode | undefined): boolean {
  if (!value) return false;
  // An empty sequence is iterated like an empty mapping (no entries); a sequence with items fails the reader
  // (validate.ts reports it), kept as an override here.
  if (value.kind === 'map' || value.kind === 'seq') return (value.kind === 'map' ? value.entries : value.items).length > 0;
  return value.kind !== 'scalar';
}

/** Whether the item defines its name (as opposed to overriding, appending to or enabling an earlier definition). */
export function isDefinitionItem(item: ModelItem): boolean {
  // Asked of every item on every validation (validateConditions): it reads the item's values only (entryValue).
  if (hasEntry(item, 'override')) return overrideDefines(item);
  if (isLegacyAppend(item)) return false;
  // A macro or list whose condition or items Falco's reader cannot read (readBeforeOverride) defines nothing.
  if (item.kind === 'macro' || item.kind === 'list') return readBeforeOverride(item, LATEST_FALCO);
  return item.kind !== 'rule' || hasDefiningRuleKey(item);
}

/** A rule item with none of these only changes an earlier rule (enabled, tags, exceptions...). */
const DEFINING_RULE_KEYS = ['condition', 'output', 'desc', 'priority'];

function hasDefiningRuleKey(item: ModelItem): boolean {
  // A plain loop: the condition checks ask this of every item on every validation.
  for (let i = 0; i < DEFINING_RULE_KEYS.length; i++) if (hasEntry(item, DEFINING_RULE_KEYS[i])) return true;
  return false;
}

/**
 * Whether the item's condition is read as a continuation of an earlier one (parsed behind a stand-in for it): an
 * override or `append: true` says so; or the text starts with `and`/`or` in an item that Falco's reader refuses before
 * anything is compiled, so that the author's append is checked, not a whole condition whose syntax error Falco never
 * reports. rule_loader_reader.cpp (the same at 0.37.0-0.44.1: read_item, decode_overrides, decode_val_generic)
 * throws for an override whose condition operation is neither `append` nor `replace` (another word, a list or a
 * mapping: "Invalid override operation", "bad conversion"), for an override written as a list, for a condition with
 * no entry under an override ("Unexpected key 'condition'", or a macro's override of a key it cannot override), and
 * for a new rule without `desc`, `output` or `priority` ("Item has no mapping for key", "Mapping for key ... is
 * empty"); reader::read then stops reading the file and load_rules compiles nothing of it (falco_engine.cpp), so
 * Falco reports that one error. What the reader refuses follows the target release (itemRefusal): an override that
 * replaces `capture` before 0.42, a rule override's `source` that is a list or mapping from 0.40, a new rule's
 * `capture: maybe` from 0.42 (0.41.0:239 and 633-676, 0.40.0:618-619, 0.42.0 decode_optional_val of capture).
 */
export function appendsCondition(item: ModelItem, target: string = LATEST_FALCO): boolean {
  const override = entryValue(item, 'override');
  if (overrideHasEntries(override)) {
    const op = override!.kind === 'map' ? scalarText(override!.entries.find((e) => e.key === 'condition')?.value) : undefined;
    // A replaced condition is compiled whole, unless Falco refuses the item (then it is never compiled: the text
    // starting with and/or is the fragment its author meant, and Falco's one error is the override's).
    return op === 'append' || (startsAsContinuation(item) && (op !== 'replace' || itemRefusal(item, target) !== undefined));
  }
  if (isLegacyAppend(item)) return true;
  // An item Falco's reader refuses before anything is compiled (an `append` it cannot read, a new rule missing keys).
  return startsAsContinuation(item) && ((item.kind === 'rule' && lacksRuleKey(item)) || itemRefusal(item, target) !== undefined);
}

/**
 * appendsCondition in a load: also a rule override whose condition starts with and/or that Falco's reader takes and
 * its collector then refuses, which the load shows as an item its rule does not hold among its contributions (the
 * reader's refusals are appendsCondition's): no earlier rule for an `override: condition: replace`
 * (selective_replace throws ERROR_NO_PREVIOUS_RULE_REPLACE, rule_loader_collector.cpp 0.37.0:322-326,
 * 0.44.0:297-300), or appended exceptions it refuses before the replace is reached (appendedExceptionsRefused).
 * Falco stops loading at that error and never compiles the text.
 */
export function appendsConditionInLoad(item: ModelItem, load: LoadResult, file: LoadedFile): boolean {
  if (appendsCondition(item, load.target)) return true;
  if (item.kind !== 'rule' || item.name === undefined || !startsAsContinuation(item) || !overrideHasEntries(entryValue(item, 'override'))) return false;
  const rule = (load.after[file.order] ?? load.final).rules.get(item.name);
  return rule === undefined || !rule.contributions.some((c) => c.item === item);
}

/** A new rule without one of these (or with it empty) is refused by Falco's reader. */
const RULE_KEYS_READ = ['desc', 'output', 'priority'];

function lacksRuleKey(item: ModelItem): boolean {
  for (let i = 0; i < RULE_KEYS_READ.length; i++) {
    const v = entryValue(item, RULE_KEYS_READ[i]);
    if (!v || (v.kind === 'scalar' && (v.value === null || v.text === ''))) return true;
  }
  return false;
}

/** Whether the item's condition text starts with the word `and` or `or` (after blanks, as libsinsp's lexer skips them). */
function startsAsContinuation(item: ModelItem): boolean {
  const text = scalarText(entryValue(item, 'condition'));
  return text !== undefined && /^[ \t\b\r\n]*(?:and|or)(?![A-Za-z0-9_.])/.test(text);
}

export function isLegacyAppend(item: ModelItem): boolean {
  return scalarBoolean(entryValue(item, 'append')) === true;
}

const booleanValue = scalarBoolean;

/** Shared by every recipe without tags or items (recipes are read, never changed: definitions copy them). */
const NO_STRINGS: readonly string[] = Object.freeze([]);

function stringsOf(node: ModelNode | undefined): readonly string[] {
  if (node?.kind !== 'seq') return NO_STRINGS;
  const out: string[] = [];
  for (let i = 0; i < node.items.length; i++) {
    const s = scalarText(node.items[i]);
    if (s !== undefined) out.push(s);
  }
  return out;
}

function exceptionsOf(item: ModelItem): ModelNode[] {
  const v = entryOf(item, 'exceptions')?.value;
  return v?.kind === 'seq' ? v.items : [];
}

const NO_ITEMS: readonly ModelItem[] = Object.freeze([]);

function cloneDefs(d: Definitions): Definitions {
  return { macros: new Map(d.macros), lists: new Map(d.lists), rules: new Map(d.rules) };
}

/** Falco joins an appended condition to the previous one with a space (rule_loader_collector.cpp). */
function appendText(previous: string | undefined, added: string | undefined): string | undefined {
  if (added === undefined) return previous;
  if (previous === undefined) return added;
  return `${previous} ${added}`;
}

/**
 * What loading reads from one rule, macro or list item, without positions: it depends on the item's text alone, so
 * it is remembered by chunk text (the same string object across edits, see model.ts) and an edit re-reads only the
 * items it touched. The exceptions (model nodes, with positions) are read from the item itself each time.
 */
interface ItemRecipe {
  kind: 'rule' | 'macro' | 'list';
  name: string;
  /** How the item changes an earlier definition, or undefined for a (re)definition. */
  change?: 'override' | 'append-legacy' | 'enable-legacy';
  /** `override:` operations by key. */
  ops: ReadonlyMap<string, string>;
  /** The keys the item has, as keyBit bits (only the keys loading reads). */
  present: number;
  strings: { source?: string; desc?: string; output?: string; condition?: string; priority?: string };
  tags: readonly string[];
  items: readonly string[];
  enabled?: boolean;
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
  /**
   * An override Falco's reader refuses (overrideRefusal): Falco stops loading at its error, before its collector
   * keeps anything of the item (rule_loader_reader.cpp read_item: decode_overrides and check_update_expected throw
   * before collector.define/append/selective_replace, 0.37.0:450-652, 0.44.0:577-857), so the item defines nothing
   * and changes nothing of an earlier definition of its name (the model shows none of its text). A rule's refused
   * before the collector looks for the earlier rule ('reader') is no 'no previous definition', one refused after it
   * ('collector') is that error.
   */
  refused?: Refusal;
  /**
   * Where the target's reader refuses the item otherwise than the latest's: the refusal at each of REFUSAL_ERAS (the
   * last is `refused`), set only where they differ (refusalAt).
   */
  eras?: readonly (Refusal | undefined)[];
}

const NO_OPS: ReadonlyMap<string, string> = new Map();
const recipesByChunk = new Map<string, ItemRecipe | null>();
const recipesByItem = new WeakMap<ModelItem, ItemRecipe | null>();
const RECIPE_CACHE_LIMIT = 20000;

/** Forgets the remembered item recipes (tests compare incremental loads with loads from nothing). */
export function clearLoadMemos(): void { recipesByChunk.clear(); }

function recipeOf(file: LoadedFile, item: ModelItem): ItemRecipe | undefined {
  const c = file.model.chunks?.[item.index];
  const chunk = c && chunkKey(c);
  let recipe = chunk !== undefined ? recipesByChunk.get(chunk) : recipesByItem.get(item);
  if (recipe === undefined) {
    recipe = readRecipe(item) ?? null;
    if (chunk === undefined) recipesByItem.set(item, recipe);
    else {
      if (recipesByChunk.size >= RECIPE_CACHE_LIMIT) recipesByChunk.clear();
      recipesByChunk.set(chunk, recipe);
    }
  }
  return recipe ?? undefined;
}

/** Bits of the keys loading reads (ItemRecipe.present); other keys have none. */
const KEY_CONDITION = 1, KEY_OUTPUT = 2, KEY_DESC = 4, KEY_PRIORITY = 8, KEY_ENABLED = 16, KEY_EXCEPTIONS = 32, KEY_ITEMS = 64,
  KEY_OVERRIDE = 128, KEY_APPEND = 256, KEY_SOURCE = 512, KEY_TAGS = 1024, KEY_WARN_EVTTYPES = 2048, KEY_SKIP_IF_UNKNOWN = 4096;

function keyBit(key: string): number {
  switch (key) {
    case 'condition': return KEY_CONDITION;
    case 'output': return KEY_OUTPUT;
    case 'desc': return KEY_DESC;
    case 'priority': return KEY_PRIORITY;
    case 'enabled': return KEY_ENABLED;
    case 'exceptions': return KEY_EXCEPTIONS;
    case 'items': return KEY_ITEMS;
    case 'override': return KEY_OVERRIDE;
    case 'append': return KEY_APPEND;
    case 'source': return KEY_SOURCE;
    case 'tags': return KEY_TAGS;
    case 'warn_evttypes': return KEY_WARN_EVTTYPES;
    case 'skip-if-unknown-filter': return KEY_SKIP_IF_UNKNOWN;
    default: return 0;
  }
}

function readRecipe(item: ModelItem): ItemRecipe | undefined {
  if ((item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') || item.name === undefined) return undefined;
  // One pass over the entries instead of a search per key (every item is read once per new text, so on a first
  // validation this runs for every item); the first entry of a key counts, as entryOf finds it.
  let present = 0;
  let override: MapEntry | undefined;
  let append: MapEntry | undefined;
  const strings: ItemRecipe['strings'] = { source: undefined, desc: undefined, output: undefined, condition: undefined, priority: undefined };
  let tags: ModelNode | undefined;
  let items: ModelNode | undefined;
  let enabled: boolean | undefined;
  let warnEvttypes: boolean | undefined;
  let skipIfUnknownFilter: boolean | undefined;
  const entries = item.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const bit = keyBit(e.key);
    if (bit === 0 || (present & bit) !== 0) continue;
    present |= bit;
    switch (bit) {
      case KEY_OVERRIDE: override = e; break;
      case KEY_APPEND: append = e; break;
      case KEY_SOURCE: strings.source = scalarText(e.value); break;
      case KEY_DESC: strings.desc = scalarText(e.value); break;
      case KEY_OUTPUT: strings.output = scalarText(e.value); break;
      case KEY_CONDITION: strings.condition = scalarText(e.value); break;
      case KEY_PRIORITY: strings.priority = scalarText(e.value); break;
      case KEY_TAGS: tags = e.value; break;
      case KEY_ITEMS: items = e.value; break;
      case KEY_ENABLED: enabled = booleanValue(e.value); break;
      case KEY_WARN_EVTTYPES: warnEvttypes = booleanValue(e.value); break;
      case KEY_SKIP_IF_UNKNOWN: skipIfUnknownFilter = booleanValue(e.value); break;
    }
  }
  // Most items override nothing: they share one empty map.
  let ops: ReadonlyMap<string, string> = NO_OPS;
  if (override) {
    ops = overrideOps(override.value);
  }
  const legacyAppend = scalarBoolean(append?.value) === true;
  // A macro or list override without an append is a (re)definition (overrideDefines).
  const isOverride = override !== undefined && overrideHasEntries(override.value) && !(item.kind !== 'rule' && overrideDefines(item));
  const standaloneEnabled = item.kind === 'rule' && !isOverride && !legacyAppend
    && (present & KEY_ENABLED) !== 0 && (present & (KEY_CONDITION | KEY_OUTPUT | KEY_DESC | KEY_PRIORITY)) === 0;
  const refused = itemRefusal(item);
  // Only a rule's reading differs between releases (REFUSAL_ERAS); most rules read the same at every one.
  const eras = item.kind === 'rule' && (override !== undefined || legacyAppend || !sourceReadable(item) || hasEntry(item, 'capture') || hasEntry(item, 'capture_duration'))
    ? REFUSAL_ERAS.map((t, i) => (i === REFUSAL_ERAS.length - 1 ? refused : itemRefusal(item, t))) : undefined;
  return {
    kind: item.kind, name: item.name,
    change: isOverride ? 'override' : legacyAppend ? 'append-legacy' : standaloneEnabled ? 'enable-legacy' : undefined,
    ops, present, strings, tags: stringsOf(tags), items: stringsOf(items), enabled, warnEvttypes, skipIfUnknownFilter,
    ...(refused ? { refused } : {}),
    ...(eras && eras.some((r) => r !== refused) ? { eras } : {}),
  };
}

/**
 * The releases from which Falco's reader refuses rule items otherwise (rule_loader_reader.cpp): 0.38.0 reads the
 * exceptions of an `exceptions: replace` as new ones, with `fields` required (0.37.0:603 read them as appended,
 * fields optional; 0.38.0:653); 0.40.0 reads a rule's `source` before its override (0.40.0:618-619,
 * decode_optional_empty_val: a list or mapping fails every rule item there; before, only a new rule reads it);
 * 0.42.0 knows `capture` and `capture_duration` (RULE_KEYS_SINCE).
 */
const REFUSAL_ERAS = ['0.37', '0.38', '0.40', '0.42'] as const;

/** The refusal of a recipe's item at the target release. */
function refusalAt(recipe: ItemRecipe, target: string): Refusal | undefined {
  if (!recipe.eras) return recipe.refused;
  for (let i = REFUSAL_ERAS.length - 1; i > 0; i--) if (!newerThanTarget(REFUSAL_ERAS[i], target)) return recipe.eras[i];
  return recipe.eras[0];
}

/** Whether a load result was read for this target release. */
function sameTarget(result: LoadResult, target: string): boolean {
  return (result.target ?? LATEST_FALCO) === target;
}

/**
 * Where Falco's reader refuses an item's override: 'reader' before its collector looks for the earlier definition,
 * 'collector' after the collector has met it (and appended to it: Falco still stops at the error).
 */
export type Refusal = 'reader' | 'collector';

/**
 * Whether (and where) Falco's reader refuses a rule, macro or list item at the target release: it throws before its
 * collector keeps anything of the item, and Falco stops loading at that error (rule_loader_reader.cpp read_item;
 * reader::read, 0.37.0 and 0.44.0:967-1026). In read_item's order: what every item of its kind reads before its
 * override (readBeforeOverride), then the override (overrideRefusal), then what an `append: true` item or a new
 * definition reads (appendedRefusal, definitionRefusal).
 */
export function itemRefusal(item: ModelItem, target: string = LATEST_FALCO): Refusal | undefined {
  if (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') return undefined;
  if (!readBeforeOverride(item, target)) return 'reader';
  if (overrideHasEntries(entryValue(item, 'override'))) return overrideRefusal(item, target);
  if (item.kind !== 'rule') return undefined;
  if (isLegacyAppend(item)) return readsExceptions(entryValue(item, 'exceptions'), true) ? undefined : 'reader';
  return hasDefiningRuleKey(item) ? definitionRefusal(item, target) : undefined;
}

/**
 * What read_item reads of an item before its override, whatever the item does, and throws on (rule_loader_reader.cpp):
 * `append` (decode_optional_val as a boolean, every kind, 0.37.0:442/485/522, 0.44.0:568/625/667: a null value, a
 * list or mapping, an empty text or a word yaml-cpp reads as no boolean); a macro's `condition` (decode_val,
 * 0.37.0:480, 0.44.0:617); a list's `items` (decode_items: a sequence of scalars, 0.37.0:440, 0.44.0:566); from 0.40.0
 * a rule's `source` (decode_optional_empty_val, 0.40.0:618-619, 0.44.0:663-664: a null or empty value passes, a list or
 * mapping does not).
 */
function readBeforeOverride(item: ModelItem, target: string): boolean {
  if (!appendReadable(item)) return false;
  if (item.kind === 'macro') return decodes(entryValue(item, 'condition'), 'condition');
  if (item.kind === 'list') return decodes(entryValue(item, 'items'), 'items');
  return item.kind !== 'rule' || newerThanTarget(RULE_SOURCE_READ_FIRST_SINCE, target) || sourceReadable(item);
}

/** Whether Falco's reader reads the item's `append` (absent, or a boolean yaml-cpp reads: readBeforeOverride). */
export function appendReadable(item: ModelItem): boolean {
  return !hasEntry(item, 'append') || decodes(entryValue(item, 'append'), 'append');
}

/** Whether Falco 0.40+ reads a rule item's `source` before its override (absent, null, or a scalar: readBeforeOverride). */
export function sourceReadable(item: ModelItem): boolean {
  const v = hasEntry(item, 'source') ? entryValue(item, 'source') : undefined;
  return v?.kind !== 'seq' && v?.kind !== 'map';
}

/**
 * A new rule (no override, no `append: true`, one of condition/output/desc/priority) that Falco's reader or collector
 * refuses (rule_loader_reader.cpp 0.37.0:700-726, 0.44.0:903-939): condition, output, desc and priority are required
 * (decode_val, then parse_priority), source, enabled, warn_evttypes, skip-if-unknown-filter and (from 0.42.0) capture
 * and capture_duration are decoded when present (decode_optional_val: a null or empty value fails too), tags
 * (decode_tags), exceptions (read_rule_exceptions with fields required); then collector.define checks each exception
 * (fields given, validate_exception_info: newExceptionRefused). No collector step looks for an earlier rule first.
 */
function definitionRefusal(item: ModelItem, target: string): Refusal | undefined {
  for (const key of RULE_REQUIRED) if (!decodes(entryValue(item, key), key)) return 'reader';
  for (const key of RULE_OPTIONAL) {
    if (hasEntry(item, key) && !newerThanTarget(RULE_KEYS_SINCE.get(key), target) && !decodes(entryValue(item, key), key)) return 'reader';
  }
  const exceptions = entryValue(item, 'exceptions');
  if (!readsExceptions(exceptions, false)) return 'reader';
  if (exceptions?.kind === 'seq') for (const ex of exceptions.items) if (ex.kind === 'map' && newExceptionRefused(ex, false)) return 'reader';
  return undefined;
}

const RULE_REQUIRED = ['condition', 'output', 'desc', 'priority'];
const RULE_OPTIONAL = ['source', 'enabled', 'capture', 'capture_duration', 'warn_evttypes', 'skip-if-unknown-filter', 'tags'];

/**
 * Whether (and where) Falco's reader refuses the override of a rule, macro or list item with an `override:` that has
 * entries (rule_loader_reader.cpp read_item, the same order at 0.37.0:450-652 and 0.44.0:577-857). Every kind:
 * decode_overrides throws for an override written as a list or an alias, an operation that is no string or neither
 * `append` nor `replace`, a key the operation cannot change (or one the target's reader does not know,
 * RULE_KEYS_SINCE); `append: true` beside it throws ERROR_OVERRIDE_APPEND. A rule's check_update_expected throws for
 * an appended key the item lacks before collector.append; for a replaced key it lacks, and for an unparsable replaced
 * priority ("Invalid priority"), before collector.selective_replace, which is after collector.append where something
 * is appended; last, a key of the item that an override could change but that has no entry under `override`
 * ("Unexpected key"). An overridden key's value must decode (decodes; exceptions: readsExceptions, an appended one's
 * fields optional, a replaced one's required from 0.38.0). validate.ts reports each of these.
 */
export function overrideRefusal(item: ModelItem, target: string = LATEST_FALCO): Refusal | undefined {
  const override = entryValue(item, 'override');
  if (!overrideHasEntries(override) || (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list')) return undefined;
  if (override!.kind !== 'map' || isLegacyAppend(item)) return 'reader';
  const kind = item.kind;
  const known = (key: string) => !newerThanTarget(RULE_KEYS_SINCE.get(key), target);
  let appends = false;
  for (const e of override!.entries) {
    const op = e.value?.kind === 'scalar' ? scalarText(e.value) : undefined;
    if (op === 'append' ? !APPENDABLE[kind].includes(e.key) : op !== 'replace' || !REPLACEABLE[kind].includes(e.key) || !known(e.key)) return 'reader';
    if (op === 'append') appends = true;
  }
  if (kind !== 'rule') return undefined;
  let replaceFails = false;
  for (const e of override!.entries) {
    const append = scalarText(e.value) === 'append';
    const v = entryValue(item, e.key);
    const fails = !hasEntry(item, e.key) || (e.key === 'exceptions'
      ? !readsExceptions(v, append || newerThanTarget(REPLACED_EXCEPTIONS_NEED_FIELDS_SINCE, target))
      : !decodes(v, e.key));
    if (append) { if (fails) return 'reader'; continue; }
    if (fails) replaceFails = true;
  }
  if (replaceFails) return appends ? 'collector' : 'reader';
  return unexpectedOverrideKey(item, override!, known) ? 'collector' : undefined;
}

/**
 * Whether Falco's reader reads a rule item's `exceptions` (read_rule_exceptions, rule_loader_reader.cpp
 * 0.37.0:271-321, 0.44.0:327-394; decode_exception_info_entry 0.44.0:265-302): no value or a null one is none; else a
 * sequence ("Rule exceptions must be a sequence") of mappings ("Rule exception must be a mapping") with a non-empty
 * scalar `name` (decode_val); `fields` required unless `fieldsOptional` (the reader's append flag); `fields` and
 * `comps` a non-empty scalar or a list whose scalars at any depth are non-empty ("Value must be non-empty"; a null or a
 * mapping is read as nothing); `values`, where given, a sequence ("Rule exception values must be a sequence", a null
 * one too) whose items read as fields do.
 */
export function readsExceptions(v: ModelNode | undefined, fieldsOptional: boolean): boolean {
  if (!v || v.kind === 'other' || (v.kind === 'scalar' && v.value === null)) return true;
  if (v.kind !== 'seq') return false;
  for (const ex of v.items) {
    if (ex.kind === 'other') continue;
    if (ex.kind !== 'map') return false;
    const name = mapValue(ex, 'name');
    if (name?.kind !== 'other' && !decodes(name, 'name')) return false;
    const fields = ex.entries.find((e) => e.key === 'fields');
    if (!fields && !fieldsOptional) return false;
    if (!entryDecodes(fields?.value) || !entryDecodes(mapValue(ex, 'comps'))) return false;
    const values = ex.entries.find((e) => e.key === 'values');
    if (values && values.value?.kind !== 'other' && (values.value?.kind !== 'seq' || !values.value.items.every(entryDecodes))) return false;
  }
  return true;
}

/** decode_exception_info_entry: a scalar must be non-empty, a list's items are read alike; anything else is nothing. */
function entryDecodes(v: ModelNode | undefined): boolean {
  if (v?.kind === 'scalar') return v.value === null || v.text !== '';
  return v?.kind !== 'seq' || v.items.every(entryDecodes);
}

/** The first value of a key in a mapping node (yaml-cpp's lookup finds a key's first pair). */
function mapValue(node: ModelNode, key: string): ModelNode | undefined {
  return node.kind === 'map' ? node.entries.find((e) => e.key === key)?.value : undefined;
}

/**
 * Whether Falco's collector refuses an exception new to its rule (rule_loader_collector.cpp, define 0.44.0:217-222 and
 * append 0.44.0:273-281, the same checks at 0.37.0): fields must be given, non-empty ("Rule exception must have fields
 * property with a list of fields"); an appended one needs values ("Rule exception must have values property with a
 * list of values"); then validate_exception_info (0.44.0:81-124): a list of fields takes a list of comps of its length
 * (default '=' each), each an operator libsinsp knows; a single field takes one comp (default 'in'): in, pmatch,
 * intersects or a string operator with a modifier. Whether each field exists is not judged here (a plugin's may).
 */
function newExceptionRefused(ex: ModelNode, appended: boolean): boolean {
  const fields = mapValue(ex, 'fields');
  const comps = mapValue(ex, 'comps');
  if (fields?.kind === 'other' || comps?.kind === 'other') return false;
  if (!exceptionEntryValid(fields)) return true;
  if (appended) {
    const values = mapValue(ex, 'values');
    if (!values || (values.kind === 'seq' && values.items.length === 0)) return true;
  }
  if (fields!.kind === 'seq') {
    if (!exceptionEntryValid(comps)) return false;
    if (comps!.kind !== 'seq' || comps!.items.length !== fields!.items.length) return true;
    return comps!.items.some((c) => c.kind !== 'scalar' || !compAccepted(c.text, false));
  }
  if (!exceptionEntryValid(comps)) return false;
  return comps!.kind !== 'scalar' || !compAccepted(comps!.text, true);
}

/** rule_exception_info::entry::is_valid (rule_loader.h 0.44.0:467-469): a non-empty text, or a list with items. */
function exceptionEntryValid(v: ModelNode | undefined): boolean {
  return v?.kind === 'seq' ? v.items.length > 0 : v?.kind === 'scalar' && v.value !== null && v.text !== '';
}

/**
 * Whether the collector refuses the exceptions an appending item (`exceptions: append`, or `append: true`) brings to
 * the earlier rule (rule_loader_collector.cpp append, 0.37.0 and 0.44.0:267-292): one the rule already has (by name,
 * counting those appended before it in the item) may give values only ("Can not append exception fields/comps to
 * existing exception, only values"); a new one is checked as newExceptionRefused says.
 */
function appendedExceptionsRefused(previous: RuleDef, item: ModelItem): boolean {
  const own = entryValue(item, 'exceptions');
  if (own?.kind !== 'seq') return false;
  const names = new Set<string>();
  for (const ex of ruleExceptionValues(previous)) { const n = scalarText(mapValue(ex, 'name')); if (n !== undefined) names.add(n); }
  for (const ex of own.items) {
    const name = ex.kind === 'map' ? scalarText(mapValue(ex, 'name')) : undefined;
    if (name === undefined) continue;
    if (names.has(name)) {
      if (exceptionEntryValid(mapValue(ex, 'fields')) || exceptionEntryValid(mapValue(ex, 'comps'))) return true;
    } else if (newExceptionRefused(ex, true)) return true;
    names.add(name);
  }
  return false;
}

/** The scalars yaml-cpp decodes as a boolean (convert<bool>: the text, whatever its quoting; YAML 1.1's words). */
const YAML_CPP_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/**
 * Whether Falco's reader decodes the value of a key a rule's override appends or replaces, where it throws otherwise
 * (rule_loader_reader.cpp, the same at 0.37.0 and 0.44.0; read_item decodes each overridden key before the collector
 * takes the item). decode_val (decode_val_generic, 0.37.0:31-48, 0.44.0:52-81): a null value ("Mapping for key ... is
 * empty"), a list or mapping ("Value is not a scalar value"), an empty text ("Value must be non-empty"), a text that
 * does not convert to the key's type ("Can't decode YAML scalar value": a boolean for enabled, warn_evttypes,
 * skip-if-unknown-filter and capture, an unsigned 32-bit number for capture_duration); priority then goes through
 * parse_priority ("Invalid priority"). decode_tags (decode_seq, 0.37.0:76-100, 0.44.0:146-170): no sequence ("Value is
 * not a sequence", a null value too), an item that is no scalar; a list's `items` alike (decode_items). Exceptions:
 * readsExceptions.
 */
function decodes(v: ModelNode | undefined, key: string): boolean {
  // An alias Falco Lens did not read is taken as read.
  if (v?.kind === 'other') return true;
  if (key === 'exceptions') return readsExceptions(v, true);
  if (key === 'tags' || key === 'items') return v?.kind === 'seq' && v.items.every((t) => t.kind === 'other' || (t.kind === 'scalar' && t.value !== null));
  const text = scalarText(v);
  if (text === undefined || text === '') return false;
  switch (key) {
    case 'priority': return isValidPriority(text);
    case 'enabled': case 'warn_evttypes': case 'skip-if-unknown-filter': case 'capture': case 'append': return YAML_CPP_BOOLEANS.has(text);
    // yaml-cpp reads a number with a stream that takes a leading 0 as octal and 0x as hex, and refuses a minus sign
    // for an unsigned type and a value past its range.
    case 'capture_duration': {
      const digits = text.startsWith('+') ? text.slice(1) : text;
      return /^(?:[1-9][0-9]*|0[0-7]*|0[xX][0-9a-fA-F]+)$/.test(digits) && Number(/^0[0-7]/.test(digits) ? `0o${digits.slice(1)}` : digits) <= 0xffffffff;
    }
    default: return true;
  }
}

/** The first key of a rule item that an override could change (APPENDABLE, REPLACEABLE) with no entry under its `override` mapping. */
export function unexpectedOverrideKey(item: ModelItem, override: ModelNode, known: (key: string) => boolean = () => true): MapEntry | undefined {
  if (override.kind !== 'map') return undefined;
  for (const e of item.entries) {
    if (REPLACEABLE.rule.includes(e.key) && known(e.key) && !override.entries.some((o) => o.key === e.key)) return e;
  }
  return undefined;
}

function newRule(recipe: ItemRecipe, item: ModelItem, file: LoadedFile): RuleDef {
  const s = recipe.strings;
  // The arrays and the contribution are built apart: a literal with nested literals is copied by V8's runtime object by
  // object (see scalarNode in fastparse.ts), and every rule of a new text comes through here.
  const tags = [...recipe.tags];
  const contribution: Contribution = { file, item, mode: 'define' };
  const contributions = [contribution];
  return {
    kind: 'rule', name: recipe.name, source: s.source ?? 'syscall',
    desc: s.desc, output: s.output, condition: s.condition,
    priority: s.priority, tags,
    enabled: recipe.enabled ?? true, warnEvttypes: recipe.warnEvttypes ?? true,
    skipIfUnknownFilter: recipe.skipIfUnknownFilter ?? false,
    exceptionItems: (recipe.present & KEY_EXCEPTIONS) !== 0 ? [item] : NO_ITEMS, contributions,
  };
}

/** The loader's findings of each file of a result (index = load order), for reusing a result's unchanged prefix. */
const findingsByFile = new WeakMap<LoadResult, Map<ModelItem, LoadFinding[]>[]>();

/**
 * Applies every file's definitions in load order. With `previous`, an earlier result, the files it loaded in the same
 * order and unchanged (the same LoadedFile objects) before the first changed one are not applied again: their
 * definitions and findings are taken over, so that editing the last file (a local rules file) re-derives that file only.
 */
export function applyDefinitions(files: LoadedFile[], previous?: LoadResult, target: string = LATEST_FALCO): LoadResult {
  let defs: Definitions = { macros: new Map(), lists: new Map(), rules: new Map() };
  const after: Definitions[] = [];
  const findings = new Map<ModelItem, LoadFinding[]>();
  const perFile: Map<ModelItem, LoadFinding[]>[] = [];
  const previousFindings = previous && findingsByFile.get(previous);
  let kept = 0;
  if (previous && previousFindings && sameTarget(previous, target)) {
    while (kept < files.length && kept < previous.files.length && files[kept] === previous.files[kept]) kept++;
    for (let i = 0; i < kept; i++) {
      defs = previous.after[i];
      after.push(defs);
      perFile.push(previousFindings[i]);
      for (const [item, list] of previousFindings[i]) findings.set(item, list);
    }
  }
  for (const file of files.slice(kept)) {
    const fileFindings = new Map<ModelItem, LoadFinding[]>();
    perFile.push(fileFindings);
    const note = (f: LoadFinding) => {
      const list = findings.get(f.item) ?? [];
      list.push(f);
      findings.set(f.item, list);
      fileFindings.set(f.item, list);
    };
    defs = cloneDefs(defs);
    for (const item of file.model.items) {
      const recipe = recipeOf(file, item);
      if (!recipe) continue;
      const name = recipe.name;
      const table = (recipe.kind === 'rule' ? defs.rules : recipe.kind === 'macro' ? defs.macros : defs.lists) as Map<string, Definition>;
      const previous = table.get(name);
      // Falco stops at a refused override's error: nothing of the item is collected, an earlier definition stays as
      // it was. Only a rule's refused after its collector looked for the earlier rule says there is none.
      // An older target's reader may refuse a rule item otherwise (ItemRecipe.eras).
      const refused = refusalAt(recipe, target);
      if (refused) {
        if (!previous && refused === 'collector') note({ code: 'no-previous-definition', item });
        continue;
      }
      if (recipe.change) {
        if (!previous) {
          note({ code: 'no-previous-definition', item });
          continue;
        }
        // The collector checks appended exceptions against the rule's (appendedExceptionsRefused) and throws.
        if (previous.kind === 'rule' && (recipe.change === 'append-legacy' || recipe.ops.get('exceptions') === 'append') && appendedExceptionsRefused(previous, item)) continue;
        table.set(name, applyChange(previous, recipe, item, file));
        continue;
      }
      // A (re)definition. Falco replaces an earlier definition in place; within one file that is most likely a
      // mistake, so it is pointed out (never as an error).
      if (previous) {
        // `override: replace` says the replacement is meant: no note (an `override:` without entries says nothing).
        const same = recipe.ops.size === 0 ? [...previous.contributions].reverse().find((c) => c.file === file) : undefined;
        if (same) note({ code: 'redefinition', item, previous: same });
        if (previous.kind === 'rule' && recipe.kind === 'rule' && (recipe.strings.source ?? 'syscall') !== previous.source) note({ code: 'source-mismatch', item, previous: previous.contributions[0] });
      }
      const contribution: Contribution = { file, item, mode: previous ? 'redefine' : 'define' };
      if (recipe.kind === 'macro' || recipe.kind === 'list') {
        // Arrays built apart from the definition's literal (see newRule).
        const contributions = previous ? [...previous.contributions, contribution] : [contribution];
        if (recipe.kind === 'macro') table.set(name, { kind: 'macro', name, condition: recipe.strings.condition ?? '', contributions });
        // A list's items are the recipe's array itself (definitions are never changed: an append makes a new array), so
        // the same item text gives the same array from one load to the next and comparisons of items stop at identity.
        else table.set(name, { kind: 'list', name, items: recipe.items, contributions });
      } else {
        const rule = newRule(recipe, item, file);
        if (previous) rule.contributions = [...previous.contributions, contribution];
        table.set(name, rule);
      }
    }
    after.push(defs);
  }
  const result: LoadResult = { files, final: defs, after, findings, ...(target !== LATEST_FALCO ? { target } : {}) };
  findingsByFile.set(result, perFile);
  return result;
}

/** Applies an override, a legacy `append: true` or a standalone `enabled` to a copy of the previous definition. */
function applyChange(previous: Definition, recipe: ItemRecipe, item: ModelItem, file: LoadedFile): Definition {
  const mode = recipe.change!;
  const contributions = [...previous.contributions, { file, item, mode }];
  const opFor = (key: string): 'append' | 'replace' | undefined => {
    // `append: true` appends a rule's condition and exceptions, a macro's condition, a list's items; Falco ignores
    // the other keys of such an item (rule_loader_reader.cpp).
    if (mode === 'append-legacy') return (key === 'condition' || key === 'exceptions' || key === 'items') && (recipe.present & keyBit(key)) !== 0 ? 'append' : undefined;
    if (mode === 'enable-legacy') return key === 'enabled' ? 'replace' : undefined;
    const op = recipe.ops.get(key);
    return op === 'append' || op === 'replace' ? op : undefined;
  };
  if (previous.kind === 'macro') {
    const op = opFor('condition');
    const cond = recipe.strings.condition;
    return { ...previous, contributions, condition: op === 'append' ? appendText(previous.condition, cond) ?? '' : op === 'replace' ? cond ?? previous.condition : previous.condition };
  }
  if (previous.kind === 'list') {
    const op = opFor('items');
    return { ...previous, contributions, items: op === 'append' ? [...previous.items, ...recipe.items] : op === 'replace' ? recipe.items : previous.items };
  }
  const rule: RuleDef = { ...previous, contributions, tags: [...previous.tags] };
  for (const key of ['condition', 'output', 'desc'] as const) {
    const op = opFor(key);
    const v = recipe.strings[key];
    if (op === 'append') rule[key] = appendText(rule[key], v);
    else if (op === 'replace' && v !== undefined) rule[key] = v;
  }
  const tagsOp = opFor('tags');
  if (tagsOp === 'append') rule.tags.push(...recipe.tags);
  else if (tagsOp === 'replace') rule.tags = [...recipe.tags];
  const exOp = opFor('exceptions');
  if (exOp === 'append') rule.exceptionItems = [...previous.exceptionItems, item];
  else if (exOp === 'replace') rule.exceptionItems = [item];
  if (opFor('priority') === 'replace') rule.priority = recipe.strings.priority ?? rule.priority;
  if (opFor('enabled') === 'replace') rule.enabled = recipe.enabled ?? rule.enabled;
  if (opFor('warn_evttypes') === 'replace') rule.warnEvttypes = recipe.warnEvttypes ?? rule.warnEvttypes;
  if (opFor('skip-if-unknown-filter') === 'replace') rule.skipIfUnknownFilter = recipe.skipIfUnknownFilter ?? rule.skipIfUnknownFilter;
  return rule;
}

/**
 * The configured rules paths: the setting `falcoLens.rules.files` when set, else the `rules_files` of Falco's
 * configuration file (`falcoLens.falcoConfigFile`, merged with its `config_files` as Falco merges them), else Falco's
 * default list.
 */
export function configuredRulesPaths(host: ServiceHost): readonly string[] {
  const settings = host.settings();
  if (settings.rules.files) return settings.rules.files;
  return configRulesFiles(host, settings.falcoConfigFile)?.paths ?? FALCO_DEFAULT_RULES_FILES;
}

/** configuredRulesPaths, each with where Falco's configuration writes it (none for the setting or Falco's defaults). */
export function configuredRulesEntries(host: ServiceHost): readonly { path: string; at?: Location }[] {
  const settings = host.settings();
  const listed = settings.rules.files ?? (configRulesFiles(host, settings.falcoConfigFile)?.entries ?? FALCO_DEFAULT_RULES_FILES);
  return listed.map((e) => (typeof e === 'string' ? { path: e } : e));
}
