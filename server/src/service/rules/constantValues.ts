// How libsinsp parses a comparison's constants by the type compared: one value of one type at a time.
// compileWarnings.ts finds the constants of conditions, lists and exceptions, picks the type and reports.
import type { FieldType } from '../../knowledge';

// Value errors (an error, not a warning): constants that libsinsp refuses when it adds them to a comparison
// (sinsp_filter_check::add_filter_value): text it cannot parse as the type compared (the field's, after transformers;
// an event argument's for evt.rawarg), values too long for its storage, and regex values RE2 cannot compile.

/**
 * The type a constant is parsed as: a field's, or the type of an event argument (evt.rawarg.<name>), which may be one
 * the field catalog does not use. RAW_BYTEBUF is a buffer argument of evt.rawarg, which libsinsp parses without the
 * buffer case of other fields (see valueError).
 */
export type ValueType = FieldType | 'ENUMFLAGS8' | 'ENUMFLAGS16' | 'ENUMFLAGS32' | 'IPV4ADDR' | typeof RAW_BYTEBUF;
export const RAW_BYTEBUF = 'RAW_BYTEBUF';

/**
 * Types whose constants libsinsp reads with sinsp_numparser (value_parser.cpp, string_to_rawval): sscanf("%d%c") must
 * read exactly one number, i.e. optional leading blanks, an optional sign, decimal digits and nothing after (no hex,
 * no trailing blank). Out-of-range numbers are not rejected. DOUBLE is read as an integer too.
 */
export const NUMBER_TYPES = new Set<ValueType>(['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FD', 'ERRNO', 'PID',
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
export const MAX_VALUE_BYTES = 255;

/** Types whose constants are kept as text or bytes, limited only in length. */
export const STRING_TYPES = new Set<ValueType>(['CHARBUF', 'FSPATH', 'FSRELPATH', 'BYTEBUF']);

/** The length of `text` in UTF-8 (libsinsp counts bytes). */
export function utf8Length(text: string): number {
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
export const NOT_HEX = 'not hex (an even number of hex digits)';

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
export interface ValueProblem {
  error?: string;
  wrapsTo?: number;
  /** A value evt.res never gives (see neverAResult): Falco accepts it and the comparison never holds. */
  neverAResult?: true;
}

/**
 * Whether `value` is text evt.res never gives. libsinsp writes evt.res as text (sinsp_filtercheck_event.cpp
 * TYPE_RESSTR, libs 0.14-0.25): SUCCESS for a result of 0 or more, else the error's name (PT_ERRNO: EPERM for -1,
 * ENOENT for -2...; errno 1-133 all have names), so a number of 0 or more, an error number with a name, or a word that
 * is neither SUCCESS nor an error name never matches. A negative number past the named errors is left alone (libsinsp
 * writes the number where it has no name).
 */
export function neverAResult(value: string): boolean {
  if (/^-?[0-9]+$/.test(value)) return Number(value) >= -133;
  return value !== 'SUCCESS' && !/^E[A-Z0-9_]+$/.test(value);
}

/** valueError, and a port over 65535 that libsinsp keeps as another port (see wrappedPort). */
export function valueProblem(type: ValueType, op: string, value: string): ValueProblem | undefined {
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
