// A purpose-built reader for the regular shape of rules-file items, much faster than the `yaml` library's
// Parser + Composer, producing exactly the model nodes the yaml path produces (values, spans and source tokens).
//
// It reads one chunk (`- ` at column 0 up to the next item) made of block collections with space indentation:
//   - block mappings of plain-word keys (`key: value`), the item's own at column 2, nested ones deeper, or compact
//     in a sequence item (`- name: x`);
//   - block sequences (`- value`), indented under their key or at the key's column (`tags:` then `- a`);
//   - scalars: plain (one or several lines), single-quoted or double-quoted without escapes on one line, booleans,
//     null, decimal integers, and block scalars (`>`/`|`, with `-` or no chomping indicator, no explicit
//     indentation) as mapping values;
//   - flow sequences of such one-line scalars and of flow sequences (`[[a, b], [c]]`), over one or several lines,
//     without comments inside;
//   - blank lines and comment lines.
// Anything else (anchors, aliases, tags, flow mappings, explicit keys, quoted or repeated keys, other numbers,
// escapes, tabs, CR line ends, whitespace-only lines, odd indentation, empty values...) makes it decline: the caller
// then parses the chunk with the yaml library. Declining is always safe; only an accepted chunk must be exact, and
// test/unit/rules-fastparse*.test.ts checks that on the corpus and on random mutations of it.
//
// Spans follow the yaml library: a collection ends where its last value's line ends (after the line break), and a
// scalar's token `indent` is the column of the first token on its line (after `- ` indicators); a block scalar's is
// its mapping's column. Comment lines after the last value of a collection can belong to that collection (or to
// its last value) in the yaml library and then stretch its span; they are accepted only where they cannot.
import type { MapEntry, MapNode, ModelNode, ScalarNode, SeqNode } from './model';

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKSLASH = 92;
const GREATER = 62;
const PIPE = 124;

/** Thrown (one shared object, no stack captured) to abandon the chunk; fastParseItem turns it into null. */
const DECLINED = { declined: true };
function decline(): never { throw DECLINED; }

/** Characters a plain scalar may not start with (YAML indicators), plus tab and CR. */
const PLAIN_START_FORBIDDEN = new Uint8Array(128);
for (const c of '-?:,[]{}#&*!|>\'"%@`\t\r') PLAIN_START_FORBIDDEN[c.charCodeAt(0)] = 1;
function forbiddenPlainStart(c: number): boolean { return c < 128 && PLAIN_START_FORBIDDEN[c] === 1; }

/**
 * Whether a plain scalar may start at `at`: not with an indicator, except `-` followed by a character that cannot
 * end the scalar (`->` in an output), which YAML reads as text.
 */
function plainStartsAt(text: string, at: number, end: number, flow: boolean): boolean {
  const c = text.charCodeAt(at);
  if (!forbiddenPlainStart(c)) return true;
  if (c !== DASH || at + 1 >= end) return false;
  const d = text.charCodeAt(at + 1);
  if (d === SPACE || d === LF || d === CR || d === TAB) return false;
  return !flow || (d !== COMMA && d !== OPEN_BRACKET && d !== CLOSE_BRACKET && d !== 123 && d !== 125);
}

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }

/**
 * The core schema's value of a plain scalar: null, a boolean, a decimal integer, or the string itself. Other number
 * forms (signs, floats, octal, hex, .inf, .nan, integers too large to be exact) decline. Tested by character codes:
 * most scalars are rejected as special by their first character.
 */
function plainValue(s: string): string | number | boolean | null {
  const c = s.charCodeAt(0);
  const n = s.length;
  if (isDigit(c)) {
    let i = 1;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === n) { if (n > 15) decline(); return parseInt(s, 10); }
    // `0.57.0` and `10-dpkg` are strings; `1.5`, `1e3`, `0x1f`, `0o7` are numbers: left to the yaml library.
    const d = s.charCodeAt(i);
    if (d === 46 /* . */) {
      let j = i + 1;
      while (j < n && isDigit(s.charCodeAt(j))) j++;
      if (j === n || s.charCodeAt(j) === 101 || s.charCodeAt(j) === 69) decline();
      return s;
    }
    if (d === 101 || d === 69 /* e E */ || (i === 1 && c === 48 && (d === 120 || d === 111) /* 0x 0o */)) decline();
    return s;
  }
  if (c === 43 /* + */ || c === DASH) { if (n > 1 && (isDigit(s.charCodeAt(1)) || s.charCodeAt(1) === 46)) decline(); }
  // `.5` and `.inf`/`.nan` in their spellings are numbers; `.bashrc` is a string.
  if (c === 46 /* . */ && n > 1 && (isDigit(s.charCodeAt(1)) || n <= 4)) decline();
  if (n <= 5) {
    switch (s) {
      case '~': case 'null': case 'Null': case 'NULL': return null;
      case 'true': case 'True': case 'TRUE': return true;
      case 'false': case 'False': case 'FALSE': return false;
    }
  }
  return s;
}

// The nodes' objects are built one literal at a time (`const span = {...}; return { ..., span }`): V8 copies a literal
// without nested literals from its template in a few instructions, but one with nested literals goes through the
// runtime, which walks and copies the nesting object by object. Most of a first reading runs before the JIT has
// compiled the reader, where that difference is paid per node.
function scalarNode(value: string | number | boolean | null, text: string, start: number, end: number, style: ScalarNode['style'], type: string, source: string, indent: number, props?: { type: string; offset: number; source: string }[]): ScalarNode {
  const span = { start, end };
  const token = { type, offset: start, indent, source, props };
  return { kind: 'scalar', value, text, span, style, token, tokenShift: 0 };
}

// The reader keeps its small results in fields rather than returning objects: most of a file is read once, before
// the JIT can remove such allocations, and they would add to the garbage of every parse.
class ItemReader {
  /** The largest column of the comment lines skipped by the last `contentLine` (-1: none). */
  private commentCol = -1;
  /** The column of the line found by the last `contentLine` (-1: the chunk's end). */
  private lineCol = -1;
  /** Where the line of the last value read ends, after its line break (the yaml library's end of that value). */
  private next = 0;
  /** While reading a flow sequence: the indentation and the end of the line being read. */
  private flowIndent = 0;
  private flowLineEnd = 0;

  constructor(private readonly text: string, private readonly end: number) {}

  /** Offset of the line break ending the line of `i` (or the chunk's end); CRLF line ends decline. */
  private lineEnd(i: number): number {
    const eol = this.text.indexOf('\n', i);
    if (eol < 0 || eol >= this.end) return this.end;
    if (this.text.charCodeAt(eol - 1) === CR) decline();
    return eol;
  }

  private skipSpaces(i: number, lineEnd: number): number {
    while (i < lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /** Whether the rest of the line from `i` is empty or a comment (the caller ensures a space precedes it). */
  private restIsEmptyOrComment(i: number, lineEnd: number): boolean {
    i = this.skipSpaces(i, lineEnd);
    return i >= lineEnd || this.text.charCodeAt(i) === HASH;
  }

  /**
   * The offset of the first character of the next line with content from the line starting at `i` (its column in
   * lineCol), skipping blank and comment lines (noted in commentCol); the chunk's end when there is none.
   */
  private contentLine(i: number): number {
    const { text, end } = this;
    this.commentCol = -1;
    while (i < end) {
      let at = i;
      while (at < end && text.charCodeAt(at) === SPACE) at++;
      if (at >= end) break;
      const c = text.charCodeAt(at);
      if (c === LF) { i = at + 1; continue; } // blank or whitespace-only: nothing to the yaml library either
      if (c === HASH) {
        if (at - i > this.commentCol) this.commentCol = at - i;
        const le = this.lineEnd(at);
        i = le + 1;
        continue;
      }
      if (c === TAB || c === CR) decline();
      this.lineCol = at - i;
      return at;
    }
    this.lineCol = -1;
    return end;
  }

  /** The offset of the colon after a plain-word key at `at`, or -1 when the line does not start with such a key. */
  private keyColon(at: number, lineEnd: number): number {
    const text = this.text;
    let i = at;
    const c0 = text.charCodeAt(i);
    if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90))) return -1;
    i++;
    while (i < lineEnd) {
      const c = text.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === DASH) { i++; continue; }
      break;
    }
    if (i >= lineEnd || text.charCodeAt(i) !== COLON) return -1;
    if (i + 1 < lineEnd && text.charCodeAt(i + 1) !== SPACE) return -1;
    if (i - at > 1000) decline(); // the yaml library limits implicit keys to 1024 characters
    return i;
  }

  /** Whether a `-` at `at` is a block sequence indicator (followed by a space or the line's end). */
  private isDash(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const c = this.text.charCodeAt(at + 1);
    return c === SPACE || c === LF || at + 1 >= this.end;
  }

  /**
   * A block mapping whose keys sit at column `col`, the first at `at`. `top`: the item's own mapping, which must run to
   * the chunk's end. Sets `next` to where its last value's line ends.
   */
  blockMap(at: number, col: number, top: boolean): MapNode {
    const text = this.text;
    const entries: MapEntry[] = [];
    let keyStart = at;
    let next: number;
    for (;;) {
      const lineEnd = this.lineEnd(keyStart);
      const colon = this.keyColon(keyStart, lineEnd);
      if (colon < 0) decline();
      const key = text.slice(keyStart, colon);
      for (let k = 0; k < entries.length; k++) if (entries[k].key === key) decline(); // the yaml library reports it
      const value = this.mapValue(colon + 1, lineEnd, col);
      const keySpan = { start: keyStart, end: colon };
      const span = { start: keyStart, end: value.span.end };
      entries.push({ key, keySpan, value, span });
      next = this.next;
      const line = this.contentLine(next);
      if (this.lineCol === col) { keyStart = line; continue; }
      if (this.lineCol > col) decline(); // odd indentation
      // The mapping ends. Trailing comment lines at its column or deeper would belong to it or to its last value.
      if (top ? line < this.end || this.commentCol > col : this.commentCol >= col) decline();
      break;
    }
    this.next = next;
    const span = { start: at, end: next };
    return { kind: 'map', entries, span, flow: false };
  }

  /**
   * A block sequence whose `-` indicators sit at column `col`, the first at `at`. Sets `next` to where its last item's
   * line ends.
   */
  blockSeq(at: number, col: number): SeqNode {
    const text = this.text;
    const items: ModelNode[] = [];
    let dash = at;
    let next: number;
    for (;;) {
      const lineEnd = this.lineEnd(dash);
      const v = this.skipSpaces(dash + 1, lineEnd);
      if (v >= lineEnd) decline(); // an empty item, or its value on the next lines
      const c = text.charCodeAt(v);
      const itemCol = col + (v - dash);
      if (c === HASH || this.isDash(v)) decline();
      items.push(this.keyColon(v, lineEnd) >= 0 ? this.blockMap(v, itemCol, false) : this.inlineValue(v, lineEnd, itemCol, col, false));
      next = this.next;
      const line = this.contentLine(next);
      if (this.lineCol === col && this.isDash(line)) { dash = line; continue; }
      if (this.lineCol > col) decline();
      if (this.commentCol >= col) decline(); // trailing comment lines that would belong to the sequence
      break;
    }
    this.next = next;
    const span = { start: at, end: next };
    return { kind: 'seq', items, span, flow: false };
  }

  /** The value after `key:` (from `from`, on a line ending at `lineEnd`) of a block mapping at column `col`. */
  private mapValue(from: number, lineEnd: number, col: number): ModelNode {
    const text = this.text;
    const v = this.skipSpaces(from, lineEnd);
    if (v < lineEnd) {
      const c = text.charCodeAt(v);
      if (c === GREATER || c === PIPE) return this.blockScalar(v, lineEnd, col);
      return this.inlineValue(v, lineEnd, col, col, true);
    }
    // Nothing after the colon: the value is on the next line (an empty value is left to the yaml library).
    if (lineEnd >= this.end) decline();
    const start = lineEnd + 1;
    let at = start;
    while (at < this.end && text.charCodeAt(at) === SPACE) at++;
    const lineCol = at - start;
    if (at >= this.end) decline();
    const c = text.charCodeAt(at);
    if (c === LF || c === HASH) decline(); // a blank or comment line first: left to the yaml library
    if (this.isDash(at)) {
      // A block sequence, indented or at the key's column.
      if (lineCol < col) decline();
      return this.blockSeq(at, lineCol);
    }
    if (lineCol <= col) decline();
    const nextLineEnd = this.lineEnd(at);
    if (this.keyColon(at, nextLineEnd) >= 0) return this.blockMap(at, lineCol, false);
    // Only flow sequences and plain scalars are read when they start on the line after the key (the layout
    // formatters such as prettier write).
    if (c !== OPEN_BRACKET && forbiddenPlainStart(c)) decline();
    return this.inlineValue(at, nextLineEnd, lineCol, col, true);
  }

  /**
   * A scalar or flow sequence starting at `v` on a line ending at `lineEnd`, whose tokens have indentation `indent`,
   * inside a block collection at column `col`; plain scalars may continue on more indented lines when `multiLine`.
   * The rest of its last line must be empty or a comment, and the next line not more indented than `col`.
   */
  private inlineValue(v: number, lineEnd: number, indent: number, col: number, multiLine: boolean): ModelNode {
    const text = this.text;
    const c = text.charCodeAt(v);
    let node: ModelNode;
    if (c === OPEN_BRACKET) node = this.flowSequence(v, indent, col);
    else if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) node = this.quotedScalar(v, lineEnd, indent);
    else if (c === GREATER || c === PIPE) decline(); // block scalars as sequence items
    else node = this.plainScalar(v, lineEnd, indent, col, multiLine);
    const after = node.span.end;
    const valueLineEnd = after <= lineEnd ? lineEnd : this.lineEnd(after);
    if (after < valueLineEnd && text.charCodeAt(after) !== SPACE) decline();
    if (!this.restIsEmptyOrComment(after, valueLineEnd)) decline();
    const next = valueLineEnd < this.end ? valueLineEnd + 1 : this.end;
    // A more-indented line after the value would continue it: left to the yaml library.
    if (next < this.end) {
      let at = next;
      while (at < this.end && text.charCodeAt(at) === SPACE) at++;
      const d = text.charCodeAt(at);
      if (at - next > col && at < this.end && d !== LF && d !== HASH) decline();
    }
    this.next = next;
    return node;
  }

  /** A one-line quoted scalar starting at `at` (the quote). */
  private quotedScalar(at: number, lineEnd: number, indent: number): ScalarNode {
    const text = this.text;
    const quote = text.charCodeAt(at);
    let i = at + 1;
    let value = '';
    let from = i;
    for (;;) {
      if (i >= lineEnd) decline(); // multi-line or unterminated
      const c = text.charCodeAt(i);
      if (c === TAB || (quote === DOUBLE_QUOTE && c === BACKSLASH)) decline(); // escapes: left to the yaml library
      if (c === quote) {
        if (quote === SINGLE_QUOTE && text.charCodeAt(i + 1) === SINGLE_QUOTE) { value += text.slice(from, i + 1); i += 2; from = i; continue; }
        value += text.slice(from, i);
        break;
      }
      i++;
    }
    const source = text.slice(at, i + 1);
    const style = quote === SINGLE_QUOTE ? 'single-quoted' : 'double-quoted';
    return scalarNode(value, value, at, i + 1, style, `${style}-scalar`, source, indent);
  }

  /**
   * A plain scalar in block context at `v`: up to a comment (` #`) or the line's end, and with `multiLine` over the
   * following lines indented more than `col`, folded as the yaml library does.
   */
  private plainScalar(v: number, lineEnd: number, indent: number, col: number, multiLine: boolean): ScalarNode {
    const text = this.text;
    if (!plainStartsAt(text, v, this.end, false)) decline();
    const first = this.plainLineText(v, lineEnd);
    const j = v + first.length;
    // Only a line that ends with the scalar (no comment) can continue on the next lines.
    if (multiLine && lineEnd < this.end && this.skipSpaces(j, lineEnd) === lineEnd) {
      const continued = this.plainContinuation(lineEnd, col);
      if (continued) {
        // A plain scalar over several lines: each break folds to a space (or to one newline per empty line in
        // between) and the lines are trimmed.
        const folded = first + continued.value;
        const value = plainValue(folded);
        if (typeof value !== 'string') decline();
        return scalarNode(value, value, v, continued.end, 'plain', 'scalar', text.slice(v, continued.end), indent);
      }
    }
    const value = plainValue(first);
    return scalarNode(value, first, v, j, 'plain', 'scalar', first, indent);
  }

  /**
   * The text of a plain scalar's line from `i`, without trailing spaces and a ` #` comment. Declines on what would
   * make it something else: `: ` (a mapping), a tab, a CR.
   */
  private plainLineText(i: number, lineEnd: number): string {
    // Searched with the string's own indexOf on the line alone (a slice of a long line is a view, not a copy): most
    // of a rules file's plain text is long descriptions and outputs, read once, often before any JIT compilation.
    const line = this.text.slice(i, lineEnd);
    const comment = line.indexOf(' #');
    const body = comment < 0 ? line : line.slice(0, comment);
    let n = body.length;
    while (n > 0 && body.charCodeAt(n - 1) === SPACE) n--;
    if (body.charCodeAt(n - 1) === COLON || body.indexOf(': ') >= 0 || body.indexOf('\t') >= 0 || body.indexOf('\r') >= 0) decline();
    return n === body.length ? body : body.slice(0, n);
  }

  /**
   * The continuation lines of a plain scalar whose first line ends at `lineEnd`: lines indented more than `col`, as
   * the text they add to the value and the offset where the scalar ends; undefined when none follows.
   */
  private plainContinuation(lineEnd: number, col: number): { value: string; end: number } | undefined {
    const { text, end } = this;
    let value = '';
    let scalarEnd = -1;
    let empties = 0;
    let i = lineEnd + 1;
    while (i < end) {
      const le = this.lineEnd(i);
      let at = i;
      while (at < le && text.charCodeAt(at) === SPACE) at++;
      if (at === le) {
        if (at > i) decline();
        empties++;
      } else {
        if (at - i <= col) break;
        const c = text.charCodeAt(at);
        if (c === HASH) { if (scalarEnd < 0) return undefined; decline(); }
        if (forbiddenPlainStart(c)) decline();
        const line = this.plainLineText(at, le);
        const j = at + line.length;
        if (this.skipSpaces(j, le) < le) decline(); // a comment after a continuation line: left to the yaml library
        value += (empties === 0 ? ' ' : '\n'.repeat(empties)) + line;
        empties = 0;
        scalarEnd = j;
      }
      if (le >= end) break;
      i = le + 1;
    }
    return scalarEnd < 0 ? undefined : { value, end: scalarEnd };
  }

  /**
   * A flow sequence starting at `at` (`[`): scalars and flow sequences separated by commas, possibly over several
   * lines, each more indented than the block collection's column `col` (the closing bracket may sit at `col`, as
   * formatters write it). Its node's span ends just past `]`.
   */
  private flowSequence(at: number, firstIndent: number, col: number): SeqNode {
    this.flowIndent = firstIndent;
    this.flowLineEnd = this.lineEnd(at);
    return this.flowSeqAt(at, col, 0);
  }

  private flowSeqAt(at: number, col: number, depth: number): SeqNode {
    const { text, end } = this;
    if (depth > 32) decline();
    const items: ModelNode[] = [];
    let i = at + 1;
    let expectItem = true;
    for (;;) {
      // Spaces and line breaks between tokens; comments inside a flow sequence are left to the yaml library.
      while (i < end) {
        const c = text.charCodeAt(i);
        if (c === SPACE) { i++; continue; }
        if (c === LF) {
          i++;
          const lineStart = i;
          while (i < end && text.charCodeAt(i) === SPACE) i++;
          const lineCol = i - lineStart;
          if (i < end && text.charCodeAt(i) !== LF && (lineCol < col || (lineCol === col && text.charCodeAt(i) !== CLOSE_BRACKET))) decline();
          this.flowIndent = lineCol;
          this.flowLineEnd = this.lineEnd(i);
          continue;
        }
        break;
      }
      if (i >= end) decline();
      const c = text.charCodeAt(i);
      if (c === CLOSE_BRACKET) {
        // A trailing comma (`[a, b,]`) adds no item.
        const span = { start: at, end: i + 1 };
        return { kind: 'seq', items, span, flow: true };
      }
      if (!expectItem) {
        if (c !== COMMA) decline();
        i++;
        expectItem = true;
        continue;
      }
      if (c === COMMA) decline(); // an empty item
      if (c === OPEN_BRACKET) {
        const inner = this.flowSeqAt(i, col, depth + 1);
        items.push(inner);
        i = inner.span.end;
      } else if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
        const q = this.quotedScalar(i, this.flowLineEnd, this.flowIndent);
        items.push(q);
        i = q.span.end;
      } else {
        if (!plainStartsAt(text, i, end, true)) decline();
        const lineEnd = this.flowLineEnd;
        let j = i;
        while (j < lineEnd) {
          const d = text.charCodeAt(j);
          if (d === COMMA || d === CLOSE_BRACKET) break;
          if (d === OPEN_BRACKET || d === 123 || d === 125 || d === COLON || d === HASH || d === TAB || d === CR) decline();
          j++;
        }
        let k = j;
        while (k > i && text.charCodeAt(k - 1) === SPACE) k--;
        // A plain item continued on the next line is a multi-line scalar: left to the yaml library.
        if (j >= lineEnd) {
          let m = j;
          while (m < end && (text.charCodeAt(m) === SPACE || text.charCodeAt(m) === LF)) m++;
          if (m >= end || (text.charCodeAt(m) !== COMMA && text.charCodeAt(m) !== CLOSE_BRACKET)) decline();
        }
        const source = text.slice(i, k);
        items.push(scalarNode(plainValue(source), source, i, k, 'plain', 'scalar', source, this.flowIndent));
        i = j;
      }
      expectItem = false;
    }
  }

  /**
   * A block scalar whose header (`>`, `|`, `>-`, `|-`) is at `at`, the value of a mapping at column `col`: content
   * lines are those after the header's line indented more than `col`.
   */
  private blockScalar(at: number, headerLineEnd: number, col: number): ScalarNode {
    const { text, end } = this;
    let h = at + 1;
    if (text.charCodeAt(h) === DASH) h++;
    // Spaces may follow the header; a comment or other indicators are left to the yaml library.
    if (this.skipSpaces(h, headerLineEnd) !== headerLineEnd) decline();
    if (headerLineEnd >= end) decline();
    const header = text.slice(at, h);
    const folded = header.charCodeAt(0) === GREATER;
    const strip = header.length === 2;
    const sourceStart = headerLineEnd + 1;
    // Content lines up to the first non-empty line indented at most `col`: their starts and ends, in pairs.
    const bounds: number[] = [];
    let indent = -1;
    let lastContent = -1; // index in `bounds` of the last non-empty line's start
    let i = sourceStart;
    while (i < end) {
      const le = this.lineEnd(i);
      let at2 = i;
      while (at2 < le && text.charCodeAt(at2) === SPACE) at2++;
      const lineCol = at2 - i;
      if (at2 === le) {
        if (lineCol > 0) decline(); // whitespace-only lines: left to the yaml library
        if (lastContent < 0) decline(); // empty lines before the first content line: left to the yaml library
      } else {
        if (lineCol <= col) break;
        if (text.charCodeAt(at2) === TAB) decline();
        if (indent < 0) indent = lineCol;
        else if (lineCol < indent) decline();
        lastContent = bounds.length;
      }
      bounds.push(i, le);
      if (le >= end) break;
      i = le + 1;
    }
    if (lastContent < 0) decline();
    const lastEnd = bounds[lastContent + 1];
    if (lastEnd >= end) decline(); // content without a final line break: left to the yaml library
    const sourceEnd = lastEnd + 1;
    // The value: lines without the indentation, joined by YAML's literal or folding rules.
    let value = '';
    let previousMore = false;
    let emptiesSince = 0;
    let first = true;
    for (let k = 0; k <= lastContent; k += 2) {
      const ls = bounds[k];
      const le = bounds[k + 1];
      if (ls === le) { emptiesSince++; continue; }
      const more = text.charCodeAt(ls + indent) === SPACE;
      if (!first) {
        if (folded && !previousMore && !more) value += emptiesSince === 0 ? ' ' : '\n'.repeat(emptiesSince);
        else value += '\n'.repeat(emptiesSince + 1);
      }
      value += text.slice(ls + indent, le);
      emptiesSince = 0;
      previousMore = more;
      first = false;
    }
    if (!strip) value += '\n';
    const headerProp = { type: 'block-scalar-header', offset: at, source: header };
    const newlineProp = { type: 'newline', offset: headerLineEnd, source: '\n' };
    const props = [headerProp, newlineProp];
    if (h < headerLineEnd) props.splice(1, 0, { type: 'space', offset: h, source: text.slice(h, headerLineEnd) });
    const node = scalarNode(value, value, at, sourceEnd, folded ? 'folded' : 'literal', 'block-scalar', text.slice(sourceStart, sourceEnd), col, props);
    // The yaml library ends the enclosing mapping's last value here too (trailing empty lines are not part of it).
    this.next = sourceEnd;
    return node;
  }
}

/**
 * The item node of the chunk `text.slice(start, end)` (which starts with `- ` at column 0), at document offsets, or
 * null to let the yaml library read it.
 */
export function fastParseItem(text: string, start: number, end: number): MapNode | null {
  if (text.charCodeAt(start) !== DASH || text.charCodeAt(start + 1) !== SPACE) return null;
  try {
    return new ItemReader(text, end).blockMap(start + 2, 2, true);
  } catch (e) {
    // Declined, or nesting deep enough to exhaust the stack (the yaml library reports that one in plain words).
    if (e === DECLINED || e instanceof RangeError) return null;
    throw e;
  }
}
