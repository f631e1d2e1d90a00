// The text of an open alert log held as blocks of whole lines, and the editor document built on it. With one string
// per document (vscode-languageserver-textdocument), every edit of a 43 MB log built a new 43 MB string (the old one
// sliced around the change, then flattened on first read), and V8 let a dozen of those pile up before a major GC:
// the server peaked near 900 MB while a user typed. Here an edit builds one new block of about 64 K characters and a
// new array of block references; unchanged blocks are shared between versions (at open they are slices of the
// message's text, which stays the one copy).
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';

/** Characters per block when a text is split: an edit costs a copy of about this much. */
const BLOCK = 1 << 16;

const LF = 10;
const CR = 13;

/**
 * An immutable text as blocks. Every block but the last ends with a line break (LF, CRLF or a lone CR, as LSP counts
 * them), and no CRLF is split between two blocks, so lines never cross blocks. Offsets are offsets of the whole text.
 */
export class TextBlocks {
  readonly length: number;
  /** Offset of each block's first character, then the text's length. */
  private readonly starts: number[];
  /** Line breaks in each block (-1: not counted yet); counted only when line positions are asked for. */
  private readonly breaks: number[];
  /** Breaks before each block, then the total: built on first use. */
  private breaksBefore: number[] | undefined;
  /** The block of the last lookup: reads are mostly sequential. */
  private recent = 0;

  private constructor(readonly blocks: readonly string[], readonly blockSize: number, breaks?: number[]) {
    const starts = new Array<number>(blocks.length + 1);
    let at = 0;
    for (let b = 0; b < blocks.length; b++) { starts[b] = at; at += blocks[b].length; }
    starts[blocks.length] = at;
    this.starts = starts;
    this.length = at;
    this.breaks = breaks ?? new Array<number>(blocks.length).fill(-1);
  }

  /** The text as one block (for texts that are not an editor's document: tests, reports, small logs). */
  static of(text: string): TextBlocks { return new TextBlocks([text], BLOCK); }

  /** The text cut into blocks of about `size` characters at line starts (slices: no copy of the text is made). */
  static split(text: string, size = BLOCK): TextBlocks { return new TextBlocks(splitLines(text, size), size); }

  /** The whole text (joins the blocks: a copy of the text when there are several). */
  toString(): string { return this.blocks.length === 1 ? this.blocks[0] : this.blocks.join(''); }

  /** The block holding `offset` (the last block for the text's length). */
  private blockAt(offset: number): number {
    const starts = this.starts;
    const r = this.recent;
    if (starts[r] <= offset && offset < starts[r + 1]) return r;
    if (r + 2 < starts.length && starts[r + 1] <= offset && offset < starts[r + 2]) return (this.recent = r + 1);
    if (offset >= this.length) return (this.recent = this.blocks.length - 1);
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid; else high = mid - 1;
    }
    return (this.recent = low);
  }

  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.length) return NaN;
    const b = this.blockAt(offset);
    return this.blocks[b].charCodeAt(offset - this.starts[b]);
  }

  /** As String.prototype.slice for 0 <= start and end <= length; a slice inside one block is a slice of it. */
  slice(start: number, end: number = this.length): string {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    let b = this.blockAt(start);
    if (end <= this.starts[b + 1]) return this.blocks[b].slice(start - this.starts[b], end - this.starts[b]);
    let out = this.blocks[b].slice(start - this.starts[b]);
    for (b++; this.starts[b] < end; b++) out += this.blocks[b].slice(0, end - this.starts[b]);
    return out;
  }

  /** As String.prototype.startsWith (a position outside the text is clamped to it). */
  startsWith(search: string, at: number): boolean {
    at = Math.max(0, Math.min(at, this.length));
    if (at + search.length > this.length) return false;
    const b = this.blockAt(at);
    if (at + search.length <= this.starts[b + 1]) return this.blocks[b].startsWith(search, at - this.starts[b]);
    return this.slice(at, at + search.length) === search;
  }

  /** The offset where the line after the one containing `from` starts, or -1 when that line is the last. */
  nextLineStart(from: number): number {
    if (from < 0) from = 0;
    for (let b = from < this.length ? this.blockAt(from) : this.blocks.length; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      const base = this.starts[b];
      for (let i = Math.max(0, from - base); i < block.length; i++) {
        const c = block.charCodeAt(i);
        if (c === LF) return base + i + 1;
        if (c === CR) return this.charCodeAt(base + i + 1) === LF ? base + i + 2 : base + i + 1;
      }
    }
    return -1;
  }

  /** Offset of the first character of each line (as LineIndex counts them). */
  lineStarts(): number[] {
    const out = [0];
    for (let b = 0; b < this.blocks.length; b++) appendLineStarts(this.blocks[b], this.starts[b], out);
    return out;
  }

  // ---- line positions (for the editor document)

  private breaksIn(b: number): number {
    if (this.breaks[b] < 0) { const starts: number[] = []; appendLineStarts(this.blocks[b], 0, starts); this.breaks[b] = starts.length; }
    return this.breaks[b];
  }

  private cumulativeBreaks(): number[] {
    if (!this.breaksBefore) {
      const before = new Array<number>(this.blocks.length + 1);
      let sum = 0;
      for (let b = 0; b < this.blocks.length; b++) { before[b] = sum; sum += this.breaksIn(b); }
      before[this.blocks.length] = sum;
      this.breaksBefore = before;
    }
    return this.breaksBefore;
  }

  get lineCount(): number { return this.cumulativeBreaks()[this.blocks.length] + 1; }

  /** Offset where line `line` (0 <= line < lineCount) starts: just after the line-th break. */
  lineStart(line: number): number {
    if (line <= 0) return 0;
    const before = this.cumulativeBreaks();
    // The block holding the line-th break: before[b] < line <= before[b + 1].
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (before[mid + 1] < line) low = mid + 1; else high = mid;
    }
    const starts: number[] = [];
    appendLineStarts(this.blocks[low], this.starts[low], starts);
    return starts[line - before[low] - 1];
  }

  /** The line holding `offset` (0 <= offset <= length): the number of breaks that end at or before it. */
  lineAt(offset: number): number {
    const b = this.blockAt(offset);
    const starts: number[] = [];
    appendLineStarts(this.blocks[b], this.starts[b], starts);
    let inBlock = 0;
    while (inBlock < starts.length && starts[inBlock] <= offset) inBlock++;
    return this.cumulativeBreaks()[b] + inBlock;
  }

  /**
   * The text with [start, end) replaced by `text`, as a new TextBlocks that shares every block the change does not
   * touch. The changed blocks become one (or several when it grew past twice the block size), joined with their
   * neighbours as needed to keep the rules above.
   */
  replace(start: number, end: number, text: string): TextBlocks {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    const blocks = this.blocks;
    let first = this.blockAt(start);
    let last = Math.max(first, this.blockAt(end));
    let piece = blocks[first].slice(0, start - this.starts[first]) + text + blocks[last].slice(end - this.starts[last]);
    // A block must end with a line break, and a CR ending one must not meet an LF starting the next.
    while (last + 1 < blocks.length && (!endsWithBreak(piece) || (piece.charCodeAt(piece.length - 1) === CR && blocks[last + 1].charCodeAt(0) === LF))) piece += blocks[++last];
    if (first > 0 && piece.charCodeAt(0) === LF && blocks[first - 1].charCodeAt(blocks[first - 1].length - 1) === CR) piece = blocks[--first] + piece;
    // Deletions shrink blocks: a small one joins the block before it, so that a long session does not leave dust.
    const size = this.blockSize;
    if (first > 0 && piece.length < size / 4) piece = blocks[--first] + piece;
    const fresh = piece.length > 2 * size ? splitLines(piece, size) : piece.length > 0 ? [piece] : [];
    const next = [...blocks.slice(0, first), ...fresh, ...blocks.slice(last + 1)];
    const breaks = [...this.breaks.slice(0, first), ...fresh.map(() => -1), ...this.breaks.slice(last + 1)];
    return next.length > 0 ? new TextBlocks(next, size, breaks) : new TextBlocks([''], size);
  }
}

function endsWithBreak(s: string): boolean {
  const c = s.charCodeAt(s.length - 1);
  return c === LF || c === CR;
}

/** `text` cut at the first line start at or after every `size` characters. */
function splitLines(text: string, size: number): string[] {
  const blocks: string[] = [];
  let from = 0;
  while (text.length - from > size) {
    let cut = -1;
    for (let i = from + size - 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) { cut = i + 1; break; }
      if (c === CR) { cut = text.charCodeAt(i + 1) === LF ? i + 2 : i + 1; break; }
    }
    // A CR just before the cut point may be the first half of a CRLF: the loop starts on it and keeps the pair whole.
    if (cut < 0 || cut >= text.length) break;
    blocks.push(text.slice(from, cut));
    from = cut;
  }
  blocks.push(from === 0 ? text : text.slice(from));
  return blocks;
}

/** Appends base + the offset just after each line break of `text` (LF, CRLF, lone CR). */
function appendLineStarts(text: string, base: number, out: number[]): void {
  // indexOf finds the breaks far faster than a character loop (as LineIndex).
  let cr = text.indexOf('\r');
  let lf = text.indexOf('\n');
  while (cr >= 0 || lf >= 0) {
    if (lf >= 0 && (cr < 0 || lf < cr)) {
      out.push(base + lf + 1);
      lf = text.indexOf('\n', lf + 1);
    } else {
      if (lf === cr + 1) { out.push(base + lf + 1); lf = text.indexOf('\n', lf + 1); } else out.push(base + cr + 1);
      cr = text.indexOf('\r', cr + 1);
    }
  }
}

function isBreak(c: number): boolean { return c === LF || c === CR; }

/**
 * An editor document whose text is TextBlocks, for alert logs. It implements vscode-languageserver-textdocument's
 * TextDocument with the same position rules (breaks LF, CRLF and lone CR; a character past the line's end is clamped
 * before its break; a range given end first is swapped) and applies content changes in order, as TextDocument.update.
 * getText() without a range joins the blocks: the alerts service reads `blocks` instead.
 */
export class BlockDocument implements TextDocument {
  private text: TextBlocks;

  /** `blockSize`: for tests, to put many block boundaries into a small text. */
  constructor(readonly uri: string, readonly languageId: string, private currentVersion: number, content: string, private readonly blockSize?: number) {
    this.text = TextBlocks.split(content, blockSize);
  }

  get version(): number { return this.currentVersion; }
  get blocks(): TextBlocks { return this.text; }
  get lineCount(): number { return this.text.lineCount; }

  getText(range?: Range): string {
    if (!range) return this.text.toString();
    // As TextDocument's substring: a range given end first is read start first.
    const a = this.offsetAt(range.start);
    const b = this.offsetAt(range.end);
    return this.text.slice(Math.min(a, b), Math.max(a, b));
  }

  offsetAt(position: Position): number {
    const text = this.text;
    const lines = text.lineCount;
    if (position.line >= lines) return text.length;
    if (position.line < 0) return 0;
    const lineStart = text.lineStart(position.line);
    if (position.character <= 0) return lineStart;
    const nextLineStart = position.line + 1 < lines ? text.lineStart(position.line + 1) : text.length;
    return this.beforeBreak(Math.min(lineStart + position.character, nextLineStart), lineStart);
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.text.length), 0);
    const line = this.text.lineAt(offset);
    const lineStart = this.text.lineStart(line);
    return { line, character: this.beforeBreak(offset, lineStart) - lineStart };
  }

  getLineRange(line: number): Range {
    const lines = this.text.lineCount;
    if (line >= lines) {
      const last = lines - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.text.length - this.text.lineStart(last) } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = this.text.lineStart(line);
    const next = line + 1 < lines ? this.text.lineStart(line + 1) : this.text.length;
    return { start: { line, character: 0 }, end: { line, character: this.beforeBreak(next, start) - start } };
  }

  getEOLCharacters(line: number): string {
    const lines = this.text.lineCount;
    if (line < 0 || line >= lines) return '';
    const next = line + 1 < lines ? this.text.lineStart(line + 1) : this.text.length;
    return this.text.slice(this.beforeBreak(next, this.text.lineStart(line)), next);
  }

  /** Moves an offset back over line-break characters, not before the line's start. */
  private beforeBreak(offset: number, lineStart: number): number {
    while (offset > lineStart && isBreak(this.text.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change && change.range) {
        let { start, end } = change.range;
        if (start.line > end.line || (start.line === end.line && start.character > end.character)) [start, end] = [end, start];
        this.text = this.text.replace(this.offsetAt(start), this.offsetAt(end), change.text);
      } else if (typeof change.text === 'string') {
        this.text = TextBlocks.split(change.text, this.blockSize);
      } else throw new Error('BlockDocument.update: unknown change event');
    }
    this.currentVersion = version;
  }
}
