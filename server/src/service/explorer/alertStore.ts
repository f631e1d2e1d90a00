// The Alert Explorer's index of one log file. Lines are parsed once, with the alert service's line parser, into
// columns of numbers: byte offset and length (the text stays on disk and is read back on demand), line number,
// priority, time and interned ids of rule, hostname, source and container, plus a fingerprint that folds duplicates.
// A million alerts take about 50 MB. Queries (groups, pages of alerts) scan the columns; each is also given in steps
// (a generator that yields between slices of its work), which the server runs with turns of the event loop between
// them on a large log.
import { isAscii } from 'node:buffer';
import { parseLine, parsePayload, type AlertHead } from '../alerts/parse';
import { Column, DistinctCounter, StringTable } from './columns';
import {
  AlertTimeParser, containerOf, escapedOutputFingerprintOfBytes, jsonOutput, jsonOutputSpan, outputFingerprint, outputFingerprintOfBytes, timePrefixLength,
} from './extract';
import { ByteFrequencies, TextSearch } from './textSearch';
import type {
  ExplorerAlertItem, ExplorerFilter, ExplorerGroup, ExplorerGroupBy,
} from '../../protocol';

/** Reads bytes of the log; implemented with the file system by the server and with buffers by tests. */
export interface ByteSource {
  size(): number;
  read(buffer: Buffer, offset: number, length: number, position: number): number;
  /**
   * Changes when the path names another file than before (a log rotated by renaming it and creating a new one, a file
   * deleted and created again); read after size(), which notices it. Absent: always the same file.
   */
  generation?(): number;
}

/** Names the rule of a text alert (which carries none) from its rendered output; undefined when unidentified. */
export type TextRuleIdentifier = (output: string) => string | undefined;

/**
 * A query in steps: it yields between slices of its work (a few milliseconds each on a large log) and returns its
 * answer. Dropping it before its end leaves nothing behind but the text filter's matches found so far (complete for
 * the alerts they cover).
 */
export type QuerySteps<T> = Generator<void, T, void>;

/** Runs a query's steps to the end at once. */
export function runSteps<T>(steps: QuerySteps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

interface GroupAcc { slot: number; count: number; priority: number; first: number; last: number; distinct: number }

export interface GroupsAnswer {
  groups: ExplorerGroup[];
  /** Alerts that pass the filter. */
  matching: number;
  truncated: boolean;
  /** Alerts the query looked at: the log's when it started. */
  total: number;
}

const GROUP_BYS: readonly ExplorerGroupBy[] = ['rule', 'priority', 'hostname', 'source', 'container'];

/**
 * What is wrong with the grouping and filter of a request, in a sentence, or undefined: the protocol's values come
 * from any client, and a filter of the wrong types made the store throw a TypeError (`text.toLowerCase is not a
 * function`) or match nothing without a word (`since: "abc"`).
 */
export function queryProblem(groupBy: unknown, filter: unknown): string | undefined {
  if (groupBy !== undefined && !GROUP_BYS.includes(groupBy as ExplorerGroupBy)) return `cannot group by ${JSON.stringify(groupBy)}: the groupings are ${GROUP_BYS.join(', ')}`;
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter !== 'object' || Array.isArray(filter)) return 'the filter is not an object';
  const f = filter as Record<string, unknown>;
  for (const key of ['text', 'hostname', 'source'] as const) {
    if (f[key] !== undefined && typeof f[key] !== 'string') return `the filter's ${key} is not a string`;
  }
  if (f.minPriority !== undefined && !(Number.isInteger(f.minPriority) && (f.minPriority as number) >= 0 && (f.minPriority as number) <= 7)) {
    return 'the filter\'s minPriority is not a priority number from 0 (Emergency) to 7 (Debug)';
  }
  if (f.rules !== undefined && !(Array.isArray(f.rules) && f.rules.every((r) => typeof r === 'string'))) return 'the filter\'s rules is not a list of rule names';
  for (const key of ['since', 'until'] as const) {
    if (f[key] !== undefined && !(typeof f[key] === 'number' && Number.isFinite(f[key]))) return `the filter's ${key} is not a time in epoch milliseconds`;
  }
  return undefined;
}

const NO_ID = 0xffffffff;
const CHUNK_BYTES = 4 * 1024 * 1024;
const SUMMARY_CHARS = 300;
/** The longest payload joined from continued lines before it is given up as not an alert. */
const MAX_JOINED_CHARS = 1024 * 1024;
/** Alerts a query's step looks at (a scan of the columns takes well under a microsecond per alert). */
export const QUERY_STEP = 4096;
const STEP = QUERY_STEP;
/** Alerts of a page read back from the file per step. */
const ITEMS_STEP = 100;

export class AlertStore {
  readonly strings = new StringTable();
  private readonly offsets = new Column(Float64Array);
  private readonly lengths = new Column(Uint32Array);
  private readonly lineNumbers = new Column(Uint32Array);
  private readonly priorities = new Column(Int8Array);
  private readonly times = new Column(Float64Array);
  private readonly rules = new Column(Uint32Array);
  private readonly hosts = new Column(Uint32Array);
  private readonly sources = new Column(Uint32Array);
  private readonly containers = new Column(Uint32Array);
  private readonly fingerprints = new Column(Uint32Array);
  /** Rule ids that are message texts of unidentified text alerts rather than rule names. */
  private readonly unidentifiedRules = new Set<number>();

  /** Bytes of the file consumed so far (always at a line boundary). */
  indexedBytes = 0;
  /** How many times the index started over (the file truncated or rotated): alert ids of before mean nothing now. */
  resets = 0;
  /** The source's generation the columns were read from. */
  private generation = 0;
  /** Lines read so far. */
  private nextLine = 0;
  unparsed = 0;
  /** A container-runtime payload split over `P` lines, waiting for its `F` line. */
  private partial: { offset: number; line: number; text: string } | undefined;
  private readonly intern = (s: string) => s;
  /**
   * The latest text filter's matches: `matches[id]` is 1 when alert `id` contains the text, for ids before `count`.
   */
  private textScan: { text: string; search: TextSearch; count: number; matches: Uint8Array } | undefined;
  /** Byte frequencies sampled while indexing, from which the text filter chooses what to look for per chunk. */
  private readonly frequencies = new ByteFrequencies();
  private readonly timeParser = new AlertTimeParser();
  /** The buffer chunks are read into while a file is being indexed. */
  private chunk: Buffer | undefined;
  /** The chunk in `chunk` (its place in the file, bytes, decoding) when a deadline stopped indexing before its end. */
  private held: { start: number; got: number; encoding: 'utf8' | 'latin1' } | undefined;

  /**
   * Set by indexMore when it stopped before the end only because the file's last line has no line break yet (a
   * followed log mid-write, a decompression not finished): nothing more can be indexed until the file grows.
   */
  awaitingLineEnd = false;

  constructor(private readonly source: ByteSource, private readonly identifyTextRule?: TextRuleIdentifier) {}

  get total(): number { return this.offsets.length; }

  /** Memory held by the columns, in bytes. */
  get columnBytes(): number {
    return [this.offsets, this.lengths, this.lineNumbers, this.priorities, this.times, this.rules, this.hosts, this.sources, this.containers, this.fingerprints]
      .reduce((n, c) => n + c.byteLength, 0);
  }

  /**
   * Indexes up to `maxBytes` more of the file, and stops at a line's end once `performance.now()` reaches `deadline`
   * (the server paces indexing by time: a slice of a fixed size took 50-60 ms on a large log). Only complete lines are
   * taken, except at the end of a file that is not followed (`final`), where a last line without a line break counts
   * too. Returns whether the end was reached. If the file shrank (truncated) or the path names another file
   * (rotated), the index starts over: offsets into the old file mean nothing in the new one, whatever its length.
   */
  indexMore(maxBytes = CHUNK_BYTES * 4, final = true, deadline = Infinity): boolean {
    const size = this.source.size();
    const generation = this.source.generation?.() ?? 0;
    if (size < this.indexedBytes || generation !== this.generation) {
      this.reset();
      this.generation = generation;
    }
    let budget = maxBytes;
    let lines = 0;
    this.awaitingLineEnd = false;
    // One chunk buffer for the whole indexing, released at the end: a new 4 MB buffer per slice (the server indexes
    // a slice per turn of the event loop) made V8 count 4 MB more external memory each time and run a full GC every
    // few slices for memory that was already free.
    const buffer = this.chunk ??= Buffer.allocUnsafe(CHUNK_BYTES);
    while (this.indexedBytes < size && budget > 0) {
      // The chunk a deadline stopped in is taken up where it stopped, not read again.
      let held = this.held;
      this.held = undefined;
      if (!held) {
        const want = Math.min(CHUNK_BYTES, size - this.indexedBytes);
        const got = this.source.read(buffer, 0, want, this.indexedBytes);
        if (got <= 0) break;
        // The lines of an ASCII chunk (most logs) are decoded as Latin-1, which gives the same text without UTF-8's
        // checks; a chunk with any other byte is decoded as UTF-8.
        held = { start: this.indexedBytes, got, encoding: isAscii(buffer.subarray(0, got)) ? 'latin1' : 'utf8' };
      }
      const { start: base, got, encoding } = held;
      const first = this.indexedBytes - base;
      let lineStart = first;
      let stopped = false;
      for (;;) {
        const newline = buffer.indexOf(10, lineStart);
        if (newline < 0 || newline >= got) break;
        this.ingestLine(buffer, lineStart, newline, base + lineStart, encoding);
        lineStart = newline + 1;
        // performance.now() every 64 lines: a few tenths of a millisecond of a large log's lines.
        if ((++lines & 63) === 0 && performance.now() >= deadline) { stopped = true; break; }
      }
      if (stopped) {
        this.held = held;
      } else if (lineStart === first && first > 0) {
        // What is left of a chunk taken up again holds no complete line: read on from there.
        continue;
      } else if (lineStart === 0) {
        // No line break in a whole chunk: a line longer than the chunk, or the unterminated end of the file.
        if (base + got >= size && final) {
          this.ingestLine(buffer, 0, got, base);
          lineStart = got;
        } else if (got === CHUNK_BYTES) {
          this.ingestLongLine(base);
          continue;
        } else {
          this.awaitingLineEnd = true;
          break;
        }
      } else if (base + got >= size && final && lineStart < got) {
        this.ingestLine(buffer, lineStart, got, base + lineStart, encoding);
        lineStart = got;
      }
      this.frequencies.add(buffer, first, lineStart, base + first);
      this.indexedBytes = base + lineStart;
      budget -= lineStart - first;
      if (stopped) break;
    }
    if (this.indexedBytes >= size) { this.chunk = undefined; this.held = undefined; }
    return this.indexedBytes >= size;
  }

  private reset(): void {
    this.resets++;
    for (const c of [this.offsets, this.lengths, this.lineNumbers, this.priorities, this.times, this.rules, this.hosts, this.sources, this.containers, this.fingerprints]) c.clear();
    this.indexedBytes = 0;
    this.nextLine = 0;
    this.unparsed = 0;
    this.partial = undefined;
    this.held = undefined;
    this.textScan = undefined;
    this.frequencies.clear();
  }

  /** A line longer than a chunk: read it whole (it is rare; Falco lines are a few kilobytes at most). */
  private ingestLongLine(position: number): void {
    const size = this.source.size();
    let end = position;
    const probe = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const got = this.source.read(probe, 0, Math.min(CHUNK_BYTES, size - end), end);
      if (got <= 0) break;
      const newline = probe.indexOf(10);
      if (newline >= 0 && newline < got) { end += newline; break; }
      end += got;
    }
    const line = Buffer.allocUnsafe(end - position);
    // Only the bytes actually read: the rest of an allocUnsafe buffer is stale memory.
    const got = readFully(this.source, line, line.length, position);
    this.ingestLine(line, 0, got, position);
    this.indexedBytes = Math.min(size, end + 1);
  }

  /** `encoding` is 'latin1' only when the line's bytes are ASCII. */
  private ingestLine(buffer: Buffer, start: number, end: number, fileOffset: number, encoding: 'utf8' | 'latin1' = 'utf8'): void {
    const lineNumber = this.nextLine++;
    if (fileOffset === 0 && end - start >= 3 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) {
      // A UTF-8 byte order mark (a log saved by a Windows editor) is no part of the first line, as in the editor
      // (text.ts withoutByteOrderMark): read with it, the line's JSON or timestamp did not parse and its alert was lost.
      start += 3;
      fileOffset = 3;
    }
    let stop = end;
    if (stop > start && buffer[stop - 1] === 13) stop--;
    if (stop === start) return;
    const text = buffer.toString(encoding, start, stop);
    const step = readStep(text, this.intern, this.partial?.text);
    if (step.pending !== undefined) {
      // A chunk of a payload that continues on the next line (CRI `P` line, Docker line split at 16 KB).
      if (step.pending.length > MAX_JOINED_CHARS) {
        // Falco alerts are kilobytes: an endless continuation is not one. Drop it rather than grow without bound.
        if (this.partial) this.unparsed++;
        this.partial = undefined;
        return;
      }
      if (this.partial) this.partial.text = step.pending;
      else this.partial = { offset: fileOffset, line: lineNumber, text: step.pending };
      return;
    }
    // The line's bytes, when each character of the text was decoded from one byte at the same offset.
    const bytes = step.text === text && text.length === stop - start ? buffer : undefined;
    const first = step.joined ? this.partial : undefined;
    if (this.partial) {
      // Joined into this payload, or abandoned: a continued line followed by a line of another kind.
      if (!step.joined) this.unparsed++;
      this.partial = undefined;
    }
    const offset = first ? first.offset : fileOffset;
    const length = fileOffset + (end - start) - offset;
    if (step.payload.kind === 'alert' && step.payload.alert) this.addAlert(step.payload.alert, step.text, bytes, start, offset, length, first ? first.line : lineNumber);
    else if (step.payload.kind === 'broken' || step.payload.kind === 'other') this.unparsed++;
  }

  /** `bytes[base + i]`, when given, is the byte of `text[i]`. */
  private addAlert(alert: AlertHead, text: string, bytes: Buffer | undefined, base: number, offset: number, length: number, line: number): void {
    // The output is located in the line and hashed in place; a string of it is built only when it is needed (an
    // escaped JSON output that cannot be decoded from the line's bytes, or an alert whose rule is named from it).
    let outputText = text;
    let outputStart = 0;
    let outputEnd = 0;
    let span: ReturnType<typeof jsonOutputSpan>;
    let fingerprint = -1;
    let ruleName = alert.rule;
    let ruleId = ruleName !== undefined ? this.strings.id(ruleName) : NO_ID;
    if (alert.format === 'text') {
      outputStart = alert.outputStart ?? 0;
      outputEnd = alert.outputEnd ?? text.length;
    } else {
      span = jsonOutputSpan(text);
      // An escaped output of an ASCII line is decoded from its bytes and fingerprinted there when its rule is named
      // (the string of the output is needed only to name the rule of an alert without one).
      if (span && span.escaped && bytes && ruleId !== NO_ID) fingerprint = escapedOutputFingerprintOfBytes(bytes, base + span.start, base + span.end, ruleId + 1);
      if (fingerprint >= 0) {
        // Fingerprinted: the output string is not needed.
      } else if (span && span.escaped) {
        outputText = jsonOutput(text, span);
        outputEnd = outputText.length;
      } else if (span) {
        outputStart = span.start;
        outputEnd = span.end;
      }
    }
    if (ruleName === undefined) {
      const output = outputText.slice(outputStart, outputEnd);
      ruleName = this.identifyTextRule?.(output);
      const identified = ruleName !== undefined;
      ruleId = this.strings.id(ruleName ?? (alert.head || noMessageKey(output)));
      if (!identified) this.unidentifiedRules.add(ruleId);
    }
    this.offsets.push(offset);
    this.lengths.push(length);
    this.lineNumbers.push(line);
    this.priorities.push(alert.priority);
    this.times.push(this.timeParser.parse(alert.time));
    this.rules.push(ruleId);
    this.hosts.push(alert.hostname !== undefined ? this.strings.id(alert.hostname) : NO_ID);
    this.sources.push(alert.source !== undefined ? this.strings.id(alert.source) : NO_ID);
    const container = containerOf(text, span);
    this.containers.push(container !== undefined ? this.strings.id(container) : NO_ID);
    if (fingerprint < 0 && bytes && outputText === text) fingerprint = outputFingerprintOfBytes(text, bytes, base, outputStart, outputEnd, ruleId + 1);
    if (fingerprint < 0) fingerprint = outputFingerprint(outputText, outputStart, outputEnd, ruleId + 1);
    this.fingerprints.push(fingerprint);
  }

  // ---- queries ----

  /** Reads the text of an alert back from the file. */
  alertText(id: number): string {
    const buffer = Buffer.allocUnsafe(this.lengths.get(id));
    const got = readFully(this.source, buffer, buffer.length, this.offsets.get(id));
    // The stored length ends before the line feed but includes the carriage return of a CRLF line.
    return buffer.toString('utf8', 0, got).replace(/\r?\n?$/, '');
  }

  lineOf(id: number): number { return this.lineNumbers.get(id); }

  /** Where an alert's bytes are in the file: its line (or lines, joined), with the carriage return of a CRLF line. */
  byteSpan(id: number): { offset: number; length: number } { return { offset: this.offsets.get(id), length: this.lengths.get(id) }; }

  private keyOf(groupBy: ExplorerGroupBy, id: number): number {
    switch (groupBy) {
      case 'rule': return this.rules.get(id);
      case 'priority': return this.priorities.get(id);
      case 'hostname': return this.hosts.get(id);
      case 'source': return this.sources.get(id);
      case 'container': return this.containers.get(id);
    }
  }

  private keyLabel(groupBy: ExplorerGroupBy, key: number): string {
    if (groupBy === 'priority') return String(key);
    return key === NO_ID ? '' : this.strings.text(key);
  }

  private keyFromLabel(groupBy: ExplorerGroupBy, label: string): number | undefined {
    if (groupBy === 'priority') return Number(label);
    if (label === '') return NO_ID;
    return this.strings.find(label);
  }

  /**
   * A predicate over the alerts before `count` for a filter, or undefined for "every alert". A text filter's matches
   * are found in steps (the file is read).
   */
  private *matcherSteps(filter: ExplorerFilter | undefined, count: number): QuerySteps<((id: number) => boolean) | undefined> {
    if (!filter) return undefined;
    const tests: ((id: number) => boolean)[] = [];
    if (filter.minPriority !== undefined && filter.minPriority >= 0 && filter.minPriority < 7) {
      const max = filter.minPriority;
      tests.push((id) => { const p = this.priorities.get(id); return p >= 0 && p <= max; });
    }
    if (filter.rules && filter.rules.length > 0) {
      const ids = new Set(filter.rules.map((r) => this.strings.find(r)).filter((x): x is number => x !== undefined));
      tests.push((id) => ids.has(this.rules.get(id)));
    }
    if (filter.hostname !== undefined) {
      const host = this.strings.find(filter.hostname) ?? -1;
      tests.push((id) => this.hosts.get(id) === host);
    }
    if (filter.source !== undefined) {
      const source = this.strings.find(filter.source) ?? -1;
      tests.push((id) => this.sources.get(id) === source);
    }
    if (filter.since !== undefined) { const since = filter.since; tests.push((id) => this.times.get(id) >= since); }
    if (filter.until !== undefined) { const until = filter.until; tests.push((id) => this.times.get(id) <= until); }
    if (filter.text) {
      const matches = yield* this.textMatchSteps(filter.text, count);
      tests.push((id) => matches[id] === 1);
    }
    if (tests.length === 0) return undefined;
    return (id) => tests.every((t) => t(id));
  }

  /**
   * Marks the alerts before `count` whose text contains `text` (case-insensitive), reading the file sequentially, one
   * chunk per step; the chunk's bytes are searched (textSearch.ts), through what is rare in that part of the log. The marks of the latest text are kept, complete for
   * the alerts before `scan.count`; a later query of the same text goes on from there (the log grew, or a query was
   * cancelled before the end of its scan).
   */
  private *textMatchSteps(text: string, count: number): QuerySteps<Uint8Array> {
    let scan = this.textScan;
    if (!scan || scan.text !== text) this.textScan = scan = { text, search: new TextSearch(text), count: 0, matches: new Uint8Array(0) };
    let buffer: Buffer | undefined;
    let starts = new Int32Array(0);
    let ends = new Int32Array(0);
    while (scan.count < count) {
      if (scan.matches.length < count) {
        const grown = new Uint8Array(count);
        grown.set(scan.matches.subarray(0, scan.count));
        scan.matches = grown;
      }
      buffer ??= Buffer.allocUnsafe(CHUNK_BYTES);
      const id = scan.count;
      const from = this.offsets.get(id);
      let last = id;
      while (last + 1 < count && this.offsets.get(last + 1) + this.lengths.get(last + 1) - from <= CHUNK_BYTES) last++;
      const span = this.offsets.get(last) + this.lengths.get(last) - from;
      const got = readFully(this.source, buffer, Math.min(span, CHUNK_BYTES), from);
      const chunk = buffer.subarray(0, got);
      const alerts = last + 1 - id;
      if (starts.length < alerts) { starts = new Int32Array(alerts); ends = new Int32Array(alerts); }
      for (let i = 0; i < alerts; i++) {
        // As read: an alert the file no longer holds whole is tested on the bytes there are.
        const end = Math.min(got, this.offsets.get(id + i) - from + this.lengths.get(id + i));
        ends[i] = end;
        starts[i] = Math.min(end, this.offsets.get(id + i) - from);
      }
      scan.search.mark(chunk, starts, ends, alerts, scan.matches, id, this.frequencies, from);
      scan.count = last + 1;
      if (scan.count < count) yield;
    }
    return scan.matches;
  }

  /**
   * Runs a query's steps, and starts it over when the index starts over between two of them (the file truncated or
   * rotated: the ids it looked at mean nothing now). A query reads `total` once, at its start: alerts indexed while it
   * runs are the next query's.
   */
  private *consistent<T>(query: () => QuerySteps<T>): QuerySteps<T> {
    for (;;) {
      const resets = this.resets;
      const steps = query();
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        yield;
        if (this.resets !== resets) break;
      }
    }
  }

  /** The groups of the alerts that pass the filter, most severe first, then the noisiest. */
  groups(groupBy: ExplorerGroupBy, filter?: ExplorerFilter, limit = 500): GroupsAnswer {
    return runSteps(this.groupsSteps(groupBy, filter, limit));
  }

  /** `groups` in steps of a few thousand alerts (or a chunk of the file for a text filter's first use). */
  groupsSteps(groupBy: ExplorerGroupBy, filter?: ExplorerFilter, limit = 500): QuerySteps<GroupsAnswer> {
    return this.consistent(() => this.groupsOnce(groupBy, filter, limit));
  }

  private *groupsOnce(groupBy: ExplorerGroupBy, filter: ExplorerFilter | undefined, limit: number): QuerySteps<GroupsAnswer> {
    const total = this.total;
    const accept = yield* this.matcherSteps(filter, total);
    // Pass 1: per key, count, worst priority and time range; remember each matching alert's key.
    const byKey = new Map<number, GroupAcc>();
    const matched = new Uint8Array(total);
    let matching = 0;
    for (let from = 0; from < total; from += STEP) {
      if (from > 0) yield;
      matching += this.countGroups(groupBy, accept, from, Math.min(total, from + STEP), byKey, matched);
    }
    // Pass 2: distinct alerts per group without a Set per group — the fingerprints of each group are laid out in one
    // typed array (a counting sort by group), and each segment's distinct values counted a step at a time (a group
    // may hold most of the log). Memory: 4 bytes per alert, and the counter's table.
    let next = 0;
    for (const acc of byKey.values()) { acc.slot = next; next += acc.count; }
    const starts = new Map<number, number>();
    for (const [key, acc] of byKey) starts.set(key, acc.slot);
    const prints = new Uint32Array(matching);
    for (let from = 0; from < total; from += STEP) {
      yield;
      this.layOutPrints(groupBy, matched, from, Math.min(total, from + STEP), starts, prints);
    }
    const distinct = new DistinctCounter();
    for (const acc of byKey.values()) {
      distinct.clear(acc.count);
      for (let from = acc.slot, end = acc.slot + acc.count; from < end; from += STEP) {
        yield;
        distinct.addAll(prints, from, Math.min(end, from + STEP));
      }
      acc.distinct = distinct.size;
    }
    const groups: ExplorerGroup[] = [...byKey.entries()].map(([key, acc]) => ({
      key: this.keyLabel(groupBy, key), count: acc.count, distinct: acc.distinct, priority: acc.priority === 99 ? -1 : acc.priority,
      ...(Number.isFinite(acc.first) ? { firstTime: acc.first } : {}), ...(Number.isFinite(acc.last) ? { lastTime: acc.last } : {}),
      identified: !(groupBy === 'rule' && this.unidentifiedRules.has(key)),
    }));
    // Most severe first, then the noisiest.
    groups.sort((a, b) => (a.priority < 0 ? 99 : a.priority) - (b.priority < 0 ? 99 : b.priority) || b.count - a.count || a.key.localeCompare(b.key));
    return { groups: groups.slice(0, limit), matching, truncated: groups.length > limit, total };
  }

  /** Pass 1 of `groups` over the alerts [from, to): returns how many passed the filter. */
  private countGroups(groupBy: ExplorerGroupBy, accept: ((id: number) => boolean) | undefined, from: number, to: number, byKey: Map<number, GroupAcc>, matched: Uint8Array): number {
    let matching = 0;
    for (let id = from; id < to; id++) {
      if (accept && !accept(id)) continue;
      matched[id] = 1;
      matching++;
      const key = this.keyOf(groupBy, id);
      let acc = byKey.get(key);
      if (!acc) { acc = { slot: 0, count: 0, priority: 99, first: Infinity, last: -Infinity, distinct: 0 }; byKey.set(key, acc); }
      acc.count++;
      const p = this.priorities.get(id);
      if (p >= 0 && p < acc.priority) acc.priority = p;
      const t = this.times.get(id);
      if (t < acc.first) acc.first = t;
      if (t > acc.last) acc.last = t;
    }
    return matching;
  }

  /** Pass 2 of `groups` over the alerts [from, to): each matched alert's fingerprint in its group's segment. */
  private layOutPrints(groupBy: ExplorerGroupBy, matched: Uint8Array, from: number, to: number, starts: Map<number, number>, prints: Uint32Array): void {
    for (let id = from; id < to; id++) {
      if (!matched[id]) continue;
      const key = this.keyOf(groupBy, id);
      const at = starts.get(key)!;
      prints[at] = this.fingerprints.get(id);
      starts.set(key, at + 1);
    }
  }

  /**
   * The ids of the latest `limit` alerts of one group (or of the whole log without `groupBy`) that pass the filter, in
   * the log's order, and how many there are in all.
   */
  latestMatching(groupBy: ExplorerGroupBy | undefined, group: string | undefined, filter: ExplorerFilter | undefined, limit: number): { ids: number[]; total: number } {
    return runSteps(this.latestMatchingSteps(groupBy, group, filter, limit));
  }

  latestMatchingSteps(groupBy: ExplorerGroupBy | undefined, group: string | undefined, filter: ExplorerFilter | undefined, limit: number): QuerySteps<{ ids: number[]; total: number }> {
    return this.consistent(() => this.latestMatchingOnce(groupBy, group, filter, limit));
  }

  private *latestMatchingOnce(groupBy: ExplorerGroupBy | undefined, group: string | undefined, filter: ExplorerFilter | undefined, limit: number): QuerySteps<{ ids: number[]; total: number }> {
    const count = this.total;
    const key = groupBy === undefined ? undefined : this.keyFromLabel(groupBy, group ?? '');
    if (groupBy !== undefined && key === undefined) return { ids: [], total: 0 };
    const accept = yield* this.matcherSteps(filter, count);
    const ids: number[] = [];
    let total = 0;
    // Newest first, a step of alerts at a time.
    for (let to = count; to > 0; to -= STEP) {
      if (to < count) yield;
      total += this.pickLatest(groupBy, key, accept, limit, Math.max(0, to - STEP), to, ids);
    }
    return { ids: ids.reverse(), total };
  }

  /** `latestMatching` over the alerts [from, to), newest first: returns how many are of the group and pass the filter. */
  private pickLatest(groupBy: ExplorerGroupBy | undefined, key: number | undefined, accept: ((id: number) => boolean) | undefined, limit: number, from: number, to: number, ids: number[]): number {
    let total = 0;
    for (let id = to - 1; id >= from; id--) {
      if ((groupBy !== undefined && this.keyOf(groupBy, id) !== key) || (accept && !accept(id))) continue;
      total++;
      if (ids.length < limit) ids.push(id);
    }
    return total;
  }

  /** A page of the alerts of one group, newest first; with `dedupe`, one item per fingerprint (its latest alert). */
  alerts(groupBy: ExplorerGroupBy, group: string, filter: ExplorerFilter | undefined, dedupe: boolean, offset: number, limit: number): { items: ExplorerAlertItem[]; total: number } {
    return runSteps(this.alertsSteps(groupBy, group, filter, dedupe, offset, limit));
  }

  alertsSteps(groupBy: ExplorerGroupBy, group: string, filter: ExplorerFilter | undefined, dedupe: boolean, offset: number, limit: number): QuerySteps<{ items: ExplorerAlertItem[]; total: number }> {
    return this.consistent(() => this.alertsOnce(groupBy, group, filter, dedupe, offset, limit));
  }

  private *alertsOnce(groupBy: ExplorerGroupBy, group: string, filter: ExplorerFilter | undefined, dedupe: boolean, offset: number, limit: number): QuerySteps<{ items: ExplorerAlertItem[]; total: number }> {
    const count = this.total;
    const key = this.keyFromLabel(groupBy, group);
    if (key === undefined) return { items: [], total: 0 };
    const accept = yield* this.matcherSteps(filter, count);
    const chosen: number[] = [];
    const duplicates = new Map<number, number>();
    const firstOfPrint = new Map<number, number>();
    // Newest first, a step of alerts at a time.
    for (let to = count; to > 0; to -= STEP) {
      if (to < count) yield;
      this.chooseAlerts(groupBy, key, accept, dedupe, Math.max(0, to - STEP), to, chosen, duplicates, firstOfPrint);
    }
    const page = chosen.slice(offset, offset + limit);
    // Each item is read back from the file.
    const items: ExplorerAlertItem[] = [];
    for (const id of page) {
      if (items.length > 0 && items.length % ITEMS_STEP === 0) yield;
      items.push(this.item(id, dedupe ? duplicates.get(id) : undefined));
    }
    return { items, total: chosen.length };
  }

  /** `alerts` over the alerts [from, to), newest first. */
  private chooseAlerts(groupBy: ExplorerGroupBy, key: number, accept: ((id: number) => boolean) | undefined, dedupe: boolean, from: number, to: number,
    chosen: number[], duplicates: Map<number, number>, firstOfPrint: Map<number, number>): void {
    for (let id = to - 1; id >= from; id--) {
      if (this.keyOf(groupBy, id) !== key || (accept && !accept(id))) continue;
      if (dedupe) {
        const print = this.fingerprints.get(id);
        const representative = firstOfPrint.get(print);
        if (representative !== undefined) { duplicates.set(representative, (duplicates.get(representative) ?? 1) + 1); continue; }
        firstOfPrint.set(print, id);
        duplicates.set(id, 1);
      }
      chosen.push(id);
    }
  }

  private item(id: number, duplicates: number | undefined): ExplorerAlertItem {
    const alert = readAlert(this.alertText(id), this.intern);
    let summary = '';
    let timeText: string | undefined;
    if (alert) {
      summary = alert.head.format === 'text' ? alert.text.slice(alert.head.outputStart ?? 0, alert.head.outputEnd ?? alert.text.length) : stripPrefix(jsonOutput(alert.text));
      timeText = alert.head.time;
    }
    if (summary.length > SUMMARY_CHARS) summary = `${summary.slice(0, SUMMARY_CHARS - 1)}…`;
    const time = this.times.get(id);
    return {
      id, line: this.lineNumbers.get(id), priority: this.priorities.get(id), rule: this.strings.text(this.rules.get(id)), summary,
      ...(Number.isFinite(time) ? { time } : {}), ...(timeText ? { timeText } : {}), ...(duplicates !== undefined ? { duplicates } : {}),
    };
  }
}

type Intern = (s: string) => string;
type Payload = ReturnType<typeof parsePayload>;

/**
 * One line read in context: a line that continues on the next (CRI `P`, a Docker line split at 16 KB) yields the
 * payload so far as `pending`; otherwise the payload's reading and its text (joined with `previous` when that was
 * pending), whose offsets the payload's offsets refer to.
 */
function readStep(line: string, intern: Intern, previous: string | undefined): { pending: string } | { pending?: undefined; payload: Payload; text: string; joined: boolean } {
  const parsed = parseLine(line, intern);
  if (parsed.docker) {
    const chunk = parsed.docker.payload;
    if (parsed.docker.continued) return { pending: (previous ?? '') + chunk };
    const text = (previous ?? '') + chunk;
    const payload = previous === undefined && parsed.docker.parsed ? parsed.docker.parsed : parsePayload(text, 0, text.length, intern);
    return { payload, text, joined: previous !== undefined };
  }
  if (parsed.partial) return { pending: (previous ?? '') + line.slice(parsed.payloadStart) };
  if (previous !== undefined && parsed.wrapper === 'cri') {
    const text = previous + line.slice(parsed.payloadStart);
    return { payload: parsePayload(text, 0, text.length, intern), text, joined: true };
  }
  return { payload: parsed, text: line, joined: false };
}

/** The most key names a group of text alerts without a message is named by. */
const MAX_KEYS_NAMED = 8;

/**
 * The group of an unidentified text alert whose output starts with its fields (`evt=… user=… ip=…`: the okta,
 * k8saudit and gcpaudit plugins' rules write no message), named by the output's key names, which the alerts of one
 * rule share: they all went into one "(no message)" group, whatever their rule. The keys as messageHead
 * (alerts/parse.ts) finds the first one.
 */
function noMessageKey(output: string): string {
  const keys: string[] = [];
  for (const m of output.matchAll(/(?:^|\s)(?:\(|\|\s)?([A-Za-z_][\w.[\]]*)=/g)) {
    if (keys.length === MAX_KEYS_NAMED) { keys.push('…'); break; }
    keys.push(`${m[1]}=`);
  }
  return keys.length ? `(no message: ${keys.join(' ')})` : '(no message)';
}

/** Reads back a stored alert (one line, or the lines of a joined payload). */
function readAlert(raw: string, intern: Intern): { head: AlertHead; text: string } | undefined {
  let pending: string | undefined;
  for (const line of raw.split(/\r?\n/)) {
    const step = readStep(line, intern, pending);
    if (step.pending !== undefined) { pending = step.pending; continue; }
    return step.payload.alert ? { head: step.payload.alert, text: step.text } : undefined;
  }
  return undefined;
}

/** Reads `length` bytes at `position`, looping over short reads; returns how many bytes there were. */
function readFully(source: ByteSource, buffer: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const got = source.read(buffer, done, length - done, position + done);
    if (got <= 0) break;
    done += got;
  }
  return done;
}

/** The output without Falco's time and priority prefix. */
function stripPrefix(output: string): string { return output.slice(timePrefixLength(output, 0, output.length)); }
