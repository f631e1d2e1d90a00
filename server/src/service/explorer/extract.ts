// What the Alert Explorer keeps of each alert besides the line parser's reading: the output's span, the container
// name, the fingerprint that folds duplicates, and the time in milliseconds. A million lines go through these, so
// they scan characters in place instead of running regexes over the line and building intermediate strings. Each
// one gives exactly what its regex form gives (test/unit/explorer-extract.test.ts checks them against those forms on
// the corpus alerts and on seeded random lines); the comments name the regex each one stands for.

/** A JavaScript `\s` character (the regex class, which includes Unicode spaces and line terminators). */
export function isRegexSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f
    || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A line terminator: what the regex `.` does not match (outside the `s` flag). */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A `\w` character: [A-Za-z0-9_]. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * The end (exclusive) of the JSON string body that starts at `start` (just after its opening quote), or -1 when the
 * body is not closed: `((?:[^"\\]|\\.)*)"`. `escaped` tells whether a backslash occurs in it.
 */
function stringBodyEnd(text: string, start: number, into: { escaped: boolean }): number {
  // Most bodies have no backslash: the closing quote is then the next quote, found by the native search.
  const quote = text.indexOf('"', start);
  if (quote < 0) return -1;
  const backslash = text.indexOf('\\', start);
  if (backslash < 0 || backslash > quote) { into.escaped = false; return quote; }
  let escaped = false;
  let i = backslash;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) { into.escaped = escaped; return i; }
    if (c === 92 /* \ */) {
      if (i + 1 >= n || isLineTerminator(text.charCodeAt(i + 1))) return -1;
      escaped = true;
      i += 2;
    } else {
      i++;
    }
  }
  return -1;
}

/**
 * The first `"KEY"\s*:\s*"…"` of `text` at or after `from` (KEY given with its quotes): the offsets of the string's
 * body (quotes excluded) and whether it holds escapes, or undefined. A key written with escapes is not seen, as in
 * the regex form.
 */
function findStringMember(text: string, quotedKey: string, from: number): { at: number; start: number; end: number; escaped: boolean } | undefined {
  const n = text.length;
  const result = { escaped: false };
  for (let at = text.indexOf(quotedKey, from); at >= 0; at = text.indexOf(quotedKey, at + 1)) {
    let i = at + quotedKey.length;
    while (i < n && isRegexSpace(text.charCodeAt(i))) i++;
    if (i >= n || text.charCodeAt(i) !== 58 /* : */) continue;
    i++;
    while (i < n && isRegexSpace(text.charCodeAt(i))) i++;
    if (i >= n || text.charCodeAt(i) !== 34) continue;
    const end = stringBodyEnd(text, i + 1, result);
    if (end < 0) continue;
    return { at, start: i + 1, end, escaped: result.escaped };
  }
  return undefined;
}

/** Where the `output` string of a JSON alert line is: `/"output"\s*:\s*"((?:[^"\\]|\\.)*)"/`, first match. */
export function jsonOutputSpan(text: string): { start: number; end: number; escaped: boolean } | undefined {
  return findStringMember(text, '"output"', 0);
}

/**
 * The decoded `output` string of a JSON alert line, or '' when it has none (its escapes as written when they are not
 * valid JSON). `known`, when given, is `jsonOutputSpan(text)`.
 */
export function jsonOutput(text: string, known?: { start: number; end: number; escaped: boolean }): string {
  const span = known ?? jsonOutputSpan(text);
  if (!span) return '';
  const raw = text.slice(span.start, span.end);
  if (!span.escaped) return raw;
  try { return JSON.parse(`"${raw}"`) as string; } catch { return raw; }
}

/**
 * The container name of an alert line: the first `container_name=VALUE` (VALUE up to a space or ')') or
 * `"container.name": "VALUE"` (VALUE as written in JSON, escapes kept), whichever comes first; undefined when there
 * is none or it is `<NA>`. Regex form: `/container_name=([^\s)]+)|"container\.name"\s*:\s*"((?:[^"\\]|\\.)*)"/`.
 *
 * `output`, when given, is `jsonOutputSpan(text)`: the body of a JSON string, in which the JSON key cannot be
 * matched (every quote inside is escaped, and the closing one is followed by `,` or `}` in JSON, not by `:`), so a
 * `container_name=` found in that body needs only the text before the body searched for the key.
 */
export function containerOf(text: string, output?: { start: number; end: number }): string | undefined {
  const n = text.length;
  let plainAt = -1;
  let plainEnd = -1;
  // Found through its `_name=`, the `container` before it checked in place: a search for the whole key took a third
  // longer (139 against 98 ns a line of the bench's log).
  for (let name = text.indexOf('_name=', 9); name >= 0; name = text.indexOf('_name=', name + 1)) {
    if (!text.startsWith('container', name - 9)) continue;
    const at = name - 9;
    let i = at + 15;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 41 /* ) */ || isRegexSpace(c)) break;
      i++;
    }
    if (i > at + 15) { plainAt = at; plainEnd = i; break; }
  }
  // The JSON member counts only before the first `container_name=`: when the key's first occurrence is after it (or
  // there is none), the member is not read.
  let firstKey: number;
  if (output && plainAt >= output.start && plainAt < output.end) {
    // Only the few characters before the output's body can hold a member before plainAt.
    firstKey = output.start >= 16 && text.lastIndexOf('"container.name"', output.start - 16) >= 0 ? text.indexOf('"container.name"') : -1;
  } else {
    // (A forward search over the line: lastIndexOf from plainAt is a slower call in V8.)
    firstKey = text.indexOf('"container.name"');
  }
  const member = firstKey < 0 || (plainAt >= 0 && firstKey > plainAt) ? undefined : findStringMember(text, '"container.name"', firstKey);
  let value: string | undefined;
  if (member && (plainAt < 0 || member.at < plainAt)) value = text.slice(member.start, member.end);
  else if (plainAt >= 0) value = text.slice(plainAt + 15, plainEnd);
  return value === undefined || value === '<NA>' ? undefined : value;
}

/**
 * What the Explorer groups by besides the columns above: an alert's Kubernetes namespace and pod, and its container
 * image (`repository:tag`, the repository alone without a tag, or the `container.image` field). Undefined where the
 * alert does not carry the field, or carries `<NA>` (a host process: Falco renders a field without a value so).
 */
export interface Workload { namespace: string | undefined; pod: string | undefined; image: string | undefined }

/**
 * The workload fields of a JSON alert, from the string members `"k8s.ns.name"`, `"k8s.pod.name"`,
 * `"container.image.repository"`, `"container.image.tag"` and `"container.image"` at or after `from` (the end of
 * the output string: every producer writes output_fields after output, Falco and falcosidekick with sorted keys), each
 * the first such member, decoded; regex form of each: `/"KEY"\s*:\s*"((?:[^"\\]|\\.)*)"/`. Two searches of the
 * line (`"k8s.` and `"container.image`) find the five; `container.image` is read only where the repository is not
 * there, so a search stops once the repository and tag are found.
 */
export function jsonWorkload(text: string, from: number, into: Workload): void {
  let namespace: string | undefined;
  let pod: string | undefined;
  let nsFound = false;
  let podFound = false;
  for (let at = text.indexOf('"k8s.', from); at >= 0 && !(nsFound && podFound); at = text.indexOf('"k8s.', at + 5)) {
    if (!nsFound && text.startsWith('ns.name"', at + 5)) {
      const value = memberString(text, at + 13);
      if (value !== undefined) { nsFound = true; namespace = value; }
    } else if (!podFound && text.startsWith('pod.name"', at + 5)) {
      const value = memberString(text, at + 14);
      if (value !== undefined) { podFound = true; pod = value; }
    }
  }
  let repository: string | undefined;
  let tag: string | undefined;
  let image: string | undefined;
  let repositoryFound = false;
  let tagFound = false;
  let imageFound = false;
  for (let at = text.indexOf('"container.image', from); at >= 0 && !(repositoryFound && tagFound); at = text.indexOf('"container.image', at + 16)) {
    const c = text.charCodeAt(at + 16);
    if (c === 34 /* " */ && !imageFound) {
      const value = memberString(text, at + 17);
      if (value !== undefined) { imageFound = true; image = value; }
    } else if (c === 46 /* . */ && !repositoryFound && text.startsWith('repository"', at + 17)) {
      const value = memberString(text, at + 28);
      if (value !== undefined) { repositoryFound = true; repository = value; }
    } else if (c === 46 && !tagFound && text.startsWith('tag"', at + 17)) {
      const value = memberString(text, at + 21);
      if (value !== undefined) { tagFound = true; tag = value; }
    }
  }
  into.namespace = known(namespace);
  into.pod = known(pod);
  into.image = imageName(known(repository), known(tag)) ?? known(image);
}

/**
 * The workload fields of a text alert's output (`text` from `start` to `end`), only in the forms Falco itself appends,
 * whose keys therefore name those fields: the container plugin's suggested output (Falco >= 0.41, `append_output`'s
 * `foo_bar=$foo.bar` form) `container_image_repository= container_image_tag= k8s_pod_name= k8s_ns_name=`, and the
 * `-pk`/`-pc` options of 0.37-0.40 `container_image= container_image_tag= … k8s_ns= k8s_pod_name=`
 * (app/actions/init_falco_engine.cpp 0.37.0:27-28). A key counts at the output's start or after a blank or `(`
 * (`ephemeral_container_image=` of a k8saudit rule is another field); its value runs to a blank or `)`, the first
 * such key of each field. Regex form: `/(?:^|[\s(])KEY=([^\s)]+)/` over the output.
 */
export function textWorkload(text: string, start: number, end: number, into: Workload): void {
  let namespace: string | undefined;
  let pod: string | undefined;
  for (let at = text.indexOf('k8s_', start); at >= 0 && at < end && (namespace === undefined || pod === undefined); at = text.indexOf('k8s_', at + 4)) {
    if (!keyStart(text, at, start)) continue;
    if (namespace === undefined && text.startsWith('ns_name=', at + 4)) namespace = fieldValue(text, at + 12, end);
    else if (namespace === undefined && text.startsWith('ns=', at + 4)) namespace = fieldValue(text, at + 7, end);
    else if (pod === undefined && text.startsWith('pod_name=', at + 4)) pod = fieldValue(text, at + 13, end);
  }
  let repository: string | undefined;
  let tag: string | undefined;
  for (let at = text.indexOf('container_image', start); at >= 0 && at < end && (repository === undefined || tag === undefined); at = text.indexOf('container_image', at + 15)) {
    if (!keyStart(text, at, start)) continue;
    if (repository === undefined && text.charCodeAt(at + 15) === 61 /* = */) repository = fieldValue(text, at + 16, end);
    else if (repository === undefined && text.startsWith('_repository=', at + 15)) repository = fieldValue(text, at + 27, end);
    else if (tag === undefined && text.startsWith('_tag=', at + 15)) tag = fieldValue(text, at + 20, end);
  }
  into.namespace = known(namespace);
  into.pod = known(pod);
  into.image = imageName(known(repository), known(tag));
}

/** Whether a key at `at` starts a token of the output that starts at `start`. */
function keyStart(text: string, at: number, start: number): boolean {
  if (at === start) return true;
  const c = text.charCodeAt(at - 1);
  return c === 40 /* ( */ || isRegexSpace(c);
}

/** A `key=value` token's value from `i` (after the `=`): up to a blank or `)`; undefined when empty. */
function fieldValue(text: string, i: number, end: number): string | undefined {
  let j = i;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === 41 /* ) */ || isRegexSpace(c)) break;
    j++;
  }
  return j > i ? text.slice(i, j) : undefined;
}

/** The decoded string value of a JSON member whose key ends just before `i` (`\s*:\s*"…"`), else undefined. */
function memberString(text: string, i: number): string | undefined {
  const n = text.length;
  while (i < n && isRegexSpace(text.charCodeAt(i))) i++;
  if (i >= n || text.charCodeAt(i) !== 58 /* : */) return undefined;
  i++;
  while (i < n && isRegexSpace(text.charCodeAt(i))) i++;
  if (i >= n || text.charCodeAt(i) !== 34) return undefined;
  const into = { escaped: false };
  const end = stringBodyEnd(text, i + 1, into);
  if (end < 0) return undefined;
  const raw = text.slice(i + 1, end);
  if (!into.escaped) return raw;
  try { return JSON.parse(`"${raw}"`) as string; } catch { return raw; }
}

const known = (value: string | undefined) => (value === undefined || value === '' || value === '<NA>' ? undefined : value);

/** An image as `repository:tag`, as Falco's container.image field reads. */
function imageName(repository: string | undefined, tag: string | undefined): string | undefined {
  return repository === undefined ? undefined : tag === undefined ? repository : `${repository}:${tag}`;
}

/**
 * Where the inside of a JSON alert's `"tags"` array is (between its brackets) at or after `from`: the first
 * `"tags"` member whose value is an array of strings only, else undefined. Regex form:
 * `/"tags"\s*:\s*\[(\s*(?:"(?:[^"\\]|\\.)*"\s*(?:,\s*"(?:[^"\\]|\\.)*"\s*)*)?)\]/`.
 */
export function jsonTagsSpan(text: string, from: number): { start: number; end: number } | undefined {
  const n = text.length;
  const into = { escaped: false };
  for (let at = text.indexOf('"tags"', from); at >= 0; at = text.indexOf('"tags"', at + 1)) {
    let i = at + 6;
    while (i < n && isRegexSpace(text.charCodeAt(i))) i++;
    if (i >= n || text.charCodeAt(i) !== 58) continue;
    i++;
    while (i < n && isRegexSpace(text.charCodeAt(i))) i++;
    if (i >= n || text.charCodeAt(i) !== 91 /* [ */) continue;
    const start = i + 1;
    i = start;
    let first = true;
    for (;;) {
      while (i < n && isRegexSpace(text.charCodeAt(i))) i++;
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === 93 /* ] */ && first) return { start, end: i };
      if (!first) {
        if (c === 93) return { start, end: i };
        if (c !== 44 /* , */) break;
        i++;
        while (i < n && isRegexSpace(text.charCodeAt(i))) i++;
        if (i >= n) break;
      }
      if (text.charCodeAt(i) !== 34) break;
      const close = stringBodyEnd(text, i + 1, into);
      if (close < 0) break;
      i = close + 1;
      first = false;
    }
  }
  return undefined;
}

/**
 * The length of the time prefix Falco puts before a rendered output, with the priority word and the blank after it
 * (`12:00:00.123: Warning ` or `2024-06-10T14:47:07.118224033Z: Warning `), in `text` from `start` to `end`; 0 when
 * there is none. Regex form: `^(?:\d{2}:\d{2}:\d{2}\.\d+|\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?): \S+ `.
 */
export function timePrefixLength(text: string, start: number, end: number): number {
  let found = -1;
  if (digitsBefore(text, start, 2, end) && charAt(text, start + 2, end) === 58 && digitsBefore(text, start + 3, 2, end)
    && charAt(text, start + 5, end) === 58 && digitsBefore(text, start + 6, 2, end) && charAt(text, start + 8, end) === 46
    && isDigit(charAt(text, start + 9, end))) {
    let j = start + 10;
    while (isDigit(charAt(text, j, end))) j++;
    found = prefixTail(text, j, end);
  } else if (digitsBefore(text, start, 4, end) && charAt(text, start + 4, end) === 45 && digitsBefore(text, start + 5, 2, end)
    && charAt(text, start + 7, end) === 45 && digitsBefore(text, start + 8, 2, end) && charAt(text, start + 10, end) === 84) {
    // [\d:.]+ is greedy: try its longest run first and give back one character at a time, as the regex does.
    const runStart = start + 11;
    let runEnd = runStart;
    for (let c = charAt(text, runEnd, end); isDigit(c) || c === 58 || c === 46; c = charAt(text, ++runEnd, end)) { /* extend the run */ }
    for (let m = runEnd; m > runStart && found < 0; m--) {
      const c = charAt(text, m, end);
      if (c === 90 /* Z */) found = prefixTail(text, m + 1, end);
      if (found < 0 && (c === 43 || c === 45) && digitsBefore(text, m + 1, 2, end)) {
        if (charAt(text, m + 3, end) === 58 && digitsBefore(text, m + 4, 2, end)) found = prefixTail(text, m + 6, end);
        if (found < 0 && digitsBefore(text, m + 3, 2, end)) found = prefixTail(text, m + 5, end);
      }
      if (found < 0) found = prefixTail(text, m, end);
    }
  }
  return found < 0 ? 0 : found - start;
}

/** The character code at `i`, or -1 at or after `end`. */
function charAt(text: string, i: number, end: number): number {
  return i < end ? text.charCodeAt(i) : -1;
}

function digitsBefore(text: string, i: number, count: number, end: number): boolean {
  if (i + count > end) return false;
  for (let k = i; k < i + count; k++) if (!isDigit(text.charCodeAt(k))) return false;
  return true;
}

/** `: \S+ ` from `i`: the offset after it, or -1. */
function prefixTail(text: string, i: number, end: number): number {
  if (charAt(text, i, end) !== 58 || charAt(text, i + 1, end) !== 32) return -1;
  let j = i + 2;
  while (j < end && !isRegexSpace(text.charCodeAt(j))) j++;
  return j > i + 2 && charAt(text, j, end) === 32 ? j + 1 : -1;
}

// The fingerprint is MurmurHash3 (32-bit) of the normalized output: four bytes mixed per step, where FNV-1a mixed
// one (the byte-wise hash was 12 % of indexing a million alerts). Fingerprints live only in the store of one session
// (dedupe and distinct counts); nothing persists or shows them, so the function may change between versions.
// The normalized output is fed as a stream of bytes: a character below 0x80 as its byte, any other character as the
// three bytes 0xFF, low byte, high byte (0xFF is never the byte of a character below 0x80, so the encoding is
// injective), and each nanosecond stamp as `#`. The byte path (ASCII lines) and the character path feed the same
// stream for the same output, so they give the same value.

const MURMUR_C1 = 0xcc9e2d51;
const MURMUR_C2 = 0x1b873593;

/** One MurmurHash3 block step: `word` (four stream bytes, little-endian) mixed into `hash`. */
function mixWord(hash: number, word: number): number {
  let k = Math.imul(word, MURMUR_C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, MURMUR_C2);
  let h = hash ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's tail and finalization: `pending` (0-3 bytes, little-endian, `pendingBytes` of them) and the length. */
function finishHash(hash: number, pending: number, pendingBytes: number, length: number): number {
  let h = hash;
  if (pendingBytes > 0) {
    let k = Math.imul(pending, MURMUR_C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, MURMUR_C2);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The fingerprint of the output in `text[start, end)` without anything that changes between otherwise identical
 * alerts: the time prefix, and each word of 16 to 19 digits (nanosecond stamps) hashed as `#`. Equal to the hash of
 * `output.replace(TIME_PREFIX, '').replace(/\b\d{16,19}\b/g, '#')` without building those strings.
 */
export function outputFingerprint(text: string, start: number, end: number, seed: number): number {
  let hash = seed | 0;
  let pending = 0;
  let pendingBytes = 0;
  let length = 0;
  const from = start + timePrefixLength(text, start, end);
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    let next = i + 1;
    // The stream bytes of this character (or stamp): up to three, little-endian in `bytes`.
    let bytes = c;
    let count = 1;
    if (c >= 48 && c <= 57 && (i === from || !isWordChar(text.charCodeAt(i - 1)))) {
      // A run of digits that starts a word: one `#` when it is the whole word and 16 to 19 digits long; otherwise
      // its digits go one by one (after the first, none starts a word).
      let j = i + 1;
      while (j < end && isDigit(text.charCodeAt(j))) j++;
      const digits = j - i;
      if (digits >= 16 && digits <= 19 && (j === end || !isWordChar(text.charCodeAt(j)))) { bytes = 35 /* # */; next = j; }
    } else if (c >= 0x80) {
      bytes = 0xff | ((c & 0xff) << 8) | ((c >>> 8) << 16);
      count = 3;
    }
    for (let k = 0; k < count; k++) {
      pending |= ((bytes >>> (8 * k)) & 0xff) << (pendingBytes * 8);
      length++;
      if (++pendingBytes === 4) { hash = mixWord(hash, pending); pending = 0; pendingBytes = 0; }
    }
    i = next;
  }
  return finishHash(hash, pending, pendingBytes, length);
}

/**
 * The text by which two alerts' outputs are compared when their fingerprints are equal (the folding of identical
 * alerts is exact: a fingerprint is 32 bits): the output of `text[start, end)` without its time prefix, each
 * nanosecond stamp (a word of 16 to 19 digits) as `#s` and each `#` of the output as `##`, so that no output with a
 * `#` reads as one with a stamp there.
 */
export function foldedOutput(text: string, start: number, end: number): string {
  return text.slice(start + timePrefixLength(text, start, end), end).replace(/#|\b\d{16,19}\b/g, (m) => (m === '#' ? '##' : '#s'));
}

/**
 * outputFingerprint read from the bytes the text was decoded from, where `bytes[base + i]` is the byte of
 * `text[i]` (true when the line decoded to one character per byte). Returns -1 when the output holds a non-ASCII
 * byte: the caller then uses outputFingerprint.
 *
 * Two words (eight bytes) are read and mixed per step while neither the step's second word nor the word after it is
 * all digits: a nanosecond stamp (16 digits or more) starting in the step would cover one of them. Otherwise one word
 * is taken and looked at closer when the next word is all digits, to see whether a stamp starts in it; a stamp is fed
 * as `#` and the steps go on after it. (One word a step, each with its look-ahead, took 56 ms where this takes 40 for
 * the 157,577 plain outputs of the bench log's first 200,000 lines: the loop's overhead, not MurmurHash3's mixing,
 * was the fingerprint's cost.)
 */
export function outputFingerprintOfBytes(text: string, bytes: Uint8Array, base: number, start: number, end: number, seed: number): number {
  const view = viewOf(bytes);
  const from = base + start + timePrefixLength(text, start, end);
  const stop = base + end;
  let hash = seed | 0;
  // Stream bytes not yet mixed (after a stamp, steps no longer start at a multiple of four stream bytes): `pending`
  // holds `shift / 8` of them, and each step mixes them with the first bytes of its word and keeps the rest, the
  // word's top `shift` bits (`(word >>> 1) >>> (31 - shift)`: none when shift is 0, where `word >>> 32` would be all).
  let pending = 0;
  let shift = 0;
  // Bytes of the output not fed to the stream: each stamp's digits but one (its `#`).
  let dropped = 0;
  let i = from;
  for (;;) {
    // Two words a step while neither the second word nor the one after it is all digits: a stamp (16 digits or more)
    // starting in the step's first word covers the second, one starting in the second covers the word after.
    if (i + 12 <= stop) {
      let w0 = view.getInt32(i, true);
      do {
        const w1 = view.getInt32(i + 4, true);
        const w2 = view.getInt32(i + 8, true);
        if (((w0 | w1) & 0x80808080) !== 0) return -1;
        if (digitLanes(w1) === ALL_LANES || digitLanes(w2) === ALL_LANES) break;
        hash = mixWord(hash, pending | (w0 << shift));
        pending = (w0 >>> 1) >>> (31 - shift);
        hash = mixWord(hash, pending | (w1 << shift));
        pending = (w1 >>> 1) >>> (31 - shift);
        i += 8;
        w0 = w2;
      } while (i + 12 <= stop);
    }
    if (i + 4 > stop) break;
    // One word, looked at closer: a stamp may start in it.
    const word = view.getInt32(i, true);
    if ((word & 0x80808080) !== 0) return -1;
    // (The next word is 0 past the end, which has no digit lane.)
    const next = i + 8 <= stop ? view.getInt32(i + 4, true) : 0;
    if (digitLanes(next) === ALL_LANES && digitLanes(word) !== 0) {
      let stampAt = i;
      let stamp = 0;
      for (; stampAt < i + 4 && stamp === 0; stampAt++) stamp = stampLength(bytes, stampAt, from, stop);
      if (stamp > 0) {
        // The bytes before the stamp, then `#` for it.
        stampAt--;
        for (let k = i; k <= stampAt; k++) {
          pending |= (k === stampAt ? 35 /* # */ : bytes[k]) << shift;
          shift += 8;
          if (shift === 32) { hash = mixWord(hash, pending); pending = 0; shift = 0; }
        }
        dropped += stamp - 1;
        i = stampAt + stamp;
        continue;
      }
    }
    hash = mixWord(hash, pending | (word << shift));
    pending = (word >>> 1) >>> (31 - shift);
    i += 4;
  }
  for (; i < stop; i++) {
    const c = bytes[i];
    if (c >= 128) return -1;
    pending |= c << shift;
    shift += 8;
    if (shift === 32) { hash = mixWord(hash, pending); pending = 0; shift = 0; }
  }
  return finishHash(hash, pending, shift >>> 3, stop - from - dropped);
}

/** Escaped outputs up to this many bytes are decoded into one scratch buffer; longer ones take the string path. */
const DECODED_MAX = 64 * 1024;
let decodedOutput: Buffer | undefined;

/**
 * The fingerprint of a JSON output that holds escapes (`\"` around quoted arguments, mostly), read from the line's
 * bytes: the string body `bytes[start, end)` is decoded into a scratch buffer and fingerprinted from there, as
 * outputFingerprintOfBytes does. Equal to `outputFingerprint(jsonOutput(text), …)` without parsing the output again as
 * a JSON string and without hashing it by characters. Returns -1, for the caller to take that path, when the body
 * holds a non-ASCII byte or a raw control character, an escape that is not valid JSON (jsonOutput then keeps the body
 * as written) or that decodes to a non-ASCII character, or is longer than the scratch buffer.
 */
export function escapedOutputFingerprintOfBytes(bytes: Uint8Array, start: number, end: number, seed: number): number {
  if (end - start > DECODED_MAX) return -1;
  const into = decodedOutput ??= Buffer.allocUnsafe(DECODED_MAX);
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = bytes[i];
    if (c === 92 /* \ */) {
      if (++i >= end) return -1;
      const e = bytes[i];
      if (e === 34 || e === 92 || e === 47) c = e;
      else if (e === 110 /* n */) c = 10;
      else if (e === 116 /* t */) c = 9;
      else if (e === 114 /* r */) c = 13;
      else if (e === 98 /* b */) c = 8;
      else if (e === 102 /* f */) c = 12;
      else if (e === 117 /* u */ && i + 4 < end) {
        c = 0;
        for (let k = i + 1; k <= i + 4; k++) {
          const h = hexValue(bytes[k]);
          if (h < 0) return -1;
          c = c * 16 + h;
        }
        if (c >= 0x80) return -1;
        i += 4;
      } else {
        return -1;
      }
    } else if (c < 0x20 || c >= 0x80) {
      return -1;
    }
    into[n++] = c;
  }
  return outputFingerprintOfBytes(into.toString('latin1', 0, n), into, 0, 0, n, seed);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

const ALL_LANES = 0x80808080 | 0;

/**
 * The top bit of each byte lane of `word` that is an ASCII digit. Per lane (below 0x80 when ASCII): the top bit of
 * (lane | 0x80) - 0x30 is set when the byte is >= '0', of (lane | 0x80) - 0x3a when it is > '9'; no lane borrows
 * from the next. A lane at or above 0x80 may count as a digit: the callers look at ASCII words only, or use the
 * answer as a hint checked byte by byte.
 */
function digitLanes(word: number): number {
  const lanes = (word | 0x80808080) >>> 0;
  return (lanes - 0x30303030) & ~(lanes - 0x3a3a3a3a) & 0x80808080;
}

/**
 * A DataView of the last byte array fingerprinted (the store reads a whole chunk into one buffer), and one of the
 * scratch buffer escaped outputs are decoded into: the two take turns, and a view made anew at each turn cost about
 * 15 ms over a million alerts.
 */
let viewedBytes: Uint8Array | undefined;
let bytesView: DataView | undefined;
let decodedView: DataView | undefined;

function viewOf(bytes: Uint8Array): DataView {
  if (bytes === viewedBytes) return bytesView!;
  if (bytes === decodedOutput) return decodedView ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  viewedBytes = bytes;
  return bytesView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The length of the nanosecond stamp (a word of 16 to 19 digits) starting at `i`, or 0. */
function stampLength(bytes: Uint8Array, i: number, from: number, stop: number): number {
  if (i + 15 >= stop || !isDigit(bytes[i + 15]) || !isDigit(bytes[i]) || (i > from && isWordChar(bytes[i - 1]))) return 0;
  let j = i + 1;
  while (j < stop && isDigit(bytes[j])) j++;
  const digits = j - i;
  return digits >= 16 && digits <= 19 && (j === stop || !isWordChar(bytes[j])) ? digits : 0;
}

/**
 * Milliseconds since the epoch of an alert's `time` (nanoseconds dropped), NaN when it has no date. Falco's own form
 * (`2024-06-10T14:47:07.118224033Z`) takes a fast path: consecutive alerts share their second, so the second is
 * parsed once and the milliseconds added; other forms go through Date.parse with the fraction cut to milliseconds and
 * the zone given a colon.
 */
export class AlertTimeParser {
  /** The date and second (19 characters) last parsed, and its milliseconds; '\0' never starts a time. */
  private second = '\u0000';
  private secondMs = NaN;
  /** The date and hour (13 characters) of the last second parsed through Date.parse, and its milliseconds. */
  private hour = '\u0000';
  private hourMs = NaN;

  parse(time: string | undefined): number {
    if (time !== undefined && time.length === 30 && time.charCodeAt(29) === 90 /* Z */ && time.charCodeAt(19) === 46 /* . */ && digitsAt(time, 20, 9)) {
      if (time.startsWith(this.second)) return this.secondMs + millisecondsOf(time);
      // (Hour 24 is valid only as 24:00:00.000: that one is left to Date.parse.)
      if (isFalcoSecond(time) && !(time.charCodeAt(11) === 50 && time.charCodeAt(12) === 52)) {
        this.second = time.slice(0, 19);
        const minute = twoDigits(time, 14);
        const second = twoDigits(time, 17);
        // A new second of the same hour (most changes of second in a busy log) is counted from the hour's start, as
        // Date.parse counts it for a valid minute and second; anything else goes through Date.parse.
        const valid = minute < 60 && second < 60;
        if (valid && Number.isFinite(this.hourMs) && time.startsWith(this.hour)) {
          this.secondMs = this.hourMs + minute * 60_000 + second * 1000;
        } else {
          this.secondMs = Date.parse(`${this.second}Z`);
          this.hour = time.slice(0, 13);
          this.hourMs = valid ? this.secondMs - minute * 60_000 - second * 1000 : NaN;
        }
        return this.secondMs + millisecondsOf(time);
      }
    }
    return parseTimeSlowly(time);
  }
}

const twoDigits = (t: string, at: number) => (t.charCodeAt(at) - 48) * 10 + (t.charCodeAt(at + 1) - 48);

const millisecondsOf = (t: string) => (t.charCodeAt(20) - 48) * 100 + (t.charCodeAt(21) - 48) * 10 + (t.charCodeAt(22) - 48);

function digitsAt(t: string, start: number, count: number): boolean {
  for (let i = start; i < start + count; i++) if (!isDigit(t.charCodeAt(i))) return false;
  return true;
}

/** The general form of AlertTimeParser.parse, for any time text. */
export function parseTimeSlowly(time: string | undefined): number {
  if (!time || time.length < 11 || time.charCodeAt(4) !== 45 /* - */) return NaN;
  // Date.parse keeps milliseconds; the nanoseconds stay in the text.
  return Date.parse(time.replace(/(\.\d{3})\d+/, '$1').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** `YYYY-MM-DDTHH:MM:SS` at the start, by character tests. */
function isFalcoSecond(t: string): boolean {
  return digitsAt(t, 0, 4) && t.charCodeAt(4) === 45 && digitsAt(t, 5, 2) && t.charCodeAt(7) === 45 && digitsAt(t, 8, 2)
    && t.charCodeAt(10) === 84 && digitsAt(t, 11, 2) && t.charCodeAt(13) === 58 && digitsAt(t, 14, 2) && t.charCodeAt(16) === 58 && digitsAt(t, 17, 2);
}
