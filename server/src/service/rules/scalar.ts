// Maps each character of a YAML scalar's value back to the document text it came from, so that a position found by
// the condition parser inside `condition: >` (or any other scalar style) becomes an exact document range.
//
// The value is rebuilt from the scalar's source token with YAML's folding, indentation, escape and quote rules while
// recording, for every value character, the source offsets it was produced from. The rebuilt value is compared with
// the value the `yaml` library computed; if they ever disagree (a YAML corner case not handled here), the map falls
// back to a safe approximation instead of pointing at wrong text.
import { table } from '../../knowledge/table';

export type ScalarStyle = 'plain' | 'single-quoted' | 'double-quoted' | 'literal' | 'folded';

export class ScalarMap {
  /**
   * @param starts document offset where value character i starts (length = value length + 1; the last entry is the
   *   end of the content)
   * @param ends document offset just past the source of value character i
   */
  constructor(readonly starts: number[], readonly ends: number[], readonly exact: boolean, readonly shift = 0) {}

  /** Document offset of the start of value index `i` (clamped). */
  start(i: number): number {
    const n = this.starts.length - 1;
    return this.starts[Math.max(0, Math.min(i, n))] + this.shift;
  }

  /** Document offset just past value index `i - 1`: use for the exclusive end of a span. */
  end(i: number): number {
    if (i <= 0) return this.starts[0] + this.shift;
    const n = this.ends.length;
    if (i > n) return this.starts[this.starts.length - 1] + this.shift;
    return this.ends[i - 1] + this.shift;
  }

  /** The index of the first value character that starts at or after document offset `offset` (the length if none). */
  indexAt(offset: number): number {
    const starts = this.starts;
    const target = offset - this.shift;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] < target) low = mid + 1; else high = mid;
    }
    return low;
  }

  span(start: number, end: number): { start: number; end: number } {
    const s = this.start(start);
    return { start: s, end: Math.max(s, end > start ? this.end(end) : s) };
  }
}

/** The subset of a `yaml` CST token this module reads. */
export interface ScalarSourceToken {
  type: string;
  offset: number;
  indent: number;
  source: string;
  props?: { type: string; offset: number; source: string }[];
}

interface Builder { value: string; starts: number[]; ends: number[] }

function push(b: Builder, text: string, start: number, end: number): void {
  for (let i = 0; i < text.length; i++) { b.value += text[i]; b.starts.push(start); b.ends.push(end); }
}

function isBlank(c: string): boolean { return c === ' ' || c === '\t'; }

/** Splits source text into lines with their offsets, treating \r\n and \r as line breaks. */
function splitLines(source: string, base: number): { text: string; start: number; breakEnd: number }[] {
  const lines: { text: string; start: number; breakEnd: number }[] = [];
  let lineStart = 0;
  for (let i = 0; i <= source.length; i++) {
    const c = source[i];
    if (i === source.length || c === '\n' || c === '\r') {
      let breakEnd = i;
      if (c === '\r' && source[i + 1] === '\n') breakEnd = i + 2; else if (i < source.length) breakEnd = i + 1;
      lines.push({ text: source.slice(lineStart, i), start: base + lineStart, breakEnd: base + breakEnd });
      if (breakEnd > i + 1) i++;
      lineStart = breakEnd;
    }
  }
  return lines;
}

/**
 * Flow scalars (plain, single- and double-quoted): line breaks fold to a space, or to n newlines after n empty lines;
 * leading and trailing blanks of inner lines are dropped.
 */
function buildFlow(token: ScalarSourceToken, style: ScalarStyle): Builder {
  const b: Builder = { value: '', starts: [], ends: [] };
  let source = token.source;
  let base = token.offset;
  if (style !== 'plain') {
    // Strip the quotes; an unterminated string has no closing quote.
    const quote = source[0];
    source = source.slice(1, source.length > 1 && source.endsWith(quote) ? -1 : undefined);
    base += 1;
  }
  const lines = splitLines(source, base);
  let pendingEmpty = 0;
  let pendingBreak: { start: number; end: number } | undefined;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    let text = line.text;
    let from = 0;
    if (li > 0) while (from < text.length && isBlank(text[from])) from++;
    let to = text.length;
    const last = li === lines.length - 1;
    if (!last) while (to > from && isBlank(text[to - 1])) to--;
    if (li > 0 && from === text.length && !last) { pendingEmpty++; continue; }
    if (pendingBreak) {
      if (pendingEmpty === 0) push(b, ' ', pendingBreak.start, pendingBreak.end);
      else for (let k = 0; k < pendingEmpty; k++) push(b, '\n', pendingBreak.start, pendingBreak.end);
    }
    pendingEmpty = 0;
    pendingBreak = undefined;
    text = text.slice(0, to);
    let escapedBreak = false;
    for (let i = from; i < text.length; i++) {
      const at = line.start + i;
      const c = text[i];
      if (style === 'single-quoted' && c === "'" && text[i + 1] === "'") { push(b, "'", at, at + 2); i++; continue; }
      if (style === 'double-quoted' && c === '\\') {
        if (i === text.length - 1) { escapedBreak = true; break; }
        const decoded = decodeEscape(text, i);
        push(b, decoded.text, at, line.start + decoded.next);
        i = decoded.next - 1;
        continue;
      }
      push(b, c, at, at + 1);
    }
    if (!last) {
      // The break is folded when the next text line arrives (so trailing empty lines are counted first).
      pendingBreak = escapedBreak ? undefined : { start: line.start + to, end: line.breakEnd };
      if (escapedBreak) pendingEmpty = 0;
    }
  }
  b.starts.push(base + source.length);
  return b;
}

const SIMPLE_ESCAPES: Record<string, string> = table({
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ',
  '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
});

function decodeEscape(text: string, at: number): { text: string; next: number } {
  const c = text[at + 1];
  if (c in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[c], next: at + 2 };
  const width = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (width) {
    const hex = text.slice(at + 2, at + 2 + width);
    if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === width) {
      const code = parseInt(hex, 16);
      try { return { text: String.fromCodePoint(code), next: at + 2 + width }; } catch { /* invalid code point */ }
    }
  }
  // Invalid escape: keep the characters as written (the yaml library reports the error).
  return { text: text.slice(at, at + 2), next: Math.min(text.length, at + 2) };
}

/** Block scalars (`|` literal, `>` folded) with their header's chomping and indentation indicators. */
function buildBlock(token: ScalarSourceToken): Builder {
  const b: Builder = { value: '', starts: [], ends: [] };
  const header = token.props?.find((p) => p.type === 'block-scalar-header')?.source ?? '|';
  const folded = header.startsWith('>');
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const explicit = /[1-9]/.exec(header);
  const lastProp = token.props?.[token.props.length - 1];
  const base = lastProp ? lastProp.offset + lastProp.source.length : token.offset;
  const lines = splitLines(token.source, base);
  if (lines.length && lines[lines.length - 1].text === '' && lines[lines.length - 1].start === base + token.source.length) lines.pop();
  let indent: number;
  if (explicit) indent = Math.max(0, token.indent) + Number(explicit[0]);
  else {
    const first = lines.find((l) => l.text.trim() !== '');
    indent = first ? first.text.length - first.text.trimStart().length : 0;
  }
  // Content lines: the text after the indentation, with where its break ends.
  type Line = { text: string; start: number; breakStart: number; breakEnd: number; empty: boolean; more: boolean };
  const content: Line[] = lines.map((l) => {
    const empty = l.text.trim() === '' && l.text.length <= indent;
    const body = empty ? '' : l.text.slice(Math.min(indent, l.text.length));
    return { text: body, start: l.start + Math.min(indent, l.text.length), breakStart: l.start + l.text.length, breakEnd: l.breakEnd, empty, more: body.length > 0 && isBlank(body[0]) };
  });
  // Trailing empty lines are handled by chomping.
  let lastText = content.length - 1;
  while (lastText >= 0 && content[lastText].empty) lastText--;
  let previous: Line | undefined;
  let emptiesSince = 0;
  for (let i = 0; i <= lastText; i++) {
    const line = content[i];
    if (line.empty) { emptiesSince++; continue; }
    if (previous) {
      const foldable = folded && !previous.more && !line.more;
      if (foldable && emptiesSince === 0) push(b, ' ', previous.breakStart, previous.breakEnd);
      else {
        // The first break is kept in literal style and around more-indented lines; in folded style it is dropped
        // when empty lines follow it (each empty line then yields one newline).
        if (!(foldable && emptiesSince > 0)) push(b, '\n', previous.breakStart, previous.breakEnd);
        for (let k = 0; k < emptiesSince; k++) { const e = content[i - emptiesSince + k]; push(b, '\n', e.start, e.breakEnd); }
      }
    } else {
      for (let k = 0; k < emptiesSince; k++) { const e = content[i - emptiesSince + k]; push(b, '\n', e.start, e.breakEnd); }
    }
    emptiesSince = 0;
    for (let c = 0; c < line.text.length; c++) push(b, line.text[c], line.start + c, line.start + c + 1);
    previous = line;
  }
  if (previous && chomp !== 'strip') {
    push(b, '\n', previous.breakStart, previous.breakEnd);
    if (chomp === 'keep') for (let i = lastText + 1; i < content.length; i++) push(b, '\n', content[i].start, content[i].breakEnd);
  }
  b.starts.push(previous ? previous.breakStart : base);
  return b;
}

export function scalarStyleOf(tokenType: string, header?: string): ScalarStyle {
  switch (tokenType) {
    case 'single-quoted-scalar': return 'single-quoted';
    case 'double-quoted-scalar': return 'double-quoted';
    case 'block-scalar': return header?.startsWith('>') ? 'folded' : 'literal';
    default: return 'plain';
  }
}

/**
 * Builds the value → document offset map of a scalar. `value` is the string the yaml library produced; when the
 * rebuilt value differs, the map is approximate (marked not exact) but never points outside the scalar.
 */
export function buildScalarMap(token: ScalarSourceToken, value: string, shift = 0): ScalarMap {
  const header = token.props?.find((p) => p.type === 'block-scalar-header')?.source;
  const style = scalarStyleOf(token.type, header);
  let built: Builder | undefined;
  try { built = style === 'literal' || style === 'folded' ? buildBlock(token) : buildFlow(token, style); } catch { built = undefined; }
  if (built && built.value === value) return new ScalarMap(built.starts, built.ends, true, shift);
  return approximateMap(token, value, style, shift);
}

/** Fallback: the value's characters in order over the scalar's source, clamped to its extent. */
function approximateMap(token: ScalarSourceToken, value: string, style: ScalarStyle, shift: number): ScalarMap {
  const lastProp = token.props?.[token.props.length - 1];
  const base = style === 'literal' || style === 'folded'
    ? (lastProp ? lastProp.offset + lastProp.source.length : token.offset)
    : token.offset + (style === 'plain' ? 0 : 1);
  const endOfSource = token.offset + (style === 'literal' || style === 'folded' ? (base - token.offset) + token.source.length : token.source.length - (style === 'plain' ? 0 : 1));
  const direct = token.source.indexOf(value);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const at = direct >= 0 && value.length > 0 ? token.offset + direct + i : Math.min(base + i, Math.max(base, endOfSource - 1));
    starts.push(at);
    ends.push(at + 1);
  }
  starts.push(direct >= 0 && value.length > 0 ? token.offset + direct + value.length : endOfSource);
  return new ScalarMap(starts, ends, false, shift);
}
