// The per-document alert index. Each line is parsed once; a new version of the document re-parses only the lines
// whose text changed (common prefix and suffix are kept, and moved lines are found by their text), then a cheap
// linear pass joins multi-line alerts (container-runtime `P` chunks, wrapped continuation lines) and classifies
// indented lines of Falco's summary.
import { parseLine, parsePayload, type AlertHead, type Intern, type LineProblem, type ParsedLine, type ParsedPayload } from './parse';
import { decodeJsonString } from './json';

/** A piece of a joined payload: payload offsets from `from` on sit at column `column` of document line `line`. */
export interface Piece { from: number; line: number; column: number }

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

export class AlertDocumentIndex {
  version = -1;
  text = '';
  lines: string[] = [];
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
  readonly intern: Intern = (s) => {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size < 100_000) this.strings.set(s, s);
    return s;
  };

  update(text: string, version: number): IndexStats {
    if (version === this.version && text === this.text) return { parsedLines: 0, reusedLines: this.lines.length };
    const lines = splitLines(text);
    const count = lines.length;
    const old = this.lines;
    const oldParsed = this.parsed;
    let prefix = 0;
    const limit = Math.min(old.length, count);
    while (prefix < limit && old[prefix] === lines[prefix]) prefix++;
    let suffix = 0;
    while (suffix < limit - prefix && old[old.length - 1 - suffix] === lines[count - 1 - suffix]) suffix++;
    // Lines that moved inside the changed region keep their parse too.
    const moved = new Map<string, ParsedLine>();
    if (old.length - suffix - prefix <= 50_000) for (let i = prefix; i < old.length - suffix; i++) moved.set(old[i], oldParsed[i]);
    const parsed = new Array<ParsedLine>(count);
    let parsedLines = 0;
    for (let i = 0; i < prefix; i++) parsed[i] = oldParsed[i];
    for (let i = prefix; i < count - suffix; i++) {
      const reuse = moved.get(lines[i]);
      if (reuse) parsed[i] = reuse;
      else { parsed[i] = parseLine(lines[i], this.intern); parsedLines++; }
    }
    for (let j = 0; j < suffix; j++) parsed[count - 1 - j] = oldParsed[old.length - 1 - j];
    this.text = text;
    this.version = version;
    this.lines = lines;
    this.parsed = parsed;
    this.assemble();
    this.lastStats = { parsedLines, reusedLines: count - parsedLines };
    return this.lastStats;
  }

  /** Joins multi-line alerts and gives every line its role. Linear; allocates one record per alert. */
  private assemble(): void {
    const alerts: AlertRecord[] = [];
    const kinds = new Uint8Array(this.lines.length);
    const ordinals = new Int32Array(this.lines.length).fill(-1);
    const set = (line: number, kind: LineRole['kind'], alert = -1) => { kinds[line] = ROLE_KINDS.indexOf(kind); ordinals[line] = alert; };
    const lineProblems: AlertDocumentIndex['lineProblems'] = [];
    const usedJoins = new Map<string, ParsedPayload>();
    let previous: LineRole['kind'] = 'blank';
    let lastAlert: AlertRecord | undefined;
    for (let i = 0; i < this.lines.length; i++) {
      const p = this.parsed[i];
      if (p.docker) {
        // Docker json-file lines: a `log` without its trailing \n (split at 16 KB) continues on the next line.
        let last = i;
        while (this.parsed[last].docker!.continued && last + 1 < this.lines.length && this.parsed[last + 1].docker?.stream === p.docker.stream) last++;
        const unterminated = this.parsed[last].docker!.continued;
        let joined = p.docker.payload;
        for (let k = i + 1; k <= last; k++) joined += this.parsed[k].docker!.payload;
        const payload = last === i && !unterminated ? p.docker.parsed! : this.joinedParse(joined, usedJoins);
        if (unterminated) {
          lineProblems.push({ line: last, problem: { start: 0, end: this.lines[last].length, severity: 3, code: 'partial-unterminated', message: 'A Docker log line split at 16 KB that no following line completes: the log may be cut here' } });
        }
        const first = i; // `i` moves to `last` below, and the pieces are computed later
        const pieces = lazyPieces(() => this.dockerPieces(first, last));
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
        while (j < this.lines.length && this.parsed[j].partial) {
          pieces.push({ from: joined.length, line: j, column: this.parsed[j].payloadStart });
          joined += this.lines[j].slice(this.parsed[j].payloadStart);
          j++;
        }
        const closed = j < this.lines.length && this.parsed[j].wrapper === 'cri';
        if (closed) {
          pieces.push({ from: joined.length, line: j, column: this.parsed[j].payloadStart });
          joined += this.lines[j].slice(this.parsed[j].payloadStart);
        } else {
          lineProblems.push({ line: j - 1, problem: { start: this.parsed[j - 1].payloadStart, end: this.lines[j - 1].length, severity: 3, code: 'partial-unterminated', message: 'A partial container-runtime line (P) that no final line (F) completes: the log may be cut here' } });
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
          lastAlert = { ordinal: alerts.length, line: i, endLine: i, head: p.alert!, text: this.lines[i], problems: p.problems };
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
          if ((previous === 'alert' || previous === 'continuation') && lastAlert && lastAlert.head.format === 'text' && !p.wrapper && !this.parsed[lastAlert.line].docker) {
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
    const joined = `${base} ${this.lines[line]}`;
    pieces.push({ from: base.length + 1, line, column: 0 });
    const payload = this.joinedParse(joined, usedJoins);
    if (payload.kind !== 'alert' || !payload.alert) return;
    alerts[record.ordinal] = { ordinal: record.ordinal, line: record.line, endLine: line, head: payload.alert, text: joined, pieces, problems: payload.problems };
  }

  /** Pieces of a Docker payload joined from lines first..last: the `log` strings are JSON-escaped, so a new piece
   *  starts wherever an escape makes decoded and source offsets drift apart. */
  private dockerPieces(first: number, last: number): Piece[] {
    const pieces: Piece[] = [];
    let base = 0;
    for (let k = first; k <= last; k++) {
      const d = this.parsed[k].docker!;
      const { offsets } = decodeJsonString(this.lines[k], d.logStart, d.logEnd);
      if (!offsets) pieces.push({ from: base, line: k, column: d.logStart + 1 });
      else {
        for (let i = 0; i < d.payload.length; i++) {
          if (i === 0 || offsets[i] !== offsets[i - 1] + 1) pieces.push({ from: base + i, line: k, column: offsets[i] });
        }
      }
      base += d.payload.length;
    }
    return pieces;
  }

  private joinedParse(joined: string, used: Map<string, ParsedPayload>): ParsedPayload {
    let p = used.get(joined) ?? this.joinedCache.get(joined);
    if (!p) p = parsePayload(joined, 0, joined.length, this.intern);
    used.set(joined, p);
    return p;
  }

  roleOf(line: number): LineRole {
    return { kind: ROLE_KINDS[this.roleKinds[line]], alert: this.roleAlerts[line] };
  }

  /** Roles of all lines (allocates; for tests and small documents). */
  get roles(): LineRole[] {
    return Array.from(this.roleKinds, (_, i) => this.roleOf(i));
  }

  alertAtLine(line: number): AlertRecord | undefined {
    const ordinal = line >= 0 && line < this.roleAlerts.length ? this.roleAlerts[line] : -1;
    return ordinal >= 0 ? this.alerts[ordinal] : undefined;
  }
}

/** A value computed on first use: the pieces of an escaped Docker payload cost an allocation per escape, which only
 *  hovers, actions and diagnostics of that alert need. */
function lazyPieces(compute: () => Piece[]): () => Piece[] {
  let value: Piece[] | undefined;
  return () => (value ??= compute());
}

/**
 * The document's lines with the same line breaks as LineIndex (CRLF, LF, lone CR), so that line numbers and
 * columns agree with it. Native split: a character loop over a 45 MB log costs more than parsing it.
 */
export function splitLines(text: string): string[] {
  return text.indexOf('\r') < 0 ? text.split('\n') : text.split(/\r\n|\n|\r/);
}

/** Document line and column of an offset into a record's text. */
export function recordPosition(record: { line: number; pieces?: Piece[] }, offset: number): { line: number; character: number } {
  if (!record.pieces) return { line: record.line, character: offset };
  let piece = record.pieces[0];
  for (const p of record.pieces) { if (p.from <= offset) piece = p; else break; }
  return { line: piece.line, character: piece.column + Math.max(0, offset - piece.from) };
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
