// The token analysis of a rules file, shared by hovers, navigation, completion and semantic highlighting: every
// item name, field, operator, macro reference, list reference, literal and keyword inside conditions, outputs, list
// items and exceptions, with its exact document span (through the scalar offset maps, so folded, literal and quoted
// scalars are exact). Computed once per parsed model (models are immutable per text) and cached.
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Expr, FieldExpr, Literal, Span as AstSpan } from './conditionAst';
import { cutLabelBracket, parseConditionCached, parseOutputCached } from './conditionChecks';
import { fieldNameEnd, walkExpr } from './condition';
import { entryOf, scalarMap, type ModelItem, type ModelNode, type RulesFileModel, type ScalarNode, type Span } from './model';
import type { ScalarStyle } from './scalar';
import { appendsCondition, isDefinitionItem, type LoadResult } from './workspace';
import { deprecatedAt, LATEST_FALCO, lookupField } from '../../knowledge';

export type NameKind = 'rule' | 'macro' | 'list';

/** Where a token was found: decides which hovers and completions apply. */
export type TokenPlace = 'condition' | 'output' | 'items' | 'exception-fields' | 'exception-comps' | 'exception-values' | 'name';

export type RulesToken =
  /** The name of a rule, macro or list item (a definition, or an override/append of an earlier one). */
  | { kind: 'name'; span: Span; name: string; nameKind: NameKind; definition: boolean; place: 'name';
    /** The whole name scalar (quotes included) and its style, for rewriting it. */
    scalarSpan: Span; style: ScalarStyle }
  /** `glued`: text right after the name that Falco's filter parser takes into no field name (`-tier` of
   *  `k8s.ns.label.app-tier`: condition.ts fieldNameEnd), in a condition or an exception field. */
  /** `bracketForm`: with `glued`, the label's bracket form that Falco reads whole (conditionChecks.ts cutLabelBracket). */
  | { kind: 'field'; span: Span; name: string; arg?: string; place: TokenPlace; glued?: string; bracketForm?: string }
  | { kind: 'operator'; span: Span; name: string; place: TokenPlace }
  | { kind: 'modifier'; span: Span; name: string; place: TokenPlace }
  | { kind: 'transformer'; span: Span; name: string; place: TokenPlace }
  | { kind: 'keyword'; span: Span; name: string; place: TokenPlace }
  | { kind: 'macro-ref'; span: Span; name: string; place: TokenPlace }
  /**
   * A bare word where a list name may stand; it refers to a list only when a list of that name is loaded. A number
   * may name a list too (condition.ts listRefsOf): `number` marks it, a number where no list has its name.
   */
  | { kind: 'list-candidate'; span: Span; name: string; place: TokenPlace; style: ScalarStyle; number?: true }
  | { kind: 'string' | 'number'; span: Span; place: TokenPlace };

export interface ItemAnalysis {
  item: ModelItem;
  /** Sorted by start offset; spans do not overlap. */
  tokens: RulesToken[];
}

export interface FileAnalysis {
  model: RulesFileModel;
  items: ItemAnalysis[];
}

/** Stands for the previous condition when an appended fragment is parsed (the same stand-in the validator uses, so
 *  both share the parse cache). */
const APPEND_STAND_IN = 'falcolensPreviousCondition';

function stringScalar(node: ModelNode | undefined): ScalarNode | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node : undefined;
}

const NUMBER_LIKE = /^[-+]?(0x[0-9a-fA-F]+|\d+(\.\d+)?)$/;

/** The condition of an item: its parse and a function from condition offsets to document spans. */
export function conditionOf(item: ModelItem): { node: ScalarNode; ast: Expr | undefined; text: string; prefix: number; docSpan(s: AstSpan): Span } | undefined {
  const node = stringScalar(entryOf(item, 'condition')?.value);
  if (!node) return undefined;
  const prefix = appendsCondition(item) ? `${APPEND_STAND_IN} ` : '';
  const parse = parseConditionCached(prefix + node.text);
  const map = scalarMap(node);
  const p = prefix.length;
  return {
    node, ast: parse.ast, text: prefix + node.text, prefix: p,
    docSpan: (s) => map.span(Math.max(0, s.start - p), Math.max(0, s.end - p)),
  };
}

/** A word of a condition as Falco's list expansion sees it, with its document span. */
export interface ConditionWord { word: string; span: Span }

/** resolve_list's delimiters (rule_loader_compiler.cpp 0.37.0:180-251, 0.44.0:182-238): blanks, '(', ')', ',', '='. */
const LIST_DELIMITER = /[ \t\n\r(),=]/;
const conditionWordsMemo = new WeakMap<ModelItem, readonly ConditionWord[]>();

/**
 * Every word of an item's condition that Falco would replace by a list's items if a list had its name. Falco expands
 * lists on the condition's text before libsinsp parses it (parse_condition runs resolve_list for each list, for rules'
 * and macros' conditions alike: rule_loader_compiler.cpp 0.37.0:180-251 and 294-304, 0.44.0:182-238 and 276-283, the
 * same in every release between), wherever the name has a delimiter or the text's end on each side, whatever the
 * parser makes of the word: a comparison's value after any operator, an item of a list operator, a field, an operator,
 * a macro reference, a keyword, or a word inside a quoted string. A quote is no delimiter, so `("shell_binaries")` is
 * left alone while the middle word of `"run shell_binaries now"` is replaced. These are the runs of text between
 * delimiters, the words of an appending item's text only (not the stand-in for the condition it is appended to).
 */
export function conditionListWords(item: ModelItem): readonly ConditionWord[] {
  const known = conditionWordsMemo.get(item);
  if (known) return known;
  const out: ConditionWord[] = [];
  const cond = item.kind === 'rule' || item.kind === 'macro' ? conditionOf(item) : undefined;
  if (cond) {
    const { text, prefix } = cond;
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const delimiter = i === text.length || LIST_DELIMITER.test(text[i]);
      if (!delimiter && start < 0) start = i;
      else if (delimiter && start >= 0) {
        if (start >= prefix) out.push({ word: text.slice(start, i), span: cond.docSpan({ start, end: i }) });
        start = -1;
      }
    }
  }
  conditionWordsMemo.set(item, out);
  return out;
}

/**
 * The word of a condition (conditionListWords) that holds an offset or ends at it and names one of `lists`: of the item
 * holding the offset, or in a file with YAML aliases of any item (a condition read through an alias has its words in
 * the anchored text, which another item may hold).
 */
export function conditionListWordNear(analysis: FileAnalysis, offset: number, lists: ReadonlySet<string>): ConditionWord | undefined {
  if (lists.size === 0) return undefined;
  const near = (item: ModelItem) => conditionListWords(item).find((w) => w.span.start <= offset && offset <= w.span.end && lists.has(w.word));
  const holder = itemAt(analysis, offset);
  const own = holder && near(holder.item);
  if (own || !analysis.model.aliases) return own;
  for (const a of analysis.items) { const w = near(a.item); if (w) return w; }
  return undefined;
}

function conditionTokens(item: ModelItem, out: RulesToken[]): void {
  const cond = conditionOf(item);
  if (!cond) return;
  const { ast, text, prefix, docSpan } = cond;
  const place: TokenPlace = 'condition';
  const visible = (s: AstSpan) => s.start >= prefix;
  const literal = (l: Literal) => {
    if (!visible(l.span)) return;
    if (l.quoted) out.push({ kind: 'string', span: docSpan(l.span), place });
    else out.push({ kind: 'list-candidate', span: docSpan(l.span), name: l.text, place, style: cond.node.style, ...(NUMBER_LIKE.test(l.text) ? { number: true as const } : {}) });
  };
  const field = (f: FieldExpr, glued?: AstSpan) => {
    if (!visible(f.span)) return;
    if (f.kind === 'field') {
      const bracketForm = glued && cutLabelBracket(text, glued.start, f.name, 'condition')?.bracketForm;
      out.push({ kind: 'field', span: docSpan(f.nameSpan), name: f.name, ...(f.arg ? { arg: f.arg.text } : {}), place, ...(glued ? { glued: text.slice(glued.start, glued.end) } : {}), ...(bracketForm ? { bracketForm } : {}) });
      if (f.arg) out.push({ kind: 'string', span: docSpan(f.arg.span), place });
      return;
    }
    out.push({ kind: 'transformer', span: docSpan(f.nameSpan), name: f.name, place });
    for (const l of f.literalArgs) literal({ ...l, quoted: true });
    for (const a of f.args) field(a);
  };
  walkExpr(ast, (e) => {
    switch (e.kind) {
      case 'and': case 'or':
        for (let i = 0; i + 1 < e.operands.length; i++) {
          const gapStart = e.operands[i].span.end;
          const at = text.indexOf(e.kind, gapStart);
          if (at >= 0 && at < e.operands[i + 1].span.start && at >= prefix) out.push({ kind: 'keyword', span: docSpan({ start: at, end: at + e.kind.length }), name: e.kind, place });
        }
        break;
      case 'not':
        if (text.startsWith('not', e.span.start) && visible(e.span)) out.push({ kind: 'keyword', span: docSpan({ start: e.span.start, end: e.span.start + 3 }), name: 'not', place });
        break;
      case 'macro':
        if (visible(e.span)) out.push({ kind: 'macro-ref', span: docSpan(e.span), name: e.name, place });
        break;
      case 'compare': {
        field(e.lhs);
        if (visible(e.opSpan)) out.push({ kind: 'operator', span: docSpan(e.opSpan), name: e.op, place });
        if (e.modifier && visible(e.modifier.span)) out.push({ kind: 'modifier', span: docSpan(e.modifier.span), name: e.modifier.name, place });
        const rhs = e.rhs;
        if (!rhs) break;
        if (rhs.kind === 'literal') {
          // A bare word after `=` is a string for Falco (lists are substituted only where a list is expected, and in
          // practice only there); after a list operator or a modifier it may be a list name.
          if (rhs.quoted || NUMBER_LIKE.test(rhs.text) || (!['in', 'intersects', 'pmatch'].includes(e.op) && !e.modifier)) {
            if (visible(rhs.span)) out.push({ kind: NUMBER_LIKE.test(rhs.text) && !rhs.quoted ? 'number' : 'string', span: docSpan(rhs.span), place });
          } else literal(rhs);
        } else if (rhs.kind === 'list') {
          for (const item of rhs.items) literal(item);
        } else if (rhs.kind === 'field-value') {
          if (visible(rhs.span)) out.push({ kind: 'keyword', span: docSpan({ start: rhs.span.start, end: rhs.span.start + 3 }), name: 'val', place });
          field(rhs.field);
        }
        break;
      }
      // The field a failed comparison had read, as Falco's parser read it before failing.
      case 'error': if (e.field) field(e.field, e.glued); break;
      default: break;
    }
  });
}

function outputTokens(item: ModelItem, out: RulesToken[]): void {
  const node = stringScalar(entryOf(item, 'output')?.value);
  if (!node || node.text === '') return;
  const map = scalarMap(node);
  const parse = parseOutputCached(node.text);
  const seenTransformers = new Set<number>();
  for (const f of parse.fields) {
    for (const t of f.transformers ?? []) {
      if (seenTransformers.has(t.span.start)) continue;
      seenTransformers.add(t.span.start);
      out.push({ kind: 'transformer', span: map.span(t.span.start, t.span.end), name: t.name, place: 'output' });
    }
    // `%proc.name` is highlighted from the `%`; `%(proc.name)`, `%12proc.name` and transformers from the name.
    const from = f.nameSpan.start === f.span.start + 1 && !f.transformers ? f.span.start : f.nameSpan.start;
    const nameSpan = map.span(from, f.nameSpan.end);
    out.push({ kind: 'field', span: nameSpan, name: f.name, ...(f.arg ? { arg: f.arg.text } : {}), place: 'output' });
    if (f.arg) out.push({ kind: 'string', span: map.span(f.arg.span.start, f.arg.span.end), place: 'output' });
  }
}

/** A scalar that may name a list: `name` or `(name)` (exception values use both). */
function listWord(node: ModelNode, place: TokenPlace, out: RulesToken[]): void {
  const s = stringScalar(node);
  if (!s) {
    if (node.kind === 'scalar' && typeof node.value === 'number') out.push({ kind: 'number', span: node.span, place });
    return;
  }
  const m = /^(\s*\(?\s*)([^()\s,]+)\s*\)?\s*$/.exec(s.text);
  const map = scalarMap(s);
  if (!m) { out.push({ kind: 'string', span: map.span(0, s.text.length), place }); return; }
  const start = m[1].length;
  const span = map.span(start, start + m[2].length);
  out.push({ kind: 'list-candidate', span, name: m[2], place, style: s.style, ...(NUMBER_LIKE.test(m[2]) ? { number: true as const } : {}) });
}

function exceptionTokens(item: ModelItem, out: RulesToken[]): void {
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq') return;
  for (const ex of exceptions.items) {
    if (ex.kind !== 'map') continue;
    const fields = ex.entries.find((e) => e.key === 'fields')?.value;
    for (const n of fields?.kind === 'seq' ? fields.items : fields ? [fields] : []) {
      const s = stringScalar(n);
      const m = s && /^(\s*)([^[\s]+)(?:\[(.*)\])?\s*$/.exec(s.text);
      if (!s || !m) continue;
      const map = scalarMap(s);
      // Falco pastes the field into the rule's condition, whose parser ends a field name where fieldNameEnd does.
      const nameEnd = m[3] === undefined ? fieldNameEnd(m[2], 0) : 0;
      const name = nameEnd > 0 && nameEnd < m[2].length ? m[2].slice(0, nameEnd) : m[2];
      const bracketForm = name.length < m[2].length ? cutLabelBracket(`${m[2]} = x`, name.length, name, 'exception')?.bracketForm : undefined;
      const glued = name.length < m[2].length ? { glued: m[2].slice(name.length), ...(bracketForm ? { bracketForm } : {}) } : {};
      out.push({ kind: 'field', span: map.span(m[1].length, m[1].length + name.length), name, ...(m[3] !== undefined ? { arg: m[3] } : {}), place: 'exception-fields', ...glued });
    }
    const comps = ex.entries.find((e) => e.key === 'comps')?.value;
    for (const n of comps?.kind === 'seq' ? comps.items : comps ? [comps] : []) {
      const s = stringScalar(n);
      if (!s) continue;
      const map = scalarMap(s);
      // `startswith oneof`: an operator and a modifier.
      const re = /\S+/g;
      for (let m = re.exec(s.text); m; m = re.exec(s.text)) {
        const kind = ['oneof', 'anyof', 'allof'].includes(m[0]) ? 'modifier' : 'operator';
        out.push({ kind, span: map.span(m.index, m.index + m[0].length), name: m[0], place: 'exception-comps' });
      }
    }
    const values = ex.entries.find((e) => e.key === 'values')?.value;
    const visit = (n: ModelNode | undefined) => {
      if (!n) return;
      if (n.kind === 'seq') for (const i of n.items) visit(i);
      else if (n.kind === 'scalar') listWord(n, 'exception-values', out);
    };
    visit(values);
  }
}

function itemTokens(item: ModelItem): RulesToken[] {
  const out: RulesToken[] = [];
  if ((item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list') && item.name !== undefined && item.kindEntry?.value?.kind === 'scalar') {
    const scalar = item.kindEntry.value;
    const map = scalarMap(scalar);
    out.push({ kind: 'name', span: map.span(0, scalar.text.length), name: item.name, nameKind: item.kind, definition: isDefinitionItem(item), place: 'name', scalarSpan: scalar.span, style: scalar.style });
  }
  if (item.kind === 'rule' || item.kind === 'macro') conditionTokens(item, out);
  if (item.kind === 'rule') { outputTokens(item, out); exceptionTokens(item, out); }
  if (item.kind === 'list') {
    const items = entryOf(item, 'items')?.value;
    if (items?.kind === 'seq') for (const i of items.items) listWord(i, 'items', out);
  }
  return withoutOverlaps(out);
}

const analyses = new WeakMap<RulesFileModel, FileAnalysis>();

/**
 * Tokens by the item's source text, relative to the item's start. An edit re-parses one item but gives every item a
 * new model node; the tokens of unchanged items are reused, shifted to their new place. Bounded.
 */
const tokensByText = new Map<string, RulesToken[]>();
const TOKEN_CACHE_LIMIT = 20000;

function shiftToken(t: RulesToken, d: number): RulesToken {
  const span = { start: t.span.start + d, end: t.span.end + d };
  return t.kind === 'name' ? { ...t, span, scalarSpan: { start: t.scalarSpan.start + d, end: t.scalarSpan.end + d } } : { ...t, span };
}

function cachedItemTokens(model: RulesFileModel, item: ModelItem): RulesToken[] {
  const key = `${item.kind}\u0000${model.text.slice(item.span.start, item.span.end)}`;
  const relative = tokensByText.get(key);
  if (relative) return relative.map((t) => shiftToken(t, item.span.start));
  const tokens = itemTokens(item);
  if (tokensByText.size >= TOKEN_CACHE_LIMIT) tokensByText.clear();
  tokensByText.set(key, tokens.map((t) => shiftToken(t, -item.span.start)));
  return tokens;
}

/** The token analysis of a parsed file (cached per model). */
export function analyzeFile(model: RulesFileModel): FileAnalysis {
  let a = analyses.get(model);
  if (!a) {
    a = { model, items: model.aliases ? aliasedItemTokens(model) : model.items.map((item) => ({ item, tokens: cachedItemTokens(model, item) })) };
    analyses.set(model, a);
  }
  return a;
}

/**
 * The tokens of a file with aliases. An item's tokens then depend on other items' text (what its aliases read), so
 * they are not cached by its text; and each token goes to the item whose text holds it, once: a condition read through
 * an alias gives its tokens to the item holding the anchored text (whatever key or item kind holds it), where hovers,
 * highlights, semantic tokens, references and renames find them, a macro used only through an alias included.
 */
function aliasedItemTokens(model: RulesFileModel): ItemAnalysis[] {
  const items = model.items;
  const found = items.map((item) => itemTokens(item));
  const own: RulesToken[][] = items.map(() => []);
  for (const tokens of found) {
    for (const t of tokens) {
      const holder = items.findIndex((i) => i.span.start <= t.span.start && t.span.end <= i.span.end);
      if (holder >= 0) own[holder].push(t);
    }
  }
  return items.map((item, i) => ({ item, tokens: withoutOverlaps(own[i]) }));
}

/** Tokens sorted by place, the later of two overlapping ones dropped. */
function withoutOverlaps(out: RulesToken[]): RulesToken[] {
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  // Drop overlaps (a field shared by two output references, recovered parser fragments, text read through aliases).
  const kept: RulesToken[] = [];
  for (const t of out) {
    const last = kept[kept.length - 1];
    if (last && t.span.start < last.span.end) continue;
    kept.push(t);
  }
  return kept;
}

/** The item whose span contains the offset (or that it ends on), by binary search over the ordered items. */
export function itemAt(analysis: FileAnalysis, offset: number): ItemAnalysis | undefined {
  const items = analysis.items;
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (items[mid].item.span.start <= offset) { found = mid; low = mid + 1; } else high = mid - 1;
  }
  if (found < 0) return undefined;
  const it = items[found];
  return offset <= it.item.span.end ? it : undefined;
}

/** The token under the cursor: one that contains it, else one that ends right at it (cursor after a word). */
export function tokenAt(analysis: FileAnalysis, offset: number): { item: ItemAnalysis; token: RulesToken } | undefined {
  const item = itemAt(analysis, offset);
  if (!item) return undefined;
  let after: RulesToken | undefined;
  for (const t of item.tokens) {
    if (t.span.start <= offset && offset < t.span.end) return { item, token: t };
    if (t.span.end === offset && t.span.end > t.span.start) after = t;
    if (t.span.start > offset) break;
  }
  return after ? { item, token: after } : undefined;
}

/** Names of every list defined in any loaded file (a bare word refers to a list only when one exists). */
const listNamesByLoad = new WeakMap<LoadResult, Set<string>>();
export function loadedListNames(load: LoadResult): Set<string> {
  let names = listNamesByLoad.get(load);
  if (names) return names;
  names = new Set<string>();
  for (const f of load.files) for (const item of f.model.items) if (item.kind === 'list' && item.name !== undefined) names.add(item.name);
  listNamesByLoad.set(load, names);
  return names;
}

// ---------------------------------------------------------------------------------------------------------------
// Semantic tokens

export const SEMANTIC_TOKEN_TYPES = ['property', 'operator', 'macro', 'variable', 'string', 'number', 'keyword', 'function', 'class'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'deprecated', 'readonly'] as const;

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...SEMANTIC_TOKEN_TYPES],
  tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS],
};

type SemanticType = (typeof SEMANTIC_TOKEN_TYPES)[number];
const typeIndex = (t: SemanticType) => SEMANTIC_TOKEN_TYPES.indexOf(t);
const MOD_DECLARATION = 1 << 0;
const MOD_DEPRECATED = 1 << 1;
const MOD_READONLY = 1 << 2;

function classify(t: RulesToken, lists: Set<string>, target: string): { type: SemanticType; modifiers: number } | undefined {
  switch (t.kind) {
    case 'name':
      return { type: t.nameKind === 'macro' ? 'macro' : t.nameKind === 'list' ? 'variable' : 'class', modifiers: t.definition ? MOD_DECLARATION : 0 };
    case 'field': {
      const info = lookupField(t.arg !== undefined ? `${t.name}[${t.arg}]` : t.name)?.field;
      // Deprecated as the target release sees it (a deprecation of a later release is not the target's), as hovers say.
      return { type: 'property', modifiers: info && deprecatedAt(info, target) ? MOD_DEPRECATED : 0 };
    }
    case 'operator': case 'modifier': return { type: 'operator', modifiers: 0 };
    case 'transformer': return { type: 'function', modifiers: 0 };
    case 'keyword': return { type: 'keyword', modifiers: 0 };
    case 'macro-ref': return { type: 'macro', modifiers: 0 };
    case 'list-candidate': return lists.has(t.name) ? { type: 'variable', modifiers: MOD_READONLY } : { type: t.number ? 'number' : 'string', modifiers: 0 };
    case 'string': return { type: 'string', modifiers: 0 };
    case 'number': return { type: 'number', modifiers: 0 };
  }
}

/**
 * Semantic tokens of a file: conditions, outputs, list items, exceptions and item names. A token that crosses a line
 * break (a quoted string folded over lines) is cut into one token per line, as LSP requires. `falcoVersion`: the
 * target release (falcoLens.falcoVersion), which decides whether a field is marked deprecated.
 */
export function semanticTokensOf(analysis: FileAnalysis, load: LoadResult | undefined, falcoVersion = LATEST_FALCO): SemanticTokens {
  const lists = load ? loadedListNames(load) : new Set<string>();
  const lines = analysis.model.lines;
  const text = analysis.model.text;
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  const emit = (line: number, char: number, length: number, type: number, modifiers: number) => {
    if (length <= 0) return;
    data.push(line - prevLine, line === prevLine ? char - prevChar : char, length, type, modifiers);
    prevLine = line;
    prevChar = char;
  };
  for (const item of analysis.items) {
    for (const t of item.tokens) {
      const c = classify(t, lists, falcoVersion);
      if (!c || t.span.end <= t.span.start) continue;
      const start = lines.positionAt(t.span.start);
      const end = lines.positionAt(t.span.end);
      if (start.line === end.line) { emit(start.line, start.character, end.character - start.character, typeIndex(c.type), c.modifiers); continue; }
      for (let line = start.line; line <= end.line; line++) {
        const from = line === start.line ? t.span.start : lines.lineStarts[line];
        let to = line === end.line ? t.span.end : lines.lineEnd(line);
        // Indentation of continuation lines is not part of the token.
        let f = from;
        if (line !== start.line) while (f < to && (text[f] === ' ' || text[f] === '\t')) f++;
        while (to > f && (text[to - 1] === ' ' || text[to - 1] === '\t')) to--;
        const p = lines.positionAt(f);
        emit(p.line, p.character, to - f, typeIndex(c.type), c.modifiers);
      }
    }
  }
  return { data };
}
