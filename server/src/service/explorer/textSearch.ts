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
//   of the needle's rarest character in the log's first chunk, in both cases for a letter. When a chunk has so many
//   that looking at them costs more than the lines' test would have (more than one place per 32 bytes: a needle of
//   frequent letters only, such as "root"), the next chunks get that test.
// - A needle that is not ASCII can only occur in an alert whose bytes are not all ASCII: the others are skipped, and
//   the rest get the lines' test.
import { isAscii } from 'node:buffer';

/**
 * Places looked at per byte of a chunk over which the lines' test is cheaper (each place costs a call of
 * Buffer.indexOf and a comparison, 15-40 ns; the lines' test about 1 ns per byte).
 */
const MAX_PLACES_PER_BYTE = 1 / 32;
/** Bytes of the log counted to choose the places to go through. */
const SAMPLE_BYTES = 256 * 1024;
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

/** Places of `pattern` in a chunk, where the needle's byte at `anchor` may be. */
interface Pass { pattern: number | Buffer; anchor: number }

export type TextSearchMode = 'rarest' | 'bytes' | 'lines' | 'other';

/** How the alerts holding one text are found, chunk after chunk of the log (see the top of the file). */
export class TextSearch {
  /** The text lowercased. */
  readonly needle: string;
  private way: TextSearchMode;
  /** The needle's bytes, when it is ASCII. */
  private readonly bytes: Buffer;
  private readonly passes: Pass[] = [];
  /** The needle holds an "i" or a "k", which U+0130 and U+212A lowercase to. */
  private readonly foldsFromOther: boolean;

  /** `sample`: the first bytes of the log the search reads, in which the bytes' frequencies are counted. */
  constructor(text: string, sample: Uint8Array) {
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
    if (!ascii) { this.way = 'other'; return; }
    if (!letters) { this.way = 'bytes'; this.passes.push({ pattern: this.bytes, anchor: 0 }); return; }
    this.way = 'rarest';
    const counts = new Uint32Array(256);
    const length = Math.min(sample.length, SAMPLE_BYTES);
    for (let i = 0; i < length; i++) counts[sample[i]]++;
    let rarest = 0;
    let fewest = Infinity;
    for (let k = 0; k < this.bytes.length; k++) {
      const b = this.bytes[k];
      const n = counts[b] + (isLowerLetter(b) ? counts[b - 0x20] : 0);
      if (n < fewest) { fewest = n; rarest = k; }
    }
    const b = this.bytes[rarest];
    this.passes.push({ pattern: b, anchor: rarest });
    if (isLowerLetter(b)) this.passes.push({ pattern: b - 0x20, anchor: rarest });
  }

  /** How the next chunk will be searched (for tests). */
  get mode(): TextSearchMode { return this.way; }

  /**
   * Sets `matches[firstId + i]` to 1 for each alert i < count of a chunk whose text contains the needle: alert i is
   * the bytes [starts[i], ends[i]) of `chunk`, in the file's order, none overlapping; `chunk` ends where the bytes read
   * do. Places that turn out too many in a chunk give way to the lines' test for the next chunks.
   */
  mark(chunk: Buffer, starts: Int32Array, ends: Int32Array, count: number, matches: Uint8Array, firstId: number): void {
    if (count === 0) return;
    switch (this.way) {
      case 'other':
        // Only an alert with a byte that is not ASCII decodes to a character that is not ASCII.
        if (isAscii(chunk)) return;
        for (let i = 0; i < count; i++) {
          if (!isAscii(chunk.subarray(starts[i], ends[i])) && lineContains(chunk, starts[i], ends[i], this.needle)) matches[firstId + i] = 1;
        }
        return;
      case 'lines':
        break;
      default: {
        if (this.foldsFromOther && !isAscii(chunk) && (chunk.indexOf(KELVIN_SIGN) >= 0 || chunk.indexOf(CAPITAL_I_WITH_DOT) >= 0)) break;
        let places = 0;
        for (const pass of this.passes) places += markThrough(chunk, pass, this.bytes, starts, ends, count, matches, firstId);
        if (places > chunk.length * MAX_PLACES_PER_BYTE) this.way = 'lines';
        return;
      }
    }
    for (let i = 0; i < count; i++) if (lineContains(chunk, starts[i], ends[i], this.needle)) matches[firstId + i] = 1;
  }
}

/**
 * Marks the alerts not marked yet in which `needle` (lowercase ASCII) occurs with A-Z folded, with its byte at the
 * pass's anchor at a place of the pass's pattern; returns how many places were looked at.
 */
function markThrough(chunk: Buffer, pass: Pass, needle: Buffer, starts: Int32Array, ends: Int32Array, count: number, matches: Uint8Array, firstId: number): number {
  const { pattern, anchor } = pass;
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
