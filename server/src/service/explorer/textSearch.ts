// The Alert Explorer's text filter on the bytes of the log. An alert matches when its text, decoded as UTF-8 and
// lowercased, contains the filter's text lowercased (`lineContains`, the test every alert got until session 9).
// Decoding and lowercasing every alert cost about a second per gigabyte, so the file's bytes are searched instead,
// with answers equal to that test:
//
// - An ASCII needle can only occur in the lowercased text as a run of ASCII characters, and UTF-8 decoding keeps ASCII
//   bytes as they are and turns any other byte (valid or not) into characters that are not ASCII. Lowercasing maps
//   A-Z to a-z and, of all the characters that are not ASCII, only U+0130 (to "i" and a combining dot) and U+212A
//   (KELVIN SIGN, to "k") to anything holding ASCII (explorer-text-search.test.ts checks every code point). So an ASCII
//   needle occurs in the lowercased text exactly where it occurs in the bytes with A-Z folded to a-z, unless the bytes
//   hold one of those two characters and the needle an "i" or a "k": such a chunk gets the lines' test.
// - The folded needle is found through places that Buffer.indexOf finds (memchr, or V8's string search for a needle
//   without letters, which is found as it is), each compared with the needle around it with A-Z folded: the places
//   of the needle's character that is rarest in the part of the log the chunk comes from, in both cases for a letter.
//   The rarest character is chosen again for each chunk, from byte frequencies the store samples while it indexes
//   (`ByteFrequencies`: a few hundred bytes every 64 KB, counted per 4 MB of the file), so a log whose later part
//   differs from its start (other hosts, another rule mix) is searched through what is rare there. When the places
//   looked at in a chunk are so many that they cost more than the lines' test would have (more than one place per 40
//   bytes: a needle of frequent letters only, such as "root"), the next chunks get that test while the places they
//   would have are as many (foreseen from the frequencies, and the share of the places a chunk looked at: after a
//   match the search skips to the next alert), and one chunk in 32 is searched through its places again.
// - A needle that is not ASCII can only occur in an alert whose bytes are not all ASCII: the others are skipped, and
//   the rest get the lines' test.
import { isAscii } from 'node:buffer';

/**
 * Places looked at per byte of a chunk over which the lines' test is cheaper (each place costs a call of
 * Buffer.indexOf and a comparison, 15-40 ns; the lines' test 0.6-1 ns per byte: in a 4 MB chunk of the bench's 1M
 * log, 124,000 places took 3.1 ms and the lines' test 2.7 ms).
 */
const MAX_PLACES_PER_BYTE = 1 / 40;
/** While the lines' test is foreseen to be cheaper, every this many chunks one is searched through its places again. */
export const PROBE_EVERY = 32;
/** The byte frequencies of the log are sampled by pieces of this many bytes, one at each multiple of SAMPLE_STRIDE. */
const SAMPLE_PIECE = 512;
const SAMPLE_STRIDE = 64 * 1024;
/** ... and counted per region of the file of this many bytes (1 KB of counters per 4 MB of log). */
const REGION_BITS = 22;
/** U+212A and U+0130 in UTF-8: lowercased to "k" and to "i" + U+0307. */
const KELVIN_SIGN = Buffer.from([0xe2, 0x84, 0xaa]);
const CAPITAL_I_WITH_DOT = Buffer.from([0xc4, 0xb0]);

/** A-Z folded to a-z, every other byte kept. */
const FOLD = new Uint8Array(256);
for (let b = 0; b < 256; b++) FOLD[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;

const isLowerLetter = (b: number) => b >= 0x61 && b <= 0x7a;

/** The reference test: the alert's bytes decoded and lowercased contain the needle (lowercased already). */
export function lineContains(chunk: Buffer, start: number, end: number, needle: string): boolean {
  return chunk.toString('utf8', start, end).toLowerCase().includes(needle);
}

export type TextSearchMode = 'rarest' | 'bytes' | 'lines' | 'other';

/**
 * Byte frequencies of a log, sampled as it is read (a piece of SAMPLE_PIECE bytes at each multiple of SAMPLE_STRIDE of
 * the file's offsets: 1/128 of the bytes) and kept per region of 4 MB, so that the text search can choose, for each
 * chunk it reads, the needle's character that is rarest in that part of the log.
 */
export class ByteFrequencies {
  private counts = new Uint32Array(256 * 16);
  private regions = 0;

  /** Counts the sample pieces among the bytes [start, end) of `bytes`, which are at `fileOffset` in the file. */
  add(bytes: Uint8Array, start: number, end: number, fileOffset: number): void {
    // The first multiple of the stride at or after fileOffset; each offset of the file is read once, so no piece is
    // counted twice however the file is cut into reads.
    let at = Math.ceil(fileOffset / SAMPLE_STRIDE) * SAMPLE_STRIDE;
    const fileEnd = fileOffset + (end - start);
    for (; at < fileEnd; at += SAMPLE_STRIDE) {
      const region = Math.floor(at / 2 ** REGION_BITS);
      if (region >= this.regions) this.grow(region + 1);
      const base = region * 256;
      const from = start + (at - fileOffset);
      const to = Math.min(end, from + SAMPLE_PIECE);
      const counts = this.counts;
      for (let i = from; i < to; i++) counts[base + bytes[i]]++;
    }
  }

  /** Adds the counts of the regions that the file's bytes [from, to) touch to `into`; returns how many bytes they count. */
  sum(from: number, to: number, into: Uint32Array): number {
    let sampled = 0;
    const last = Math.min(this.regions - 1, Math.floor(Math.max(from, to - 1) / 2 ** REGION_BITS));
    for (let region = Math.floor(from / 2 ** REGION_BITS); region <= last; region++) {
      const base = region * 256;
      for (let b = 0; b < 256; b++) { const n = this.counts[base + b]; into[b] += n; sampled += n; }
    }
    return sampled;
  }

  clear(): void { this.counts.fill(0, 0, this.regions * 256); this.regions = 0; }

  private grow(regions: number): void {
    if (regions * 256 > this.counts.length) {
      const bigger = new Uint32Array(Math.max(regions * 256, this.counts.length * 2));
      bigger.set(this.counts);
      this.counts = bigger;
    }
    this.regions = regions;
  }
}

/** How the alerts holding one text are found, chunk after chunk of the log (see the top of the file). */
export class TextSearch {
  /** The text lowercased. */
  readonly needle: string;
  /** How the needle is found in general; a chunk where even its rarest character is frequent gets 'lines'. */
  private readonly way: TextSearchMode;
  /** How the latest chunk was searched (for tests and measurements). */
  lastMode: TextSearchMode;
  /** Places of the rarest characters looked at so far, over all chunks (for tests and measurements). */
  placesLooked = 0;
  /** The needle's bytes, when it is ASCII. */
  private readonly bytes: Buffer;
  /** The needle holds an "i" or a "k", which U+0130 and U+212A lowercase to. */
  private readonly foldsFromOther: boolean;
  private readonly counts = new Uint32Array(256);
  /** Places looked at per occurrence of the rarest character foreseen, in the latest chunk searched through places. */
  private share: number | undefined;
  /** Chunks given the lines' test in a row. */
  private linesRun = 0;

  constructor(text: string) {
    this.needle = text.toLowerCase();
    let ascii = true;
    let letters = false;
    for (let i = 0; i < this.needle.length; i++) {
      const c = this.needle.charCodeAt(i);
      if (c >= 0x80) ascii = false;
      else if (isLowerLetter(c)) letters = true;
    }
    this.bytes = Buffer.from(ascii ? this.needle : '', 'latin1');
    this.foldsFromOther = /[ik]/.test(this.needle);
    this.way = !ascii ? 'other' : !letters ? 'bytes' : 'rarest';
    this.lastMode = this.way;
  }

  /** How the latest chunk was searched (before any: how chunks are searched when no character is frequent). */
  get mode(): TextSearchMode { return this.lastMode; }

  /**
   * Sets `matches[firstId + i]` to 1 for each alert i < count of a chunk whose text contains the needle: alert i is
   * the bytes [starts[i], ends[i]) of `chunk`, in the file's order, none overlapping; `chunk` ends where the bytes read
   * do. `frequencies` and `fileOffset` (where the chunk is in the file) say which bytes are rare in that part of the
   * log; without them a sample of the chunk itself is counted.
   */
  mark(chunk: Buffer, starts: Int32Array, ends: Int32Array, count: number, matches: Uint8Array, firstId: number,
    frequencies?: ByteFrequencies, fileOffset = 0): void {
    if (count === 0) return;
    this.lastMode = this.way;
    switch (this.way) {
      case 'other':
        // Only an alert with a byte that is not ASCII decodes to a character that is not ASCII.
        if (isAscii(chunk)) return;
        for (let i = 0; i < count; i++) {
          if (!isAscii(chunk.subarray(starts[i], ends[i])) && lineContains(chunk, starts[i], ends[i], this.needle)) matches[firstId + i] = 1;
        }
        return;
      case 'bytes':
        if (this.foldsFromOther && this.holdsOtherFolds(chunk)) break;
        this.placesLooked += markThrough(chunk, this.bytes, 0, this.bytes, starts, ends, count, matches, firstId);
        return;
      default: {
        if (this.foldsFromOther && this.holdsOtherFolds(chunk)) break;
        const counts = this.counts;
        counts.fill(0);
        let sampled = frequencies ? frequencies.sum(fileOffset, fileOffset + chunk.length, counts) : 0;
        if (sampled === 0) { const own = new ByteFrequencies(); own.add(chunk, 0, chunk.length, 0); sampled = own.sum(0, chunk.length, counts); }
        let rarest = 0;
        let fewest = Infinity;
        for (let k = 0; k < this.bytes.length; k++) {
          const b = this.bytes[k];
          const n = counts[b] + (isLowerLetter(b) ? counts[b - 0x20] : 0);
          if (n < fewest) { fewest = n; rarest = k; }
        }
        const foreseen = (fewest / sampled) * chunk.length;
        if (this.share !== undefined && foreseen * this.share > chunk.length * MAX_PLACES_PER_BYTE && ++this.linesRun < PROBE_EVERY) break;
        this.linesRun = 0;
        const b = this.bytes[rarest];
        let places = markThrough(chunk, b, rarest, this.bytes, starts, ends, count, matches, firstId);
        if (isLowerLetter(b)) places += markThrough(chunk, b - 0x20, rarest, this.bytes, starts, ends, count, matches, firstId);
        this.placesLooked += places;
        this.share = places / Math.max(1, foreseen);
        return;
      }
    }
    this.lastMode = 'lines';
    for (let i = 0; i < count; i++) if (lineContains(chunk, starts[i], ends[i], this.needle)) matches[firstId + i] = 1;
  }

  /** The chunk holds U+0130 or U+212A, whose lowercase holds an "i" or a "k". */
  private holdsOtherFolds(chunk: Buffer): boolean {
    return !isAscii(chunk) && (chunk.indexOf(KELVIN_SIGN) >= 0 || chunk.indexOf(CAPITAL_I_WITH_DOT) >= 0);
  }
}

/**
 * Marks the alerts not marked yet in which `needle` (lowercase ASCII) occurs with A-Z folded, with its byte at
 * `anchor` at a place of `pattern`; returns how many places were looked at.
 */
function markThrough(chunk: Buffer, pattern: number | Buffer, anchor: number, needle: Buffer, starts: Int32Array, ends: Int32Array, count: number, matches: Uint8Array, firstId: number): number {
  const m = needle.length;
  let i = 0;
  let places = 0;
  let place = chunk.indexOf(pattern, starts[0] + anchor);
  while (place >= 0) {
    places++;
    const at = place - anchor;
    // The alerts that end before this occurrence would, or that are marked already, are done with.
    while (i < count && (ends[i] < at + m || matches[firstId + i] === 1)) i++;
    if (i >= count) break;
    if (at >= starts[i]) {
      let n = 0;
      while (n < m && FOLD[chunk[at + n]] === needle[n]) n++;
      if (n === m) {
        matches[firstId + i] = 1;
        if (++i >= count) break;
      }
    }
    // The next place that may be in an alert not marked yet.
    place = chunk.indexOf(pattern, Math.max(place + 1, starts[i] + anchor));
  }
  return places;
}
