// Condition, output and exception checks, plus the workspace-wide checks that need parsed conditions: unused macros
// and lists, sources and their plugin requirements, event-type restriction.
import type { ConditionParse, Expr, FieldExpr, OutputParse } from './conditionAst';
import { conditionParts, listRefsOf, macroRefsOf, parseCondition, parseOutput } from './condition';
import { operatorRejection } from './operators';
import { knownFieldClasses, lookupField, allFields, eventCodesOfName, eventTypeNames, EVENT_CODE_COUNT, type FieldInfo, type FieldMatch } from '../../knowledge';
import { Code } from './diagnosticCodes';
import { entryOf, scalarMap, scalarText, type MapEntry, type ModelItem, type ModelNode, type RulesFileModel, type ScalarNode, type Span } from './model';
import { closestNames, NameIndex } from './closest';
import { KNOWN_SOURCES, PLUGIN_SOURCES } from './schema';
import { runDirectly, type ItemCheckRunner, type ReportSink } from './validate';
import type { Definitions, ListDef, LoadResult, LoadedFile, MacroDef } from './workspace';

// ---------------------------------------------------------------------------------------------------------------
// Parse caches (conditions and outputs repeat across edits and files; parsing is pure)

const CACHE_LIMIT = 20000;
const conditionCache = new Map<string, ConditionParse>();
const outputCache = new Map<string, OutputParse>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    v = make();
    cache.set(key, v);
  }
  return v;
}

export function parseConditionCached(text: string): ConditionParse {
  return cached(conditionCache, text, () => parseCondition(text));
}

/**
 * Forgets the memos of this module that depend on rules text, so that a test can compare incremental results with
 * ones computed afresh (field lookups depend on the static catalog only and stay).
 */
export function clearCheckMemos(): void {
  conditionCache.clear();
  outputCache.clear();
  itemRefsCache.clear();
  recentSuggestionMemos.length = 0;
  suggestionMemoByTable = new WeakMap();
  recentEventTypeMemos.length = 0;
}

/** What the checks read from a parsed condition, computed once per parse. */
interface ConditionFacts {
  macroRefs: ReturnType<typeof macroRefsOf>;
  listRefs: ReturnType<typeof listRefsOf>;
  fields: FieldExpr[];
  compares: Extract<Expr, { kind: 'compare' }>[];
  /** Catalog entries of `fields` (index-aligned), resolved on first use: a parse is shared by every check of it. */
  matches?: (FieldMatch | undefined)[];
  /** For each comparison, the index in `fields` of its left-hand field (-1 for a transformer). */
  lhsIndex?: number[];
  /** The evt.type comparisons whose names libsinsp validates, on first use (most conditions have none). */
  evtTypeCompares?: Extract<Expr, { kind: 'compare' }>[];
}
const factsCache = new WeakMap<ConditionParse, ConditionFacts>();
/** Catalog entries of a list of field references, in order. */
function matchesOf(fields: readonly { name: string; arg?: { text: string } }[]): (FieldMatch | undefined)[] {
  return fields.map((f) => lookupFieldCached(f.arg !== undefined ? `${f.name}[${f.arg.text}]` : f.name));
}

function fieldMatches(facts: ConditionFacts): { matches: (FieldMatch | undefined)[]; lhsIndex: number[] } {
  if (!facts.matches || !facts.lhsIndex) {
    const fields = facts.fields;
    facts.matches = matchesOf(fields.map((f) => (f.kind === 'field' ? f : { name: '' })));
    // `fields` lists each comparison's fields in the order of `compares`, its left-hand side first.
    let next = 0;
    facts.lhsIndex = facts.compares.map((e) => {
      if (e.lhs.kind !== 'field') return -1;
      while (next < fields.length && fields[next] !== e.lhs) next++;
      return next < fields.length ? next++ : -1;
    });
  }
  return { matches: facts.matches, lhsIndex: facts.lhsIndex };
}

/** Catalog entries of an output's fields, once per parse. */
const outputMatches = new WeakMap<OutputParse, (FieldMatch | undefined)[]>();
function outputFieldMatches(parse: OutputParse): (FieldMatch | undefined)[] {
  let matches = outputMatches.get(parse);
  if (!matches) {
    matches = matchesOf(parse.fields);
    outputMatches.set(parse, matches);
  }
  return matches;
}

function factsOf(parse: ConditionParse): ConditionFacts {
  let facts = factsCache.get(parse);
  if (!facts) {
    // One walk for the four lists (each used to walk the tree on its own).
    const { macroRefs, listRefs, fields, compares } = conditionParts(parse.ast);
    facts = { macroRefs, listRefs, fields, compares };
    factsCache.set(parse, facts);
  }
  return facts;
}

const isKnownField = (name: string) => lookupFieldCached(name) !== undefined;
export function parseOutputCached(text: string): OutputParse {
  return cached(outputCache, text, () => parseOutput(text, isKnownField));
}

// ---------------------------------------------------------------------------------------------------------------
// Uses of macros and lists across every loaded file

/** Names a file refers to: macro references, and every bare word that would name a list if one is defined. */
interface FileRefs { macros: Map<string, number>; listCandidates: Map<string, number> }
const refsByModel = new WeakMap<RulesFileModel, FileRefs>();

function refsOf(model: RulesFileModel): FileRefs {
  let refs = refsByModel.get(model);
  if (refs) return refs;
  refs = { macros: new Map(), listCandidates: new Map() };
  const count = (map: Map<string, number>, names: string[]) => { for (const name of names) map.set(name, (map.get(name) ?? 0) + 1); };
  for (let i = 0; i < model.items.length; i++) {
    const own = itemRefsAt(model, i);
    count(refs.macros, own.macros);
    count(refs.listCandidates, own.listCandidates);
  }
  refsByModel.set(model, refs);
  return refs;
}

/**
 * The names item `i` of a model refers to. They depend on the item's text alone: cached by chunk text, so an item an
 * edit did not touch gives the same object (the rules service sums uses across files from these, item by item).
 */
export function itemRefsAt(model: RulesFileModel, i: number): ItemRefs {
  const chunk = model.chunks?.[i].text;
  let own = chunk !== undefined ? itemRefsCache.get(chunk) : undefined;
  if (!own) {
    own = itemRefsOf(model.items[i]);
    if (chunk !== undefined) {
      if (itemRefsCache.size >= CACHE_LIMIT) itemRefsCache.clear();
      itemRefsCache.set(chunk, own);
    }
  }
  return own;
}

/** Names one item refers to, with repeats. */
export interface ItemRefs { macros: string[]; listCandidates: string[] }
const itemRefsCache = new Map<string, ItemRefs>();

function itemRefsOf(item: ModelItem): ItemRefs {
  const refs: ItemRefs = { macros: [], listCandidates: [] };
  const condition = scalarText(entryOf(item, 'condition')?.value);
  if (condition !== undefined && (item.kind === 'rule' || item.kind === 'macro')) {
    const prefix = appendsCondition(item) ? `${APPEND_STAND_IN} ` : '';
    const facts = factsOf(parseConditionCached(prefix + condition));
    for (const m of facts.macroRefs) if (!prefix || m.span.start >= prefix.length) refs.macros.push(m.name);
    for (const l of facts.listRefs) refs.listCandidates.push(l.text);
  }
  if (item.kind === 'list') {
    // A list may name other lists among its items.
    const items = entryOf(item, 'items')?.value;
    if (items?.kind === 'seq') for (const i of items.items) { const t = scalarText(i); if (t !== undefined && t !== item.name) refs.listCandidates.push(t); }
  }
  if (item.kind === 'rule') {
    // Exception values may name lists (`values: [[shell_binaries]]` with `in`).
    const exceptions = entryOf(item, 'exceptions')?.value;
    if (exceptions?.kind === 'seq') for (const ex of exceptions.items) {
      if (ex.kind !== 'map') continue;
      walkScalars(ex.entries.find((e) => e.key === 'values')?.value, (t) => refs.listCandidates.push(t));
    }
  }
  return refs;
}

/** Uses of macros and lists across every loaded file (a use anywhere counts). */
export class UsageIndex {
  readonly macroUses = new Map<string, number>();
  readonly listUses = new Map<string, number>();

  constructor(load: LoadResult) {
    for (const f of load.files) {
      const refs = refsOf(f.model);
      for (const [name, n] of refs.macros) this.macroUses.set(name, (this.macroUses.get(name) ?? 0) + n);
      for (const [name, n] of refs.listCandidates) if (load.final.lists.has(name)) this.listUses.set(name, (this.listUses.get(name) ?? 0) + n);
    }
  }
}

function walkScalars(node: ModelNode | undefined, visit: (text: string) => void): void {
  if (!node) return;
  if (node.kind === 'scalar') { const t = scalarText(node); if (t !== undefined) visit(t.replace(/^\((.*)\)$/, '$1')); }
  else if (node.kind === 'seq') for (const i of node.items) walkScalars(i, visit);
}

// ---------------------------------------------------------------------------------------------------------------
// Field resolution

interface Catalog { size: number; classes: Set<string>; names: NameIndex; byClass: Map<string, NameIndex> }
let catalogCache: Catalog | undefined;
function catalog(): Catalog {
  const fields = allFields();
  if (!catalogCache || catalogCache.size !== fields.length) {
    const namesByClass = new Map<string, string[]>();
    for (const f of fields) {
      const c = f.name.split('.')[0];
      const list = namesByClass.get(c) ?? [];
      list.push(f.name);
      namesByClass.set(c, list);
    }
    const byClass = new Map([...namesByClass].map(([c, names]) => [c, new NameIndex(names)]));
    catalogCache = { size: fields.length, classes: knownFieldClasses(), names: new NameIndex(fields.map((f) => f.name)), byClass };
  }
  return catalogCache;
}

/** Closest field names: within the same class first (`proc.nmae` → proc.*), else among every field. */
function fieldSuggestions(name: string): string[] {
  const { names, byClass } = catalog();
  const sameClass = byClass.get(name.split('.')[0]);
  const near = sameClass ? sameClass.closest(name, 3) : [];
  return near.length ? near : names.closest(name, 3);
}

interface FieldProblemContext {
  reporter: ReportSink;
  source: string | undefined;
  skipIfUnknownFilter: boolean;
  where: 'condition' | 'output' | 'exception';
}

/** Checks one field reference; returns the catalog entry when it resolves. */
const lookupCache = new Map<string, ReturnType<typeof lookupField> | null>();
function lookupFieldCached(reference: string): ReturnType<typeof lookupField> {
  let v = lookupCache.get(reference);
  if (v === undefined) {
    if (lookupCache.size >= CACHE_LIMIT) lookupCache.clear();
    v = lookupField(reference) ?? null;
    lookupCache.set(reference, v);
  }
  return v ?? undefined;
}

/** libsinsp's own fields with a position argument reject anything but a number in brackets (`evt.arg[flags]` is an
 *  error; `evt.arg.flags` selects by name). Plugin fields parse their arguments themselves: not judged here. */
function needsNumericIndex(field: FieldInfo, arg: string): boolean {
  if (field.plugin || !field.arg) return false;
  const positional = field.arg.kind === 'index' || (field.arg.kind === 'index-or-key' && field.arg.dotForm === true);
  return positional && !/^\s*\d+\s*$/.test(arg);
}

/** Checks one field reference, given its catalog entry (`lookupFieldCached` of `name[arg]` or `name`). */
function checkField(match: FieldMatch | undefined, name: string, arg: string | undefined, spanOf: () => Span, ctx: FieldProblemContext): FieldInfo | undefined {
  if (match && !match.field.deprecated && !(ctx.where === 'output' && match.field.conditionOnly) && !match.field.arg?.required
    && !(arg !== undefined && needsNumericIndex(match.field, arg))
    && (!ctx.source || !KNOWN_SOURCES.includes(ctx.source) || (match.field.sources as string[]).includes(ctx.source))) return match.field;
  // The span is built only for a finding: mapping a scalar's offsets is the costly part, and fields such as
  // evt.arg.flags (dot form of a field whose argument is required) come here without any finding.
  let span: Span | undefined;
  const nameSpan = () => (span ??= spanOf());
  if (!match) {
    const { classes } = catalog();
    const fieldClass = name.split('.')[0];
    const suggestions = fieldSuggestions(name);
    if (!classes.has(fieldClass) && suggestions.length === 0) {
      ctx.reporter.report(Code.UnknownFieldClass, nameSpan(), `Field '${name}' is not known here (no known field starts with '${fieldClass}.'); Falco checks it when the plugin that provides it is loaded.`);
      return undefined;
    }
    const at = ctx.where === 'output' ? 'output' : ctx.where === 'exception' ? 'exception' : 'filter';
    const message = `'${name}' is not a supported ${at} field.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : ''}`;
    if (ctx.skipIfUnknownFilter) ctx.reporter.report(Code.UnknownField, nameSpan(), `${message} The rule is skipped because of skip-if-unknown-filter.`, { suggestions }, { severity: 2, load: 'LOAD_UNKNOWN_FILTER' });
    else ctx.reporter.report(Code.UnknownField, nameSpan(), message, { suggestions }, ctx.where === 'output' ? { load: 'LOAD_ERR_COMPILE_OUTPUT' } : undefined);
    return undefined;
  }
  const field = match.field;
  if (ctx.source && (KNOWN_SOURCES.includes(ctx.source)) && !(field.sources as string[]).includes(ctx.source)) {
    ctx.reporter.report(Code.FieldNotForSource, nameSpan(), `Field '${field.name}' is not available for source '${ctx.source}' (it belongs to ${field.sources.join(', ')}).`);
    return field;
  }
  if (ctx.where === 'output' && field.conditionOnly) {
    ctx.reporter.report(Code.UnknownField, nameSpan(), `Field '${field.name}' can be used in conditions only, not in an output.`, { suggestions: [] }, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
    return field;
  }
  if (field.arg?.required && match.arg === undefined) {
    ctx.reporter.report(Code.FieldArgument, nameSpan(), `Field '${field.name}' needs an argument, e.g. ${field.arg.example}.`);
  }
  if (arg !== undefined && needsNumericIndex(field, arg)) {
    const byName = field.arg?.dotForm ? ` To select by name, write '${field.name}.${arg.trim()}'.` : '';
    ctx.reporter.report(Code.FieldArgument, nameSpan(), `Field '${field.name}' takes a number in brackets (a position), not '${arg}'.${byName}`);
  }
  if (field.deprecated) {
    ctx.reporter.report(Code.DeprecatedField, nameSpan(), `Usage of deprecated field '${field.name}': ${field.deprecated}`);
  }
  return field;
}

// ---------------------------------------------------------------------------------------------------------------
// Event types (LOAD_NO_EVTTYPE)

/**
 * A set of event codes (ppm_event_code values 0..EVENT_CODE_COUNT-1) as a bit set, one bit per code. Falco's loader
 * counts these codes, not names: execve alone is 16 codes (every old version's enter and exit events), while every
 * syscall without its own event shares the two generic codes. Sets are never changed once made.
 */
type EventCodes = Uint32Array;
// One bit more than the codes: EVENT_TYPE_PLACEHOLDER's.
const CODE_WORDS = Math.ceil((EVENT_CODE_COUNT + 1) / 32);
const NO_CODES: EventCodes = new Uint32Array(CODE_WORDS);
const ALL_CODES: EventCodes = (() => {
  const all = new Uint32Array(CODE_WORDS);
  for (let code = 0; code < EVENT_CODE_COUNT; code++) all[code >>> 5] |= 1 << (code & 31);
  return all;
})();

function unionCodes(a: EventCodes, b: EventCodes): EventCodes {
  if (a === NO_CODES || b === ALL_CODES) return b;
  if (b === NO_CODES || a === ALL_CODES) return a;
  const out = new Uint32Array(CODE_WORDS);
  for (let i = 0; i < CODE_WORDS; i++) out[i] = a[i] | b[i];
  return out;
}
function intersectCodes(a: EventCodes, b: EventCodes): EventCodes {
  if (a === ALL_CODES || b === NO_CODES) return b;
  if (b === ALL_CODES || a === NO_CODES) return a;
  const out = new Uint32Array(CODE_WORDS);
  for (let i = 0; i < CODE_WORDS; i++) out[i] = a[i] & b[i];
  return out;
}
/** Every code not in the set (libsinsp: all_event_set().diff(set)). */
function complementCodes(a: EventCodes): EventCodes {
  if (a === NO_CODES) return ALL_CODES;
  if (a === ALL_CODES) return NO_CODES;
  const out = new Uint32Array(CODE_WORDS);
  for (let i = 0; i < CODE_WORDS; i++) out[i] = ALL_CODES[i] & ~a[i];
  return out;
}
function countCodes(a: EventCodes): number {
  let n = 0;
  for (let i = 0; i < CODE_WORDS; i++) {
    let w = a[i];
    while (w !== 0) { w &= w - 1; n++; }
  }
  return n;
}

/**
 * The word the no-evttype quick fix inserts for the user to replace (`evt.type in (EVENT_TYPE)`): it is not reported
 * as an unknown event type, and it counts as one code of its own (the first bit past the real codes), so the rule is
 * neither "no event code" nor unrestricted until the user names real event types.
 */
export const EVENT_TYPE_PLACEHOLDER = 'EVENT_TYPE';

/** The codes of one evt.type name (names libsinsp rejects match none), built once per name. */
const codesByName = new Map<string, EventCodes>();
function codesOfName(name: string): EventCodes {
  let set = codesByName.get(name);
  if (!set) {
    const codes = name === EVENT_TYPE_PLACEHOLDER ? [EVENT_CODE_COUNT] : eventCodesOfName(name) ?? [];
    set = new Uint32Array(CODE_WORDS);
    for (const code of codes) set[code >>> 5] |= 1 << (code & 31);
    if (codesByName.size >= CACHE_LIMIT) codesByName.clear();
    codesByName.set(name, set);
  }
  return set;
}

/** Fields whose comparisons restrict the event codes a rule is evaluated for (libsinsp: evt.type and syscall.type, without argument). */
const EVENT_TYPE_FIELDS = new Set(['evt.type', 'syscall.type']);
/** The operators libsinsp reads event types from; any other comparison of these fields restricts nothing. */
const EVENT_TYPE_OPERATORS = new Set(['=', '==', '!=', 'in']);

/**
 * The event codes a condition can match, as libsinsp's ppm_event_codes computes them (filter/ppm_codes.cpp, libs
 * 0.25.2) after macros and lists are expanded. A `not` is pushed down to the comparisons (De Morgan), so `negated`
 * says whether an odd number of `not`s is above: `and` intersects its operands' sets and `or` unites them, the other
 * way round when negated. An evt.type (or syscall.type) comparison with =, ==, != or `in` gives the codes of its
 * names (`!=` and a negation each take the complement); `evt.type exists` gives every code (none when negated); any
 * other comparison, and a macro that is undefined or uses itself, gives every code whether negated or not.
 */
function eventCodesOf(expr: Expr | undefined, negated: boolean, defs: Definitions, walk: EventTypeWalk): EventCodes {
  if (!expr) return ALL_CODES;
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const intersect = (expr.kind === 'and') !== negated;
      let acc = intersect ? ALL_CODES : NO_CODES;
      for (const o of expr.operands) {
        const codes = eventCodesOf(o, negated, defs, walk);
        acc = intersect ? intersectCodes(acc, codes) : unionCodes(acc, codes);
      }
      return acc;
    }
    case 'not': return eventCodesOf(expr.operand, !negated, defs, walk);
    case 'paren': return eventCodesOf(expr.inner, negated, defs, walk);
    case 'macro': {
      const macro = defs.macros.get(expr.name);
      if (!macro) return ALL_CODES;
      if (walk.active.has(expr.name)) { walk.cycles++; return ALL_CODES; }
      const memo = eventTypeMemo(defs);
      const macros = negated ? memo.negatedMacros : memo.macros;
      const known = macros.get(expr.name);
      if (known) {
        if (memo.macrosNamingUnknown.has(expr.name)) walk.unknownNames++;
        return known;
      }
      const cyclesBefore = walk.cycles;
      const unknownBefore = walk.unknownNames;
      walk.active.add(expr.name);
      const codes = eventCodesOf(parseConditionCached(macro.condition).ast, negated, defs, walk);
      walk.active.delete(expr.name);
      // A result that met a macro cycle depends on where the walk entered it; only the others are shared.
      if (walk.cycles === cyclesBefore) {
        macros.set(expr.name, codes);
        if (walk.unknownNames > unknownBefore) memo.macrosNamingUnknown.add(expr.name);
      }
      return codes;
    }
    case 'compare': {
      if (expr.lhs.kind !== 'field' || !EVENT_TYPE_FIELDS.has(expr.lhs.name) || expr.lhs.arg) return ALL_CODES;
      if (expr.op === 'exists') return negated ? NO_CODES : ALL_CODES;
      if (!EVENT_TYPE_OPERATORS.has(expr.op) || expr.modifier) return ALL_CODES;
      const names = eventTypeNamesOf(expr, defs);
      // val() on the right: libsinsp refuses the condition; nothing to count.
      if (!names) return ALL_CODES;
      let codes = NO_CODES;
      for (const name of names) {
        if (expr.lhs.name === 'evt.type' && isUnknownEventType(name)) walk.unknownNames++;
        codes = unionCodes(codes, codesOfName(name));
      }
      return (expr.op === '!=') !== negated ? complementCodes(codes) : codes;
    }
    default: return ALL_CODES;
  }
}

/** The names an evt.type comparison compares with, list names expanded (Falco substitutes lists in the text). */
function eventTypeNamesOf(expr: Extract<Expr, { kind: 'compare' }>, defs: Definitions): string[] | undefined {
  const rhs = expr.rhs;
  if (rhs?.kind === 'list') return rhs.items.flatMap((i) => expandList(i.quoted ? undefined : i.text, i.text, defs));
  if (rhs?.kind === 'literal') return expandList(rhs.quoted ? undefined : rhs.text, rhs.text, defs);
  return undefined;
}

/**
 * evt.type values libsinsp rejects ("unknown event type <name>", sinsp_filtercheck_event.cpp validate_filter_value):
 * names that are neither in the event table, nor syscall names, nor async events of a known plugin. Falco then fails
 * the rule (or skips it with skip-if-unknown-filter). Only names written in the condition are checked: an unquoted
 * word that names a defined list is Falco's list, whose items are not looked into.
 */
function checkEventTypeNames(facts: ConditionFacts, defs: Definitions, skipUnknown: boolean, docSpan: (s: Span) => Span, reporter: ReportSink): void {
  for (const { span, name, list } of unknownEventNamesOf(facts, defs)) {
    const suggestions = eventTypeSuggestions(name);
    const hint = suggestions.length ? ` Did you mean '${suggestions[0]}'?` : '';
    const where = list ? ` (an item of the list '${list}')` : '';
    const message = `Unknown event type '${name}'${where}: Falco rejects the condition unless a loaded plugin defines an event of that name.${hint}`;
    // A list's item is reported at the list's use (where Falco fails), without a quick fix: the fix belongs in the list.
    const data = { suggestions: list ? [] : suggestions };
    if (skipUnknown) reporter.report(Code.UnknownEventType, docSpan(span), `${message} The rule is skipped because of skip-if-unknown-filter.`, data, { severity: 2, load: 'LOAD_UNKNOWN_FILTER' });
    else reporter.report(Code.UnknownEventType, docSpan(span), message, data);
  }
}

/** An evt.type value libsinsp rejects: where it is written, and the list it comes from if any. */
interface UnknownEventName { span: Span; name: string; list?: string }
const NO_UNKNOWN_NAMES: readonly UnknownEventName[] = [];

/**
 * The unknown evt.type values of a parsed condition, once per parse and set of lists (they depend on the lists
 * only; usually there are none). A re-validation then costs one lookup per condition.
 */
function unknownEventNamesOf(facts: ConditionFacts, defs: Definitions): readonly UnknownEventName[] {
  const compares = facts.evtTypeCompares ??= facts.compares.filter((e) => e.lhs.kind === 'field' && e.lhs.name === 'evt.type' && !e.lhs.arg && EVENT_TYPE_OPERATORS.has(e.op) && !e.modifier);
  if (compares.length === 0) return NO_UNKNOWN_NAMES;
  const memo = eventTypeMemo(defs).unknownNames;
  let found = memo.get(facts);
  if (found) return found;
  found = [];
  for (const e of compares) {
    const rhs = e.rhs;
    const literals = rhs?.kind === 'list' ? rhs.items : rhs?.kind === 'literal' ? [rhs] : [];
    for (const l of literals) {
      const list = l.quoted ? undefined : defs.lists.get(l.text);
      for (const name of list ? expandList(l.text, l.text, defs) : [l.text]) {
        if (isUnknownEventType(name)) found.push({ span: l.span, name, list: list ? l.text : undefined });
      }
    }
  }
  memo.set(facts, found);
  return found;
}

/** Whether libsinsp rejects this evt.type value (the quick fix's placeholder is the user's to replace). */
function isUnknownEventType(name: string): boolean {
  return eventCodesOfName(name) === undefined && name !== EVENT_TYPE_PLACEHOLDER;
}

let eventTypeIndex: NameIndex | undefined;
const eventTypeSuggestionMemo = new Map<string, string[]>();
function eventTypeSuggestions(name: string): string[] {
  let out = eventTypeSuggestionMemo.get(name);
  if (!out) {
    out = (eventTypeIndex ??= new NameIndex(eventTypeNames())).closest(name, 3);
    if (eventTypeSuggestionMemo.size >= CACHE_LIMIT) eventTypeSuggestionMemo.clear();
    eventTypeSuggestionMemo.set(name, out);
  }
  return [...out];
}

/** Falco's limit (rule_loader_compiler.cpp): a syscall rule warns when it matches no event code or more than 100. */
const MAX_EVENT_CODES = 100;

/**
 * Why a rule's (effective) condition matches too many (or no) event codes, or undefined when it does not (or does not
 * parse). Memoized with the macros' event codes.
 */
function eventTypeProblem(condition: string, defs: Definitions): string | undefined {
  // Rules' conditions have their own map: a key that told them apart from macro names was a new string per rule.
  const memo = eventTypeMemo(defs).conditions;
  let count = memo.get(condition);
  if (count === undefined) {
    const parse = parseConditionCached(condition);
    if (parse.errors.length > 0) return undefined;
    const walk: EventTypeWalk = { active: new Set(), cycles: 0, unknownNames: 0 };
    const codes = eventCodesOf(parse.ast, false, defs, walk);
    count = walk.unknownNames > 0 ? UNKNOWN_NAME : countCodes(codes);
    if (walk.cycles === 0) memo.set(condition, count);
  }
  // Falco rejects the condition ("unknown event type") before it counts codes; unknown-evttype says why.
  if (count === UNKNOWN_NAME) return undefined;
  if (count === EVENT_CODE_COUNT) return `its condition has no event-type restriction: it matches all ${EVENT_CODE_COUNT} event codes`;
  if (count === 0) return 'it matches no event code: its evt.type tests exclude each other or name no known event';
  if (count > MAX_EVENT_CODES) return `it matches ${count} event codes, more than ${MAX_EVENT_CODES}`;
  return undefined;
}

/**
 * The macros being expanded (a macro that uses itself matches every event code), how often a cycle was met, and how
 * many evt.type names libsinsp would reject were met.
 */
interface EventTypeWalk { active: Set<string>; cycles: number; unknownNames: number }

/** The memo's count for a condition that names an event type libsinsp rejects. */
const UNKNOWN_NAME = -1;

/**
 * Event codes of each macro (under an even and an odd number of `not`s) and the number of codes of each rule's
 * condition, per set of definitions: macros are shared by many rules. An edit makes new definitions, usually with the
 * same macros and lists as before; their memo is then shared.
 */
interface EventTypeMemo {
  macros: Map<string, EventCodes>;
  negatedMacros: Map<string, EventCodes>;
  /** Macros whose expansion names an evt.type value libsinsp rejects. */
  macrosNamingUnknown: Set<string>;
  /** Unknown evt.type values written in each parsed condition (list items included). */
  unknownNames: WeakMap<ConditionFacts, UnknownEventName[]>;
  conditions: Map<string, number>;
}
const macroEventTypes = new WeakMap<Definitions, EventTypeMemo>();
const recentEventTypeMemos: { defs: Definitions; memo: EventTypeMemo }[] = [];

function eventTypeMemo(defs: Definitions): EventTypeMemo {
  let memo = macroEventTypes.get(defs);
  if (memo) return memo;
  memo = recentEventTypeMemos.find((r) => sameMacrosAndLists(r.defs, defs))?.memo ?? { macros: new Map(), negatedMacros: new Map(), macrosNamingUnknown: new Set(), unknownNames: new WeakMap(), conditions: new Map() };
  macroEventTypes.set(defs, memo);
  recentEventTypeMemos.unshift({ defs, memo });
  if (recentEventTypeMemos.length > 8) recentEventTypeMemos.pop();
  return memo;
}

/**
 * Whether two sets of definitions have the same macro conditions and list items (all event types depend on). Sets
 * of definitions made from the same files list their names in the same order and share the definitions of every file
 * an edit did not re-apply, so both tables are walked side by side and a shared definition is not looked into.
 * Another order only answers "not the same" (the memo is then computed afresh, never wrong).
 */
function sameMacrosAndLists(a: Definitions, b: Definitions): boolean {
  if (a.macros.size !== b.macros.size || a.lists.size !== b.lists.size) return false;
  if (a.macros !== b.macros) {
    const others = b.macros.values();
    for (const macro of a.macros.values()) {
      const other = others.next().value as MacroDef;
      if (other !== macro && (other.name !== macro.name || other.condition !== macro.condition)) return false;
    }
  }
  if (a.lists !== b.lists) {
    const others = b.lists.values();
    for (const list of a.lists.values()) {
      const other = others.next().value as ListDef;
      if (other === list || other.items === list.items) continue;
      if (other.name !== list.name || other.items.length !== list.items.length) return false;
      for (let i = 0; i < list.items.length; i++) if (other.items[i] !== list.items[i]) return false;
    }
  }
  return true;
}

function expandList(name: string | undefined, text: string, defs: Definitions, seen = new Set<string>()): string[] {
  const list = name !== undefined ? defs.lists.get(name) : undefined;
  if (!list || seen.has(name!)) return [text];
  seen.add(name!);
  return list.items.flatMap((i) => expandList(i, i, defs, seen));
}

// ---------------------------------------------------------------------------------------------------------------
// The checks

function conditionNode(item: ModelItem): { entry: MapEntry; node: ScalarNode } | undefined {
  const entry = entryOf(item, 'condition');
  const node = entry?.value;
  return entry && node?.kind === 'scalar' && typeof node.value === 'string' ? { entry, node } : undefined;
}

function boolKey(item: ModelItem, key: string): boolean | undefined {
  const v = entryOf(item, key)?.value;
  return v?.kind === 'scalar' && typeof v.value === 'boolean' ? v.value : undefined;
}

/** The source a rule item is for: its own `source`, or that of the rule it overrides. */
function sourceOf(item: ModelItem, defs: Definitions): string {
  const own = scalarText(entryOf(item, 'source')?.value);
  if (own !== undefined) return own;
  return (item.name !== undefined ? defs.rules.get(item.name)?.source : undefined) ?? 'syscall';
}

const NA_OPERATORS = new Set(['=', '==', '!=', 'in', 'intersects', 'pmatch']);

/**
 * The context string of a rule's field checks (its source and skip-if-unknown-filter), one string per pair: built
 * per rule on every validation it was garbage, and a fresh string is hashed again when the item-check cache looks it up.
 */
const fieldContexts = new Map<string, [string, string]>();
function fieldContextOf(source: string, skipUnknown: boolean): string {
  let pair = fieldContexts.get(source);
  if (!pair) {
    if (fieldContexts.size >= CACHE_LIMIT) fieldContexts.clear();
    pair = [`${source}\u0000false`, `${source}\u0000true`];
    fieldContexts.set(source, pair);
  }
  return pair[skipUnknown ? 1 : 0];
}

/**
 * Condition, output and exception checks of every rule, macro and list of a file, plus the checks that need the
 * loaded definitions. Checks that read the item alone (and its rule's source) go through `run`, so that a caching
 * runner can replay them; the others read the definitions and run every time, in the same order.
 */
export function validateConditions(file: LoadedFile, load: LoadResult, usage: UsageIndex, reporter: ReportSink, run: ItemCheckRunner = runDirectly(reporter)): void {
  const defs = load.after[file.order] ?? load.final;
  let macroSuggestions: ((name: string) => string[]) | undefined;
  let listSuggestions: ((name: string) => string[]) | undefined;
  let pluginNames: Set<string> | undefined;

  for (const item of file.model.items) {
    if (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') continue;
    const isRule = item.kind === 'rule';
    const source = isRule ? sourceOf(item, defs) : undefined;
    const skipUnknown = isRule ? (boolKey(item, 'skip-if-unknown-filter') ?? (item.name ? defs.rules.get(item.name)?.skipIfUnknownFilter : false) ?? false) : false;
    // What the field checks read besides the item: the rule's source and skip-if-unknown-filter (both may come from
    // the rule an override changes).
    const fieldContext = isRule ? fieldContextOf(source!, skipUnknown) : '';
    const fieldCtx = (sink: ReportSink, where: FieldProblemContext['where']): FieldProblemContext => ({ reporter: sink, source, skipIfUnknownFilter: skipUnknown, where });

    const cond = conditionNode(item);
    if (cond && cond.node.text.trim() !== '') {
      // An appended condition is a continuation (`and not ...`): Falco joins it to the previous condition with a
      // space, so it is parsed behind a stand-in for that condition and positions are shifted back.
      const prefix = appendsCondition(item) ? `${APPEND_STAND_IN} ` : '';
      const parse = parseConditionCached(prefix + cond.node.text);
      // The offset map is built only when a finding needs a document range.
      const condNode = cond.node;
      const docSpan = (s: Span) => scalarMap(condNode).span(Math.max(0, s.start - prefix.length), Math.max(0, s.end - prefix.length));
      run(item, 'condition-syntax', '', (sink) => {
        for (const e of parse.errors) sink.report(Code.ConditionSyntax, docSpan(e.span), `Condition syntax: ${e.message}.`);
      });
      const facts = factsOf(parse);
      for (const m of facts.macroRefs) {
        if (defs.macros.has(m.name) || (prefix && m.span.start < prefix.length)) continue;
        const suggestions = (macroSuggestions ??= suggester(defs.macros, undefined))(m.name);
        reporter.report(Code.UndefinedMacro, docSpan(m.span), `Undefined macro '${m.name}' used in filter.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : ''}`, { suggestions });
      }
      for (const l of facts.listRefs) {
        if (defs.lists.has(l.text) || !l.text.includes('_') || l.text.length < 6) continue;
        const suggestions = (listSuggestions ??= suggester(defs.lists, 2))(l.text);
        if (suggestions.length) reporter.report(Code.UnknownList, docSpan(l.span), `'${l.text}' is not a defined list, so Falco compares with the literal string. Did you mean the list '${suggestions[0]}'?`, { suggestions });
      }
      run(item, 'condition-fields', fieldContext, (sink) => checkConditionFields(facts, fieldCtx(sink, 'condition'), docSpan));
      if (!isRule || source === 'syscall') checkEventTypeNames(facts, defs, skipUnknown, docSpan, reporter);
      if (isRule && source === 'syscall' && isDefinition(item)) {
        const rule = item.name !== undefined ? defs.rules.get(item.name) : undefined;
        const warn = boolKey(item, 'warn_evttypes') ?? rule?.warnEvttypes ?? true;
        const effective = rule?.condition ?? cond.node.text;
        const problem = warn ? eventTypeProblem(effective, defs) : undefined;
        if (problem) {
          reporter.report(Code.NoEventType, cond.entry.keySpan, `Rule matches too many evt.type values (${problem}). This has a significant performance penalty; add an 'evt.type in (...)' test or set 'warn_evttypes: false'.`, { name: item.name });
        }
      }
    }

    if (isRule) {
      run(item, 'output-exceptions', fieldContext, (sink) => {
        const output = entryOf(item, 'output')?.value;
        if (output?.kind === 'scalar' && typeof output.value === 'string' && output.text !== '') checkOutput(output, fieldCtx(sink, 'output'), sink);
        checkExceptionFields(item, fieldCtx(sink, 'exception'));
      });
      const sourceNode = entryOf(item, 'source')?.value;
      const sourceText = scalarText(sourceNode);
      if (sourceNode && sourceText !== undefined) checkSource(sourceText, sourceNode.span, pluginNames ??= requiredPluginsUpTo(load, file.order), reporter);
    }

    // Unused macros and lists: a use in any loaded file counts.
    if ((item.kind === 'macro' || item.kind === 'list') && item.name !== undefined && isDefinition(item)) {
      const uses = item.kind === 'macro' ? usage.macroUses : usage.listUses;
      if (!uses.get(item.name)) {
        reporter.report(item.kind === 'macro' ? Code.UnusedMacro : Code.UnusedList, item.nameSpan ?? item.span,
          `${item.kind === 'macro' ? 'Macro' : 'List'} '${item.name}' is not referred to by any rule, macro${item.kind === 'list' ? ' or list' : ''} of the loaded rules files.`);
      }
    }
  }
}

/**
 * Closest names among a table's names (limit undefined: the default typo limit). Memoized per list of names: the
 * tables rarely change from one edit to the next, and some rules compare with words that look like list names. A
 * table seen before finds its memo by identity; a new table (every load makes new ones) is compared name by name
 * with the recent memos' names, in order, as the joined names were compared before, without building that string.
 */
interface SuggestionMemo { limit: number | undefined; names: string[]; index: NameIndex; known: Map<string, string[]> }
const recentSuggestionMemos: SuggestionMemo[] = [];
let suggestionMemoByTable = new WeakMap<Map<string, unknown>, SuggestionMemo>();

function sameNames(names: readonly string[], table: Map<string, unknown>): boolean {
  if (names.length !== table.size) return false;
  let i = 0;
  for (const name of table.keys()) if (names[i++] !== name) return false;
  return true;
}

function suggester(table: Map<string, unknown>, limit: number | undefined): (name: string) => string[] {
  let memo = suggestionMemoByTable.get(table);
  if (!memo || memo.limit !== limit) {
    memo = recentSuggestionMemos.find((m) => m.limit === limit && sameNames(m.names, table));
    if (!memo) {
      const names = [...table.keys()];
      memo = { limit, names, index: new NameIndex(names), known: new Map() };
      recentSuggestionMemos.unshift(memo);
      if (recentSuggestionMemos.length > 16) recentSuggestionMemos.pop();
    }
    suggestionMemoByTable.set(table, memo);
  }
  const { index, known } = memo;
  return (name) => {
    let out = known.get(name);
    if (!out) {
      if (known.size >= CACHE_LIMIT) known.clear();
      out = index.closest(name, 3, limit);
      known.set(name, out);
    }
    return [...out];
  };
}

/** Fields of a condition: known, available for the source, and used with operators their type accepts. */
function checkConditionFields(facts: ConditionFacts, ctx: FieldProblemContext, docSpan: (s: Span) => Span): void {
  const { matches, lhsIndex } = fieldMatches(facts);
  const fieldInfos: (FieldInfo | undefined)[] = [];
  facts.fields.forEach((f, i) => {
    if (f.kind !== 'field') return;
    fieldInfos[i] = checkField(matches[i], f.name, f.arg?.text, () => docSpan(f.nameSpan), ctx);
  });
  facts.compares.forEach((e, c) => {
    const lhs = e.lhs;
    if (lhs.kind !== 'field') return;
    const info = lhsIndex[c] >= 0 ? fieldInfos[lhsIndex[c]] : undefined;
    if (info) {
      const reason = operatorRejection(e.op, info.type, !!info.isList, e.modifier?.name);
      if (reason) ctx.reporter.report(Code.OperatorType, docSpan(e.opSpan), `Operator '${e.op}' cannot be used with '${info.name}': ${reason}.`);
    }
    if ((lhs.name.startsWith('ka.') || lhs.name.startsWith('jevt.')) && NA_OPERATORS.has(e.op)) {
      const rhs = e.rhs;
      const hasNa = rhs?.kind === 'literal' ? rhs.text === '<NA>' : rhs?.kind === 'list' ? rhs.items.some((i) => i.text === '<NA>') : false;
      if (hasNa) ctx.reporter.report(Code.UnsafeNaCheck, docSpan(e.span), `Comparing '${lhs.name}' with <NA> is unsafe: <NA> also matches a missing value. Use 'exists' (or 'not ... exists') instead.`);
    }
  });
}

/** Stands for the previous condition when an appended fragment is parsed (an identifier no rules file uses). */
const APPEND_STAND_IN = 'falcolensPreviousCondition';

function appendsCondition(item: ModelItem): boolean {
  const override = entryOf(item, 'override')?.value;
  if (override?.kind === 'map') return override.entries.some((e) => e.key === 'condition' && scalarText(e.value) === 'append');
  const append = entryOf(item, 'append')?.value;
  return append?.kind === 'scalar' && append.value === true;
}

/** A new definition (not an override, an `append: true` or a standalone `enabled`). */
function isDefinition(item: ModelItem): boolean {
  if (entryOf(item, 'override')) return false;
  const append = entryOf(item, 'append')?.value;
  if (append?.kind === 'scalar' && append.value === true) return false;
  if (item.kind === 'rule' && !DEFINING_RULE_KEYS.some((k) => entryOf(item, k) !== undefined)) return false;
  return true;
}
const DEFINING_RULE_KEYS = ['condition', 'output', 'desc', 'priority'];

function checkOutput(node: ScalarNode, ctx: FieldProblemContext, reporter: ReportSink): void {
  const parse = parseOutputCached(node.text);
  const span = (s: Span) => scalarMap(node).span(s.start, s.end);
  for (const e of parse.errors) reporter.report(Code.OutputSyntax, span(e.span), `Output: ${e.message}.`);
  const matches = outputFieldMatches(parse);
  parse.fields.forEach((f, i) => {
    if (f.name === 'container.info') {
      reporter.report(Code.DeprecatedContainerInfo, span(f.span), `'%container.info' is deprecated: list the container fields you need (e.g. container_id=%container.id container_name=%container.name) or rely on the container plugin's suggested output fields.`);
      return;
    }
    checkField(matches[i], f.name, f.arg?.text, () => span(f.nameSpan), ctx);
  });
}

function checkExceptionFields(item: ModelItem, ctx: FieldProblemContext): void {
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq') return;
  for (const ex of exceptions.items) {
    if (ex.kind !== 'map') continue;
    const fields = ex.entries.find((e) => e.key === 'fields')?.value;
    const nodes = fields?.kind === 'seq' ? fields.items : fields ? [fields] : [];
    for (const n of nodes) {
      if (n.kind !== 'scalar' || typeof n.value !== 'string') continue;
      // An exception field is a field reference, possibly with an argument.
      const m = /^([^[\s]+)(?:\[(.*)\])?$/.exec(n.text.trim());
      if (!m) continue;
      const lead = n.text.length - n.text.trimStart().length;
      checkField(lookupFieldCached(m[2] !== undefined ? `${m[1]}[${m[2]}]` : m[1]), m[1], m[2], () => scalarMap(n).span(lead, lead + m[1].length), ctx);
    }
  }
}

function requiredPluginsUpTo(load: LoadResult, order: number): Set<string> {
  const names = new Set<string>();
  for (const f of load.files) {
    if (f.order > order) break;
    for (const item of f.model.items) {
      if (item.kind !== 'required_plugin_versions') continue;
      const v = item.kindEntry?.value;
      if (v?.kind !== 'seq') continue;
      for (const entry of v.items) {
        if (entry.kind !== 'map') continue;
        const name = scalarText(entry.entries.find((e) => e.key === 'name')?.value);
        if (name) names.add(name);
        const alternatives = entry.entries.find((e) => e.key === 'alternatives')?.value;
        if (alternatives?.kind === 'seq') for (const a of alternatives.items) {
          if (a.kind !== 'map') continue;
          const alt = scalarText(a.entries.find((e) => e.key === 'name')?.value);
          if (alt) names.add(alt);
        }
      }
    }
  }
  return names;
}

function checkSource(source: string, span: Span, plugins: Set<string>, reporter: ReportSink): void {
  if (!KNOWN_SOURCES.includes(source)) {
    const suggestions = closestNames(source, KNOWN_SOURCES, 3, 2);
    if (suggestions.length) reporter.report(Code.UnknownSource, span, `Unknown source '${source}'. Did you mean '${suggestions[0]}'? Falco skips rules of unknown sources.`, { suggestions }, { severity: 2 });
    else reporter.report(Code.UnknownSource, span, `Source '${source}' is not known here; Falco loads the rule only when a plugin providing '${source}' is loaded.`);
    return;
  }
  const providers = PLUGIN_SOURCES[source];
  if (providers && !providers.some((p) => plugins.has(p))) {
    reporter.report(Code.MissingPluginRequirement, span, `Rules of source '${source}' need the ${providers[0]} plugin; no loaded rules file declares it under required_plugin_versions.`, { plugin: providers[0] });
  }
}
