// The one place where offsets become LSP positions and back. Positions are computed on exactly the string the
// parsers saw, in UTF-16 code units (what LSP and JavaScript strings both use), so CRLF, tabs and emoji agree.
import type { Position, Range } from 'vscode-languageserver-types';

/** The line break an edit writes into a text: CRLF in a text that has one, else LF. */
export function lineEnding(text: string): '\r\n' | '\n' {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * A file's text as an editor shows it: without the UTF-8 byte order mark some Windows editors write first. VS Code
 * drops it from an open document, and yaml-cpp skips it when Falco reads the file; the yaml library would read it as
 * text. Files read from disk go through here, so that a closed file and the same file open read alike.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text without the run of `chars` that ends it, `keep` characters of the text at least (as `/[…]+$/` would
 * remove, after the first `keep`). Read backwards: the regex retries the run from each of its characters wherever one
 * stands inside the text, quadratic on a long run of slashes or dots in an untrusted path or label.
 */
export function withoutTrailing(text: string, chars: string, keep = 0): string {
  let end = text.length;
  while (end > keep && chars.includes(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    // Breaks are LF, CRLF or a lone CR (as LSP counts them). indexOf finds them far faster than a character loop.
    let cr = text.indexOf('\r');
    let lf = text.indexOf('\n');
    while (cr >= 0 || lf >= 0) {
      if (lf >= 0 && (cr < 0 || lf < cr)) {
        starts.push(lf + 1);
        lf = text.indexOf('\n', lf + 1);
      } else {
        if (lf === cr + 1) { starts.push(lf + 1); lf = text.indexOf('\n', lf + 1); } else starts.push(cr + 1);
        cr = text.indexOf('\r', cr + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number { return this.lineStarts.length; }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid; else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Offset just past the line's last character, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }
}
