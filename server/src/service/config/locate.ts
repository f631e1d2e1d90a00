// Where an offset is in a configuration document: the path of keys down to it and whether it is on a key or a
// value. Hovers read the parsed tree; completion reads the text itself, because the line being typed is usually
// not valid YAML yet.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { ConfigPath } from './schemaCheck';

export interface Located {
  path: ConfigPath;
  /** The scalar under the offset (a key or a value). */
  scalar?: Scalar;
  onKey: boolean;
  pair?: Pair;
}

function inside(node: Node | null | undefined, offset: number): boolean {
  return !!node && !!node.range && node.range[0] <= offset && offset <= node.range[1];
}

/** The deepest key or scalar value at `offset` of the parsed tree. */
export function locate(root: Node | null | undefined, offset: number): Located | undefined {
  let node: Node | null | undefined = root;
  const path: string[] = [];
  for (let depth = 0; depth < 64 && node; depth++) {
    if (isMap(node)) {
      let next: Node | null | undefined;
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        if (isScalar(key) && inside(key, offset)) return { path: [...path, String(key.value)], scalar: key, onKey: true, pair: item };
        const value = item.value as Node | null;
        if (inside(value, offset) && isScalar(key)) {
          path.push(String(key.value));
          if (isScalar(value)) return { path, scalar: value, onKey: false, pair: item };
          next = value;
          break;
        }
      }
      if (!next) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const item = node.items.find((i) => inside(i as Node, offset)) as Node | undefined;
      if (!item) return undefined;
      path.push('[]');
      if (isScalar(item)) return { path, scalar: item, onKey: false };
      node = item;
    } else {
      return undefined;
    }
  }
  return undefined;
}

export interface TypingContext {
  /** The path of the mapping (or list) the cursor's line belongs to. */
  parent: ConfigPath;
  /** 'key': the cursor is where a key goes; 'value': after `key:` on the line. */
  at: 'key' | 'value';
  /** For 'value': the key whose value is typed; for 'key': what is typed of the key so far. */
  key: string;
  /** The keys already present at the cursor's mapping level (not offered again). */
  siblings: Set<string>;
  /** [start, end) of the word being typed (replaced by a completion). */
  word: [number, number];
}

interface LineShape { indent: number; dash: boolean; key?: string; rest: string; contentIndent: number }

const KEY_LINE = /^(\s*)(-\s+)?(?:["']?([A-Za-z_][\w.-]*)["']?\s*:(?:\s|$))?(.*)$/;

function shape(line: string): LineShape | undefined {
  if (/^\s*(#.*)?$/.test(line)) return undefined;
  const m = KEY_LINE.exec(line)!;
  const indent = m[1].length;
  const dash = !!m[2];
  const contentIndent = indent + (m[2]?.length ?? 0);
  return { indent, dash, key: m[3], rest: m[4], contentIndent };
}

/**
 * The completion context of a position, from indentation alone: walking up from the cursor's line, each line with a
 * smaller indentation that ends in `key:` opens a mapping level, and a `- ` opens a list item.
 */
export function typingContext(text: string, lineStarts: readonly number[], line: number, character: number): TypingContext | undefined {
  const start = lineStarts[line];
  const end = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
  const lineText = text.slice(start, end).replace(/\r?\n$/, '');
  const before = lineText.slice(0, character);
  if (before.includes('#')) return undefined;
  const valueMatch = /^(\s*)(-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*:\s+(\S*)$/.exec(before);
  const keyMatch = /^(\s*)(-\s+)?([A-Za-z_][\w.-]*)?$/.exec(before);
  let at: 'key' | 'value';
  let key: string;
  let indent: number;
  let wordStart: number;
  if (valueMatch) {
    at = 'value';
    key = valueMatch[3];
    indent = valueMatch[1].length + (valueMatch[2]?.length ?? 0);
    wordStart = start + character - valueMatch[4].length;
  } else if (keyMatch) {
    at = 'key';
    key = keyMatch[3] ?? '';
    indent = keyMatch[1].length + (keyMatch[2]?.length ?? 0);
    wordStart = start + character - key.length;
  } else {
    return undefined;
  }
  const dashHere = !!(valueMatch?.[2] ?? keyMatch?.[2]);
  let wordEnd = start + character;
  while (wordEnd < start + lineText.length && /[\w.-]/.test(text[wordEnd])) wordEnd++;

  const lineAt = (l: number) => shape(text.slice(lineStarts[l], l + 1 < lineStarts.length ? lineStarts[l + 1] : text.length).replace(/\r?\n$/, ''));
  const parent: string[] = [];
  const siblings = new Set<string>();
  // Inside a mapping whose keys start at column `col`; or, while `seqCol` is set, inside a list item whose dash is at
  // `seqCol`, looking for the key that owns the list.
  let col = indent;
  let seqCol: number | undefined;
  let collecting = true;
  if (dashHere) {
    parent.unshift('[]');
    seqCol = indent - (valueMatch?.[2] ?? keyMatch?.[2] ?? '').length;
    collecting = false;
  } else {
    // Keys below the cursor at its level are siblings too.
    for (let l = line + 1; l < lineStarts.length; l++) {
      const s = lineAt(l);
      if (!s) continue;
      if (s.contentIndent < col || (s.dash && s.contentIndent <= col)) break;
      if (s.contentIndent === col && s.key) siblings.add(s.key);
    }
  }
  for (let l = line - 1; l >= 0; l--) {
    const s = lineAt(l);
    if (!s) continue;
    if (seqCol !== undefined) {
      if (s.dash && s.indent === seqCol) continue; // an earlier item of the same list
      if (s.contentIndent > seqCol) continue; // inside an earlier item
      if (!s.key || !emptyRest(s.rest)) return undefined; // a list of lists, or not YAML we can follow
      parent.unshift(s.key);
      if (s.dash) { parent.unshift('[]'); seqCol = s.indent; } else { seqCol = undefined; col = s.contentIndent; }
      continue;
    }
    if (s.contentIndent > col) continue; // deeper: the content of an earlier sibling
    if (s.contentIndent === col) {
      if (collecting && s.key) siblings.add(s.key);
      if (s.dash) { collecting = false; parent.unshift('[]'); seqCol = s.indent; }
      continue;
    }
    collecting = false;
    if (!s.key || !emptyRest(s.rest)) return undefined;
    parent.unshift(s.key);
    if (s.dash) { parent.unshift('[]'); seqCol = s.indent; } else col = s.contentIndent;
  }
  return { parent, at, key, siblings, word: [wordStart, wordEnd] };
}

/** Whether what follows `key:` leaves the value to the next lines (nothing, a comment, or a block scalar header). */
function emptyRest(rest: string): boolean {
  return /^\s*(#.*)?$/.test(rest);
}
