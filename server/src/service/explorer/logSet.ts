// A rotated log set as one Explorer log. logrotate renames `falco.log` to `falco.log.1`, then `.1` to `.2` (gzip'd
// with `compress`: `falco.log.2.gz`; kept plain one round longer with `delaycompress`), or with `dateext` to
// `falco.log-20261123` (`.gz`); `olddir` and `extension` put other names elsewhere, which are not recognised here.
// kubelet rotates a container's `0.log` to `0.log.20261123-101010` (the time of the rotation, Go layout
// 20060102-150405) and gzips each such file at the next rotation to `0.log.20261123-101010.gz` (pkg/kubelet/logs
// container_log_manager.go rotateLatestLog, compressLog): a date too, to the second.
// Names are the whole order: the oldest of a set is the highest number, or the earliest date; the file without a
// suffix is the live one. The files are read one after another as one byte stream (`PartsSource`), oldest first,
// so the store indexes them as one log and an alert keeps the part and line of the file it is in.
import * as zlib from 'node:zlib';
import type { ByteSource } from './alertStore';

/** What a file name says of its place in its rotated set. */
export interface RotationName {
  /** The live file's name (`falco.log`). */
  base: string;
  /** 'live': the base itself; 'number': `.N`; 'date': `-YYYYMMDD…` (dateext) or `.YYYYMMDD-hhmmss` (kubelet). */
  kind: 'live' | 'number' | 'date';
  /** The number, or the date's digits padded to fixed widths (`YYYYMMDDhhmmss-seconds`: comparable as text). */
  rank: string;
  /** Ends with `.gz` (logrotate's `compress`). */
  gzip: boolean;
}

// dateformat's default is `-%Y%m%d`; `-%Y%m%d%H`, `-%Y%m%d-%s` (hourly rotation) and `-%Y-%m-%d` are common ones.
const DATED = /^(.+?)-(\d{4})(-?)(\d{2})\3(\d{2})((?:\d{2}){0,3})(?:-(\d{1,12}))?$/;
const NUMBERED = /^(.+)\.(\d{1,6})$/;
const KUBELET = /^(.+)\.(\d{8})-(\d{6})$/;

/** How a name reads as a member of a rotated set; a name without a rotation suffix is a live file. */
export function rotationName(name: string): RotationName {
  const gzip = name.endsWith('.gz');
  const stem = gzip ? name.slice(0, -3) : name;
  const numbered = NUMBERED.exec(stem);
  if (numbered) return { base: numbered[1], kind: 'number', rank: numbered[2], gzip };
  const kubelet = KUBELET.exec(stem);
  if (kubelet) return { base: kubelet[1], kind: 'date', rank: `${kubelet[2]}${kubelet[3]}-${''.padStart(12, '0')}`, gzip };
  const dated = DATED.exec(stem);
  if (dated) return { base: dated[1], kind: 'date', rank: `${dated[2]}${dated[4]}${dated[5]}${dated[6].padEnd(6, '0')}-${(dated[7] ?? '').padStart(12, '0')}`, gzip };
  return { base: stem, kind: 'live', rank: '', gzip };
}

/**
 * Older first: dated files by date, then numbered files from the highest number (a set that went from dateext to
 * numbers keeps the dates before), then the live file.
 */
export function compareRotation(a: RotationName, b: RotationName): number {
  const order = { date: 0, number: 1, live: 2 } as const;
  if (a.kind !== b.kind) return order[a.kind] - order[b.kind];
  if (a.kind === 'number') return Number(b.rank) - Number(a.rank);
  return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0;
}

/**
 * The names of `names` (a folder's entries) in the rotated set of `chosen` (one of them, or the live name when it is
 * missing), oldest first. Only names of that base whose suffix is a rotation's, and for the base, no `.gz` form:
 * `falco.log.gz` is not a rotation of `falco.log`.
 */
export function rotatedSet(chosen: string, names: readonly string[]): string[] {
  const base = rotationName(chosen).base;
  const members = names.map((name) => ({ name, rotation: rotationName(name) }))
    .filter(({ rotation }) => rotation.base === base && !(rotation.kind === 'live' && rotation.gzip));
  // A `.gz` of the same number or date as a plain file is the plain file compressed meanwhile (logrotate writes the
  // copy, then removes the plain one): the plain one is kept.
  const seen = new Set<string>();
  const unique = members.filter(({ rotation }) => !rotation.gzip).concat(members.filter(({ rotation }) => rotation.gzip))
    .filter(({ rotation }) => { const key = `${rotation.kind}:${rotation.rank}`; if (seen.has(key)) return false; seen.add(key); return true; });
  return unique.sort((a, b) => compareRotation(a.rotation, b.rotation)).map(({ name }) => name);
}

/** Reads `length` bytes of a file at `position` into `buffer` from `offset`; returns how many it read. */
export type ReadAt = (buffer: Buffer, offset: number, length: number, position: number) => number;

/** Bytes of each sample a PrefixPrint keeps. */
const SAMPLE_BYTES = 4096;
/** The first power of two a PrefixPrint samples at (below it, the first sample covers the start). */
const FIRST_SPREAD = 8192;

/**
 * What is kept of the first `length` bytes of a growing file (the live log, as far as it was indexed) to recognise a
 * copy of them once the file is emptied in place (logrotate's `copytruncate` copies the file, then truncates it): its
 * first 4 KB, its last 4 KB, and 4 KB at each power of two from 8 KB on (21 samples for a gigabyte, each read once
 * but the last, read again each time the length grows). The file's bytes are gone when the truncation is seen, so
 * they are compared through these: a copy holds every sample at the same offset; another file of the set (other
 * times, other lines) differs in its very first bytes already.
 */
export class PrefixPrint {
  /** Bytes of the file's start covered. */
  length = 0;
  private head: Buffer = Buffer.alloc(0);
  /** spread[k]: the 4 KB at FIRST_SPREAD * 2^k. */
  private spread: Buffer[] = [];
  private tail: Buffer = Buffer.alloc(0);

  /**
   * Covers the first `length` bytes of the file `read` reads. Returns false, and keeps what it covered, when the
   * file no longer holds them (shorter now: truncated since they were indexed).
   */
  extend(read: ReadAt, length: number): boolean {
    if (length <= this.length) return true;
    const head = this.head.length === SAMPLE_BYTES ? this.head : readExactly(read, 0, Math.min(SAMPLE_BYTES, length));
    if (!head) return false;
    const spread = [...this.spread];
    for (let at = FIRST_SPREAD * 2 ** spread.length; at + SAMPLE_BYTES <= length; at *= 2) {
      const sample = readExactly(read, at, SAMPLE_BYTES);
      if (!sample) return false;
      spread.push(sample);
    }
    const tail = readExactly(read, Math.max(0, length - SAMPLE_BYTES), Math.min(SAMPLE_BYTES, length));
    if (!tail) return false;
    this.head = head;
    this.spread = spread;
    this.tail = tail;
    this.length = length;
    return true;
  }

  /** Whether a file of `size` bytes that `read` reads starts with the bytes covered: every sample equal at its offset. */
  matches(read: ReadAt, size: number): boolean {
    if (this.length === 0 || size < this.length) return false;
    if (!sameAt(read, 0, this.head)) return false;
    for (let k = 0; k < this.spread.length; k++) if (!sameAt(read, FIRST_SPREAD * 2 ** k, this.spread[k])) return false;
    return sameAt(read, this.length - this.tail.length, this.tail);
  }

  /**
   * Whether a file of `size` bytes still holds the last bytes covered where they were: false once it was truncated,
   * even when it grew past them again before this look (written again since).
   */
  holdsEnd(read: ReadAt, size: number): boolean {
    return size >= this.length && sameAt(read, this.length - this.tail.length, this.tail);
  }

  /** The samples kept, each with its offset in the file (CopyCheck compares a copy's bytes with them as they pass). */
  samples(): { at: number; bytes: Buffer }[] {
    if (this.length === 0) return [];
    return [{ at: 0, bytes: this.head }, ...this.spread.map((bytes, k) => ({ at: FIRST_SPREAD * 2 ** k, bytes })), { at: this.length - this.tail.length, bytes: this.tail }];
  }
}

/**
 * A CRC-32 of a file's bytes from its start, as far as they were read in order (the store reads the live file a
 * chunk after another while indexing: SetSource adds each read at the end of what the digest covers). With the
 * PrefixPrint's samples it tells a copy of every byte read from one that differs between two samples (a line
 * rewritten in place, bytes shifted and shifted back): the samples alone compare about 21 reads of 4 KB of a gigabyte.
 */
export class PrefixDigest {
  /** Bytes of the file's start covered. */
  length = 0;
  crc = 0;

  /**
   * Adds bytes read at `position` of the file: those past the end covered. A read past that end (a gap) adds nothing,
   * and the digest covers less than was read; the samples compare the rest.
   */
  add(bytes: Buffer, position: number): void {
    if (position > this.length || position + bytes.length <= this.length) return;
    const fresh = bytes.subarray(this.length - position);
    this.crc = zlib.crc32(fresh, this.crc);
    this.length += fresh.length;
  }
}

/**
 * Compares a candidate copy's bytes, given in order from its start (a plain file read, or a gzip file as it
 * decompresses: nothing is held but the chunk given), with the bytes of a file that are gone from it (logrotate's
 * `copytruncate` emptied it): every sample of their PrefixPrint equal at its offset, the CRC-32 of the bytes the
 * PrefixDigest covers equal, and at least `needed` bytes. `feed` says 'differs' as soon as a sample or the digest
 * differs, 'same' once every byte to compare has passed, and 'more' before.
 */
export class CopyCheck {
  private readonly samples: { at: number; bytes: Buffer }[];
  private readonly end: number;
  private fed = 0;
  private crc = 0;
  private verdict: 'more' | 'same' | 'differs' = 'more';

  constructor(print: PrefixPrint, private readonly digest: PrefixDigest, needed: number) {
    this.samples = print.samples();
    this.end = Math.max(needed, print.length, digest.length);
    if (this.end === 0) this.verdict = 'differs';
  }

  /** The bytes compared so far (the candidate's offset of the next chunk). */
  get position(): number { return this.fed; }

  feed(chunk: Buffer): 'more' | 'same' | 'differs' {
    if (this.verdict !== 'more') return this.verdict;
    const from = this.fed;
    const to = from + chunk.length;
    for (const { at, bytes } of this.samples) {
      const a = Math.max(at, from);
      const b = Math.min(at + bytes.length, to);
      if (a < b && !chunk.subarray(a - from, b - from).equals(bytes.subarray(a - at, b - at))) return (this.verdict = 'differs');
    }
    if (from < this.digest.length) {
      this.crc = zlib.crc32(chunk.subarray(0, Math.min(chunk.length, this.digest.length - from)), this.crc);
      if (to >= this.digest.length && this.crc !== this.digest.crc) return (this.verdict = 'differs');
    }
    this.fed = to;
    if (to >= this.end) this.verdict = 'same';
    return this.verdict;
  }

  /** Compares the first bytes of a file read with `read` (a megabyte at a time); false when it is shorter. */
  run(read: ReadAt): boolean {
    const buffer = Buffer.alloc(Math.min(1 << 20, Math.max(1, this.end)));
    while (this.verdict === 'more') {
      const got = read(buffer, 0, Math.min(buffer.length, this.end - this.fed), this.fed);
      if (got <= 0) return false;
      this.feed(buffer.subarray(0, got));
    }
    return this.verdict === 'same';
  }
}

function readExactly(read: ReadAt, position: number, length: number): Buffer | undefined {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = read(buffer, got, length - got, position + got);
    if (n <= 0) return undefined;
    got += n;
  }
  return buffer;
}

function sameAt(read: ReadAt, position: number, expected: Buffer): boolean {
  const found = readExactly(read, position, expected.length);
  return !!found && found.equals(expected);
}

/** One file of a set, as PartsSource reads it. */
export interface SetPart {
  /** Bytes of the part now (a copy being decompressed: so far). */
  size(): number;
  read(buffer: Buffer, offset: number, length: number, position: number): number;
  /** Whether no byte will be added: an older rotated file, a finished decompression. */
  complete(): boolean;
}

interface Placed {
  part: SetPart;
  start: number;
  /** Its length in the stream once fixed, with the line feed added after a last line without one. */
  length: number | undefined;
  /** Whether the stream adds a line feed after the part's last byte. */
  addsNewline: boolean;
  /** The stream's line number of its first line, once the store has read up to it. */
  firstLine: number;
  /** A live file that a newer part followed (the log rotated): fixed once the newer one has bytes. */
  superseded: boolean;
  /**
   * Bytes at the part's start that are no part of the stream: 3 for a UTF-8 byte order mark (a log saved by a Windows
   * editor), which would make its first line unidentified; undefined while the part is shorter than one and could
   * still become one (a live file being written).
   */
  skip: number | undefined;
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * The parts of a set read as one stream of bytes, oldest first: a part's length is fixed once it is complete (or a
 * newer live file with bytes superseded it), and the stream ends after the first part whose length is not fixed yet
 * (a copy being decompressed, the live file). Each part ends with a line feed (one is added after a last line without
 * one), so no line spans two parts, and a read stops at the end of a part: the store tells the stream (`lineAt`) the
 * line number each read starts at, which gives each part's first line. A UTF-8 byte order mark at the start of a part
 * is left out of the stream (the store leaves out one at the stream's start only).
 */
export class PartsSource implements ByteSource {
  private readonly placed: Placed[] = [];
  private readonly byte = Buffer.alloc(1);
  private readonly head = Buffer.alloc(3);

  constructor(parts: readonly SetPart[]) {
    for (const part of parts) this.placed.push({ part, start: 0, length: undefined, addsNewline: false, firstLine: -1, superseded: false, skip: undefined });
  }

  get count(): number { return this.placed.length; }

  /** Adds a newer part (the live file rotated: the one before it is fixed once this one has bytes). */
  add(part: SetPart): void {
    const last = this.placed[this.placed.length - 1];
    if (last) last.superseded = true;
    this.placed.push({ part, start: Infinity, length: undefined, addsNewline: false, firstLine: -1, superseded: false, skip: undefined });
  }

  size(): number {
    let position = 0;
    for (let i = 0; i < this.placed.length; i++) {
      const p = this.placed[i];
      p.start = position;
      if (p.length === undefined) {
        const next = this.placed[i + 1];
        if (p.part.complete() || (p.superseded && next.part.size() > 0)) this.fix(p);
        else {
          // The parts after it are not in the stream yet.
          for (let j = i + 1; j < this.placed.length; j++) this.placed[j].start = Infinity;
          return position + this.textSize(p);
        }
      }
      position += p.length!;
    }
    return position;
  }

  private fix(p: Placed): void {
    const size = this.textSize(p, true);
    p.addsNewline = size > 0 && !(p.part.read(this.byte, 0, 1, p.skip! + size - 1) === 1 && this.byte[0] === 10);
    p.length = size + (p.addsNewline ? 1 : 0);
  }

  /**
   * The part's bytes in the stream now, without a byte order mark at its start (`skip`, found once the part has three
   * bytes, or is complete: `whole`); 0 while its few bytes may still be the start of one.
   */
  private textSize(p: Placed, whole = false): number {
    const size = p.part.size();
    if (p.skip === undefined) {
      const head = this.head;
      const got = size > 0 ? p.part.read(head, 0, Math.min(3, size), 0) : 0;
      let same = 0;
      while (same < got && head[same] === BOM[same]) same++;
      if (same === 3) p.skip = 3;
      else if (same < got || whole) p.skip = 0;
      else return 0;
    }
    return Math.max(0, size - p.skip);
  }

  read(buffer: Buffer, offset: number, length: number, position: number): number {
    const at = this.partAt(position);
    if (at < 0) return 0;
    const p = this.placed[at];
    const within = position - p.start;
    const size = p.length === undefined ? this.textSize(p) : p.length - (p.addsNewline ? 1 : 0);
    if (within < size) {
      const got = p.part.read(buffer, offset, Math.min(length, size - within), p.skip! + within);
      // The added line feed comes with the last bytes: a read of them alone would be a line not ended yet.
      if (p.addsNewline && within + got === size && got < length) { buffer[offset + got] = 10; return got + 1; }
      return got;
    }
    if (p.addsNewline && within === size && length > 0) { buffer[offset] = 10; return 1; }
    return 0;
  }

  /**
   * The newest part is replaced by `copy`, which holds the same bytes from its start and maybe more (logrotate's
   * `copytruncate` copied the live file, then emptied it): the stream's offsets keep reading the same bytes, from the
   * copy, and the copy's bytes past them are read next; then `live`, the file emptied, from its start.
   */
  replaceNewest(copy: SetPart, live: SetPart): void {
    const last = this.placed[this.placed.length - 1];
    last.part = copy;
    last.length = undefined;
    this.add(live);
    // The copy's length is fixed once it is complete (a gzip file's copy is still being decompressed), whatever the
    // live file holds meanwhile.
    last.superseded = false;
  }

  /**
   * Part `index` is read from `part` from now on, a file holding the same bytes (the decompressed copy of the gzip file
   * logrotate wrote from it): no offset moves.
   */
  replacePart(index: number, part: SetPart): void {
    this.placed[index].part = part;
  }

  /**
   * Leaves parts out of the stream (files deleted by logrotate while followed): the parts after them move up, so the
   * store must index the stream again from its start.
   */
  remove(indexes: ReadonlySet<number>): void {
    const kept = this.placed.filter((_, i) => !indexes.has(i));
    this.placed.length = 0;
    for (const p of kept) { p.firstLine = -1; this.placed.push(p); }
  }

  /** Where part `index` is in the stream (as of the last `size()`): its start, and its end (Infinity while open). */
  extent(index: number): { start: number; end: number } {
    const p = this.placed[index];
    return { start: p.start, end: p.length === undefined ? Infinity : p.start + p.length };
  }

  /**
   * The offset in part `index`'s file of a position of the stream, within the part (its byte order mark included);
   * undefined while the part is not in the stream yet.
   */
  fileOffset(index: number, position: number): number | undefined {
    const p = this.placed[index];
    if (p.start === Infinity || p.skip === undefined || position < p.start) return undefined;
    return p.skip + Math.min(position - p.start, p.length === undefined ? Infinity : p.length);
  }


  lineAt(position: number, line: number): void {
    const at = this.partAt(position);
    if (at >= 0 && this.placed[at].start === position) this.placed[at].firstLine = line;
  }

  /** The part holding a position of the stream (-1 past the end), and its line there from the stream's line. */
  place(position: number, line: number): { part: number; line: number } {
    const at = this.partAt(position);
    return { part: at, line: at >= 0 ? line - Math.max(0, this.placed[at].firstLine) : line };
  }

  /** The index of the part holding `position`, the last part with its start at or before it. */
  private partAt(position: number): number {
    let lo = 0;
    let hi = this.placed.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.placed[mid].start <= position) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    // An empty part starts where the next one does: the later one holds the position.
    return found;
  }
}
