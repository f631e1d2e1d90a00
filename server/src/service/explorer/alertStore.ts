// The Alert Explorer's index of one log file. Lines are parsed once, with the alert service's line parser, into
// columns of numbers: byte offset and length (the text stays on disk and is read back on demand), line number,
// priority, time and interned ids of rule, hostname, source and container, plus the class of identical alerts it
// belongs to (folding: found through a fingerprint, and the outputs compared); the Kubernetes namespace, pod and image
// and the tags when a query first asks for them (contextSteps). A million alerts take about 80 MB.
// Queries (groups, pages of alerts) scan the columns; each is also given in steps (a generator that yields between
// slices of its work), which the server runs with turns of the event loop between them on a large log.
import { isAscii } from 'node:buffer';
import { parseLine, parsePayload, type AlertHead } from '../alerts/parse';
import { Column, DistinctCounter, FoldTable, StringTable } from './columns';
import {
  AlertTimeParser, containerOf, escapedOutputFingerprintOfBytes, foldedOutput, jsonOutput, jsonOutputSpan, jsonTagsSpan, jsonWorkload, outputFingerprint, outputFingerprintOfBytes,
  textWorkload, timePrefixLength, type Workload,
} from './extract';
import { ByteFrequencies, TextSearch } from './textSearch';
import type {
  ExplorerAlertItem, ExplorerAlertsResult, ExplorerFilter, ExplorerGroup, ExplorerGroupBy,
} from '../../protocol';

/** Reads bytes of the log; implemented with the file system by the server and with buffers by tests. */
export interface ByteSource {
  size(): number;
  read(buffer: Buffer, offset: number, length: number, position: number): number;
  /**
   * Told, before each read of a chunk while indexing, the number of the line that starts at `position` (a rotated
   * set's stream learns each file's first line from it: logSet.ts). Once per chunk, never per line.
   */
  lineAt?(position: number, line: number): void;
  /**
   * How many times the bytes already read changed under their offsets without the source getting shorter (a rotated
   * set's live file emptied in place and written again past them before the look, no copy of them found): the store
   * starts over when it changes, as when the source shrinks.
   */
  rewrites?(): number;
  /**
   * Looks at the source again and says how many times the bytes under offsets already read were found changed (a
   * rotated set's live file emptied in place: its bytes are then read from a copy, or the store starts over). A chunk
   * read under an earlier generation may hold other bytes than the index's (the emptied file's), so what a query read
   * from it is not kept. Absent: the bytes never change.
   */
  generation?(): number;
  /**
   * Whether the bytes under the offsets are not known for now (a rotated set comparing its emptied live file's bytes
   * with a gzip copy): a query that reads the file fails until it is over (SetSource.settled).
   */
  settling?(): boolean;
}

/**
 * A query that read the log's bytes found them changed under the index (the live file emptied in place while it ran)
 * while the new bytes are not known yet (a copy being compared): asked again once the source settles, it answers from
 * the new state. The marks and workloads it had read are not kept.
 */
export class SourceChangedError extends Error {
  constructor(message = 'the log\'s live file was emptied in place while the query read it, and its copy is being compared: ask again once it is') {
    super(message);
    this.name = 'SourceChangedError';
  }
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

/** The latest alerts of a selection: their ids, how many the selection holds, and `undated` as in GroupsAnswer. */
export interface LatestMatching { ids: number[]; total: number; undated?: number }

interface GroupAcc { slot: number; count: number; priority: number; first: number; last: number; distinct: number }

export interface GroupsAnswer {
  groups: ExplorerGroup[];
  /** Alerts that pass the filter. */
  matching: number;
  truncated: boolean;
  /** Alerts the query looked at: the log's when it started. */
  total: number;
  /**
   * With a time bound in the filter: the alerts it left out only because they have no date (text alerts whose time
   * is a time of day alone), which pass the rest of the filter.
   */
  undated?: number;
}

const GROUP_BYS: readonly ExplorerGroupBy[] = ['rule', 'priority', 'hostname', 'source', 'container', 'namespace', 'pod', 'image', 'tag'];

/** Orders group names as English text whatever the locale of the server's process (its LANG: a user's machine, CI):
 * localeCompare's default put a Turkish machine's `Iz` before `ia`, a Danish one's `aa` after `z`. */
const byName = new Intl.Collator('en').compare;

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
  for (const key of ['text', 'hostname', 'source', 'namespace', 'pod', 'image', 'tag'] as const) {
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
/** `undated` of a group no alert is in: 0 under a time bound, absent without one (as undatedSteps counts). */
const noneUndated = (filter: ExplorerFilter | undefined) => (filter && (filter.since !== undefined || filter.until !== undefined) ? { undated: 0 } : {});
/** The groupings whose keys are found by reading the log again when first asked (AlertStore.contextSteps). */
const isLateGrouping = (groupBy: ExplorerGroupBy | undefined) => groupBy === 'namespace' || groupBy === 'pod' || groupBy === 'image' || groupBy === 'tag';
const CHUNK_BYTES = 4 * 1024 * 1024;
const SUMMARY_CHARS = 300;
/** The longest payload joined from continued lines before it is given up as not an alert. */
const MAX_JOINED_CHARS = 1024 * 1024;
/** Alerts a query's step looks at (a scan of the columns takes well under a microsecond per alert). */
export const QUERY_STEP = 4096;
const STEP = QUERY_STEP;
/** Alerts of a page read back from the file per step. */
const ITEMS_STEP = 100;
/** Classes of identical alerts whose latest output is kept for comparing the next alerts with (the first compared leave first). */
const OUTPUTS_KEPT = 16384;
/**
 * Where the output of an alert is (AlertStore.batchKinds, FoldTable.note): the bytes of an ASCII line of the chunk
 * (RAW_TEXT; RAW_ESCAPED: the body of a JSON string), the characters of another line of the chunk (LINE_TEXT,
 * LINE_ESCAPED), or neither (ELSEWHERE: a payload joined from several lines, a line longer than a chunk).
 */
const RAW_TEXT = 0;
const RAW_ESCAPED = 1;
const LINE_TEXT = 2;
const LINE_ESCAPED = 3;
const ELSEWHERE = 4;
/** A class's output place as FoldTable notes it: kind in the top three bits and start (within a 4 MB chunk) below, then the end. */
const KIND_SHIFT = 29;
const START_MASK = (1 << KIND_SHIFT) - 1;

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
  /**
   * For each alert before `count`: its Kubernetes namespace, pod and container image, as one id into `workloadTable`
   * (a few thousand distinct workloads even in a large cluster's log: 4 bytes per alert where three columns took 12;
   * 0: none of them), and its tags, as one id into `tagSets`. Found by reading the log again when a query first needs
   * them (contextSteps), not while indexing: finding the workloads in every alert's line added a third to the index's
   * time, for groupings few queries use.
   */
  private context: { count: number; workloads: Uint32Array; tagSets: Uint32Array; generation: number } = { count: 0, workloads: new Uint32Array(0), tagSets: new Uint32Array(0), generation: 0 };
  /** Each workload's namespace, pod (`namespace/pod`, unique in a cluster) and image, as string ids (NO_ID: absent). */
  private readonly workloadTable: { ids: Map<string, number>; namespaces: number[]; pods: number[]; images: number[] } = { ids: new Map(), namespaces: [NO_ID], pods: [NO_ID], images: [NO_ID] };
  private readonly workload: Workload = { namespace: undefined, pod: undefined, image: undefined };
  /**
   * The sets of tags alerts carry: each set's tags as string ids (set 0, no tags: the key of the group without), and
   * the sets by the text of their JSON array. A rule's alerts share one set.
   */
  private readonly tagSets: { ids: Map<string, number>; tags: number[][] } = { ids: new Map(), tags: [[NO_ID]] };
  /**
   * The class of identical alerts of each alert: same rule, priority, hostname, source and container, and the same
   * output apart from its time prefix and nanosecond stamps (foldedOutput). Folding and the distinct counts read it.
   */
  private readonly folds = new Column(Uint32Array);
  private readonly foldTable = new FoldTable();
  // Per class, FoldTable notes where its latest alert's output is in the file (setClassOutput; RAW kinds: bytes from
  // the alert's offset), so that it is compared without parsing its line again.
  /**
   * The latest output of the classes that had an alert compared with them lately (at most OUTPUTS_KEPT): its bytes
   * as written without the time prefix (`raw`, RAW kinds), and folded once computed.
   */
  private readonly outputsKept = new Map<number, { raw: Buffer | undefined; folded: string | undefined }>();
  /** Where rawOutput found an output: `buffer[start, end)`. */
  private readonly rawAt: { buffer: Buffer; start: number; end: number } = { buffer: Buffer.alloc(0), start: 0, end: 0 };
  /** Bytes of an alert's output read back from the file. */
  private rawBuffer: Buffer | undefined;
  /**
   * The alerts indexed since the last `foldBatch` (the folds column is behind by them while a chunk is indexed): their
   * fingerprints, and where their output is in their line as decoded from the chunk (`batchKinds`, RAW_TEXT…ELSEWHERE).
   * The classes are looked up a chunk at a time: the table's lookups (a table of tens of megabytes) then cost about
   * half what they cost one per alert among the parsing, which pushes the table out of the caches.
   */
  // (Typed arrays written in place, not Columns: V8 does not inline a Column's push on the indexing path, and the
  // pushes of these and of three columns per class were about a third of what folding added to indexing.)
  private batchPrints = new Uint32Array(4096);
  private batchStarts = new Uint32Array(4096);
  private batchEnds = new Uint32Array(4096);
  private batchKinds = new Int8Array(4096);
  private batchLength = 0;
  /** The alert of the batch being folded (its index in the batch, and its folded output once computed). */
  private readonly folding = { at: 0, folded: undefined as string | undefined };
  private readonly sameAsFolding = (cls: number) => this.isSameAsFolding(cls);
  /** What FoldTable.touch read (kept, so that the reads are not left out as unused). */
  private touched = 0;
  /** Rule ids that are message texts of unidentified text alerts rather than rule names. */
  private readonly unidentifiedRules = new Set<number>();

  /** Bytes of the file consumed so far (always at a line boundary). */
  indexedBytes = 0;
  /** How many times the index started over (the file truncated): alert ids of before mean nothing now. */
  resets = 0;
  /** The source's rewrites() when last looked at. */
  private sourceRewrites = 0;
  /** The source's generation() when a query last looked at it (generationNow). */
  private seenGeneration = 0;
  /** Lines read so far. */
  private nextLine = 0;
  unparsed = 0;
  /** A container-runtime payload split over `P` lines, waiting for its `F` line. */
  private partial: { offset: number; line: number; text: string } | undefined;
  private readonly intern = (s: string) => s;
  /**
   * The latest text filter's matches: `matches[id]` is 1 when alert `id` contains the text, for ids before `count`.
   */
  private textScan: { text: string; search: TextSearch; count: number; matches: Uint8Array; generation: number } | undefined;
  /** Byte frequencies sampled while indexing, from which the text filter chooses what to look for per chunk. */
  private readonly frequencies = new ByteFrequencies();
  private readonly timeParser = new AlertTimeParser();
  /** The buffer chunks are read into while a file is being indexed. */
  private chunk: Buffer | undefined;
  /** The chunk in `chunk` (its place in the file, bytes, decoding) when a deadline stopped indexing before its end. */
  private held: { start: number; got: number; encoding: 'utf8' | 'latin1' } | undefined;
  /** The chunk being indexed (in `chunk`), from which an alert compared with the one being added is read back. */
  private current: { start: number; got: number; encoding: 'utf8' | 'latin1' } | undefined;

  /**
   * Set by indexMore when it stopped before the end only because the file's last line has no line break yet (a
   * followed log mid-write, a decompression not finished): nothing more can be indexed until the file grows.
   */
  awaitingLineEnd = false;

  constructor(private readonly source: ByteSource, private readonly identifyTextRule?: TextRuleIdentifier) {}

  get total(): number { return this.offsets.length; }

  /** Memory held by the columns, in bytes. */
  get columnBytes(): number {
    return [this.offsets, this.lengths, this.lineNumbers, this.priorities, this.times, this.rules, this.hosts, this.sources, this.containers, this.folds, this.foldTable]
      .reduce((n, c) => n + c.byteLength, this.context.workloads.byteLength + this.context.tagSets.byteLength);
  }

  /**
   * Indexes up to `maxBytes` more of the file, and stops at a line's end once `performance.now()` reaches `deadline`
   * (the server paces indexing by time: a slice of a fixed size took 50-60 ms on a large log). Only complete lines are
   * taken, except at the end of a file that is not followed (`final`), where a last line without a line break counts
   * too. Returns whether the end was reached. If the source shrank (a file truncated in place), the index starts over:
   * offsets into the bytes that were there mean nothing now. (A log rotated by renaming is no change here: the server's
   * source keeps the renamed file and reads the new one after it.)
   */
  indexMore(maxBytes = CHUNK_BYTES * 4, final = true, deadline = Infinity): boolean {
    const size = this.checkSource();
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
        // The alerts of the chunk in the buffer are folded before it is read over.
        this.foldBatch();
        this.source.lineAt?.(this.indexedBytes, this.nextLine);
        const got = this.source.read(buffer, 0, want, this.indexedBytes);
        if (got <= 0) break;
        // The lines of an ASCII chunk (most logs) are decoded as Latin-1, which gives the same text without UTF-8's
        // checks; a chunk with any other byte is decoded as UTF-8.
        held = { start: this.indexedBytes, got, encoding: isAscii(buffer.subarray(0, got)) ? 'latin1' : 'utf8' };
      }
      const { start: base, got, encoding } = held;
      this.current = held;
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
      // A large log's fold classes get their table's room at once, from the alerts of its first chunk: at most one
      // per alert.
      if (base === 0 && this.batchLength > 0 && this.foldTable.size === 0) this.foldTable.reserve(this.batchLength * (size / Math.max(1, lineStart)));
      this.indexedBytes = base + lineStart;
      budget -= lineStart - first;
      if (stopped) break;
    }
    this.foldBatch();
    this.current = undefined;
    if (this.indexedBytes >= size) { this.chunk = undefined; this.held = undefined; }
    return this.indexedBytes >= size;
  }

  /**
   * The source's size, after starting over when it shrank or its bytes were rewritten (the alerts' offsets mean
   * nothing now).
   */
  private checkSource(): number {
    const size = this.source.size();
    const rewrites = this.source.rewrites?.() ?? 0;
    if (size < this.indexedBytes || rewrites !== this.sourceRewrites) { this.sourceRewrites = rewrites; this.reset(); }
    return size;
  }

  /**
   * Indexes the log again from its start: its source changed under the alerts' offsets (files left out of a rotated
   * set). Every alert, class, context and text match of before leaves, as when the file is truncated.
   */
  startOver(): void { this.reset(); }

  /** How many alerts start at an offset in [from, to) (offsets grow with ids: two binary searches). */
  countBetween(from: number, to: number): number {
    return this.firstAtOrAfter(to) - this.firstAtOrAfter(from);
  }

  private firstAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets.get(mid) < offset) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private reset(): void {
    this.resets++;
    for (const c of [this.offsets, this.lengths, this.lineNumbers, this.priorities, this.times, this.rules, this.hosts, this.sources, this.containers, this.folds, this.foldTable]) c.clear();
    this.context = { count: 0, workloads: new Uint32Array(0), tagSets: new Uint32Array(0), generation: this.context.generation };
    this.batchLength = 0;
    this.outputsKept.clear();
    this.indexedBytes = 0;
    this.nextLine = 0;
    this.unparsed = 0;
    this.partial = undefined;
    this.held = undefined;
    this.textScan = undefined;
    this.frequencies.clear();
    // A rule name that was an unidentified text alert's message before is a rule like any other once its alerts left.
    this.unidentifiedRules.clear();
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
    // The alert's text is its line in the chunk (read back from there when it is compared with another).
    const inChunk = buffer === this.chunk && step.text === text;
    const kind = !inChunk ? ELSEWHERE : bytes ? RAW_TEXT : LINE_TEXT;
    if (step.payload.kind === 'alert' && step.payload.alert) this.addAlert(step.payload.alert, step.text, bytes, start, offset, length, first ? first.line : lineNumber, kind);
    else if (step.payload.kind === 'broken' || step.payload.kind === 'other') this.unparsed++;
  }

  /** `bytes[base + i]`, when given, is the byte of `text[i]`. */
  private addAlert(alert: AlertHead, text: string, bytes: Buffer | undefined, base: number, offset: number, length: number, line: number, kind: number): void {
    // The output is located in the line and hashed in place; a string of it is built only when it is needed (an
    // escaped JSON output that cannot be decoded from the line's bytes, or an alert whose rule is named from it).
    let outputText = text;
    let outputStart = 0;
    let outputEnd = 0;
    let span: ReturnType<typeof jsonOutputSpan>;
    let fingerprint = -1;
    let fromEscapedBytes = false;
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
      fromEscapedBytes = fingerprint >= 0;
      if (fromEscapedBytes) {
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
    if (this.batchLength === this.batchPrints.length) this.growBatch();
    const at = this.batchLength++;
    this.batchPrints[at] = fingerprint;
    // Where the output is in the line's text: a decoded output (outputText is not the line) is found again from the span.
    const escaped = fromEscapedBytes || outputText !== text;
    // (The kinds of a line's escaped output are one more than its unescaped ones.)
    this.batchKinds[at] = kind === ELSEWHERE || (escaped && !span) ? ELSEWHERE : escaped ? kind + 1 : kind;
    this.batchStarts[at] = escaped ? span?.start ?? 0 : outputStart;
    this.batchEnds[at] = escaped ? span?.end ?? 0 : outputEnd;
  }

  /**
   * Finds the workload and tags of the alerts before `count` not looked at yet, reading the file a chunk per step: a
   * JSON alert's from its output_fields and `tags`, a text alert's workload from the fields Falco appends to its
   * output (it carries no tags).
   */
  private *contextSteps(count: number): QuerySteps<void> {
    const generation = this.generationNow();
    if (this.context.generation !== generation) this.context = { count: 0, workloads: new Uint32Array(0), tagSets: new Uint32Array(0), generation };
    const scan = this.context;
    if (scan.count >= count) return;
    if (scan.workloads.length < count) {
      const length = Math.max(count, Math.floor(scan.workloads.length * 1.5));
      const grown = (from: Uint32Array) => { const to = new Uint32Array(length); to.set(from.subarray(0, scan.count)); return to; };
      scan.workloads = grown(scan.workloads);
      scan.tagSets = grown(scan.tagSets);
    }
    const workload = this.workload;
    yield* this.chunkSteps(scan.count, count, generation, (chunk, id, alerts, starts, ends) => {
      const encoding = isAscii(chunk) ? 'latin1' : 'utf8';
      for (let i = 0; i < alerts; i++) {
        const text = chunk.toString(encoding, starts[i], ends[i]);
        let tags = 0;
        // A JSON line as Falco writes it (most lines of a large log) is read as it is; any other through the line
        // parser (a text alert's output span, a wrapper, lines joined).
        if (text.charCodeAt(0) === 123 && !text.startsWith('{"log":')) {
          jsonWorkload(text, 0, workload);
          tags = this.tagSetId(text);
        } else {
          const alert = readAlert(text, this.intern);
          if (!alert) { scan.workloads[id + i] = 0; scan.tagSets[id + i] = 0; continue; }
          if (alert.head.format === 'text') textWorkload(alert.text, alert.head.outputStart ?? 0, alert.head.outputEnd ?? alert.text.length, workload);
          else { jsonWorkload(alert.text, 0, workload); tags = this.tagSetId(alert.text); }
        }
        scan.workloads[id + i] = this.workloadId(workload);
        scan.tagSets[id + i] = tags;
      }
      scan.count = id + alerts;
    });
  }

  /** The id of the set of a JSON alert's tags (0: none, an empty list, or no `tags` array of strings). */
  private tagSetId(text: string): number {
    const span = jsonTagsSpan(text, 0);
    if (!span || span.end === span.start) return 0;
    const raw = text.slice(span.start, span.end);
    let set = this.tagSets.ids.get(raw);
    if (set === undefined) {
      let tags: string[] = [];
      try { tags = JSON.parse(`[${raw}]`) as string[]; } catch { /* an escape JSON does not read: no tags */ }
      // A tag written twice counts once.
      const ids = [...new Set(tags)].map((t) => this.strings.id(t));
      set = ids.length === 0 ? 0 : this.tagSets.tags.length;
      if (set !== 0) this.tagSets.tags.push(ids);
      this.tagSets.ids.set(raw, set);
    }
    return set;
  }

  /** The id of a workload (0 when it has no field), added to the table when new. */
  private workloadId(w: Workload): number {
    const { namespace, pod, image } = w;
    if (namespace === undefined && pod === undefined && image === undefined) return 0;
    const table = this.workloadTable;
    const key = `${namespace ?? ''}\u0000${pod ?? ''}\u0000${image ?? ''}`;
    let id = table.ids.get(key);
    if (id === undefined) {
      id = table.namespaces.length;
      table.ids.set(key, id);
      table.namespaces.push(namespace !== undefined ? this.strings.id(namespace) : NO_ID);
      // A pod's name is unique in its namespace only: the pod is named with it.
      table.pods.push(pod !== undefined ? this.strings.id(namespace !== undefined ? `${namespace}/${pod}` : pod) : NO_ID);
      table.images.push(image !== undefined ? this.strings.id(image) : NO_ID);
    }
    return id;
  }

  private growBatch(): void {
    const length = 2 * this.batchPrints.length;
    const grown = <T extends Uint32Array | Int8Array>(from: T, to: T) => { to.set(from as never); return to; };
    this.batchPrints = grown(this.batchPrints, new Uint32Array(length));
    this.batchStarts = grown(this.batchStarts, new Uint32Array(length));
    this.batchEnds = grown(this.batchEnds, new Uint32Array(length));
    this.batchKinds = grown(this.batchKinds, new Int8Array(length));
  }

  /** Finds the classes of identical alerts of the alerts indexed since the last call. */
  private foldBatch(): void {
    const count = this.batchLength;
    const prints = this.batchPrints;
    const first = this.folds.length;
    // The output's fingerprint (whose seed is the rule) with the other columns a class shares mixed in: alerts of one
    // output from several hosts are compared only with their own host's.
    for (let at = 0; at < count; at++) {
      const id = first + at;
      const columns = this.hosts.get(id) ^ Math.imul(this.sources.get(id), 0x85ebca6b) ^ Math.imul(this.containers.get(id), 0xc2b2ae35) ^ (this.priorities.get(id) << 24);
      prints[at] = prints[at] + Math.imul(columns, 0x9e3779b1);
    }
    this.touched ^= this.foldTable.touch(prints, count);
    for (let at = 0; at < count; at++) {
      this.folding.at = at;
      this.folding.folded = undefined;
      const classes = this.foldTable.size;
      const cls = this.foldTable.classOf(prints[at], first + at, this.sameAsFolding);
      this.folds.push(cls);
      if (cls === classes) this.setClassOutput(cls, at);
    }
    this.batchLength = 0;
  }

  /**
   * Whether the alert being folded is identical to the class's latest alert (which has the same fingerprint): the
   * columns first, then the outputs as written (an alert's bytes in the chunk, the class's kept or read from the
   * file at its place), and when these differ (a nanosecond stamp, an escape) the folded outputs.
   */
  private isSameAsFolding(cls: number): boolean {
    const id = this.folds.length;
    const other = this.foldTable.latest(cls);
    if (this.rules.get(other) !== this.rules.get(id) || this.priorities.get(other) !== this.priorities.get(id) || this.hosts.get(other) !== this.hosts.get(id)
      || this.sources.get(other) !== this.sources.get(id) || this.containers.get(other) !== this.containers.get(id)) return false;
    const folding = this.folding;
    const at = folding.at;
    const kind = this.batchKinds[at];
    let kept = this.outputsKept.get(cls);
    const known = kept !== undefined;
    kept ??= { raw: undefined, folded: undefined };
    let same = false;
    let mine: Buffer | undefined;
    const place = this.foldTable.noteA(cls);
    if (kind <= RAW_ESCAPED && place >>> KIND_SHIFT === kind) {
      const start = place & START_MASK;
      if (!known && this.rawOutput(kind, this.offsets.get(other) + start, this.foldTable.noteB(cls) - start)) {
        kept.raw = Buffer.from(this.rawAt.buffer.subarray(this.rawAt.start, this.rawAt.end));
      }
      if (this.rawOutput(kind, this.offsets.get(id) + this.batchStarts[at], this.batchEnds[at] - this.batchStarts[at])) {
        const { buffer, start, end } = this.rawAt;
        same = kept.raw !== undefined && kept.raw.compare(buffer, start, end) === 0;
        if (!same) mine = Buffer.from(buffer.subarray(start, end));
      }
    }
    if (!same) {
      folding.folded ??= this.foldedOfBatch(at, id);
      kept.folded ??= this.readFolded(other);
      same = folding.folded !== undefined && folding.folded === kept.folded;
      // The kept outputs become this alert's, the class's latest.
      if (same) kept = { raw: mine, folded: folding.folded };
    }
    if (!known || same) this.outputsKept.set(cls, kept);
    if (this.outputsKept.size > OUTPUTS_KEPT) this.outputsKept.delete(this.outputsKept.keys().next().value!);
    if (same) this.setClassOutput(cls, at);
    return same;
  }

  /** Where the output of the alert at `at` in the batch is, for its class (whose latest it is). */
  private setClassOutput(cls: number, at: number): void {
    const kind = this.batchKinds[at];
    // A start within a chunk is below 4 MB, far under START_MASK.
    this.foldTable.note(cls, ((kind <= RAW_ESCAPED ? kind : ELSEWHERE) << KIND_SHIFT) | this.batchStarts[at], this.batchEnds[at]);
  }

  /**
   * Finds an output as written (ASCII bytes at `offset` in the file: in the chunk being indexed when it holds them,
   * else read into rawBuffer) without its time prefix, and puts it in `rawAt`. An escaped JSON output is compared as
   * written only when it has a prefix without an escape (the decoded text then has the same prefix): false otherwise.
   */
  private rawOutput(kind: number, offset: number, length: number): boolean {
    const chunk = this.current;
    const at = offset - (chunk?.start ?? 0);
    let buffer: Buffer;
    let start: number;
    if (chunk && this.chunk && at >= 0 && at + length <= chunk.got) {
      buffer = this.chunk;
      start = at;
    } else {
      if (!this.rawBuffer || this.rawBuffer.length < length) this.rawBuffer = Buffer.allocUnsafe(Math.max(length, 4096));
      buffer = this.rawBuffer;
      start = 0;
      length = readFully(this.source, buffer, length, offset);
    }
    const end = start + length;
    // The prefix (a time, ': ', a word and a blank) ends at the output's second blank at the latest.
    const first = buffer.indexOf(32, start);
    const second = first < 0 || first >= end ? -1 : buffer.indexOf(32, first + 1);
    const head = second < 0 || second >= end ? end : second + 1;
    const prefix = timePrefixLength(buffer.toString('latin1', start, head), 0, head - start);
    if (kind === RAW_ESCAPED) {
      if (prefix === 0) return false;
      for (let i = start; i < start + prefix; i++) if (buffer[i] === 92 /* \ */) return false;
    }
    this.rawAt.buffer = buffer;
    this.rawAt.start = start + prefix;
    this.rawAt.end = end;
    return true;
  }

  /** The folded output of alert `id`, at `at` in the batch: its output found in its line where the batch says. */
  private foldedOfBatch(at: number, id: number): string | undefined {
    const kind = this.batchKinds[at];
    const line = kind === ELSEWHERE ? undefined : this.chunkText(id);
    if (line === undefined) return this.readFolded(id);
    const start = this.batchStarts[at];
    const end = this.batchEnds[at];
    return kind === RAW_ESCAPED || kind === LINE_ESCAPED ? foldedText(jsonOutput(line, { start, end, escaped: true })) : foldedOutput(line, start, end);
  }

  /** The text of alert `id` as decoded from the chunk being indexed, when the chunk holds it. */
  private chunkText(id: number): string | undefined {
    const offset = this.offsets.get(id);
    const length = this.lengths.get(id);
    const chunk = this.current;
    if (!chunk || !this.chunk || offset < chunk.start || offset + length > chunk.start + chunk.got) return undefined;
    // The stored length includes the carriage return of a CRLF line.
    const end = offset - chunk.start + length;
    return this.chunk.toString(chunk.encoding, offset - chunk.start, this.chunk[end - 1] === 13 ? end - 1 : end);
  }

  /**
   * The folded output of an alert, read back from the chunk being indexed or from the file; undefined when the file no
   * longer holds it there.
   */
  private readFolded(id: number): string | undefined {
    const text = this.chunkText(id) ?? this.alertText(id);
    const alert = readAlert(text, this.intern);
    if (!alert) return undefined;
    return foldedText(alert.head.format === 'text' ? alert.text.slice(alert.head.outputStart ?? 0, alert.head.outputEnd ?? alert.text.length) : jsonOutput(alert.text));
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
      case 'namespace': return this.workloadTable.namespaces[this.context.workloads[id]];
      case 'pod': return this.workloadTable.pods[this.context.workloads[id]];
      case 'image': return this.workloadTable.images[this.context.workloads[id]];
      // An alert is in the group of each of its tags (inGroup): its set of tags here, which `groups` counts by.
      case 'tag': return this.context.tagSets[id];
    }
  }

  /** The tags of an alert as string ids; [NO_ID] without tags. */
  private tagsOf(id: number): number[] { return this.tagSets.tags[this.context.tagSets[id]]; }

  /** Whether alert `id` is in the group `key` of `groupBy` (one of the groups of its tags). */
  private inGroup(groupBy: ExplorerGroupBy, id: number, key: number): boolean {
    return groupBy === 'tag' ? this.tagsOf(id).includes(key) : this.keyOf(groupBy, id) === key;
  }

  /**
   * The workloads a filter's `namespace`, `pod` and `image` accept (by workload id). A pod is named `namespace/pod` or by its name alone (any namespace), an image as `repository:tag` or by
   * its repository alone (any tag).
   */
  private workloadsAccepted(filter: ExplorerFilter): Uint8Array {
    const { namespace, pod, image } = filter;
    const table = this.workloadTable;
    const named = (id: number) => (id === NO_ID ? undefined : this.strings.text(id));
    const accepted = new Uint8Array(table.namespaces.length);
    for (let w = 0; w < accepted.length; w++) {
      const ns = named(table.namespaces[w]);
      const p = named(table.pods[w]);
      const im = named(table.images[w]);
      if (namespace !== undefined && ns !== namespace) continue;
      if (pod !== undefined && !(p !== undefined && (p === pod || (!pod.includes('/') && p.endsWith(`/${pod}`))))) continue;
      if (image !== undefined && !(im !== undefined && (im === image || (im.startsWith(`${image}:`) && !im.includes('/', image.length + 1))))) continue;
      accepted[w] = 1;
    }
    return accepted;
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
    if (filter.namespace !== undefined || filter.pod !== undefined || filter.image !== undefined) {
      yield* this.contextSteps(count);
      const accepted = this.workloadsAccepted(filter);
      const ids = this.context.workloads;
      tests.push((id) => accepted[ids[id]] === 1);
    }
    if (filter.tag !== undefined) {
      yield* this.contextSteps(count);
      const tag = this.strings.find(filter.tag) ?? -1;
      const accepted = this.tagSets.tags.map((tags) => tags.includes(tag));
      const sets = this.context.tagSets;
      tests.push((id) => accepted[sets[id]]);
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
    const generation = this.generationNow();
    let scan = this.textScan;
    if (!scan || scan.text !== text || scan.generation !== generation) this.textScan = scan = { text, search: new TextSearch(text), count: 0, matches: new Uint8Array(0), generation };
    if (scan.count >= count) return scan.matches;
    if (scan.matches.length < count) {
      const grown = new Uint8Array(count);
      grown.set(scan.matches.subarray(0, scan.count));
      scan.matches = grown;
    }
    const marked = scan;
    yield* this.chunkSteps(scan.count, count, generation, (chunk, id, alerts, starts, ends, position) => {
      marked.search.mark(chunk, starts, ends, alerts, marked.matches, id, this.frequencies, position);
      marked.count = id + alerts;
    });
    return scan.matches;
  }

  /**
   * Reads the alerts [from, count) from the file sequentially, a chunk of up to CHUNK_BYTES per step, and hands each
   * chunk to `visit` with the alerts it holds (`alerts` from `id`, each at `chunk[starts[i], ends[i])`; `position`:
   * the chunk's place in the file). An alert the file no longer holds whole is handed over with the bytes there are.
   * Each chunk is handed over only if the source is still at `generation` once it is read (looked at after the read:
   * a live file emptied before it is found so), else the query stops (generationNow).
   */
  private *chunkSteps(from: number, count: number, generation: number,
    visit: (chunk: Buffer, id: number, alerts: number, starts: Int32Array, ends: Int32Array, position: number) => void): QuerySteps<void> {
    let buffer: Buffer | undefined;
    let starts = new Int32Array(0);
    let ends = new Int32Array(0);
    let id = from;
    // The bytes under the offsets are not known while the source settles: nothing read now could be kept.
    if (id < count && this.source.settling?.()) throw new SourceChangedError();
    while (id < count) {
      buffer ??= Buffer.allocUnsafe(CHUNK_BYTES);
      const position = this.offsets.get(id);
      let last = id;
      while (last + 1 < count && this.offsets.get(last + 1) + this.lengths.get(last + 1) - position <= CHUNK_BYTES) last++;
      const span = this.offsets.get(last) + this.lengths.get(last) - position;
      const got = readFully(this.source, buffer, Math.min(span, CHUNK_BYTES), position);
      // A chunk read under another generation than the query's may hold the emptied file's bytes: not handed over.
      if (this.generationNow() !== generation || this.source.settling?.()) throw new SourceChangedError();
      const chunk = buffer.subarray(0, got);
      const alerts = last + 1 - id;
      if (starts.length < alerts) { starts = new Int32Array(alerts); ends = new Int32Array(alerts); }
      for (let i = 0; i < alerts; i++) {
        const end = Math.min(got, this.offsets.get(id + i) - position + this.lengths.get(id + i));
        ends[i] = end;
        starts[i] = Math.min(end, this.offsets.get(id + i) - position);
      }
      visit(chunk, id, alerts, starts, ends, position);
      id = last + 1;
      if (id < count) yield;
    }
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
        let step: IteratorResult<void, T>;
        try {
          step = steps.next();
        } catch (e) {
          // The source changed under the bytes it read: asked again, on the new state (a copy read at the same
          // offsets, or the index started over), unless the new bytes are not known yet.
          if (e instanceof SourceChangedError && !this.source.settling?.()) break;
          throw e;
        }
        if (step.done) return step.value;
        yield;
        if (this.resets !== resets) break;
      }
    }
  }

  /**
   * The source's generation, looked at now. When it changed since the store last looked, what was read from the file
   * under earlier generations (text marks, workloads and tags) leaves, and the index starts over when the source
   * shrank or was rewritten (no copy held the bytes): then the query stops (SourceChangedError; consistent asks it
   * again, on the index started over), since the alerts it counted on left.
   */
  private generationNow(): number {
    const generation = this.source.generation?.() ?? 0;
    if (generation === this.seenGeneration) return generation;
    this.seenGeneration = generation;
    if (this.textScan && this.textScan.generation !== generation) this.textScan = undefined;
    if (this.context.generation !== generation) this.context = { count: 0, workloads: new Uint32Array(0), tagSets: new Uint32Array(0), generation };
    const resets = this.resets;
    this.checkSource();
    if (this.resets !== resets) throw new SourceChangedError();
    return generation;
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
    if (isLateGrouping(groupBy)) yield* this.contextSteps(total);
    const accept = yield* this.matcherSteps(filter, total);
    // Pass 1: per key, count, worst priority and time range; remember each matching alert's key.
    const byKey = new Map<number, GroupAcc>();
    const matched = new Uint8Array(total);
    let matching = 0;
    for (let from = 0; from < total; from += STEP) {
      if (from > 0) yield;
      matching += this.countGroups(groupBy, accept, from, Math.min(total, from + STEP), byKey, matched);
    }
    // Pass 2: distinct alerts per group without a Set per group — the fold classes of each group are laid out in one
    // typed array (a counting sort by group), and each segment's distinct values counted a step at a time (a group
    // may hold most of the log). Memory: 4 bytes per alert, and the counter's table.
    let next = 0;
    for (const acc of byKey.values()) { acc.slot = next; next += acc.count; }
    const starts = new Map<number, number>();
    for (const [key, acc] of byKey) starts.set(key, acc.slot);
    const prints = new Uint32Array(next);
    for (let from = 0; from < total; from += STEP) {
      yield;
      this.layOutPrints(groupBy, matched, from, Math.min(total, from + STEP), starts, prints);
    }
    // By tag, the alerts were counted and laid out by their set of tags (each alert once); a tag's group is the union
    // of the sets holding it, so an alert with several tags is in each of their groups.
    const segmentsOf = groupBy === 'tag' ? this.tagGroups(byKey) : new Map([...byKey].map(([key, acc]) => [key, { acc, segments: [acc] }]));
    const distinct = new DistinctCounter();
    for (const { acc, segments } of segmentsOf.values()) {
      distinct.clear(acc.count);
      for (const segment of segments) {
        for (let from = segment.slot, end = segment.slot + segment.count; from < end; from += STEP) {
          yield;
          distinct.addAll(prints, from, Math.min(end, from + STEP));
        }
      }
      acc.distinct = distinct.size;
    }
    const groups: ExplorerGroup[] = [...segmentsOf.entries()].map(([key, { acc }]) => ({
      key: this.keyLabel(groupBy, key), count: acc.count, distinct: acc.distinct, priority: acc.priority === 99 ? -1 : acc.priority,
      ...(Number.isFinite(acc.first) ? { firstTime: acc.first } : {}), ...(Number.isFinite(acc.last) ? { lastTime: acc.last } : {}),
      identified: !(groupBy === 'rule' && this.unidentifiedRules.has(key)),
    }));
    // Most severe first, then the noisiest.
    groups.sort((a, b) => (a.priority < 0 ? 99 : a.priority) - (b.priority < 0 ? 99 : b.priority) || b.count - a.count || byName(a.key, b.key));
    const undated = yield* this.undatedSteps(undefined, undefined, filter, total);
    return { groups: groups.slice(0, limit), matching, truncated: groups.length > limit, total, ...(undated !== undefined ? { undated } : {}) };
  }

  /** The groups of tags from the groups of sets of tags: each tag's count, priority and times over the sets holding it. */
  private tagGroups(bySet: Map<number, GroupAcc>): Map<number, { acc: GroupAcc; segments: GroupAcc[] }> {
    const byTag = new Map<number, { acc: GroupAcc; segments: GroupAcc[] }>();
    for (const [set, segment] of bySet) {
      for (const tag of this.tagSets.tags[set]) {
        let group = byTag.get(tag);
        if (!group) byTag.set(tag, group = { acc: { slot: 0, count: 0, priority: 99, first: Infinity, last: -Infinity, distinct: 0 }, segments: [] });
        const acc = group.acc;
        acc.count += segment.count;
        acc.priority = Math.min(acc.priority, segment.priority);
        acc.first = Math.min(acc.first, segment.first);
        acc.last = Math.max(acc.last, segment.last);
        group.segments.push(segment);
      }
    }
    return byTag;
  }

  /**
   * How many alerts (of the group `key` of `groupBy`, or of the log) before `count` a time bound of the filter leaves
   * out only because they have no date: the time filter cannot place a text alert whose time is a time of day alone,
   * and says so rather than dropping it without a word. Undefined without a time bound (nothing is scanned then).
   */
  private *undatedSteps(groupBy: ExplorerGroupBy | undefined, key: number | undefined, filter: ExplorerFilter | undefined, count: number): QuerySteps<number | undefined> {
    if (!filter || (filter.since === undefined && filter.until === undefined)) return undefined;
    // The rest of the filter (a text filter's matches are the ones the query found: kept for the same text).
    const rest = yield* this.matcherSteps({ ...filter, since: undefined, until: undefined }, count);
    let undated = 0;
    for (let from = 0; from < count; from += STEP) {
      yield;
      for (let id = from, to = Math.min(count, from + STEP); id < to; id++) {
        if (Number.isNaN(this.times.get(id)) && (groupBy === undefined || this.inGroup(groupBy, id, key!)) && (!rest || rest(id))) undated++;
      }
    }
    return undated;
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

  /** Pass 2 of `groups` over the alerts [from, to): each matched alert's fold class in its group's segment. */
  private layOutPrints(groupBy: ExplorerGroupBy, matched: Uint8Array, from: number, to: number, starts: Map<number, number>, prints: Uint32Array): void {
    for (let id = from; id < to; id++) {
      if (!matched[id]) continue;
      const key = this.keyOf(groupBy, id);
      const at = starts.get(key)!;
      prints[at] = this.folds.get(id);
      starts.set(key, at + 1);
    }
  }

  /**
   * The ids of the latest `limit` alerts of one group (or of the whole log without `groupBy`) that pass the filter, in
   * the log's order, and how many there are in all.
   */
  latestMatching(groupBy: ExplorerGroupBy | undefined, group: string | undefined, filter: ExplorerFilter | undefined, limit: number): LatestMatching {
    return runSteps(this.latestMatchingSteps(groupBy, group, filter, limit));
  }

  latestMatchingSteps(groupBy: ExplorerGroupBy | undefined, group: string | undefined, filter: ExplorerFilter | undefined, limit: number): QuerySteps<LatestMatching> {
    return this.consistent(() => this.latestMatchingOnce(groupBy, group, filter, limit));
  }

  private *latestMatchingOnce(groupBy: ExplorerGroupBy | undefined, group: string | undefined, filter: ExplorerFilter | undefined, limit: number): QuerySteps<LatestMatching> {
    const count = this.total;
    const key = groupBy === undefined ? undefined : this.keyFromLabel(groupBy, group ?? '');
    if (groupBy !== undefined && key === undefined) return { ids: [], total: 0, ...noneUndated(filter) };
    if (isLateGrouping(groupBy)) yield* this.contextSteps(count);
    const accept = yield* this.matcherSteps(filter, count);
    const ids: number[] = [];
    let total = 0;
    // Newest first, a step of alerts at a time.
    for (let to = count; to > 0; to -= STEP) {
      if (to < count) yield;
      total += this.pickLatest(groupBy, key, accept, limit, Math.max(0, to - STEP), to, ids);
    }
    const undated = yield* this.undatedSteps(groupBy, key, filter, count);
    return { ids: ids.reverse(), total, ...(undated !== undefined ? { undated } : {}) };
  }

  /** `latestMatching` over the alerts [from, to), newest first: returns how many are of the group and pass the filter. */
  private pickLatest(groupBy: ExplorerGroupBy | undefined, key: number | undefined, accept: ((id: number) => boolean) | undefined, limit: number, from: number, to: number, ids: number[]): number {
    let total = 0;
    for (let id = to - 1; id >= from; id--) {
      if ((groupBy !== undefined && !this.inGroup(groupBy, id, key!)) || (accept && !accept(id))) continue;
      total++;
      if (ids.length < limit) ids.push(id);
    }
    return total;
  }

  /** A page of the alerts of one group, newest first; with `dedupe`, one item per class of identical alerts (its latest alert). */
  alerts(groupBy: ExplorerGroupBy, group: string, filter: ExplorerFilter | undefined, dedupe: boolean, offset: number, limit: number): ExplorerAlertsResult {
    return runSteps(this.alertsSteps(groupBy, group, filter, dedupe, offset, limit));
  }

  alertsSteps(groupBy: ExplorerGroupBy, group: string, filter: ExplorerFilter | undefined, dedupe: boolean, offset: number, limit: number): QuerySteps<ExplorerAlertsResult> {
    return this.consistent(() => this.alertsOnce(groupBy, group, filter, dedupe, offset, limit));
  }

  private *alertsOnce(groupBy: ExplorerGroupBy, group: string, filter: ExplorerFilter | undefined, dedupe: boolean, offset: number, limit: number): QuerySteps<ExplorerAlertsResult> {
    const count = this.total;
    const key = this.keyFromLabel(groupBy, group);
    if (key === undefined) return { items: [], total: 0, ...noneUndated(filter) };
    if (isLateGrouping(groupBy)) yield* this.contextSteps(count);
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
    // The group's alerts the time filter left out for lack of a date (alerts, not classes), as the groups answer says
    // them of the log.
    const undated = yield* this.undatedSteps(groupBy, key, filter, count);
    return { items, total: chosen.length, ...(undated !== undefined ? { undated } : {}) };
  }

  /** `alerts` over the alerts [from, to), newest first. */
  private chooseAlerts(groupBy: ExplorerGroupBy, key: number, accept: ((id: number) => boolean) | undefined, dedupe: boolean, from: number, to: number,
    chosen: number[], duplicates: Map<number, number>, firstOfPrint: Map<number, number>): void {
    for (let id = to - 1; id >= from; id--) {
      if (!this.inGroup(groupBy, id, key) || (accept && !accept(id))) continue;
      if (dedupe) {
        const print = this.folds.get(id);
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
  // Read without its colour escapes: the reading's offsets refer to that text.
  if (parsed.coloured) return { payload: parsed, text: parsed.coloured.text, joined: false };
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

const foldedText = (output: string) => foldedOutput(output, 0, output.length);

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
