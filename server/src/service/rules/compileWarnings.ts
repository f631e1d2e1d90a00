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
import { entryOf, scalarText, type ModelItem, type ModelNode } from './model';
import { listIndex, listItemsInCondition, listVisibility, type OrderedList } from './workspace';

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
// Value errors (an error, not a warning): constants that libsinsp refuses when it adds them to a comparison
// (sinsp_filter_check::add_filter_value): text it cannot parse as the type compared (the field's, after transformers;
// an event argument's for evt.rawarg), values too long for its storage, and regex values RE2 cannot compile.

/**
 * The type a constant is parsed as: a field's, or the type of an event argument (evt.rawarg.<name>), which may be one
 * the field catalog does not use. RAW_BYTEBUF is a buffer argument of evt.rawarg, which libsinsp parses without the
 * buffer case of other fields (see valueError).
 */
export type ValueType = FieldType | 'ENUMFLAGS8' | 'ENUMFLAGS16' | 'ENUMFLAGS32' | 'IPV4ADDR' | typeof RAW_BYTEBUF;
const RAW_BYTEBUF = 'RAW_BYTEBUF';

/**
 * Types whose constants libsinsp reads with sinsp_numparser (value_parser.cpp, string_to_rawval): sscanf("%d%c") must
 * read exactly one number, i.e. optional leading blanks, an optional sign, decimal digits and nothing after (no hex,
 * no trailing blank). Out-of-range numbers are not rejected. DOUBLE is read as an integer too.
 */
const NUMBER_TYPES = new Set<ValueType>(['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FD', 'ERRNO', 'PID',
  'L4PROTO', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32', 'MODE', 'UID', 'GID', 'RELTIME', 'ABSTIME', 'DOUBLE']);
const SCANF_NUMBER = /^[ \t\n\v\f\r]*[+-]?[0-9]+$/;

/** inet_pton(AF_INET): four decimal parts of 0-255, without leading zeros. */
function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** Why `::ffff:10.0.0.1` fails: libsinsp sends any text with a dot to the IPv4 parser. */
const MAPPED_NOTE = ' (text with a dot is read as IPv4, so IPv6 with an embedded IPv4 address is refused)';

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The number of `:`-separated groups of 1-4 hex digits in `part` ('' has none), -1 when one is not such a group. */
function hexGroups(part: string): number {
  if (part === '') return 0;
  const groups = part.split(':');
  for (const g of groups) if (!HEX_GROUP.test(g)) return -1;
  return groups.length;
}

/**
 * inet_pton(AF_INET6) (glibc inet_pton6) on text without a dot (libsinsp sends text with a dot to the IPv4 parser, so
 * an embedded IPv4 tail never reaches it): eight groups of 1-4 hex digits, or fewer with one `::` standing for at
 * least one zero group. No zone id (`%eth0`), no brackets.
 */
function isIpv6(text: string): boolean {
  const gap = text.indexOf('::');
  if (gap < 0) return hexGroups(text) === 8;
  if (text.indexOf('::', gap + 1) >= 0) return false;
  const before = hexGroups(text.slice(0, gap));
  const after = hexGroups(text.slice(gap + 2));
  return before >= 0 && after >= 0 && before + after <= 7;
}

/** What sscanf("%u") makes of a mask that passed SCANF_NUMBER, cut to 8 bits as parseu8 does (undefined: too long to tell). */
function maskBits(mask: string): number | undefined {
  const t = mask.trim();
  const digits = t.replace(/^[+-]/, '');
  if (digits.length > 9) return undefined;
  const n = t.startsWith('-') ? (2 ** 32 - Number(digits)) % 2 ** 32 : Number(digits);
  return n & 0xff;
}

/**
 * An IP network `address/prefix` as libsinsp reads it (value_parser.cpp PT_IPV4NET, tuples.cpp ipv6net::init): the
 * address up to the first `/`, the prefix length after it up to a line break, read by parseu8 (sscanf("%u"), cut to
 * 8 bits); IPv4 takes 0-32, IPv6 1-128.
 */
function ipNetError(value: string, v4: boolean): string | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return 'not an IP network (address/prefix length)';
  const address = value.slice(0, slash);
  if (!(v4 ? isIpv4 : isIpv6)(address)) return `not an IP network: the address is not an ${v4 ? 'IPv4' : 'IPv6'} address${v4 && address.includes(':') ? MAPPED_NOTE : ''}`;
  const rest = value.slice(slash + 1);
  const lineBreak = rest.indexOf('\n');
  const mask = lineBreak >= 0 ? rest.slice(0, lineBreak) : rest;
  if (!SCANF_NUMBER.test(mask)) return 'not an IP network: the prefix length is not a valid number';
  const bits = maskBits(mask);
  if (bits === undefined) return undefined;
  if (v4 && bits > 32) return 'not an IP network: the prefix length is over 32';
  if (!v4 && (bits === 0 || bits > 128)) return 'not an IP network: an IPv6 prefix length is 1 to 128';
  return undefined;
}

/**
 * The longest string or buffer value libsinsp keeps: add_filter_value retries a value in a storage doubled from 16 up
 * to 256 bytes (sinsp_filtercheck.h s_max_filter_value_buf_size) and then throws "filter parameter too long"; a string
 * needs one byte more for its terminator (value_parser.cpp check_storage_size), a buffer is refused when its length
 * reaches the storage's (sinsp_filtercheck.cpp parse_filter_value). Both keep at most 255 bytes.
 */
const MAX_VALUE_BYTES = 255;

/** Types whose constants are kept as text or bytes, limited only in length. */
const STRING_TYPES = new Set<ValueType>(['CHARBUF', 'FSPATH', 'FSRELPATH', 'BYTEBUF']);

/** The length of `text` in UTF-8 (libsinsp counts bytes). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}

/**
 * Event argument types that pass libsinsp's operator check but that string_to_rawval has no case for: it throws
 * "wrong parameter type" for any constant. A buffer argument goes there too, as evt.rawarg's parse_filter_value calls
 * string_to_rawval directly (sinsp_filtercheck_event.cpp), without the buffer case of sinsp_filter_check.
 */
const NO_PARSER = new Set<ValueType>(['SIGTYPE', 'SYSCALLID', RAW_BYTEBUF]);
const NO_PARSER_ERROR = 'not accepted (libsinsp parses no constant of this argument type)';
const NOT_HEX = 'not hex (an even number of hex digits)';

// ---------------------------------------------------------------------------------------------------------------
// Regex values: libsinsp compiles each with RE2 and the RE2::POSIX options (sinsp_filtercheck.cpp add_filter_value),
// and an error of RE2 rejects the condition. POSIX mode leaves out Perl's additions: \d \s \w, \b, \A \z, \Q...\E,
// \p{...}, (?...) groups and flags, and non-greedy repetitions (`a*?` is `(a*)?` there).

const POSIX_CLASS_NAMES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct',
  'space', 'upper', 'word', 'xdigit']);
const MAX_REPEAT = 1000;

const isOctal = (c: number | undefined) => c !== undefined && c >= 48 && c <= 55;
const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;
const isHexDigit = (c: number | undefined) => c !== undefined && (isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70));
const isAsciiLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * The syntax error RE2 reports for `pattern` under the RE2::POSIX options, or undefined when it parses. Follows the
 * checks of RE2's parser (re2/parse.cc: Parse, ParseEscape, ParseCharClass, MaybeParseRepeat, PushRepeatOp,
 * PushRepetition and its RepetitionWalker) that can fail with these options; not followed: the limits on nesting depth
 * and program size. libs 0.25.2 builds RE2 2022-06-01 (cmake/modules/re2.cmake); checked against that release's
 * library on random patterns.
 */
export function re2PosixError(pattern: string): string | undefined {
  const cp: number[] = [];
  for (const ch of pattern) cp.push(ch.codePointAt(0)!);
  const n = cp.length;
  let i = 0;
  // What the checks need of RE2's parse stack: whether its top is an operand (not empty, not after `(` or `|`), and
  // how many groups are open.
  let operand = false;
  let open = 0;
  // For RE2's limit on nested counts: the product of the counts {n,m} applied to the operand on top, and for each open
  // group (the whole pattern first) the largest such product among its operands.
  let product = 1;
  const groupProducts = [1];

  // An escape at `i` (a backslash), as ParseEscape reads it; returns its code point and moves past it.
  const escape = (): number | string => {
    const c = cp[i + 1];
    if (c === undefined) return 'trailing \\';
    i += 2;
    // \0, or \1-\7 followed by an octal digit (alone, a backreference: an error): up to two more octal digits.
    if (c === 48 || (isOctal(c) && isOctal(cp[i]))) {
      let code = c - 48;
      for (let k = 0; k < 2 && isOctal(cp[i]); k++) code = code * 8 + cp[i++] - 48;
      return code;
    }
    switch (c) {
      case 120: { // \x: two hex digits or {hex digits}
        if (cp[i] === 123) {
          i++;
          let code = 0;
          let digits = 0;
          while (isHexDigit(cp[i])) {
            code = code * 16 + parseInt(String.fromCharCode(cp[i++]), 16);
            digits++;
            if (code > 0x10ffff) return 'invalid escape sequence \\x{...}';
          }
          if (cp[i] !== 125 || digits === 0) return 'invalid escape sequence \\x{...}';
          i++;
          return code;
        }
        if (!isHexDigit(cp[i]) || !isHexDigit(cp[i + 1])) return 'invalid escape sequence \\x';
        i += 2;
        return parseInt(String.fromCharCode(cp[i - 2], cp[i - 1]), 16);
      }
      case 110: return 10; case 114: return 13; case 116: return 9; case 97: return 7; case 102: return 12; case 118: return 11;
      default:
        // Other punctuation stands for itself; letters, digits and non-ASCII characters are errors.
        return c < 0x80 && !isAsciiLetter(c) && !isDigit(c) ? c : `invalid escape sequence \\${String.fromCodePoint(c)}`;
    }
  };

  // A bracket class at `i`, as ParseCharClass reads it.
  const bracketClass = (): string | undefined => {
    i++;
    if (cp[i] === 94) i++; // ^
    let first = true; // `]` right after `[` or `[^` is a character
    while (i < n && (cp[i] !== 93 || first)) {
      // `-` is a character only first or last; elsewhere it must start a range.
      if (cp[i] === 45 && !first && (i + 1 === n || cp[i + 1] !== 93)) return 'invalid character class range';
      first = false;
      if (cp[i] === 91 && cp[i + 1] === 58 && n - i > 2) { // [:name:], the closing `:]` looked for up to the end
        let q = i + 2;
        while (q <= n - 2 && !(cp[q] === 58 && cp[q + 1] === 93)) q++;
        if (q <= n - 2) {
          const name = String.fromCodePoint(...cp.slice(i + 2, q));
          if (!POSIX_CLASS_NAMES.has(name.startsWith('^') ? name.slice(1) : name)) return `invalid character class [:${name}:]`;
          i = q + 2;
          continue;
        }
      }
      const lo = classCharacter();
      if (typeof lo === 'string') return lo;
      if (n - i >= 2 && cp[i] === 45 && cp[i + 1] !== 93) {
        i++;
        const hi = classCharacter();
        if (typeof hi === 'string') return hi;
        if (hi < lo) return 'invalid character class range';
      }
    }
    if (i >= n) return 'missing ]';
    i++;
    return undefined;
  };
  const classCharacter = (): number | string => {
    if (i >= n) return 'missing ]';
    return cp[i] === 92 ? escape() : cp[i++];
  };

  // {n}, {n,} or {n,m} at `i` (MaybeParseRepeat), or undefined when it is a literal `{`.
  const counted = (): { lo: number; hi: number; end: number } | undefined => {
    let k = i + 1;
    const integer = (): number | undefined => {
      if (!isDigit(cp[k]) || (cp[k] === 48 && isDigit(cp[k + 1]))) return undefined;
      let v = 0;
      while (isDigit(cp[k])) {
        if (v >= 100000000) return undefined;
        v = v * 10 + cp[k++] - 48;
      }
      return v;
    };
    const lo = integer();
    if (lo === undefined || k >= n) return undefined;
    let hi = lo;
    if (cp[k] === 44) {
      k++;
      if (k >= n) return undefined;
      if (cp[k] === 125) hi = -1;
      else { const h = integer(); if (h === undefined) return undefined; hi = h; }
    }
    return cp[k] === 125 ? { lo, hi, end: k + 1 } : undefined;
  };

  while (i < n) {
    const c = cp[i];
    switch (c) {
      case 40: open++; groupProducts.push(1); operand = false; i++; break; // (
      case 124: operand = false; i++; break; // |
      case 41: // )
        if (open === 0) return 'unexpected )';
        open--; product = groupProducts.pop()!; operand = true; i++; break;
      case 42: case 43: case 63: // * + ?
        if (!operand) return `missing argument to repetition operator ${String.fromCharCode(c)}`;
        i++; break;
      case 123: { // {
        const r = counted();
        if (!r) { operand = true; product = 1; i++; break; }
        if ((r.hi !== -1 && r.hi < r.lo) || r.lo > MAX_REPEAT || r.hi > MAX_REPEAT) return 'invalid repetition size';
        if (!operand) return 'missing argument to repetition operator';
        // RepetitionWalker: 1000 divided by the counts along every path inside the new repetition must stay above 0.
        const count = r.hi >= 0 ? r.hi : r.lo;
        if (count > 0) product *= count;
        if ((r.lo >= 2 || r.hi >= 2) && product > MAX_REPEAT) return 'invalid repetition size (nested counts over 1000)';
        i = r.end; break;
      }
      case 91: { // [
        const error = bracketClass();
        if (error) return error;
        operand = true; product = 1; break;
      }
      case 92: { // \
        const r = escape();
        if (typeof r === 'string') return r;
        operand = true; product = 1; break;
      }
      default: operand = true; product = 1; i++;
    }
    const top = groupProducts.length - 1;
    if (operand && product > groupProducts[top]) groupProducts[top] = product;
  }
  return open > 0 ? 'missing )' : undefined;
}

/** The largest number std::stoi reads (a 32-bit int): libsinsp reads a port made only of digits with it. */
const STOI_MAX = 2147483647;

/**
 * A port as libsinsp reads it (value_parser.cpp PT_PORT): empty is 0; only digits go through std::stoi, which throws
 * above 2^31-1 (numbers up to that are accepted and cut to 16 bits); anything else is a service name looked up with
 * getservbyname. The services depend on the host, but no services database has a name with a blank or a `#`.
 * std::stoi's out_of_range is no sinsp_exception: no rule loader catches it, and Falco exits with "stoi" (falco.cpp).
 */
function portError(value: string): string | undefined {
  if (value === '') return undefined;
  if (/^[0-9]+$/.test(value)) {
    const digits = value.replace(/^0+(?=.)/, '');
    return digits.length > 10 || Number(digits) > STOI_MAX ? `not a valid port (a number over ${STOI_MAX}, on which Falco exits with the error "stoi")` : undefined;
  }
  return /[ \t\n\v\f\r#]/.test(value) ? 'not a valid port (neither a number nor a service name, which has no blank or #)' : undefined;
}

/**
 * What libsinsp keeps of a port written as a number from 65536 to 2^31-1: std::stoi's int stored in 16 bits
 * (value_parser.cpp PT_PORT, `*(uint16_t*)storage = stoi(in)`), so 70000 is compared as 4464. Undefined for others.
 */
export function wrappedPort(value: string): number | undefined {
  if (!/^[0-9]+$/.test(value)) return undefined;
  const digits = value.replace(/^0+(?=.)/, '');
  if (digits.length > 10) return undefined;
  const n = Number(digits);
  return n > 65535 && n <= STOI_MAX ? n % 65536 : undefined;
}

/** What libsinsp does with a constant it does not take as written: rejects it (error), or keeps a port cut to 16 bits. */
interface ValueProblem { error?: string; wrapsTo?: number }

/** valueError, and a port over 65535 that libsinsp keeps as another port (see wrappedPort). */
function valueProblem(type: ValueType, op: string, value: string): ValueProblem | undefined {
  const error = valueError(type, op, value);
  if (error !== undefined) return { error };
  const wrapsTo = type === 'PORT' && op !== 'bcontains' && op !== 'bstartswith' ? wrappedPort(value) : undefined;
  return wrapsTo !== undefined ? { wrapsTo } : undefined;
}

/**
 * The error libsinsp throws when it adds `value` as a constant of a comparison with operator `op` on a field of
 * `type` (filter.cpp add_filtercheck_value, value_parser.cpp string_to_rawval); undefined when it accepts it or when
 * we cannot tell (a service name as a port depends on the host).
 */
export function valueError(type: ValueType, op: string, value: string): string | undefined {
  if (op === 'bcontains' || op === 'bstartswith') {
    if (!(value.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(value))) return NOT_HEX;
    if (NO_PARSER.has(type)) return NO_PARSER_ERROR;
    // Only buffers take these operators; the decoded bytes are kept as a buffer's value.
    return type === 'BYTEBUF' && value.length / 2 > MAX_VALUE_BYTES ? `too long (${value.length / 2} bytes once decoded: libsinsp keeps at most ${MAX_VALUE_BYTES})` : undefined;
  }
  if (NO_PARSER.has(type)) return NO_PARSER_ERROR;
  if (STRING_TYPES.has(type)) {
    const bytes = value.length > MAX_VALUE_BYTES / 3 ? utf8Length(value) : 0;
    if (bytes > MAX_VALUE_BYTES) return `too long (${bytes} bytes: libsinsp keeps at most ${MAX_VALUE_BYTES})`;
    // The value is kept first, then compiled (sinsp_filtercheck.cpp add_filter_value).
    const regexError = op === 'regex' ? re2PosixError(value) : undefined;
    return regexError !== undefined ? `not a valid regex for RE2 in POSIX mode (${regexError})` : undefined;
  }
  if (NUMBER_TYPES.has(type)) return SCANF_NUMBER.test(value) ? undefined : 'not a valid number (decimal digits, optionally signed)';
  if (type === 'BOOL') return value === 'true' || value === 'false' ? undefined : 'not a boolean (true or false)';
  // libsinsp reads addresses and networks with a dot as IPv4, all others as IPv6 (value_parser.cpp PT_IPADDR, PT_IPNET).
  if (type === 'IPADDR') {
    if (value.includes('.')) return isIpv4(value) ? undefined : `not an IPv4 address${value.includes(':') ? MAPPED_NOTE : ''}`;
    return isIpv6(value) ? undefined : 'not an IP address (without a dot, it is read as IPv6)';
  }
  if (type === 'IPNET') return ipNetError(value, value.includes('.'));
  if (type === 'IPV4ADDR') return isIpv4(value) ? undefined : 'not an IPv4 address';
  if (type === 'PORT') return portError(value);
  return undefined;
}

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
          const mayNameList = !literal.quoted && (rhs.kind === 'list' || LIST_OPERATORS.has(e.op) || e.modifier !== undefined) && startsLikeName(literal.text);
          const own = valueFacts(literal.text, regex);
          const problem = type !== undefined ? valueProblem(type, e.op, literal.text) : undefined;
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

/** As the list-reference checks: a bare word that starts like a name (not a number). */
function startsLikeName(text: string): boolean {
  const c = text.charCodeAt(0);
  return text.length > 0 && !(c >= 48 && c <= 57) && c !== 43 && c !== 45;
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
    else memo = { lists, plain: new Map(), regex: new Map(), errors: new Map(), tooLong: new Map() };
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
  code: Code.RegexSimplerOperator | Code.FieldAsValue | Code.TransformerAsValue | Code.InvalidValue | Code.PortWraps;
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
    const errors = c.type === undefined ? undefined
      : found ? listValueErrors(text, memo!, c.type, c.compare.op)
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
      const problem = type !== undefined && value !== undefined ? valueProblem(type, op, value) : undefined;
      if (own || mayNameList || problem) {
        const candidate: ExceptionCandidate = { start: node.span.start - base, end: node.span.end - base, text, regex, inList, mayNameList, value, own };
        if (type !== undefined) Object.assign(candidate, { field, type, op, problem });
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
    const errors = c.type === undefined ? undefined
      : found ? (c.inList ? listValueErrors(c.text, itemMemoFor(lists), c.type, c.op!) : undefined)
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
  if (!entryOf(item, 'exceptions')) return;
  for (const w of exceptionCompileWarnings(item, source, lists, chunk)) reporter.report(w.code, w.span, w.message, w.data);
}
