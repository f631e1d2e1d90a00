// The per-document alert index. Each line is parsed once; a new version of the document re-parses only the lines
// that the edit touched (placed through the protocol's content changes, or found by comparing the texts when there
// are none), then a cheap linear pass joins multi-line alerts (container-runtime `P` chunks, wrapped continuation
// lines) and classifies indented lines of Falco's summary.
import { detach, parseLine, parsePayload, type AlertHead, type DockerLine, type Intern, type LineProblem, type ParsedLine, type ParsedPayload } from './parse';
import { decodeJsonString } from './json';
import { TextBlocks } from './textBlocks';

/** A piece of a joined payload: payload offsets from `from` on sit at column `column` of document line `line`.
 *  `apart`: the columns just before this piece are no part of the text (a colour escape left out), so a span of the
 *  text that ends where this piece starts ends before them (recordRange); a Docker escape (`\"`) is part of its
 *  character, and a span ending after that character ends after the escape. */
export interface Piece { from: number; line: number; column: number; apart?: boolean }

export interface AlertRecord {
  /** Position of the alert in the document's list of alerts. */
  ordinal: number;
  line: number;
  endLine: number;
  head: AlertHead;
  /** The string the head's offsets refer to: the line itself, or the joined payload. */
  text: string;
  /** Present for joined payloads; otherwise offsets are columns of `line`. */
  pieces?: Piece[];
  problems?: LineProblem[];
}

const ROLE_KINDS: LineRole['kind'][] = ['blank', 'alert', 'continuation', 'lifecycle', 'partial', 'other', 'broken'];

export interface LineRole {
  kind: 'blank' | 'alert' | 'continuation' | 'lifecycle' | 'partial' | 'other' | 'broken';
  /** Index in `alerts` for alert and continuation lines (and partial lines that were joined), else -1. */
  alert: number;
}

export interface IndexStats { parsedLines: number; reusedLines: number }

/** A content change as the protocol sends it (vscode-languageserver-textdocument's TextDocumentContentChangeEvent):
 *  a range of the previous text replaced by `text`, or (without a range) the whole new text. */
export type ContentChange = { range: Range; rangeLength?: number; text: string } | { text: string };
interface Range { start: { line: number; character: number }; end: { line: number; character: number } }

/** Old-text offsets [start, end) whose replacement made the new text; everything before and after is unchanged. */
interface Window { start: number; end: number }

export class AlertDocumentIndex {
  version = -1;
  /** The indexed text. Lines are not kept as separate strings: a line is sliced from this text when needed, so a
   *  version costs one copy of the text (the editor's), not two. An editor's document gives its blocks (an edit
   *  changes one block, not the whole 43 MB string); a string is one block. */
  private source = TextBlocks.of('');
  /** Offset of the first character of each line, with the line breaks LineIndex counts (LF, CRLF, lone CR). */
  private starts: number[] = [0];
  parsed: ParsedLine[] = [];
  alerts: AlertRecord[] = [];
  /** Role of each line (index into ROLE_KINDS) and its alert ordinal (-1 when none): typed arrays keep a
   *  40,000-line log from allocating an object per line on every version. */
  private roleKinds = new Uint8Array(0);
  private roleAlerts = new Int32Array(0);
  /** Problems of lines that are not alerts (broken JSON, unterminated partial lines), with their line. */
  lineProblems: { line: number; problem: LineProblem; pieces?: Piece[] }[] = [];
  lastStats: IndexStats = { parsedLines: 0, reusedLines: 0 };
  private readonly strings = new Map<string, string>();
  private joinedCache = new Map<string, ParsedPayload>();
  /** The interned strings last seen, by a cheap key of length and end characters: a log repeats a few rule names,
   *  host names and sources on every line, and a comparison costs less than hashing the string for the map. */
  private readonly recent = new Array<string | undefined>(256);
  readonly intern: Intern = (s) => {
    // An empty string takes slot 0 (as NaN & 255 did) without reading past its end, which would throw the optimized
    // code of this function away.
    const n = s.length;
    const slot = n === 0 ? 0 : (n * 31 + s.charCodeAt(0) * 7 + s.charCodeAt(n - 1)) & 255;
    const hit = this.recent[slot];
    if (hit === s) return hit;
    const own = this.internMap(s);
    this.recent[slot] = own;
    return own;
  };

  private internMap(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    // A slice of a line keeps the whole document text of its version alive: store (and hand out) a copy.
    const own = detach(s);
    if (this.strings.size < 100_000) this.strings.set(own, own);
    return own;
  }

  get lineCount(): number { return this.starts.length; }

  /** The indexed text as one string (joins the blocks of a big document: for tests and small texts). */
  get text(): string { return this.source.toString(); }

  get textLength(): number { return this.source.length; }

  /** Offset just past the line's last character, before its line break (as LineIndex.lineEnd). */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.source.length;
    let end = this.starts[line + 1];
    if (this.source.charCodeAt(end - 1) === 10) end--;
    if (this.source.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.source.slice(this.starts[line], this.lineEnd(line));
  }

  /**
   * Brings the index to a new version of the document. With the protocol's content changes (from the version this
   * index holds to `version`), only the lines they touch are split and parsed again; without them (or when they do
   * not fit: a full-text change, changes out of order) the changed span is found by comparing the two texts. Lines
   * outside the changed span keep their parse either way.
   */
  update(content: string | TextBlocks, version: number, changes?: readonly ContentChange[]): IndexStats {
    const text = typeof content === 'string' ? TextBlocks.of(content) : content;
    if (version === this.version && (text === this.source || (typeof content === 'string' && this.source.blocks.length === 1 && content === this.source.blocks[0]))) {
      return { parsedLines: 0, reusedLines: this.starts.length };
    }
    let parsedLines: number;
    if (this.version < 0) parsedLines = this.parseAll(text);
    else {
      const window = (changes?.length ? this.windowOfChanges(text, changes) : undefined) ?? changedWindow(this.source, text);
      parsedLines = this.reparseWindow(text, window);
    }
    this.source = text;
    this.version = version;
    this.assemble();
    this.lastStats = { parsedLines, reusedLines: this.starts.length - parsedLines };
    return this.lastStats;
  }

  private parseAll(text: TextBlocks): number {
    this.source = text;
    this.starts = text.lineStarts();
    const count = this.starts.length;
    const parsed = new Array<ParsedLine>(count);
    for (let i = 0; i < count; i++) parsed[i] = parseLine(this.lineText(i), this.intern);
    this.parsed = parsed;
    return count;
  }

  /**
   * The old-text span the changes replaced, when they can be placed on the old text without rebuilding the texts in
   * between: one change, or several that each end before the previous one starts (the order editors send for
   * multi-cursor edits), with positions inside their lines. The new text must agree with them (its length, and each
   * inserted text at its place); otherwise undefined, and the caller compares texts.
   */
  private windowOfChanges(text: TextBlocks, changes: readonly ContentChange[]): Window | undefined {
    const placed: { start: number; end: number; text: string }[] = [];
    let previous: Range['start'] | undefined;
    for (const change of changes) {
      if (!('range' in change) || !change.range) return undefined;
      let { start, end } = change.range;
      if (before(end, start)) [start, end] = [end, start];
      if (previous && before(previous, end)) return undefined;
      const s = this.exactOffset(start);
      const e = this.exactOffset(end);
      if (s === undefined || e === undefined) return undefined;
      placed.push({ start: s, end: e, text: change.text });
      previous = start;
    }
    // The later a change comes in the list, the earlier it sits in the text: its own shift applies to all before it.
    let shift = 0;
    for (let k = placed.length - 1; k >= 0; k--) {
      const c = placed[k];
      if (!text.startsWith(c.text, c.start + shift)) return undefined;
      shift += c.text.length - (c.end - c.start);
    }
    if (text.length !== this.source.length + shift) return undefined;
    return { start: placed[placed.length - 1].start, end: placed[0].end };
  }

  /** The old-text offset of a position that lies inside a line (no clamping: a clamped position cannot be placed). */
  private exactOffset(p: Range['start']): number | undefined {
    if (p.line < 0 || p.line >= this.starts.length || p.character < 0) return undefined;
    const offset = this.starts[p.line] + p.character;
    return offset <= this.lineEnd(p.line) ? offset : undefined;
  }

  /**
   * Splits and parses again the lines of the new text that overlap the changed span `window` (old-text offsets; the
   * new text differs from the old one only in [window.start, window.end + growth)), reusing the parse of lines whose
   * text is unchanged, and shifts the lines after it. Returns how many lines were parsed.
   */
  private reparseWindow(text: TextBlocks, window: Window): number {
    const old = this.source;
    const starts = this.starts;
    const growth = text.length - old.length;
    const changedEnd = window.end + growth;
    // From the line before the change: a CR at its end and an LF inserted after it become one line break.
    const first = Math.max(0, lineAt(starts, window.start) - 1);
    const fresh = [starts[first]];
    let resume = starts.length; // the old line where the unchanged tail resumes (none: the change runs to the end)
    for (let p = starts[first]; ;) {
      const next = text.nextLineStart(p);
      if (next < 0) break;
      if (next > changedEnd) {
        // The line break before `next` lies in the unchanged tail, so the old text has a line starting there too.
        resume = lineAt(starts, next - growth);
        if (starts[resume] !== next - growth) throw new Error('alert index: line starts out of step');
        break;
      }
      fresh.push(next);
      p = next;
    }
    // Lines of the old span keep their parse when their text reappears (unchanged, or moved by the edit).
    const reusable = new Map<string, ParsedLine>();
    if (resume - first <= 50_000) for (let i = first; i < resume; i++) reusable.set(this.lineText(i), this.parsed[i]);
    this.source = text;
    const tail = starts.length - resume;
    const parsedFresh = new Array<ParsedLine>(fresh.length);
    let parsedLines = 0;
    const newStarts = fresh.length === resume - first ? starts : new Array<number>(first + fresh.length + tail);
    const newParsed = fresh.length === resume - first ? this.parsed : new Array<ParsedLine>(first + fresh.length + tail);
    if (newStarts !== starts) {
      for (let i = 0; i < first; i++) { newStarts[i] = starts[i]; newParsed[i] = this.parsed[i]; }
      for (let j = 0; j < tail; j++) { newStarts[first + fresh.length + j] = starts[resume + j] + growth; newParsed[first + fresh.length + j] = this.parsed[resume + j]; }
    } else if (growth !== 0) {
      for (let i = resume; i < starts.length; i++) starts[i] += growth;
    }
    for (let k = 0; k < fresh.length; k++) newStarts[first + k] = fresh[k];
    this.starts = newStarts;
    for (let k = 0; k < fresh.length; k++) {
      const line = this.lineText(first + k);
      const reuse = reusable.get(line);
      if (reuse) parsedFresh[k] = reuse;
      else { parsedFresh[k] = parseLine(line, this.intern); parsedLines++; }
    }
    for (let k = 0; k < fresh.length; k++) newParsed[first + k] = parsedFresh[k];
    this.parsed = newParsed;
    return parsedLines;
  }

  /** Joins multi-line alerts and gives every line its role. Linear; allocates one record per alert. */
  private assemble(): void {
    const previousAlerts = this.alerts;
    const alerts: AlertRecord[] = [];
    const count = this.starts.length;
    const kinds = new Uint8Array(count);
    const ordinals = new Int32Array(count).fill(-1);
    const set = (line: number, kind: LineRole['kind'], alert = -1) => { kinds[line] = ROLE_KINDS.indexOf(kind); ordinals[line] = alert; };
    const lineProblems: AlertDocumentIndex['lineProblems'] = [];
    const usedJoins = new Map<string, ParsedPayload>();
    let previous: LineRole['kind'] = 'blank';
    let lastAlert: AlertRecord | undefined;
    for (let i = 0; i < count; i++) {
      const p = this.parsed[i];
      if (p.coloured) {
        // A line read without its colour escapes: its record's text is that reading (the wrapper prefix included, as
        // a line's), placed back on the line's columns run by run.
        const pieces: Piece[] = p.coloured.runs.map((r, k) => ({ from: r.from, line: i, column: r.column, ...(k > 0 ? { apart: true } : {}) }));
        if (p.kind === 'alert' && p.alert) {
          lastAlert = { ordinal: alerts.length, line: i, endLine: i, head: p.alert, text: p.coloured.text, pieces, problems: p.problems };
          alerts.push(lastAlert);
          set(i, 'alert', lastAlert.ordinal);
        } else {
          for (const problem of p.problems ?? []) lineProblems.push({ line: i, problem, pieces });
          set(i, p.kind === 'lifecycle' || (p.kind === 'indented' && previous === 'lifecycle') ? 'lifecycle' : p.kind === 'broken' ? 'broken' : p.kind === 'blank' ? 'blank' : 'other');
        }
        previous = ROLE_KINDS[kinds[i]];
        continue;
      }
      if (p.docker) {
        // Docker json-file lines: a `log` without its trailing \n (split at 16 KB) continues on the next line.
        let last = i;
        while (this.parsed[last].docker!.continued && last + 1 < count && this.parsed[last + 1].docker?.stream === p.docker.stream) last++;
        const unterminated = this.parsed[last].docker!.continued;
        let joined = p.docker.payload;
        for (let k = i + 1; k <= last; k++) joined += this.parsed[k].docker!.payload;
        const payload = last === i && !unterminated ? p.docker.parsed! : this.joinedParse(joined, usedJoins);
        if (unterminated) {
          lineProblems.push({ line: last, problem: { start: 0, end: this.lineEnd(last) - this.starts[last], severity: 3, code: 'partial-unterminated', message: 'A Docker log line split at 16 KB that no following line completes: the log may be cut here' } });
        }
        // The pieces are computed later, perhaps after the next version: keep this version's lines for them.
        const joinedLines: { line: number; text: string; docker: DockerLine }[] = [];
        for (let k = i; k <= last; k++) joinedLines.push({ line: k, text: this.lineText(k), docker: this.parsed[k].docker! });
        const pieces = lazyPieces(() => dockerPieces(joinedLines));
        if (payload.kind === 'alert' && payload.alert) {
          lastAlert = { ordinal: alerts.length, line: i, endLine: last, head: payload.alert, text: joined, problems: payload.problems, get pieces() { return pieces(); } };
          alerts.push(lastAlert);
          for (let k = i; k <= last; k++) set(k, k === i ? 'alert' : 'continuation', lastAlert.ordinal);
          previous = 'alert';
        } else {
          if (payload.problems?.length) for (const problem of payload.problems) lineProblems.push({ line: i, problem, pieces: pieces() });
          const kind: LineRole['kind'] = payload.kind === 'lifecycle' || (payload.kind === 'indented' && (previous as LineRole['kind']) === 'lifecycle') ? 'lifecycle'
            : payload.kind === 'broken' ? 'broken' : payload.kind === 'blank' ? 'blank' : 'other';
          for (let k = i; k <= last; k++) set(k, kind);
          previous = kind;
        }
        i = last;
        continue;
      }
      if (p.partial) {
        // Container-runtime chunks: P lines of one stream continue until an F line.
        const pieces: Piece[] = [];
        let joined = '';
        let j = i;
        while (j < count && this.parsed[j].partial) {
          pieces.push({ from: joined.length, line: j, column: this.parsed[j].payloadStart });
          joined += this.source.slice(this.starts[j] + this.parsed[j].payloadStart, this.lineEnd(j));
          j++;
        }
        const closed = j < count && this.parsed[j].wrapper === 'cri' && !this.parsed[j].coloured;
        if (closed) {
          pieces.push({ from: joined.length, line: j, column: this.parsed[j].payloadStart });
          joined += this.source.slice(this.starts[j] + this.parsed[j].payloadStart, this.lineEnd(j));
        } else {
          lineProblems.push({ line: j - 1, problem: { start: this.parsed[j - 1].payloadStart, end: this.lineEnd(j - 1) - this.starts[j - 1], severity: 3, code: 'partial-unterminated', message: 'A partial container-runtime line (P) that no final line (F) completes: the log may be cut here' } });
        }
        const payload = this.joinedParse(joined, usedJoins);
        const last = closed ? j : j - 1;
        if (payload.kind === 'alert' && payload.alert) {
          lastAlert = { ordinal: alerts.length, line: i, endLine: last, head: payload.alert, text: joined, pieces, problems: payload.problems };
          alerts.push(lastAlert);
          for (let k = i; k <= last; k++) set(k, k === i ? 'alert' : 'continuation', lastAlert.ordinal);
          previous = 'alert';
        } else {
          for (const problem of payload.problems ?? []) lineProblems.push({ line: i, problem, pieces });
          const kind = payload.kind === 'lifecycle' ? 'lifecycle' : payload.kind === 'broken' ? 'broken' : 'partial';
          for (let k = i; k <= last; k++) set(k, kind);
          previous = kind;
        }
        i = last;
        continue;
      }
      switch (p.kind) {
        case 'alert': {
          // The previous version's record of this line is kept when the line kept its parse (same head), its line
          // number and its ordinal: only where its text is read changes. A one-line edit of a 40k-alert log then
          // allocates one record instead of 40,000 (3 MB of garbage per version).
          const next = i + 1 < count ? this.starts[i + 1] : -1;
          const earlier = previousAlerts[alerts.length];
          if (earlier instanceof LineAlert && earlier.head === p.alert && earlier.line === i) {
            earlier.rebase(this.source, this.starts[i], next);
            lastAlert = earlier;
          } else lastAlert = new LineAlert(alerts.length, i, p.alert!, p.problems, this.source, this.starts[i], next);
          alerts.push(lastAlert);
          kinds[i] = 1; ordinals[i] = lastAlert.ordinal;
          break;
        }
        case 'blank': set(i, 'blank'); break;
        case 'lifecycle': set(i, 'lifecycle'); break;
        case 'broken':
          set(i, 'broken');
          for (const problem of p.problems ?? []) lineProblems.push({ line: i, problem });
          break;
        case 'indented':
        case 'other': {
          if (p.kind === 'indented' && previous === 'lifecycle') { set(i, 'lifecycle'); break; }
          // A text alert wrapped onto the next line (seen in copied logs): the line continues its output.
          if ((previous === 'alert' || previous === 'continuation') && lastAlert && lastAlert.head.format === 'text' && !p.wrapper && !this.parsed[lastAlert.line].docker && !this.parsed[lastAlert.line].coloured) {
            this.extendTextAlert(alerts, lastAlert, i, usedJoins);
            lastAlert = alerts[alerts.length - 1];
            set(i, 'continuation', lastAlert.ordinal);
            break;
          }
          set(i, 'other');
          break;
        }
      }
      if (kinds[i] !== 0) previous = ROLE_KINDS[kinds[i]];
    }
    this.alerts = alerts;
    this.roleKinds = kinds;
    this.roleAlerts = ordinals;
    this.lineProblems = lineProblems;
    this.joinedCache = usedJoins;
  }

  private extendTextAlert(alerts: AlertRecord[], record: AlertRecord, line: number, usedJoins: Map<string, ParsedPayload>): void {
    const payloadStart = this.parsed[record.line].payloadStart;
    const base = record.pieces ? record.text : record.text.slice(payloadStart);
    const pieces: Piece[] = record.pieces ? [...record.pieces] : [{ from: 0, line: record.line, column: payloadStart }];
    const joined = `${base} ${this.lineText(line)}`;
    pieces.push({ from: base.length + 1, line, column: 0 });
    const payload = this.joinedParse(joined, usedJoins);
    if (payload.kind !== 'alert' || !payload.alert) return;
    alerts[record.ordinal] = { ordinal: record.ordinal, line: record.line, endLine: line, head: payload.alert, text: joined, pieces, problems: payload.problems };
  }

  private joinedParse(joined: string, used: Map<string, ParsedPayload>): ParsedPayload {
    let p = used.get(joined) ?? this.joinedCache.get(joined);
    if (!p) p = parsePayload(joined, 0, joined.length, this.intern);
    used.set(joined, p);
    return p;
  }

  /** Where the payload starts in a record's text: after its line's wrapper prefix (a coloured line's text holds the
   *  prefix too), at 0 in a payload joined from several lines. */
  payloadStart(record: AlertRecord): number {
    const parsed = this.parsed[record.line];
    return !record.pieces || parsed.coloured ? parsed.payloadStart : 0;
  }

  roleOf(line: number): LineRole {
    return { kind: ROLE_KINDS[this.roleKinds[line]], alert: this.roleAlerts[line] };
  }

  /** Roles of all lines (allocates; for tests and small documents). */
  get roles(): LineRole[] {
    return Array.from(this.roleKinds, (_, i) => this.roleOf(i));
  }

  /** The alerts that start or continue on lines start..end (inclusive), as the ordinal of the first and a count,
   *  without visiting every line: ordinals follow line order, so the first and last alert lines in the range suffice. */
  alertsBetween(startLine: number, endLine: number): { first: number; count: number } {
    const from = Math.max(0, startLine);
    const to = Math.min(endLine, this.roleAlerts.length - 1);
    let first = from;
    while (first <= to && this.roleAlerts[first] < 0) first++;
    if (first > to) return { first: -1, count: 0 };
    let last = to;
    while (this.roleAlerts[last] < 0) last--;
    return { first: this.roleAlerts[first], count: this.roleAlerts[last] - this.roleAlerts[first] + 1 };
  }

  alertAtLine(line: number): AlertRecord | undefined {
    const ordinal = line >= 0 && line < this.roleAlerts.length ? this.roleAlerts[line] : -1;
    return ordinal >= 0 ? this.alerts[ordinal] : undefined;
  }
}

/** Pieces of a Docker payload joined from consecutive lines: the `log` strings are JSON-escaped, so a new piece
 *  starts wherever an escape makes decoded and source offsets drift apart. */
function dockerPieces(lines: { line: number; text: string; docker: DockerLine }[]): Piece[] {
  const pieces: Piece[] = [];
  let base = 0;
  for (const { line, text, docker: d } of lines) {
    const { offsets } = decodeJsonString(text, d.logStart, d.logEnd);
    if (!offsets) pieces.push({ from: base, line, column: d.logStart + 1 });
    else {
      for (let i = 0; i < d.payload.length; i++) {
        if (i === 0 || offsets[i] !== offsets[i - 1] + 1) pieces.push({ from: base + i, line, column: offsets[i] });
      }
    }
    base += d.payload.length;
  }
  return pieces;
}

/** An alert on one line. Its text is sliced from the document's text when asked: a version builds a record for every
 *  alert, and most are never looked at (a slice each cost more than the rest of a re-assembly). */
class LineAlert implements AlertRecord {
  #source: TextBlocks;
  #start: number;
  #next: number;
  constructor(readonly ordinal: number, readonly line: number, readonly head: AlertHead, readonly problems: LineProblem[] | undefined, source: TextBlocks, start: number, nextLineStart: number) {
    this.#source = source;
    this.#start = start;
    this.#next = nextLineStart;
  }
  get endLine(): number { return this.line; }

  /** Points the record at a new version's text, where its unchanged line now starts at `start`. */
  rebase(source: TextBlocks, start: number, nextLineStart: number): void {
    this.#source = source;
    this.#start = start;
    this.#next = nextLineStart;
  }

  get text(): string {
    let end = this.#next < 0 ? this.#source.length : this.#next;
    if (this.#next >= 0 && this.#source.charCodeAt(end - 1) === 10) end--;
    if (this.#next >= 0 && this.#source.charCodeAt(end - 1) === 13) end--;
    return this.#source.slice(this.#start, end);
  }
}

/** A value computed on first use: the pieces of an escaped Docker payload cost an allocation per escape, which only
 *  hovers, actions and diagnostics of that alert need. */
function lazyPieces(compute: () => Piece[]): () => Piece[] {
  let value: Piece[] | undefined;
  return () => (value ??= compute());
}

/** The line that contains `offset`: the last line starting at or before it. */
function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid; else high = mid - 1;
  }
  return low;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The span of `old` that differs from `text`: the common prefix and suffix are compared a chunk at a time (native
 *  string comparison), then character by character inside the first chunk that differs. */
function changedWindow(old: TextBlocks, text: TextBlocks): Window {
  const max = Math.min(old.length, text.length);
  let prefix = 0;
  for (let chunk = 256; prefix < max; chunk = Math.min(chunk * 2, 65_536)) {
    const end = Math.min(max, prefix + chunk);
    if (old.slice(prefix, end) !== text.slice(prefix, end)) {
      while (old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
      break;
    }
    prefix = end;
  }
  const room = max - prefix;
  let suffix = 0;
  for (let chunk = 256; suffix < room; chunk = Math.min(chunk * 2, 65_536)) {
    const end = Math.min(room, suffix + chunk);
    if (old.slice(old.length - end, old.length - suffix) !== text.slice(text.length - end, text.length - suffix)) {
      while (old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
      break;
    }
    suffix = end;
  }
  return { start: prefix, end: old.length - suffix };
}

/** Document line and column of an offset into a record's text. */
export function recordPosition(record: { line: number; pieces?: Piece[] }, offset: number): { line: number; character: number } {
  if (!record.pieces) return { line: record.line, character: offset };
  let piece = record.pieces[0];
  for (const p of record.pieces) { if (p.from <= offset) piece = p; else break; }
  return { line: piece.line, character: piece.column + Math.max(0, offset - piece.from) };
}

/** The document range of the record-text span [start, end): its end is right after the span's last character, before
 *  a colour escape that follows it (Piece.apart). */
export function recordRange(record: { line: number; pieces?: Piece[] }, start: number, end: number): { start: { line: number; character: number }; end: { line: number; character: number } } {
  if (record.pieces && end > start) {
    for (let k = 1; k < record.pieces.length; k++) {
      const p = record.pieces[k];
      if (p.from > end) break;
      if (p.from === end && p.apart) {
        const before = record.pieces[k - 1];
        return { start: recordPosition(record, start), end: { line: before.line, character: before.column + end - before.from } };
      }
    }
  }
  return { start: recordPosition(record, start), end: recordPosition(record, end) };
}

/** The record-text offset of a document position, or undefined when the position is not inside the record. */
export function recordOffset(record: { line: number; endLine: number; pieces?: Piece[]; text: string }, line: number, character: number): number | undefined {
  if (line < record.line || line > record.endLine) return undefined;
  if (!record.pieces) return character;
  const pieces = record.pieces;
  for (let k = pieces.length - 1; k >= 0; k--) {
    const p = pieces[k];
    // Inside an escape (`\"`, `\u00e9`) of a Docker payload the columns run ahead of the text: stay in this piece.
    if (p.line === line && character >= p.column) return Math.min(p.from + character - p.column, k + 1 < pieces.length ? Math.max(p.from, pieces[k + 1].from - 1) : Infinity);
  }
  return undefined;
}
