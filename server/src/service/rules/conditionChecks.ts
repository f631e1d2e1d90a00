// Condition, output and exception checks, plus the workspace-wide checks that need parsed conditions: unused macros
// and lists, sources and their plugin requirements, event-type restriction.
import type { ConditionParse, Expr, FieldExpr, Literal, OutputParse } from './conditionAst';
import { conditionParts, listRefsOf, macroRefsOf, parseCondition, parseOutput } from './condition';
import { EVENT_PARAMETER_NAMES, OPERATOR_MODIFIERS, longestEventParameterPrefix, operatorInfo, operatorRejection, rawargNameRejection, rawargType } from './operators';
import { dotArgumentCut, dotLabelAt, isEventTableName, knownFieldClasses, lookupField, allFields, LONGEST_FIELD_NAME, officialDefinition, eventCodesOfName, eventTypeNames, EVENT_CODE_COUNT, EVENT_NAMES_SINCE, EVENT_TABLE_LIBS_VERSION, FALCO_RELEASES, LATEST_FALCO, OLDER_EVENT_TABLES, type FieldInfo, type FieldMatch } from '../../knowledge';
import { Code } from './diagnosticCodes';
import { removalNote, removedField } from '../../knowledge/fields/removed';
import { chunkKey, entryOf, entryValue, scalarBoolean, scalarMap, scalarText, type MapEntry, type MapNode, type ModelItem, type ModelNode, type RulesFileModel, type ScalarNode, type Span } from './model';
import { closestNames, NameIndex } from './closest';
import { KNOWN_SOURCES, PLUGIN_SOURCES } from './schema';
import { officialFileHint, reportUnknownFilter, runDirectly, type ItemCheckRunner, type ReportOptions, type ReportSink } from './validate';
import type { ItemFindingsRun } from './itemFindings';
import { reportCompileWarnings } from './compileWarnings';
import { fileLabel, lineText, ruleExceptions, ruleExceptionValues, listIndex, listItemsInCondition, listsPastedAfter, listVisibility, appendsCondition, appendsConditionInLoad, isDefinitionItem, isLegacyAppend, itemRefusal, type Contribution, type Definitions, type ListDef, type MacroDef, type OrderedList, type LoadResult, type LoadedFile, type RuleDef } from './workspace';
import { printsTextAfter } from './outputReading';
import { needsArgumentMessage, openTransformerReading, reportFilterOnlyField, reportOpenTransformer, textAfterMessage, unreadArgMessage, type OutputReadOptions } from './outputReading';

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
  recentListNameKeys.length = 0;
  listNamesKeyByTables = new WeakMap();
  for (const table of [LATEST_CODES, ...olderCodeTables.values()]) for (const byText of table.byText) byText.clear();
  stampedDefs = undefined;
  unknownNamesMemo = new WeakMap();
}

/** What the checks read from a parsed condition, computed once per parse. */
interface ConditionFacts {
  macroRefs: ReturnType<typeof macroRefsOf>;
  listRefs: ReturnType<typeof listRefsOf>;
  valueRefs: ReturnType<typeof listRefsOf>;
  fields: FieldExpr[];
  compares: Extract<Expr, { kind: 'compare' }>[];
  /** Catalog entries of `fields` (index-aligned), resolved on first use: a parse is shared by every check of it. */
  matches?: (FieldMatch | undefined)[];
  /** For each comparison, the index in `fields` of its left-hand field (-1 for a transformer). */
  lhsIndex?: number[];
  /** The quoted values holding words between list delimiters (listWordsInStrings), on first use. */
  stringWords?: { literal: Literal; raw: string; words: string[] }[];
  /** The words outside quoted strings between list delimiters (bareListWords), on first use. */
  bareWords?: readonly BareWord[];
  /**
   * The bare words named like a loaded list where the condition has no list operator's item or comparison's value
   * (reportListNamesElsewhere), for the list names `names` (listNamesKey): most conditions have none, and an edit that
   * adds or removes no list finds them without a lookup per word.
   */
  listNamedWords?: { names: object; words: readonly BareWord[] };
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
    const { macroRefs, listRefs, fields, compares, valueRefs } = conditionParts(parse.ast);
    facts = { macroRefs, listRefs, fields, compares, valueRefs };
    factsCache.set(parse, facts);
  }
  return facts;
}

/** The macro names a condition text refers to, each once, in order (its parse's facts, kept with the parse). */
const macroNamesByFacts = new WeakMap<ConditionFacts, readonly string[]>();
export function macroNamesOf(condition: string): readonly string[] {
  const facts = factsOf(parseConditionCached(condition));
  let names = macroNamesByFacts.get(facts);
  if (!names) {
    names = [...new Set(facts.macroRefs.map((m) => m.name))];
    macroNamesByFacts.set(facts, names);
  }
  return names;
}

/**
 * The fields a condition compares, in its own text and in the macros it uses, macros of macros too, as `macroCondition`
 * gives their loaded text (Falco pastes each macro's condition where the rule names it: rule_loader_compiler.cpp
 * compile_condition). Each macro is read once (a cycle ends there), from the parses the checks keep.
 */
export function fieldsReachedFrom(condition: string, macroCondition: (name: string) => string | undefined): Set<string> {
  const fields = new Set<string>();
  const seen = new Set<string>();
  const pending = [condition];
  for (let text = pending.pop(); text !== undefined; text = pending.pop()) {
    for (const f of factsOf(parseConditionCached(text)).fields) if (f.kind === 'field') fields.add(f.name);
    for (const name of macroNamesOf(text)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const inner = macroCondition(name);
      if (inner !== undefined) pending.push(inner);
    }
  }
  return fields;
}

/**
 * The fields a condition holds at one value for every event it matches, through the macros it uses: a comparison
 * `f = v` (or `==`, or `in` with one item that names no list) that every match passes, being a term of the top-level
 * `and`s (a macro's condition counts where the macro is named, as Falco pastes it: rule_loader_compiler.cpp
 * compile_condition, 0.37.0-0.44.1), or one that each branch of an `or` holds at the same value. Nothing under a
 * `not`, and nothing of a condition that does not parse. The values are as written, without quotes.
 */
export function pinnedFieldsOf(condition: string, macroCondition: (name: string) => string | undefined, isListName: (name: string) => boolean): Map<string, string> {
  const visit = (text: string, seen: ReadonlySet<string>): Map<string, string> => {
    const parsed = parseConditionCached(text);
    return parsed.ast && parsed.errors.length === 0 ? pins(parsed.ast, seen) : new Map();
  };
  const pins = (e: Expr, seen: ReadonlySet<string>): Map<string, string> => {
    switch (e.kind) {
      case 'paren': return pins(e.inner, seen);
      case 'and': {
        const out = new Map<string, string>();
        for (const operand of e.operands) for (const [f, v] of pins(operand, seen)) if (!out.has(f)) out.set(f, v);
        return out;
      }
      case 'or': {
        const [first, ...rest] = e.operands.map((o) => pins(o, seen));
        for (const [f, v] of first ?? []) if (rest.some((r) => r.get(f) !== v)) first!.delete(f);
        return first ?? new Map();
      }
      case 'macro': {
        const inner = seen.has(e.name) ? undefined : macroCondition(e.name);
        return inner === undefined ? new Map() : visit(inner, new Set([...seen, e.name]));
      }
      case 'compare': {
        if (e.lhs.kind !== 'field' || e.lhs.arg || e.modifier) return new Map();
        const one = e.op === '=' || e.op === '==' ? e.rhs : e.op === 'in' && e.rhs?.kind === 'list' && e.rhs.items.length === 1 ? e.rhs.items[0] : undefined;
        if (one?.kind !== 'literal' || (!one.quoted && isListName(one.text))) return new Map();
        return new Map([[e.lhs.name, one.text]]);
      }
      default: return new Map();
    }
  };
  return visit(condition, new Set());
}

const isKnownField = (name: string) => lookupFieldCached(name) !== undefined;
/** Why Falco 0.44 does not compile `name[arg]` in an output (bracketArgumentProblem), for parseOutput. */
const argumentRefusal = (name: string, arg: string): string | undefined => {
  const match = lookupFieldCached(name);
  return match && match.field.name === name ? bracketArgumentProblem(match.field, arg, 'output')?.message : undefined;
};
export function parseOutputCached(text: string): OutputParse {
  return cached(outputCache, text, () => parseOutput(text, isKnownField, argumentRefusal));
}

// ---------------------------------------------------------------------------------------------------------------
// Uses of macros and lists across every loaded file

/** Names a file refers to: macro references, and every bare word that would name a list if one is defined. */
interface FileRefs { macros: Map<string, number>; listCandidates: Map<string, number> }
const refsByModel = new WeakMap<RulesFileModel, FileRefs>();

export function refsOf(model: RulesFileModel): FileRefs {
  let refs = refsByModel.get(model);
  if (refs) return refs;
  refs = { macros: new Map(), listCandidates: new Map() };
  const count = (map: Map<string, number>, names: string[]) => { for (let i = 0; i < names.length; i++) map.set(names[i], (map.get(names[i]) ?? 0) + 1); };
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
  const c = model.chunks?.[i];
  const chunk = c && chunkKey(c);
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
export interface ItemRefs { macros: string[]; listCandidates: string[]; /** How many of listCandidates, the last ones, are in exception values. */ exceptionLists?: number }
const itemRefsCache = new Map<string, ItemRefs>();

/** The names the condition, or the exception values, of item `i` refer to (from itemRefsAt's). */
export function partRefsAt(model: RulesFileModel, i: number, part: 'condition' | 'exceptions'): ItemRefs {
  const refs = itemRefsAt(model, i);
  const cut = refs.listCandidates.length - (refs.exceptionLists ?? 0);
  return part === 'condition' ? { macros: refs.macros, listCandidates: refs.listCandidates.slice(0, cut) } : { macros: [], listCandidates: refs.listCandidates.slice(cut) };
}

function itemRefsOf(item: ModelItem): ItemRefs {
  const refs: ItemRefs = { macros: [], listCandidates: [] };
  const condition = scalarText(entryOf(item, 'condition')?.value);
  if (condition !== undefined && (item.kind === 'rule' || item.kind === 'macro')) {
    // Read as 0.44 reads the item, whatever the target (the counts are kept by item text): a text starting with and/or
    // that the target compiles whole parses to the same tree with an error operand in place of the stand-in, so the
    // same names (rules-fragment-target-usage-s22).
    const prefix = appendsCondition(item) ? `${APPEND_STAND_IN} ` : '';
    const facts = factsOf(parseConditionCached(prefix + condition));
    // Plain loops: every item of a new text comes through, mostly before V8 optimizes this, and for-of then
    // allocates an iterator result per step.
    const { macroRefs } = facts;
    for (let i = 0; i < macroRefs.length; i++) if (!prefix || macroRefs[i].span.start >= prefix.length) refs.macros.push(macroRefs[i].name);
    // Every word Falco's list expansion would replace (resolve_list works on the text): a list operator's items, a
    // list's name as another comparison's value, a macro reference, a field or keyword named like a list; a name
    // glued to '<' or '>' is no such word. reportListNamesAsValues and reportListNamesElsewhere say what it does.
    const words = bareListWords(prefix + condition, facts);
    for (let i = 0; i < words.length; i++) if (words[i].start >= prefix.length) refs.listCandidates.push(words[i].text);
    for (const { words } of listWordsInStrings(prefix + condition, facts)) for (const word of words) refs.listCandidates.push(word);
  }
  // A list's items that name lists are counted on the loaded lists (addListUsesOfLists): whether they count depends
  // on the lists' order.
  if (item.kind === 'rule') {
    // Exception values may name lists (`values: [[shell_binaries]]` with `in`).
    const exceptions = entryOf(item, 'exceptions')?.value;
    const before = refs.listCandidates.length;
    if (exceptions?.kind === 'seq') for (let i = 0; i < exceptions.items.length; i++) {
      const ex = exceptions.items[i];
      if (ex.kind !== 'map') continue;
      const values = ex.entries.find((e) => e.key === 'values')?.value;
      walkScalars(values, (t) => {
        refs.listCandidates.push(t);
        // Falco quotes a value with a blank, and replaces a list's name between blanks inside it too.
        const pasted = quoteItem(t);
        if (pasted[0] === '"' || pasted[0] === '\'') for (const w of wordsInsideQuotes(pasted)) refs.listCandidates.push(w);
      });
      // The fields, comps and keywords Falco writes for the exception are expanded too (checkExceptionFrameListNames).
      // Counted where the fields are, values or not: an item adding values to them may come later.
      if (mapValue(ex, 'fields') !== undefined) for (const w of exceptionFrameWords(ex, ex, values?.kind === 'seq' ? values.items.length : 0)) refs.listCandidates.push(w.text);
    }
    if (refs.listCandidates.length > before) refs.exceptionLists = refs.listCandidates.length - before;
  }
  return refs;
}

/**
 * The macro uses Falco counts: a reference to a macro whose name a loaded list has is no use, as Falco pastes the
 * list's items there before it resolves macros (resolve_list on the text, then resolve_macros:
 * rule_loader_compiler.cpp 0.44.0:276-283, 0.37.0:294-304; reportListNamesElsewhere). `uses` itself when no list is
 * named like a used macro.
 */
export function macroUsesBesideLists(uses: Map<string, number>, lists: ReadonlyMap<string, unknown>): Map<string, number> {
  let out = uses;
  const small = uses.size < lists.size;
  (small ? uses : lists).forEach((_, name) => {
    if (!(small ? lists.has(name) : uses.has(name))) return;
    if (out === uses) out = new Map(uses);
    out.delete(name);
  });
  return out;
}

/** Uses of macros and lists across every loaded file (a use anywhere counts). */
export class UsageIndex {
  readonly macroUses = new Map<string, number>();
  readonly listUses = new Map<string, number>();
  /** Every bare word that would name a list, counted as listUses counts it before keeping the loaded lists' names. */
  readonly listCandidates = new Map<string, number>();
  /** For a file that later files follow: whether it or a file before it uses a name (diagnose.ts usageUpTo). */
  usedUpToFile?: (kind: 'macro' | 'list', name: string) => boolean;

  constructor(load: LoadResult) {
    for (const f of load.files) {
      const refs = refsOf(f.model);
      for (const [name, n] of refs.macros) this.macroUses.set(name, (this.macroUses.get(name) ?? 0) + n);
      for (const [name, n] of refs.listCandidates) if (load.final.lists.has(name)) this.listUses.set(name, (this.listUses.get(name) ?? 0) + n);
      for (const [name, n] of refs.listCandidates) this.listCandidates.set(name, (this.listCandidates.get(name) ?? 0) + n);
    }
    addListUsesOfLists(this.listUses, load.final.lists);
    for (const name of load.final.lists.keys()) this.macroUses.delete(name);
  }
}

/**
 * Adds to the uses of lists in conditions (`listUses`, by name) the uses Falco counts among lists
 * (rule_loader_compiler.cpp): a list named by an item of a list whose visibility is past its index (compile_list_infos
 * pastes it there, whether that list is used or not), and a list substituted in a condition after a used list's
 * items were pasted (parse_condition goes through the lists in order). A list named by a list that precedes it is
 * used only that second way.
 */
export function addListUsesOfLists(listUses: Map<string, number>, lists: ReadonlyMap<string, ListDef>): void {
  const add = (name: string) => listUses.set(name, (listUses.get(name) ?? 0) + 1);
  // Only a list with an item that names a list can paste one (most lists name none).
  const naming: string[] = [];
  const expanded: string[] = [];
  // forEach and a plain loop: no iterator result or entry pair per list and item (every load comes here).
  lists.forEach((list, name) => {
    let visibility: number | undefined;
    const items = list.items;
    for (let i = 0; i < items.length; i++) {
      const ref = lists.get(items[i]);
      if (!ref) continue;
      if (visibility === undefined) {
        visibility = listVisibility(list);
        naming.push(name);
      }
      if (listIndex(ref) < visibility) expanded.push(items[i]);
    }
  });
  // The lists used in conditions are those counted so far.
  const pastedFrom = naming.filter((name) => listUses.has(name));
  for (const name of expanded) add(name);
  for (const name of pastedFrom) for (const pasted of listsPastedAfter(lists.get(name)!, lists)) add(pasted);
}

function walkScalars(node: ModelNode | undefined, visit: (text: string) => void): void {
  if (!node) return;
  if (node.kind === 'scalar') { const t = scalarText(node); if (t !== undefined) visit(t.replace(/^\((.*)\)$/, '$1')); }
  else if (node.kind === 'seq') for (let i = 0; i < node.items.length; i++) walkScalars(node.items[i], visit);
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

/**
 * Closest field names: within the same class first (`proc.nmae` → proc.*), else among every field; only those that
 * `fits` (the place, argument and source of the reference: a suggestion that would be a finding of its own is none).
 */
function fieldSuggestions(name: string, fits: (f: FieldInfo) => boolean): string[] {
  const { names, byClass } = catalog();
  const fitting = (index: NameIndex | undefined) => (index ? index.closest(name, 12) : []).filter((n) => {
    const f = lookupFieldCached(n)?.field;
    return f !== undefined && f.name === n && fits(f);
  }).slice(0, 3);
  const near = fitting(byClass.get(name.split('.')[0]));
  return near.length ? near : fitting(names);
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
 *  error; `evt.arg.flags` selects by name). Plugin fields are judged by `pluginIndexProblem`. */
function needsNumericIndex(field: FieldInfo, arg: string): boolean {
  if (field.plugin || !field.arg) return false;
  const positional = field.arg.kind === 'index' || (field.arg.kind === 'index-or-key' && field.arg.dotForm === true);
  return positional && !/^\s*\d+\s*$/.test(arg);
}

/**
 * A plugin field whose argument is an index only: libsinsp accepts digits without a leading zero (`0`, `12`; not
 * `01`, `-1`, `+1`, ` 1`) that fit in 64 bits (plugin_filtercheck.cpp, extract_arg_index). Fields whose argument may
 * also be a key take anything.
 */
function pluginIndexProblem(field: FieldInfo, arg: string): string | undefined {
  if (!field.plugin || field.arg?.kind !== 'index') return undefined;
  if (!/^\d+$/.test(arg)) return 'a number (digits only)';
  if (arg.length > 1 && arg[0] === '0') return 'a number without a leading zero';
  if (BigInt(arg) > 0xffffffffffffffffn) return 'a number that fits in 64 bits';
  return undefined;
}

/** A bracket argument that Falco rejects on a field, and how Falco words it. */
interface ArgumentProblem {
  message: string;
  /** libsinsp says "nonexistent field": skip-if-unknown-filter skips the rule instead (err_is_unknown_type_or_field). */
  unknownField: boolean;
  /** A quick fix replaces `[arg]` by this text (`''` removes it). */
  replaceWith?: string;
  /** Reported on the field's name rather than on the argument (positions of libsinsp fields, as before). */
  onName?: true;
}

/**
 * How libsinsp's filter compiler takes `field[arg]` (undefined when it accepts it). It builds `name[arg]` and looks
 * it up: a field that takes no argument then matches only a prefix of it, which is "nonexistent field name[arg]"
 * (filter_check_list.cpp); a plugin field reads the brackets itself and says it "does not allow nor require an
 * argument". Fields whose argument libsinsp reads after a dot only throw a syntax error on brackets, except
 * evt.abspath, whose name matches alone (so "nonexistent field" again). The collector's check of an exception field
 * makes the same lookup and words a field not found "'name[arg]' is not a supported filter field".
 */
export function bracketArgumentProblem(field: FieldInfo, arg: string, where: FieldProblemContext['where']): ArgumentProblem | undefined {
  const name = field.name;
  if (!field.arg) {
    const notFound = where === 'exception' ? `'${name}[${arg}]' is not a supported filter field` : `Falco reads '${name}[${arg}]' as a nonexistent field`;
    return field.plugin
      ? { message: `Field '${name}' takes no argument: Falco rejects '[${arg}]' (the field does not allow nor require an argument).`, unknownField: false, replaceWith: '' }
      : { message: `Field '${name}' takes no argument: ${notFound}.`, unknownField: true, replaceWith: '' };
  }
  if (field.arg.dotOnly) {
    const dotted = /^[A-Za-z0-9_]+$/.test(arg) ? `.${arg}` : undefined;
    return {
      message: `Field '${name}' takes its argument after a dot only, as in ${field.arg.example}: Falco rejects the bracket form.${dotted ? ` Write '${name}${dotted}'.` : ''}`,
      unknownField: name === 'evt.abspath',
      replaceWith: dotted,
    };
  }
  const index = pluginIndexProblem(field, arg);
  if (index) return { message: `Field '${name}' takes a position in brackets: ${index}, not '${arg}'.`, unknownField: false };
  if (needsNumericIndex(field, arg)) {
    const byName = field.arg.dotForm ? ` To select by name, write '${name}.${arg.trim()}'.` : '';
    // The process fields catch their number parser's error, so their name alone matches: "nonexistent field".
    return { message: `Field '${name}' takes a number in brackets (a position), not '${arg}'.${byName}`, unknownField: name.startsWith('proc.'), onName: true };
  }
  return undefined;
}

/**
 * The field Falco prints when an output's `%name[arg]` does not compile: the formatter retries ever shorter text until
 * a field compiles (eventformatter.cpp), and `name[arg` never parses, so it lands on `name`, or failing that on a
 * shorter field that the name extends after a dot (`evt.type.is[5]` prints evt.type, then `.is[5]` as text).
 */
export function outputFallbackField(name: string): string | undefined {
  // Only an exact name, so no longer than the longest field's (LONGEST_FIELD_NAME: a slice at every dot of a long word
  // was quadratic).
  for (let end = name.length <= LONGEST_FIELD_NAME ? name.length : name.lastIndexOf('.', LONGEST_FIELD_NAME); end > 0; end = name.lastIndexOf('.', end - 1)) {
    const field = lookupFieldCached(name.slice(0, end));
    // Only an exact name: a dot form (`evt.arg.flags`) would have been read with its dot already.
    if (field && field.arg === undefined && field.field.name === name.slice(0, end) && !field.field.arg?.required) return field.field.name;
  }
  return undefined;
}

/** Why a field written with its argument after a dot is no field (knowledge dotArgumentCut), for findings and hovers. */
export function dotArgumentCutNote(cut: NonNullable<ReturnType<typeof dotArgumentCut>>): string {
  return `The check of '${cut.field.name}' reads ${cut.field.arg!.dotRead!.said} after the dot, '${cut.read}', and Falco looks the whole name up: '${cut.rest}' goes on past the field, so no field takes it.`;
}

/** The plugin field requiring an argument that `name` writes after a dot (`k8s.pod.label.app`), the longest such. */
export function pluginFieldNeedingArgument(name: string): FieldInfo | undefined {
  for (let dot = name.lastIndexOf('.', LONGEST_FIELD_NAME); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const field = lookupFieldCached(name.slice(0, dot))?.field;
    if (field && field.name === name.slice(0, dot)) return field.plugin !== undefined && field.arg?.required ? field : undefined;
  }
  return undefined;
}

/** The quick fix's data for a label written after a dot: the text to rewrite and its bracket form. */
export type LabelBracket = { dotForm: string; bracketForm: string };

/**
 * The bracket form of the label written after a dot at `start` of `text` (`k8s.ns.label.app-tier` ->
 * `k8s.ns.label[app-tier]`, knowledge dotLabelAt), for the messages that name it and the quick fix that writes it. In a
 * condition the label must end where the comparison goes on (a blank, an operator's first character, `)`, the end), in
 * an exception field where the field does (a blank, the end); otherwise which label was meant is unclear and nothing
 * is named. An output prints what follows as text. `field`: the field written, else any whose dot form older releases read.
 */
export function labelBracket(text: string, start: number, where: FieldProblemContext['where'], field?: FieldInfo): LabelBracket | undefined {
  const label = dotLabelAt(text, start, field);
  const next = label && text[label.end];
  // An argument in brackets after the label (`container.mount.dets[/proc*]`, `%k8s.ns.label.app[x]`): no bracket form
  // of the dot form is what was meant.
  if (!label || next === '[' || (next !== undefined && where !== 'output' && !(where === 'condition' ? /[\s=!<>)]/ : /\s/).test(next))) return undefined;
  return { dotForm: text.slice(start, label.end), bracketForm: label.bracketForm };
}

/** The bracket form of a label written after a dot that is the whole of `name` (a condition's or exception's field). */
function wholeLabelBracket(name: string, where: FieldProblemContext['where'], field: FieldInfo): LabelBracket | undefined {
  const bracket = labelBracket(name, 0, where, field);
  return bracket?.dotForm.length === name.length ? bracket : undefined;
}

/**
 * The bracket form of a label whose dot form Falco's condition parser cut (SyntaxError.fieldCut: `read` is the field
 * it read, which ends at `cut`), when the label goes on past the cut (labelBracket): a k8s label, or the key of a
 * plugin's field that takes it in brackets only (`container.label.app-tier`; container.label came with Falco 0.41,
 * and an older target's reporter names no bracket form of it).
 */
export function cutLabelBracket(text: string, cut: number, read: string, where: 'condition' | 'exception'): LabelBracket | undefined {
  const start = cut - read.length;
  const plugin = pluginFieldNeedingArgument(read);
  const bracket = labelBracket(text, start, where) ?? (plugin && labelBracket(text, start, where, plugin));
  return bracket && bracket.dotForm.length > read.length ? bracket : undefined;
}

/** Checks one field reference, given its catalog entry (`lookupFieldCached` of `name[arg]` or `name`). */
/** `from`: an output's text from the field's name on (the label a dot form writes after it). */
function checkField(match: FieldMatch | undefined, name: string, arg: string | undefined, spanOf: () => Span, ctx: FieldProblemContext, argSpanOf?: () => Span, from?: () => string): FieldInfo | undefined {
  if (match && !match.field.deprecated && !(ctx.where === 'output' && match.field.conditionOnly) && !match.field.arg?.required
    && (arg === undefined || (match.field.arg !== undefined && !match.field.arg.dotOnly && !needsNumericIndex(match.field, arg) && !pluginIndexProblem(match.field, arg)))
    && (!ctx.source || !KNOWN_SOURCES.includes(ctx.source) || (match.field.sources as string[]).includes(ctx.source))) return match.field;
  // The span is built only for a finding: mapping a scalar's offsets is the costly part, and fields such as
  // evt.arg.flags (dot form of a field whose argument is required) come here without any finding.
  let span: Span | undefined;
  const nameSpan = () => (span ??= spanOf());
  if (!match) {
    const bare = ctx.where !== 'output' ? pluginFieldNeedingArgument(name) : undefined;
    if (bare && (ctx.source === undefined || (bare.sources as string[]).includes(ctx.source))) {
      // A plugin's filter check takes the longest of its field names that the text starts with and throws when that
      // field requires an argument and no '[' follows (libs 0.25.2 plugin_filtercheck.cpp parse_field_name), before
      // any check that the whole name matched: not a nonexistent field, so skip-if-unknown-filter does not skip it
      // (Falco 0.44.0 rule_loader_compiler.cpp err_is_unknown_type_or_field). The dot form Falco 0.40 read is one.
      const whole = nameSpan();
      ctx.reporter.report(Code.FieldArgument, { start: whole.start, end: whole.start + bare.name.length },
        `Field '${bare.name}' needs an argument in brackets, e.g. ${bare.arg!.example}: Falco reads '${name}' as '${bare.name}' without one and rejects it (skip-if-unknown-filter does not skip this).`,
        arg === undefined ? wholeLabelBracket(name, ctx.where, bare) : undefined, ctx.where === 'exception' ? { load: 'LOAD_ERR_VALIDATE' } : undefined);
      return undefined;
    }
    const { classes } = catalog();
    const fieldClass = name.split('.')[0];
    // A syscall field that older releases had (knowledge/fields/removed.ts) is unknown to Falco 0.44 like any other,
    // not a field some plugin may bring; the reporter of an older target drops the finding where the target has it.
    const removed = ctx.source === undefined || ctx.source === 'syscall' ? removedField(name)?.field : undefined;
    // `thread.cgroup.cpu1`: the check reads less than the name (knowledge dotArgumentCut); nothing to suggest.
    const cut = removed ? undefined : dotArgumentCut(name);
    // A suggestion takes the reference's argument (or needs none) and has a value at its place: what the text alone
    // says (text that rules of several sources read through an alias gets one finding).
    const fits = (f: FieldInfo) => !f.deprecated && !(ctx.where === 'output' ? f.conditionOnly : f.outputOnly)
      && (arg === undefined ? !f.arg?.required : f.arg !== undefined && !f.arg.dotOnly);
    const suggestions = removed || cut ? [] : fieldSuggestions(name, fits);
    if (!removed && !classes.has(fieldClass) && suggestions.length === 0) {
      ctx.reporter.report(Code.UnknownFieldClass, nameSpan(), `Field '${name}' is not known here (no known field starts with '${fieldClass}.'); Falco checks it when the plugin that provides it is loaded.`);
      return undefined;
    }
    const lead = ctx.where === 'exception' ? notSourceFilterField(name, ctx.source) : `'${name}' is not a supported ${ctx.where === 'output' ? 'output' : 'filter'} field`;
    const message = `${lead}.${cut ? ` ${dotArgumentCutNote(cut)}` : removed ? ` ${removalNote(removed)}` : suggestions.length ? ` Did you mean '${suggestions[0]}'?` : ''}`;
    // Exception fields are checked when the rule is collected, before anything compiles (rule_loader_collector.cpp
    // 0.44.0 validate_exception_info: is_valid_lhs_field, THROW = LOAD_ERR_VALIDATE): skip-if-unknown-filter does not
    // apply there.
    if (ctx.where === 'exception') ctx.reporter.report(Code.UnknownField, nameSpan(), message, { suggestions }, { load: 'LOAD_ERR_VALIDATE' });
    else reportUnknownFilter(ctx.reporter, ctx.skipIfUnknownFilter, Code.UnknownField, nameSpan(), message, { suggestions }, ctx.where === 'output' ? { load: 'LOAD_ERR_COMPILE_OUTPUT' } : undefined);
    return undefined;
  }
  const field = match.field;
  if (ctx.source && (KNOWN_SOURCES.includes(ctx.source)) && !(field.sources as string[]).includes(ctx.source)) {
    const message = `Field '${field.name}' is not available for source '${ctx.source}' (it belongs to ${field.sources.join(', ')}).`;
    // The source's output formatter reads no field there: "invalid formatting token" (Falco 0.37-0.43) or "unknown
    // filter:" (0.44), which skip-if-unknown-filter covers (outputReading.ts).
    // A condition is compiled with the source's filter factory, which has no check for the field: "filter_check called
    // with nonexistent field" (filter.cpp libs 0.14.2:279, 0.25.2:808), covered by the key too (rule_loader_compiler.cpp
    // 0.37.0:401-406,483-505; 0.44.0:353-358,391-407). An exception field fails the collector's check of the rule's
    // source (falco_source.h is_field_defined 0.37.0:59-68, is_valid_lhs_field 0.44.0): LOAD_ERR_VALIDATE, key or not.
    if (ctx.where === 'output') reportUnknownFilter(ctx.reporter, ctx.skipIfUnknownFilter, Code.FieldNotForSource, nameSpan(), message, undefined, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
    else if (ctx.where === 'exception') ctx.reporter.report(Code.FieldNotForSource, nameSpan(), `${message} ${EXCEPTION_FIELD_READ}`, undefined, { load: 'LOAD_ERR_VALIDATE' });
    else reportUnknownFilter(ctx.reporter, ctx.skipIfUnknownFilter, Code.FieldNotForSource, nameSpan(), message);
    return field;
  }
  if (ctx.where === 'output' && field.conditionOnly) {
    reportFilterOnlyField(ctx.reporter, field.name, nameSpan());
    return field;
  }
  if (arg === undefined && match.arg !== undefined && (field.name === 'evt.arg' || field.name === 'evt.rawarg') && rawargType(match.arg) === undefined) {
    reportUnknownEventArgument(field.name, match.arg, nameSpan(), ctx);
    return undefined;
  }
  if (arg === undefined && match.arg !== undefined && field.name === 'evt.type.is' && !isEventTableName(match.arg)) {
    reportTypeIsUnknownName(match.arg, nameSpan(), ctx);
    return undefined;
  }
  const problem = arg !== undefined ? bracketArgumentProblem(field, arg, ctx.where) : undefined;
  if (field.arg?.required && match.arg === undefined) {
    // The field's check throws ("requires an argument but none provided", plugin_filtercheck.cpp; libsinsp's own
    // extract_arg: "filter syntax error"): in an output too (the dot form %k8s.pod.label.team from Falco 0.41).
    const message = needsArgumentMessage(field.name, field.arg.example);
    // Falco 0.44's formatter retries ever shorter text down to a field the name extends after a dot (`%evt.type.is`
    // prints evt.type and '.is'); the older ones let the field's check throw (fallbackCheckThrowsMessage).
    const fallback = ctx.where === 'output' ? outputFallbackField(field.name) : undefined;
    if (fallback !== undefined) {
      const written = from?.() ?? field.name;
      const rest = (/^[\w.]*/.exec(written)?.[0] ?? field.name).slice(fallback.length);
      // `%evt.type.is.5`: the older formatters' event check reads the rest of the output after the dot (typeIsRead).
      const older = field.arg.dotOnly && written[field.name.length] === '.' ? { typeIsRead: true } : { fallbackThrows: { problem: message, fallback } };
      const options: OutputReadOptions = { severity: 2, load: null, printsField: fallback, ...older };
      ctx.reporter.report(Code.FieldArgument, nameSpan(), `${message.slice(0, -1)}: in an output Falco prints %${fallback} followed by the text '${rest}'.`, undefined, options);
    } else if (ctx.where === 'output') reportOutputCheckThrows(ctx, Code.FieldArgument, nameSpan(), message, from && labelBracket(from(), 0, 'output', field));
    else if (ctx.where === 'exception') ctx.reporter.report(Code.FieldArgument, nameSpan(), `${message} ${EXCEPTION_FIELD_READ}`, undefined, { load: 'LOAD_ERR_VALIDATE' });
    else ctx.reporter.report(Code.FieldArgument, nameSpan(), message);
  } else if (problem && arg !== undefined) {
    reportArgumentProblem(problem, field, arg, !problem.onName && argSpanOf ? argSpanOf() : nameSpan(), ctx);
  }
  if (field.deprecated) {
    ctx.reporter.report(Code.DeprecatedField, nameSpan(), `Usage of deprecated field '${field.name}': ${field.deprecated}`);
  }
  return field;
}

/**
 * evt.arg.<name> or evt.rawarg.<name> with a name no event parameter has. libsinsp (sinsp_filtercheck_event.cpp
 * extract_arg, libs 0.25.2) takes the longest parameter name the text starts with (find_longest_matching_evt_param):
 * - none: it throws "unknown event argument <name>", which no skip-if-unknown-filter covers; in an exception the
 *   collector's field check (falco_source.h is_valid_lhs_field, Falco 0.44.0) lets it escape to the reader, which
 *   reports LOAD_ERR_VALIDATE; in an output Falco 0.44's formatter tries ever shorter tokens and fails with "unknown
 *   filter", older ones with the check's own error (reportOutputCheckThrows).
 * - one (`res` for `resx`): the field is shorter than the text, which new_filter_check_from_fldname's exact-length
 *   check refuses: a nonexistent field, as unknown fields are reported. An output prints that field and the rest as text.
 */
function reportUnknownEventArgument(fieldName: string, name: string, span: Span, ctx: FieldProblemContext): void {
  const written = `${fieldName}.${name}`;
  const prefix = longestEventParameterPrefix(name);
  if (prefix !== undefined) {
    const rest = name.slice(prefix.length);
    if (ctx.where === 'output') {
      ctx.reporter.report(Code.FieldArgument, span, `No event has the argument '${name}': in an output Falco prints %${fieldName}.${prefix} followed by the text '${rest}'.`, undefined, { severity: 2, load: null });
      return;
    }
    const message = `'${written}' is not a supported filter field: no event has the argument '${name}' (libsinsp reads '${prefix}' and refuses the rest).`;
    // In an exception the collector's field check throws (rule_loader_collector.cpp validate_exception_info, LOAD_ERR_VALIDATE):
    // no skip-if-unknown-filter there.
    if (ctx.where === 'exception') ctx.reporter.report(Code.UnknownField, span, message, { suggestions: [] }, { load: 'LOAD_ERR_VALIDATE' });
    else reportUnknownFilter(ctx.reporter, ctx.skipIfUnknownFilter, Code.UnknownField, span, message, { suggestions: [] });
    return;
  }
  const suggestions = closestNames(name, EVENT_PARAMETER_NAMES, 3, 2).map((n) => `${fieldName}.${n}`);
  const message = `Unknown event argument '${name}': no event has a parameter of that name.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : ''}`;
  if (ctx.where === 'output') {
    reportOutputCheckThrows(ctx, Code.UnknownField, span, message, { suggestions });
  } else {
    ctx.reporter.report(Code.UnknownField, span, message, { suggestions }, ctx.where === 'exception' ? { load: 'LOAD_ERR_VALIDATE' } : undefined);
  }
}

/**
 * `evt.type.is.<name>` with a name no event of the table has. The event check reads after the dot a number or an
 * event's name (sinsp_filtercheck_event.cpp extract_type, libs 0.14.2-0.25.2) and reads nothing else, which the
 * exact-length lookup of a condition's or an exception's field refuses: a nonexistent field at every release
 * (filter.cpp create_filtercheck, filter_check_list.cpp new_filter_check_from_fldname). Falco 0.44's output formatter
 * retries ever shorter text down to evt.type (libs 0.25.2 eventformatter.cpp:120-141); the older ones read otherwise
 * (outputReading.ts typeIsAtEndNote, OutputReadOptions.typeIsRead).
 */
function reportTypeIsUnknownName(name: string, span: Span, ctx: FieldProblemContext): void {
  if (ctx.where === 'output') {
    const options: OutputReadOptions = { severity: 2, load: null, printsField: 'evt.type', typeIsRead: true };
    ctx.reporter.report(Code.FieldArgument, span, `No event is named '${name}': in an output Falco prints %evt.type followed by the text '.is.${name}'.`, undefined, options);
    return;
  }
  const message = `${ctx.where === 'exception' ? notSourceFilterField(`evt.type.is.${name}`, ctx.source) : `'evt.type.is.${name}' is not a supported filter field`}: no event is named '${name}' (the check of evt.type.is reads an event's name or number after the dot).`;
  if (ctx.where === 'exception') ctx.reporter.report(Code.UnknownField, span, `${message} ${EXCEPTION_FIELD_READ}`, { suggestions: [] }, { load: 'LOAD_ERR_VALIDATE' });
  else reportUnknownFilter(ctx.reporter, ctx.skipIfUnknownFilter, Code.UnknownField, span, message, { suggestions: [] });
}

/**
 * An exception field that Falco's collector does not find among the filter fields of the rule's source: it looks the
 * name up with the source's filter factory as it reads the rule (validate_exception_info: is_field_defined at 0.37,
 * is_valid_lhs_field from 0.38, rule_loader_collector.cpp 0.37.0:112-113, 0.44.0:119-120; falco_source.h).
 */
export function notSourceFilterField(name: string, source: string | undefined): string {
  return `'${name}' is no filter field of ${source ? `source '${source}'` : "the rule's source"}`;
}

/**
 * Said of an exception field that Falco refuses: the collector checks `exceptions.fields` as it reads the rule
 * (validate_exception_info: is_field_defined at 0.37, is_valid_lhs_field from 0.38; THROW is LOAD_ERR_VALIDATE,
 * rule_loader_collector.cpp 0.37.0:25,91,112, 0.44.0:27,101,119; a check's own exception reaches the reader's catch,
 * LOAD_ERR_VALIDATE too, rule_loader_reader.cpp 0.44.0:1013-1015), before any skip-if-unknown-filter applies.
 */
export const EXCEPTION_FIELD_READ = 'Exception fields are checked as the rule is read: the file fails to load.';

/**
 * Options of an output finding where the field's own check throws as the formatter reads the field (a required
 * argument missing, a malformed one with no shorter field to print, an event argument no event has). Falco 0.44's
 * formatter retries ever shorter text, then throws "unknown filter: ..." (libs 0.25.2 eventformatter.cpp:122-141),
 * which skip-if-unknown-filter covers (rule_loader_compiler.cpp 0.44.0:353-358, 496-507). The formatters of Falco
 * 0.37-0.43 take the first check that reads the text (new_filter_check_from_fldname without the exact check, libs
 * 0.14.2 eventformatter.cpp:151-163, 0.23.1:138-146) and let its exception out, which err_is_unknown_type_or_field
 * does not know (0.43.0 rule_loader_compiler.cpp:346-350): the load fails, key or not. `checkThrows` is the finding's
 * message without the skip, which the reporter of an older target (targetVersion.ts) reports as that failure.
 */
export interface OutputCheckOptions extends ReportOptions { checkThrows?: string }

function reportOutputCheckThrows(ctx: FieldProblemContext, code: Code, span: Span, message: string, data?: Record<string, unknown>): void {
  if (!ctx.skipIfUnknownFilter) return ctx.reporter.report(code, span, message, data, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
  const options: OutputCheckOptions = { severity: 2, load: 'LOAD_UNKNOWN_FILTER', checkThrows: message };
  ctx.reporter.report(code, span, `${message} The rule is skipped because of skip-if-unknown-filter.`, data, options);
}

function reportArgumentProblem(problem: ArgumentProblem, field: FieldInfo, arg: string, span: Span, ctx: FieldProblemContext): void {
  const data = problem.replaceWith !== undefined ? { argument: arg, replaceWith: problem.replaceWith } : undefined;
  if (ctx.where === 'output') {
    // An output does not fail where a condition does: Falco prints the field it falls back to, then the rest as text.
    const fallback = outputFallbackField(field.name);
    if (fallback !== undefined) {
      const rest = `${field.name.slice(fallback.length)}[${arg}]`;
      const repair = problem.replaceWith === '' ? ` Remove '[${arg}]'.` : problem.replaceWith ? ` Write '%${field.name}${problem.replaceWith}'.` : '';
      const what = !field.arg ? `Field '${field.name}' takes no argument` : field.arg.dotOnly ? `Field '${field.name}' takes its argument after a dot only`
        : `Field '${field.name}' takes a number in brackets, not '${arg}'`;
      // evt.type.is's own check reads nothing but a dot after its name: it throws at the older formatters.
      const older = field.plugin ? { pluginThrows: { problem: problem.message, plugin: field.plugin } }
        : field.arg?.dotOnly && field.arg.required ? { fallbackThrows: { problem: problem.message, fallback } } : {};
      const options: OutputReadOptions = { severity: 2, load: null, printsField: fallback, ...older };
      ctx.reporter.report(Code.FieldArgument, span, `${what}: in an output Falco prints %${fallback} followed by the text '${rest}'.${repair}`, data, options);
      return;
    }
    // No field to fall back to: the field's check throws on the argument, which only Falco 0.44's formatter words
    // "unknown filter" (the skip of skip-if-unknown-filter).
    reportOutputCheckThrows(ctx, Code.FieldArgument, span, problem.message, data);
    return;
  }
  if (ctx.where === 'exception') {
    // The collector's check of exception fields (validate_exception_info) finds no such field or lets the check's
    // exception escape to the reader: LOAD_ERR_VALIDATE either way, before skip-if-unknown-filter is read.
    ctx.reporter.report(Code.FieldArgument, span, `${problem.message} ${EXCEPTION_FIELD_READ}`, data, { load: 'LOAD_ERR_VALIDATE' });
    return;
  }
  if (problem.unknownField) reportUnknownFilter(ctx.reporter, ctx.skipIfUnknownFilter, Code.FieldArgument, span, problem.message, data);
  else ctx.reporter.report(Code.FieldArgument, span, problem.message, data);
}

// ---------------------------------------------------------------------------------------------------------------
// Event types (LOAD_NO_EVTTYPE)

/**
 * A set of event codes (ppm_event_code values 0..EVENT_CODE_COUNT-1) as a bit set, one bit per code. Falco's loader
 * counts these codes, not names: execve alone is 16 codes (every old version's enter and exit events), while every
 * syscall without its own event shares the two generic codes. Sets are never changed once made.
 */
type EventCodes = Uint32Array;
// One bit more than the codes: EVENT_TYPE_PLACEHOLDER's. The latest table has the most codes (OLDER_EVENT_TABLES).
const CODE_WORDS = Math.ceil((EVENT_CODE_COUNT + 1) / 32);
const NO_CODES: EventCodes = new Uint32Array(CODE_WORDS);

/**
 * The event table Falco counts a rule's codes in: that of the libs the target release bundles (the latest,
 * eventTypes.ts, or an older one as OLDER_EVENT_TABLES differs from it: fewer codes, some names with other codes or
 * none). The walk and its memos read the table of the validation under way (validateConditions sets it).
 */
interface CodeTable {
  /** PPM_EVENT_MAX of the table, and every code below it. */
  count: number;
  all: EventCodes;
  /** `Falco 0.37`: whose table it is, as messages name it. */
  falco: string;
  differs?: Readonly<Record<string, readonly number[] | null>>;
  /** The memos of this table: codes by name, results by condition text (see lookupCodes). */
  byName: Map<string, EventCodes>;
  byText: [Map<string, EventCodesResult[]>, Map<string, EventCodesResult[]>];
}

function newCodeTable(count: number, falco: string, differs?: Readonly<Record<string, readonly number[] | null>>): CodeTable {
  const all = new Uint32Array(CODE_WORDS);
  for (let code = 0; code < count; code++) all[code >>> 5] |= 1 << (code & 31);
  return { count, all, falco, ...(differs ? { differs } : {}), byName: new Map(), byText: [new Map(), new Map()] };
}

const LATEST_CODES = newCodeTable(EVENT_CODE_COUNT, `Falco ${FALCO_RELEASES.find((r) => r.libs === EVENT_TABLE_LIBS_VERSION)?.falco ?? LATEST_FALCO}`);
const olderCodeTables = new Map<string, CodeTable>();

/** The table of the target release (a release before the latest one's libs: OLDER_EVENT_TABLES; else the latest). */
function codeTableFor(target: string | undefined): CodeTable {
  const release = target === undefined ? undefined : Object.keys(OLDER_EVENT_TABLES).find((r) => target === r || target.startsWith(`${r}.`));
  if (release === undefined) return LATEST_CODES;
  let known = olderCodeTables.get(release);
  if (!known) {
    const older = OLDER_EVENT_TABLES[release];
    known = newCodeTable(older.eventCodeCount, `Falco ${release}`, older.differs);
    olderCodeTables.set(release, known);
  }
  return known;
}

/** The table of the validation under way. */
let codeTable: CodeTable = LATEST_CODES;

function unionCodes(a: EventCodes, b: EventCodes): EventCodes {
  const all = codeTable.all;
  if (a === NO_CODES || b === all) return b;
  if (b === NO_CODES || a === all) return a;
  const out = new Uint32Array(CODE_WORDS);
  for (let i = 0; i < CODE_WORDS; i++) out[i] = a[i] | b[i];
  return out;
}
function intersectCodes(a: EventCodes, b: EventCodes): EventCodes {
  const all = codeTable.all;
  if (a === all || b === NO_CODES) return b;
  if (b === all || a === NO_CODES) return a;
  const out = new Uint32Array(CODE_WORDS);
  for (let i = 0; i < CODE_WORDS; i++) out[i] = a[i] & b[i];
  return out;
}
/** Every code not in the set (libsinsp: all_event_set().diff(set)). */
function complementCodes(a: EventCodes): EventCodes {
  const all = codeTable.all;
  if (a === NO_CODES) return all;
  if (a === all) return NO_CODES;
  const out = new Uint32Array(CODE_WORDS);
  for (let i = 0; i < CODE_WORDS; i++) out[i] = all[i] & ~a[i];
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
 * The word the no-evttype quick fix inserts for the user to replace (`evt.type in (EVENT_TYPE)`): it counts as one code
 * of its own (the first bit past the real codes), so the rule is neither "no event code" nor unrestricted until the
 * user names real event types; it is reported as the unknown event type it is to Falco, asking for the real names.
 */
export const EVENT_TYPE_PLACEHOLDER = 'EVENT_TYPE';

/** The codes of one evt.type name in the table (names libsinsp rejects match none), built once per name. */
function codesOfName(name: string): EventCodes {
  const codesByName = codeTable.byName;
  let set = codesByName.get(name);
  if (!set) {
    const differs = codeTable.differs?.[name];
    const codes = name === EVENT_TYPE_PLACEHOLDER ? [EVENT_CODE_COUNT] : differs !== undefined ? differs ?? [] : eventCodesOfName(name) ?? [];
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
 * An evt.type (or syscall.type) comparison libsinsp's event-code search refuses (ppm_codes.cpp, libs 0.25.2): the
 * field inside a transformer (`tolower(evt.type) = open`, also `val(evt.type)` on the right), or compared with another
 * field (`evt.type = val(proc.name)`, `evt.type = tolower(proc.name)`). Such a condition compiles, but the search
 * throws when Falco computes the rule's event codes right after, which Falco does not catch: it stops with a runtime
 * error. `span` is relative to the condition text of `macro`, or of the rule when no macro is named.
 */
interface UnsupportedCompare { reason: 'transformer' | 'field-value'; span: Span; macro?: string }

/** libsinsp's messages (Falco prints "Runtime error: <message>. Exiting."). */
const UNSUPPORTED_MESSAGES: Record<UnsupportedCompare['reason'], string> = {
  'transformer': 'event code search does not support `evt.type` checks with transformers',
  'field-value': 'right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported by event code search',
};

/**
 * One macro or list name looked up in the definitions while event codes were computed, and what it had then: the
 * macro's condition or the list's items (undefined when not defined), and for a macro the result its expansion gave
 * (under a `not` or not). A result holds wherever its lookups give the same again; a macro's own lookups are its
 * result's, so they are checked once per set of definitions however many conditions use it.
 */
interface DefinitionDep {
  macro: boolean;
  name: string;
  content: string | readonly string[] | undefined;
  negated?: boolean;
  result?: EventCodesResult;
  /** For a list: its index and visibility in Falco's order (listIndex, listVisibility). */
  index?: number;
  visibility?: number;
}

/** The event codes of a condition text under some definitions, with what they depend on. */
interface EventCodesResult {
  codes: EventCodes;
  /** How many evt.type values libsinsp rejects were met (Falco then fails the condition before it counts codes). */
  unknownNames: number;
  /** The first comparison the event-code search refuses, if any. */
  unsupported?: UnsupportedCompare;
  /** Every macro and list its text looks up (each once); a macro's own lookups are in the macro's result. */
  deps: DefinitionDep[];
  /** countCodes(codes), on first use. */
  count?: number;
  /** The stamp of the definitions it was last found to hold for (see stampOf). */
  checked: number;
}

/**
 * The macros being expanded (a macro that uses itself matches every event code), how often a cycle was met, the
 * evt.type names libsinsp would reject and the first refused comparison met, and the lookups made.
 */
interface EventTypeWalk {
  active: Set<string>;
  cycles: number;
  unknownNames: number;
  unsupported?: UnsupportedCompare;
  deps: DefinitionDep[];
}

function newWalk(): EventTypeWalk {
  return { active: new Set(), cycles: 0, unknownNames: 0, deps: [] };
}

/**
 * The event codes a condition can match, as libsinsp's ppm_event_codes computes them (filter/ppm_codes.cpp, libs
 * 0.25.2) after macros and lists are expanded. A `not` is pushed down to the comparisons (De Morgan), so `negated`
 * says whether an odd number of `not`s is above: `and` intersects its operands' sets and `or` unites them, the other
 * way round when negated. An evt.type (or syscall.type) comparison with =, ==, != or `in` gives the codes of its
 * names (`!=` and a negation each take the complement); `evt.type exists` gives every code (none when negated); any
 * other comparison, and a macro that is undefined or uses itself, gives every code whether negated or not.
 */
function eventCodesOf(expr: Expr | undefined, negated: boolean, defs: Definitions, walk: EventTypeWalk): EventCodes {
  if (!expr) return codeTable.all;
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const intersect = (expr.kind === 'and') !== negated;
      let acc = intersect ? codeTable.all : NO_CODES;
      for (const o of expr.operands) {
        const codes = eventCodesOf(o, negated, defs, walk);
        acc = intersect ? intersectCodes(acc, codes) : unionCodes(acc, codes);
      }
      return acc;
    }
    case 'not': return eventCodesOf(expr.operand, !negated, defs, walk);
    case 'paren': return eventCodesOf(expr.inner, negated, defs, walk);
    case 'macro': return macroEventCodes(expr.name, negated, defs, walk);
    case 'compare': {
      const lhs = expr.lhs;
      // libsinsp looks at the left side only for these operators (and exists), so only then does it meet evt.type.
      const readsEventType = expr.op === 'exists' || (EVENT_TYPE_OPERATORS.has(expr.op) && !expr.modifier);
      if (lhs.kind === 'transformer') {
        if (readsEventType && namesEventTypeField(lhs)) noteUnsupported(walk, 'transformer', expr.span);
        return codeTable.all;
      }
      if (!EVENT_TYPE_FIELDS.has(lhs.name) || lhs.arg) return codeTable.all;
      if (expr.op === 'exists') return negated ? NO_CODES : codeTable.all;
      if (!readsEventType) return codeTable.all;
      const rhs = expr.rhs;
      if (rhs?.kind === 'field-value') {
        // val(x) is a transformer to libsinsp too: val(evt.type) gets the transformer message.
        noteUnsupported(walk, namesEventTypeField(rhs.field) ? 'transformer' : 'field-value', expr.span);
        return codeTable.all;
      }
      const names = eventTypeNamesOf(expr, defs, walk.deps);
      if (!names) return codeTable.all;
      let codes = NO_CODES;
      for (const name of names) {
        if (lhs.name === 'evt.type' && rejectedByTable(name)) walk.unknownNames++;
        codes = unionCodes(codes, codesOfName(name));
      }
      return (expr.op === '!=') !== negated ? complementCodes(codes) : codes;
    }
    default: return codeTable.all;
  }
}

/** Whether evt.type or syscall.type (without argument) is inside this transformer, at any depth, or is this field. */
function namesEventTypeField(f: FieldExpr): boolean {
  if (f.kind === 'field') return EVENT_TYPE_FIELDS.has(f.name) && !f.arg;
  return f.args.some(namesEventTypeField);
}

function noteUnsupported(walk: EventTypeWalk, reason: UnsupportedCompare['reason'], span: Span): void {
  walk.unsupported ??= { reason, span };
}

/** How many macros deep the event-type walk follows a chain (the condition parser stops at the same depth: condition.ts MAX_DEPTH). */
const MAX_MACRO_WALK = 1000;

/**
 * A macro's event codes under the definitions: computed once per macro text and what its lookups find (see
 * lookupCodes), so that the files of a workspace, each validated against the definitions up to itself, and every
 * reopen, share them. A result that met a macro cycle depends on where the walk entered it and is not kept.
 */
function macroEventCodes(name: string, negated: boolean, defs: Definitions, walk: EventTypeWalk): EventCodes {
  const macro = defs.macros.get(name);
  // A chain of macros deeper than MAX_MACRO_WALK is not followed further (read as any event type, kept out of the
  // memo as a cycle is): each level costs stack frames, and a hostile file of thousands of nested macros overflowed it.
  if (macro && walk.active.size >= MAX_MACRO_WALK && !walk.active.has(name)) {
    walk.cycles++;
    return codeTable.all;
  }
  if (!macro || walk.active.has(name)) {
    walk.deps.push({ macro: true, name, content: macro?.condition });
    if (macro) walk.cycles++;
    return codeTable.all;
  }
  const known = lookupCodes(macro.condition, negated, defs);
  if (known) {
    walk.unknownNames += known.unknownNames;
    walk.unsupported ??= inMacro(known.unsupported, name);
    walk.deps.push({ macro: true, name, content: macro.condition, negated, result: known });
    return known.codes;
  }
  const outer = { cycles: walk.cycles, unknownNames: walk.unknownNames, unsupported: walk.unsupported, deps: walk.deps.length };
  walk.active.add(name);
  walk.unsupported = undefined;
  const codes = eventCodesOf(parseConditionCached(macro.condition).ast, negated, defs, walk);
  walk.active.delete(name);
  // Kept relative to the macro's text (the same text may be another macro's or a rule's), named for the walk above.
  const unsupported = walk.unsupported;
  walk.unsupported = outer.unsupported ?? inMacro(unsupported, name);
  if (walk.cycles === outer.cycles) {
    const result: EventCodesResult = { codes, unknownNames: walk.unknownNames - outer.unknownNames, unsupported, deps: uniqueDeps(walk.deps.slice(outer.deps)), checked: 0 };
    storeCodes(macro.condition, negated, defs, result);
    // The conditions using this macro depend on its result, not on each of its lookups.
    walk.deps.length = outer.deps;
    walk.deps.push({ macro: true, name, content: macro.condition, negated, result });
  }
  return codes;
}

/** A refused comparison found in a macro's text: it is written in that macro unless a macro below says otherwise. */
function inMacro(unsupported: UnsupportedCompare | undefined, macro: string): UnsupportedCompare | undefined {
  return unsupported && !unsupported.macro ? { ...unsupported, macro } : unsupported;
}

/** The event codes of a rule's whole condition (macros expanded), or undefined when it does not parse. */
function conditionEventCodes(condition: string, defs: Definitions): EventCodesResult | undefined {
  const known = lookupCodes(condition, false, defs);
  if (known) return known;
  const parse = parseConditionCached(condition);
  if (parse.errors.length > 0) return undefined;
  const walk = newWalk();
  const codes = eventCodesOf(parse.ast, false, defs, walk);
  const result: EventCodesResult = { codes, unknownNames: walk.unknownNames, unsupported: walk.unsupported, deps: uniqueDeps(walk.deps), checked: 0 };
  if (walk.cycles === 0) storeCodes(condition, false, defs, result);
  return result;
}

// The memo of event codes. Results are kept by condition text (and whether under a `not`), a few per text, each
// with the lookups it made: one holds for any definitions where those lookups find the same macro conditions and
// list items, and a macro's own lookups are its result's. A result found to hold is stamped with the definitions it
// was checked against, so that the other conditions of the file (which use the same macros) do not check it again.
// The definitions after each file of a load share the macros and lists that file did not change (the same objects),
// and the lookups keep the newest equal strings and arrays they met, so the next file's checks are mostly identity
// comparisons; a reopen or an edit makes new definitions with equal content, compared once.
const RESULTS_PER_TEXT = 4;

/**
 * The definitions results were last checked against, and their stamp. Checks go file by file, so another set of
 * definitions takes a new stamp; coming back to an earlier set only means checking again.
 */
let stampedDefs: Definitions | undefined;
let stamp = 0;
function stampOf(defs: Definitions): number {
  if (defs !== stampedDefs) {
    stampedDefs = defs;
    stamp++;
  }
  return stamp;
}

function lookupCodes(text: string, negated: boolean, defs: Definitions): EventCodesResult | undefined {
  const candidates = codeTable.byText[negated ? 1 : 0].get(text);
  if (!candidates) return undefined;
  const current = stampOf(defs);
  for (let i = 0; i < candidates.length; i++) if (candidates[i].checked === current) return candidates[i];
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (depsHold(c.deps, defs)) {
      c.checked = current;
      return c;
    }
  }
  return undefined;
}

function storeCodes(text: string, negated: boolean, defs: Definitions, result: EventCodesResult): void {
  result.checked = stampOf(defs);
  const byText = codeTable.byText[negated ? 1 : 0];
  let candidates = byText.get(text);
  if (!candidates) {
    if (byText.size >= CACHE_LIMIT) byText.clear();
    candidates = [];
    byText.set(text, candidates);
  }
  candidates.unshift(result);
  if (candidates.length > RESULTS_PER_TEXT) candidates.pop();
}

/** Nesting of depsHold through macros; past the limit a result is computed again instead (never wrong). */
let holdDepth = 0;
const MAX_HOLD_DEPTH = 200;

/** Whether every lookup finds in these definitions what it found when the result was computed. */
function depsHold(deps: readonly DefinitionDep[], defs: Definitions): boolean {
  for (let i = 0; i < deps.length; i++) {
    const d = deps[i];
    if (d.macro) {
      const condition = defs.macros.get(d.name)?.condition;
      if (condition !== d.content) return false;
      // Equal text in a new string (a reopen or an edit): keep the new one, which the next files' sets share.
      d.content = condition;
      if (d.result && !macroResultHolds(d.result, defs)) return false;
      continue;
    }
    const list = defs.lists.get(d.name);
    if (list && (listIndex(list) !== d.index || listVisibility(list) !== d.visibility)) return false;
    const items = list?.items;
    if (items === d.content) continue;
    if (items === undefined || d.content === undefined || !sameItems(items, d.content as readonly string[])) return false;
    d.content = items;
  }
  return true;
}

/** Whether a macro's result (its text is the same) holds for these definitions: its lookups are checked once per set. */
function macroResultHolds(result: EventCodesResult, defs: Definitions): boolean {
  const current = stampOf(defs);
  if (result.checked === current) return true;
  if (holdDepth >= MAX_HOLD_DEPTH) return false;
  holdDepth++;
  try {
    if (!depsHold(result.deps, defs)) return false;
    result.checked = current;
    return true;
  } finally {
    holdDepth--;
  }
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lookups of one walk, each once (one walk sees one set of definitions, so a name finds one thing). */
function uniqueDeps(deps: DefinitionDep[]): DefinitionDep[] {
  const macros = new Set<string>();
  const negatedMacros = new Set<string>();
  const lists = new Set<string>();
  return deps.filter((d) => {
    const seen = d.macro ? (d.negated ? negatedMacros : macros) : lists;
    if (seen.has(d.name)) return false;
    seen.add(d.name);
    return true;
  });
}

/** The names an evt.type comparison compares with, list names expanded (Falco substitutes lists in the text). */
function eventTypeNamesOf(expr: Extract<Expr, { kind: 'compare' }>, defs: Definitions, deps: DefinitionDep[]): string[] | undefined {
  const rhs = expr.rhs;
  if (rhs?.kind === 'list') return rhs.items.flatMap((i) => expandList(i.quoted ? undefined : i.text, i.text, defs, deps));
  if (rhs?.kind === 'literal') return expandList(rhs.quoted ? undefined : rhs.text, rhs.text, defs, deps);
  return undefined;
}

/**
 * evt.type values libsinsp rejects ("unknown event type <name>", sinsp_filtercheck_event.cpp validate_filter_value):
 * names that are neither in the event table, nor syscall names, nor async events of a known plugin. Falco then fails
 * the rule (or skips it with skip-if-unknown-filter). An unquoted word that names a defined list is Falco's list,
 * whose items Falco pastes into the text before it compiles it (parse_condition, resolve_list): they are checked, and
 * reported at the word. The names are looked up in the target's event table (codeTable: a name a later release added
 * is unknown to an older one, validate_filter_value being the same from libs 0.14.2 to 0.25.2).
 */
function checkEventTypeNames(facts: ConditionFacts, defs: Definitions, skipUnknown: boolean, docSpan: (s: Span) => Span, reporter: ReportSink, laterList?: (name: string) => LaterCause | undefined): void {
  for (const { span, name, list } of unknownEventNamesOf(facts, defs)) reportUnknownEventName(docSpan(span), name, list, skipUnknown, reporter, list ? undefined : laterList?.(name));
}

/**
 * `later`: the word is a list only a later file defines. Falco compiles this file's text when it loads the file
 * (falco_engine.cpp 0.44.0 load_rules), before that list exists, so the word is read as an event name then.
 */
function reportUnknownEventName(span: Span, name: string, list: string | undefined, skipUnknown: boolean, reporter: ReportSink, later?: LaterCause): void {
  const suggestions = later || name === EVENT_TYPE_PLACEHOLDER ? [] : eventTypeSuggestions(name);
  const hint = name === EVENT_TYPE_PLACEHOLDER ? ' Replace this placeholder with the event types the rule watches (e.g. execve, openat).' : later ? ` '${name}' is a list only from ${lineText(later.cause.file, later.cause.item.span.start, later.file)} on, a later file: Falco compiles this file's rules when it loads the file, before that list exists. Define the list in this file or a file loaded before it.`
    : suggestions.length ? ` Did you mean '${suggestions[0]}'?` : '';
  const where = list ? ` (an item of the list '${list}')` : '';
  // A name of a later release's event table: no other name is meant. Falco's check is the one it makes of any name
  // (sinsp_filtercheck_event.cpp validate_filter_value, libs 0.17.1:339-379, 0.23.1:615-646: the event table, the
  // syscall names, then the async events of the loaded plugins), so the finding stays the code's warning.
  const since = eventCodesOfName(name) !== undefined ? EVENT_NAMES_SINCE.get(name) : undefined;
  const message = since !== undefined
    ? `Event type '${name}'${where} was added in Falco ${since}: the event table of ${codeTable.falco} does not have it, so ${codeTable.falco} rejects the condition ("unknown event type ${name}") unless a loaded plugin defines an event of that name.`
    : `Unknown event type '${name}'${where}: Falco rejects the condition unless a loaded plugin defines an event of that name.${hint}`;
  // A list's item is reported at the list's use (where Falco fails), without a quick fix: the fix belongs in the list.
  const data = { suggestions: list || since !== undefined ? [] : suggestions };
  reportUnknownFilter(reporter, skipUnknown, Code.UnknownEventType, span, message, data);
}

/**
 * A rule item's own exceptions that have values, each with the fields and comps Falco compiles them with: its own,
 * or for one that only adds values, those of the rule's first exception of that name (maybe in another file).
 */
function* exceptionShapesOf(own: ModelNode, rule: RuleDef | undefined): Generator<{ fields: ModelNode | undefined; comps: ModelNode | undefined; values: Extract<ModelNode, { kind: 'seq' }>; ex: MapNode; shape: MapNode }> {
  if (own.kind !== 'seq') return;
  for (const ex of own.items) {
    if (ex.kind !== 'map') continue;
    const name = scalarText(mapValue(ex, 'name'));
    const shape = mapValue(ex, 'fields') || name === undefined ? ex
      : (rule && ruleExceptions(rule).find((e): e is MapNode => e.kind === 'map' && scalarText(mapValue(e, 'name')) === name && mapValue(e, 'fields') !== undefined)) ?? ex;
    const values = mapValue(ex, 'values');
    if (values?.kind === 'seq') yield { fields: mapValue(shape, 'fields'), comps: mapValue(shape, 'comps'), values, ex, shape };
  }
}

/**
 * The evt.type values of a rule's own exceptions that libsinsp rejects: Falco compiles them into the condition
 * (`evt.type in (v1, v2)` for a single field, `evt.type = v` in a list of fields), where they fail as in the
 * condition. Values are written bare unless they hold a space, so a value naming a list is that list. An exception
 * that only adds values takes its fields and comps from the rule's first exception of that name (maybe in another file).
 */
function checkExceptionEventTypeNames(item: ModelItem, rule: RuleDef | undefined, defs: Definitions, skipUnknown: boolean, reporter: ReportSink): void {
  // Decided on the values (a moved item's nodes are made only when an exception names an event type).
  const values = entryValue(item, 'exceptions');
  if (values?.kind !== 'seq' || !values.items.some(hasEventTypeField) && !(rule && ruleExceptionValues(rule).some(hasEventTypeField))) return;
  const own = entryOf(item, 'exceptions')?.value;
  if (own?.kind !== 'seq') return;
  const check = (value: ModelNode, asList: boolean) => {
    const names = value.kind === 'seq' ? value.items : asList || value.kind === 'scalar' ? [value] : [];
    for (const n of names) {
      const text = scalarText(n);
      // Quoted values are strings Falco never looks into; `val(...)` and other parenthesised text are not names.
      if (text === undefined || /[ (),"']/.test(text)) continue;
      const list = defs.lists.get(text);
      for (const name of list ? expandList(text, text, defs, []) : [text]) {
        if (rejectedByTable(name)) reportUnknownEventName(n.span, name, list ? text : undefined, skipUnknown, reporter);
      }
    }
  };
  for (const { fields, comps, values } of exceptionShapesOf(own, rule)) {
    if (fields?.kind === 'scalar') {
      if (fields.text !== 'evt.type' || (comps && scalarText(comps)?.trim() !== 'in')) continue;
      for (const v of values.items) if (v.kind === 'scalar') check(v, true);
    } else if (fields?.kind === 'seq') {
      fields.items.forEach((f, k) => {
        const op = comps === undefined ? '=' : comps.kind === 'seq' && comps.items[k] ? scalarText(comps.items[k])?.trim() : undefined;
        if (scalarText(f) !== 'evt.type' || op === undefined || !EVENT_TYPE_OPERATORS.has(op)) return;
        for (const tuple of values.items) if (tuple.kind === 'seq' && tuple.items[k]) check(tuple.items[k], op === 'in');
      });
    }
  }
}

/** An evt.type value libsinsp rejects: where it is written, and the list it comes from if any. */
interface UnknownEventName { span: Span; name: string; list?: string }
const NO_UNKNOWN_NAMES: readonly UnknownEventName[] = [];

/** The unknown evt.type values of a parsed condition, with the lists they were looked up in. */
let unknownNamesMemo = new WeakMap<ConditionFacts, { found: UnknownEventName[]; deps: DefinitionDep[]; checked: number; table: CodeTable }>();

/**
 * The unknown evt.type values of a parsed condition, once per parse and contents of the lists it names (they depend
 * on the lists only; usually there are none). A re-validation then costs one lookup per list name written.
 */
function unknownEventNamesOf(facts: ConditionFacts, defs: Definitions): readonly UnknownEventName[] {
  const compares = facts.evtTypeCompares ??= facts.compares.filter((e) => e.lhs.kind === 'field' && e.lhs.name === 'evt.type' && !e.lhs.arg && EVENT_TYPE_OPERATORS.has(e.op) && !e.modifier);
  if (compares.length === 0) return NO_UNKNOWN_NAMES;
  const known = unknownNamesMemo.get(facts);
  const current = stampOf(defs);
  if (known && known.table === codeTable && (known.checked === current || depsHold(known.deps, defs))) {
    known.checked = current;
    return known.found;
  }
  const found: UnknownEventName[] = [];
  const deps: DefinitionDep[] = [];
  for (const e of compares) {
    const rhs = e.rhs;
    const literals = rhs?.kind === 'list' ? rhs.items : rhs?.kind === 'literal' ? [rhs] : [];
    for (const l of literals) {
      const list = l.quoted ? undefined : defs.lists.get(l.text);
      if (!l.quoted) pushListDep(deps, l.text, list);
      for (const name of list ? expandList(l.text, l.text, defs, deps) : [l.text]) {
        if (rejectedByTable(name)) found.push({ span: l.span, name, list: list ? l.text : undefined });
      }
    }
  }
  unknownNamesMemo.set(facts, { found, deps: uniqueDeps(deps), checked: current, table: codeTable });
  return found;
}

/** Whether the libs of the table's release reject this evt.type value (Falco fails the condition before it counts codes). */
function rejectedByTable(name: string): boolean {
  const differs = codeTable.differs?.[name];
  return differs === undefined ? eventCodesOfName(name) === undefined : differs === null;
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

/** What Falco makes of a syscall rule's event codes, when it is worth a finding. */
type EventTypeVerdict =
  | { kind: 'too-many'; problem: string }
  | { kind: 'unsupported'; compare: UnsupportedCompare; inException: boolean };

/**
 * What Falco concludes about the event codes of a syscall rule with this (effective) condition and exceptions:
 * LOAD_NO_EVTTYPE when it matches no event code or more than 100 (only with warn_evttypes), or a runtime error when
 * the code search meets an evt.type comparison it refuses (whatever warn_evttypes says: Falco computes the codes of
 * every syscall rule). Nothing when the condition does not parse, or names an event type libsinsp rejects (Falco
 * fails the condition before it counts codes; unknown-evttype says why), or Falco rejects its exceptions.
 */
function eventTypeVerdict(condition: string, exceptions: readonly ModelNode[], defs: Definitions, warn: boolean): EventTypeVerdict | undefined {
  const compiled = conditionWithExceptions(condition, exceptions);
  if (compiled === undefined) return undefined;
  const result = conditionEventCodes(compiled, defs);
  if (!result || result.unknownNames > 0) return undefined;
  if (result.unsupported) {
    // The rule's own part of the compiled text: everything before its exceptions.
    const inException = !result.unsupported.macro && compiled !== condition && result.unsupported.span.start > condition.length + 1;
    return { kind: 'unsupported', compare: result.unsupported, inException };
  }
  if (!warn) return undefined;
  const count = result.count ??= countCodes(result.codes);
  // The counts are those of the target's event table (PPM_EVENT_MAX 418 at libs 0.14.2, Falco 0.37; 454 at 0.25.2, Falco
  // 0.44), which the message names.
  const table = codeTable;
  if (count === table.count) return { kind: 'too-many', problem: `its condition has no event-type restriction: it matches every event code (${table.count} in ${table.falco}'s event table)` };
  if (count === 0) return { kind: 'too-many', problem: 'it matches no event code: its evt.type tests exclude each other or name no known event' };
  if (count > MAX_EVENT_CODES) return { kind: 'too-many', problem: `it matches ${count} event codes of ${table.falco}'s event table, more than ${MAX_EVENT_CODES}` };
  return undefined;
}

/**
 * Whether Falco, at the target release, would count between 1 and 100 event codes for a syscall rule with this
 * condition and exceptions, every macro it reaches defined and every evt.type name known: no LOAD_NO_EVTTYPE, no
 * unknown event type, no refused comparison. The no-evttype quick fix keeps only restrictions that pass.
 */
export function restrictsEventTypes(condition: string, exceptions: readonly ModelNode[], defs: Definitions, falcoVersion: string | undefined): boolean {
  const outer = codeTable;
  codeTable = codeTableFor(falcoVersion);
  try {
    const compiled = conditionWithExceptions(condition, exceptions);
    const result = compiled === undefined ? undefined : conditionEventCodes(compiled, defs);
    if (!result || result.unknownNames > 0 || result.unsupported || usesUndefinedMacro(result)) return false;
    const count = result.count ??= countCodes(result.codes);
    return count > 0 && count <= MAX_EVENT_CODES;
  } finally {
    codeTable = outer;
  }
}

/** Whether the target release's libs accept this evt.type name and give it at least one event code. */
export function eventTypeNameKnown(name: string, falcoVersion: string | undefined): boolean {
  const outer = codeTable;
  codeTable = codeTableFor(falcoVersion);
  try {
    return !rejectedByTable(name) && countCodes(codesOfName(name)) > 0;
  } finally {
    codeTable = outer;
  }
}

/** The event codes of an evt.type name set, counted in the target release's table (a restriction's size). */
export function eventCodeCount(names: readonly string[], falcoVersion: string | undefined): number {
  const outer = codeTable;
  codeTable = codeTableFor(falcoVersion);
  try {
    let codes = NO_CODES;
    for (const name of names) codes = unionCodes(codes, codesOfName(name));
    return countCodes(codes);
  } finally {
    codeTable = outer;
  }
}

/** A verdict that a later file's change of a macro or list brings to a rule of `file` (checkLaterFilesEventCodes). */
interface LaterCause { cause: Contribution; file: LoadedFile }

function reportEventTypeVerdict(verdict: EventTypeVerdict, span: Span, name: string | undefined, afterOverride: boolean, reporter: ReportSink, later?: LaterCause): void {
  const by = later && laterChangeText(later);
  if (verdict.kind === 'too-many') {
    const subject = afterOverride ? `With this override, rule '${name}'` : by ? `With ${by}, rule '${name}'` : 'Rule';
    const when = by ? ` Falco warns when it loads ${fileLabel(later!.cause.file)}, as it compiles every rule again after each file.` : '';
    reporter.report(Code.NoEventType, span, `${subject} matches too many evt.type values (${verdict.problem}).${when} This has a significant performance penalty; add an 'evt.type in (...)' test or set 'warn_evttypes: false'.`, { name });
    return;
  }
  const { compare, inException } = verdict;
  const where = compare.macro ? ` (in the macro '${compare.macro}')` : inException ? ' (in an exception)' : '';
  const form = compare.reason === 'transformer' ? 'inside a transformer or val()' : 'with another field (val() or a transformer on the right)';
  const subject = by ? `With ${by}, Falco` : 'Falco';
  const when = by ? ` when it loads ${fileLabel(later!.cause.file)} (it compiles every rule again after each file)` : '';
  // Falco has no LOAD code for this: the exception escapes the loader and Falco exits.
  reporter.report(Code.EvtTypeNotIndexable, span,
    `${subject} cannot compute this rule's event codes: evt.type (or syscall.type) is compared ${form}${where}. Falco exits at startup${when} with "Runtime error: ${UNSUPPORTED_MESSAGES[compare.reason]}". Compare evt.type with event names only.`,
    { name });
}

/** The first contribution of a later file than `file` to `def` (a definition of the load's last file), if any. */
function laterDefinition(load: LoadResult, file: LoadedFile, def: MacroDef | ListDef | undefined): Contribution | undefined {
  if (!def || load.files[file.order] !== file) return undefined;
  return def.contributions.find((c) => c.file.order > file.order);
}

/**
 * Whether a macro item of this name, in this file or one loaded before it, has an override Falco's reader refuses
 * (itemRefusal): it defines nothing (applyDefinitions), and Falco stops at its error before any use is compiled.
 */
function refusedMacro(load: LoadResult, file: LoadedFile, name: string): boolean {
  const files = load.files[file.order] === file ? load.files.slice(0, file.order + 1) : [file];
  for (const f of files) {
    for (const item of f.model.items) {
      if (item.kind === 'macro' && item.name === name && itemRefusal(item) !== undefined) return true;
    }
  }
  return false;
}

/** `the definition of macro 'm' at line 4 of falco_rules.local.yaml (a later file)`. */
function laterChangeText({ cause, file }: LaterCause): string {
  const how = cause.mode === 'override' ? 'the override of' : cause.mode === 'append-legacy' ? 'the append to' : 'the definition of';
  return `${how} ${cause.item.kind} '${cause.item.name ?? ''}' at ${lineText(cause.file, cause.item.span.start, file)} (a later file)`;
}


/**
 * The condition Falco compiles for a rule with exceptions (rule_loader_compiler.cpp build_rule_exception_infos, Falco
 * 0.44): `(<condition>) and not (<exception>)` for each exception, an exception being its values' comparisons, or'ed.
 * Under that `not`, a comparison of any field but evt.type and syscall.type matches every event code (see
 * eventCodesOf), so only exceptions on those fields can change the codes: without one the condition is returned as
 * is. Undefined when Falco rejects the exceptions (its loader reports why; validate.ts mirrors that).
 */
function conditionWithExceptions(condition: string, exceptions: readonly ModelNode[]): string | undefined {
  if (!exceptions.some(hasEventTypeField)) return condition;
  let out = `(${condition})`;
  const firstByName = new Map<string, MapNode>();
  for (const ex of exceptions) {
    if (ex.kind !== 'map') continue;
    const name = scalarText(mapValue(ex, 'name'));
    // An override appending values to an exception of the same name has no fields or comps: it uses the first one's.
    const first = name !== undefined ? firstByName.get(name) : undefined;
    if (name !== undefined && !first) firstByName.set(name, ex);
    const shape = first && !mapValue(ex, 'fields') ? first : ex;
    const values = mapValue(ex, 'values');
    const text = exceptionText(mapValue(shape, 'fields'), mapValue(shape, 'comps'), values?.kind === 'seq' ? values.items : []);
    if (text === undefined) return undefined;
    if (text) out += ` and not ${text}`;
  }
  return out;
}

function mapValue(node: MapNode, key: string): ModelNode | undefined {
  return node.entries.find((e) => e.key === key)?.value;
}

function hasEventTypeField(ex: ModelNode): boolean {
  if (ex.kind !== 'map') return false;
  const fields = mapValue(ex, 'fields');
  const names = fields?.kind === 'seq' ? fields.items : fields ? [fields] : [];
  return names.some((f) => { const t = scalarText(f); return t !== undefined && (t.includes('evt.type') || t.includes('syscall.type')); });
}

/** libsinsp's identifier (RGX_IDENTIFIER, filter/parser.cpp at libs 0.14.2 and 0.25.2): what a list operator takes unparenthesised. */
const IDENTIFIER = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;

/**
 * A list's name standing as a comparison's bare value outside parentheses (`proc.name = shell_binaries`,
 * `proc.name in shell_binaries`). Falco pastes the list's items there as text like anywhere else: parse_condition
 * runs resolve_list for every list before libsinsp parses the condition, and resolve_list replaces the name wherever
 * blanks, '(', ')', ',' or '=' surround it by the items, each quoted when it holds a blank, joined with ", "
 * (rule_loader_compiler.cpp 0.37.0:180-251 and 294-304, 0.44.0:182-238 and 276-283; the same in every release
 * between). libsinsp then reads one value after the operator (parse_str_value / parse_num_value, or for in,
 * intersects and pmatch without '(' an identifier: parse_list_value; filter/parser.cpp at libs 0.14.2 and 0.25.2),
 * and parse() refuses what is left: "unexpected token after '<first item>', expecting 'or', 'and'". So:
 * - two or more items: the condition does not compile;
 * - no item (an empty list): the operator is left without a value;
 * - one item: it compiles as a comparison with that item (a list operator's unparenthesised value must be an
 *   identifier), and stops compiling once the list has a second item.
 */
function reportListNamesAsValues(text: string, facts: ConditionFacts, defs: Definitions, final: Definitions, docSpan: (s: Span) => Span, reporter: ReportSink): void {
  for (let i = 0; i < facts.compares.length; i++) {
    const e = facts.compares[i];
    const rhs = e.rhs;
    if (!rhs || rhs.kind !== 'literal' || rhs.quoted || !(defs.lists.has(rhs.text) || final.lists.has(rhs.text))) continue;
    // A value glued to '<' or '>' (`fd.sport>ports`) has no delimiter before it: Falco leaves it.
    if (rhs.span.start > 0 && !LIST_DELIMITERS.test(text[rhs.span.start - 1])) continue;
    const listLike = isListOperator(e.op) || e.modifier !== undefined;
    const op = e.modifier ? `${e.op} ${e.modifier.name}` : e.op;
    const write = listLike ? `${op} (${rhs.text})` : e.op === '=' || e.op === '==' ? `in (${rhs.text})` : undefined;
    // The fix edits the bare name (a list operator's), or the operator and the name (`=`): from where it starts.
    const data = write ? { fix: write, from: docSpan(listLike ? rhs.span : e.opSpan).start } : undefined;
    // The comparison as Falco parses it: the text up to the value, then the pasted items.
    reportListNameAsValue(rhs.text, op, listLike, text.slice(e.span.start, rhs.span.start).replace(/\s+/g, ' '), docSpan(rhs.span), write, data, defs, final, reporter);
  }
}

/** One list name `name` standing as the value after `op` (reportListNamesAsValues), `head` the comparison's text up
 *  to the value, `write` what to write instead if one thing is right. */
function reportListNameAsValue(name: string, op: string, listLike: boolean, head: string, span: Span, write: string | undefined, data: Record<string, unknown> | undefined, defs: Definitions, final: Definitions, reporter: ReportSink): void {
  // Falco compiles again after every later file, with the lists collected then: a later list is pasted too.
  const list = (defs.lists.get(name) ?? final.lists.get(name))!;
  const items = listItemsInCondition(list, defs.lists.has(name) ? defs.lists : final.lists).map(quoteItem);
  const advice = write ? ` To compare with the list's items, write \`${write}\`.` : '';
  const shown = items.length > 4 ? `${items.slice(0, 3).join(', ')}, …` : items.join(', ');
  const pasted = `Falco expands lists in the condition's text, wherever a list's name stands between blanks, parentheses, commas or '=', so here it pastes the items of list '${name}'`;
  if (items.length === 0) {
    reporter.report(Code.ListNameAsValue, span, `${pasted}, which has none: \`${head.trimEnd()}\` is left without its value, and the condition does not compile (or '${op}' takes the word that follows for its value).${advice}`, data);
  } else if (items.length > 1) {
    reporter.report(Code.ListNameAsValue, span, `${pasted}: it parses \`${head}${shown}\`, one value and then a ',' it does not expect ("unexpected token after '${items[0]}', expecting 'or', 'and'"), so the condition does not compile.${advice}`, data);
  } else if (listLike && !IDENTIFIER.test(items[0])) {
    reporter.report(Code.ListNameAsValue, span, `${pasted}: it parses \`${head}${items[0]}\`, and without parentheses '${op}' takes only a list or a name ("expected a list or an identifier"), so the condition does not compile.${advice}`, data);
  } else {
    reporter.report(Code.ListNameAsValue, span, `${pasted}: with its one item it compares \`${head}${items[0]}\`, and the condition stops compiling once the list has a second item (an append in another file included).${advice}`, data, { severity: 2, load: null });
  }
}

/** resolve_list's delimiters: a list's name with one of these (or the text's end) on each side is replaced. */
const LIST_DELIMITERS = /[ \t\n\r(),=]/;
const LIST_BLANKS = ' \t\n\r';

/**
 * resolve_list of Falco on `text` for one list (rule_loader_compiler.cpp 0.37.0:180-251, 0.44.0:182-238): every
 * occurrence of `name` with a delimiter or the text's end on each side, and the blanks around it, becomes the items
 * (quoted when they hold a blank) joined with ", ", with a blank on each side; an empty list takes a comma next to it.
 */
export function resolveListText(text: string, name: string, items: readonly string[]): string {
  const delimiter = (c: string) => LIST_DELIMITERS.test(c);
  let cnd = text;
  let start = cnd.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    if ((start === 0 || delimiter(cnd[start - 1])) && (end >= cnd.length || delimiter(cnd[end]))) {
      while (start > 0 && LIST_BLANKS.includes(cnd[start - 1])) start--;
      while (end < cnd.length && LIST_BLANKS.includes(cnd[end])) end++;
      const sub = items.map(quoteItem).join(', ');
      if (sub === '') {
        if (start > 0 && cnd[start - 1] === ',') start--;
        else if (end < cnd.length && cnd[end] === ',') end++;
      }
      cnd = `${start > 0 ? `${cnd.slice(0, start)} ` : ''}${sub} ${cnd.slice(end)}`;
      start += sub.length + 1;
    }
    start = cnd.indexOf(name, start + 1);
  }
  return cnd;
}

/** A word of a condition's text outside its quoted strings, with a list delimiter or the text's end on each side. */
export interface BareWord { text: string; start: number }

/**
 * The words of a condition's text (`text`, the parsed text) outside its quoted strings that resolve_list would
 * replace if a list had their name: runs of characters other than its delimiters (blanks, '(', ')', ',', '='), none
 * touching a quote (a quote is no delimiter). Strings are skipped as libsinsp's lexer reads them, a backslash
 * escaping the next character. Kept with the facts of the parse.
 */
function bareListWords(text: string, facts: ConditionFacts): readonly BareWord[] {
  if (facts.bareWords) return facts.bareWords;
  const out: BareWord[] = [];
  let start = -1;
  let quoted = false;
  const end = (i: number) => {
    if (start >= 0 && !quoted) out.push({ text: text.slice(start, i), start });
    start = -1;
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      // A string, and the word it touches: never replaced here (listWordsInStrings reads inside strings).
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== c) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (start < 0) start = i;
      quoted = true;
      i = j;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x28 || c === 0x29 || c === 0x2c || c === 0x3d) end(i);
    else if (start < 0) start = i;
  }
  end(text.length);
  return (facts.bareWords = out);
}

/**
 * A list's name standing anywhere else in a condition's text than as a comparison's value or a list operator's item
 * (those say reportListNamesAsValues and the list checks): where Falco Lens reads a macro reference, a keyword
 * (`and`, `or`, `not`), a field (a transformer's argument, val()'s field), an operator or a transformer's name. Falco
 * expands lists on the text before libsinsp parses it (resolve_list, rule_loader_compiler.cpp 0.37.0:180-251,
 * 0.44.0:182-238, the same in every release between; parse_condition runs it for rules' and macros' conditions,
 * 0.44.0:276-283, 334 and 374), so the name is replaced there too, whatever the word is to the parser: a list named
 * like a macro takes the macro's place, one named `and` replaces every `and` between blanks. The condition Falco then
 * parses is read again: an error where it does not parse, a warning where it does (it means something else). The
 * list is used (counted by itemRefsOf).
 */
function reportListNamesElsewhere(text: string, prefixLength: number, parse: ConditionParse, facts: ConditionFacts, defs: Definitions, final: Definitions, docSpan: (s: Span) => Span, reporter: ReportSink): void {
  // A condition that does not parse as written is reported as such (condition-syntax), unless it parses once the
  // lists are pasted (listPastedParse): then each list's name is said here.
  if (parse.errors.length > 0 && !listPastedParse(text, prefixLength, facts, defs, final)) return;
  const words = bareListWords(text, facts);
  const names = listNamesKey(defs.lists, final.lists);
  if (facts.listNamedWords?.names !== names) {
    const named: BareWord[] = [];
    let handled: Set<number> | undefined;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (!(defs.lists.has(w.text) || final.lists.has(w.text))) continue;
      handled ??= new Set([...facts.listRefs, ...facts.valueRefs].map((l) => l.span.start));
      if (!handled.has(w.start)) named.push(w);
    }
    facts.listNamedWords = { names, words: named };
  }
  const named = facts.listNamedWords.words;
  let resolved: string | undefined;
  for (let i = 0; i < named.length; i++) {
    const w = named[i];
    if (w.start < prefixLength) continue;
    resolved ??= resolveAllLists(text, words, defs, final);
    const after = parseConditionCached(resolved);
    const shown = resolvedExcerpt(resolved.slice(prefixLength), text.slice(prefixLength));
    const span = { start: w.start, end: w.start + w.text.length };
    const advice = w.text === 'and' || w.text === 'or' || w.text === 'not' ? 'Rename the list.' : 'Rename the list or the other name.';
    const what = `Falco expands lists in the condition's text before it parses it, wherever a list's name stands between blanks, parentheses, commas or '=': here ${wordRole(w, facts)} is replaced by the items of list '${w.text}'`;
    if (after.errors.length > 0) {
      reporter.report(Code.ListNameExpanded, docSpan(span), `${what}, and the condition Falco parses, \`${shown}\`, does not compile (${after.errors[0].message}). ${advice}`);
    } else {
      reporter.report(Code.ListNameExpanded, docSpan(span), `${what}: Falco parses \`${shown}\`, not the condition as written. ${advice}`, undefined, { severity: 2, load: null });
    }
  }
}

/**
 * For a condition text that does not parse as written: the text Falco parses once it has pasted the lists whose names
 * stand between delimiters in it, when that parses (`fd.sport > ports` with ports [80] is `fd.sport > 80`); else
 * undefined. Only a text naming a loaded list is pasted (most name none).
 */
function listPastedParse(text: string, prefixLength: number, facts: ConditionFacts, defs: Definitions, final: Definitions): string | undefined {
  const words = bareListWords(text, facts);
  if (!words.some((w) => w.start >= prefixLength && (defs.lists.has(w.text) || final.lists.has(w.text)))) return undefined;
  const resolved = resolveAllLists(text, words, defs, final);
  return parseConditionCached(resolved).errors.length === 0 ? resolved : undefined;
}

// listNamesKey's memos: by the two tables (a load makes new ones), then the recent keys' names, compared in order.
let listNamesKeyByTables = new WeakMap<ReadonlyMap<string, unknown>, WeakMap<ReadonlyMap<string, unknown>, object>>();
const recentListNameKeys: { own: readonly string[]; final: readonly string[] }[] = [];

/**
 * An object that stands for the names of two list tables (a file's definitions and the final ones): the same object
 * for the same names in the same order, whichever load made the tables, so a condition's facts can keep what depends
 * only on which names are lists (ConditionFacts.listNamedWords).
 */
function listNamesKey(own: ReadonlyMap<string, unknown>, final: ReadonlyMap<string, unknown>): object {
  let byFinal = listNamesKeyByTables.get(own);
  if (!byFinal) listNamesKeyByTables.set(own, byFinal = new WeakMap());
  let key = byFinal.get(final);
  if (!key) {
    key = recentListNameKeys.find((k) => sameNames(k.own, own) && sameNames(k.final, final));
    if (!key) {
      // A few sets of names are live at once (one per loaded file, and the final one); older ones are let go.
      key = { own: [...own.keys()], final: [...final.keys()] };
      recentListNameKeys.unshift(key as { own: string[]; final: string[] });
      if (recentListNameKeys.length > 16) recentListNameKeys.pop();
    }
    byFinal.set(final, key);
  }
  return key;
}

/** What Falco Lens reads at a bare word of a condition (reportListNamesElsewhere). */
function wordRole(w: BareWord, facts: ConditionFacts): string {
  if (w.text === 'and' || w.text === 'or' || w.text === 'not') return `the keyword '${w.text}'`;
  if (facts.macroRefs.some((m) => m.span.start === w.start)) return `the reference to macro '${w.text}'`;
  if (facts.fields.some((f) => f.nameSpan.start === w.start)) return `the field '${w.text}'`;
  const compare = facts.compares.find((e) => e.opSpan.start === w.start || e.lhs.nameSpan.start === w.start);
  if (compare) return compare.opSpan.start === w.start ? `the operator '${w.text}'` : `the transformer '${w.text}'`;
  return `'${w.text}'`;
}

/** `text` with every list named by its bare words replaced, in Falco's order (the lists' index order). */
function resolveAllLists(text: string, words: readonly BareWord[], defs: Definitions, final: Definitions): string {
  return pasteLists(text, listsNamed(words.map((w) => w.text), defs, final), defs, final);
}

/** The loaded lists among `words`, by name (a later file's too: Falco compiles again after it). */
function listsNamed(words: readonly string[], defs: Definitions, final: Definitions): Map<string, OrderedList> {
  const lists = new Map<string, OrderedList>();
  for (let i = 0; i < words.length; i++) {
    const list = defs.lists.get(words[i]) ?? final.lists.get(words[i]);
    if (list) lists.set(words[i], list);
  }
  return lists;
}

/** `text` after resolve_list of each of `lists`, in Falco's order (index order), with the items it pastes. */
function pasteLists(text: string, lists: ReadonlyMap<string, OrderedList>, defs: Definitions, final: Definitions): string {
  let out = text;
  for (const [name, list] of [...lists].sort((a, b) => listIndex(a[1]) - listIndex(b[1]))) {
    out = resolveListText(out, name, listItemsInCondition(list, defs.lists.has(name) ? defs.lists : final.lists));
  }
  return out;
}

/** The part of `resolved` around its first difference from `text` (the whole text when short). */
function resolvedExcerpt(resolved: string, text: string): string {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  if (resolved.length <= 160) return flat(resolved);
  let p = 0;
  while (p < resolved.length && p < text.length && resolved[p] === text[p]) p++;
  const from = Math.max(0, p - 40);
  return `${from > 0 ? '…' : ''}${flat(resolved.slice(from, p + 80))}${p + 80 < resolved.length ? '…' : ''}`;
}

/**
 * The quoted values of a condition (`text`, the parsed text) with the words inside them that stand between
 * resolve_list's delimiters (not those touching the quotes): where a list's name would be replaced. Kept with the
 * facts of the parse (most conditions have none).
 */
function listWordsInStrings(text: string, facts: ConditionFacts): { literal: Literal; raw: string; words: string[] }[] {
  if (facts.stringWords) return facts.stringWords;
  const out: { literal: Literal; raw: string; words: string[] }[] = [];
  for (let i = 0; i < facts.compares.length; i++) {
    const rhs = facts.compares[i].rhs;
    if (!rhs || rhs.kind === 'field-value') continue;
    const literals = rhs.kind === 'list' ? rhs.items : [rhs];
    for (const literal of literals) {
      if (!literal.quoted) continue;
      const raw = text.slice(literal.span.start, literal.span.end);
      const words = wordsInsideQuotes(raw);
      if (words.length > 0) out.push({ literal, raw, words });
    }
  }
  return (facts.stringWords = out);
}

/**
 * A quoted string of a condition holding a list's name between delimiters (`proc.cmdline contains "run shell_binaries
 * now"`): Falco's list expansion works on the text before libsinsp reads the strings, so the name is replaced there
 * too and Falco compares with another string (resolve_list, rule_loader_compiler.cpp 0.37.0:180-251, 0.44.0:182-238;
 * its own comment says it "breaks string escaping"). The words touching the quotes are not replaced: a quote is no
 * delimiter. Every list is substituted in Falco's order (index order), with the items it pastes (listItemsInCondition).
 */
function reportListNamesInStrings(text: string, facts: ConditionFacts, defs: Definitions, final: Definitions, docSpan: (s: Span) => Span, reporter: ReportSink): void {
  for (const { literal, raw, words } of listWordsInStrings(text, facts)) reportListNamesInString(raw, words, () => docSpan(literal.span), defs, final, reporter);
}

/** One quoted text `raw` Falco parses (reportListNamesInStrings), `words` those inside it between delimiters. */
function reportListNamesInString(raw: string, words: readonly string[], span: () => Span, defs: Definitions, final: Definitions, reporter: ReportSink): void {
  const lists = listsNamed(words, defs, final);
  if (lists.size === 0) return;
  const read = pasteLists(raw, lists, defs, final);
  const names = [...lists.keys()].map((n) => `'${n}'`).join(' and ');
  const replaced = `Falco expands lists in the condition's text before it reads the strings, so the name of list${lists.size > 1 ? 's' : ''} ${names} in this string, between blanks, commas, parentheses or '=', is replaced by the list's items`;
  // A pasted item with the string's quote in it (quote_item wraps an item holding a blank in double quotes) closes
  // the string there: libsinsp's lexer ends a string at the first quote without a backslash before it.
  const closed = read.slice(1, -1).includes(raw[0]);
  const what = closed ? `Falco reads ${read}, where a quote of the pasted items ends the string early and the rest is read as condition text` : `Falco compares with ${read}, not ${raw}`;
  reporter.report(Code.ListNameInString, span(), `${replaced}: ${what}. No escape keeps the name from being replaced; only a name touching the string's quotes is left alone.`);
}

/** The words between list delimiters inside a quoted text (not those touching its quotes). */
function wordsInsideQuotes(raw: string): string[] {
  return raw.split(LIST_DELIMITERS).slice(1, -1).filter((w) => w !== '');
}

/**
 * A rule's own exception values as Falco pastes them into the condition (build_rule_exception_infos,
 * rule_loader_compiler.cpp 0.37.0:74-155, 0.44.0:100-161): a value holding a blank in double quotes (quote_item), the
 * others bare, a list operator's single value in parentheses (paren_item). Then resolve_list runs on that text: a
 * list's name inside a quoted value is replaced (reportListNamesInString), and a bare value naming a list after an
 * operator that takes one value is pasted as in a condition (reportListNameAsValue). An exception that only adds
 * values takes its fields and comps from the rule's first exception of that name.
 */
function checkExceptionListNames(item: ModelItem, rule: RuleDef | undefined, defs: Definitions, final: Definitions, reporter: ReportSink): void {
  const named = (t: string) => defs.lists.has(t) || final.lists.has(t);
  for (const { node, field, op, pasted } of exceptionValuesAsPasted(item, rule)) {
    if (pasted[0] === '"' || pasted[0] === '\'') reportListNamesInString(pasted, wordsInsideQuotes(pasted), () => node.span, defs, final, reporter);
    else if (op !== undefined && !isListOperator(op) && named(node.text)) reportListNameAsValue(node.text, op, false, `${field} ${op} `, node.span, undefined, undefined, defs, final, reporter);
  }
}

/**
 * Each string value of a rule item's own exceptions as Falco writes it into the condition (build_rule_exception_infos,
 * rule_loader_compiler.cpp 0.37.0:74-155, 0.44.0:100-161), with its field and operator (undefined for an item of a
 * parenthesised list: a single field's values, or a sequence of values): quoted by quote_item where it holds a blank and
 * is not quoted yet, except a scalar compared by a list operator, which paren_item puts in parentheses as written.
 * `shift` is where the value's own text starts in `pasted` (1 after a quote Falco added). An exception that only adds
 * values takes its fields and comps from the rule's first exception of that name (exceptionShapesOf).
 */
export function* exceptionValuesAsPasted(item: ModelItem, rule: RuleDef | undefined): Generator<{ node: ScalarNode; field: string; op: string | undefined; pasted: string; shift: number }> {
  const own = entryOf(item, 'exceptions')?.value;
  if (own?.kind !== 'seq') return;
  const paste = (n: ModelNode, field: string, op: string | undefined) => {
    // Falco reads every non-null scalar as the text written (a YAML number too).
    if (n.kind !== 'scalar' || scalarText(n) === undefined || n.text === '') return undefined;
    const pasted = op !== undefined && isListOperator(op) ? n.text : quoteItem(n.text);
    return { node: n, field, op, pasted, shift: pasted === n.text ? 0 : 1 };
  };
  for (const { fields, comps, values } of exceptionShapesOf(own, rule)) {
    if (fields?.kind === 'scalar') {
      // `field comp (v1, v2)`: each value an item of a parenthesised list.
      for (const v of values.items) { const p = paste(v, fields.text, undefined); if (p) yield p; }
    } else if (fields?.kind === 'seq') {
      for (let k = 0; k < fields.items.length; k++) {
        const op = comps === undefined ? '=' : comps.kind === 'seq' && comps.items[k] ? scalarText(comps.items[k])?.trim() : undefined;
        const field = scalarText(fields.items[k]);
        if (op === undefined || field === undefined) continue;
        for (const tuple of values.items) {
          const v = tuple.kind === 'seq' ? tuple.items[k] : undefined;
          // A sequence of values is a parenthesised list of quoted items.
          if (v?.kind === 'seq') { for (const x of v.items) { const p = paste(x, field, undefined); if (p) yield p; } }
          else if (v) { const p = paste(v, field, op); if (p) yield p; }
        }
      }
    }
  }
}

/** A word Falco writes into a rule's condition for one exception besides its values, and the node it comes from. */
interface ExceptionFrameWord { text: string; node: ModelNode; role: string }

/**
 * The words of the text build_rule_exception_infos writes for exception `ex` besides its values (rule_loader_compiler.cpp
 * 0.37.0:74-155, 0.44.0:100-161): ` and not ` before it, each field and comp as written (a comp trimmed, by
 * normalize_comp at 0.44; a missing one is 'in' for a single field and '=' for each of a list of fields,
 * rule_loader_collector.cpp validate_exception_info), ' and ' between fields and ' or ' between value tuples. `shape`
 * is the exception holding the fields (`ex` itself, or for one that only adds values the rule's first of that name);
 * a word from another item is placed at `ex`'s name. Only words between resolve_list's delimiters are kept.
 */
function exceptionFrameWords(ex: MapNode, shape: MapNode, tuples: number): ExceptionFrameWord[] {
  const out: ExceptionFrameWord[] = [];
  const at = mapValue(ex, 'name') ?? ex;
  const own = shape === ex;
  const add = (text: string | undefined, node: ModelNode | undefined, role: (word: string) => string) => {
    if (text === undefined) return;
    for (const word of text.split(LIST_DELIMITERS)) if (word !== '') out.push({ text: word, node: own && node ? node : at, role: role(word) });
  };
  const keyword = (where: string) => (word: string) => `the keyword '${word}' Falco writes ${where}`;
  add('and not', undefined, keyword('before the exception'));
  const fields = mapValue(shape, 'fields');
  const comps = mapValue(shape, 'comps');
  const field = (word: string) => `the exception field '${word}'`;
  const operator = (word: string) => `the exception's operator '${word}'`;
  if (fields?.kind === 'scalar') {
    add(scalarText(fields), fields, field);
    if (comps === undefined) add('in', undefined, () => "the operator 'in' Falco writes for an exception without comps");
    else if (comps.kind === 'scalar') add(scalarText(comps)?.trim(), comps, operator);
  } else if (fields?.kind === 'seq') {
    fields.items.forEach((f, k) => {
      if (k > 0) add('and', undefined, keyword("between the exception's fields"));
      add(scalarText(f), f, field);
      const comp = comps?.kind === 'seq' ? comps.items[k] : undefined;
      if (comp) add(scalarText(comp)?.trim(), comp, operator);
    });
    if (tuples > 1) add('or', undefined, keyword("between the exception's values"));
  }
  return out;
}

/**
 * A list named like a word Falco writes for an exception besides its values: a field (`- list: proc.pname` and an
 * exception on proc.pname), an operator, or the `and`, `not`, `or` it joins the exception with. Falco builds the
 * exception's text into the rule's condition (build_rule_exception_infos) and then expands lists on the whole text
 * (parse_condition runs resolve_list for every list: rule_loader_compiler.cpp 0.37.0:180-251 and 294-304,
 * 0.44.0:182-238 and 276-283, the same in every release between), so the field is replaced by the list's items like a
 * field of the condition (reportListNamesElsewhere), though the collector checked the field's name before. Judged on
 * the exception's text alone, after the rule's condition (in parentheses: the condition's own findings say its
 * faults): an error where it does not parse, a warning where it does. An exception that only adds values takes its
 * fields from the rule's first exception of its name, which says it there when it has values itself.
 */
function checkExceptionFrameListNames(item: ModelItem, rule: RuleDef | undefined, defs: Definitions, final: Definitions, reporter: ReportSink): void {
  const own = entryOf(item, 'exceptions')?.value;
  if (own?.kind !== 'seq') return;
  const named = (t: string) => defs.lists.has(t) || final.lists.has(t);
  for (const { fields, comps, values, ex, shape } of exceptionShapesOf(own, rule)) {
    if (values.items.length === 0) continue;
    if (shape !== ex) {
      // Said at the exception defining the fields when it has values of its own.
      const defined = mapValue(shape, 'values');
      if (defined?.kind === 'seq' && defined.items.length > 0) continue;
    }
    const words = exceptionFrameWords(ex, shape, values.items.length).filter((w) => named(w.text));
    if (words.length === 0) continue;
    const text = exceptionText(fields, comps, values.items);
    if (!text) continue;
    // The stand-in for the rule's condition is no list's name: only the exception's text changes.
    const head = `(${APPEND_STAND_IN})`;
    const written = `${head} and not ${text}`;
    const resolved = pasteLists(written, listsNamed(written.split(LIST_DELIMITERS), defs, final), defs, final);
    const after = parseConditionCached(resolved);
    const shown = resolvedExcerpt(resolved.slice(head.length), written.slice(head.length));
    const seen = new Set<string>();
    for (const w of words) {
      const key = `${w.text}\u0000${w.node.span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const what = `Falco writes this exception into the rule's condition as \`and not ${text}\` and expands lists in that text before it parses it, wherever a list's name stands between blanks, parentheses, commas or '=': here ${w.role} is replaced by the items of list '${w.text}'`;
      if (after.errors.length > 0) reporter.report(Code.ListNameExpanded, w.node.span, `${what}, and the condition Falco parses, \`… ${shown}\`, does not compile (${after.errors[0].message}). Rename the list.`);
      else reporter.report(Code.ListNameExpanded, w.node.span, `${what}: Falco parses \`… ${shown}\`, not the exception as written. Rename the list.`, undefined, { severity: 2, load: null });
    }
  }
}

/** Operators whose value Falco writes as a parenthesised list (libsinsp's list operators, and modifier operators). */
function isListOperator(op: string): boolean {
  return op === 'in' || op === 'intersects' || op === 'pmatch' || / (oneof|anyof|allof)$/.test(op);
}
/** Falco quotes a value with a space that is not quoted yet (quote_item). */
function quoteItem(value: string): string {
  return value.includes(' ') && value[0] !== '"' && value[0] !== "'" ? `"${value}"` : value;
}

/**
 * One exception's text, as Falco joins it: `(field comp (v1, v2))` for a single field, `((f1 c1 v1 and f2 c2 v2) or
 * ...)` for a list of fields; '' without values; undefined for shapes Falco rejects.
 */
function exceptionText(fields: ModelNode | undefined, comps: ModelNode | undefined, values: readonly ModelNode[]): string | undefined {
  const text = (n: ModelNode) => (n.kind === 'scalar' ? scalarText(n) ?? '' : undefined);
  if (fields?.kind === 'scalar') {
    if (comps && comps.kind !== 'scalar') return undefined;
    const comp = comps ? text(comps)!.trim() : 'in';
    const items: string[] = [];
    for (const v of values) {
      const value = text(v);
      if (value === undefined) return undefined;
      items.push(quoteItem(value));
    }
    return items.length ? `(${fields.text} ${comp} (${items.join(', ')}))` : '';
  }
  if (fields?.kind !== 'seq') return undefined;
  const names = fields.items.map(text);
  const ops = comps === undefined ? names.map(() => '=') : comps.kind === 'seq' ? comps.items.map((c) => text(c)?.trim()) : [];
  if (ops.length !== names.length || names.some((n) => n === undefined) || ops.some((o) => o === undefined)) return undefined;
  const alternatives: string[] = [];
  for (const tuple of values) {
    if (tuple.kind !== 'seq' || tuple.items.length !== names.length) return undefined;
    const terms: string[] = [];
    for (let k = 0; k < names.length; k++) {
      const v = tuple.items[k];
      let value: string;
      if (v.kind === 'seq') {
        const items = v.items.map(text);
        if (items.some((i) => i === undefined)) return undefined;
        value = `(${(items as string[]).map(quoteItem).join(', ')})`;
      } else {
        const item = text(v);
        if (item === undefined) return undefined;
        value = isListOperator(ops[k]!) ? (item[0] === '(' ? item : `(${item})`) : quoteItem(item);
      }
      terms.push(`${names[k]} ${ops[k]} ${value}`);
    }
    alternatives.push(`(${terms.join(' and ')})`);
  }
  return alternatives.length ? `(${alternatives.join(' or ')})` : '';
}

/**
 * The words Falco reads in place of a word of a condition: a list's items as Falco pastes them (see
 * listItemsInCondition), or the word itself. Every list looked up is a dependency of the result.
 */
function expandList(name: string | undefined, text: string, defs: Definitions, deps: DefinitionDep[]): string[] {
  if (name === undefined) return [text];
  const list = defs.lists.get(name);
  pushListDep(deps, name, list);
  if (!list) return [text];
  return listItemsInCondition(list, defs.lists, (looked, found) => pushListDep(deps, looked, found));
}

/** A list lookup as a dependency: its items and its place in Falco's order (both decide what is pasted). */
function pushListDep(deps: DefinitionDep[], name: string, list: OrderedList | undefined): void {
  deps.push({ macro: false, name, content: list?.items, index: list && listIndex(list), visibility: list && listVisibility(list) });
}

// ---------------------------------------------------------------------------------------------------------------
// The checks

function conditionNode(item: ModelItem): { entry: MapEntry; node: ScalarNode } | undefined {
  const entry = entryOf(item, 'condition');
  const node = entry?.value;
  return entry && node?.kind === 'scalar' && typeof node.value === 'string' ? { entry, node } : undefined;
}

/** The condition's text (from the item's values: see conditionNode for its node). */
function conditionText(item: ModelItem): string | undefined {
  const v = entryValue(item, 'condition');
  return v?.kind === 'scalar' && typeof v.value === 'string' ? v.text : undefined;
}

function boolKey(item: ModelItem, key: string): boolean | undefined {
  return scalarBoolean(entryValue(item, key));
}

/**
 * The source a rule item is for: its own `source`, or that of the rule it overrides. Unknown (undefined) for an
 * override, append or `enabled` item of a rule no file up to this one defines: Falco refuses it before it reads any
 * field (no-previous-definition), and reading it as a syscall rule gave a k8s_audit override's fields as wrong for
 * their source. Fields are then checked against every source.
 */
function sourceOf(item: ModelItem, defs: Definitions): string | undefined {
  const own = scalarText(entryValue(item, 'source'));
  if (own !== undefined) return own;
  const base = item.name !== undefined ? defs.rules.get(item.name) : undefined;
  if (base) return base.source;
  return isDefinitionItem(item) ? 'syscall' : undefined;
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
 * runner can replay them; the others read the definitions and run every time, in the same order, unless `memo` (the
 * file's findings from its last validation, itemFindings.ts) replays a rule's or macro's whole finding set.
 */
export function validateConditions(file: LoadedFile, load: LoadResult, usage: UsageIndex, reporter: ReportSink, run: ItemCheckRunner = runDirectly(reporter), memo?: ItemFindingsRun, only?: ReadonlySet<ModelItem>, falcoVersion?: string): void {
  // The event-type verdicts count the target's event table.
  const outer = codeTable;
  codeTable = codeTableFor(falcoVersion);
  try {
    checkConditions(file, load, usage, reporter, run, memo, only);
  } finally {
    codeTable = outer;
  }
}

function checkConditions(file: LoadedFile, load: LoadResult, usage: UsageIndex, reporter: ReportSink, run: ItemCheckRunner, memo: ItemFindingsRun | undefined, only: ReadonlySet<ModelItem> | undefined): void {
  const defs = load.after[file.order] ?? load.final;
  let macroSuggestions: ((name: string) => string[]) | undefined;
  let listSuggestions: ((name: string) => string[]) | undefined;
  let pluginNames: Set<string> | undefined;
  const laterList = (name: string): LaterCause | undefined => {
    const cause = laterDefinition(load, file, load.final.lists.get(name));
    return cause && { cause, file };
  };

  const items = file.model.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if ((item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') || (only && !only.has(item))) continue;
    reporter.enter?.(item);
    // A list has no condition: only the unused check below reads it.
    if (item.kind !== 'list') {
      if (memo) memo.item(item, checkItem);
      else checkItem(item);
    }

    // Unused macros and lists: a use in any loaded file counts.
    if ((item.kind === 'macro' || item.kind === 'list') && item.name !== undefined && isDefinitionItem(item)) {
      const uses = item.kind === 'macro' ? usage.macroUses : usage.listUses;
      if (!uses.get(item.name)) {
        // A macro named like a loaded list: its references are where Falco pastes the list (macroUsesBesideLists).
        const listed = item.kind === 'macro' && load.final.lists.has(item.name);
        reporter.report(item.kind === 'macro' ? Code.UnusedMacro : Code.UnusedList, item.nameSpan ?? item.span, listed
          ? `Macro '${item.name}' is used nowhere: a list has the same name, and Falco pastes the list's items wherever the name stands in a condition before it resolves macros, so no reference reaches the macro. Rename the macro or the list.`
          : `${item.kind === 'macro' ? 'Macro' : 'List'} '${item.name}' is not referred to by any ${item.kind === 'macro' ? 'rule or macro' : 'rule, macro or list'} of the loaded rules files.`);
      } else if (usage.usedUpToFile && !usage.usedUpToFile(item.kind, item.name)) {
        // Falco compiles and warns after each file it reads (falco_engine.cpp load_rules, rule_loader_compiler.cpp
        // compile): a use in a file read later does not count then.
        reporter.report(item.kind === 'macro' ? Code.UnusedMacro : Code.UnusedList, item.nameSpan ?? item.span,
          `${item.kind === 'macro' ? 'Macro' : 'List'} '${item.name}' is not referred to by any ${item.kind === 'macro' ? 'rule or macro' : 'rule, macro or list'} of this file or the files loaded before it: Falco warns when it loads this file (only files loaded after it use it).`);
      }
    }
  }

  /** The checks of one rule or macro (all it reports goes to `reporter`, which `memo` records when given). */
  function checkItem(item: ModelItem): void {
    const isRule = item.kind === 'rule';
    const source = isRule ? sourceOf(item, defs) : undefined;
    const skipUnknown = isRule ? (boolKey(item, 'skip-if-unknown-filter') ?? (item.name ? defs.rules.get(item.name)?.skipIfUnknownFilter : false) ?? false) : false;
    // What the field checks read besides the item: the rule's source and skip-if-unknown-filter (both may come from
    // the rule an override changes).
    const fieldContext = isRule ? fieldContextOf(source ?? '', skipUnknown) : '';
    const fieldCtx = (sink: ReportSink, where: FieldProblemContext['where']): FieldProblemContext => ({ reporter: sink, source, skipIfUnknownFilter: skipUnknown, where });

    // The condition's text is read from the item's values; its node (which a moved item makes when first read) only
    // where a finding needs a document range.
    const condText = conditionText(item);
    // An empty text is refused by Falco's reader (validate.ts); one of blanks is read, and fails to compile.
    if (condText !== undefined && condText !== '') {
      let placed: { entry: MapEntry; node: ScalarNode } | undefined;
      const cond = () => (placed ??= conditionNode(item)!);
      // An appended condition is a continuation (`and not ...`): Falco joins it to the previous condition with a
      // space, so it is parsed behind a stand-in for that condition and positions are shifted back.
      // Whether Falco's reader (or collector) refuses the item, and so never compiles the text, follows the target and the
      // load (appendsConditionInLoad):
      // the findings of the text read otherwise are kept apart (the runs' context).
      const prefix = appendsConditionInLoad(item, load, file) ? `${APPEND_STAND_IN} ` : '';
      const reading = prefix && !appendsCondition(item) ? ' fragment' : !prefix && appendsCondition(item) ? ' whole' : '';
      const parse = parseConditionCached(prefix + condText);
      // The offset map is built only when a finding needs a document range.
      const docSpan = (s: Span) => scalarMap(cond().node).span(Math.max(0, s.start - prefix.length), Math.max(0, s.end - prefix.length));
      // A text that does not parse as written may parse once Falco has pasted the lists named in it
      // (`fd.sport > ports`, ports: [80]): no syntax error then (reportListNamesElsewhere says what Falco parses).
      const pasted = parse.errors.length > 0 ? listPastedParse(prefix + condText, prefix.length, factsOf(parse), defs, load.final) : undefined;
      // A text that does not parse alone may parse joined to the other pieces of the condition Falco compiles after
      // this file (a quoted bracket argument or a parenthesis an append closes): Falco says nothing then, and the
      // fields the join makes are checked on the joined text.
      const joined = parse.errors.length > 0 && !pasted && item.name !== undefined ? joinedCondition(item, isRule ? defs.rules.get(item.name) : defs.macros.get(item.name), file) : undefined;
      const joinedParse = joined && parseConditionCached(joined.text);
      const healed = joinedParse !== undefined && joinedParse.errors.length === 0;
      if (healed) checkFieldsAcrossPieces(joinedParse, joined!, condText.length, fieldCtx(reporter, 'condition'), (s) => scalarMap(cond().node).span(s.start, s.end));
      if (!pasted && !healed) run(item, 'condition-syntax', reading, (sink) => {
        for (const e of parse.errors) {
          // `k8s.ns.label.app-tier`: the label in brackets is read whole, which the quick fix writes.
          const bracket = e.fieldCut && cutLabelBracket(prefix + condText, e.span.start, e.fieldCut.field, 'condition');
          sink.report(Code.ConditionSyntax, docSpan(e.span), `Condition syntax: ${e.message}.${bracket ? ` In brackets Falco reads the whole argument: ${bracket.bracketForm}.` : ''}`, bracket);
        }
      });
      const facts = factsOf(parse);
      for (let i = 0; i < facts.macroRefs.length; i++) {
        const m = facts.macroRefs[i];
        if (defs.macros.has(m.name) || (prefix && m.span.start < prefix.length)) continue;
        // A list's name: Falco pastes the list there and never reads a macro (reportListNamesElsewhere).
        if (defs.lists.has(m.name) || load.final.lists.has(m.name)) continue;
        // A macro only a later file defines: Falco compiles the macros and rules collected so far after each file
        // (falco_engine.cpp 0.44.0 load_rules; resolve_macros in rule_loader_compiler.cpp finds the macro nowhere
        // then), so this file fails to load whatever later files bring.
        const later = laterDefinition(load, file, load.final.macros.get(m.name));
        if (later) {
          reporter.report(Code.UndefinedMacro, docSpan(m.span), `Undefined macro '${m.name}' used in filter. Falco compiles each file's rules and macros when it loads the file, and '${m.name}' is defined only later, at ${lineText(later.file, later.item.span.start, file)}. Define it in this file or a file loaded before it.`, { suggestions: [] });
          continue;
        }
        // A macro item of the name that Falco refuses defines nothing, but its error is the one Falco says: fixed, it
        // defines the name.
        if (refusedMacro(load, file, m.name)) continue;
        const official = officialDefinition('macro', m.name);
        if (official) {
          reporter.report(Code.UndefinedMacro, docSpan(m.span), `Undefined macro '${m.name}' used in filter. ${officialFileHint('macro', m.name, official)}`, { suggestions: [], official });
          continue;
        }
        const suggestions = (macroSuggestions ??= suggester(defs.macros, undefined))(m.name);
        reporter.report(Code.UndefinedMacro, docSpan(m.span), `Undefined macro '${m.name}' used in filter.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : ''}`, { suggestions });
      }
      for (let i = 0; i < facts.listRefs.length; i++) {
        const l = facts.listRefs[i];
        if (defs.lists.has(l.text) || !l.text.includes('_') || l.text.length < 6) continue;
        // A list a later file defines is pasted in when Falco compiles this text again after that file (parse_condition
        // substitutes every list collected so far, rule_loader_compiler.cpp 0.44.0): the name is no literal then.
        if (laterDefinition(load, file, load.final.lists.get(l.text))) continue;
        const officialList = officialDefinition('list', l.text);
        if (officialList) {
          reporter.report(Code.UnknownList, docSpan(l.span), `'${l.text}' is not a defined list, so Falco Lens reads it as the literal string. ${officialFileHint('list', l.text, officialList)}`, { suggestions: [], official: officialList });
          continue;
        }
        const suggestions = (listSuggestions ??= suggester(defs.lists, 2))(l.text);
        if (suggestions.length) reporter.report(Code.UnknownList, docSpan(l.span), `'${l.text}' is not a defined list, so Falco compares with the literal string. Did you mean the list '${suggestions[0]}'?`, { suggestions });
      }
      reportListNamesAsValues(prefix + condText, facts, defs, load.final, docSpan, reporter);
      reportListNamesInStrings(prefix + condText, facts, defs, load.final, docSpan, reporter);
      reportListNamesElsewhere(prefix + condText, prefix.length, parse, facts, defs, load.final, docSpan, reporter);
      run(item, 'condition-fields', fieldContext + reading, (sink) => checkConditionFields(facts, fieldCtx(sink, 'condition'), docSpan));
      // Warnings of libsinsp's compiler on constant values: they read the loaded lists, so they are not recorded.
      reportCompileWarnings(parse, source, defs.lists, docSpan, reporter);
      if (!isRule || source === 'syscall') checkEventTypeNames(facts, defs, skipUnknown, docSpan, reporter, laterList);
      if (isRule && source === 'syscall' && isDefinitionItem(item)) {
        const rule = item.name !== undefined ? defs.rules.get(item.name) : undefined;
        const warn = boolKey(item, 'warn_evttypes') ?? rule?.warnEvttypes ?? true;
        // Falco counts the codes of the condition it compiles: the effective condition and the rule's exceptions.
        const verdict = eventTypeVerdict(rule?.condition ?? condText, rule ? ruleExceptionValues(rule) : exceptionValues(item), defs, warn);
        if (verdict) reportEventTypeVerdict(verdict, cond().entry.keySpan, item.name, false, reporter);
        if (rule && verdict?.kind !== 'unsupported') checkLaterFilesEventCodes(rule, verdict, file, load, () => cond().entry.keySpan, reporter);
      }
    }

    if (isRule) {
      run(item, 'output-exceptions', fieldContext, (sink) => {
        const output = entryOf(item, 'output')?.value;
        // An `append: true` item's output is never read (validate.ts: append-key-ignored).
        if (output?.kind === 'scalar' && typeof output.value === 'string' && output.text !== '' && !isLegacyAppend(item)) checkOutput(output, fieldCtx(sink, 'output'), sink);
        // Falco checks exception fields only against a source it has (rule_loader_collector.cpp 0.44.0 define and
        // validate_exception_info: a null source for a rule of an unknown source skips the check).
        if (source === undefined || KNOWN_SOURCES.includes(source)) checkExceptionFields(item, fieldCtx(sink, 'exception'));
      });
      const sourceText = scalarText(entryValue(item, 'source'));
      // An empty source is no source a rule is loaded with (a new rule's is refused, validate.ts; an override's is read as none).
      if (sourceText !== undefined && sourceText !== '') checkSource(sourceText, () => entryOf(item, 'source')!.value!.span, pluginNames ??= requiredPluginsUpTo(load, file.order), reporter);
      if (source === 'syscall') {
        checkExceptionEventTypeNames(item, item.name !== undefined ? defs.rules.get(item.name) : undefined, defs, skipUnknown, reporter);
        if (!isDefinitionItem(item)) checkOverrideEventTypes(item, file, load, defs, reporter);
      }
      if (entryValue(item, 'exceptions')?.kind === 'seq') {
        checkExceptionListNames(item, item.name !== undefined ? defs.rules.get(item.name) : undefined, defs, load.final, reporter);
        checkExceptionFrameListNames(item, item.name !== undefined ? defs.rules.get(item.name) : undefined, defs, load.final, reporter);
      }
      if (source === undefined || KNOWN_SOURCES.includes(source)) {
        // Judged on the item's values first: its nodes are read only when there is something to report.
        const rule = item.name !== undefined ? defs.rules.get(item.name) : undefined;
        const probe = new FindingProbe();
        checkExceptionOperators(entryValue(item, 'exceptions'), rule && ruleExceptionValues(rule), source, probe);
        if (probe.found) checkExceptionOperators(entryOf(item, 'exceptions')?.value, rule && ruleExceptions(rule), source, reporter);
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

/** Whether a table's names are `names`, in order (without building a string of them). */
function sameNames(names: readonly string[], table: ReadonlyMap<string, unknown>): boolean {
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
    fieldInfos[i] = checkField(matches[i], f.name, f.arg?.text, () => docSpan(f.nameSpan), ctx, f.arg && (() => docSpan(f.arg!.span)));
  });
  facts.compares.forEach((e, c) => {
    const lhs = e.lhs;
    if (lhs.kind !== 'field') return;
    const info = lhsIndex[c] >= 0 ? fieldInfos[lhsIndex[c]] : undefined;
    if (info) {
      // evt.rawarg.<name> is compared as its event argument's type, not the catalog's DYN (operators.ts).
      const rawarg = info.name === 'evt.rawarg' && !lhs.arg ? matches[lhsIndex[c]]?.arg : undefined;
      const reason = rawarg !== undefined ? rawargNameRejection(e.op, rawarg) : operatorRejection(e.op, info.type, !!info.isList);
      if (reason) ctx.reporter.report(Code.OperatorType, docSpan(e.opSpan), `Operator '${e.op}' cannot be used with '${rawarg !== undefined ? `evt.rawarg.${rawarg}` : info.name}': ${reason}.`);
    }
    if ((lhs.name.startsWith('ka.') || lhs.name.startsWith('jevt.')) && NA_OPERATORS.has(e.op)) {
      const rhs = e.rhs;
      const hasNa = rhs?.kind === 'literal' ? rhs.text === '<NA>' : rhs?.kind === 'list' ? rhs.items.some((i) => i.text === '<NA>') : false;
      if (hasNa) ctx.reporter.report(Code.UnsafeNaCheck, docSpan(e.span), `Comparing '${lhs.name}' with <NA> is unsafe: <NA> also matches a missing value. Use 'exists' (or 'not ... exists') instead.`);
    }
  });
}

/**
 * The condition Falco compiles after this file for the rule or macro `def` when `item`'s condition is one of several
 * pieces of it, with where the item's text starts in it: Falco's collector joins an appended condition to the one
 * before with a blank (rule_loader_collector.cpp 0.37.0:208-209 and 263-264, 0.44.0:201-202 and 247-248), and compiles
 * the joined text after each file (falco_engine.cpp load_rules). Undefined for a single piece, when the pieces
 * read back here do not give the loaded condition, or when the pieces of earlier files do not parse together.
 */
function joinedCondition(item: ModelItem, def: RuleDef | MacroDef | undefined, file: LoadedFile): { text: string; at: number } | undefined {
  if (def?.condition === undefined || def.contributions.length < 2) return undefined;
  let pieces: ModelItem[] = [];
  let earlier = 0;
  for (const c of def.contributions) {
    if (conditionText(c.item) === undefined) continue;
    const override = c.mode === 'override' ? entryValue(c.item, 'override') : undefined;
    const op = c.mode === 'append-legacy' ? 'append'
      : c.mode === 'define' || c.mode === 'redefine' ? 'replace'
      : override?.kind === 'map' ? scalarText(override.entries.find((e) => e.key === 'condition')?.value) : undefined;
    if (op === 'append') pieces.push(c.item);
    else if (op === 'replace') pieces = [c.item];
    else continue;
    if (c.file !== file) earlier = pieces.length;
  }
  const k = pieces.indexOf(item);
  if (pieces.length < 2 || k < 0) return undefined;
  const texts = pieces.map((p) => conditionText(p)!);
  const text = texts.join(' ');
  if (text !== def.condition) return undefined;
  // The pieces of earlier files were compiled alone after their files: a text they leave open fails there first,
  // and this file's piece that closes it stays wrong once that is fixed.
  if (earlier > 0 && parseConditionCached(texts.slice(0, earlier).join(' ')).errors.length > 0) return undefined;
  let at = 0;
  for (let i = 0; i < k; i++) at += texts[i].length + 1;
  return { text, at };
}

/**
 * The fields of a joined condition (joinedCondition) that start in the item's piece (`length` characters at
 * `joined.at`) and end past it: a field whose bracket argument, quoted with a blank, an append finishes
 * (`k8s.pod.label["app` and then `name"] = x`). Checked as Falco compiles them; `docSpan` maps an offset of the
 * item's text, and the finding covers the part in the item.
 */
function checkFieldsAcrossPieces(parse: ConditionParse, joined: { text: string; at: number }, length: number, ctx: FieldProblemContext, docSpan: (s: Span) => Span): void {
  const facts = factsOf(parse);
  const end = joined.at + length;
  const inPiece = (s: Span) => docSpan({ start: Math.min(length, Math.max(0, s.start - joined.at)), end: Math.min(length, Math.max(0, s.end - joined.at)) });
  const { matches } = fieldMatches(facts);
  facts.fields.forEach((f, i) => {
    if (f.kind !== 'field' || f.span.start < joined.at || f.span.start >= end || f.span.end <= end) return;
    checkField(matches[i], f.name, f.arg?.text, () => inPiece(f.nameSpan), ctx, f.arg && (() => inPiece(f.arg!.span)));
  });
}

/** Stands for the previous condition when an appended fragment is parsed (an identifier no rules file uses). */
const APPEND_STAND_IN = 'falcolensPreviousCondition';

/** The item's exceptions as values (itemValues: for what they say, not where). */
function exceptionValues(item: ModelItem): ModelNode[] {
  const v = entryValue(item, 'exceptions');
  return v?.kind === 'seq' ? v.items : [];
}

/** A sink that only notes whether anything was reported (a check run on values, before its nodes are read). */
class FindingProbe implements ReportSink {
  found = false;
  report(): void { this.found = true; }
}

/**
 * The event codes of a syscall rule whose exceptions an override in a later file changes. Falco compiles every rule
 * again after each file, with the exceptions gathered so far, while the definition's own finding uses the
 * definitions up to its file; so the override gets the finding when, with its exceptions, Falco concludes something
 * it did not before that file. Once per file (on the file's last change to the rule), and not for overrides that
 * also append to the condition: the no-evttype quick fix edits an item's condition, which there is a fragment.
 */
function checkOverrideEventTypes(item: ModelItem, file: LoadedFile, load: LoadResult, defs: Definitions, reporter: ReportSink): void {
  // An override of the condition gets the runtime error only (evt.type in a transformer makes Falco exit whatever
  // file brings it); the too-many finding stays with exception overrides, as said above.
  const condition = entryOf(item, 'condition');
  const exceptions = condition ? undefined : entryOf(item, 'exceptions');
  const at = condition ?? exceptions;
  if (!at || item.name === undefined) return;
  const rule = defs.rules.get(item.name);
  if (rule?.condition === undefined) return;
  let last: Contribution | undefined;
  for (const c of rule.contributions) {
    if (c.file !== file) continue;
    if (c.mode === 'define' || c.mode === 'redefine') return;
    last = c;
  }
  if (last?.item !== item) return;
  const now = eventTypeVerdict(rule.condition, ruleExceptionValues(rule), defs, rule.warnEvttypes);
  if (!now) return;
  const before = file.order > 0 ? load.after[file.order - 1] : undefined;
  const previous = before?.rules.get(item.name);
  const then = previous?.condition !== undefined ? eventTypeVerdict(previous.condition, ruleExceptionValues(previous), before!, previous.warnEvttypes) : undefined;
  if (then && sameVerdict(then, now)) return;
  if (condition && now.kind !== 'unsupported') return;
  reportEventTypeVerdict(now, at.keySpan, item.name, true, reporter);
}

/**
 * The event codes of a syscall rule as later files leave the macros and lists it uses. Falco compiles after each file
 * it reads, everything collected so far (falco_engine.cpp 0.44.0 load_rules: reader, then compiler.compile), so a rule
 * of an earlier file is compiled again with the macro and list texts of each later file (compile_rule_infos,
 * rule_loader_compiler.cpp): a later file's redefinition, override or append of a macro the rule reaches can make
 * ppm_event_codes throw (Falco exits while it loads that file) or make the rule match too many codes (LOAD_NO_EVTTYPE,
 * warned on the rule while that file loads). The rule's own verdict (with its file's definitions) is said already; a
 * new verdict is said on the same rule, naming the later item that brings it. The walk stops at the first file that
 * changes the rule itself (its overrides are checked on the override: checkOverrideEventTypes; a redefinition
 * replaces the text) or after which Falco would have stopped. Files that change none of the macros and lists the
 * rule's codes looked up (its memo's lookups) keep the verdict and cost one comparison per name.
 */
function checkLaterFilesEventCodes(rule: RuleDef, verdict: EventTypeVerdict | undefined, file: LoadedFile, load: LoadResult, span: () => Span, reporter: ReportSink): void {
  const files = load.files;
  if (file.order >= files.length - 1 || files[file.order] !== file || rule.condition === undefined) return;
  const compiled = conditionWithExceptions(rule.condition, ruleExceptionValues(rule));
  if (compiled === undefined) return;
  let result = conditionEventCodes(compiled, load.after[file.order]);
  let last = verdict;
  for (let k = file.order + 1; k < files.length && result && result.unknownNames === 0; k++) {
    const defs = load.after[k];
    if (defs.rules.get(rule.name) !== rule) return;
    const changed = firstChangedLookup(result, load, k);
    if (!changed) continue;
    // A macro undefined with the rule's own file fails that file ("Undefined macro"): Falco never gets further.
    if (last === verdict && usesUndefinedMacro(result)) return;
    result = conditionEventCodes(compiled, defs);
    const now = eventTypeVerdict(rule.condition, ruleExceptionValues(rule), defs, rule.warnEvttypes);
    if (now && !(last && sameVerdict(last, now))) reportEventTypeVerdict(now, span(), rule.name, false, reporter, { cause: changed, file });
    last = now;
    if (now?.kind === 'unsupported') return;
  }
}

/** Whether an event-code walk met a macro that was not defined (at any depth). */
function usesUndefinedMacro(result: EventCodesResult): boolean {
  const seen = new Set<EventCodesResult>();
  const visit = (r: EventCodesResult): boolean => {
    if (seen.has(r)) return false;
    seen.add(r);
    return r.deps.some((d) => (d.macro && d.content === undefined) || (d.result !== undefined && visit(d.result)));
  };
  return visit(result);
}

/** sameItems of two lists' items, remembered per pair of arrays (a list's items are its recipe's array across loads). */
const sameItemsMemo = new WeakMap<readonly string[], WeakMap<readonly string[], boolean>>();
function sameItemsMemoized(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  let byB = sameItemsMemo.get(a);
  if (!byB) sameItemsMemo.set(a, byB = new WeakMap());
  let same = byB.get(b);
  if (same === undefined) byB.set(b, same = sameItems(a, b));
  return same;
}

/** The macro and list names a file defines, appends to or overrides (memoized per model: unchanged files keep theirs). */
const namesByModel = new WeakMap<RulesFileModel, Set<string>>();
function namesDefinedIn(model: RulesFileModel): Set<string> {
  let names = namesByModel.get(model);
  if (!names) {
    names = new Set();
    const items = model.items;
    for (let i = 0; i < items.length; i++) if ((items[i].kind === 'macro' || items[i].kind === 'list') && items[i].name !== undefined) names.add(items[i].name!);
    namesByModel.set(model, names);
  }
  return names;
}

/**
 * Whether file `k` of the load changes macro or list `name` in what event codes read: a macro's condition text, a
 * list's items, or where a list that names lists sits in Falco's order (its visibility decides which it expands,
 * compiledListItems). The official files repeat many of falco_rules.yaml's macros and lists word for word: those change
 * nothing. Memoized per load and file.
 */
const changedByFileMemo = new WeakMap<LoadResult, Map<string, boolean>[]>();
function changedByFile(load: LoadResult, k: number, name: string): boolean {
  let byFile = changedByFileMemo.get(load);
  if (!byFile) changedByFileMemo.set(load, byFile = []);
  const known = byFile[k] ??= new Map();
  let changed = known.get(name);
  if (changed === undefined) {
    const before = load.after[k - 1];
    const after = load.after[k];
    const macro = after.macros.get(name);
    const list = after.lists.get(name);
    const then = before.lists.get(name);
    changed = (macro !== undefined && macro !== before.macros.get(name) && macro.condition !== before.macros.get(name)?.condition)
      || (list !== undefined && list !== then && (!then || !sameItemsMemoized(list.items, then.items)
        || (listVisibility(list) !== listVisibility(then) && list.items.some((item) => after.lists.has(item)))));
    known.set(name, changed);
  }
  return changed;
}

/**
 * The names an event-code result looked up (with those of the macro results it holds, at any depth) that a file
 * defines. Results are kept by text and models by file, so this is remembered per pair: a macro's part is shared by
 * every condition using it, and an edit rebuilds it only for the results the edit made new. Stored results hold no
 * cycle (macroEventCodes keeps a result only when its walk met none), so the recursion ends.
 */
const NO_NAMES: readonly string[] = Object.freeze([]);
const lookedUpAndDefinedMemo = new WeakMap<EventCodesResult, WeakMap<RulesFileModel, readonly string[]>>();
function lookedUpAndDefinedIn(result: EventCodesResult, model: RulesFileModel): readonly string[] {
  let byModel = lookedUpAndDefinedMemo.get(result);
  if (!byModel) lookedUpAndDefinedMemo.set(result, byModel = new WeakMap());
  let out = byModel.get(model);
  if (!out) {
    const here = namesDefinedIn(model);
    let names: string[] | undefined;
    const deps = result.deps;
    for (let i = 0; i < deps.length; i++) {
      const d = deps[i];
      if (here.has(d.name) && !names?.includes(d.name)) (names ??= []).push(d.name);
      if (!d.result) continue;
      const inner = lookedUpAndDefinedIn(d.result, model);
      for (let k = 0; k < inner.length; k++) if (!names?.includes(inner[k])) (names ??= []).push(inner[k]);
    }
    out = names ?? NO_NAMES;
    byModel.set(model, out);
  }
  return out;
}

/**
 * The first macro or list among the lookups of `result` (and of the macro results it holds, at any depth) that file `k`
 * of the load changes (changedByFile), with the last contribution to it then. Only names the file defines are
 * compared: for most rules and files, a set lookup per name.
 */
function firstChangedLookup(result: EventCodesResult, load: LoadResult, k: number): Contribution | undefined {
  const model = load.files[k].model;
  const here = namesDefinedIn(model);
  let any = false;
  for (const name of lookedUpAndDefinedIn(result, model)) if (changedByFile(load, k, name)) { any = true; break; }
  if (!any) return undefined;
  const after = load.after[k];
  const seen = new Set<EventCodesResult>();
  const visit = (r: EventCodesResult): Contribution | undefined => {
    if (seen.has(r)) return undefined;
    seen.add(r);
    for (const d of r.deps) {
      if (here.has(d.name) && changedByFile(load, k, d.name)) {
        const now: MacroDef | ListDef | undefined = d.macro ? after.macros.get(d.name) : after.lists.get(d.name);
        if (now) return now.contributions[now.contributions.length - 1];
      }
      const inner = d.result && visit(d.result);
      if (inner) return inner;
    }
    return undefined;
  };
  return visit(result);
}

function sameVerdict(a: EventTypeVerdict, b: EventTypeVerdict): boolean {
  if (a.kind === 'too-many') return b.kind === 'too-many' && a.problem === b.problem;
  return b.kind === 'unsupported' && a.compare.reason === b.compare.reason && a.compare.macro === b.compare.macro && a.inException === b.inException;
}

/** A new definition (not an override, an `append: true` or a standalone `enabled`). */
function checkOutput(node: ScalarNode, ctx: FieldProblemContext, reporter: ReportSink): void {
  const parse = parseOutputCached(node.text);
  const span = (s: Span) => scalarMap(node).span(s.start, s.end);
  for (const e of parse.errors) {
    // A '%' that no field follows: "invalid formatting token" (Falco 0.37-0.43) or "unknown filter:" (0.44), which
    // skip-if-unknown-filter covers at every release (knowledge OUTPUT_FORMATTER).
    if (e.noField) reportUnknownFilter(reporter, ctx.skipIfUnknownFilter, Code.OutputSyntax, span(e.span), `Output: ${e.message}.`, undefined, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
    else if (e.openTransformer) reportOpenTransformer(reporter, ctx.skipIfUnknownFilter, span(e.span), `Output: ${e.message}.`, openTransformerReading(node.text, e.span.start, `Output: ${e.message}.`));
    else reporter.report(Code.OutputSyntax, span(e.span), `Output: ${e.message}.`);
  }
  const matches = outputFieldMatches(parse);
  parse.fields.forEach((f, i) => {
    if (f.name === 'container.info') {
      reporter.report(Code.DeprecatedContainerInfo, span(f.span), `'%container.info' is deprecated: list the container fields you need (e.g. container_id=%container.id container_name=%container.name) or rely on the container plugin's suggested output fields.`);
      return;
    }
    // Findings on the argument of a field whose bracket Falco 0.44 does not read say so: older targets read it otherwise.
    const unreadBracket = f.unreadArg ? { field: f, output: node.text } : undefined;
    const fieldCtx = unreadBracket ? { ...ctx, reporter: withUnreadBracket(reporter, unreadBracket) } : ctx;
    const info = checkField(matches[i], f.name, f.arg?.text, () => span(f.nameSpan), fieldCtx, f.arg && (() => span(f.arg!.span)), () => node.text.slice(f.nameSpan.start));
    if (f.textAfter && info && printsTextAfter(f)) {
      const options: OutputReadOptions = { severity: 2, load: null, printsField: f.name };
      reporter.report(Code.OutputSyntax, span(f.textAfter.span), textAfterMessage(f.name, f.textAfter.text), undefined, options);
    }
    // A field that needs its argument does not compile without it: "needs an argument" says it (checkField).
    if (f.unreadArg && !info?.arg?.required) {
      reporter.report(Code.FieldArgument, span(f.unreadArg.span), unreadArgMessage(f), undefined, { severity: 2, load: null, unreadBracket } as OutputReadOptions);
    }
  });
}

/** `sink`, with the field's unread bracket added to the options of argument findings (the reporter of an older target reads it). */
function withUnreadBracket(sink: ReportSink, unreadBracket: NonNullable<OutputReadOptions['unreadBracket']>): ReportSink {
  return {
    report(code, span, message, data, options) {
      sink.report(code, span, message, data, code === Code.FieldArgument ? { ...options, unreadBracket } as OutputReadOptions : options);
    },
  };
}

function checkExceptionFields(item: ModelItem, itemCtx: FieldProblemContext): void {
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq') return;
  const replaced = replacesExceptions(item);
  for (const ex of exceptions.items) {
    if (ex.kind !== 'map') continue;
    const ctx = replaced ? replacedExceptionContext(itemCtx, ex) : itemCtx;
    const fields = ex.entries.find((e) => e.key === 'fields')?.value;
    const nodes = fields?.kind === 'seq' ? fields.items : fields ? [fields] : [];
    for (const n of nodes) {
      if (n.kind !== 'scalar' || typeof n.value !== 'string') continue;
      // Falco pastes the field into the rule's condition as text, so a transformer works too (`tolower(proc.name)`,
      // Falco's loader test exceptions_fields_transformer): its fields are checked as a condition's.
      if (checkExceptionTransformer(n, ctx)) continue;
      // An exception field is a field reference, possibly with an argument.
      const m = /^([^[\s]+)(?:\[(.*)\])?$/.exec(n.text.trim());
      if (!m) continue;
      const lead = n.text.length - n.text.trimStart().length;
      const argStart = lead + m[1].length + 1;
      const info = checkField(lookupFieldCached(m[2] !== undefined ? `${m[1]}[${m[2]}]` : m[1]), m[1], m[2], () => scalarMap(n).span(lead, lead + m[1].length), ctx,
        m[2] !== undefined ? () => scalarMap(n).span(argStart, argStart + m[2].length) : undefined);
      // A key argument (an index takes no blank anyway, and other checks judge it) with blanks and no quotes.
      const keyArgument = info?.arg !== undefined && info.arg.kind !== 'index' && !(info.arg.kind === 'index-or-key' && info.arg.dotForm === true);
      if (m[2] !== undefined && keyArgument && hasValues(ex) && /\s/.test(m[2]) && !/["'[\]]/.test(m[2])) {
        // libsinsp's filter parser reads an unquoted argument as RGX_FIELDARGBARESTR (filter/parser.cpp libs 0.25.2), no
        // blank; the collector's field check (is_valid_lhs_field: new_filtercheck reads a key up to ']', falco_source.h
        // 0.44.0) accepts it, so it fails only in the condition build_rule_exception_infos pastes it into.
        itemCtx.reporter.report(Code.FieldArgument, scalarMap(n).span(argStart, argStart + m[2].length),
          `Falco pastes exception fields into the rule's condition as written, where libsinsp's filter parser reads an unquoted bracket argument only up to a blank, and the condition fails to parse. Quote the argument: ${m[1]}["${m[2]}"].`);
      }
    }
  }
}

function hasValues(ex: MapNode): boolean {
  const values = mapValue(ex, 'values');
  return values?.kind === 'seq' && values.items.length > 0;
}

/**
 * Exception comparisons against their fields' types. Falco pastes each exception with values into the rule's condition
 * as `field comp value` (rule_loader_compiler.cpp 0.44.0, build_rule_exception_infos), so libsinsp's operator check
 * (filter.cpp check_op_type_compatibility, libs 0.25.2) fails the rule as it does in a condition: operator-type,
 * LOAD_ERR_COMPILE_CONDITION. An exception without values adds nothing to the condition and is not checked by Falco.
 * Missing comps are 'in' for a single field and '=' for each of a list of fields (rule_loader_collector.cpp
 * validate_exception_info): the finding is then on the field. An exception that appends values to an earlier one of
 * the same name uses that one's fields and comps; its name gets the finding when no earlier part of that exception
 * had values (otherwise Falco already failed on them, and the earlier item has the finding).
 * Fields written as transformer calls, fields of other sources and comps that validate.ts refuses are not judged here.
 * `own`: the item's exceptions, `ofRule`: the rule's (ruleExceptions), both nodes or both values (ruleExceptionValues).
 */
function checkExceptionOperators(own: ModelNode | undefined, ofRule: readonly ModelNode[] | undefined, source: string | undefined, reporter: ReportSink): void {
  if (own?.kind !== 'seq') return;
  const firstOwn = ofRule ? ofRule.indexOf(own.items[0]) : -1;
  const hasValues = (ex: ModelNode | undefined) => {
    const values = ex?.kind === 'map' ? mapValue(ex, 'values') : undefined;
    return values?.kind === 'seq' && values.items.length > 0;
  };
  for (const ex of own.items) {
    if (ex.kind !== 'map' || !hasValues(ex)) continue;
    const name = scalarText(mapValue(ex, 'name'));
    let shape: MapNode = ex;
    let appendedAt: Span | undefined;
    if (!mapValue(ex, 'fields')) {
      // Values of identical texts may be one node (model.ts itemValues), so a probe on values cannot tell the item's
      // own exceptions from an earlier item's: the check runs on the nodes.
      if (reporter instanceof FindingProbe) { reporter.found = true; return; }
      // Appending to an earlier exception of this name (validate.ts reports one without fields that is not).
      if (!ofRule || firstOwn < 0 || name === undefined) continue;
      const earlier = ofRule.slice(0, firstOwn).filter((e): e is MapNode => e.kind === 'map' && scalarText(mapValue(e, 'name')) === name);
      const defining = earlier.find((e) => mapValue(e, 'fields') !== undefined);
      if (!defining || earlier.some(hasValues)) continue;
      shape = defining;
      appendedAt = mapValue(ex, 'name')!.span;
    }
    const fields = mapValue(shape, 'fields');
    const comps = mapValue(shape, 'comps');
    const pairs: { field: ScalarNode; comp: ScalarNode | undefined; op: string }[] = [];
    if (fields?.kind === 'scalar') {
      if (comps && comps.kind !== 'scalar') continue;
      pairs.push({ field: fields, comp: comps, op: comps ? comps.text : 'in' });
    } else if (fields?.kind === 'seq') {
      if (comps && (comps.kind !== 'seq' || comps.items.length !== fields.items.length)) continue;
      fields.items.forEach((f, k) => {
        const c = comps?.kind === 'seq' ? comps.items[k] : undefined;
        if (f.kind === 'scalar' && (!comps || c?.kind === 'scalar')) pairs.push({ field: f, comp: c as ScalarNode | undefined, op: c ? (c as ScalarNode).text : '=' });
      });
    }
    for (const { field, comp, op: compText } of pairs) {
      if (typeof field.value !== 'string') continue;
      // A comp is an operator, or a string operator and a modifier (`startswith oneof`); others are validate.ts's.
      const words = String(compText).trim().split(/\s+/);
      if (words.length > 2 || !operatorInfo(words[0]) || (words.length === 2 && !OPERATOR_MODIFIERS.some((m) => m.name === words[1]))) continue;
      const m = /^([^[\s(]+)(?:\[(.*)\])?$/.exec(field.text.trim());
      if (!m) continue;
      const match = lookupFieldCached(m[2] !== undefined ? `${m[1]}[${m[2]}]` : m[1]);
      const info = match?.field;
      // Unknown fields and fields of another source are reported by checkExceptionFields.
      if (!info || (source !== undefined && !(info.sources as string[]).includes(source))) continue;
      const rawarg = info.name === 'evt.rawarg' && m[2] === undefined ? match.arg : undefined;
      const reason = rawarg !== undefined ? rawargNameRejection(words[0], rawarg) : operatorRejection(words[0], info.type, !!info.isList);
      if (!reason) continue;
      const fieldName = rawarg !== undefined ? `evt.rawarg.${rawarg}` : info.name;
      const lead = field.text.length - field.text.trimStart().length;
      const at = appendedAt ?? comp?.span ?? scalarMap(field).span(lead, lead + field.text.trim().length);
      const how = comp ? '' : fields?.kind === 'scalar' ? ' (the comp of a single field when comps is not given)' : ' (the comp of each field when comps is not given)';
      const whose = appendedAt ? ` (exception '${name}' compares it so; this item adds its first values)` : '';
      reporter.report(Code.OperatorType, at, `Operator '${words.join(' ')}'${how} cannot be used with '${fieldName}': ${reason}.${whose}`);
    }
  }
}

/** Checks the fields inside an exception field written as a transformer call; false when it is not one. */
/** Whether the rule item's exceptions replace the rule's ('override: exceptions: replace': the collector's selective_replace). */
export function replacesExceptions(item: ModelItem): boolean {
  const override = entryOf(item, 'override')?.value;
  return override?.kind === 'map' && override.entries.some((e) => e.key === 'exceptions' && scalarText(e.value) === 'replace');
}

/**
 * How the fields of an exception that 'override: exceptions: replace' brings are judged. The collector's
 * selective_replace copies such exceptions without validate_exception_info (rule_loader_collector.cpp 0.44.0), so no
 * field is checked when the item is read (no LOAD_ERR_VALIDATE). Falco meets the field only when compile_rule_infos
 * pastes the exception's values into the rule's condition (build_rule_exception_infos, rule_loader_compiler.cpp), and
 * libsinsp's filter compiler then fails on it as on a condition's field (LOAD_ERR_COMPILE_CONDITION, or the rule is
 * skipped under skip-if-unknown-filter). An exception without values is never pasted: Falco says nothing, a warning.
 */
export function replacedExceptionContext(ctx: FieldProblemContext, ex: MapNode): FieldProblemContext {
  const values = mapValue(ex, 'values');
  const pasted = values?.kind === 'seq' && values.items.length > 0;
  const inner = ctx.reporter;
  const note = pasted
    ? "Falco does not check the fields of exceptions an 'override: exceptions: replace' brings when it reads them; it fails on this one when it pastes the exception's values into the rule's condition."
    : "Not checked by Falco yet: it does not check the fields of exceptions an 'override: exceptions: replace' brings when it reads them, and pastes an exception into the rule's condition only with values. It will reject the condition then.";
  const reporter: ReportSink = {
    report(code, span, message, data, options) {
      inner.report(code, span, `${message} ${note}`, data, pasted ? options : { ...options, severity: 2, load: null });
    },
  };
  return { ...ctx, reporter, where: 'condition', skipIfUnknownFilter: pasted && ctx.skipIfUnknownFilter };
}

function checkExceptionTransformer(n: ScalarNode, ctx: FieldProblemContext): boolean {
  const text = n.text.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(text)) return false;
  const parse = parseConditionCached(`${text} exists`);
  if (parse.errors.length > 0 || parse.ast?.kind !== 'compare' || parse.ast.lhs.kind !== 'transformer') return false;
  const lead = n.text.length - n.text.trimStart().length;
  const at = (s: Span) => scalarMap(n).span(lead + s.start, lead + s.end);
  const facts = factsOf(parse);
  const { matches } = fieldMatches(facts);
  facts.fields.forEach((f, i) => {
    if (f.kind === 'field') checkField(matches[i], f.name, f.arg?.text, () => at(f.nameSpan), ctx, f.arg && (() => at(f.arg!.span)));
  });
  return true;
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

function checkSource(source: string, spanOf: () => Span, plugins: Set<string>, reporter: ReportSink): void {
  if (!KNOWN_SOURCES.includes(source)) {
    const suggestions = closestNames(source, KNOWN_SOURCES, 3, 2);
    const span = spanOf();
    if (suggestions.length) reporter.report(Code.UnknownSource, span, `Unknown source '${source}'. Did you mean '${suggestions[0]}'? Falco skips rules of unknown sources.`, { suggestions }, { severity: 2 });
    else reporter.report(Code.UnknownSource, span, `Source '${source}' is not known here; Falco loads the rule only when a plugin providing '${source}' is loaded.`);
    return;
  }
  const providers = PLUGIN_SOURCES[source];
  if (providers && !providers.some((p) => plugins.has(p))) {
    reporter.report(Code.MissingPluginRequirement, spanOf(), `Rules of source '${source}' need the ${providers[0]} plugin; no loaded rules file declares it under required_plugin_versions.`, { plugin: providers[0] });
  }
}
