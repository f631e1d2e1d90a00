// Falco's comparison operators and field transformers as data. Operator compatibility with field types mirrors
// libsinsp's filter_compare.cpp (`flt_is_comparable` and its per-type helpers); availability by Falco version
// follows the libs tags bundled with each Falco release (see falco-reference.md §0 and §d). The summaries follow
// libs 0.25.2: < <= > >= take a number or val()/a transformer (parser.h:56-69 NumOperator NumValue) and a string
// field compares with strcmp, startswith with strncmp (flt_compare_string, filter_compare.cpp:467-515), glob is fnmatch(pattern, value, 0) (utils.cpp:826-835), and `in` on a list field needs
// every extracted value in the set while `intersects` needs one (sinsp_filtercheck.cpp:805-857).
import type { FieldType } from '../../knowledge/types';
import { RAWARG_TYPES } from '../../knowledge/fields/rawargs';
import { COMP_MODIFIERS, EXCEPTION_COMPS, SINGLE_FIELD_COMPS } from './schema';

export type OperatorArity = 'unary' | 'binary' | 'list';

export interface OperatorInfo {
  name: string;
  /** unary: no value (`exists`); binary: one value; list: a parenthesised list or a list name. */
  arity: OperatorArity;
  /** First Falco release whose condition parser knows the operator. */
  since: string;
  /** Operators that accept the oneof/anyof/allof modifiers (Falco 0.44): libs 0.25.2 parser.cpp s_binary_str_ops,
   *  the string operators and = == != (whose modifier form sinsp_filtercheck.cpp reads as a set lookup). */
  acceptsModifier?: boolean;
  /** One sentence for hovers and completion, written for this project. */
  summary: string;
}

/** Oldest release this project describes; operators present there carry this version. */
const BASELINE = '0.37.0';

/**
 * The release that added the operator, or undefined for one every release this project describes has (most are much
 * older than 0.37: the baseline is where this project's knowledge starts, not when Falco added them).
 */
export function operatorAddedIn(op: OperatorInfo): string | undefined {
  return op.since === BASELINE ? undefined : op.since;
}

export const OPERATORS: readonly OperatorInfo[] = [
  { name: 'exists', arity: 'unary', since: BASELINE, summary: 'True when the field has a value for the event.' },
  { name: '=', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'Equal to the value.' },
  { name: '==', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'Equal to the value (same as `=`).' },
  { name: '!=', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'Not equal to the value.' },
  { name: '<', arity: 'binary', since: BASELINE, summary: 'Less than the number; a string field compares its text with the number\'s digits byte by byte (strcmp).' },
  { name: '<=', arity: 'binary', since: BASELINE, summary: 'Less than or equal to the number; a string field compares its text with the number\'s digits byte by byte (strcmp).' },
  { name: '>', arity: 'binary', since: BASELINE, summary: 'Greater than the number; a string field compares its text with the number\'s digits byte by byte (strcmp).' },
  { name: '>=', arity: 'binary', since: BASELINE, summary: 'Greater than or equal to the number; a string field compares its text with the number\'s digits byte by byte (strcmp).' },
  { name: 'contains', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'The value occurs somewhere in the field (case-sensitive).' },
  { name: 'icontains', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'The value occurs somewhere in the field, ignoring case.' },
  { name: 'bcontains', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'The bytes, written as hex digits, occur in a buffer field.' },
  { name: 'startswith', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'The field begins with the value (case-sensitive).' },
  { name: 'bstartswith', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'A buffer field begins with the bytes, written as hex digits.' },
  { name: 'endswith', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'The field ends with the value (case-sensitive).' },
  { name: 'glob', arity: 'binary', since: BASELINE, acceptsModifier: true, summary: 'The whole field matches the shell wildcard pattern (`*`, `?`, `[...]`; fnmatch without flags, so `*` also matches `/`).' },
  { name: 'iglob', arity: 'binary', since: '0.38.0', acceptsModifier: true, summary: 'The whole field matches the shell wildcard pattern, ignoring case (`*` also matches `/`).' },
  { name: 'regex', arity: 'binary', since: '0.39.0', acceptsModifier: true, summary: 'The whole field matches the RE2 regular expression.' },
  { name: 'in', arity: 'list', since: BASELINE, summary: 'The field equals one of the listed values; a list field matches when every value it holds is listed (`intersects`: any).' },
  { name: 'intersects', arity: 'list', since: BASELINE, summary: 'A list field shares at least one value with the listed values; on a single-value field, the same as `in`.' },
  { name: 'pmatch', arity: 'list', since: BASELINE, summary: 'The path field equals, or lies under, one of the listed path prefixes.' },
];

export const OPERATOR_NAMES: readonly string[] = OPERATORS.map((o) => o.name);

const operatorByName = new Map(OPERATORS.map((o) => [o.name, o]));
export function operatorInfo(name: string): OperatorInfo | undefined {
  return operatorByName.get(name);
}

/**
 * An exception comp as Falco 0.44's collector reads it (rule_loader_collector.cpp normalize_comp trims it; libs 0.25.2
 * filter_compare.cpp str_to_cmpop_with_modifier splits it at its first space): `startswith oneof` is the operator and
 * its modifier, `startswith  oneof` (two spaces) a modifier ` oneof` that does not exist.
 */
export function splitComp(text: string): { op: string; modifier?: string } {
  const t = text.trim();
  const space = t.indexOf(' ');
  return space < 0 ? { op: t } : { op: t.slice(0, space), modifier: t.slice(space + 1) };
}

/**
 * Whether Falco's collector takes an exception comp (rule_loader_collector.cpp validate_exception_info 0.44.0:81-124:
 * an operator libsinsp's parser knows, a modifier only after an operator that takes one, rule_loader_cmpop.h
 * is_str_operator_with_modifier; with a single field only in, pmatch, intersects or such an operator with a modifier).
 */
export function compAccepted(text: string, singleField: boolean): boolean {
  const { op, modifier } = splitComp(text);
  if (modifier !== undefined) return COMP_MODIFIERS.includes(modifier) && EXCEPTION_COMPS.includes(op) && operatorInfo(op)?.acceptsModifier === true;
  return (singleField ? SINGLE_FIELD_COMPS : EXCEPTION_COMPS).includes(op);
}

export interface ModifierInfo { name: string; since: string; summary: string }

/** `proc.name startswith oneof (a, b)`: the modifier turns a string operator into a test over a list. */
export const OPERATOR_MODIFIERS: readonly ModifierInfo[] = [
  // libs 0.25.2 sinsp_filtercheck.cpp matches_one_rhs (exactly one match), matches_any_rhs, matches_all_rhs.
  { name: 'oneof', since: '0.44.0', summary: 'True when the operator holds for exactly one listed value: two matching values make it false (`anyof`: at least one).' },
  { name: 'anyof', since: '0.44.0', summary: 'True when the operator holds for at least one listed value.' },
  { name: 'allof', since: '0.44.0', summary: 'True when the operator holds for every listed value.' },
];

/** How libsinsp groups field types when it checks operators (filter_compare.cpp). */
export type TypeFamily = 'numeric' | 'bool' | 'string' | 'buffer' | 'ip' | 'other';

const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'ERRNO', 'FD', 'PID', 'SYSCALLID',
  'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'DOUBLE', 'MODE',
  // libsinsp's filter fields carry user and group ids as UINT32; a catalog that names them UID/GID means the same.
  // L4PROTO and SOCKFAMILY are absent from flt_is_comparable, so they fall into 'other' as there.
  'UID', 'GID',
]);

export function typeFamily(type: FieldType): TypeFamily {
  if (NUMERIC_TYPES.has(type)) return 'numeric';
  switch (type) {
    case 'BOOL': return 'bool';
    case 'CHARBUF': case 'FSPATH': case 'FSRELPATH': return 'string';
    case 'BYTEBUF': return 'buffer';
    case 'IPADDR': case 'IPNET': return 'ip';
    default: return 'other';
  }
}

/** Operators each type family accepts, besides `exists` which every field accepts. */
const OPERATORS_BY_FAMILY: Record<TypeFamily, ReadonlySet<string>> = {
  numeric: new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  bool: new Set(['=', '==', '!=', 'in', 'intersects']),
  string: new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'in', 'icontains', 'startswith', 'glob', 'pmatch',
    'endswith', 'intersects', 'iglob', 'regex']),
  buffer: new Set(['=', '==', '!=', 'contains', 'in', 'startswith', 'endswith', 'intersects', 'bcontains', 'bstartswith']),
  ip: new Set(['=', '==', '!=', 'in', 'intersects']),
  other: new Set([]),
};

/** Types whose list-valued fields libsinsp can compare (with in, intersects and exists only). */
const LIST_COMPARABLE_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['CHARBUF', 'UINT64', 'RELTIME', 'ABSTIME', 'BOOL', 'IPADDR', 'IPNET']);

/**
 * Whether libsinsp accepts `op` (with or without a oneof/anyof/allof modifier) on a field of this type.
 * Returns undefined when allowed, otherwise the reason, phrased for a diagnostic.
 */
export function operatorRejection(op: string, type: FieldType, isList = false): string | undefined {
  if (op === 'exists') return undefined;
  if (type === 'DYN') return undefined; // plugin fields of dynamic type: Falco decides at load time
  if (isList) {
    if (!LIST_COMPARABLE_TYPES.has(type)) return `fields that hold a list of ${type} values cannot be compared`;
    if (op === 'in' || op === 'intersects') return undefined;
    return `'${op}' is not supported on a list field; use 'in' or 'intersects'`;
  }
  const family = typeFamily(type);
  if (!OPERATORS_BY_FAMILY[family].has(op)) {
    return family === 'other'
      ? `'${op}' is not supported for fields of type ${type}`
      : `'${op}' is not supported for ${family === 'ip' ? 'IP address and network' : family} fields (type ${type})`;
  }
  // A modifier needs only the operator itself to suit the type (libs 0.25.2 filter_compare.cpp flt_is_comparable, for
  // IP addresses and networks too: `fd.sip == oneof (…)`, test/filter_op_net_compare.ut.cpp).
  return undefined;
}

/**
 * Event argument types (the PT_ names of knowledge/fields/rawargs.ts) by how flt_is_comparable groups them
 * (filter_compare.cpp, libs 0.25.2). evt.rawarg.<name> is compared with its argument's own type (sinsp_filtercheck_event.cpp
 * parse_field_name sets the field's type to the parameter's, and filter.cpp check_op_type_compatibility checks it), so
 * unlike catalog fields UID and GID are not numeric here: they, PID32, DYN, SOCKADDR, SOCKTUPLE, FDLIST, SIGSET,
 * CHARBUFARRAY and the other types absent from flt_is_comparable take no operator but `exists`.
 */
const RAWARG_FAMILIES: ReadonlyMap<string, TypeFamily> = new Map<string, TypeFamily>([
  ...['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'ERRNO', 'FD', 'PID', 'SYSCALLID', 'SIGTYPE',
    'RELTIME', 'ABSTIME', 'PORT', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'DOUBLE', 'MODE', 'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32']
    .map((t): [string, TypeFamily] => [t, 'numeric']),
  ['BOOL', 'bool'],
  ...['IPV4ADDR', 'IPV4NET', 'IPV6ADDR', 'IPV6NET', 'IPADDR', 'IPNET'].map((t): [string, TypeFamily] => [t, 'ip']),
  ['CHARBUF', 'string'], ['FSPATH', 'string'], ['FSRELPATH', 'string'],
  ['BYTEBUF', 'buffer'],
]);

/**
 * Whether libsinsp accepts `op` (with or without a modifier) on an event argument of type `argType` (evt.rawarg.<name>).
 * Returns undefined when allowed, otherwise the reason, phrased for a diagnostic with the argument's type named.
 */
export function rawargOperatorRejection(op: string, argType: string): string | undefined {
  if (op === 'exists') return undefined;
  const family = RAWARG_FAMILIES.get(argType) ?? 'other';
  if (!OPERATORS_BY_FAMILY[family].has(op)) {
    return family === 'other'
      ? `no operator but 'exists' is supported for event arguments of type ${argType}`
      : `'${op}' is not supported for ${family === 'ip' ? 'IP address and network' : family} fields (event argument type ${argType})`;
  }
  return undefined;
}

const rawargTypes: ReadonlyMap<string, string> = new Map(Object.entries(RAWARG_TYPES));

/** The type of evt.rawarg.<name> (an exact event parameter name), undefined for a name no event parameter has. */
export function rawargType(name: string): string | undefined {
  return rawargTypes.get(name);
}

/** Every parameter name of the event table (evt.arg.<name> and evt.rawarg.<name> accept exactly these). */
export const EVENT_PARAMETER_NAMES: readonly string[] = [...rawargTypes.keys()];

/**
 * The longest event parameter name that `name` starts with, as libsinsp's sinsp_utils::find_longest_matching_evt_param
 * (utils.cpp, libs 0.25.2) looks it up for evt.arg.<name> and evt.rawarg.<name>; undefined when none.
 */
export function longestEventParameterPrefix(name: string): string | undefined {
  let best: string | undefined;
  for (const p of EVENT_PARAMETER_NAMES) if (p.length > (best?.length ?? 0) && name.startsWith(p)) best = p;
  return best;
}

/** rawargOperatorRejection for evt.rawarg.<name>; undefined for a name no event parameter has (not judged here). */
export function rawargNameRejection(op: string, name: string): string | undefined {
  const type = rawargTypes.get(name);
  return type === undefined ? undefined : rawargOperatorRejection(op, type);
}

export interface TransformerInfo {
  name: string;
  since: string;
  /** Field types accepted as input; 'any-list' for a list-valued field. */
  input: readonly (FieldType | 'any-list')[];
  /** Result type. */
  output: FieldType;
  /** Whether the result is a list (getopt without a selector). */
  outputIsList?: boolean;
  /** Fixed argument count, or a minimum for variadic transformers. */
  args: { min: number; max: number };
  summary: string;
}

const STRINGS: readonly FieldType[] = ['CHARBUF', 'FSPATH', 'FSRELPATH'];

// Input/output types follow libsinsp's sinsp_filter_transformer_*.cpp and sinsp_filtercheck_multivalue_transformer.cpp.
export const TRANSFORMERS: readonly TransformerInfo[] = [
  { name: 'tolower', since: '0.38.0', input: STRINGS, output: 'CHARBUF', args: { min: 1, max: 1 }, summary: 'The field value in lower case.' },
  { name: 'toupper', since: '0.38.0', input: STRINGS, output: 'CHARBUF', args: { min: 1, max: 1 }, summary: 'The field value in upper case.' },
  { name: 'b64', since: '0.38.0', input: ['CHARBUF', 'BYTEBUF'], output: 'CHARBUF', args: { min: 1, max: 1 }, summary: 'The field value decoded from base64.' },
  { name: 'basename', since: '0.39.0', input: STRINGS, output: 'CHARBUF', args: { min: 1, max: 1 }, summary: 'The last path component of the field value.' },
  { name: 'len', since: '0.40.0', input: ['CHARBUF', 'BYTEBUF', 'FSPATH', 'FSRELPATH', 'any-list'], output: 'UINT64', args: { min: 1, max: 1 }, summary: 'The length of the string, buffer or list.' },
  { name: 'join', since: '0.44.0', input: ['CHARBUF', 'any-list'], output: 'CHARBUF', args: { min: 2, max: 2 }, summary: 'The items of a list joined with a separator: join(separator, list).' },
  { name: 'concat', since: '0.44.0', input: ['CHARBUF'], output: 'CHARBUF', args: { min: 2, max: Number.POSITIVE_INFINITY }, summary: 'The string arguments concatenated.' },
  { name: 'getopt', since: '0.44.0', input: ['CHARBUF', 'any-list'], output: 'CHARBUF', outputIsList: true, args: { min: 2, max: 2 }, summary: 'Options parsed from an argument list with a getopt(3) option string: getopt(args, optstring), optionally [c] for one option.' },
];

/** `val(field)` compares with another field of the same event (Falco 0.38). */
export const FIELD_VALUE_SINCE = '0.38.0';

export const TRANSFORMER_NAMES: readonly string[] = TRANSFORMERS.map((t) => t.name);
const transformerByName = new Map(TRANSFORMERS.map((t) => [t.name, t]));
export function transformerInfo(name: string): TransformerInfo | undefined {
  return transformerByName.get(name);
}

/** Compares dotted versions such as 0.38.0; used to tell whether a construct is newer than a required engine. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
