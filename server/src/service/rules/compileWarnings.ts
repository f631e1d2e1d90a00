// The warnings of libsinsp's filter compiler (LOAD_COMPILE_CONDITION), rebuilt over the condition syntax tree.
//
// When Falco compiles a rule's condition (macros, lists and exceptions expanded), libsinsp looks at every constant
// value compared with a field (libs 0.25.2, filter.cpp, check_value_and_add_warnings) and warns when:
// - the operator is `regex` and the value has no regex syntax except an anchor (^ first, $ last) and an "any
//   characters" wildcard (.*, .+ or .?) as its first or last two characters: a simpler operator would do;
// - the value, with every blank removed, is a name the field factory of the rule's source accepts: the author probably
//   meant val(field);
// - the value, with every blank removed, is `name(...)` for a transformer name (val included).
// A value written as val(...) or a transformer is a field, not a constant, and is not looked at. Quoted values are
// looked at as well (libsinsp sees them unquoted). The three checks are independent: one value may get several.
//
// Where the warnings go: libsinsp gives the position of the comparison's right-hand side. A macro's tree keeps the
// positions of the macro's own text when Falco substitutes it into a rule, so a value written in a macro is reported
// once, on the macro (Falco repeats it for each rule that uses the macro, at a position taken from the macro's text).
// A value that comes from a list is reported on the list's name where the condition uses it (where Falco puts it),
// naming the list's item.
//
// Pure functions over a parsed condition; what depends on the rule's source and on the loaded lists is applied per
// call, from facts computed once per parse.
import type { ConditionParse, Expr, FieldExpr, Literal, Span } from './conditionAst';
import { lookupField, type FieldMatch, type FieldType } from '../../knowledge';
import { operatorRejection, rawargOperatorRejection, rawargType } from './operators';
import { KNOWN_SOURCES } from './schema';
import { Code } from './diagnosticCodes';
import type { ReportSink } from './validate';
import { entryOf, hasEntry, scalarText, type ModelItem, type ModelNode } from './model';
import { listIndex, listItemsInCondition, listVisibility, type OrderedList } from './workspace';
import { NOT_HEX, NUMBER_TYPES, RAW_BYTEBUF, STRING_TYPES, neverAResult, valueProblem, type ValueProblem, type ValueType } from './constantValues';

/** A comparison of the condition tree (its right-hand side holds the values looked at). */
type Compare = Extract<Expr, { kind: 'compare' }>;

/** What the filter compiler would say about one constant value, apart from the source and the lists. */
export interface ValueFacts {
  /** For a regex comparison that libsinsp warns about: the simpler comparison it stands for (op unset: none we write). */
  regex?: RegexRewrite;
  /** The catalog entry of the value read as a field name (blanks removed), when the factory would accept it. */
  field?: FieldMatch;
  /** The transformer name the value starts with, when it reads as `name(...)` (blanks removed). */
  transformer?: string;
}

/** A regex value that libsinsp says may be written with a simpler operator, and what we would write instead. */
export interface RegexRewrite {
  /** =, startswith, endswith or contains with `value`; undefined when there is no equivalent (`.+x`, `.*`). */
  op?: '=' | 'startswith' | 'endswith' | 'contains';
  value?: string;
  /** True when the rewrite matches exactly the same strings (no `.*`, which does not match a line break). */
  exact?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// The three checks on one value (as libsinsp's filter compiler does them)

const REGEX_SPECIAL = '.+*?^$()[]{}|\\';
const REGEX_OCCURRENCE = '+*?';

/**
 * libsinsp's test (check_warnings_regex_value): a regex value warns unless it has a regex special character other
 * than a leading `^`, a trailing `$`, or a `.` followed by `+`, `*` or `?` as the first two characters (the value
 * being longer than one character) or as the last two.
 */
export function regexNeedsNoRegex(v: string): boolean {
  const len = v.length;
  for (let i = 0; i < len; i++) {
    const c = v[i];
    if ((i === 0 && c === '^') || (i === len - 1 && c === '$')) continue;
    if (((i === 0 && len > 1) || i === len - 2) && c === '.' && REGEX_OCCURRENCE.includes(v[i + 1])) {
      i++;
      continue;
    }
    // A NUL also stops libsinsp's strchr test, which finds the terminator.
    if (REGEX_SPECIAL.includes(c) || c === '\u0000') return false;
  }
  return true;
}

/**
 * The simpler comparison a warned regex stands for (libsinsp matches a regex against the whole value). The value is
 * read as the scan above reads it: an optional `^` or `.X` first, an optional `$` or `.X` last, plain characters in
 * between. Only `.*` has an operator equivalent (`.+` and `.?` also count characters).
 */
function regexRewrite(v: string): RegexRewrite {
  const len = v.length;
  let start = 0;
  let end = len;
  let before: string | undefined;
  let after: string | undefined;
  if (len > 0 && v[0] === '^') start = 1;
  else if (len > 1 && v[0] === '.' && REGEX_OCCURRENCE.includes(v[1])) { before = v[1]; start = 2; }
  if (end - 1 >= start && v[len - 1] === '$') end = len - 1;
  else if (len - 2 >= start && v[len - 2] === '.' && REGEX_OCCURRENCE.includes(v[len - 1])) { after = v[len - 1]; end = len - 2; }
  const body = v.slice(start, end);
  if (body === '' || (before !== undefined && before !== '*') || (after !== undefined && after !== '*')) return {};
  if (before && after) return { op: 'contains', value: body, exact: false };
  if (before) return { op: 'endswith', value: body, exact: false };
  if (after) return { op: 'startswith', value: body, exact: false };
  return { op: '=', value: body, exact: true };
}

/** Blanks as C's isspace sees them: libsinsp removes them before the field and transformer checks. */
function withoutBlanks(v: string): string {
  return /[ \t\n\v\f\r]/.test(v) ? v.replace(/[ \t\n\v\f\r]/g, '') : v;
}

/** Transformer names libsinsp lists with val (parser::supported_field_transformers(true)). */
const TRANSFORMER_NAMES = ['val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'];

function transformerLike(stripped: string): string | undefined {
  if (!stripped.endsWith(')')) return undefined;
  for (const t of TRANSFORMER_NAMES) {
    if (stripped.length >= t.length + 2 && stripped.startsWith(t) && stripped[t.length] === '(') return t;
  }
  return undefined;
}

/**
 * The catalog entry of a value read as a field reference, when libsinsp's factory would build a check from it: the
 * whole text is one field name, with a well-formed `[argument]` or dot-form argument where the field takes one. A
 * required argument left out, or a word where a position is needed, makes libsinsp throw, which the compiler's
 * check swallows: no warning then.
 */
function fieldLike(stripped: string): FieldMatch | undefined {
  // Field names are letters, digits, '_' and '.', starting with a letter (any other start cannot be a field).
  const c = stripped.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) || !stripped.includes('.')) return undefined;
  const bracket = stripped.indexOf('[');
  if (bracket >= 0 && (!stripped.endsWith(']') || stripped.indexOf(']') !== stripped.length - 1 || bracket === stripped.length - 2)) return undefined;
  const match = lookupField(stripped);
  if (!match) return undefined;
  const field = match.field;
  if (field.arg?.required && match.arg === undefined) return undefined;
  if (match.arg !== undefined) {
    if (!field.arg) return undefined;
    // In brackets, libsinsp's own fields that take a position want a number (`evt.arg[1]`; by name: `evt.arg.flags`).
    const positional = field.arg.kind === 'index' || (field.arg.kind === 'index-or-key' && field.arg.dotForm === true);
    if (bracket >= 0 && !field.plugin && positional && !/^\d+$/.test(match.arg)) return undefined;
    // Some fields take their argument after a dot only (`thread.cgroup.cpu`; brackets are an error).
    if (bracket >= 0 && field.arg.dotOnly) return undefined;
  }
  return match;
}

const factsByValue = new Map<string, ValueFacts | null>();
const factsByRegexValue = new Map<string, ValueFacts | null>();
const VALUE_CACHE_LIMIT = 20000;

/** What libsinsp's compiler checks find on one value of a comparison (regex: whether the operator is regex). */
export function valueFacts(value: string, regex: boolean): ValueFacts | undefined {
  const cache = regex ? factsByRegexValue : factsByValue;
  let facts = cache.get(value);
  if (facts === undefined) {
    const stripped = withoutBlanks(value);
    const found: ValueFacts = {};
    if (regex && regexNeedsNoRegex(value)) found.regex = regexRewrite(value);
    const field = fieldLike(stripped);
    if (field) found.field = field;
    const transformer = transformerLike(stripped);
    if (transformer) found.transformer = transformer;
    facts = found.regex || found.field || found.transformer ? found : null;
    if (cache.size >= VALUE_CACHE_LIMIT) cache.clear();
    cache.set(value, facts);
  }
  return facts ?? undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Value errors: where a comparison's constants are parsed, and with which type (the parsing is constantValues.ts).

/**
 * The type a comparison's constants are parsed as: its left-hand field's (after its transformers), when valueError
 * may reject a constant of it.
 */
function comparedType(e: Compare): ValueType | undefined {
  const lhs = e.lhs;
  if (lhs.kind === 'field') return rejectableType(lhs.arg ? `${lhs.name}[${lhs.arg.text}]` : lhs.name, e.op);
  const transformed = transformedType(lhs);
  if (!transformed || operatorRejection(e.op, transformed.type, transformed.isList) !== undefined) return undefined;
  return NUMBER_TYPES.has(transformed.type) || STRING_TYPES.has(transformed.type) ? transformed.type : undefined;
}

/** A field expression as written, spaces aside: `proc.aname[2]`, `tolower(proc.name)`. */
function fieldExprText(e: FieldExpr): string {
  if (e.kind === 'field') return e.arg ? `${e.name}[${e.arg.text}]` : e.name;
  const args = [...e.literalArgs.map((l) => l.text), ...e.args.map(fieldExprText)];
  return `${e.name}(${args.join(', ')})${e.arg ? `[${e.arg.text}]` : ''}`;
}

/**
 * The type a field wrapped in one-argument transformers is compared as (libsinsp parses constants with the transformed
 * type): len gives UINT64; tolower, toupper and basename keep a string type, b64 a string or buffer type
 * (sinsp_filter_transformer_*.cpp transform_type). Undefined for the others and for input they refuse.
 */
function transformedType(e: FieldExpr): { type: FieldType; isList: boolean } | undefined {
  if (e.kind === 'field') {
    const field = lookupField(e.arg ? `${e.name}[${e.arg.text}]` : e.name)?.field;
    return field && field.name !== 'evt.rawarg' ? { type: field.type, isList: field.isList === true } : undefined;
  }
  if (e.args.length !== 1 || e.literalArgs.length > 0 || e.arg) return undefined;
  const inner = transformedType(e.args[0]);
  if (!inner) return undefined;
  const stringLike = inner.type === 'CHARBUF' || inner.type === 'FSPATH' || inner.type === 'FSRELPATH';
  switch (e.name) {
    case 'len': return inner.isList || stringLike || inner.type === 'BYTEBUF' ? { type: 'UINT64', isList: false } : undefined;
    case 'tolower': case 'toupper': case 'basename': return stringLike ? inner : undefined;
    case 'b64': return inner.type === 'CHARBUF' || inner.type === 'BYTEBUF' ? inner : undefined;
    default: return undefined;
  }
}

/**
 * The type of the field `reference` when valueError may reject a constant compared with it by `op`. Remembered per
 * pair (the catalog is static): every exception value asks it again when an item is read afresh.
 */
const rejectableTypes = new Map<string, ValueType | null>();
function rejectableType(reference: string, op: string): ValueType | undefined {
  const key = `${op} ${reference}`;
  let known = rejectableTypes.get(key);
  if (known === undefined) {
    if (rejectableTypes.size >= VALUE_CACHE_LIMIT) rejectableTypes.clear();
    known = lookupRejectableType(reference, op) ?? null;
    rejectableTypes.set(key, known);
  }
  return known ?? undefined;
}

function lookupRejectableType(reference: string, op: string): ValueType | undefined {
  const match = lookupField(reference);
  // evt.around compares its own way, but its constants are parsed as any UINT64's first (sinsp_filtercheck_event.cpp
  // parse_filter_value, then validate_filter_value).
  if (!match) return undefined;
  // evt.rawarg takes its argument's type (DYN in the catalog); the bracket form is an error of the field itself.
  if (match.field.name === 'evt.rawarg') return match.arg !== undefined && !reference.includes('[') ? rawargValueType(match.arg, op) : undefined;
  const type = match.field.type;
  // libsinsp checks the operator against the type before it parses a value (filter.cpp, binary_check_expr): an
  // operator the type does not take is the only error then (another check's finding).
  if (operatorRejection(op, type, match.field.isList === true) !== undefined) return undefined;
  const mayReject = NUMBER_TYPES.has(type) || STRING_TYPES.has(type) || type === 'BOOL' || type === 'IPADDR' || type === 'IPNET' || type === 'PORT' || op === 'bcontains' || op === 'bstartswith';
  return mayReject ? type : undefined;
}

/**
 * The type the constants of `evt.rawarg.<arg> op ...` are parsed as (see RAWARG_TYPES), when libsinsp gets as far as
 * parsing them: an operator the argument's type does not take fails first (another check's finding), and so do the
 * types flt_is_comparable knows no operator for (PID32, UID, GID, SOCKADDR, DYN...).
 */
function rawargValueType(arg: string, op: string): ValueType | undefined {
  const type = rawargType(arg);
  if (type === undefined || rawargOperatorRejection(op, type) !== undefined) return undefined;
  return type === 'BYTEBUF' ? RAW_BYTEBUF : type as ValueType;
}

/** An item or value with what libsinsp does with it. */
type ItemProblem = ValueProblem & { item: string };

/**
 * The values of the list `name` (expanded) that libsinsp would reject, with their errors, or keep as other ports;
 * kept per table of lists.
 */
function listValueErrors(name: string, memoOfTable: ItemMemo, type: ValueType, op: string): ItemProblem[] {
  // Most comparisons are on strings, whose items are judged by their length alone: one entry per list for all of them.
  const byLength = STRING_TYPES.has(type) && op !== 'bcontains' && op !== 'bstartswith';
  const memo = byLength ? memoOfTable.tooLong : memoOfTable.errors;
  const key = byLength ? name : `${type} ${op} ${name}`;
  let out = memo.get(key);
  if (!out) {
    const items = expandedItems(name, memoOfTable.lists);
    out = [];
    for (const item of items) {
      const value = pastedItemValue(item);
      const problem = value !== undefined ? valueProblem(type, op, value) : undefined;
      if (problem) out.push({ item: value!, ...problem });
    }
    memo.set(key, out);
  }
  return out;
}

/**
 * The items of the list `name`, as pasted (expanded), that evt.res never gives (neverAResult): Falco replaces the list's
 * name by its items before libsinsp reads the comparison (resolve_list, rule_loader_compiler.cpp 0.44.0:182-238), so
 * `evt.res in (failures)` with failures [-1] compares with -1 as written in the condition.
 */
function listResultProblems(name: string, memoOfTable: ItemMemo): ItemProblem[] {
  let out = memoOfTable.results.get(name);
  if (!out) {
    out = [];
    for (const item of expandedItems(name, memoOfTable.lists)) {
      const value = pastedItemValue(item);
      if (value !== undefined && neverAResult(value)) out.push({ item: value, ...NEVER_A_RESULT });
    }
    memoOfTable.results.set(name, out);
  }
  return out;
}

/** `errors` (libsinsp's rejections of a list's items) with `results` added for the items it does not reject. */
function withResultProblems(errors: ItemProblem[] | undefined, results: ItemProblem[]): ItemProblem[] | undefined {
  if (results.length === 0) return errors;
  const rejected = new Set((errors ?? []).filter((e) => e.error !== undefined).map((e) => e.item));
  return [...(errors ?? []), ...results.filter((r) => !rejected.has(r.item))];
}

// ---------------------------------------------------------------------------------------------------------------
// The values of a parsed condition

/** A constant value of a comparison that may warn, or that may name a list (then its items are checked). */
interface Candidate {
  compare: Compare;
  literal: Literal;
  /** The single right-hand value (not an item of a `(...)` list): the only place a quick fix rewrites. */
  single: boolean;
  /** Unquoted: Falco replaces it with a list's items when a list of that name is loaded. */
  mayNameList: boolean;
  /** The findings on the value itself, when it is not a list's name. */
  own?: ValueFacts;
  /** The type of the compared field, when libsinsp may reject its constants (see valueError). */
  type?: ValueType;
  /** libsinsp's error on the value itself (it replaces the warnings), or the port it keeps, when not a list's name. */
  problem?: ValueProblem;
}

const candidatesByParse = new WeakMap<ConditionParse, Candidate[]>();
const NO_CANDIDATES: Candidate[] = [];

/** Operators whose bare right-hand word may be a list's name (as the list-reference checks read conditions). */
const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);

const NEVER_A_RESULT: ValueProblem = { neverAResult: true };
/** Operators comparing evt.res with the values as text (not `startswith`, `contains`, `glob`: parts may match). */
const RESULT_OPERATORS = new Set(['=', '==', '!=', 'in']);

/** Whether a comparison tests evt.res itself (no transformer, no modifier) for equality with its values. */
function comparesResult(e: Compare): boolean {
  return e.lhs.kind === 'field' && e.lhs.name === 'evt.res' && !e.lhs.arg && e.modifier === undefined && RESULT_OPERATORS.has(e.op);
}

/** The values of a condition worth a look, once per parse: most conditions have none. */
function candidatesOf(parse: ConditionParse): Candidate[] {
  const known = candidatesByParse.get(parse);
  if (known) return known;
  const found: Candidate[] = [];
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'and': case 'or': for (const o of e.operands) visit(o); return;
      case 'not': visit(e.operand); return;
      case 'paren': visit(e.inner); return;
      case 'compare': {
        const rhs = e.rhs;
        if (!rhs || rhs.kind === 'field-value') return;
        const regex = e.op === 'regex';
        const items = rhs.kind === 'list' ? rhs.items : [rhs];
        const type = comparedType(e);
        for (const literal of items) {
          // A number may name a list too (condition.ts listRefsOf).
          const mayNameList = !literal.quoted && (rhs.kind === 'list' || LIST_OPERATORS.has(e.op) || e.modifier !== undefined);
          const own = valueFacts(literal.text, regex);
          const problem = (type !== undefined ? valueProblem(type, e.op, literal.text) : undefined) ?? (comparesResult(e) && neverAResult(literal.text) ? NEVER_A_RESULT : undefined);
          if (!own && !mayNameList && !problem) continue;
          found.push({ compare: e, literal, single: rhs.kind === 'literal', mayNameList, own, type, problem });
        }
        return;
      }
      default: return;
    }
  };
  if (parse.ast) visit(parse.ast);
  const out = found.length > 0 ? found : NO_CANDIDATES;
  candidatesByParse.set(parse, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Lists: the values Falco puts in place of a list's name

/** The lists of the loaded definitions, as the checks read them. */
export type ListTable = ReadonlyMap<string, OrderedList>;

/**
 * The value libsinsp reads from a list item that Falco pasted into the condition text: an item with a blank is put
 * in double quotes unless it starts with a quote already; a quoted item is read unquoted; a bare item with a
 * character that ends a bare word is read as something else (no value to check then).
 */
function pastedItemValue(item: string): string | undefined {
  const q = item[0];
  if (q === '"' || q === "'") {
    if (item.length < 2 || item[item.length - 1] !== q) return undefined;
    const inner = item.slice(1, -1);
    return inner.includes('\\') || inner.includes(q) ? undefined : inner;
  }
  if (item.includes(' ')) return item.includes('"') || item.includes('\\') ? undefined : item;
  return /[()"'\s=,]/.test(item) || item === '' ? undefined : item;
}

/** The items Falco pastes in place of the list `name` of the table (listItemsInCondition), none if it is not a list. */
function expandedItems(name: string, lists: ListTable): readonly string[] {
  const list = lists.get(name);
  return list ? listItemsInCondition(list, lists) : [];
}

interface ItemFinding { item: string; facts: ValueFacts }

/** Findings on the items of each list (expanded), for one content of the table of lists. */
interface ItemMemo {
  lists: ListTable; plain: Map<string, ItemFinding[]>; regex: Map<string, ItemFinding[]>;
  /** The rejected items of a list for a type and operator (key `type op name`), see listValueErrors. */
  errors: Map<string, ItemProblem[]>;
  /** The items of a list too long for a string or buffer (by the list's name), see listValueErrors. */
  tooLong: Map<string, ItemProblem[]>;
  /** The items of a list evt.res never gives (by the list's name), see listResultProblems. */
  results: Map<string, ItemProblem[]>;
}

/**
 * Recent memos. A load makes new tables (a copy per file), mostly with the same lists: a new table takes over the memo
 * of a table with the same names and items (compared item by item, mostly the same string objects), so a re-validation
 * does not expand every list again.
 */
const recentItemMemos: ItemMemo[] = [];

function sameLists(a: ListTable, b: ListTable): boolean {
  if (a.size !== b.size) return false;
  const others = b.entries();
  for (const [name, list] of a) {
    const [otherName, other] = others.next().value as [string, OrderedList];
    if (otherName !== name) return false;
    // What is pasted depends on the lists' order too.
    if (listIndex(other) !== listIndex(list) || listVisibility(other) !== listVisibility(list)) return false;
    if (other.items === list.items) continue;
    if (other.items.length !== list.items.length) return false;
    for (let i = 0; i < list.items.length; i++) if (other.items[i] !== list.items[i]) return false;
  }
  return true;
}

function itemMemoFor(lists: ListTable): ItemMemo {
  // The same table is asked for once per list use of a file: the latest memo first, without a closure.
  if (recentItemMemos.length > 0 && recentItemMemos[0].lists === lists) return recentItemMemos[0];
  let memo = recentItemMemos.find((m) => m.lists === lists);
  if (!memo) {
    memo = recentItemMemos.find((m) => sameLists(m.lists, lists));
    if (memo) memo.lists = lists;
    else memo = { lists, plain: new Map(), regex: new Map(), errors: new Map(), tooLong: new Map(), results: new Map() };
  }
  // Most recent first.
  const at = recentItemMemos.indexOf(memo);
  if (at >= 0) recentItemMemos.splice(at, 1);
  recentItemMemos.unshift(memo);
  if (recentItemMemos.length > 8) recentItemMemos.pop();
  return memo;
}

/** Forgets the memos that depend on rules text (tests compare incremental results with fresh ones). */
export function clearCompileWarningMemos(): void {
  recentItemMemos.length = 0;
  exceptionCandidatesByChunk.clear();
}

/** Stands in the memos for a word that names no list of the table. */
const NOT_A_LIST: ItemFinding[] = [];

/** The findings on the (expanded) items of the list `name`, or undefined when the table has no such list. */
function listItemFindings(name: string, memoOfTable: ItemMemo, regex: boolean): ItemFinding[] | undefined {
  const memo = regex ? memoOfTable.regex : memoOfTable.plain;
  let found = memo.get(name);
  if (!found) {
    const lists = memoOfTable.lists;
    if (!lists.has(name)) found = NOT_A_LIST;
    else {
      found = [];
      const items = expandedItems(name, lists);
      for (const item of items) {
        const value = pastedItemValue(item);
        const facts = value !== undefined ? valueFacts(value, regex) : undefined;
        if (facts) found.push({ item: value!, facts });
      }
    }
    memo.set(name, found);
  }
  return found === NOT_A_LIST ? undefined : found;
}

// ---------------------------------------------------------------------------------------------------------------
// Findings and reports

export interface CompileWarning {
  code: Code.RegexSimplerOperator | Code.FieldAsValue | Code.TransformerAsValue | Code.InvalidValue | Code.PortWraps | Code.ResultNeverMatches;
  /** The value's span in the parsed text (the list's name for a value that comes from a list). */
  span: Span;
  message: string;
  /** What a quick fix needs (never offsets: a recorded finding may be replayed elsewhere). */
  data?: Record<string, unknown>;
}

/** Whether a field may be used by a rule of `source` (undefined: a macro, which rules of any source may use). */
function availableFor(match: FieldMatch, source: string | undefined): boolean {
  return source === undefined || (match.field.sources as string[]).includes(source);
}

function quoteForMessage(v: string): string {
  return v.length > 80 ? `${v.slice(0, 77)}...` : v;
}

/** Where a value is written, and whether a quick fix may rewrite it there. */
interface ValueSite {
  span: Span;
  /** The one bare or quoted value of a single-value comparison, written in the condition: a fix may rewrite it. */
  fixable: boolean;
  quoted: boolean;
  /** The comparison's operator is a list operator (in, intersects, pmatch). */
  listOperator: boolean;
}

/** The warnings of one value (from the condition, or an item of the list `list`). */
function warningsOf(value: string, facts: ValueFacts, site: ValueSite, source: string | undefined, list: string | undefined, out: CompileWarning[]): void {
  const shown = quoteForMessage(value);
  const from = list !== undefined ? ` (an item of the list '${list}')` : '';
  const fixable = site.fixable && list === undefined;
  if (facts.regex) {
    const r = facts.regex;
    const better = r.op ? ` it matches the same as '${r.op} ${r.value}'${r.exact ? '' : ' (except across a line break)'}` : ' a simpler operator (=, contains, startswith, endswith) may do';
    const data = fixable && r.op && r.value !== undefined ? { op: r.op, value: r.value, exact: r.exact === true, quoted: site.quoted } : undefined;
    out.push({ code: Code.RegexSimplerOperator, span: site.span, message: `The regex '${shown}'${from} uses no regex syntax beyond anchors or a leading or trailing wildcard:${better}, which Falco evaluates faster.`, data });
  }
  if (facts.field && availableFor(facts.field, source)) {
    const valFixable = fixable && !site.quoted && !site.listOperator && withoutBlanks(value) === value;
    out.push({
      code: Code.FieldAsValue, span: site.span,
      message: `'${shown}'${from} is compared as a constant string, but it is also a field name: to compare with the value of that field, write val(${withoutBlanks(value)}).`,
      data: valFixable ? { field: value } : undefined,
    });
  }
  if (facts.transformer) {
    // Unquoted, the call is read as a field; offered (not preferred) for a quoted value without blanks.
    const callFixable = fixable && site.quoted && withoutBlanks(value) === value;
    out.push({
      code: Code.TransformerAsValue, span: site.span,
      message: `'${shown}'${from} is compared as a constant string, but it reads like the transformer ${facts.transformer}(): write it without quotes to compare with the transformed field.`,
      data: callFixable ? { call: value } : undefined,
    });
  }
}

/**
 * The compiler warnings of a parsed condition for a rule of `source` (undefined for a macro: any source), with the
 * lists as loaded. Rules of a source Falco does not know are skipped by Falco, so they get none.
 */
export function compileWarningsOf(parse: ConditionParse, source: string | undefined, lists: ListTable): CompileWarning[] {
  return warningsOfCandidates(candidatesOf(parse), source, lists);
}

function warningsOfCandidates(candidates: Candidate[], source: string | undefined, lists: ListTable): CompileWarning[] {
  if (candidates.length === 0 || (source !== undefined && !KNOWN_SOURCES.includes(source))) return NO_WARNINGS;
  let out: CompileWarning[] | undefined;
  let memo: ItemMemo | undefined;
  for (const c of candidates) {
    const text = c.literal.text;
    // A bare word that names a loaded list stands for the list's items (one memo lookup says which, and what they give).
    const found = c.mayNameList ? listItemFindings(text, memo ??= itemMemoFor(lists), c.compare.op === 'regex') : undefined;
    // The values libsinsp rejects: the list's items when the word names a list, else the word itself.
    const errors = found ? withResultProblems(c.type === undefined ? undefined : listValueErrors(text, memo!, c.type, c.compare.op), comparesResult(c.compare) ? listResultProblems(text, memo!) : [])
      : c.problem ? [{ item: text, ...c.problem }] : undefined;
    if ((found ? found.length === 0 : !c.own) && !errors?.length) continue;
    const site: ValueSite = { span: c.literal.span, fixable: c.single && !c.compare.modifier, quoted: c.literal.quoted, listOperator: LIST_OPERATORS.has(c.compare.op) };
    out ??= [];
    const list = found ? text : undefined;
    if (errors) {
      const field = fieldExprText(c.compare.lhs);
      for (const problem of errors) out.push(valueProblemFinding(problem, field, c.type!, c.compare.op, site.span, list));
    }
    // Falco's error discards the warnings: a rejected value gets none.
    const rejected = (item: string) => errors?.some((e) => e.item === item && e.error !== undefined) === true;
    if (found) { for (const { item, facts } of found) if (!rejected(item)) warningsOf(item, facts, site, source, text, out); }
    else if (c.own && c.problem?.error === undefined) warningsOf(text, c.own, site, source, undefined, out);
  }
  return out ?? NO_WARNINGS;
}
const NO_WARNINGS: CompileWarning[] = [];

/** The finding of a value libsinsp rejects or keeps as another port (`list`: the list it is an item of). */
function valueProblemFinding(problem: ItemProblem, field: string, type: ValueType, op: string, span: Span, list: string | undefined): CompileWarning {
  const from = list !== undefined ? ` (an item of the list '${list}')` : '';
  const value = problem.item;
  if (problem.neverAResult) {
    return {
      code: Code.ResultNeverMatches, span,
      message: `'${quoteForMessage(value)}'${from} is never the value of ${field}, so ${op === '!=' ? `'${op}' holds for every result` : `'${op}' never holds for it`}: libsinsp gives evt.res as text, SUCCESS for a result of 0 or more, else the error's name (EPERM for -1, ENOENT for -2). Compare ${field} with SUCCESS or an error name, or the number with evt.rawres.`,
    };
  }
  if (problem.error === undefined) {
    return { code: Code.PortWraps, span, message: `'${quoteForMessage(value)}'${from} is over 65535, the largest port: libsinsp keeps it in 16 bits, so ${field} is compared with ${problem.wrapsTo}.` };
  }
  const error = problem.error;
  // libsinsp unhexes before it parses: a value that is not hex is the operator's error, whatever the field.
  const what = error === NOT_HEX ? `'${op}'` : `${field} (${type === RAW_BYTEBUF ? 'BYTEBUF' : type})`;
  return { code: Code.InvalidValue, span, message: `'${quoteForMessage(value)}'${from} is ${error} for ${what}: Falco rejects the condition.` };
}

/** Reports the compiler warnings of a condition; `docSpan` maps the parse's offsets to the document. */
export function reportCompileWarnings(parse: ConditionParse, source: string | undefined, lists: ListTable, docSpan: (s: Span) => Span, reporter: ReportSink): void {
  const candidates = candidatesOf(parse);
  if (candidates.length === 0) return;
  for (const w of warningsOfCandidates(candidates, source, lists)) reporter.report(w.code, docSpan(w.span), w.message, w.data);
}

// ---------------------------------------------------------------------------------------------------------------
// Exceptions: Falco pastes their values into the rule's condition as text (rule_loader_compiler.cpp,
// build_rule_exception_infos), so the compiler checks them too. They are reported on the value in the exception.

const MODIFIER_NAMES = new Set(['oneof', 'anyof', 'allof']);
const TRANSFORMER_CALL = new RegExp(`^(?:${TRANSFORMER_NAMES.join('|')})\\(`);

/** Falco's is_operator_for_list: a list operator, or a string operator with a oneof/anyof/allof modifier. */
function takesList(comp: string): boolean {
  const words = comp.trim().split(/\s+/);
  return words.length === 1 ? LIST_OPERATORS.has(words[0]) : words.length === 2 && MODIFIER_NAMES.has(words[1]);
}

/**
 * The value libsinsp reads from an exception value pasted after a single-value operator: quoted by Falco when it has a
 * blank, read as a field when it starts like a transformer or val() call, otherwise a bare word.
 */
function pastedSingleValue(text: string): string | undefined {
  if (text[0] === '"' || text[0] === "'" || text.includes(' ')) return pastedItemValue(text);
  if (TRANSFORMER_CALL.test(text)) return undefined;
  return pastedItemValue(text);
}

interface ExceptionValue { node: Extract<ModelNode, { kind: 'scalar' }>; comp: string; inList: boolean; field: string | undefined }

/** The scalar values of one exception with the comparison each is pasted with (as Falco builds the condition). */
function exceptionValues(ex: ModelNode): ExceptionValue[] {
  if (ex.kind !== 'map') return [];
  const get = (key: string) => ex.entries.find((e) => e.key === key)?.value;
  const fields = get('fields');
  const comps = get('comps');
  const values = get('values');
  if (values?.kind !== 'seq') return [];
  const out: ExceptionValue[] = [];
  // Falco decodes every non-null scalar as the string written (rule_loader_reader.cpp decode_exception_info_entry):
  // a YAML number or boolean is pasted as its text.
  const scalar = (n: ModelNode | undefined): n is Extract<ModelNode, { kind: 'scalar' }> => n?.kind === 'scalar' && n.value !== null && n.text !== '';
  if (fields?.kind === 'scalar') {
    // One field: `field comp (v1, v2, ...)`; Falco's reader defaults the comparison to `in`.
    const comp = scalarText(comps) ?? 'in';
    const field = scalarText(fields)?.trim();
    for (const v of values.items) if (scalar(v)) out.push({ node: v, comp, inList: true, field });
  } else if (fields?.kind === 'seq') {
    const names = fields.items.map((f) => scalarText(f)?.trim());
    for (const tuple of values.items) {
      if (tuple.kind !== 'seq' || tuple.items.length !== fields.items.length) continue;
      tuple.items.forEach((v, k) => {
        const comp = comps?.kind === 'seq' ? scalarText(comps.items[k]) ?? '=' : '=';
        const field = names[k];
        if (v.kind === 'seq') { for (const i of v.items) if (scalar(i)) out.push({ node: i, comp, inList: true, field }); }
        // A scalar with a list comparison is put in parentheses (and read as a list when it has no commas).
        else if (scalar(v)) out.push({ node: v, comp, inList: takesList(comp), field });
      });
    }
  }
  return out;
}

/** An exception value worth a look: its own findings, or a bare word that may name a list. Offsets from `base`. */
interface ExceptionCandidate {
  start: number; end: number; text: string; regex: boolean; inList: boolean; mayNameList: boolean; value?: string; own?: ValueFacts;
  /** The exception field, its type and the operator, when libsinsp may reject the value (see valueError), and its problem. */
  field?: string; type?: ValueType; op?: string; problem?: ValueProblem;
  /** The exception compares evt.res itself with its values (comparesResult): a value it never gives never matches. */
  result?: true;
}

/** Candidates by the text of the item's chunk (they depend on the item's text alone). Bounded. */
const exceptionCandidatesByChunk = new Map<string, ExceptionCandidate[]>();
const NO_EXCEPTION_CANDIDATES: ExceptionCandidate[] = [];

function exceptionCandidatesOf(item: ModelItem, base: number): ExceptionCandidate[] {
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq') return NO_EXCEPTION_CANDIDATES;
  const out: ExceptionCandidate[] = [];
  for (const ex of exceptions.items) {
    for (const { node, comp, inList, field } of exceptionValues(ex)) {
      const text = node.text;
      // A list comparison puts a scalar in parentheses: with commas it is several values (not looked into).
      if (inList && text.includes(',')) continue;
      const op = comp.trim().split(/\s+/)[0];
      const regex = op === 'regex';
      // A bare word naming a loaded list is replaced by the list's items (Falco substitutes lists in the whole text);
      // after a single-value operator that breaks the condition, so there is nothing to check then.
      const mayNameList = !/[\s"'(),=]/.test(text);
      const value = inList ? pastedItemValue(text) : pastedSingleValue(text);
      const own = value !== undefined ? valueFacts(value, regex) : undefined;
      const type = field !== undefined ? rejectableType(field, op) : undefined;
      // Falco writes `evt.res comp value` into the condition as it writes a comparison of the condition
      // (build_rule_exception_infos, rule_loader_compiler.cpp 0.37.0:74-155, 0.44.0:100-161): the same value evt.res never
      // gives never matches there either (comparesResult; a comp with a modifier is two words).
      const result = field === 'evt.res' && RESULT_OPERATORS.has(comp.trim());
      const problem = (type !== undefined && value !== undefined ? valueProblem(type, op, value) : undefined)
        ?? (result && value !== undefined && neverAResult(value) ? NEVER_A_RESULT : undefined);
      if (own || mayNameList || problem) {
        const candidate: ExceptionCandidate = { start: node.span.start - base, end: node.span.end - base, text, regex, inList, mayNameList, value, own };
        if (type !== undefined || result) Object.assign(candidate, { field, type, op, problem });
        if (result) candidate.result = true;
        out.push(candidate);
      }
    }
  }
  return out.length > 0 ? out : NO_EXCEPTION_CANDIDATES;
}

/**
 * The compiler warnings of a rule's exception values, for a rule of `source`, with the lists as loaded. With the
 * item's chunk, what the item's text alone gives is kept by the chunk's text.
 */
export function exceptionCompileWarnings(item: ModelItem, source: string, lists: ListTable, chunk?: { start: number; text: string }): CompileWarning[] {
  if (!KNOWN_SOURCES.includes(source)) return [];
  let candidates: ExceptionCandidate[] | undefined;
  let base = 0;
  if (chunk) {
    base = chunk.start;
    candidates = exceptionCandidatesByChunk.get(chunk.text);
    if (!candidates) {
      candidates = exceptionCandidatesOf(item, base);
      if (exceptionCandidatesByChunk.size >= VALUE_CACHE_LIMIT) exceptionCandidatesByChunk.clear();
      exceptionCandidatesByChunk.set(chunk.text, candidates);
    }
  } else candidates = exceptionCandidatesOf(item, 0);
  if (candidates.length === 0) return [];
  const out: CompileWarning[] = [];
  for (const c of candidates) {
    const site: ValueSite = { span: { start: base + c.start, end: base + c.end }, fixable: false, quoted: false, listOperator: c.inList };
    const found = c.mayNameList ? listItemFindings(c.text, itemMemoFor(lists), c.regex) : undefined;
    // As in a condition: the values libsinsp rejects are errors, and get no warnings.
    const listErrors = found && c.inList && c.type !== undefined ? listValueErrors(c.text, itemMemoFor(lists), c.type, c.op!) : undefined;
    const errors = c.type === undefined && !c.result ? undefined
      : found ? (c.inList ? withResultProblems(listErrors, c.result ? listResultProblems(c.text, itemMemoFor(lists)) : []) : undefined)
        : c.problem ? [{ item: c.value!, ...c.problem }] : undefined;
    for (const problem of errors ?? []) out.push(valueProblemFinding(problem, c.field!, c.type!, c.op!, site.span, found ? c.text : undefined));
    const rejected = (item: string) => errors?.some((e) => e.item === item && e.error !== undefined) === true;
    if (found) {
      if (c.inList) for (const f of found) if (!rejected(f.item)) warningsOf(f.item, f.facts, site, source, c.text, out);
    } else if (c.own && c.problem?.error === undefined) warningsOf(c.value!, c.own, site, source, undefined, out);
  }
  return out;
}

/** Reports the compiler warnings of a rule's exception values (document offsets: the model's spans). */
export function reportExceptionCompileWarnings(item: ModelItem, source: string, lists: ListTable, reporter: ReportSink, chunk?: { start: number; text: string }): void {
  if (!hasEntry(item, 'exceptions')) return;
  for (const w of exceptionCompileWarnings(item, source, lists, chunk)) reporter.report(w.code, w.span, w.message, w.data);
}
