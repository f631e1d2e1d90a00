// The model of a Falco configuration file (falco.yaml, a config.d file): the `yaml` package's document with source
// ranges, and how Falco reads each scalar. One parse per document version; the file is small (a default falco.yaml
// is about 1,400 lines, mostly comments), so it is read whole.
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Parser, visit, YAMLParseError, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { ALIAS_NODE_BUDGET, unknownAnchorText, yamlCppBoolean } from '../rules/model';
import { LineIndex } from '../text';

export interface ConfigModel {
  text: string;
  lines: LineIndex;
  doc: Document.Parsed;
  /** The top-level mapping, or undefined when the file is empty or not a mapping. */
  root?: YAMLMap;
  /** The aliases read as their anchored nodes (readAliases), in the text's order; absent when the file has none. */
  aliases?: ConfigAlias[];
  /** The offsets of the copies the aliases gave (readAliases), in the order they were made. */
  regions?: AliasRegion[];
}

export function parseConfig(text: string): ConfigModel {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  const model: ConfigModel = { text, lines: new LineIndex(text), doc };
  readAliases(model);
  model.root = isMap(doc.contents) ? doc.contents : undefined;
  return model;
}

// ---- Aliases, read as yaml-cpp reads them ----
//
// Falco reads its configuration with yaml-cpp, which gives an alias the anchored node itself (NodeBuilder::OnAlias
// pushes the node registered for the anchor): `syslog_output: *o` is the mapping written at `&o`. The configuration
// is read as the rules are (rules/model.ts, ARCHITECTURE "A YAML alias is read as yaml-cpp reads it"): in the text's
// order, an anchor registered where its node starts, an alias naming the last anchor of its name before it, an alias
// inside its anchor's own node (a node holding itself) left unread, and the nodes aliases add bounded by the rules
// side's budget. An alias naming no anchor before it makes yaml-cpp refuse the file (a YAML error here).
//
// The checks walk the `yaml` package's nodes, so each alias is replaced by a copy of its anchored node whose offsets
// are virtual: past the end of the text, in a region of the copy's own (AliasRegion). A finding on a copy is placed
// back where its text is (realSpan): in the anchored text, with the alias it was read through, or at the alias
// itself when it is about the whole value the alias gives. An offset past the text's end is a virtual one.

/** An alias read as its anchored node: `at` is the `*name`, `target` the node of `&name` (in the text; it may hold
 *  copies of other aliases). */
export interface ConfigAlias { at: [number, number]; target: [number, number]; anchor: string }

/** Virtual offsets [start, end] of a copy made for `use`, standing for the offsets from `source` on (real ones, or
 *  those of another region: an alias inside the anchored text, copied again). */
export interface AliasRegion { start: number; end: number; source: number; use: ConfigAlias }

/** Replaces every alias of the document by a copy of the node its anchor names (see above); lists the aliases naming
 *  no anchor as YAML errors. */
function readAliases(model: ConfigModel): void {
  const { doc, text } = model;
  if (!text.includes('*')) return;
  const anchors = new Map<string, Node>();
  const registered: { name: string; at: number }[] = [];
  const open = new Set<Node>();
  const unknown: Alias[] = [];
  const aliases: ConfigAlias[] = [];
  const regions: AliasRegion[] = [];
  const sizes = new WeakMap<Node, number>();
  let budget = ALIAS_NODE_BUDGET;
  let next = text.length + 1;

  const size = (node: Node): number => {
    let n = sizes.get(node);
    if (n !== undefined) return n;
    n = 1;
    if (isMap(node)) for (const p of node.items) n += (p.key ? size(p.key as Node) : 0) + (p.value ? size(p.value as Node) : 0);
    else if (isSeq(node)) for (const i of node.items) n += i ? size(i as Node) : 0;
    sizes.set(node, n);
    return n;
  };
  const copy = (anchored: Node, use: ConfigAlias): Node => {
    const made = new Map<AliasRegion | undefined, AliasRegion>();
    const move = (offset: number): number => {
      const from = offset > text.length ? regionAt(regions, offset) : undefined;
      let region = made.get(from);
      if (!region) {
        const [start, end] = from ? [from.start, from.end] : use.target;
        region = { start: next, end: next + (end - start), source: start, use };
        next = region.end + 1;
        regions.push(region);
        made.set(from, region);
      }
      const base = from ? from.start : use.target[0];
      return region.start + Math.min(Math.max(offset - base, 0), region.end - region.start);
    };
    const clone = anchored.clone() as Node;
    visit(clone, (_key, node) => {
      if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) {
        if (node.range) node.range = [move(node.range[0]), move(node.range[1]), move(node.range[2])];
        if (!isAlias(node)) delete node.anchor;
      }
    });
    return clone;
  };
  const read = (node: Node): Node => {
    if (isAlias(node)) {
      const anchored = anchors.get(node.source);
      if (!anchored) { unknown.push(node); return node; }
      // An alias inside its anchor's own node, or past the budget: left unread (the checks pass over an alias).
      if (open.has(anchored) || !anchored.range || !node.range) return node;
      const cost = size(anchored);
      if (cost > budget) return node;
      budget -= cost;
      const use: ConfigAlias = { at: [node.range[0], node.range[1]], target: [anchored.range[0], anchored.range[1]], anchor: node.source };
      aliases.push(use);
      return copy(anchored, use);
    }
    // Registered before its children are read (yaml-cpp's order): a later anchor of the name inside it wins.
    if (node.anchor) { anchors.set(node.anchor, node); registered.push({ name: node.anchor, at: node.range?.[0] ?? 0 }); }
    if (isMap(node) || isSeq(node)) {
      open.add(node);
      if (isMap(node)) {
        for (const pair of node.items) {
          if (pair.key) pair.key = read(pair.key as Node);
          if (pair.value) pair.value = read(pair.value as Node);
        }
      } else {
        node.items = node.items.map((i) => (i ? read(i as Node) : i));
      }
      open.delete(node);
    }
    return node;
  };
  if (doc.contents) doc.contents = read(doc.contents as Node) as typeof doc.contents;
  for (const alias of unknown) {
    const at = alias.range?.[0] ?? 0;
    const later = registered.find((r) => r.name === alias.source && r.at > at)?.at;
    doc.errors.push(new YAMLParseError([at, alias.range?.[1] ?? at + 1], 'BAD_ALIAS', `${unknownAnchorText(text, at, alias.source, later)}.`));
  }
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  if (aliases.length > 0) { model.aliases = aliases; model.regions = regions; }
}

/** The region of a virtual offset (regions are made in the order of their offsets). */
function regionAt(regions: AliasRegion[], offset: number): AliasRegion {
  let low = 0;
  let high = regions.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (regions[mid].start <= offset) low = mid; else high = mid - 1;
  }
  return regions[low];
}

/** The region of a virtual offset of the model, none for an offset of the text. */
function regionOf(model: ConfigModel, offset: number): AliasRegion | undefined {
  return model.regions && offset > model.text.length ? regionAt(model.regions, offset) : undefined;
}

/** An offset of the text: a virtual one followed down to the text it stands for, with the aliases read on the way
 *  (outermost first). */
function realOffset(model: ConfigModel, offset: number): { offset: number; uses: ConfigAlias[] } {
  const uses: ConfigAlias[] = [];
  for (let region = regionOf(model, offset); region; region = regionOf(model, offset)) {
    uses.push(region.use);
    offset = region.source + (offset - region.start);
  }
  return { offset, uses };
}

/** Whether a span has offsets of a copy an alias gave (it is read through an alias). */
export function isVirtual(model: ConfigModel, span: readonly [number, number]): boolean {
  return span[0] > model.text.length || span[1] > model.text.length;
}

/**
 * Where a span of the checks is in the text: its own place, or, for a span of a copy an alias gave, the anchored
 * text it stands for with the aliases it was read through (`uses`, outermost first); a span covering the whole
 * value an alias gives is the alias itself (`whole`: that alias, whose anchor `target` names). A span whose ends were
 * read through different aliases is the alias where they part.
 */
export function realSpan(model: ConfigModel, span: readonly [number, number]): { span: [number, number]; uses: ConfigAlias[]; whole?: ConfigAlias } {
  if (!isVirtual(model, span)) return { span: [span[0], span[1]], uses: [] };
  const a = realOffset(model, span[0]);
  const b = realOffset(model, Math.max(span[0], span[1]));
  let common = 0;
  while (common < a.uses.length && common < b.uses.length && a.uses[common] === b.uses[common]) common++;
  const uses = a.uses.slice(0, common);
  let real: [number, number] = [a.offset, b.offset];
  if (common < a.uses.length || common < b.uses.length) {
    real = [common < a.uses.length ? a.uses[common].at[0] : a.offset, common < b.uses.length ? b.uses[common].at[1] : b.offset];
  }
  const last = uses[uses.length - 1];
  if (last && real[0] === last.target[0] && real[1] === last.target[1]) return { span: last.at, uses: uses.slice(0, -1), whole: last };
  return { span: real, uses };
}

/** What a scalar is once Falco has read it. */
export type ScalarKind = 'null' | 'boolean' | 'integer' | 'number' | 'string';

const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const INTEGER = /^[-+]?(0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o?[0-7]+)$/;
const NUMBER = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/;

/** The raw text of a scalar as written (without quotes for quoted styles). */
export function scalarText(node: Scalar): string {
  return typeof node.source === 'string' ? node.source : String(node.value ?? '');
}

/** How Falco pre-processes a value's text when it reads the file: the environment variables it looks up. */
export interface EnvReading {
  /** The names of the `${NAME}` Falco replaces from its environment whose value is not known (empty: the text does
   *  not depend on what Falco Lens does not know). */
  vars: string[];
  /** The text Falco reads when `vars` is empty (a `$${` escape has lost its first `$`, known values are in). */
  text?: string;
  /** The names replaced by a known value (EnvLookup), in order, and why the others are not known. */
  known?: { name: string; value: string; where: string }[];
  unknown?: { name: string; why: string }[];
  /** A value holding its own `${NAME}` again and again: Falco never finishes reading the file. */
  endless?: true;
}

/** A variable of Falco's environment as a manifest gives it: its value and where it is set, or why it is not known
 *  (`valueFrom`: set from a pod field, a Secret or a ConfigMap). */
export type EnvValue = { value: string; where: string } | { why: string; valueFrom?: true };
/** Looks a variable up in the environment Falco Lens knows Falco runs with (embedded/containerEnv.ts). */
export type EnvLookup = (name: string) => EnvValue;

/** Replacements past which a value that keeps holding `${NAME}` is taken for one Falco never finishes expanding. */
const MAX_EXPANSIONS = 256;

/**
 * Falco's expansion of environment variables in configuration values (yaml_helper.h `pre_process_env_vars`, the
 * same in 0.37.0 (userspace/falco/yaml_helper.h:162) and 0.44.1 (userspace/engine/yaml_helper.h:319)): every scalar
 * value of every configuration file, never a key, is scanned for `$` once the file is parsed, before schema
 * validation. `${NAME}` up to the first `}` is replaced by the variable's value, or removed when it is unset, and the
 * scan goes on at the same place, so the value is read again (a `${…}` in it is replaced too); `$${` (with a `}`
 * somewhere after it) is an escape that leaves `${`; a `${` or `$${` with no `}` after it stops the scan, and so does
 * a `$` followed by anything else (the scan jumps to the end of the text: in `a$b ${X}` nothing is expanded).
 * Without `env`, no value is known; a name `env` does not know is scanned as if its value held no `$`.
 */
export function envReading(raw: string, env?: EnvLookup): EnvReading {
  let value = raw;
  const vars: string[] = [];
  const known: { name: string; value: string; where: string }[] = [];
  const unknown: { name: string; why: string }[] = [];
  let expansions = 0;
  let at = value.indexOf('$');
  while (at >= 0) {
    const rest = value.slice(at);
    if (rest.startsWith('${')) {
      const end = rest.indexOf('}');
      if (end < 0) break;
      const name = rest.slice(2, end);
      const found = env?.(name);
      if (found && 'value' in found) {
        if (++expansions > MAX_EXPANSIONS) return { vars: [name], known, unknown, endless: true };
        known.push({ name, ...found });
        value = value.slice(0, at) + found.value + value.slice(at + end + 1);
        at = value.indexOf('$', at);
        continue;
      }
      vars.push(name);
      if (found) unknown.push({ name, why: found.why });
      // The variable's value is unknown here; the scan goes on as if it held no '$'.
      value = value.slice(0, at) + value.slice(at + end + 1);
    } else if (rest.startsWith('$${')) {
      if (rest.indexOf('}') < 0) break;
      value = value.slice(0, at) + value.slice(at + 1);
      at++;
    } else {
      at = value.length;
    }
    at = value.indexOf('$', at);
  }
  const extra = env ? { known, unknown } : {};
  return vars.length > 0 ? { vars, ...extra } : { vars, text: value, ...extra };
}

/** The text Falco reads for a value: the raw text with `$${` escapes resolved (the raw text when it uses `${VAR}`). */
export function valueText(node: Scalar): string {
  const raw = scalarText(node);
  return raw.includes('$') ? envReading(raw).text ?? raw : raw;
}

/**
 * What a scalar is once Falco has read it. yaml-cpp converts a scalar by its text whatever its style: `"true"` is as
 * good a boolean as `true`, and `yes` is one too. Falco's schema validation compares types weakly (valijson's weak
 * types), so quoting does not change a type either. An empty plain scalar is null; an empty quoted one a string.
 */
export function scalarKind(node: Scalar): ScalarKind {
  const text = valueText(node);
  if (text === '' && node.type !== 'PLAIN' && node.type !== undefined) return 'string';
  if (NULL_WORDS.has(text) && scalarText(node) === text) return 'null';
  if (yamlCppBoolean(text) !== undefined) return 'boolean';
  if (INTEGER.test(text)) return 'integer';
  if (NUMBER.test(text)) return 'number';
  return 'string';
}

/**
 * An integer as yaml-cpp converts it into a C++ integer type between `min` and `max` (convert.h
 * YAML_DEFINE_CONVERT_STREAMABLE at c2bec4c and 0.7.0: a stringstream with the base left to the text, so `0x10` is 16
 * and `010` is 8, only whitespace after it; an unsigned type refuses a leading `-`, even `-0`), or undefined when it
 * does not convert: then Falco's get_scalar gives the key's default, silently.
 */
export function streamInteger(text: string, min: bigint, max: bigint): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[ \t\n\r\f\v]*$/.exec(text);
  if (!m || (m[1] === '-' && min >= 0n)) return undefined;
  const digits = m[2];
  const magnitude = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const value = m[1] === '-' ? -magnitude : magnitude;
  return value >= min && value <= max ? value : undefined;
}

export function booleanValue(node: Scalar): boolean | undefined {
  if (usesEnvironment(node)) return undefined;
  return yamlCppBoolean(valueText(node));
}

/** A value holding `${VAR}` that Falco expands (envReading): what Falco reads depends on its environment. */
export function usesEnvironment(node: Scalar): boolean {
  const raw = scalarText(node);
  return raw.includes('${') && envReading(raw).vars.length > 0;
}

/** The value of `key` in a mapping (the first pair of that key), or undefined. */
export function pairOf(map: YAMLMap | undefined, key: string): Pair<Scalar, Node | null> | undefined {
  if (!map) return undefined;
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item as Pair<Scalar, Node | null>;
  }
  return undefined;
}

export function valueOf(map: YAMLMap | undefined, key: string): Node | null | undefined {
  return pairOf(map, key)?.value as Node | null | undefined;
}

/** The strings of a sequence value (other items are skipped), with their nodes. */
export function stringItems(node: Node | null | undefined): Scalar[] {
  if (!isSeq(node)) return [];
  return (node as YAMLSeq).items.filter((i): i is Scalar => isScalar(i) && scalarKind(i) !== 'null');
}

/** [start, end) of a node in the text (its value, not trailing comments). */
export function nodeSpan(node: Node): [number, number] {
  const range = node.range;
  if (!range) return [0, 0];
  return [range[0], range[1]];
}

/** The span of a pair's key, or of the whole pair when the key has no range. */
export function keySpan(pair: Pair): [number, number] {
  const key = pair.key as Node | null;
  if (key && key.range) return [key.range[0], key.range[1]];
  return [0, 0];
}

/** The comments, anchors and aliases of a YAML text, from its CST (a `#` in a block scalar is no comment). */
function markTokens(text: string): { type: 'comment' | 'anchor' | 'alias'; offset: number; source: string }[] {
  const found: { type: 'comment' | 'anchor' | 'alias'; offset: number; source: string }[] = [];
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o)) { for (const x of o) walk(x); return; }
    const token = o as { type?: string; offset?: number; source?: unknown };
    if ((token.type === 'comment' || token.type === 'anchor' || token.type === 'alias') && typeof token.offset === 'number' && typeof token.source === 'string') {
      found.push({ type: token.type, offset: token.offset, source: token.source });
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'source') walk(v);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return found;
}

/**
 * What removing a pair's text [start, stop) would break, if anything: an anchor written there that an alias of the
 * text names (yaml-cpp refuses an alias naming no anchor before it). An anchor no alias names goes with its pair.
 */
function namedAnchorIn(marks: ReturnType<typeof markTokens>, start: number, stop: number): string | undefined {
  const aliases = new Set(marks.filter((m) => m.type === 'alias').map((m) => m.source.slice(1).trim()));
  const anchor = marks.find((m) => m.type === 'anchor' && m.offset >= start && m.offset < stop && aliases.has(m.source.slice(1).trim()));
  return anchor?.source.trim();
}

/**
 * The lines of a block mapping's pair, to remove it whole (a key written twice: the one Falco does not use): from its
 * key's line to its value's last line, line break included. Where those lines hold a comment, removing them would
 * lose it: the pair is commented out instead, `# ` put before the first character of each of its lines that has one
 * (`commentOut`), which keeps every character and leaves YAML that no longer has the key. In a flow mapping the pair
 * goes with the comma before it (the one after it for the first pair): `{a: 1, a: 2}` is `{a: 1}`. Not offered, with
 * why, where it would break something: an anchor an alias names, text of other pairs on its lines (a list item's
 * first key after `- `), a comment inside a flow mapping's removed text.
 */
export function pairRemoval(text: string, map: YAMLMap, pair: Pair): { span: [number, number] } | { commentOut: number[] } | { why: string } {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  if (!key?.range) return { why: 'the key has no place in the text' };
  const marks = markTokens(text);
  if (map.flow) return flowPairRemoval(text, map, pair, marks);
  const start = Math.max(text.lastIndexOf('\n', key.range[0] - 1), text.lastIndexOf('\r', key.range[0] - 1)) + 1;
  if (text.slice(start, key.range[0]).trim() !== '') return { why: 'its line starts with other text (`- ` of a list item)' };
  let end = Math.max(key.range[1], value?.range ? value.range[1] : 0);
  while (end > key.range[1] && /\s/.test(text[end - 1])) end--;
  let stop = end;
  while (stop < text.length && text[stop] !== '\n' && text[stop] !== '\r') stop++;
  stop += text.startsWith('\r\n', stop) ? 2 : stop < text.length ? 1 : 0;
  const anchor = namedAnchorIn(marks, start, stop);
  if (anchor) return { why: `it holds the anchor \`${anchor}\`, which an alias names` };
  if (!marks.some((m) => m.type === 'comment' && m.offset >= start && m.offset < stop)) return { span: [start, stop] };
  const commentOut: number[] = [];
  for (const line of text.slice(start, stop).matchAll(/[^\r\n]*(\r\n|\r|\n|$)/g)) {
    const blanks = /^[ \t]*/.exec(line[0])![0].length;
    if (line[0].slice(blanks).trim() !== '') commentOut.push(start + line.index + blanks);
    if (line[0] === '') break;
  }
  return { commentOut };
}

/** The end of a flow mapping pair's text: its value's, else its key's. */
function flowPairEnd(text: string, pair: Pair): number {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  let end = Math.max(key.range![1], value?.range ? value.range[1] : 0);
  while (end > key.range![1] && /\s/.test(text[end - 1])) end--;
  return end;
}

function flowPairRemoval(text: string, map: YAMLMap, pair: Pair, marks: ReturnType<typeof markTokens>): { span: [number, number] } | { why: string } {
  const at = map.items.indexOf(pair);
  const neighbour = map.items[at > 0 ? at - 1 : at + 1] as Pair | undefined;
  if (at < 0 || !isPair(neighbour) || !(neighbour.key as Node | null)?.range) return { why: 'the mapping is written in flow style' };
  const start = at > 0 ? flowPairEnd(text, neighbour) : (pair.key as Node).range![0];
  const stop = at > 0 ? flowPairEnd(text, pair) : (neighbour.key as Node).range![0];
  if (marks.some((m) => m.type === 'comment' && m.offset >= start && m.offset < stop)) return { why: 'a comment is in its text, inside a flow mapping' };
  // Between the two pairs only a comma and blanks: anything else (`? ` of an explicit key) is not taken.
  const between = at > 0 ? text.slice(start, (pair.key as Node).range![0]) : text.slice(flowPairEnd(text, pair), stop);
  if (!/^\s*,\s*$/.test(between)) return { why: 'the mapping is written in flow style' };
  const anchor = namedAnchorIn(marks, start, stop);
  if (anchor) return { why: `it holds the anchor \`${anchor}\`, which an alias names` };
  return { span: [start, stop] };
}

/** How a removal's title names the pair: its key and a scalar value as written (cut), or what kind of value it has. */
function pairWords(text: string, pair: Pair, name: string): string {
  const value = pair.value as Node | null;
  // A value an alias gives is the anchor's copy (offsets past the text: model.ts readAliases): named by the alias.
  if (isScalar(value) && value.range && value.range[1] <= text.length) {
    const written = text.slice(value.range[0], value.range[1]).trim();
    if (written === '') return `'${name}:' (empty)`;
    return `'${name}: ${written.length > 24 ? `${written.slice(0, 23)}…` : written}'`;
  }
  if (isMap(value)) return `'${name}' (a mapping of ${value.items.length} key${value.items.length === 1 ? '' : 's'})`;
  if (isSeq(value)) return `'${name}' (a list of ${value.items.length} item${value.items.length === 1 ? '' : 's'})`;
  return value === null || value === undefined ? `'${name}:' (empty)` : `'${name}'`;
}

/** A duplicate key's data for its quick fix: removing this pair, or commenting it out where it holds a comment (`fix`),
 *  or why that is not offered (`fixRefused`). The title says what goes: the key and its value. */
export function removalData(text: string, map: YAMLMap, pair: Pair, name: string): Record<string, unknown> {
  const what = pairWords(text, pair, name);
  const title = `Remove ${what}, which Falco does not use`;
  const removal = pairRemoval(text, map, pair);
  if ('commentOut' in removal) {
    return { fix: { title: `Comment out ${what}, which Falco does not use`, edits: removal.commentOut.map((at) => ({ span: [at, at], newText: '# ' })) } };
  }
  return 'span' in removal
    ? { fix: { title, edits: [{ span: removal.span, newText: '' }] } }
    : { fixRefused: { title, reason: `Not offered: ${removal.why}. Keep one '${name}' by hand.` } };
}

/**
 * Edits taking one item out of a list of names that is a pair's value (load_plugins): in a block list its line, or,
 * where the line holds a comment, the line commented out (`# ` before its dash); in a flow list the item with the
 * comma before it (after it for the first); a lone value (Falco reads it as a one-item list) becomes `[]`. The last
 * item of a list leaves `[]`, not an empty value, which Falco's schema refuses for a list. `empties` says the list is
 * left empty. Not offered, with why, where it would break something: an anchor an alias names, other text on the
 * item's line, a comment inside a flow list's removed text.
 */
export function listItemRemoval(text: string, pair: Pair, item: Node): { edits: { span: [number, number]; newText: string }[]; commented: boolean; empties: boolean } | { why: string } {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  if (!key?.range || !item.range || item.range[1] > text.length || /[\r\n]/.test(text.slice(item.range[0], item.range[1]))) return { why: 'the item is not one line of this text' };
  const marks = markTokens(text);
  const anchorWhy = (start: number, stop: number) => {
    const anchor = namedAnchorIn(marks, start, stop);
    return anchor ? { why: `it holds the anchor \`${anchor}\`, which an alias names` } : undefined;
  };
  if (value === item) {
    return anchorWhy(item.range[0], item.range[1]) ?? { edits: [{ span: [item.range[0], item.range[1]], newText: '[]' }], commented: false, empties: true };
  }
  if (!isSeq(value) || !value.range) return { why: 'the value is not a list' };
  const at = value.items.indexOf(item as never);
  if (at < 0) return { why: 'the item is not in the list' };
  if (value.flow) {
    if (value.items.length === 1) {
      return anchorWhy(item.range[0], item.range[1]) ?? { edits: [{ span: [item.range[0], item.range[1]], newText: '' }], commented: false, empties: true };
    }
    const neighbour = value.items[at > 0 ? at - 1 : at + 1] as Node | null;
    if (!neighbour?.range) return { why: 'the list is written in flow style' };
    const end = (n: Node) => { let e = n.range![1]; while (e > n.range![0] && /\s/.test(text[e - 1])) e--; return e; };
    const start = at > 0 ? end(neighbour) : item.range[0];
    const stop = at > 0 ? end(item) : neighbour.range[0];
    if (marks.some((m) => m.type === 'comment' && m.offset >= start && m.offset < stop)) return { why: 'a comment is in its text, inside a flow list' };
    const between = at > 0 ? text.slice(start, item.range[0]) : text.slice(end(item), stop);
    if (!/^\s*,\s*$/.test(between)) return { why: 'the list is written in flow style' };
    return anchorWhy(start, stop) ?? { edits: [{ span: [start, stop], newText: '' }], commented: false, empties: false };
  }
  const lineStart = Math.max(text.lastIndexOf('\n', item.range[0] - 1), text.lastIndexOf('\r', item.range[0] - 1)) + 1;
  const dash = text.lastIndexOf('-', item.range[0] - 1);
  if (dash < lineStart || text.slice(lineStart, dash).trim() !== '' || text.slice(dash + 1, item.range[0]).trim() !== '') return { why: 'its line holds other text' };
  let lineEnd = item.range[1];
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  const rest = text.slice(item.range[1], lineEnd);
  const comment = marks.some((m) => m.type === 'comment' && m.offset >= item.range![1] && m.offset < lineEnd);
  if (rest.trim() !== '' && !comment) return { why: 'its line holds other text' };
  const stop = lineEnd + (text.startsWith('\r\n', lineEnd) ? 2 : lineEnd < text.length ? 1 : 0);
  const refused = anchorWhy(lineStart, stop);
  if (refused) return refused;
  const edits: { span: [number, number]; newText: string }[] = [comment ? { span: [dash, dash], newText: '# ' } : { span: [lineStart, stop], newText: '' }];
  const empties = value.items.length === 1;
  if (empties) {
    // `key:` then the list: `[]` after the colon keeps the key a list (of nothing), its comment after it.
    const colon = text.indexOf(':', key.range[1]);
    if (colon < 0 || text.slice(key.range[1], colon).trim() !== '' || colon >= lineStart) return { why: 'the key\'s colon is not found' };
    // Only blanks or a comment between the colon and the list: an anchor or a tag there would follow the `[]`.
    if (text.slice(colon + 1, lineStart).split(/\r\n|\r|\n/).some((line) => line.trim() !== '' && !line.trim().startsWith('#'))) return { why: 'the list has an anchor or a tag' };
    edits.unshift({ span: [colon + 1, colon + 1], newText: ' []' });
  }
  return { edits, commented: comment, empties };
}
