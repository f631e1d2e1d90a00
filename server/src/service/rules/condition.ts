// Parser for Falco conditions (the libsinsp filter language) and output formats.
//
// The grammar and the lexical rules follow libsinsp's filter parser (libs userspace/libsinsp/filter/parser.h EBNF):
// the language is lexed on demand, because the same characters are a field name, a macro name or a bare string
// depending on where they stand. Each lex step is a plain character loop (no regular expressions), so parsing is
// linear in the input. Where libsinsp stops at its first error, this parser records the error with an exact span,
// skips to the next `and`, `or` or `)` and goes on, so that later problems (undefined macros, unknown fields) are
// still found. The first error is the one Falco would report; a condition is accepted by Falco's parser exactly when
// `errors` is empty.
import type {
  ConditionParse, Expr, FieldExpr, FieldValue, ListValue, Literal, OutputField, OutputParse, OutputSyntaxError, Span, SyntaxError, Value,
} from './conditionAst';
import { OPERATOR_NAMES, TRANSFORMER_NAMES } from './operators';

// ---------------------------------------------------------------------------------------------------------------
// Character classes (libsinsp: lex_blank, RGX_IDENTIFIER, RGX_BARESTR, RGX_FIELDARGBARESTR)

const CH_SPACE = 32, CH_TAB = 9, CH_BS = 8, CH_CR = 13, CH_LF = 10;
const CH_LPAREN = 40, CH_RPAREN = 41, CH_COMMA = 44, CH_EQ = 61, CH_DQ = 34, CH_SQ = 39, CH_BACKSLASH = 92;
const CH_LBRACKET = 91, CH_RBRACKET = 93, CH_DOT = 46, CH_UNDERSCORE = 95, CH_PERCENT = 37, CH_STAR = 42;

/** Blanks between tokens, as lex_blank skips them. */
function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_BS || c === CH_CR || c === CH_LF;
}
/** POSIX [:space:], used where libsinsp matches with a regular expression (`not` followed by space, bare strings). */
function isPosixSpace(c: number): boolean {
  return c === CH_SPACE || (c >= CH_TAB && c <= CH_CR);
}
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isIdentChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === CH_UNDERSCORE;
}
function isBareStrChar(c: number): boolean {
  return !(c === CH_LPAREN || c === CH_RPAREN || c === CH_DQ || c === CH_SQ || c === CH_EQ || c === CH_COMMA || isPosixSpace(c)) && !Number.isNaN(c);
}
function isFieldArgBareChar(c: number): boolean {
  return !(c === CH_LBRACKET || c === CH_RBRACKET || c === CH_DQ || c === CH_SQ || isPosixSpace(c)) && !Number.isNaN(c);
}

/**
 * The classes above for ASCII, as bits in a table. The lexer's loops read it instead of calling a predicate for each
 * character: until the JIT has compiled the parser (the first conditions a server reads), those calls were most of
 * the parse. Every non-ASCII character is in no class, i.e. part of a bare string or field argument, as above; the
 * loops stop at the end of the text before reading a character (the predicates also reject NaN).
 */
const BLANK = 1, POSIX_SPACE = 2, LETTER = 4, IDENT = 8, ENDS_BARE_STR = 16, ENDS_FIELD_ARG = 32;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  CHAR_CLASS[c] = (isBlank(c) ? BLANK : 0) | (isPosixSpace(c) ? POSIX_SPACE : 0) | (isLetter(c) ? LETTER : 0)
    | (isIdentChar(c) ? IDENT : 0) | (isBareStrChar(c) ? 0 : ENDS_BARE_STR) | (isFieldArgBareChar(c) ? 0 : ENDS_FIELD_ARG);
}

/** Words that cannot be macro names: libsinsp would read them as identifiers, Falco then fails on an undefined macro. */
const RESERVED_WORDS = new Set(['and', 'or', 'not']);

/** Operators as libsinsp tries them, in its order; `word` ones need a blank after them. */
const STR_OPERATORS: readonly { text: string; word: boolean }[] = [
  { text: '==', word: false }, { text: '=', word: false }, { text: '!=', word: false },
  { text: 'glob', word: true }, { text: 'iglob', word: true }, { text: 'contains', word: true },
  { text: 'icontains', word: true }, { text: 'bcontains', word: true }, { text: 'startswith', word: true },
  { text: 'bstartswith', word: true }, { text: 'endswith', word: true }, { text: 'regex', word: true },
];
const NUM_OPERATORS = ['<=', '<', '>=', '>'];
const LIST_OPERATORS = ['intersects', 'in', 'pmatch'];
const MODIFIERS = ['oneof', 'anyof', 'allof'];
const LIST_LIKE_OPERATORS = new Set(LIST_OPERATORS);
const TRANSFORMER_NAME_SET: ReadonlySet<string> = new Set(TRANSFORMER_NAMES);

/** Every operator in the order libsinsp tries them, grouped by first character: only those starting with the
 *  character at the cursor can match, and trying them in this order keeps libsinsp's choice. */
type OperatorCandidate =
  | { group: 'exists' | 'num' | 'list'; text: string }
  | { group: 'str'; text: string; word: boolean };
const OPERATOR_CANDIDATES = new Map<number, OperatorCandidate[]>();
for (const candidate of [
  { group: 'exists', text: 'exists' } as OperatorCandidate,
  ...NUM_OPERATORS.map((text): OperatorCandidate => ({ group: 'num', text })),
  ...STR_OPERATORS.map((op): OperatorCandidate => ({ group: 'str', text: op.text, word: op.word })),
  ...LIST_OPERATORS.map((text): OperatorCandidate => ({ group: 'list', text })),
]) {
  const first = candidate.text.charCodeAt(0);
  const list = OPERATOR_CANDIDATES.get(first) ?? [];
  list.push(candidate);
  OPERATOR_CANDIDATES.set(first, list);
}
const NO_CANDIDATES: readonly OperatorCandidate[] = [];

/** Deepest nesting accepted; Falco sets its parser's limit to 1000. Deeper input gets an error, not a stack overflow. */
const MAX_DEPTH = 1000;
/** Characters of a token quoted in a parse error's message (describe). */
const DESCRIBED_CHARS = 80;

class ParseFailure {
  /** The field a comparison had read when it failed, and the text glued to its name that no field name takes. */
  field?: FieldExpr;
  glued?: Span;
  constructor(readonly message: string, readonly span: Span) {}
}

/**
 * The end of the field name at `start` as libsinsp's filter parser lexes it (RGX_FIELDNAME, identical in libs
 * 0.14.2-0.25.4 filter/parser.cpp, i.e. Falco 0.37-0.44: `[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+`, the
 * longest match), or `start` when none starts there. So `k8s.ns.label.app-tier` is the field `k8s.ns.label.app`
 * followed by `-tier`; `-`, `/`, `:`, a part starting with a digit, an empty part or a trailing dot end the name.
 */
export function fieldNameEnd(text: string, start: number): number {
  if (!letterIn(text, start)) return start;
  let i = identEndIn(text, start + 1);
  let dots = 0;
  while (text.charCodeAt(i) === CH_DOT && letterIn(text, i + 1)) {
    i = identEndIn(text, i + 2);
    dots++;
  }
  return dots === 0 ? start : i;
}
function letterIn(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c < 128 && (CHAR_CLASS[c] & LETTER) !== 0;
}
function identEndIn(text: string, at: number): number {
  let i = at;
  for (let c; i < text.length && (c = text.charCodeAt(i)) < 128 && (CHAR_CLASS[c] & IDENT) !== 0;) i++;
  return i;
}

/** Unescapes a quoted string as libsinsp's unescape_str does; returns an error message for a bad escape. */
function unescapeQuoted(raw: string): { value: string } | { error: string; at: number } {
  const quote = raw[0];
  let out = '';
  const end = raw.length - 1;
  for (let i = 1; i < end; i++) {
    const ch = raw[i]!;
    if (ch !== '\\') { out += ch; continue; }
    i++;
    const esc = raw[i]!;
    switch (esc) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case ' ': case '\\': out += '\\'; break; // libsinsp keeps `\ ` as a backslash for old rules
      case '/': out += '/'; break;
      case '"': case "'":
        if (esc !== quote) return { error: `\\${esc} is not a valid escape inside a ${quote}-quoted string`, at: i - 1 };
        out += esc; break;
      case 'x': {
        const hex = raw.slice(i + 1, i + 3);
        if (i + 2 >= end) return { error: 'truncated \\x escape: two hex digits are needed', at: i - 1 };
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { error: `invalid \\x escape '\\x${hex}': two hex digits are needed`, at: i - 1 };
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        return { error: `unsupported escape sequence '\\${esc}'; supported: \\b \\f \\n \\r \\t \\\\ \\/ \\x.. and the quote`, at: i - 1 };
    }
  }
  return { value: out };
}

function spanOf(start: number, end: number): Span {
  return { start, end };
}

// ---------------------------------------------------------------------------------------------------------------
// Condition parser

class ConditionParser {
  private pos = 0;
  private depth = 0;
  /** End of the last macro reference parsed, to explain an operator that follows a name without a dot. */
  private lastMacroEnd = -1;
  readonly errors: SyntaxError[] = [];

  constructor(private readonly text: string) {}

  private code(at = this.pos): number {
    return at < this.text.length ? this.text.charCodeAt(at) : Number.NaN;
  }
  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  private skipBlank(): boolean {
    const start = this.pos;
    const text = this.text;
    let i = start;
    for (let c; i < text.length && (c = text.charCodeAt(i)) < 128 && (CHAR_CLASS[c] & BLANK) !== 0;) i++;
    this.pos = i;
    return i > start;
  }
  /** The end of the run of characters from `at` that are in `cls` (ASCII only). */
  private runOf(at: number, cls: number): number {
    const text = this.text;
    let i = at;
    for (let c; i < text.length && (c = text.charCodeAt(i)) < 128 && (CHAR_CLASS[c] & cls) !== 0;) i++;
    return i;
  }
  /** The end of the run of characters from `at` that are not in `cls` (every non-ASCII character included), at most
   *  `limit`. */
  private runUntil(at: number, cls: number, limit = this.text.length): number {
    const text = this.text;
    const end = Math.min(limit, text.length);
    let i = at;
    for (let c; i < end && ((c = text.charCodeAt(i)) >= 128 || (CHAR_CLASS[c] & cls) === 0);) i++;
    return i;
  }
  /** Whether the character at `at` is an ASCII letter (false past the end). */
  private letterAt(at: number): boolean {
    const c = this.text.charCodeAt(at);
    return c < 128 && (CHAR_CLASS[c] & LETTER) !== 0;
  }
  private startsWith(s: string, at = this.pos): boolean {
    return this.text.startsWith(s, at);
  }
  private fail(message: string, start: number, end = start): never {
    throw new ParseFailure(message, spanOf(start, end));
  }
  private enter(at: number): void {
    if (++this.depth > MAX_DEPTH) this.fail('the condition is nested too deeply for Falco\'s parser', at, at + 1);
  }

  /** The word (or single character) at `at`, for messages and error spans; read no further than `limit`. */
  private tokenEnd(at: number, limit = this.text.length): number {
    const c = this.code(at);
    if (Number.isNaN(c)) return at;
    if (c === CH_DQ || c === CH_SQ) {
      const close = this.text.indexOf(String.fromCharCode(c), at + 1);
      return close < 0 || close >= limit ? Math.min(limit, this.text.length) : close + 1;
    }
    if (!isBareStrChar(c)) return at + 1;
    return this.runUntil(at, ENDS_BARE_STR, limit);
  }
  /** The token at `at` quoted for a message, its first DESCRIBED_CHARS characters only: an output's `%` followed by a
   *  long word (`%p%p%p...`) quoted the whole rest of the output in the message of each `%` (quadratic, and as many
   *  copies of the text). */
  private describe(at: number): string {
    if (at >= this.text.length) return 'the end of the condition';
    const end = this.tokenEnd(at, at + DESCRIBED_CHARS + 1);
    if (end - at <= DESCRIBED_CHARS) return `'${this.text.slice(at, end)}'`;
    const cut = at + DESCRIBED_CHARS - (this.text.charCodeAt(at + DESCRIBED_CHARS - 1) >= 0xd800 && this.text.charCodeAt(at + DESCRIBED_CHARS - 1) <= 0xdbff ? 1 : 0);
    return `'${this.text.slice(at, cut)}…'`;
  }

  // --- lexing helpers: each consumes on success and leaves the cursor untouched on failure

  private lexIdentifier(): Span | undefined {
    const start = this.pos;
    if (!this.letterAt(start)) return undefined;
    const i = this.runOf(start + 1, IDENT);
    this.pos = i;
    return spanOf(start, i);
  }
  /** `class.name(.sub)*`: at least one dot, each component starting with a letter (fieldNameEnd). */
  private lexFieldName(): Span | undefined {
    const start = this.pos;
    const i = fieldNameEnd(this.text, start);
    if (i === start) return undefined;
    this.pos = i;
    return spanOf(start, i);
  }
  /** `name(` for a transformer name. Every name is a word, so the word at the cursor followed by `(` decides (one
   *  scan instead of trying each name: this runs before every value and every operand that is not a field). */
  private lexTransformerOpen(): { name: string; span: Span } | undefined {
    const start = this.pos;
    if (!this.letterAt(start)) return undefined;
    const end = this.runOf(start + 1, IDENT);
    if (this.text.charCodeAt(end) !== CH_LPAREN) return undefined;
    const name = this.text.slice(start, end);
    if (!TRANSFORMER_NAME_SET.has(name)) return undefined;
    this.pos = end + 1;
    return { name, span: spanOf(start, end) };
  }
  private lexValOpen(): Span | undefined {
    if (!this.startsWith('val(')) return undefined;
    const span = spanOf(this.pos, this.pos + 3);
    this.pos += 4;
    return span;
  }
  /** A quoted string; fails (throws) on a bad escape or a missing closing quote, at the opening quote. */
  private lexQuoted(): Literal | undefined {
    const open = this.code();
    if (open !== CH_DQ && open !== CH_SQ) return undefined;
    const start = this.pos;
    // libsinsp closes the string at the first quote not preceded by a backslash (so `"a\\"` stays open).
    const text = this.text;
    let i = start + 1;
    let prev = -1;
    let escapes = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === open && prev !== CH_BACKSLASH) break;
      if (c === CH_BACKSLASH) escapes = true;
      prev = c;
      i++;
    }
    if (i >= text.length) this.fail('unterminated string: the closing quote is missing', start, text.length);
    let value: string;
    if (escapes) {
      const unescaped = unescapeQuoted(text.slice(start, i + 1));
      if ('error' in unescaped) this.fail(unescaped.error, start + unescaped.at, start + unescaped.at + 2);
      value = unescaped.value;
    } else {
      // Without a backslash the value is the text between the quotes (unescapeQuoted would copy it a character at a
      // time, a new string per character).
      value = text.slice(start + 1, i);
    }
    this.pos = i + 1;
    return { kind: 'literal', text: value, quoted: true, span: spanOf(start, i + 1) };
  }
  /** A bare string or field argument: the characters up to one in `ends` (ENDS_BARE_STR or ENDS_FIELD_ARG). */
  private lexBare(ends: number): Literal | undefined {
    const start = this.pos;
    const i = this.runUntil(start, ends);
    if (i === start) return undefined;
    this.pos = i;
    return { kind: 'literal', text: this.text.slice(start, i), quoted: false, span: spanOf(start, i) };
  }
  /** HexNumber | Number, as libsinsp lexes them. */
  private lexNumber(): Literal | undefined {
    const start = this.pos;
    let i = start;
    if (this.code(i) === 48 && (this.code(i + 1) === 120 || this.code(i + 1) === 88) && isHexDigit(this.code(i + 2))) {
      i += 2;
      while (isHexDigit(this.code(i))) i++;
    } else {
      if (this.code(i) === 43 || this.code(i) === 45) i++;
      if (!isDigit(this.code(i))) return undefined;
      while (isDigit(this.code(i))) i++;
      if (this.code(i) === CH_DOT) i++;
      while (isDigit(this.code(i))) i++;
      const e = this.code(i);
      if ((e === 101 || e === 69) && (this.code(i + 1) === 43 || this.code(i + 1) === 45) && isDigit(this.code(i + 2))) {
        i += 2;
        while (isDigit(this.code(i))) i++;
      }
    }
    this.pos = i;
    return { kind: 'literal', text: this.text.slice(start, i), quoted: false, span: spanOf(start, i) };
  }
  private boolKeywordFollows(): boolean {
    for (const kw of RESERVED_WORDS) {
      if (this.startsWith(kw)) {
        const next = this.code(this.pos + kw.length);
        if (Number.isNaN(next) || !(isLetter(next) || isDigit(next))) return true;
      }
    }
    return false;
  }

  // --- grammar

  parse(): ConditionParse {
    // An ASCII non-blank first character settles it without trimming (a copy of the whole condition).
    const first = this.text.charCodeAt(0);
    if (!(first > 32 && first < 127) && this.text.trim().length === 0) {
      return { errors: [{ message: 'the condition is empty', span: spanOf(0, this.text.length) }] };
    }
    let ast = this.parseOr();
    this.skipBlank();
    // Trailing input: report it, then keep parsing what follows the next and/or so later references are still seen.
    while (!this.atEnd()) {
      const at = this.pos;
      if (this.code() === CH_RPAREN) {
        this.record(`unmatched ')': no '(' opens it`, spanOf(at, at + 1));
        this.pos++;
      } else {
        this.record(this.unexpectedMessage(at, `'and', 'or' or the end of the condition`), spanOf(at, this.tokenEnd(at)));
        this.pos = this.tokenEnd(at);
        this.synchronize();
      }
      this.skipBlank();
      const keyword = this.startsWith('and') ? 3 : this.startsWith('or') ? 2 : 0;
      if (keyword === 0 || !(isBlank(this.code(this.pos + keyword)) || this.code(this.pos + keyword) === CH_LPAREN)) continue;
      const kwStart = this.pos;
      this.pos += keyword;
      this.skipBlank();
      if (this.atEnd()) {
        this.record(`missing condition after '${this.text.slice(kwStart, kwStart + keyword)}'`, spanOf(kwStart, kwStart + keyword));
        break;
      }
      const rest = this.parseOr();
      ast = { kind: 'and', operands: [ast, rest], span: spanOf(ast.span.start, rest.span.end) };
      this.skipBlank();
    }
    return { ast, errors: this.errors };
  }

  /** Message for an unexpected token; an operator right after a bare name means the name was meant as a field. */
  private unexpectedMessage(at: number, expected: string): string {
    let before = at;
    while (before > 0 && isBlank(this.text.charCodeAt(before - 1))) before--;
    let wordStart = before;
    while (wordStart > 0 && isIdentChar(this.text.charCodeAt(wordStart - 1))) wordStart--;
    const word = this.text.slice(wordStart, before);
    const token = this.text.slice(at, this.tokenEnd(at));
    const looksLikeOperator = /^[=!<>]/.test(token) || OPERATOR_NAMES.includes(token);
    if (looksLikeOperator && word.length > 0 && before === this.lastMacroEnd) {
      return `'${word}' is read as a macro name, so ${this.describe(at)} cannot follow it: a field has a class and a name, such as proc.name`;
    }
    return `unexpected ${this.describe(at)}: expected ${expected}`;
  }

  private record(message: string, span: Span, fieldCut?: SyntaxError['fieldCut']): void {
    // One error per place: recovery can reach the same token twice (`(and)`), the first message is the useful one.
    if (this.errors.some((e) => e.span.start === span.start && e.span.end === span.end)) return;
    this.errors.push(fieldCut ? { message, span, fieldCut } : { message, span });
  }

  /** Skips to the next `and`/`or` keyword, `)` closing the current level, or the end; balanced parentheses and
   *  quoted strings are skipped whole. */
  private synchronize(): void {
    let level = 0;
    while (!this.atEnd()) {
      const c = this.code();
      if (c === CH_DQ || c === CH_SQ) { this.pos = this.tokenEnd(this.pos); continue; }
      if (c === CH_LPAREN) { level++; this.pos++; continue; }
      if (c === CH_RPAREN) {
        if (level === 0) return;
        level--; this.pos++; continue;
      }
      if (level === 0 && (this.startsWith('and') || this.startsWith('or'))) {
        const before = this.pos === 0 ? CH_SPACE : this.code(this.pos - 1);
        const len = this.startsWith('and') ? 3 : 2;
        const after = this.code(this.pos + len);
        if ((isBlank(before) || before === CH_RPAREN) && (isBlank(after) || after === CH_LPAREN)) return;
      }
      this.pos++;
    }
  }

  /** Parses one operand of and/or; on failure records the error and returns an error node. */
  private parseOperand(parse: () => Expr): Expr {
    const start = this.pos;
    try {
      return parse();
    } catch (e) {
      return this.recovered(start, e);
    }
  }

  /** parseOperand of parseNot, the operand of every `and`, without a closure per operand. */
  private parseNotOperand(): Expr {
    const start = this.pos;
    try {
      return this.parseNot();
    } catch (e) {
      return this.recovered(start, e);
    }
  }

  /** An operand that failed at `start`: the error is recorded, the parser moves to where it can go on. */
  private recovered(start: number, e: unknown): Expr {
    if (!(e instanceof ParseFailure)) throw e;
    this.record(e.message, e.span, e.field && e.glued ? { field: e.field.name, glued: this.text.slice(e.glued.start, e.glued.end) } : undefined);
    this.synchronize();
    let end = this.pos;
    while (end > start && isBlank(this.text.charCodeAt(end - 1))) end--;
    const span = spanOf(Math.min(start, e.span.start), Math.max(end, e.span.end));
    if (!e.field) return { kind: 'error', span };
    return e.glued ? { kind: 'error', span, field: e.field, glued: e.glued } : { kind: 'error', span, field: e.field };
  }

  private parseOr(): Expr {
    this.enter(this.pos);
    try {
      this.skipBlank();
      const first = this.parseAnd();
      this.skipBlank();
      // Most operands stand alone: no array for them.
      if (!this.startsWith('or')) return first;
      const operands = [first];
      while (this.startsWith('or')) {
        const kw = this.pos;
        this.pos += 2;
        operands.push(this.afterBoolKeyword('or', kw));
        this.skipBlank();
      }
      return { kind: 'or', operands, span: spanOf(first.span.start, operands[operands.length - 1]!.span.end) };
    } finally {
      this.depth--;
    }
  }

  private parseAnd(): Expr {
    this.enter(this.pos);
    try {
      this.skipBlank();
      const first = this.parseNotOperand();
      this.skipBlank();
      if (!this.startsWith('and')) return first;
      const operands = [first];
      while (this.startsWith('and')) {
        const kw = this.pos;
        this.pos += 3;
        operands.push(this.afterBoolKeyword('and', kw));
        this.skipBlank();
      }
      return { kind: 'and', operands, span: spanOf(first.span.start, operands[operands.length - 1]!.span.end) };
    } finally {
      this.depth--;
    }
  }

  /** After `and`/`or`: a blank then an operand (an `and` of them after `or`, a negation after `and`), or `(` directly. */
  private afterBoolKeyword(keyword: 'and' | 'or', kwStart: number): Expr {
    if (this.skipBlank()) {
      if (this.atEnd()) {
        this.record(`missing condition after '${keyword}'`, spanOf(kwStart, kwStart + keyword.length));
        return { kind: 'error', span: spanOf(kwStart, kwStart + keyword.length) };
      }
      return keyword === 'or' ? this.parseAnd() : this.parseNotOperand();
    }
    if (this.code() === CH_LPAREN) {
      const open = this.pos;
      this.pos++;
      return this.parseOperand(() => this.parseEmbeddedRemainder(open));
    }
    // `andfoo`: libsinsp reads `and` and then requires a blank or '('.
    const end = this.tokenEnd(kwStart);
    this.record(this.atEnd()
      ? `missing condition after '${keyword}'`
      : `expected a blank or '(' after '${keyword}', found ${this.describe(kwStart)}`, spanOf(kwStart, end));
    this.pos = end;
    this.synchronize();
    return { kind: 'error', span: spanOf(kwStart, end) };
  }

  private parseNot(): Expr {
    this.enter(this.pos);
    try {
      this.skipBlank();
      // Where each leading `not` starts (an array only when there is one).
      let nots: number[] | undefined;
      for (;;) {
        if (this.startsWith('not') && isPosixSpace(this.code(this.pos + 3))) {
          (nots ??= []).push(this.pos);
          this.pos += 3;
          this.pos = this.runOf(this.pos, POSIX_SPACE);
          continue;
        }
        break;
      }
      let inner: Expr;
      if (this.startsWith('not(')) {
        const notStart = this.pos;
        this.pos += 4;
        const paren = this.parseEmbeddedRemainder(notStart + 3);
        inner = { kind: 'not', operand: paren, span: spanOf(notStart, paren.span.end) };
      } else {
        if (nots && this.atEnd()) {
          const last = nots[nots.length - 1]!;
          this.fail(`missing condition after 'not'`, last, last + 3);
        }
        inner = this.parseCheck();
      }
      // libsinsp's parse_not toggles one flag per leading `not` and makes at most one not node (parser.cpp 0.25.2
      // parse_not): `not not a` is `a` to every check after it. So is it here, and a run of thousands of `not`
      // stays one node, where a node per `not` overflowed the stack of every recursive walk of the tree.
      if (nots && nots.length % 2 === 1) inner = { kind: 'not', operand: inner, span: spanOf(nots[0]!, inner.span.end) };
      return inner;
    } finally {
      this.depth--;
    }
  }

  /** After `(`: an expression and its `)`. */
  private parseEmbeddedRemainder(open: number): Expr {
    this.enter(open);
    try {
      this.skipBlank();
      if (this.atEnd()) this.fail(`unbalanced parentheses: this '(' is never closed`, open, open + 1);
      const inner = this.parseOr();
      this.skipBlank();
      if (this.code() === CH_RPAREN) {
        this.pos++;
        return { kind: 'paren', inner, span: spanOf(open, this.pos) };
      }
      if (this.atEnd()) {
        // Keep the inner expression (its macros and fields still count) but report the unclosed '('.
        this.record(`unbalanced parentheses: this '(' is never closed`, spanOf(open, open + 1));
        return { kind: 'paren', inner, span: spanOf(open, this.text.length) };
      }
      const at = this.pos;
      this.record(this.unexpectedMessage(at, `'and', 'or' or ')'`), spanOf(at, this.tokenEnd(at)));
      this.pos = this.tokenEnd(at);
      this.synchronize();
      // Resume inside the parentheses until their ')' so the rest of the condition keeps its structure.
      while (!this.atEnd() && this.code() !== CH_RPAREN) {
        this.parseOperand(() => this.parseOr());
        this.skipBlank();
        if (!this.atEnd() && this.code() !== CH_RPAREN) { this.pos = this.tokenEnd(this.pos); this.synchronize(); }
      }
      if (this.code() === CH_RPAREN) this.pos++;
      else this.record(`unbalanced parentheses: this '(' is never closed`, spanOf(open, open + 1));
      return { kind: 'paren', inner, span: spanOf(open, this.pos) };
    } finally {
      this.depth--;
    }
  }

  private parseCheck(): Expr {
    this.skipBlank();
    const start = this.pos;
    if (this.code() === CH_LPAREN) {
      this.pos++;
      return this.parseEmbeddedRemainder(start);
    }
    const fieldSpan = this.lexFieldName();
    if (fieldSpan) return this.parseConditionOf(this.parseFieldRemainder(fieldSpan));
    const transformer = this.lexTransformerOpen();
    if (transformer) return this.parseConditionOf(this.parseTransformerRemainder(transformer.name, transformer.span));
    const ident = this.lexIdentifier();
    if (ident) {
      const name = this.text.slice(ident.start, ident.end);
      if (name === 'and' || name === 'or') {
        // `a and and b`: report the doubled keyword and leave it for the and/or loop, so `b` is still parsed.
        this.record(`expected a condition before '${name}'`, ident);
        this.pos = ident.start;
        return { kind: 'error', span: ident };
      }
      if (RESERVED_WORDS.has(name)) this.fail(`missing condition after '${name}'`, ident.start, ident.end);
      this.lastMacroEnd = ident.end;
      return { kind: 'macro', name, span: ident };
    }
    if (this.atEnd()) this.fail('missing condition at the end', Math.max(0, start - 1), start);
    if (this.code() === CH_RPAREN) this.fail(`expected a condition before ')'`, start, start + 1);
    this.fail(`expected a field check, a macro name or '(', found ${this.describe(start)}`, start, this.tokenEnd(start));
  }

  private parseFieldRemainder(nameSpan: Span): FieldExpr {
    const arg = this.parseOptionalFieldArg();
    const name = this.text.slice(nameSpan.start, nameSpan.end);
    // Without an argument the field's span is its name's: one object for both (spans are never changed).
    return arg ? { kind: 'field', name, nameSpan, arg, span: spanOf(nameSpan.start, this.pos) } : { kind: 'field', name, nameSpan, span: nameSpan };
  }

  private parseOptionalFieldArg(): { text: string; span: Span } | undefined {
    if (this.code() !== CH_LBRACKET) return undefined;
    const open = this.pos;
    this.pos++;
    const quoted = this.lexQuoted();
    const value = quoted ?? this.lexBare(ENDS_FIELD_ARG);
    if (!value) this.fail(`expected a field argument after '[': a quoted or a bare string`, open, this.tokenEnd(this.pos) > this.pos ? this.tokenEnd(this.pos) : open + 1);
    if (this.code() !== CH_RBRACKET) this.fail(`expected ']' to close the field argument`, open, this.pos);
    this.pos++;
    return { text: value.text, span: value.span };
  }

  /** After `name(`: comma-separated arguments, `)`, then an optional `[arg]`. */
  private parseTransformerRemainder(name: string, nameSpan: Span): FieldExpr {
    this.enter(nameSpan.start);
    try {
      const args: FieldExpr[] = [];
      const literalArgs: Literal[] = [];
      this.skipBlank();
      do {
        this.parseTransformerArg(args, literalArgs, name, nameSpan);
        this.skipBlank();
      } while (this.code() === CH_COMMA && (this.pos++, this.skipBlank(), true));
      if (this.code() !== CH_RPAREN) {
        const last = args[args.length - 1];
        if (last) this.failIfGlued(last, this.pos, `')' closing '${name}('`);
        this.fail(this.atEnd() ? `'${name}(' is never closed` : `expected ')' closing '${name}(', found ${this.describe(this.pos)}`,
          this.atEnd() ? nameSpan.start : this.pos, this.atEnd() ? nameSpan.end + 1 : this.tokenEnd(this.pos));
      }
      this.pos++;
      const arg = this.parseOptionalFieldArg();
      return { kind: 'transformer', name, nameSpan, args, literalArgs, ...(arg ? { arg } : {}), span: spanOf(nameSpan.start, this.pos) };
    } finally {
      this.depth--;
    }
  }

  private parseTransformerArg(args: FieldExpr[], literalArgs: Literal[], name: string, nameSpan: Span): void {
    this.skipBlank();
    const num = this.lexNumber();
    if (num) { literalArgs.push(num); return; }
    const quoted = this.lexQuoted();
    if (quoted) { literalArgs.push(quoted); return; }
    if (this.code() === CH_LPAREN) {
      // A transformer list: `(field, "text", 1)`.
      const open = this.pos;
      this.pos++;
      this.skipBlank();
      if (this.code() === CH_RPAREN) { this.pos++; return; }
      for (;;) {
        this.skipBlank();
        const item = this.lexFieldName();
        if (item) args.push(this.parseFieldRemainder(item));
        else {
          const t = this.lexTransformerOpen();
          if (t) args.push(this.parseTransformerRemainder(t.name, t.span));
          else {
            const lit = this.lexQuoted() ?? this.lexNumber();
            if (!lit) this.fail(`expected a field, a transformer, a quoted string or a number in the list of '${name}'`, this.pos, this.tokenEnd(this.pos) > this.pos ? this.tokenEnd(this.pos) : this.pos + 1);
            literalArgs.push(lit);
          }
        }
        this.skipBlank();
        if (this.code() === CH_COMMA) { this.pos++; continue; }
        if (this.code() === CH_RPAREN) { this.pos++; return; }
        this.fail(this.atEnd() ? `unbalanced parentheses: this '(' is never closed` : `expected ',' or ')' in the list of '${name}', found ${this.describe(this.pos)}`,
          this.atEnd() ? open : this.pos, this.atEnd() ? open + 1 : this.tokenEnd(this.pos));
      }
    }
    const t = this.lexTransformerOpen();
    if (t) { args.push(this.parseTransformerRemainder(t.name, t.span)); return; }
    const field = this.lexFieldName();
    if (field) { args.push(this.parseFieldRemainder(field)); return; }
    const at = this.pos;
    this.fail(this.atEnd() ? `'${name}(' is never closed` : `expected a field, a transformer, a quoted string, a number or a list as argument of '${name}', found ${this.describe(at)}`,
      this.atEnd() ? nameSpan.start : at, this.atEnd() ? nameSpan.end + 1 : this.tokenEnd(at));
  }

  /** A comparison node; optional keys are present only when set (in this order), as the tests compare trees. Each
   *  shape is one literal: keys added after creation would move to a second, out-of-object store. */
  private compareNode(lhs: FieldExpr, op: string, opStart: number, opEnd: number, rhs?: Value, modifier?: { name: string; span: Span }): Expr {
    const opSpan = spanOf(opStart, opEnd);
    const span = spanOf(lhs.span.start, rhs ? rhs.span.end : (modifier ? modifier.span.end : opEnd));
    if (modifier) return rhs ? { kind: 'compare', lhs, op, opSpan, modifier, rhs, span } : { kind: 'compare', lhs, op, opSpan, modifier, span };
    return rhs ? { kind: 'compare', lhs, op, opSpan, rhs, span } : { kind: 'compare', lhs, op, opSpan, span };
  }

  /** parseCondition, a failure of which keeps the field it had read (libsinsp has read it too when it fails). */
  private parseConditionOf(lhs: FieldExpr): Expr {
    try {
      return this.parseCondition(lhs);
    } catch (e) {
      if (e instanceof ParseFailure) e.field ??= lhs;
      throw e;
    }
  }

  private parseCondition(lhs: FieldExpr): Expr {
    this.skipBlank();
    const opStart = this.pos;
    const candidates = OPERATOR_CANDIDATES.get(this.code()) ?? NO_CANDIDATES;
    for (const candidate of candidates) {
      if (candidate.group !== 'exists' && candidate.group !== 'num') continue;
      const op = candidate.text;
      if (!this.startsWith(op)) continue;
      this.pos += op.length;
      if (candidate.group === 'exists') return this.compareNode(lhs, 'exists', opStart, this.pos);
      return this.compareNode(lhs, op, opStart, opStart + op.length, this.parseNumValue(op, opStart));
    }
    for (const op of candidates) {
      if (op.group !== 'str' || !this.startsWith(op.text)) continue;
      if (op.word && !isBlank(this.code(this.pos + op.text.length))) {
        const after = this.code(this.pos + op.text.length);
        // `proc.name contains` at the end, or `contains(x)`: the operator is right, its value is missing or glued.
        if (Number.isNaN(after)) this.fail(`missing a value after '${op.text}'`, opStart, opStart + op.text.length);
        if (!isIdentChar(after)) this.fail(`'${op.text}' must be followed by a blank before its value`, opStart, opStart + op.text.length + 1);
        continue;
      }
      this.pos += op.text.length;
      const opEnd = this.pos;
      const hadBlank = this.skipBlank() || op.word;
      if (hadBlank) {
        const saved = this.pos;
        for (const m of MODIFIERS) {
          if (this.startsWith(m) && isBlank(this.code(this.pos + m.length))) {
            const modSpan = spanOf(this.pos, this.pos + m.length);
            this.pos += m.length;
            this.skipBlank();
            if ((this.code() === CH_LPAREN || isLetter(this.code())) && !this.boolKeywordFollows()) {
              return this.compareNode(lhs, op.text, opStart, opEnd, this.parseListValue(`${op.text} ${m}`, opStart), { name: m, span: modSpan });
            }
            this.pos = saved;
          }
        }
      }
      return this.compareNode(lhs, op.text, opStart, opEnd, this.parseStrValue(op.text, opStart));
    }
    for (const candidate of candidates) {
      const op = candidate.text;
      if (candidate.group === 'list' && this.startsWith(op)) {
        this.pos += op.length;
        return this.compareNode(lhs, op, opStart, opStart + op.length, this.parseListValueOrTransformer(op, opStart));
      }
    }
    const end = this.tokenEnd(opStart);
    if (this.atEnd()) this.fail(`missing operator after '${lhs.kind === 'field' ? lhs.name : lhs.name + '(...)'}'`, lhs.span.start, lhs.span.end);
    const word = this.text.slice(opStart, end);
    // Glued to the name (`k8s.ns.label.app-tier`, `proc.name/x`): no operator starts with this character.
    this.failIfGlued(lhs, opStart, 'an operator');
    const suggestion = closestOperator(word);
    this.fail(`unknown operator '${word}'${suggestion ? `; did you mean '${suggestion}'?` : ''} (operators: ${OPERATOR_NAMES.join(', ')})`, opStart, end);
  }

  /** Text glued to a field's name where `expected` should follow: libsinsp's field name stopped there (fieldNameEnd). */
  private failIfGlued(field: FieldExpr, at: number, expected: string): void {
    if (field.kind !== 'field' || field.arg || at !== field.nameSpan.end || this.atEnd()) return;
    const end = this.tokenEnd(at);
    const word = this.text.slice(at, end);
    const failure = new ParseFailure(`'${field.name}${word}' is not a field name to Falco: its parser reads the field '${field.name}' (a field name is letters, digits and '_', in dot-separated parts that start with a letter) and then expects ${expected}, not '${word}'`, spanOf(at, end));
    failure.field = field;
    failure.glued = spanOf(at, end);
    throw failure;
  }

  private missingValue(op: string, opStart: number, what: string): never {
    if (this.atEnd()) this.fail(`missing ${what} after '${op}'`, opStart, opStart + op.length);
    const at = this.pos;
    this.fail(`expected ${what} after '${op}', found ${this.describe(at)}`, at, Math.max(this.tokenEnd(at), at + 1));
  }

  private parseFieldValueOrTransformer(): FieldValue | undefined {
    const start = this.pos;
    const val = this.lexValOpen();
    if (val) {
      this.skipBlank();
      const name = this.lexFieldName();
      if (!name) this.fail(`expected a field inside 'val(...)'`, start, Math.max(this.tokenEnd(this.pos), this.pos));
      const field = this.parseFieldRemainder(name);
      this.skipBlank();
      // libsinsp reports where the ')' should be; an unclosed 'val(' at the end is reported on it.
      if (this.code() !== CH_RPAREN) {
        if (this.atEnd()) this.fail(`'val(' is never closed`, start, start + 4);
        this.failIfGlued(field, this.pos, `')' closing 'val('`);
        this.fail(`expected ')' closing 'val(', found ${this.describe(this.pos)}`, this.pos, Math.max(this.tokenEnd(this.pos), this.pos + 1));
      }
      this.pos++;
      const arg = this.parseOptionalFieldArg();
      const inner: FieldExpr = arg && field.kind === 'field' && !field.arg ? { ...field, arg } : field;
      return { kind: 'field-value', field: inner, span: spanOf(start, this.pos) };
    }
    const t = this.lexTransformerOpen();
    if (t) {
      const field = this.parseTransformerRemainder(t.name, t.span);
      return { kind: 'field-value', field, span: field.span };
    }
    return undefined;
  }

  private parseNumValue(op: string, opStart: number): Value {
    this.skipBlank();
    const fv = this.parseFieldValueOrTransformer();
    if (fv) return fv;
    const num = this.lexNumber();
    if (num) return num;
    return this.missingValue(op, opStart, 'a number');
  }

  private parseStrValue(op: string, opStart: number): Value {
    this.skipBlank();
    const fv = this.parseFieldValueOrTransformer();
    if (fv) return fv;
    const value = this.lexQuoted() ?? this.lexBare(ENDS_BARE_STR);
    if (value) return value;
    return this.missingValue(op, opStart, 'a value');
  }

  private parseListValueOrTransformer(op: string, opStart: number): Value {
    this.skipBlank();
    if (this.code() === CH_LPAREN) return this.parseParenList(op);
    const fv = this.parseFieldValueOrTransformer();
    if (fv) return fv;
    const ident = this.lexIdentifier();
    if (ident) return { kind: 'literal', text: this.text.slice(ident.start, ident.end), quoted: false, span: ident };
    return this.missingValue(op, opStart, `a list such as (a, b) or a list name`);
  }

  private parseListValue(op: string, opStart: number): Value {
    this.skipBlank();
    if (this.code() === CH_LPAREN) return this.parseParenList(op);
    const ident = this.lexIdentifier();
    if (ident) return { kind: 'literal', text: this.text.slice(ident.start, ident.end), quoted: false, span: ident };
    return this.missingValue(op, opStart, `a list such as (a, b) or a list name`);
  }

  /**
   * One `%` reference of an output format (`%` at `pct`), starting at `at`, after `%` and its optional width: its
   * fields are added to `out`; returns where the reference ends, or an error. A plain field, most references, is
   * built directly as its OutputField (outputs are read once per new text, mostly before the JIT has compiled this).
   */
  parseOutputReference(at: number, pct: number, out: OutputField[], isKnownField?: (name: string) => boolean, refusal?: (name: string, arg: string) => string | undefined): number | { error: string; end: number; noField?: true; openTransformer?: true } {
    this.pos = at;
    let opened = false;
    try {
      const t = this.lexTransformerOpen();
      opened = t !== undefined;
      if (t) {
        const expr = this.parseTransformerRemainder(t.name, t.span);
        const collected: FieldExpr[] = [];
        collectFields(expr, collected);
        const transformers: { name: string; span: Span }[] = [];
        const chain = (f: FieldExpr): void => {
          if (f.kind !== 'transformer') return;
          transformers.push({ name: f.name, span: f.nameSpan });
          f.args.forEach(chain);
        };
        chain(expr);
        for (const f of collected) {
          const field = outputField(f.name, f.kind === 'field' ? f.arg : undefined, f.nameSpan, spanOf(pct, this.pos));
          if (transformers.length > 0) field.transformers = transformers;
          out.push(field);
        }
        return this.pos;
      }
      let nameSpan = this.lexFieldName();
      if (!nameSpan) {
        const c = this.code(at);
        return {
          noField: true,
          error: c === CH_PERCENT
            ? `'%%' is not an escape in Falco outputs: '%' must be followed by a field name`
            : c === CH_LPAREN
              ? `'%(' is not accepted by Falco: write the field right after '%', as in %proc.name`
              : `'%' must be followed by a field name such as proc.name, found ${this.describe(at)}`,
          end: isBlank(c) ? at : at + 1,
        };
      }
      let name = this.text.slice(nameSpan.start, nameSpan.end);
      let textAfter: OutputField['textAfter'];
      if (isKnownField && !isKnownField(name)) {
        // Falco reads the longest field the name starts with and prints the rest as text (`%proc.namex` is proc.name
        // then `x`): Falco 0.37-0.43's formatter takes the length the field's check read from the whole rest (libs
        // 0.14.2 eventformatter.cpp:151-167, the base parse_field_name keeps the longest field name that is a prefix),
        // 0.44's compiles ever shorter text (libs 0.25.2 eventformatter.cpp:119-141). A name that starts with no field
        // stays whole, an unknown field.
        const firstDot = name.indexOf('.');
        for (let end = nameSpan.end - 1; end > nameSpan.start + firstDot + 1; end--) {
          const shorter = this.text.slice(nameSpan.start, end);
          if (!isKnownField(shorter)) continue;
          textAfter = { text: this.text.slice(end, nameSpan.end), span: spanOf(end, nameSpan.end) };
          name = shorter;
          nameSpan = spanOf(nameSpan.start, end);
          this.pos = end;
          break;
        }
      }
      const argStart = this.pos;
      let arg: { text: string; span: Span } | undefined;
      try {
        arg = this.parseOptionalFieldArg();
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e;
        // Falco's formatter shortens the token until it compiles (eventformatter.cpp set_format, libs 0.25.2): the
        // field without the bracket, which it then prints as text.
        this.pos = argStart;
        const close = this.text.indexOf(']', argStart);
        const next = this.text.indexOf('%', argStart + 1);
        const end = close >= 0 && (next < 0 || close < next) ? close + 1 : next >= 0 ? next : this.text.length;
        const field = outputField(name, undefined, nameSpan, spanOf(pct, this.pos));
        field.unreadArg = { text: this.text.slice(argStart, end), span: spanOf(argStart, end), why: e.message };
        out.push(field);
        return this.pos;
      }
      // A '%' inside a bracket the field's check refuses (`%proc.aname[%proc.name]`): Falco 0.44's formatter compiles
      // ever shorter text and lands on the name (libs 0.25.2 eventformatter.cpp:119-141), 0.43's takes the name the
      // check read (its parse_field_name catches the argument's error, sinsp_filtercheck_thread.cpp libs 0.23.1:844-855,
      // or reads no bracket), so the text up to the '%' is printed and the '%' starts the next field. (Older targets:
      // outputReading.ts bracketReading.)
      const inner = arg ? this.text.slice(argStart, this.pos).indexOf('%') : -1;
      const why = inner > 0 ? refusal?.(name, arg!.text) : undefined;
      if (why !== undefined) {
        const field = outputField(name, undefined, nameSpan, spanOf(pct, argStart));
        field.unreadArg = { text: this.text.slice(argStart, argStart + inner), span: spanOf(argStart, argStart + inner), why, fieldInside: true };
        if (textAfter) field.textAfter = textAfter;
        out.push(field);
        return argStart;
      }
      const field = outputField(name, arg, nameSpan, spanOf(pct, this.pos));
      if (textAfter) field.textAfter = textAfter;
      out.push(field);
      return this.pos;
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      return { error: e.message, end: Math.max(e.span.end, this.pos), ...(opened ? { openTransformer: true as const } : {}) };
    }
  }

  /** `(a, "b c", 0x1)` or `()`. */
  private parseParenList(op: string): ListValue {
    const open = this.pos;
    this.pos++;
    const items: Literal[] = [];
    this.skipBlank();
    const first = this.lexQuoted() ?? this.lexBare(ENDS_BARE_STR);
    if (first) items.push(first);
    this.skipBlank();
    // A bad item is reported and skipped up to the next ',' or ')', so one typo does not hide the rest of the list
    // nor leave its ')' looking unmatched.
    const skipItem = (): void => {
      let level = 0;
      while (!this.atEnd()) {
        const c = this.code();
        if (c === CH_DQ || c === CH_SQ) { this.pos = this.tokenEnd(this.pos); continue; }
        if (level === 0 && (c === CH_COMMA || c === CH_RPAREN)) return;
        if (c === CH_LPAREN) level++;
        if (c === CH_RPAREN) level--;
        this.pos++;
      }
    };
    while (!this.atEnd() && this.code() !== CH_RPAREN) {
      if (this.code() !== CH_COMMA) {
        this.record(items.length === 0 && !first
          ? `expected a value or ')' in the list of '${op}', found ${this.describe(this.pos)}`
          : `expected ',' or ')' in the list of '${op}', found ${this.describe(this.pos)}`, spanOf(this.pos, Math.max(this.tokenEnd(this.pos), this.pos + 1)));
        skipItem();
        continue;
      }
      const comma = this.pos;
      // `(, a)`: libsinsp reads an empty list only as `()`; a comma first means an empty first item.
      if (!first && items.length === 0) this.record(`empty item in the list of '${op}'`, spanOf(comma, comma + 1));
      this.pos++;
      this.skipBlank();
      const item = this.lexQuoted() ?? this.lexBare(ENDS_BARE_STR);
      if (item) items.push(item);
      else if (this.code() === CH_COMMA || this.code() === CH_RPAREN) this.record(`empty item in the list of '${op}'`, spanOf(comma, comma + 1));
      else if (!this.atEnd()) {
        this.record(`expected a value after ',' in the list of '${op}', found ${this.describe(this.pos)}`, spanOf(this.pos, Math.max(this.tokenEnd(this.pos), this.pos + 1)));
        skipItem();
      }
      this.skipBlank();
    }
    if (this.atEnd()) this.fail(`unbalanced parentheses: this '(' is never closed`, open, open + 1);
    this.pos++;
    return { kind: 'list', items, span: spanOf(open, this.pos) };
  }
}

/** The operator closest to a mistyped word (`equals` → `=`, `startwith` → `startswith`), if any is close. */
export function closestOperator(word: string): string | undefined {
  const lower = word.toLowerCase();
  const aliases: Record<string, string> = {
    equals: '=', equal: '=', eq: '=', is: '=', ne: '!=', neq: '!=', '<>': '!=', lt: '<', le: '<=', gt: '>', ge: '>=',
    like: 'glob', matches: 'regex', match: 'regex', has: 'contains', includes: 'contains', within: 'in', notin: 'in',
  };
  if (aliases[lower]) return aliases[lower];
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const op of OPERATOR_NAMES) {
    if (!isLetter(op.charCodeAt(0))) continue;
    const d = editDistance(lower, op);
    if (d < bestDistance) { bestDistance = d; best = op; }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** Levenshtein distance, for suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Parses a Falco condition. Offsets in the result are offsets into `text`. */
export function parseCondition(text: string): ConditionParse {
  const parser = new ConditionParser(text);
  try {
    return parser.parse();
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    // Only reachable through the depth limit at the outermost level.
    return { errors: [...parser.errors, { message: e.message, span: e.span }] };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// AST helpers

/** Visits every expression node, parents before children. */
export function walkExpr(expr: Expr | undefined, visit: (e: Expr) => void): void {
  if (!expr) return;
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    visit(e);
    switch (e.kind) {
      case 'and': case 'or':
        for (let i = e.operands.length - 1; i >= 0; i--) stack.push(e.operands[i]!);
        break;
      case 'not': stack.push(e.operand); break;
      case 'paren': stack.push(e.inner); break;
      default: break;
    }
  }
}

function collectFields(f: FieldExpr, out: FieldExpr[]): void {
  if (f.kind === 'field') out.push(f);
  else for (const a of f.args) collectFields(a, out);
}

/** Every field reference (kind 'field'), including those inside transformers and `val()`, in source order. */
export function fieldsOf(expr: Expr | undefined): FieldExpr[] {
  const out: FieldExpr[] = [];
  walkExpr(expr, (e) => {
    if (e.kind !== 'compare') return;
    collectFields(e.lhs, out);
    if (e.rhs?.kind === 'field-value') collectFields(e.rhs.field, out);
  });
  return out;
}

/** Every transformer application, including nested ones and those on the right-hand side. */
export function transformersOf(expr: Expr | undefined): Extract<FieldExpr, { kind: 'transformer' }>[] {
  const out: Extract<FieldExpr, { kind: 'transformer' }>[] = [];
  const visitField = (f: FieldExpr): void => {
    if (f.kind !== 'transformer') return;
    out.push(f);
    for (const a of f.args) visitField(a);
  };
  walkExpr(expr, (e) => {
    if (e.kind !== 'compare') return;
    visitField(e.lhs);
    if (e.rhs?.kind === 'field-value') visitField(e.rhs.field);
  });
  return out;
}

/** Every macro reference, in source order. */
export function macroRefsOf(expr: Expr | undefined): Extract<Expr, { kind: 'macro' }>[] {
  const out: Extract<Expr, { kind: 'macro' }>[] = [];
  walkExpr(expr, (e) => { if (e.kind === 'macro') out.push(e); });
  return out;
}

/** Every comparison, in source order. */
export function comparisonsOf(expr: Expr | undefined): Extract<Expr, { kind: 'compare' }>[] {
  const out: Extract<Expr, { kind: 'compare' }>[] = [];
  walkExpr(expr, (e) => { if (e.kind === 'compare') out.push(e); });
  return out;
}

/**
 * Bare items where a list name may stand: unquoted items of `(a, b)` lists, and a bare name after a list operator
 * or a oneof/anyof/allof modifier (`proc.name in shell_binaries`). Falco expands those that name a defined list;
 * the others are plain strings. A number is a name too: Falco's expansion is a search of the condition's text for the
 * list's name between delimiters (rule_loader_compiler.cpp resolve_list, 0.37.0:180-251, 0.44.0:182-238), whatever
 * the name, so a list named `1000` is expanded in `in (1000)`.
 */
export function listRefsOf(expr: Expr | undefined): Literal[] {
  const out: Literal[] = [];
  walkExpr(expr, (e) => {
    if (e.kind !== 'compare' || !e.rhs) return;
    if (e.rhs.kind === 'list') {
      for (const item of e.rhs.items) if (!item.quoted) out.push(item);
    } else if (e.rhs.kind === 'literal' && !e.rhs.quoted && (LIST_LIKE_OPERATORS.has(e.op) || e.modifier)) {
      out.push(e.rhs);
    }
  });
  return out;
}

/** What the checks read from a condition, each list in source order: one walk instead of one per list. */
export interface ConditionParts {
  /** As macroRefsOf. */
  macroRefs: Extract<Expr, { kind: 'macro' }>[];
  /** As listRefsOf. */
  listRefs: Literal[];
  /** As fieldsOf. */
  fields: FieldExpr[];
  /** As comparisonsOf. */
  compares: Extract<Expr, { kind: 'compare' }>[];
  /**
   * The bare values of the other comparisons (`proc.name = shell_binaries`, `fd.sport > ports`): Falco's list
   * expansion works on the text, so a list's name there is replaced by its items too (resolve_list: '=' and blanks are
   * delimiters), and the list counts as used.
   */
  valueRefs: Literal[];
}

/** macroRefsOf, listRefsOf, fieldsOf and comparisonsOf of one expression, in one walk (the same lists). */
export function conditionParts(expr: Expr | undefined): ConditionParts {
  const parts: ConditionParts = { macroRefs: [], listRefs: [], fields: [], compares: [], valueRefs: [] };
  if (expr) collectParts(expr, parts);
  return parts;
}

function collectParts(e: Expr, parts: ConditionParts): void {
  switch (e.kind) {
    case 'and': case 'or':
      for (const o of e.operands) collectParts(o, parts);
      return;
    case 'not': collectParts(e.operand, parts); return;
    case 'paren': collectParts(e.inner, parts); return;
    case 'macro': parts.macroRefs.push(e); return;
    case 'compare': {
      parts.compares.push(e);
      collectFields(e.lhs, parts.fields);
      const rhs = e.rhs;
      if (!rhs) return;
      if (rhs.kind === 'field-value') collectFields(rhs.field, parts.fields);
      else if (rhs.kind === 'list') {
        for (const item of rhs.items) if (!item.quoted) parts.listRefs.push(item);
      } else if (rhs.kind === 'literal' && !rhs.quoted) (LIST_LIKE_OPERATORS.has(e.op) || e.modifier ? parts.listRefs : parts.valueRefs).push(rhs);
      return;
    }
    default: return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Output formats

/**
 * Parses an output format as Falco's formatter reads it: an optional leading `*`, text, and `%` references, each
 * `%` optionally followed by a width (`%12proc.name`) and then a field with an optional `[arg]` or a transformer
 * such as `%tolower(proc.name)`. `%` has no escape: `%%` and a `%` at the end are errors.
 *
 * Falco takes the longest known field that the name after `%` starts with (`%proc.namex` is `%proc.name` then `x`,
 * kept as `textAfter`); pass `isKnownField` to reproduce that, otherwise the longest field-shaped name is taken.
 * `refusal` says why a field's check refuses a bracket argument (undefined if it takes it): asked only of an argument
 * holding a '%', which Falco's formatter then leaves to the next field (parseOutputReference).
 */
export function parseOutput(text: string, isKnownField?: (name: string) => boolean, refusal?: (name: string, arg: string) => string | undefined): OutputParse {
  const fields: OutputField[] = [];
  const errors: OutputSyntaxError[] = [];
  if (text.length === 0) return { fields, leadingStar: false, errors: [{ message: 'the output is empty', span: spanOf(0, 0) }] };
  const leadingStar = text.charCodeAt(0) === CH_STAR;
  let i = leadingStar ? 1 : 0;
  // One parser reads every reference: each read starts at its own offset and leaves no state behind.
  let parser: ConditionParser | undefined;
  while (i < text.length) {
    const pct = text.indexOf('%', i);
    if (pct < 0) break;
    let j = pct + 1;
    if (j >= text.length) {
      errors.push({ message: `an output cannot end with '%'`, span: spanOf(pct, pct + 1) });
      break;
    }
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
    if (j >= text.length) {
      errors.push({ message: `an output cannot end with a width after '%'`, span: spanOf(pct, j) });
      break;
    }
    const ref = (parser ??= new ConditionParser(text)).parseOutputReference(j, pct, fields, isKnownField, refusal);
    if (typeof ref !== 'number') {
      errors.push({ message: ref.error, span: spanOf(pct, Math.max(ref.end, pct + 1)), ...(ref.noField ? { noField: true } : {}), ...(ref.openTransformer ? { openTransformer: true } : {}) });
      i = Math.max(ref.end, pct + 1);
      continue;
    }
    i = ref;
  }
  return { fields, leadingStar, errors };
}

/** An output field; its optional keys are present only when set, as the tests compare them. */
function outputField(name: string, arg: { text: string; span: Span } | undefined, nameSpan: Span, span: Span): OutputField {
  return arg ? { name, arg, nameSpan, span } : { name, nameSpan, span };
}
