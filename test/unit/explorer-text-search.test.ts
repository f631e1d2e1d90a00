// The Explorer's text filter searches the log's bytes (textSearch.ts) instead of decoding and lowercasing every alert.
// Its answers must be those of the test it replaced, which each alert got until session 9: the alert's bytes (its
// line or joined lines as stored, with a CRLF line's carriage return) decoded as UTF-8, lowercased, and searched for
// the filter's text lowercased (`lineContains`). These tests compare the two on seeded random logs and needles: JSON
// and text alerts with mixed case, JSON escapes (\" \\ \u00e9), characters whose lowercase changes length or is ASCII
// (U+0130, U+212A), other scripts, emoji, bytes that are not UTF-8, CRLF lines and alerts over two CRI lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore, type ByteSource } from '../../server/src/service/explorer/alertStore';
import { PROBE_EVERY, TextSearch, lineContains } from '../../server/src/service/explorer/textSearch';

class MemorySource implements ByteSource {
  constructor(readonly data: Buffer) {}
  size(): number { return this.data.length; }
  read(buffer: Buffer, offset: number, length: number, position: number): number {
    return this.data.copy(buffer, offset, position, Math.min(this.data.length, position + length));
  }
}

/** A small seeded generator (xorshift32), so that a failure can be replayed. */
class Random {
  constructor(private state: number) {}
  next(): number {
    let x = this.state;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)]; }
  chance(p: number): boolean { return this.next() < p; }
}

const bytes = (...b: number[]) => Buffer.from(b);
/**
 * Pieces of alert text as bytes, each valid inside a JSON string: words in mixed case, JSON escapes, characters that
 * lowercase to ASCII (U+0130 İ, U+212A KELVIN SIGN) or to more characters, final sigma, other scripts, emoji, and bytes
 * that are not UTF-8 (a lone continuation byte, a cut sequence, an encoded surrogate, 0xff).
 */
const PIECES: Buffer[] = [
  'shadow', 'Shadow', 'SHADOW', 'root', 'ROOT', 'k8s', 'K8S', 'nginx', 'curl', '/etc/passwd', '/ETC/Shadow', 'bash', 'Bash',
  'kube-system', 'container_id=', 'a', 'e', 'i', 'I', 'k', 'K', 's', 'S', 'x', 'q', ' ', ' ', ' ', '=', ':', '.', '/', '-', '_',
  '0', '7', '42', '172.16.', 'evt.type=openat', 'proc.name=CAT',
  '\\"', '\\\\', '\\u00e9', '\\u00C9', '\\u0130', '\\u212a', '\\n', '\\t',
  'é', 'É', 'caf\u00e9', 'CAF\u00c9', 'ß', 'ẞ', 'STRASSE', 'straße', 'İ', 'ı', 'İstanbul', '\u212a', '\u212aelvin', 'Σ', 'ΟΔΟΣ', 'σ', 'ς',
  '日本語', 'ğ', 'Ğ', '\u{1F600}', '\u{10400}', '\ufffd', 'ǅ', 'ﬀ',
].map((s) => Buffer.from(s, 'utf8')).concat([bytes(0xff), bytes(0x80), bytes(0xc3), bytes(0xe2, 0x84), bytes(0xed, 0xa0, 0x80), bytes(0xc4), bytes(0xe2, 0x84, 0x41)]);
/** Pieces only plain-text alerts carry (not valid inside a JSON string as they are). */
const TEXT_ONLY: Buffer[] = ['"', '\\', '\t', '"quoted"'].map((s) => Buffer.from(s));

function content(random: Random, text: boolean): Buffer {
  const parts: Buffer[] = [];
  const n = 3 + random.int(25);
  for (let i = 0; i < n; i++) parts.push(text && random.chance(0.1) ? random.pick(TEXT_ONLY) : random.pick(PIECES));
  return Buffer.concat(parts);
}

const PRIORITIES = ['Critical', 'Warning', 'Notice', 'Error'];

/** One alert (one line, or two CRI lines) and sometimes a line that is not one. */
function alertLines(random: Random, i: number): Buffer {
  const clock = `${String(10 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.${String(i).padStart(9, '0')}`;
  const priority = random.pick(PRIORITIES);
  const eol = random.chance(0.2) ? '\r\n' : '\n';
  const kind = random.int(10);
  if (kind < 4) return Buffer.concat([Buffer.from(`${clock}: ${priority} `), content(random, true), Buffer.from(eol)]);
  const json = Buffer.concat([
    Buffer.from(`{"hostname":"node-${i % 3}","output":"${clock}: ${priority} `), content(random, false),
    Buffer.from(`","output_fields":{"proc.name":"`), content(random, false),
    Buffer.from(`"},"priority":"${priority}","rule":"Rule ${i % 5}","source":"syscall","tags":[],"time":"2026-03-02T${clock}Z"}`),
  ]);
  if (kind === 9 && json.length > 60) {
    // A payload over two CRI lines: the alert's bytes are both lines, the second one's prefix included.
    const cut = 20 + random.int(json.length - 40);
    return Buffer.concat([Buffer.from('2026-03-02T09:00:00.1Z stdout P '), json.subarray(0, cut), Buffer.from(eol), Buffer.from('2026-03-02T09:00:00.1Z stdout F '), json.subarray(cut), Buffer.from(eol)]);
  }
  const line = Buffer.concat([json, Buffer.from(eol)]);
  return kind === 8 ? Buffer.concat([Buffer.from(`Mon Mar  2 08:00:01 2026: Falco version: 0.44.0 ${'(x86_64)'}${eol}`), line]) : line;
}

/** Needles: pieces of alerts with their case changed, pieces as they are, short frequent strings, special ones. */
function needle(random: Random, alerts: string[]): string {
  const kind = random.int(4);
  if (kind === 0) {
    const text = random.pick(alerts);
    const start = random.int(text.length);
    const piece = text.slice(start, start + 1 + random.int(12));
    let changed = '';
    for (const ch of piece) changed += random.chance(0.3) ? ch.toUpperCase() : random.chance(0.4) ? ch.toLowerCase() : ch;
    return changed;
  }
  if (kind === 1) return random.pick(PIECES).toString('utf8');
  if (kind === 2) { let s = ''; const n = 1 + random.int(3); for (let i = 0; i < n; i++) s += random.pick(['a', 'e', 'o', 's', 'T', ' ', '"', ':', 'I', 'K']); return s; }
  return random.pick(['\\"', '\\u00e9', '\\u00E9', 'é', 'É', 'İ', 'i̇', 'ı', 'k', 'K', '\u212a', 'KELVIN', 'ss', 'SS', 'ß', 'σ', 'ς', 'Σ', '\ufffd',
    '\r', '\n', '\r\n', ' ', '"', 'stdout f', 'STDOUT P', '{"hostname"', '0130', 'i', 'I', 'x'.repeat(40), '日本', '\u{1F600}', 'straße', 'STRASSE']);
}

test('of all characters that are not ASCII, only U+0130 and U+212A lowercase to something holding ASCII', () => {
  const found: number[] = [];
  for (let c = 0x80; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const lower = String.fromCodePoint(c).toLowerCase();
    for (let i = 0; i < lower.length; i++) if (lower.charCodeAt(i) < 0x80) { found.push(c); break; }
  }
  assert.deepEqual(found, [0x130, 0x212a]);
  for (let c = 0; c < 0x80; c++) {
    const ch = String.fromCharCode(c);
    assert.equal(ch.toLowerCase(), c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : ch);
  }
});

test('the bytes search marks exactly the alerts the lines\' test marks (random chunks, spans and needles)', () => {
  const random = new Random(0x5eed1);
  const modes = new Set<string>();
  for (let round = 0; round < 400; round++) {
    const parts: Buffer[] = [];
    const spans: [number, number][] = [];
    let at = 0;
    const count = 1 + random.int(40);
    for (let i = 0; i < count; i++) {
      const gap = random.chance(0.3) ? content(random, true) : Buffer.alloc(0);
      const body = content(random, random.chance(0.5));
      parts.push(gap, body);
      spans.push([at + gap.length, at + gap.length + body.length]);
      at += gap.length + body.length;
      if (random.chance(0.5)) { parts.push(Buffer.from('\n')); at++; }
    }
    const chunk = Buffer.concat(parts);
    const starts = Int32Array.from(spans.map((s) => s[0]));
    const ends = Int32Array.from(spans.map((s) => s[1]));
    const texts = spans.map(([s, e]) => chunk.toString('utf8', s, e));
    for (let k = 0; k < 8; k++) {
      const text = needle(random, texts);
      if (!text) continue;
      const search = new TextSearch(text);
      const matches = new Uint8Array(count + 3);
      search.mark(chunk, starts, ends, count, matches, 3);
      modes.add(search.mode);
      for (let i = 0; i < count; i++) {
        assert.equal(matches[3 + i], lineContains(chunk, starts[i], ends[i], text.toLowerCase()) ? 1 : 0,
          `round ${round}: ${JSON.stringify(text)} in ${JSON.stringify(texts[i])} (${search.mode})`);
      }
      assert.deepEqual([...matches.subarray(0, 3)], [0, 0, 0], 'nothing before the first id');
    }
  }
  assert.deepEqual([...modes].sort(), ['bytes', 'lines', 'other', 'rarest']);
});

/** The starts and ends of the lines of a chunk. */
function lineSpans(chunk: Buffer): { starts: Int32Array; ends: Int32Array } {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at < chunk.length;) {
    const end = chunk.indexOf(10, at) < 0 ? chunk.length : chunk.indexOf(10, at);
    starts.push(at); ends.push(end); at = end + 1;
  }
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

test('places too many in a chunk give way to the lines\' test while they would be as many, with the same answers', () => {
  // "z" and "o" are both in most bytes: looking at their places costs more than the lines' test.
  const dense = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? 'zoo ZOO Zoo' : 'zozozozo oz zz oo')).join('\n'));
  const { starts, ends } = lineSpans(dense);
  const sparse = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 50 === 0 ? 'a zoo here' : 'nothing to see')).join('\n'));
  const spans = lineSpans(sparse);
  const search = new TextSearch('zOo');
  const modes: string[] = [];
  const places: number[] = [];
  for (const [chunk, s, e] of [[dense, starts, ends], [dense, starts, ends], [sparse, spans.starts, spans.ends], ...Array(PROBE_EVERY + 1).fill([dense, starts, ends])] as [Buffer, Int32Array, Int32Array][]) {
    const before = search.placesLooked;
    const matches = new Uint8Array(s.length);
    search.mark(chunk, s, e, s.length, matches, 0);
    modes.push(search.mode);
    places.push(search.placesLooked - before);
    assert.deepEqual([...matches], [...s].map((start, i) => (lineContains(chunk, start, e[i], 'zoo') ? 1 : 0)));
  }
  // The first dense chunk through its places, the second with the lines' test; the sparse one through its places
  // (few are foreseen there); the dense ones after it with the lines' test (many are foreseen), and the PROBE_EVERY-th of them
  // in a row through its places once more.
  assert.deepEqual(modes, ['rarest', 'lines', 'rarest', ...Array(PROBE_EVERY - 1).fill('lines'), 'rarest', 'lines']);
  assert.ok(places[0] > dense.length / 32, `${places[0]} places in ${dense.length} bytes`);
});

test('the store\'s text filter looks for what is rare in each part of the log, not in its first chunk only', () => {
  // The first 5 MB come from hosts "zulu-*" (a "z" in every line, no "q"); the next 10 MB from hosts "quebec-*" running
  // images of quay.io (many a "q" in every line, a "z" in one line of 500). "zq" chosen from the first chunk would be
  // looked for through the places of "q", more than one per 32 bytes in each later chunk: the lines' test for them.
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 15 * 1024 * 1024; i++) {
    const later = size >= 5 * 1024 * 1024;
    const host = later ? `quebec-${i % 7}` : `zulu-${i % 7}`;
    const image = later ? 'quay.io/quarkus/quarkus-quinoa-queue:q1-quick' : 'docker.io/library/alpine:3';
    const proc = later && i % 500 === 0 ? 'xyzqx' : 'bash';
    const line = `{"hostname":"${host}","output":"10:00:00.000000000: Warning Shell spawned (user=root process=${proc} image=${image})","priority":"Warning","rule":"Terminal shell in container","source":"syscall"}\n`;
    parts.push(line);
    size += line.length;
  }
  const q = parts.slice(-100).join('').split('q').length - 1;
  assert.ok(q > parts.slice(-100).join('').length / 32, 'more than one "q" per 32 bytes in the later part');
  const log = Buffer.from(parts.join(''));
  const store = new AlertStore(new MemorySource(log));
  while (!store.indexMore()) { /* to the end */ }
  const want: number[] = [];
  for (let id = 0; id < store.total; id++) {
    const { offset, length } = store.byteSpan(id);
    if (log.toString('latin1', offset, offset + length).toLowerCase().includes('zq')) want.push(id);
  }
  assert.ok(want.length > 50, `${want.length} alerts hold "zq"`);
  assert.deepEqual(store.latestMatching(undefined, undefined, { text: 'ZQ' }, store.total).ids, want);
  const search = (store as unknown as { textScan: { search: TextSearch } }).textScan.search;
  assert.equal(search.mode, 'rarest', 'the last chunk is searched through its rare "z"');
  // Places of "z" in the "quebec" part: the hosts' only "z" is in the matching alerts; places of "z" and "Z" in the
  // "zulu" part: each line's one, as the store skips to the next alert after a match.
  assert.ok(search.placesLooked < store.total, `${search.placesLooked} places looked at for ${store.total} alerts`);
});

test('U+0130 and U+212A in a chunk: an "i" or a "k" of the needle is found in them, as lowercasing does', () => {
  const chunk = Buffer.from('a \u212aube b\nc İnit d\ne Kube f\ng init h\nno match', 'utf8');
  const spans = chunk.toString('latin1').split('\n');
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const s of spans) { starts.push(at); ends.push(at + s.length); at += s.length + 1; }
  // "İnit" lowercases to "i\u0307nit": "c i" is in it, "init" is not.
  for (const [text, expected] of [['kube', [1, 0, 1, 0, 0]], ['\u212aUBE', [1, 0, 1, 0, 0]], ['C I', [0, 1, 0, 0, 0]], ['INIT', [0, 0, 0, 1, 0]], ['i̇nit', [0, 1, 0, 0, 0]]] as const) {
    const matches = new Uint8Array(starts.length);
    new TextSearch(text).mark(chunk, Int32Array.from(starts), Int32Array.from(ends), starts.length, matches, 0);
    assert.deepEqual([...matches], expected, text);
    assert.deepEqual([...matches], starts.map((s, i) => (lineContains(chunk, s, ends[i], text.toLowerCase()) ? 1 : 0)), text);
  }
});

test('the store\'s text filter equals the lines\' test on every alert of a random log of several chunks', () => {
  const random = new Random(0xa1e27);
  const parts: Buffer[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const lines = alertLines(random, i);
    parts.push(lines);
    size += lines.length;
  }
  const log = Buffer.concat(parts);
  const store = new AlertStore(new MemorySource(log));
  while (!store.indexMore()) { /* to the end */ }
  assert.ok(store.total > 10_000, `${store.total} alerts indexed`);
  const texts: string[] = [];
  for (let id = 0; id < store.total; id++) {
    const { offset, length } = store.byteSpan(id);
    texts.push(log.toString('utf8', offset, offset + length));
  }
  const lowered = texts.map((t) => t.toLowerCase());
  const seen = new Set<string>();
  for (let k = 0; k < 60; k++) {
    const text = needle(random, texts);
    if (!text || seen.has(text)) continue;
    seen.add(text);
    const got = store.latestMatching(undefined, undefined, { text }, store.total).ids;
    const want: number[] = [];
    const lower = text.toLowerCase();
    for (let id = 0; id < lowered.length; id++) if (lowered[id].includes(lower)) want.push(id);
    assert.deepEqual(got, want, `${JSON.stringify(text)}: ${got.length} found, ${want.length} expected`);
  }
});
