// A JSON scanner that keeps the source spans of every key and value. JSON.parse is used for the fast path of
// indexing; this scanner runs only on the lines a feature looks at (hover, actions, reports) and on lines that
// JSON.parse rejects, to point at the exact spot of the error. Numbers keep their raw digits: Falco's 19-digit
// evt.time does not survive a conversion to a JavaScript number.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number }
  | { kind: 'number' | 'true' | 'false' | 'null'; start: number; end: number };

export interface JsonMember {
  /** Decoded key. */
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export interface JsonScanError {
  message: string;
  start: number;
  end: number;
  /** True when the text ended before the value was complete (a cut-off line). */
  truncated: boolean;
}

export interface JsonScan {
  /** Present when a value could be read, even partially (members before the error are kept). */
  root?: JsonNode;
  error?: JsonScanError;
}

/** Deeper containers are reported, not scanned (Falco's alerts nest three levels at most). */
const MAX_JSON_DEPTH = 1000;

class Stop extends Error {
  constructor(readonly detail: JsonScanError) { super(detail.message); }
}

/** Scans the JSON value starting at `start` (leading whitespace allowed) up to `end`. */
export function scanJson(text: string, start = 0, end = text.length): JsonScan {
  let pos = start;
  // The scanner recurses per container: a hostile line of 100,000 `[` must get an error, not overflow the stack.
  let depth = 0;
  // Partially built containers, so that a truncated line still yields the members read so far.
  let root: JsonNode | undefined;

  const fail = (message: string, at: number, truncated = false, length = 1): never => {
    const s = Math.min(at, end);
    throw new Stop({ message, start: truncated ? Math.max(start, end - 1) : s, end: truncated ? end : Math.min(end, s + length), truncated });
  };
  const skipSpace = () => {
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++; else break;
    }
  };
  const describe = (at: number) => {
    const c = text[at];
    return c === undefined ? 'end of line' : `'${c}'`;
  };

  const readString = (): { start: number; end: number } => {
    const s = pos;
    pos++; // opening quote
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c === 34) { pos++; return { start: s, end: pos }; }
      if (c === 92) {
        const e = text.charCodeAt(pos + 1);
        if (pos + 1 >= end) fail('Unterminated string: the line ends inside it', pos, true);
        if (e === 117) {
          if (pos + 5 >= end && !/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('Unterminated string: the line ends inside it', pos, true);
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('Invalid \\u escape in string', pos, false, 2);
          pos += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[pos + 1])) fail(`Invalid escape \\${text[pos + 1]} in string`, pos, false, 2);
        pos += 2;
        continue;
      }
      if (c < 32) fail('Control character inside a string (strings cannot span lines)', pos);
      pos++;
    }
    return fail('Unterminated string: the line ends inside it', s, true);
  };

  const readNumber = (): JsonNode => {
    const s = pos;
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = pos;
    const r = m.exec(text);
    if (!r || r.index !== pos || r[0] === '-' ) fail(`Unexpected ${describe(pos)}`, pos);
    pos += r![0].length;
    if (pos > end) { pos = end; }
    return { kind: 'number', start: s, end: pos };
  };

  const readValue = (attach: (n: JsonNode) => void): JsonNode => {
    skipSpace();
    if (pos >= end) fail('The line ends where a value was expected', pos, true);
    const c = text.charCodeAt(pos);
    if ((c === 123 || c === 91) && ++depth > MAX_JSON_DEPTH) fail(`JSON nested more than ${MAX_JSON_DEPTH} levels deep`, pos);
    if (c === 123) {
      const node: JsonNode = { kind: 'object', start: pos, end: end, members: [] };
      attach(node);
      pos++;
      skipSpace();
      if (text.charCodeAt(pos) === 125) { pos++; node.end = pos; depth--; return node; }
      for (;;) {
        skipSpace();
        if (pos >= end) fail('The line ends inside an object (truncated?)', pos, true);
        if (text.charCodeAt(pos) !== 34) fail(`Expected a quoted key, found ${describe(pos)}`, pos);
        const k = readString();
        skipSpace();
        if (pos >= end) fail('The line ends after a key (truncated?)', pos, true);
        if (text.charCodeAt(pos) !== 58) fail(`Expected ':' after the key, found ${describe(pos)}`, pos);
        pos++;
        const member: JsonMember = { key: decodeJsonString(text, k.start, k.end).value, keyStart: k.start, keyEnd: k.end, value: { kind: 'null', start: pos, end: pos } };
        node.members.push(member);
        readValue((v) => { member.value = v; });
        skipSpace();
        if (pos >= end) fail('The line ends inside an object (truncated?)', pos, true);
        const d = text.charCodeAt(pos);
        if (d === 44) { pos++; continue; }
        if (d === 125) { pos++; node.end = pos; depth--; return node; }
        fail(`Expected ',' or '}' in object, found ${describe(pos)}`, pos);
      }
    }
    if (c === 91) {
      const node: JsonNode = { kind: 'array', start: pos, end: end, items: [] };
      attach(node);
      pos++;
      skipSpace();
      if (text.charCodeAt(pos) === 93) { pos++; node.end = pos; depth--; return node; }
      for (;;) {
        readValue((v) => node.items.push(v));
        skipSpace();
        if (pos >= end) fail('The line ends inside an array (truncated?)', pos, true);
        const d = text.charCodeAt(pos);
        if (d === 44) { pos++; continue; }
        if (d === 93) { pos++; node.end = pos; depth--; return node; }
        fail(`Expected ',' or ']' in array, found ${describe(pos)}`, pos);
      }
    }
    let node: JsonNode;
    if (c === 34) { const s = readString(); node = { kind: 'string', start: s.start, end: s.end }; }
    else if (c === 45 || (c >= 48 && c <= 57)) node = readNumber();
    else if (text.startsWith('true', pos)) { node = { kind: 'true', start: pos, end: pos + 4 }; pos += 4; }
    else if (text.startsWith('false', pos)) { node = { kind: 'false', start: pos, end: pos + 5 }; pos += 5; }
    else if (text.startsWith('null', pos)) { node = { kind: 'null', start: pos, end: pos + 4 }; pos += 4; }
    else if ('true'.startsWith(text.slice(pos, end)) || 'false'.startsWith(text.slice(pos, end)) || 'null'.startsWith(text.slice(pos, end))) {
      return fail('The line ends inside a literal (truncated?)', pos, true);
    } else {
      const word = /^[^\s,:{}\[\]"]+/.exec(text.slice(pos, Math.min(end, pos + 40)))?.[0] ?? text[pos];
      return fail(`Unexpected ${word.length > 1 ? `'${word}'` : describe(pos)}: strings must be double-quoted`, pos, false, Math.max(1, word.length));
    }
    attach(node);
    return node;
  };

  try {
    readValue((n) => { root = n; });
    skipSpace();
    if (pos < end) fail(`Unexpected ${describe(pos)} after the end of the JSON value`, pos, false, end - pos);
    return { root };
  } catch (e) {
    if (e instanceof Stop) return { root, error: e.detail };
    throw e;
  }
}

/** Decoded value of the string token at [start, end) (quotes included), with the source offset of each decoded
 *  character when escapes make them differ (`offsets[i]` = source offset of value[i]; offsets[value.length] = end-1). */
export function decodeJsonString(text: string, start: number, end: number): { value: string; offsets?: number[] } {
  const inner = text.slice(start + 1, end - 1);
  if (!inner.includes('\\')) return { value: inner };
  let value = '';
  const offsets: number[] = [];
  for (let i = start + 1; i < end - 1;) {
    const c = text[i];
    if (c !== '\\') { value += c; offsets.push(i); i++; continue; }
    const e = text[i + 1];
    offsets.push(i);
    if (e === 'u') { value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue; }
    value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === 'b' ? '\b' : e === 'f' ? '\f' : e;
    i += 2;
  }
  offsets.push(end - 1);
  return { value, offsets };
}

/** Source offset of a decoded string index (see decodeJsonString). */
export function sourceOffset(stringStart: number, offsets: number[] | undefined, index: number): number {
  if (!offsets) return stringStart + 1 + index;
  return offsets[Math.min(index, offsets.length - 1)];
}

export function memberOf(node: JsonNode | undefined, key: string): JsonMember | undefined {
  return node?.kind === 'object' ? node.members.find((m) => m.key === key) : undefined;
}

/** The value as text: decoded strings, raw digits of numbers, `true`/`false`, null for null; undefined for containers. */
export function scalarText(text: string, node: JsonNode): string | null | undefined {
  switch (node.kind) {
    case 'string': return decodeJsonString(text, node.start, node.end).value;
    case 'number': case 'true': case 'false': return text.slice(node.start, node.end);
    case 'null': return null;
    default: return undefined;
  }
}

/**
 * The span of the value of a top-level key of a JSON object that JSON.parse accepted, found without building a tree:
 * strings are skipped with indexOf, nested containers by counting brackets outside strings. For spans of a valid
 * line (the rule name of each alert in the Problems view); undefined when the key is absent or the text is not an
 * object.
 */
export function topLevelValueSpan(text: string, start: number, key: string): { start: number; end: number } | undefined {
  let pos = text.indexOf('{', start);
  if (pos < 0) return undefined;
  pos++;
  const end = text.length;
  const skipSpace = () => { while (pos < end && (text.charCodeAt(pos) <= 32)) pos++; };
  const stringEnd = (from: number): number => {
    // `from` is the opening quote; returns the offset after the closing one.
    let q = from + 1;
    for (;;) {
      q = text.indexOf('"', q);
      if (q < 0) return end;
      let backslashes = 0;
      while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      q++;
    }
  };
  const valueEnd = (from: number): number => {
    const c = text.charCodeAt(from);
    if (c === 34) return stringEnd(from);
    if (c === 123 || c === 91) {
      let depth = 0;
      for (let i = from; i < end; i++) {
        const d = text.charCodeAt(i);
        if (d === 34) i = stringEnd(i) - 1;
        else if (d === 123 || d === 91) depth++;
        else if ((d === 125 || d === 93) && --depth === 0) return i + 1;
      }
      return end;
    }
    let i = from;
    while (i < end) { const d = text.charCodeAt(i); if (d === 44 || d === 125 || d === 93 || d <= 32) break; i++; }
    return i;
  };
  for (;;) {
    skipSpace();
    if (text.charCodeAt(pos) !== 34) return undefined;
    const keyEnd = stringEnd(pos);
    const matches = keyEnd - pos - 2 === key.length && text.startsWith(key, pos + 1);
    pos = keyEnd;
    skipSpace();
    if (text.charCodeAt(pos) !== 58) return undefined;
    pos++;
    skipSpace();
    const valueStart = pos;
    pos = valueEnd(pos);
    if (matches) return { start: valueStart, end: pos };
    skipSpace();
    if (text.charCodeAt(pos) !== 44) return undefined;
    pos++;
  }
}
