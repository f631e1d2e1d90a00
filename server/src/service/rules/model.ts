// The typed model of one rules file: its top-level items (rule, macro, list, required_engine_version,
// required_plugin_versions) with exact document spans for every key and value, built from the `yaml` CST.
//
// Parsing is incremental: a file in the usual shape (a block sequence whose items start with `- ` at column 0) is cut
// into one chunk per top-level item, and each chunk is parsed on its own and cached by its text. An edit re-parses
// only the chunk it touched; the others are reused: items that kept their offset are taken as they are from the
// previous model of the file (same objects, so per-item caches keyed on them stay valid), items after the edit are
// shifted to their new offsets. A chunk that is not one item on its own (odd indentation, several documents) makes the
// whole file parse in one piece. Aliases are read across chunks (readAcrossChunks): an item whose alias names another
// chunk's anchor is built again with the anchored node in place on every parse, and the caches keyed by an item's text
// key it by the texts it reads too (chunkKey).
import { Parser, Composer, isMap, isSeq, isScalar, isAlias, type Document, type Node as YamlNode } from 'yaml';
import { LineIndex } from '../text';
import { buildScalarMap, scalarStyleOf, type ScalarMap, type ScalarSourceToken, type ScalarStyle } from './scalar';
import { fastParseItem } from './fastparse';

export interface Span { start: number; end: number }

// yaml-cpp (Falco's YAML reader) decodes a bool from these spellings, as YAML 1.1 did, whatever the scalar's style
// (a quoted "false" too): convert.cpp IsTrue/IsFalse (yaml-cpp 0.7.0 and c2bec4c, pinned by Falco's
// cmake/modules/yaml-cpp.cmake) — y, yes, true, on in lower case, Capitalised or UPPER case.
const YAML_CPP_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const YAML_CPP_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/** The bool yaml-cpp's `as<bool>()` reads from a scalar's text, or undefined where it throws. */
export function yamlCppBoolean(text: string): boolean | undefined {
  return YAML_CPP_TRUE.has(text) ? true : YAML_CPP_FALSE.has(text) ? false : undefined;
}

/** The bool Falco's rules reader decodes from a node (`enabled: yes`, `append: "true"`), or undefined. */
export function scalarBoolean(v: ModelNode | undefined): boolean | undefined {
  if (v?.kind !== 'scalar' || v.value === null) return undefined;
  return typeof v.value === 'boolean' ? v.value : yamlCppBoolean(v.text);
}

export interface ScalarNode {
  kind: 'scalar';
  /** The YAML value: string, number, boolean or null. */
  value: string | number | boolean | null;
  /** The value as a string (numbers and booleans as YAML wrote them). */
  text: string;
  /** From the first to the last character of the scalar in the document (quotes included). */
  span: Span;
  style: ScalarStyle;
  /**
   * Source token, for the value → offset map: its offsets plus `tokenShift` are document offsets. A node moved by an
   * edit above it shares the token it was parsed with and adds the move to `tokenShift` (no copy per edit).
   */
  token: ScalarSourceToken;
  tokenShift: number;
  mapCache?: ScalarMap;
}
export interface SeqNode { kind: 'seq'; items: ModelNode[]; span: Span; flow: boolean }
export interface MapNode { kind: 'map'; entries: MapEntry[]; span: Span; flow: boolean }
/**
 * A node Falco Lens does not read. `unknownAnchor`: an alias naming no anchor before it in its reading (a chunk's may
 * still be read across chunks, readAcrossChunks; one left so in the file is a YAML error, unknownAnchorProblem).
 * `cycle`: an alias inside the node its anchor names (`&a [x, *a]`), which yaml-cpp gives as that very node, a list or
 * a mapping holding itself (NodeBuilder registers an anchored node as it starts it and OnAlias pushes that node:
 * nodebuilder.cpp, the same in 0.7.0, 0.8.0 and c2bec4c); `loops` when only lists lie between that node and the
 * alias, so a reader walking nested lists (Falco's exception fields, comps and values) comes back to it forever.
 */
export interface OtherNode { kind: 'other'; span: Span; unknownAnchor?: string; cycle?: 'seq' | 'map'; loops?: true }
export type ModelNode = ScalarNode | SeqNode | MapNode | OtherNode;

export interface MapEntry {
  key: string;
  keySpan: Span;
  /** Absent when the key has no value (`desc:` with nothing after it). */
  value?: ModelNode;
  /** From the key to the end of its value. */
  span: Span;
}

export const ITEM_KINDS = ['rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
const KIND_PRECEDENCE: readonly ItemKind[] = ['required_engine_version', 'required_plugin_versions', 'list', 'macro', 'rule'];

/**
 * A top-level item. The nodes of an item an edit moved are made when first read (node, entries, span, kindEntry,
 * nameSpan): reading only its values (itemValues, entryValue, hasEntry) makes none.
 */
export interface ModelItem {
  /** The item's kind, 'unknown' for a mapping without a known top-level key, 'invalid' for a non-mapping. */
  kind: ItemKind | 'unknown' | 'invalid';
  /** rule/macro/list name (the value of that key, when it is a scalar). */
  name?: string;
  nameSpan?: Span;
  /** The kind key (`rule`, `macro`...). */
  kindEntry?: MapEntry;
  node: ModelNode;
  entries: MapEntry[];
  span: Span;
  /** Position in the file (0-based, over all YAML documents). */
  index: number;
}

export interface YamlProblem { message: string; span: Span; code: string }

/** An alias read as its anchored node: `at` is the `*name`, `target` the anchored node's span. */
export interface AliasUse { at: Span; target: Span; anchor: string }

const reaches = new WeakMap<AliasUse, Span[]>();

/**
 * The texts a reader gets through an alias of the model: the anchored node's span and, for the aliases inside it
 * (read with it, as yaml-cpp reads a node graph), the spans they give, at any depth. Remembered per use.
 */
export function aliasReach(model: RulesFileModel, use: AliasUse): Span[] {
  let reach = reaches.get(use);
  if (reach) return reach;
  reach = [use.target];
  const uses = model.aliases ?? [];
  const seen = new Set<AliasUse>([use]);
  for (let k = 0; k < reach.length; k++) {
    const s = reach[k];
    for (const u of uses) if (!seen.has(u) && s.start <= u.at.start && u.at.end <= s.end) { seen.add(u); reach.push(u.target); }
  }
  reaches.set(use, reach);
  return reach;
}

/** Whether text at `span` is read through `use` (in its anchored node, or in one an alias inside it gives). */
export function readThrough(model: RulesFileModel, use: AliasUse, span: Span): boolean {
  for (const s of aliasReach(model, use)) if (s.start <= span.start && span.end <= s.end) return true;
  return false;
}

export interface RulesFileModel {
  uri: string;
  text: string;
  lines: LineIndex;
  items: ModelItem[];
  yamlErrors: YamlProblem[];
  /** Set when a document's root is not a sequence (Falco: "Rules content is not yaml array of objects"). */
  notSequence?: Span;
  /**
   * The aliases read as their anchored nodes (absent when none), in the text's order: where each `*name` is and the
   * span of the node it gives, at the anchor. A finding in that text made while checking the item that holds the
   * alias is that item's (validate.ts AliasAttribution).
   */
  aliases?: AliasUse[];
  /**
   * When the file was parsed chunk by chunk: each item's chunk (index-aligned with `items`), from its `- ` at column 0
   * to the next item. An item's nodes, relative to its chunk's start, depend on nothing but the chunk's text, so that
   * text is a sound cache key for anything derived from the item alone.
   */
  chunks?: Chunk[];
}

/**
 * One item's text. `errors`: the YAML errors of that text read alone, at offsets relative to `start` (a chunk with
 * errors still holds one item: the yaml library reads past most errors).
 */
export interface Chunk {
  start: number; text: string; errors?: YamlProblem[];
  /** The chunk's anchors and aliases (ChunkAliases): the same object for the same text. */
  aliases?: ChunkAliases;
  /**
   * Set when the item reads another chunk's text through an alias: its text, then each chunk its nodes read (through
   * aliases at any depth) by its place relative to this one and its text. The item's nodes, relative to its start,
   * depend on nothing else (chunkKey).
   */
  key?: string;
  /** With `key`: the same texts without their places, which the item's values (not its spans) depend on alone. */
  valueKey?: string;
  /**
   * With `key`: where the chunks it reads start, relative to this one, in the order `valueKey` names their texts (a
   * finding in one of them is kept relative to it: itemFindings.ts).
   */
  readsAt?: number[];
}

/** What an item's nodes, relative to its chunk's start, depend on: the key for anything derived from the item alone. */
export function chunkKey(chunk: Chunk): string { return chunk.key ?? chunk.text; }

/**
 * What an item's values depend on: its chunk's text and those of the chunks it reads through aliases, wherever they
 * are (an edit between an anchor and its alias moves the anchored text, not what the item reads).
 */
export function chunkValueKey(chunk: Chunk): string { return chunk.valueKey ?? chunk.text; }

export function entryOf(item: { entries: MapEntry[] }, key: string): MapEntry | undefined {
  // A plain loop: the checks call this several times per item, and `find` with a closure allocates per call.
  const entries = item.entries;
  for (let i = 0; i < entries.length; i++) if (entries[i].key === key) return entries[i];
  return undefined;
}

/**
 * The first item of the model whose span holds `offset` (start <= offset < end) and that `accept` takes. A file read
 * chunk by chunk without aliases has each item inside its chunk: only the item of the chunk holding the offset is
 * looked at (a scan would make the nodes of every moved item before it).
 */
export function itemHolding(model: RulesFileModel, offset: number, accept?: (item: ModelItem) => boolean): ModelItem | undefined {
  const chunks = model.chunks;
  if (!chunks || model.aliases) return model.items.find((i) => i.span.start <= offset && offset < i.span.end && (!accept || accept(i)));
  let lo = 0;
  let hi = chunks.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (chunks[mid].start <= offset) { k = mid; lo = mid + 1; } else hi = mid - 1;
  }
  const item = k < 0 ? undefined : model.items[k];
  return item && item.span.start <= offset && offset < item.span.end && (!accept || accept(item)) ? item : undefined;
}

/** Value → document offset map of a scalar (built on first use). */
export function scalarMap(node: ScalarNode): ScalarMap {
  if (!node.mapCache) node.mapCache = buildScalarMap(node.token, node.text, node.tokenShift);
  return node.mapCache;
}

/** The scalar's string value, or undefined for non-scalars and null. */
export function scalarText(node: ModelNode | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null ? node.text : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Conversion from the yaml library's nodes

function spanOfYaml(node: YamlNode | null | undefined, fallback: number): Span {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : { start: fallback, end: fallback };
}

/**
 * How a document's aliases are read. Falco's YAML reader (yaml-cpp) gives an alias the anchored node itself, so
 * `desc: *shared` is that string and `condition: *shared_cond` that condition: an alias becomes the anchored node, at
 * the anchor's place in the text (where its findings and edits belong), and is listed in `uses`. The document is read
 * once, in its order: an anchor is registered where its node starts (yaml-cpp registers it there, so an alias names
 * the last anchor of that name before it, and one inside the anchored node itself is a cycle, left unread) and holds
 * the node once read; an alias gives that very node, so an alias inside an anchored node (`exceptions: &e` whose
 * items use `*f`) is read wherever the anchored node is read, as yaml-cpp's node graph has it. Each alias costs the
 * nodes it gives (aliases inside it counted as what they give); once `budget` is spent, an alias that would exceed it
 * stays unread (`cut`): an alias bomb (anchors nesting aliases) cannot multiply what the checks walk.
 */
interface AliasReading {
  anchors: Map<string, AnchorRef>;
  /** The kinds of the collections being read, outermost first (an anchor's `depth` indexes its own). */
  path: ('seq' | 'map')[];
  budget: number;
  sizes: Map<ModelNode, number>;
  uses: AliasUse[];
  /** An alias was left unread because of the budget. */
  cut: boolean;
  /** The anchors in the order they were registered, and every alias in the text's order (ChunkAliases). */
  registered: { name: string; ref: AnchorRef }[];
  order: ChunkAlias[];
  /** The node standing for each alias whose name no anchor before it has (in a chunk: maybe another item's). */
  pending: Map<ModelNode, string>;
}
/** The nodes reading aliases may add to a file (an alias bomb stays bounded): the configuration service's too. */
export const ALIAS_NODE_BUDGET = 20000;
/** An anchor: its node once read, and where it is in the reading's path while it is being read. */
interface AnchorRef { node?: ModelNode; depth: number }

function newAliasReading(uses: AliasUse[]): AliasReading {
  return { anchors: new Map(), path: [], budget: ALIAS_NODE_BUDGET, sizes: new Map(), uses, cut: false, registered: [], order: [], pending: new Map() };
}

/** An alias of a chunk: read there (`use`), or naming no anchor of the chunk before it (`placeholder`). */
type ChunkAlias = { use: AliasUse; target: ModelNode } | { at: Span; name: string; placeholder: ModelNode };

/**
 * What a chunk's anchors and aliases leave to be read across chunks (parseRulesFile reads them with the file's other
 * chunks, readAcrossChunks): its node, with a placeholder for each alias whose anchor lies in an earlier chunk, its
 * anchors in yaml-cpp's order with the nodes read there, and its aliases in the text's order. Offsets are the chunk's.
 */
export interface ChunkAliases {
  root: ModelNode;
  anchors: { name: string; node: ModelNode }[];
  pending: Map<ModelNode, string>;
  order: ChunkAlias[];
  cut: boolean;
}

function convert(node: YamlNode | null | undefined, fallback: number, aliases: AliasReading): ModelNode | undefined {
  if (node === null || node === undefined) return undefined;
  const span = spanOfYaml(node, fallback);
  if (isAlias(node)) {
    const anchored = aliases.anchors.get(node.source);
    if (!anchored) {
      const placeholder: ModelNode = { kind: 'other', span, unknownAnchor: node.source };
      aliases.pending.set(placeholder, node.source);
      aliases.order.push({ at: span, name: node.source, placeholder });
      return placeholder;
    }
    if (!anchored.node) return cycleNode(span, aliases.path, anchored.depth);
    const cost = nodeCount(anchored.node, aliases.sizes);
    if (cost > aliases.budget) { aliases.cut = true; return { kind: 'other', span }; }
    aliases.budget -= cost;
    const use = { at: span, target: anchored.node.span, anchor: node.source };
    aliases.uses.push(use);
    aliases.order.push({ use, target: anchored.node });
    return anchored.node;
  }
  // Registered before the node's children are read (yaml-cpp's order): a later anchor of the same name inside it wins.
  const anchor = (node as { anchor?: string }).anchor;
  const anchored: AnchorRef | undefined = anchor ? { node: undefined, depth: aliases.path.length } : undefined;
  if (anchor) { aliases.anchors.set(anchor, anchored!); aliases.registered.push({ name: anchor, ref: anchored! }); }
  const converted = convertNode(node, span, aliases);
  if (anchored) anchored.node = converted;
  return converted;
}

/** An alias inside the node of its anchor, read `depth` levels up the path (see OtherNode). */
function cycleNode(span: Span, path: ('seq' | 'map')[], depth: number): OtherNode {
  const cycle = path[depth] ?? 'seq';
  for (let i = depth; i < path.length; i++) if (path[i] !== 'seq') return { kind: 'other', span, cycle };
  return { kind: 'other', span, cycle, loops: true };
}

function convertNode(node: YamlNode, span: Span, aliases: AliasReading): ModelNode {
  if (isScalar(node)) {
    const src = node.srcToken as unknown as ScalarSourceToken | undefined;
    const value = node.value;
    const plainValue = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : String(value);
    // Keep numbers and booleans as written (`0.31.0` stays a string, `15` keeps its spelling).
    const text = typeof value === 'string' ? value : src && src.type === 'scalar' ? src.source : String(value);
    const header = src?.props?.find((p) => p.type === 'block-scalar-header')?.source;
    const token: ScalarSourceToken = src
      ? { type: src.type, offset: src.offset, indent: src.indent, source: src.source, props: src.props?.map((p) => ({ type: p.type, offset: p.offset, source: p.source })) }
      : { type: 'scalar', offset: span.start, indent: 0, source: text };
    return { kind: 'scalar', value: plainValue, text, span, style: scalarStyleOf(token.type, header), token, tokenShift: 0 };
  }
  if (isSeq(node)) {
    const items: ModelNode[] = [];
    aliases.path.push('seq');
    for (const it of node.items) {
      const c = convert(it as YamlNode, span.start, aliases);
      items.push(c ?? { kind: 'scalar', value: null, text: '', span: { start: span.start, end: span.start }, style: 'plain', token: { type: 'scalar', offset: span.start, indent: 0, source: '' }, tokenShift: 0 });
    }
    aliases.path.pop();
    return { kind: 'seq', items, span, flow: !!node.flow };
  }
  if (isMap(node)) {
    const entries: MapEntry[] = [];
    aliases.path.push('map');
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const keySpan = spanOfYaml(keyNode, span.start);
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      // An anchored key (`- &k rule: r`) can be read through an alias too.
      if (isScalar(keyNode) && keyNode.anchor) convert(keyNode, span.start, aliases);
      const valueNode = pair.value as YamlNode | null;
      const value = convert(valueNode, keySpan.end, aliases);
      // An entry ends where its text does: at the `*name` of an alias, not at the anchored node elsewhere.
      const end = valueNode && isAlias(valueNode) ? spanOfYaml(valueNode, keySpan.end).end : value ? value.span.end : keySpan.end;
      entries.push({ key, keySpan, value, span: { start: keySpan.start, end } });
    }
    aliases.path.pop();
    return { kind: 'map', entries, span, flow: !!node.flow };
  }
  return { kind: 'other', span };
}

/**
 * The nodes a node holds, itself included, aliases inside it counted as the nodes they give (what reading an alias to
 * it costs). `sizes` remembers each node's count: a node given by several aliases is counted once.
 */
function nodeCount(node: ModelNode | undefined, sizes: Map<ModelNode, number>, placed?: Map<ModelNode, ModelNode>): number {
  if (!node) return 0;
  if (placed && node.kind === 'other') { const anchored = placed.get(node); if (anchored) return nodeCount(anchored, sizes); }
  if (node.kind !== 'seq' && node.kind !== 'map') return 1;
  let n = sizes.get(node);
  if (n !== undefined) return n;
  n = 1;
  if (node.kind === 'seq') for (const i of node.items) n += nodeCount(i, sizes, placed);
  else for (const e of node.entries) n += 1 + nodeCount(e.value, sizes, placed);
  sizes.set(node, n);
  return n;
}

const NO_ENTRIES: MapEntry[] = [];

/**
 * A top-level item. Its kind, name and index are plain fields; its nodes were read at its place, or, for an item an
 * edit moved, where an earlier item was read: those are moved by `shift` when first read (`node`, `entries`, `span`,
 * `kindEntry`, `nameSpan`) and kept. An edit near the top of a file moves every item below it, and most of them are
 * never read at their new place before the next edit moves them again. The values (keys, scalars) are the same
 * wherever the nodes are (itemValues).
 */
class Item implements ModelItem {
  readonly kind: ItemKind | 'unknown' | 'invalid';
  readonly name: string | undefined;
  readonly index: number;
  /** Where the kind key is among the entries (-1: none). */
  private readonly kindAt: number;
  /** The item's node: at its place when `shift` is 0, else `shift` characters before it. */
  private tree: ModelNode;
  private shift: number;

  constructor(kind: ItemKind | 'unknown' | 'invalid', name: string | undefined, index: number, kindAt: number, tree: ModelNode, shift: number) {
    this.kind = kind;
    this.name = name;
    this.index = index;
    this.kindAt = kindAt;
    this.tree = tree;
    this.shift = shift;
  }

  get node(): ModelNode { return this.shift === 0 ? this.tree : this.place(); }
  get entries(): MapEntry[] { const n = this.node; return n.kind === 'map' ? n.entries : NO_ENTRIES; }
  get span(): Span { return this.node.span; }
  get kindEntry(): MapEntry | undefined { return this.kindAt < 0 ? undefined : this.entries[this.kindAt]; }
  get nameSpan(): Span | undefined { return this.name === undefined ? undefined : this.kindEntry!.value!.span; }
  /** The node as read, wherever it is (itemValues). */
  get values(): ModelNode { return this.tree; }

  /** The item at index `index`, moved by `d` (its nodes made when first read). */
  movedTo(index: number, d: number): Item {
    return d === 0 && index === this.index ? this : new Item(this.kind, this.name, index, this.kindAt, this.tree, this.shift + d);
  }

  private place(): ModelNode {
    this.tree = shiftNode(this.tree, this.shift);
    this.shift = 0;
    return this.tree;
  }

  /** What JSON and the tests' comparisons see: the item's fields, whether its nodes are made yet or not. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: this.kind };
    if (this.name !== undefined) { out.name = this.name; out.nameSpan = this.nameSpan; }
    if (this.kindAt >= 0) out.kindEntry = this.kindEntry;
    out.node = this.node;
    out.entries = this.entries;
    out.span = this.span;
    out.index = this.index;
    return out;
  }
}

/** An item read at its place (`node` at document offsets), or read elsewhere and moved by `shift` when first read. */
function toItem(node: ModelNode, index: number, shift = 0): ModelItem {
  if (node.kind !== 'map') return new Item('invalid', undefined, index, -1, node, shift);
  // Falco tests the kind keys in this order (rule_loader_reader.cpp 0.37.0:386-511, 0.44.0:455-654: list before
  // macro), so `- macro: a` with a stray `rule:` is a macro, and with a stray `list:` a list:
  // the first entry of the kind key that comes first in KIND_PRECEDENCE. One pass over the entries (every item of a
  // new text comes through here; the search per kind key made a closure per key and scanned the entries up to five
  // times).
  const entries = node.entries;
  let kindAt = -1;
  let best = KIND_PRECEDENCE.length;
  for (let i = 0; i < entries.length; i++) {
    const rank = KIND_PRECEDENCE.indexOf(entries[i].key as ItemKind);
    if (rank >= 0 && rank < best) { best = rank; kindAt = i; }
  }
  const kind = kindAt >= 0 ? (entries[kindAt].key as ItemKind) : 'unknown';
  const v = kindAt >= 0 && (kind === 'rule' || kind === 'macro' || kind === 'list') ? entries[kindAt].value : undefined;
  const name = v?.kind === 'scalar' && v.value !== null ? v.text : undefined;
  return new Item(kind, name, index, kindAt, node, shift);
}

/**
 * The item's node as it has it: at its place, or where it was read before an edit moved it (then shared with the
 * items it was moved from, and with items read from the same cached chunk text). For its values only (keys,
 * scalars), never its spans, nor its identity (it becomes the placed node once something reads the item's nodes):
 * the checks asked of every item on every validation read values here, without making the nodes of a moved item.
 */
export function itemValues(item: ModelItem): ModelNode {
  return item instanceof Item ? item.values : item.node;
}

/** The value of the item's entry `key` (the first), for its value only (see itemValues: its spans may be stale). */
export function entryValue(item: ModelItem, key: string): ModelNode | undefined {
  const n = itemValues(item);
  return n.kind === 'map' ? entryOf(n, key)?.value : undefined;
}

/** Whether the item has an entry `key` (without making a moved item's nodes). */
export function hasEntry(item: ModelItem, key: string): boolean {
  const n = itemValues(item);
  return n.kind === 'map' && entryOf(n, key) !== undefined;
}

/** `item` at index `index`, moved by `d`. */
function movedItem(item: ModelItem, index: number, d: number): ModelItem {
  // Every item of a model comes from toItem.
  return (item as Item).movedTo(index, d);
}

interface ParsedText {
  items: ModelNode[]; errors: YamlProblem[]; notSequence?: Span; clean: boolean;
  /** One document whose root is a sequence of exactly one item, errors or not: what a chunk must read as. */
  oneItem: boolean;
  /** The aliases read as their anchored nodes. */
  aliases: AliasUse[];
  /** A one-item text's anchors and aliases, for the reading across chunks (absent without any). */
  chunkAliases?: ChunkAliases;
  /** The aliases naming no anchor before them in their document (absent when none). */
  unknown?: UnknownAlias[];
}

/** An alias naming no anchor before it, and where the node of a later anchor of its name starts, if one does. */
interface UnknownAlias { at: Span; name: string; later?: number }

/**
 * An alias naming no anchor before it: yaml-cpp refuses the document there. SingleDocParser::LookupAnchor throws a
 * ParserException at the alias's mark (ErrorMsg::UNKNOWN_ANCHOR: "the referenced anchor is not defined", plus ": "
 * and the name from yaml-cpp 0.8.0: singledocparser.cpp 0.7.0:425-430, 0.8.0:426-434, c2bec4c:425-433; Falco 0.37
 * builds 0.7.0, 0.38-0.39 0.8.0, 0.40-0.44 c2bec4c, cmake/modules/yaml-cpp.cmake), and its anchors are the
 * document's (one SingleDocParser per document), registered where their node starts (HandleNode). Falco's reader
 * catches it around LoadAll and fails the file with LOAD_ERR_YAML_PARSE and e.what(), "yaml-cpp: error at line L,
 * column C: ..." (rule_loader_reader.cpp 0.37.0:742-748, 0.44.0:974-980): none of the file's items is loaded.
 */
function unknownAnchorProblem(text: string, u: UnknownAlias): YamlProblem {
  return { code: 'UNKNOWN_ANCHOR', span: u.at, message: `${unknownAnchorText(text, u.at.start, u.name, u.later)}, so Falco loads none of its items.` };
}

/**
 * What yaml-cpp says of an alias at `at` naming no anchor before it (`later`: where the node of a later anchor of its
 * name starts, if one does), up to what that does to the file: the rules and configuration services both say it.
 */
export function unknownAnchorText(text: string, at: number, name: string, later?: number): string {
  let where = `no anchor &${name} comes before it in the document`;
  if (later !== undefined) {
    const anchor = text.lastIndexOf(`&${name}`, later);
    const found = anchor >= 0 ? anchor : later;
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < found; i = text.indexOf('\n', i + 1)) line++;
    where = `its anchor &${name} comes only later (line ${line}), and YAML reads an anchor before its aliases`;
  }
  // yaml-cpp counts a column in UTF-8 bytes (stream.cpp Stream::get).
  const line = text.slice(0, at).split('\n');
  const falco = `yaml-cpp: error at line ${line.length}, column ${Buffer.byteLength(line[line.length - 1], 'utf8') + 1}: the referenced anchor is not defined: ${name}`;
  return `the alias *${name} names no anchor: ${where}. Falco's YAML reader refuses the file here ("${falco}"; Falco 0.37 does not print the name)`;
}

/** The YAML errors with those of the aliases naming no anchor, in the text's order. */
function withUnknownAnchors(text: string, errors: YamlProblem[], unknown: UnknownAlias[] | undefined): YamlProblem[] {
  if (!unknown || unknown.length === 0) return errors;
  return [...errors, ...unknown.map((u) => unknownAnchorProblem(text, u))].sort((a, b) => a.span.start - b.span.start);
}

/** Where the node of the first anchor `name` registered after offset `after` starts. */
function laterAnchor(anchors: { name: string; node?: ModelNode }[], name: string, after: number, base = 0): number | undefined {
  for (const a of anchors) if (a.name === name && a.node && a.node.span.start + base > after) return a.node.span.start + base;
  return undefined;
}

/** The first line of a YAML error; the parser's own stack exhaustion on absurd nesting is said in plain words. */
function readableYamlError(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return 'nested too deeply to be read (thousands of levels); no rules file needs this';
  return message.split('\n')[0];
}

function parseYaml(text: string): ParsedText {
  const docs: Document.Parsed[] = [];
  // yaml-cpp, Falco's YAML reader, accepts a key written twice and reads the first (node_data::get): not a YAML error
  // here either; validate.ts warns about the second.
  const composer = new Composer({ keepSourceTokens: true, uniqueKeys: false });
  for (const d of composer.compose(new Parser().parse(text), true)) docs.push(d as Document.Parsed);
  const errors: YamlProblem[] = [];
  const items: ModelNode[] = [];
  let notSequence: Span | undefined;
  const uses: AliasUse[] = [];
  let reading: AliasReading | undefined;
  let unknown: UnknownAlias[] | undefined;
  for (const doc of docs) {
    for (const e of doc.errors) errors.push({ message: readableYamlError(e.message), span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) }, code: e.code });
    const root = doc.contents as YamlNode | null;
    if (root === null || root === undefined) continue;
    if (isScalar(root) && (root.value === null || root.value === '')) continue;
    // A document that is an alias: no anchor comes before its root, so yaml-cpp refuses it (UNKNOWN_ANCHOR).
    if (isAlias(root)) { (unknown ??= []).push({ at: spanOfYaml(root, 0), name: root.source }); continue; }
    if (!isSeq(root)) { notSequence ??= spanOfYaml(root, 0); continue; }
    reading = newAliasReading(uses);
    const seq = convert(root, 0, reading) as SeqNode;
    for (const x of seq.items) items.push(x); // not push(...): 150,000 items overflow the stack
    const registered = reading.registered.map((a) => ({ name: a.name, node: a.ref.node }));
    for (const [placeholder, name] of reading.pending) (unknown ??= []).push({ at: placeholder.span, name, later: laterAnchor(registered, name, placeholder.span.start) });
  }
  const oneItem = !notSequence && docs.length <= 1 && items.length === 1;
  const chunkAliases = oneItem && reading && (reading.registered.length > 0 || reading.order.length > 0)
    ? { root: items[0], anchors: reading.registered.map((a) => ({ name: a.name, node: a.ref.node! })), pending: reading.pending, order: reading.order, cut: reading.cut }
    : undefined;
  return { items, errors, notSequence, clean: errors.length === 0 && !notSequence && docs.length <= 1, oneItem, aliases: uses, ...(chunkAliases ? { chunkAliases } : {}), ...(unknown ? { unknown } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Chunking

/** Start offsets of top-level items when the file has the usual shape, or undefined to parse it in one piece. */
export function chunkStarts(text: string): number[] | undefined {
  const starts: number[] = [];
  let offset = 0;
  let sawContent = false;
  while (offset < text.length) {
    let eol = text.indexOf('\n', offset);
    if (eol < 0) eol = text.length;
    const c0 = text.charCodeAt(offset);
    if (c0 === 45 /* - */) {
      const c1 = text.charCodeAt(offset + 1);
      if (c1 === 32 || c1 === 9 || c1 === 10 || c1 === 13 || offset + 1 >= text.length) { starts.push(offset); sawContent = true; }
      else return undefined; // `---` document marker or a plain scalar at column 0
    } else if (c0 === 35 /* # */ || c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13) {
      // comment, indented line (belongs to the current item) or blank line
      if (!sawContent && (c0 === 32 || c0 === 9) && text.slice(offset, eol).trim() !== '' && !text.slice(offset, eol).trim().startsWith('#')) return undefined;
    } else {
      return undefined; // anything else at column 0 (a mapping, `...`, a flow sequence): not the usual shape
    }
    offset = eol + 1;
  }
  return starts;
}

// Written out field by field (no object spread, no map callbacks): after an edit near the top of a file every item
// below it is shifted, so this runs for hundreds of items per keystroke and must cost less than reading them again.
// Nested objects are built by literals of their own (see scalarNode in fastparse.ts: a literal with nested literals
// is copied by the runtime, object by object).
function shiftNode(n: ModelNode, d: number): ModelNode {
  const span = { start: n.span.start + d, end: n.span.end + d };
  switch (n.kind) {
    case 'scalar': return { kind: 'scalar', value: n.value, text: n.text, span, style: n.style, token: n.token, tokenShift: n.tokenShift + d };
    case 'seq': {
      const items: ModelNode[] = [];
      for (const item of n.items) items.push(shiftNode(item, d));
      return { kind: 'seq', items, span, flow: n.flow };
    }
    case 'map': {
      const entries: MapEntry[] = [];
      for (const e of n.entries) {
        const keySpan = { start: e.keySpan.start + d, end: e.keySpan.end + d };
        const entrySpan = { start: e.span.start + d, end: e.span.end + d };
        entries.push({ key: e.key, keySpan, value: e.value && shiftNode(e.value, d), span: entrySpan });
      }
      return { kind: 'map', entries, span, flow: n.flow };
    }
    default: return otherAt(n, span);
  }
}

/** An OtherNode at another place, keeping what it says. */
function otherAt(n: OtherNode, span: Span): OtherNode {
  if (n.cycle !== undefined) return n.loops ? { kind: 'other', span, cycle: n.cycle, loops: true } : { kind: 'other', span, cycle: n.cycle };
  return n.unknownAnchor === undefined ? { kind: 'other', span } : { kind: 'other', span, unknownAnchor: n.unknownAnchor };
}

/** Parsed chunks by their text; shared by all files (identical items parse identically). Bounded. */
const chunkCache = new Map<string, ParsedText>();
const CHUNK_CACHE_LIMIT = 20000;

/** Forgets the parsed chunks (tests compare incremental parses with parses from nothing). */
export function clearChunkCache(): void { chunkCache.clear(); }

function parseChunk(chunk: string): ParsedText {
  let parsed = chunkCache.get(chunk);
  if (parsed) {
    // Refresh its place in the insertion order so that often used chunks survive trimming.
    chunkCache.delete(chunk);
    chunkCache.set(chunk, parsed);
    return parsed;
  }
  parsed = parseYaml(chunk);
  if (chunkCache.size >= CHUNK_CACHE_LIMIT) {
    let drop = CHUNK_CACHE_LIMIT / 4;
    for (const key of chunkCache.keys()) { chunkCache.delete(key); if (--drop <= 0) break; }
  }
  chunkCache.set(chunk, parsed);
  return parsed;
}

/**
 * The node of the one item of `text.slice(start, end)` as the yaml library reads it, at document offsets, or undefined
 * when that text is not exactly one cleanly parsed item. The reference the fast reader is tested against.
 */
export function yamlItemNode(text: string, start: number, end: number): ModelNode | undefined {
  const parsed = parseYaml(text.slice(start, end));
  if (!parsed.clean || parsed.items.length !== 1) return undefined;
  return start === 0 ? parsed.items[0] : shiftNode(parsed.items[0], start);
}

/** Where a text differs from an earlier one: its first `prefix` and last `suffix` characters are the earlier ones. */
export interface ChangedRegion { prefix: number; suffix: number }

/**
 * Parses a rules file into its model. `previous`, an earlier model of the same file, lets unchanged items that kept
 * their offset be reused as they are. `changed`, where `text` differs from `previous.text` (from the editor's content
 * changes), limits the search for item starts and the comparison of items to the edited region.
 */
export function parseRulesFile(uri: string, text: string, previous?: RulesFileModel, changed?: ChangedRegion): RulesFileModel {
  if (previous?.chunks && changed) {
    const model = parseAroundChange(uri, text, previous, previous.chunks, changed);
    if (model) return model;
  }
  const starts = chunkStarts(text);
  if (starts && starts.length > 0) {
    const reusable = new Map<number, { chunk: Chunk; item: ModelItem }>();
    previous?.chunks?.forEach((chunk, i) => reusable.set(chunk.start, { chunk, item: previous.items[i] }));
    const shift = previous ? text.length - previous.text.length : 0;
    const items: ModelItem[] = [];
    const chunks: Chunk[] = [];
    let ok = true;
    for (let i = 0; i < starts.length && ok; i++) {
      const start = starts[i];
      const end = i + 1 < starts.length ? starts[i + 1] : text.length;
      const chunkText = text.slice(start, end);
      const earlier = reusable.get(start);
      if (earlier && earlier.chunk.text === chunkText) {
        items.push(movedItem(earlier.item, i, 0));
        chunks.push(earlier.chunk);
        continue;
      }
      // An item after the edit, unchanged but moved by the length the edit added or removed: its nodes shifted (the
      // same as reading it again, far cheaper), and the previous chunk's string kept, so that the caches keyed by
      // chunk text find it without hashing and comparing a new copy.
      const moved = shift !== 0 ? reusable.get(start - shift) : undefined;
      if (moved && moved.chunk.text === chunkText) {
        items.push(movedItem(moved.item, i, shift));
        chunks.push(movedChunk(moved.chunk, start));
        continue;
      }
      // Most items have the regular shape the fast reader handles; it declines the others (see fastparse.ts).
      const fast = fastParseItem(text, start, end);
      if (fast) {
        items.push(toItem(fast, i));
        chunks.push({ start, text: chunkText });
        continue;
      }
      // The yaml library reads the chunk; a YAML error in it stays in it (see chunkedYamlErrors).
      const parsed = parseChunk(chunkText);
      if (!parsed.oneItem) { ok = false; break; }
      items.push(toItem(parsed.items[0], i, start));
      chunks.push(chunkOf(start, chunkText, parsed));
    }
    const model = ok ? chunkedModel(uri, text, items, chunks) : undefined;
    if (model) return model;
  }
  return parseWholeText(uri, text);
}

/** The file read in one piece by the yaml library: the reference a chunked reading of aliases is tested against. */
export function parseWholeText(uri: string, text: string): RulesFileModel {
  const whole = parseYaml(text);
  return withLines({ uri, text, items: whole.items.map((n, i) => toItem(n, i)), yamlErrors: withUnknownAnchors(text, whole.errors, whole.unknown), notSequence: whole.notSequence, ...(whole.aliases.length > 0 ? { aliases: whole.aliases } : {}) });
}

/**
 * The model of an edited file whose previous model was read chunk by chunk, when the text outside the changed region
 * is the previous text: the items whose chunks end before the first changed line are taken as they are, the lines from
 * the chunk holding that line to the first line after the region are searched for item starts, and the items after it
 * are the previous ones moved by the length difference. Undefined when that cannot be decided locally (the file then
 * goes through the whole-text path, which gives the same model).
 */
function parseAroundChange(uri: string, text: string, previous: RulesFileModel, before: Chunk[], changed: ChangedRegion): RulesFileModel | undefined {
  const old = previous.text;
  const delta = text.length - old.length;
  const prefix = changed.prefix;
  const suffix = changed.suffix;
  if (!(prefix >= 0 && suffix >= 0 && prefix + suffix <= Math.min(old.length, text.length)) || before.length === 0) return undefined;
  // Lines wholly before the changed line are unchanged, and so is every chunk that ends before it.
  const changedLine = prefix === 0 ? 0 : text.lastIndexOf('\n', prefix - 1) + 1;
  // The last chunk starting before the changed line: the search starts at its start (an unchanged item start), and
  // the chunks before it are kept. None: the search starts at the top.
  let last = 0;
  while (last + 1 < before.length && before[last + 1].start < changedLine) last++;
  const scanFrom = before[last].start < changedLine ? before[last].start : 0;
  const kept = scanFrom === 0 ? 0 : last;
  // Item starts from there to the first line that starts after the region (from it on, lines are the previous ones).
  const changedEnd = text.length - suffix;
  const starts: number[] = [];
  let offset = scanFrom;
  let sawContent = kept > 0;
  while (offset < text.length && offset <= changedEnd) {
    let eol = text.indexOf('\n', offset);
    if (eol < 0) eol = text.length;
    const c0 = text.charCodeAt(offset);
    if (c0 === 45 /* - */) {
      const c1 = text.charCodeAt(offset + 1);
      if (c1 === 32 || c1 === 9 || c1 === 10 || c1 === 13 || offset + 1 >= text.length) { starts.push(offset); sawContent = true; } else return undefined;
    } else if (c0 === 35 /* # */ || c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13) {
      if (!sawContent && (c0 === 32 || c0 === 9) && text.slice(offset, eol).trim() !== '' && !text.slice(offset, eol).trim().startsWith('#')) return undefined;
    } else return undefined;
    offset = eol + 1;
  }
  const resume = Math.min(offset, text.length);
  // The previous chunks that start at or after that line, moved by the length difference.
  let tail = kept;
  while (tail < before.length && before[tail].start < resume - delta) tail++;
  // Indented lines before the first item are refused by the whole-text path; the previous text had an item before
  // them and this one may not: let that path decide.
  if (!sawContent && tail > 0) return undefined;
  if (kept + starts.length + (before.length - tail) === 0) return undefined;
  const items: ModelItem[] = [];
  const chunks: Chunk[] = [];
  for (let i = 0; i < kept; i++) { items.push(previous.items[i]); chunks.push(before[i]); }
  const middleEnd = tail < before.length ? before[tail].start + delta : text.length;
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k];
    const end = k + 1 < starts.length ? starts[k + 1] : middleEnd;
    const i = items.length;
    // A chunk of the searched lines may still be a previous one (at the same place, or moved).
    let reused = false;
    for (let j = kept; j < tail && !reused; j++) {
      const c = before[j];
      if ((c.start === start || c.start + delta === start) && c.text.length === end - start && text.startsWith(c.text, start)) {
        const item = previous.items[j];
        items.push(movedItem(item, i, start - c.start));
        chunks.push(c.start === start ? c : movedChunk(c, start));
        reused = true;
      }
    }
    if (reused) continue;
    // New text of an edit: read from a copy of its own, at offset 0, its nodes placed at `start` when first read.
    // Read from the document's text, every string of its nodes (names, conditions, values) was a slice of that text,
    // and the caches keyed by such strings kept a whole version of the file alive per edit for as long as they kept
    // the entry: with the official files open, most of the old-space garbage of the bench's edits (session 24).
    const chunkText = ownCopy(text.slice(start, end));
    const fast = fastParseItem(chunkText, 0, chunkText.length);
    if (fast) { items.push(toItem(fast, i, start)); chunks.push({ start, text: chunkText }); continue; }
    const parsed = parseChunk(chunkText);
    if (!parsed.oneItem) return undefined;
    items.push(toItem(parsed.items[0], i, start));
    chunks.push(chunkOf(start, chunkText, parsed));
  }
  for (let j = tail; j < before.length; j++) {
    const c = before[j];
    const item = previous.items[j];
    const i = items.length;
    items.push(movedItem(item, i, delta));
    chunks.push(delta === 0 ? c : movedChunk(c, c.start + delta));
  }
  return chunkedModel(uri, text, items, chunks);
}

/**
 * `s` in a string of its own: V8 makes a slice of a long string a view of it, and a view keeps the whole string alive;
 * slicing the concatenation copies the characters first, so the result views only that copy.
 */
function ownCopy(s: string): string {
  return (' ' + s).slice(1);
}

/** A chunk moved to `start`, with its errors (relative to its start, so they move with it) and its aliases. */
function movedChunk(c: Chunk, start: number): Chunk {
  const moved: Chunk = c.errors ? { start, text: c.text, errors: c.errors } : { start, text: c.text };
  if (c.aliases) moved.aliases = c.aliases;
  return moved;
}

function chunkOf(start: number, text: string, parsed: ParsedText): Chunk {
  const chunk: Chunk = parsed.clean ? { start, text } : { start, text, errors: parsed.errors };
  if (parsed.chunkAliases) chunk.aliases = parsed.chunkAliases;
  return chunk;
}

/**
 * The model of a file read chunk by chunk, its aliases read across chunks; undefined when they take the file past
 * the alias budget (the whole-text path then reads them in order, leaving the ones past it unread).
 */
function chunkedModel(uri: string, text: string, items: ModelItem[], chunks: Chunk[]): RulesFileModel | undefined {
  let aliases: AliasUse[] | undefined;
  let unknown: UnknownAlias[] | undefined;
  for (let i = 0; i < chunks.length; i++) {
    if (!chunks[i].aliases) continue;
    const read = readAcrossChunks(chunks, items, i);
    if (!read) return undefined;
    if (read.uses.length > 0) aliases = read.uses;
    unknown = read.unknown;
    break;
  }
  return withLines({ uri, text, items, yamlErrors: withUnknownAnchors(text, chunkedYamlErrors(chunks), unknown), chunks, ...(aliases ? { aliases } : {}) });
}

/**
 * Reads the aliases of a file's chunks as the whole text would be read (parseYaml), from chunk `first` (the first
 * with anchors or aliases) on, replacing in place the items and chunks that read another chunk's text. An alias a
 * chunk could not read names the last anchor of its name in the chunks before; the item holding it is built again
 * from its chunk's node with the anchored nodes in place (moved or reused items would keep the nodes of an anchored
 * text that may have changed), and its chunk gets a key naming the chunks it reads (chunkKey). Every alias is read
 * while they cost no more than the budget together; past it, undefined (reading them in order decides which stay
 * unread). Returns the aliases read, in the text's order, at document offsets, and those naming no anchor before them.
 */
function readAcrossChunks(chunks: Chunk[], items: ModelItem[], first: number): { uses: AliasUse[]; unknown?: UnknownAlias[] } | undefined {
  const anchors = new Map<string, { node: ModelNode; chunk: number }>();
  const reads: (Set<number> | undefined)[] = [];
  const uses: AliasUse[] = [];
  let unknown: UnknownAlias[] | undefined;
  let spent = 0;
  for (let i = first; i < chunks.length; i++) {
    const chunk = chunks[i];
    const info = chunk.aliases;
    if (!info) continue;
    if (info.cut) return undefined;
    const base = chunk.start;
    // Local node → document node: the placeholders first, as the anchored nodes they stand for.
    const placed = new Map<ModelNode, ModelNode>();
    const resolved = new Map<ModelNode, ModelNode>();
    let read: Set<number> | undefined;
    for (const [placeholder, name] of info.pending) {
      const anchored = anchors.get(name);
      if (!anchored) continue;
      placed.set(placeholder, anchored.node);
      resolved.set(placeholder, anchored.node);
      read ??= new Set();
      read.add(anchored.chunk);
      for (const j of reads[anchored.chunk] ?? []) read.add(j);
    }
    if (info.pending.size > 0) {
      items[i] = toItem(placeNode(info.root, base, placed), i);
      let key: string | undefined;
      let valueKey: string | undefined;
      let readsAt: number[] | undefined;
      if (read) {
        key = valueKey = chunk.text;
        readsAt = [];
        for (const j of [...read].sort((a, b) => a - b)) {
          key += `\u0000${chunks[j].start - base}\u0000${chunks[j].text}`;
          valueKey += `\u0000${chunks[j].text}`;
          readsAt.push(chunks[j].start - base);
        }
      }
      if (key !== chunk.key) {
        const keyed = movedChunk(chunk, base);
        if (key !== undefined) { keyed.key = key; keyed.valueKey = valueKey; keyed.readsAt = readsAt; }
        chunks[i] = keyed;
      }
    }
    reads[i] = read;
    // Counted per chunk: chunks of one text share their nodes (chunkCache), whose placeholders may name other anchors.
    const sizes = new Map<ModelNode, number>();
    const count = (node: ModelNode) => nodeCount(placed.get(node) ?? node, sizes, placed);
    for (const a of info.order) {
      if ('use' in a) {
        spent += count(a.target);
        uses.push({ at: { start: a.use.at.start + base, end: a.use.at.end + base }, target: { start: a.use.target.start + base, end: a.use.target.end + base }, anchor: a.use.anchor });
      } else {
        const anchored = resolved.get(a.placeholder);
        if (!anchored) {
          const at = { start: a.at.start + base, end: a.at.end + base };
          let later: number | undefined;
          for (let j = i; j < chunks.length && later === undefined; j++) later = laterAnchor(chunks[j].aliases?.anchors ?? [], a.name, at.start, chunks[j].start);
          (unknown ??= []).push({ at, name: a.name, later });
          continue;
        }
        spent += count(anchored);
        uses.push({ at: { start: a.at.start + base, end: a.at.end + base }, target: anchored.span, anchor: a.name });
      }
      if (spent > ALIAS_NODE_BUDGET) return undefined;
    }
    for (const a of info.anchors) anchors.set(a.name, { node: placeNode(a.node, base, placed), chunk: i });
  }
  return unknown ? { uses, unknown } : { uses };
}

/**
 * A chunk's node at document offsets (moved by `base`), the nodes in `placed` given as they are there (placeholders
 * as their anchored nodes); a node met twice (read through an alias of the chunk) is placed once and shared.
 */
function placeNode(n: ModelNode, base: number, placed: Map<ModelNode, ModelNode>): ModelNode {
  const done = placed.get(n);
  if (done) return done;
  let out: ModelNode;
  const span = { start: n.span.start + base, end: n.span.end + base };
  switch (n.kind) {
    case 'scalar': out = { kind: 'scalar', value: n.value, text: n.text, span, style: n.style, token: n.token, tokenShift: n.tokenShift + base }; break;
    case 'seq': {
      const items: ModelNode[] = [];
      for (const item of n.items) items.push(placeNode(item, base, placed));
      out = { kind: 'seq', items, span, flow: n.flow };
      break;
    }
    case 'map': {
      const entries: MapEntry[] = [];
      for (const e of n.entries) {
        entries.push({ key: e.key, keySpan: { start: e.keySpan.start + base, end: e.keySpan.end + base }, value: e.value && placeNode(e.value, base, placed), span: { start: e.span.start + base, end: e.span.end + base } });
      }
      out = { kind: 'map', entries, span, flow: n.flow };
      break;
    }
    default: out = otherAt(n, span);
  }
  placed.set(n, out);
  return out;
}

const NO_YAML_ERRORS: YamlProblem[] = [];

/**
 * The YAML errors of a file read chunk by chunk: each chunk's own, at file offsets. A file whose items all start with
 * `- ` at column 0 is read one item at a time even when an item has a YAML error (typing a new key gives one until
 * its colon): the error is reported where it is and the other items are read and checked as usual, instead of the
 * whole text going through the yaml library, whose reading of the items after an error can differ from what was
 * meant (an unclosed quote there runs into the next items). Falco refuses the file either way.
 */
function chunkedYamlErrors(chunks: Chunk[]): YamlProblem[] {
  let out: YamlProblem[] | undefined;
  for (const c of chunks) {
    if (!c.errors) continue;
    out ??= [];
    for (const e of c.errors) out.push({ message: e.message, span: { start: e.span.start + c.start, end: e.span.end + c.start }, code: e.code });
  }
  return out ?? NO_YAML_ERRORS;
}

/**
 * The model with its line index built on first use: a file without problems needs no positions to publish its
 * (empty) diagnostics, and the index is built when a feature first asks for a position.
 */
function withLines(fields: Omit<RulesFileModel, 'lines'>): RulesFileModel {
  return new LazyLinesModel(fields);
}

// A class, not an object literal with a getter: V8 gives such literals a slow shape, and every model read through
// one (an edit's parse reads the previous model item by item) became 2-3 times slower.
class LazyLinesModel implements RulesFileModel {
  readonly uri: string;
  readonly text: string;
  readonly items: ModelItem[];
  readonly yamlErrors: YamlProblem[];
  readonly notSequence?: Span;
  readonly aliases?: AliasUse[];
  readonly chunks?: Chunk[];
  private lineIndex: LineIndex | undefined;

  constructor(fields: Omit<RulesFileModel, 'lines'>) {
    this.uri = fields.uri;
    this.text = fields.text;
    this.items = fields.items;
    this.yamlErrors = fields.yamlErrors;
    this.notSequence = fields.notSequence;
    this.aliases = fields.aliases;
    this.chunks = fields.chunks;
  }

  get lines(): LineIndex { return (this.lineIndex ??= new LineIndex(this.text)); }
}
