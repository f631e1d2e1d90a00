// A purpose-built reader for the regular shape of rules-file items, much faster than the `yaml` library's
// Parser + Composer, producing exactly the model nodes the yaml path produces (values, spans and source tokens).
//
// It reads one chunk (`- ` at column 0 up to the next item) when every line is one of:
//   - `- key: value` (first line) or `  key: value` (a key of the item's mapping, at column 2);
//   - a value that is a one-line plain, single-quoted or double-quoted (no escapes) scalar, a boolean or null, a
//     flow sequence of such scalars (one or several lines, no comments inside), or a block scalar (`>`/`|`, with
//     `-` or no chomping indicator, no explicit indentation) whose lines follow;
//   - blank lines and comment lines.
// Anything else (nested block collections, anchors, aliases, tags, numbers, escapes, tabs, CR line ends, odd
// indentation, flow mappings, multi-line plain scalars, keys repeated or quoted...) makes it decline: the caller
// then parses the chunk with the yaml library. Declining is always safe; only an accepted chunk must be exact, and
// test/unit/rules-fastparse.test.ts checks that on the corpus and on random mutations of it.
import type { MapEntry, MapNode, ModelNode, ScalarNode, SeqNode } from './model';

const DECLINE = null;

/** Core-schema words with a non-string value; anything number-like is declined (see isNumberLike). */
const NULL_WORDS = new Set(['~', 'null', 'Null', 'NULL']);
const TRUE_WORDS = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE']);

/** Plain scalars the core schema could read as a number (or that start like one): left to the yaml library. */
function isNumberLike(s: string): boolean {
  // A superset of the core schema's int, octal, hex and float forms (`10-dpkg` stays a string), and .inf/.nan.
  return /^[-+]?[0-9.][0-9a-fA-FxXoO._+-]*$/.test(s) || /^[-+]?\.?(?:nan|NaN|NAN|inf|Inf|INF)$/.test(s);
}

function isSpace(c: number): boolean { return c === 32; }

/** Characters a plain scalar may not start with (YAML indicators), plus tab. */
const PLAIN_START_FORBIDDEN = new Set('-?:,[]{}#&*!|>\'"%@`\t'.split('').map((c) => c.charCodeAt(0)));

function scalarNode(value: string | boolean | null, text: string, start: number, end: number, style: ScalarNode['style'], type: string, source: string, props?: { type: string; offset: number; source: string }[], indent = 2): ScalarNode {
  // `indent` is the yaml lexer's indentation where the token starts: the mapping's column, or on a continuation line
  // of a flow sequence that line's indentation.
  return { kind: 'scalar', value, text, span: { start, end }, style, token: { type, offset: start, indent, source, props } };
}

/** A plain scalar's value node, or null when it is not a plain string/boolean/null the fast path handles. */
function plainScalar(source: string, start: number, indent = 2): ScalarNode | null {
  if (source.length === 0 || PLAIN_START_FORBIDDEN.has(source.charCodeAt(0))) return DECLINE;
  if (isNumberLike(source)) return DECLINE;
  if (source.includes(': ') || source.endsWith(':') || source.includes(' #') || source.includes('\t')) return DECLINE;
  let value: string | boolean | null = source;
  if (NULL_WORDS.has(source)) value = null;
  else if (TRUE_WORDS.has(source)) value = true;
  else if (FALSE_WORDS.has(source)) value = false;
  return scalarNode(value, source, start, start + source.length, 'plain', 'scalar', source, undefined, indent);
}

/** A one-line quoted scalar starting at `at` (the quote); returns the node and the offset after it. */
function quotedScalar(text: string, at: number, lineEnd: number, indent = 2): { node: ScalarNode; next: number } | null {
  const quote = text.charCodeAt(at);
  let i = at + 1;
  let value = '';
  let from = i;
  for (;;) {
    if (i >= lineEnd) return DECLINE; // multi-line or unterminated
    const c = text.charCodeAt(i);
    if (quote === 34 && c === 92 /* \ */) return DECLINE; // escapes: left to the yaml library
    if (c === 9) return DECLINE;
    if (c === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) { value += text.slice(from, i + 1); i += 2; from = i; continue; }
      value += text.slice(from, i);
      break;
    }
    i++;
  }
  const source = text.slice(at, i + 1);
  const style = quote === 39 ? 'single-quoted' : 'double-quoted';
  return { node: scalarNode(value, value, at, i + 1, style, `${style}-scalar`, source, undefined, indent), next: i + 1 };
}

/** Offset of the first non-space character at or after `i` on the line, and whether the rest is only a comment. */
function skipSpaces(text: string, i: number, lineEnd: number): number {
  while (i < lineEnd && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Whether the rest of the line from `i` is empty or a comment (preceded by a space, which the caller ensures). */
function restIsEmptyOrComment(text: string, i: number, lineEnd: number): boolean {
  i = skipSpaces(text, i, lineEnd);
  return i >= lineEnd || text.charCodeAt(i) === 35;
}

function lineEndOf(text: string, i: number, end: number): number {
  const eol = text.indexOf('\n', i);
  return eol < 0 || eol > end ? end : eol;
}

interface Cursor { text: string; end: number }

/**
 * A flow sequence starting at `at` (`[`): plain or quoted scalars separated by commas, possibly over several lines.
 * Returns the node and the offset just past `]`.
 */
function flowSequence(cur: Cursor, at: number, firstIndent = 2): { node: SeqNode; next: number } | null {
  const { text, end } = cur;
  const items: ModelNode[] = [];
  let i = at + 1;
  let expectItem = true;
  let indent = firstIndent;
  for (;;) {
    // Skip spaces and line breaks between tokens; comments inside a flow sequence are left to the yaml library.
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 32) { i++; continue; }
      if (c === 10) {
        // A continuation line of a flow collection must be indented more than the mapping (column 2).
        i++;
        let col = 0;
        while (i < end && text.charCodeAt(i) === 32) { i++; col++; }
        // (the closing bracket may sit at the mapping's column, as formatters write it).
        if (i < end && text.charCodeAt(i) !== 10 && (col < 2 || (col === 2 && text.charCodeAt(i) !== 93))) return DECLINE;
        indent = col;
        continue;
      }
      break;
    }
    if (i >= end) return DECLINE;
    const c = text.charCodeAt(i);
    if (c === 93 /* ] */) {
      // A trailing comma (`[a, b,]`) adds no item.
      return { node: { kind: 'seq', items, span: { start: at, end: i + 1 }, flow: true }, next: i + 1 };
    }
    if (!expectItem) {
      if (c !== 44 /* , */) return DECLINE;
      i++;
      expectItem = true;
      continue;
    }
    if (c === 44) return DECLINE; // empty item
    const lineEnd = lineEndOf(text, i, end);
    if (c === 39 || c === 34) {
      const q = quotedScalar(text, i, lineEnd, indent);
      if (!q) return DECLINE;
      items.push(q.node);
      i = q.next;
    } else {
      let j = i;
      while (j < lineEnd) {
        const d = text.charCodeAt(j);
        if (d === 44 || d === 93) break;
        if (d === 91 || d === 123 || d === 125 || d === 58 /* : */ || d === 35 /* # */ || d === 9 || d === 13) return DECLINE;
        j++;
      }
      let k = j;
      while (k > i && isSpace(text.charCodeAt(k - 1))) k--;
      // A plain item continued on the next line is a multi-line scalar: left to the yaml library.
      if (j >= lineEnd) {
        let m = j;
        while (m < end && (text.charCodeAt(m) === 32 || text.charCodeAt(m) === 10)) m++;
        if (m >= end || (text.charCodeAt(m) !== 44 && text.charCodeAt(m) !== 93)) return DECLINE;
      }
      const node = plainScalar(text.slice(i, k), i, indent);
      if (!node) return DECLINE;
      items.push(node);
      i = j;
    }
    expectItem = false;
  }
}

/**
 * A block scalar whose header (`>`, `|`, `>-`, `|-`) is at `at`; content lines follow the header's line.
 * Returns the node and the offset where the next line after the content starts.
 */
function blockScalar(cur: Cursor, at: number, headerLineEnd: number): { node: ScalarNode; next: number } | null {
  const { text, end } = cur;
  let h = at + 1;
  if (text.charCodeAt(h) === 45 /* - */) h++;
  if (!restIsEmptyOrComment(text, h, headerLineEnd) || skipSpaces(text, h, headerLineEnd) < headerLineEnd) return DECLINE;
  if (h !== headerLineEnd) return DECLINE; // spaces or a comment after the header: left to the yaml library
  if (headerLineEnd >= end) return DECLINE;
  const header = text.slice(at, h);
  const folded = header[0] === '>';
  const strip = header.length === 2;
  const sourceStart = headerLineEnd + 1;
  // Content lines: until a non-empty line indented at most 2 (the mapping's column).
  const lines: { start: number; end: number }[] = [];
  let indent = -1;
  let i = sourceStart;
  let lastContentEnd = -1; // index in `lines` of the last non-empty line
  while (i < end) {
    const le = lineEndOf(text, i, end);
    let col = 0;
    while (i + col < le && text.charCodeAt(i + col) === 32) col++;
    const empty = i + col === le;
    if (empty) {
      if (col > 0) return DECLINE; // whitespace-only lines: left to the yaml library
      lines.push({ start: i, end: le });
    } else {
      if (col <= 2) break;
      if (text.charCodeAt(i + col) === 9) return DECLINE;
      if (indent < 0) indent = col;
      else if (col < indent) return DECLINE;
      lines.push({ start: i, end: le });
      lastContentEnd = lines.length - 1;
    }
    if (le >= end) { i = end; break; }
    i = le + 1;
  }
  if (lastContentEnd < 0) return DECLINE;
  // Empty lines before the first content line, or after the last one, are left to the yaml library.
  if (lines.slice(0, lastContentEnd + 1).findIndex((l) => l.start !== l.end) !== 0) return DECLINE;
  const last = lines[lastContentEnd];
  if (last.end >= end) return DECLINE; // content without a final line break: left to the yaml library
  for (let k = 0; k <= lastContentEnd; k++) if (text.charCodeAt(lines[k].end - 1) === 13) return DECLINE;
  const sourceEnd = last.end + 1;
  const source = text.slice(sourceStart, sourceEnd);
  // The value: lines without the indentation, joined by YAML's literal or folding rules.
  let value = '';
  let previousMore = false;
  let emptiesSince = 0;
  let first = true;
  for (let k = 0; k <= lastContentEnd; k++) {
    const l = lines[k];
    if (l.start === l.end) { emptiesSince++; continue; }
    const body = text.slice(l.start + indent, l.end);
    const more = body.charCodeAt(0) === 32;
    if (!first) {
      if (folded && !previousMore && !more) value += emptiesSince === 0 ? ' ' : '\n'.repeat(emptiesSince);
      else value += '\n'.repeat(emptiesSince + 1);
    }
    value += body;
    emptiesSince = 0;
    previousMore = more;
    first = false;
  }
  if (!strip) value += '\n';
  const props = [{ type: 'block-scalar-header', offset: at, source: header }, { type: 'newline', offset: headerLineEnd, source: '\n' }];
  const node = scalarNode(value, value, at, sourceEnd, folded ? 'folded' : 'literal', 'block-scalar', source, props);
  return { node, next: sourceEnd };
}

/**
 * The continuation lines of a plain scalar whose first line ends at `lineEnd`: lines indented more than the mapping
 * (column 2), as the text they add to the value and the offset where the scalar ends; undefined when none follows.
 */
function plainContinuation(text: string, lineEnd: number, end: number): { value: string; end: number } | undefined {
  let value = '';
  let scalarEnd = -1;
  let empties = 0;
  let i = lineEnd + 1;
  while (i < end) {
    const le = lineEndOf(text, i, end);
    let col = 0;
    while (i + col < le && text.charCodeAt(i + col) === 32) col++;
    if (i + col === le) {
      if (col > 0) return undefined;
      empties++;
    } else {
      if (col <= 2) break;
      const c = text.charCodeAt(i + col);
      if (c === 35 || PLAIN_START_FORBIDDEN.has(c)) return scalarEnd < 0 ? undefined : { value: '\u0000', end: -1 }; // let the caller decline
      let k = le;
      while (k > i + col && isSpace(text.charCodeAt(k - 1))) k--;
      const line = text.slice(i + col, k);
      if (line.includes(': ') || line.endsWith(':') || line.includes(' #') || line.includes('\t') || line.includes('\r')) return { value: '\u0000', end: -1 };
      value += (empties === 0 ? ' ' : '\n'.repeat(empties)) + line;
      empties = 0;
      scalarEnd = k;
    }
    if (le >= end) break;
    i = le + 1;
  }
  return scalarEnd < 0 ? undefined : { value, end: scalarEnd };
}

/** The key at `at` (a plain word) and the offset of its colon, or null. */
function keyAt(text: string, at: number, lineEnd: number): { key: string; colon: number } | null {
  let i = at;
  while (i < lineEnd) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57 && i > at) || (c === 95 || c === 45) && i > at) { i++; continue; }
    break;
  }
  if (i === at || text.charCodeAt(i) !== 58 /* : */) return DECLINE;
  const after = text.charCodeAt(i + 1);
  if (i + 1 < lineEnd && after !== 32) return DECLINE;
  return { key: text.slice(at, i), colon: i };
}

/**
 * The item node of the chunk `text.slice(start, end)` (which starts with `- ` at column 0), at document offsets, or
 * null to let the yaml library read it.
 */
export function fastParseItem(text: string, start: number, end: number): MapNode | null {
  if (text.charCodeAt(start) !== 45 || text.charCodeAt(start + 1) !== 32) return DECLINE;
  const cur: Cursor = { text, end };
  const entries: MapEntry[] = [];
  const seen = new Set<string>();
  let i = start + 2;
  let firstLine = true;
  let mapEnd = -1;
  while (i < end) {
    let le = lineEndOf(text, i, end);
    let keyStart: number;
    if (firstLine) {
      keyStart = i;
      firstLine = false;
    } else {
      let col = 0;
      while (i + col < le && text.charCodeAt(i + col) === 32) col++;
      const c = text.charCodeAt(i + col);
      if (i + col === le) { if (col > 0) return DECLINE; i = le + 1; continue; } // blank line
      if (c === 35) { i = le + 1; continue; } // comment line
      if (col !== 2) return DECLINE;
      keyStart = i + 2;
    }
    const k = keyAt(text, keyStart, le);
    if (!k || seen.has(k.key)) return DECLINE;
    seen.add(k.key);
    const keySpan = { start: keyStart, end: k.colon };
    let v = skipSpaces(text, k.colon + 1, le);
    let flowIndent = 2; // the yaml lexer's indentation where the value starts
    if (v >= le) {
      // A flow sequence or a plain scalar may start on the next, more indented line (the layout formatters such as
      // prettier write); an empty value or a nested block collection is left to the yaml library.
      if (le >= end) return DECLINE;
      let col = 0;
      while (le + 1 + col < end && text.charCodeAt(le + 1 + col) === 32) col++;
      if (col <= 2) return DECLINE;
      v = le + 1 + col;
      flowIndent = col;
      le = lineEndOf(text, v, end);
    }
    const c = text.charCodeAt(v);
    let value: ModelNode;
    let next: number;
    if (c === 35 || c === 13 || c === 9) return DECLINE;
    // Only flow sequences and plain scalars are read when they start on the line after the key.
    if (flowIndent !== 2 && c !== 91 && PLAIN_START_FORBIDDEN.has(c)) return DECLINE;
    if (c === 62 /* > */ || c === 124 /* | */) {
      const b = blockScalar(cur, v, le);
      if (!b) return DECLINE;
      value = b.node;
      next = b.next;
      mapEnd = next;
    } else {
      let after: number;
      if (c === 91 /* [ */) {
        const f = flowSequence(cur, v, flowIndent);
        if (!f) return DECLINE;
        value = f.node;
        after = f.next;
      } else if (c === 39 || c === 34) {
        const q = quotedScalar(text, v, le);
        if (!q) return DECLINE;
        value = q.node;
        after = q.next;
      } else {
        // A comment starts at ` #` (searched on this line only: a search of the rest of the text is quadratic).
        let j = v;
        while (j < le && !(text.charCodeAt(j) === 35 && isSpace(text.charCodeAt(j - 1)))) j++;
        while (j > v && isSpace(text.charCodeAt(j - 1))) j--;
        const node = plainScalar(text.slice(v, j), v, flowIndent);
        if (!node) return DECLINE;
        value = node;
        after = j;
        const continued = j === le || restIsEmptyOrComment(text, j, le) && text.charCodeAt(skipSpaces(text, j, le)) !== 35 ? plainContinuation(text, le, end) : undefined;
        if (continued && continued.end < 0) return DECLINE;
        if (continued) {
          // A plain scalar over several lines: the yaml library folds each break to a space (or to one newline per
          // empty line in between) and trims the lines.
          if (typeof node.value !== 'string') return DECLINE;
          const folded = node.value + continued.value;
          if (isNumberLike(folded) || NULL_WORDS.has(folded) || TRUE_WORDS.has(folded) || FALSE_WORDS.has(folded)) return DECLINE;
          const source = text.slice(v, continued.end);
          value = scalarNode(folded, folded, v, continued.end, 'plain', 'scalar', source, undefined, flowIndent);
          after = continued.end;
        }
      }
      const lineEnd = lineEndOf(text, after, end);
      if (after < lineEnd && !isSpace(text.charCodeAt(after))) return DECLINE;
      if (!restIsEmptyOrComment(text, after, lineEnd)) return DECLINE;
      if (text.charCodeAt(lineEnd - 1) === 13) return DECLINE;
      next = lineEnd < end ? lineEnd + 1 : end;
      mapEnd = next;
      // A more-indented line after a one-line value would continue it: left to the yaml library.
      const nl = next;
      if (nl < end) {
        let col = 0;
        while (nl + col < end && text.charCodeAt(nl + col) === 32) col++;
        const d = text.charCodeAt(nl + col);
        if (col > 2 && nl + col < end && d !== 10 && d !== 35) return DECLINE;
      }
    }
    entries.push({ key: k.key, keySpan, value, span: { start: keyStart, end: value.span.end } });
    i = next;
  }
  if (entries.length === 0) return DECLINE;
  return { kind: 'map', entries, span: { start: start + 2, end: mapEnd }, flow: false };
}
