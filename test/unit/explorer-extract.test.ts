// The Alert Explorer's per-line extraction (server/src/service/explorer/extract.ts) scans characters instead of
// running regexes: each function must give exactly what the regex form it replaced gives. The regex forms are kept
// here as the reference, and compared on every line of the alert fixtures and the corpus alert samples, on seeded
// mutations of those lines, and on seeded random lines built from the pieces each regex reacts to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AlertTimeParser, containerOf, escapedOutputFingerprintOfBytes, jsonOutput, jsonOutputSpan, outputFingerprint, outputFingerprintOfBytes,
  timePrefixLength,
} from '../../server/src/service/explorer/extract';
import { FIXTURES } from '../fixtures/alerts/helpers';
import { NASTY_PIECES, Random, corpusFiles } from '../fixtures/hardening/random';

// ---- the regex forms (the store's code before the scanners replaced them)

const OUTPUT_MEMBER = /"output"\s*:\s*"((?:[^"\\]|\\.)*)"/;
function jsonOutputByRegex(text: string): string {
  const m = OUTPUT_MEMBER.exec(text);
  if (!m) return '';
  try { return JSON.parse(`"${m[1]}"`) as string; } catch { return m[1]; }
}
const TIME_PREFIX = /^(?:\d{2}:\d{2}:\d{2}\.\d+|\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?): \S+ /;
const stripTimesByRegex = (output: string) => output.replace(TIME_PREFIX, '').replace(/\b\d{16,19}\b/g, '#');
const CONTAINER = /container_name=([^\s)]+)|"container\.name"\s*:\s*"((?:[^"\\]|\\.)*)"/;
function containerByRegex(text: string): string | undefined {
  const m = CONTAINER.exec(text);
  if (!m) return undefined;
  const value = m[1] ?? m[2];
  return value === '<NA>' ? undefined : value;
}

/**
 * The reference fingerprint: MurmurHash3 (x86, 32-bit) of the normalized output as bytes, a character below 0x80 as
 * its byte and any other as 0xFF, low byte, high byte. Written from the algorithm's description, block by block.
 */
function murmur3OfText(text: string, seed: number): number {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes.push(c); else bytes.push(0xff, c & 0xff, c >>> 8);
  }
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  const scramble = (k: number) => Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  let h = seed | 0;
  const blocks = bytes.length - (bytes.length % 4);
  for (let i = 0; i < blocks; i += 4) {
    h ^= scramble(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  for (let i = bytes.length - 1; i >= blocks; i--) tail = (tail << 8) | bytes[i];
  if (bytes.length > blocks) h ^= scramble(tail);
  h ^= bytes.length;
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

function parseTimeByRegex(time: string | undefined): number {
  if (!time || time.length < 11 || time.charCodeAt(4) !== 45 /* - */) return NaN;
  return Date.parse(time.replace(/(\.\d{3})\d+/, '$1').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

// ---- inputs

function sampleLines(): string[] {
  const files = [
    ...fs.readdirSync(FIXTURES).filter((n) => /\.(log|json)$/.test(n)).sort().map((n) => path.join(FIXTURES, n)),
    ...corpusFiles('alerts', /\.(jsonl?|txt|log)$/),
  ];
  return files.flatMap((f) => fs.readFileSync(f, 'utf8').split(/\r?\n/)).filter((l) => l !== '');
}

/** Pieces the regexes react to: keys, separators, quotes and escapes, digit runs around 16-19, spaces of every kind. */
const PIECES: readonly string[] = [
  '"output"', '"output":', '"output": "', '"output"\u00a0:\u2003"', '"container.name"', '"container.name":"', '"container.name" : "',
  'container_name=', 'container_name=)', 'container_name= ', '<NA>', '"<NA>"', '"', '\\"', '\\\\', '\\', '\\n', '\\u0041', '\\x',
  ':', ' ', '\t', '\u00a0', '\u2028', '\u3000', '\ufeff', ')', '(', '_', 'a', 'Z', '.', '-', '+', '#', '{', '}', ',', '12:34:56.789: Warning ',
  '2024-06-10T14:47:07.118224033Z: Notice ', '2024-06-10T14:47:07+0000: Error ', '2024-06-10T14:47:07.1+02:00: x ', '2024-06-10T12:00:00:: y ',
  '1718030713552380417', '171803071355238041', '17180307135523804', '1718030713552380', '171803071355238', '17180307135523804170',
  '1718030713552380417x', '_1718030713552380417', '12', '2024', 'é', '😀', '\u0000',
];

function randomPieceLine(random: Random): string {
  let line = '';
  for (let n = 1 + random.int(14); n > 0; n--) line += random.next() < 0.9 ? random.pick(PIECES) : random.pick(NASTY_PIECES);
  return line;
}

function mutate(random: Random, line: string): string {
  const roll = random.next();
  const at = random.int(line.length + 1);
  if (roll < 0.3) return line.slice(0, at) + random.pick(PIECES) + line.slice(at);
  if (roll < 0.5) return line.slice(0, at);
  if (roll < 0.7) return line.slice(0, at) + line.slice(Math.min(line.length, at + 1 + random.int(8)));
  if (roll < 0.85) return line.replace(/\d{6}/, (d) => d + random.pick(['1234567890123', '', '0']));
  return line.slice(0, at) + random.pick(NASTY_PIECES) + line.slice(at);
}

function inputs(seed: number, count: number): string[] {
  const random = new Random(seed);
  const samples = sampleLines();
  const out = [...samples];
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    if (roll < 0.5) out.push(mutate(random, random.pick(samples)));
    else if (roll < 0.8) out.push(randomPieceLine(random));
    else out.push(mutate(random, mutate(random, random.pick(samples))));
  }
  return out;
}

// ---- the checks

/** The fingerprint of an output, computed from a line both ways: the regex strings hashed, and the scanner in place. */
function checkFingerprints(text: string, start: number, end: number, seed: number): void {
  const output = text.slice(start, end);
  const expected = murmur3OfText(stripTimesByRegex(output), seed);
  assert.equal(outputFingerprint(text, start, end, seed), expected, `fingerprint of ${JSON.stringify(output)}`);
  const prefix = TIME_PREFIX.exec(output);
  assert.equal(timePrefixLength(text, start, end), prefix ? prefix[0].length : 0, `time prefix of ${JSON.stringify(output)}`);
  // The byte form, where the line decodes to one character per byte at the same offsets (ASCII lines).
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === text.length) {
    const fromBytes = outputFingerprintOfBytes(text, bytes, 0, start, end, seed);
    if (fromBytes !== -1) assert.equal(fromBytes, expected, `fingerprint from bytes of ${JSON.stringify(output)}`);
  }
}

test('JSON output, container and fingerprint equal their regex forms on the alert samples and 40,000 seeded lines (seed 6061)', () => {
  const lines = inputs(6061, 40_000);
  assert.ok(lines.length > 40_100, `${lines.length} lines`);
  let outputs = 0;
  let containers = 0;
  let escapedFromBytes = 0;
  for (const line of lines) {
    const output = jsonOutput(line);
    assert.equal(output, jsonOutputByRegex(line), `output of ${JSON.stringify(line)}`);
    const span = jsonOutputSpan(line);
    assert.equal(span === undefined, OUTPUT_MEMBER.exec(line) === null);
    if (span) {
      outputs++;
      assert.equal(line.slice(span.start, span.end), OUTPUT_MEMBER.exec(line)![1]);
      assert.equal(span.escaped, line.slice(span.start, span.end).includes('\\'));
      if (!span.escaped) checkFingerprints(line, span.start, span.end, 17);
      else {
        // The store's path for escaped outputs of ASCII lines.
        const bytes = Buffer.from(line, 'utf8');
        if (bytes.length === line.length) {
          const print = escapedOutputFingerprintOfBytes(bytes, span.start, span.end, 17);
          assert.equal(print, expectedEscapedPrint(line.slice(span.start, span.end), 17), `escaped output of ${JSON.stringify(line)}`);
          if (print >= 0) { escapedFromBytes++; assert.equal(print, murmur3OfText(stripTimesByRegex(output), 17)); }
        }
      }
    }
    checkFingerprints(output, 0, output.length, 5);
    checkFingerprints(line, 0, line.length, 0x811c9dc5);
    const container = containerOf(line);
    assert.equal(container, containerByRegex(line), `container of ${JSON.stringify(line)}`);
    // Told where the output's body is, it searches less and finds the same.
    if (span) assert.equal(containerOf(line, span), container, `container of ${JSON.stringify(line)} with its output span`);
    if (container !== undefined) containers++;
  }
  // The inputs reach every path.
  assert.ok(outputs > 5_000 && containers > 5_000 && escapedFromBytes > 500, `${outputs} outputs, ${containers} containers, ${escapedFromBytes} escaped outputs from bytes`);
});

/** What the escaped-output byte path must give for a JSON string body: the fingerprint of its decoded string, or -1
 *  exactly when the body is not ASCII, is not a valid JSON string body, or decodes to a non-ASCII character. */
function expectedEscapedPrint(body: string, seed: number): number {
  if (!/^[\x00-\x7f]*$/.test(body)) return -1;
  let decoded: string;
  try { decoded = JSON.parse(`"${body}"`) as string; } catch { return -1; }
  if (!/^[\x00-\x7f]*$/.test(decoded)) return -1;
  return murmur3OfText(stripTimesByRegex(decoded), seed);
}

/** Pieces of a JSON string body: every escape, valid and not, raw control characters, stamps and time prefixes. */
const BODY_PIECES: readonly string[] = [
  '\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u0041', '\\u0031', '\\u007f', '\\u0080', '\\u00e9', '\\u20AC', '\\uD83D',
  '\\uabcd', '\\u12', '\\u12g4', '\\x', '\\a', '\\', '\u0001', '\u001f', '\u007f', 'é', ' ', 'a', '=', '(', ')', '1718030713552380417', '171803071355238041',
  '12:34:56.789: Warning ', '2024-06-10T14:47:07.118224033Z: Notice ', 'command=sh -c ', 'x_', '0',
];

test('escaped JSON outputs fingerprinted from bytes equal the fingerprint of the decoded output; anything else hands over (seed 909)', () => {
  const random = new Random(909);
  let fast = 0;
  let handedOver = 0;
  for (let i = 0; i < 30_000; i++) {
    let body = '';
    for (let n = 1 + random.int(12); n > 0; n--) body += random.pick(BODY_PIECES);
    // The body as the store gets it: the span of the line's output string (a lone backslash may end it early).
    const line = `{"output":"${body}"}`;
    const span = jsonOutputSpan(line);
    const bytes = Buffer.from(line, 'utf8');
    if (!span || bytes.length !== line.length) continue;
    const print = escapedOutputFingerprintOfBytes(bytes, span.start, span.end, 21);
    assert.equal(print, expectedEscapedPrint(line.slice(span.start, span.end), 21), JSON.stringify(body));
    if (print >= 0) fast++; else handedOver++;
  }
  assert.ok(fast > 3_000 && handedOver > 3_000, `${fast} from bytes, ${handedOver} handed over`);
  // A body longer than the scratch buffer hands over too.
  const long = Buffer.from('\\"x'.repeat(30_000), 'latin1');
  assert.equal(escapedOutputFingerprintOfBytes(long, 0, long.length, 1), -1);
  assert.notEqual(escapedOutputFingerprintOfBytes(long, 0, 60_000, 1), -1);
});

test('fingerprints from bytes take two words a step only where no stamp can start: every place of a stamp and of digit runs around it, at every offset of the line', () => {
  // The byte path mixes eight bytes a step unless the step's second word or the word after it is all digits: a
  // stamp (16 to 19 digits, a whole word) starting anywhere in the step covers one of them. Every place of a stamp
  // within the first steps, after every kind of character, with shorter digit runs (ports, ids) before and after
  // it, and at every alignment of the output in the buffer, must give the reference fingerprint.
  const befores = ['', 'a', '=', '_', '9', ' ', 'port=4444 ', 'id=123456789012345 ', 'n=12345678 '];
  const afters = ['', ' ', 'x', '_', ' rport=80', ' pid=12345678 uid=0', ')', ' 1718030713552380417'];
  const stamps = ['171803071355238', '1718030713552380', '17180307135523804', '171803071355238041', '1718030713552380417', '17180307135523804170'];
  let checked = 0;
  let stampsFolded = 0;
  for (let lead = 0; lead < 12; lead++) {
    for (const before of befores) {
      for (const stamp of stamps) {
        for (const after of afters) {
          const output = `${'abcdefghijkl'.slice(0, lead)}${before}${stamp}${after} tail=ok`;
          const expected = murmur3OfText(stripTimesByRegex(output), 23);
          if (stripTimesByRegex(output) !== output) stampsFolded++;
          for (let align = 0; align < 4; align++) {
            const bytes = Buffer.from(`${'*'.repeat(align)}${output}`, 'latin1');
            assert.equal(outputFingerprintOfBytes(output, bytes, align, 0, output.length, 23), expected, `${JSON.stringify(output)} at ${align}`);
            checked++;
          }
        }
      }
    }
  }
  assert.ok(checked > 10_000 && stampsFolded > 1_500, `${checked} checked, ${stampsFolded} with a stamp`);
  // A byte of 0x80 or more anywhere in a two-word step hands over to the character path.
  for (let at = 0; at < 24; at++) {
    const bytes = Buffer.from('abcdefghijklmnopqrstuvwxyz0123', 'latin1');
    bytes[at] = 0xe9;
    assert.equal(outputFingerprintOfBytes(bytes.toString('latin1'), bytes, 0, 0, bytes.length, 1), -1, `non-ASCII at ${at}`);
  }
});

test('the container is the first container_name= with a value, also where other keys end in _name= or the line starts with it', () => {
  for (const line of [
    'container_name=web', 'k8s_pod_name=p container_name=web', 'a_name= container_name=) container_name=db', 'proc_name=x k8s_ns_name=y',
    'xcontainer_name=web', 'container_name=<NA> container_name=web', 'container_name= "container.name":"json"', '_name=container_name=z',
    '{"container.name":"first","output":"x container_name=second"}', 'ontainer_name=no', 'container_nam=no container_name=yes',
  ]) {
    assert.equal(containerOf(line), containerByRegex(line), JSON.stringify(line));
    const span = jsonOutputSpan(line);
    if (span) assert.equal(containerOf(line, span), containerByRegex(line), JSON.stringify(line));
  }
});

test('fingerprints from bytes equal those from characters on ASCII text; a non-ASCII byte hands over (seed 5)', () => {
  const random = new Random(5);
  for (let i = 0; i < 20_000; i++) {
    const text = randomPieceLine(random);
    const bytes = Buffer.from(`xyz${text}`, 'utf8');
    const start = random.int(text.length + 1);
    const end = start + random.int(text.length - start + 1);
    const fromBytes = bytes.length === text.length + 3 ? outputFingerprintOfBytes(text, bytes, 3, start, end, 99) : -2;
    const ascii = /^[\x00-\x7f]*$/.test(text.slice(start, end));
    if (fromBytes === -2) continue;
    if (ascii) assert.equal(fromBytes, outputFingerprint(text, start, end, 99), JSON.stringify(text.slice(start, end)));
    else assert.equal(fromBytes, -1);
  }
});

test('the reference fingerprint is MurmurHash3: published test vectors', () => {
  assert.equal(murmur3OfText('', 0), 0);
  assert.equal(murmur3OfText('', 1), 0x514e28b7);
  assert.equal(murmur3OfText('', 0xffffffff), 0x81f16f39);
  assert.equal(murmur3OfText('aaaa', 0x9747b28c), 0x5a97808a);
  assert.equal(murmur3OfText('Hello, world!', 1234), 0xfaf6cdb3);
  assert.equal(murmur3OfText('The quick brown fox jumps over the lazy dog', 0x9747b28c), 0x2fa826cd);
});

test('fingerprints fold equal outputs and tell different ones apart on the samples and 40,000 seeded lines (seed 4242)', () => {
  // Outputs that differ only in their time prefix or nanosecond stamps are one alert; anything else is another.
  const byPrint = new Map<number, string>();
  let collisions = 0;
  let folded = 0;
  for (const line of inputs(4242, 40_000)) {
    for (const text of [jsonOutput(line), line]) {
      const print = outputFingerprint(text, 0, text.length, 3);
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === text.length) {
        const fromBytes = outputFingerprintOfBytes(text, bytes, 0, 0, text.length, 3);
        assert.ok(fromBytes === print || fromBytes === -1, JSON.stringify(text));
      }
      const normalized = stripTimesByRegex(text);
      const seen = byPrint.get(print);
      if (seen === undefined) byPrint.set(print, normalized);
      else if (seen === normalized) folded++;
      else collisions++;
    }
  }
  // 32 bits over ~35,000 distinct outputs: a collision is what any 32-bit hash may give (birthday bound ~0.14).
  assert.ok(byPrint.size > 30_000, `${byPrint.size} distinct`);
  assert.ok(folded > 1_000, `${folded} folded`);
  assert.ok(collisions <= 2, `${collisions} collisions`);
});

test('alert times: the fast path for Falco\'s form equals Date.parse of the cut text, across seconds and hours, invalid dates and other forms (seed 77)', () => {
  const random = new Random(77);
  const parser = new AlertTimeParser();
  const two = (n: number) => String(n).padStart(2, '0');
  const times: (string | undefined)[] = [undefined, '', '12:00:00.123456789', '2024-06-10T14:47:07Z', '2024-06-10T14:47:07.118+0200',
    '2024-06-10T14:47:07.118224033+02:00', '2024-06-10 14:47:07.118224033Z', '2024-06-10T24:00:00.000000000Z', '2024-06-10T24:00:00.500000000Z'];
  for (let i = 0; i < 30_000; i++) {
    const roll = random.next();
    if (roll < 0.5 && i > 0 && typeof times[times.length - 1] === 'string' && times[times.length - 1]!.length === 30) {
      // The same second again, another fraction: the cached second is used.
      const last = times[times.length - 1]!;
      times.push(`${last.slice(0, 20)}${String(random.int(1e9)).padStart(9, '0')}Z`);
      continue;
    }
    if (roll < 0.75 && i > 0 && typeof times[times.length - 1] === 'string' && times[times.length - 1]!.length === 30) {
      // The same hour, another minute and second (valid or not): counted from the cached hour when valid.
      const last = times[times.length - 1]!;
      times.push(`${last.slice(0, 14)}${two(random.int(62))}:${two(random.int(62))}.${String(random.int(1e9)).padStart(9, '0')}Z`);
      continue;
    }
    const year = random.pick(['2024', '2023', '1970', '0000', '9999', '2100']);
    const month = random.int(14);
    const day = random.int(33);
    const hour = random.int(26);
    const minute = random.int(61);
    const second = random.int(61);
    let t = `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.${String(random.int(1e9)).padStart(9, '0')}Z`;
    if (random.chance(0.05)) { const at = random.int(t.length); t = t.slice(0, at) + random.pick(['x', '1', ':', '']) + t.slice(at + 1); }
    times.push(t);
  }
  let fast = 0;
  for (const t of times) {
    const expected = parseTimeByRegex(t);
    const got = parser.parse(t);
    assert.ok(Object.is(got, expected) || (Number.isNaN(got) && Number.isNaN(expected)), `${t}: ${got} vs ${expected}`);
    if (t && t.length === 30 && Number.isFinite(expected)) fast++;
  }
  assert.ok(fast > 10_000, `${fast} valid Falco times`);
});
