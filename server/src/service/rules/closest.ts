// "Did you mean": the known names closest to a misspelt one, by edit distance.

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours), or limit + 1 once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rows, reused in turn (no array per row: suggestions run this over every known name).
  const width = b.length + 1;
  let beforePrevious = new Array<number>(width).fill(0);
  let previous = new Array<number>(width);
  let current = new Array<number>(width);
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, beforePrevious[j - 2] + 1);
      current[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const spare = beforePrevious;
    beforePrevious = previous;
    previous = current;
    current = spare;
  }
  return previous[b.length] > limit ? limit + 1 : previous[b.length];
}

/** How far a name may be from a candidate to be suggested: about a quarter of its length, at least 1, at most 3. */
export function typoLimit(name: string): number {
  return Math.max(1, Math.min(3, Math.floor(name.length / 4)));
}

/** Up to `max` candidates within the typo limit, closest first (ties keep the candidates' order). */
export function closestNames(name: string, candidates: Iterable<string>, max = 3, limit = typoLimit(name)): string[] {
  const names = [...candidates];
  return closestAmong(name, names, names.map((c) => c.toLowerCase()), max, limit);
}

/**
 * The characters of a name as 32 bits (bit `code & 31` for each character). Each character one name has and the
 * other lacks costs at least one edit (every edit removes or brings in at most one character; a swap neither), and
 * characters sharing a bit only make the count smaller, so the bits a mask has and another lacks are a lower bound of
 * the edit distance: a candidate above the limit by this bound is skipped before its distance is computed.
 */
export function characterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= 1 << (text.charCodeAt(i) & 31);
  return mask;
}

function bitCount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

/** The lower bound of the edit distance between two names that their character masks give (see characterMask). */
export function maskDistance(a: number, b: number): number {
  return Math.max(bitCount(a & ~b), bitCount(b & ~a));
}

/**
 * Known names asked for suggestions many times (macro, list and field names): their lower-case forms are computed
 * once, and a name whose length is too far from the one asked for is skipped before any distance is computed.
 */
export class NameIndex {
  private readonly lower: string[];
  /** characterMask of each lower-case name, computed when the name is first a candidate (most never are). */
  private readonly masks: (number | undefined)[] = [];
  /** Positions of the names by the length of their lower-case form. */
  private readonly byLength = new Map<number, number[]>();
  constructor(readonly names: readonly string[]) {
    this.lower = names.map((n) => n.toLowerCase());
    this.lower.forEach((n, i) => {
      const list = this.byLength.get(n.length);
      if (list) list.push(i);
      else this.byLength.set(n.length, [i]);
    });
  }
  closest(name: string, max = 3, limit = typoLimit(name)): string[] {
    const length = name.toLowerCase().length;
    if (!Number.isInteger(limit) || limit >= 8) return closestAmong(name, this.names, this.lower, max, limit);
    // Only names within `limit` of the length can be within `limit` edits.
    const positions: number[] = [];
    for (let l = Math.max(0, length - limit); l <= length + limit; l++) {
      const atLength = this.byLength.get(l);
      if (atLength) for (const i of atLength) positions.push(i);
    }
    return closestAmong(name, this.names, this.lower, max, limit, positions, this.masks);
  }
}

function closestAmong(name: string, names: readonly string[], lowerNames: readonly string[], max: number, limit: number, positions?: readonly number[], masks?: (number | undefined)[]): string[] {
  const scored: { name: string; d: number; i: number }[] = [];
  const lower = name.toLowerCase();
  const mask = masks ? characterMask(lower) : 0;
  const count = positions ? positions.length : names.length;
  for (let k = 0; k < count; k++) {
    const i = positions ? positions[k] : k;
    const candidate = lowerNames[i];
    if (Math.abs(candidate.length - lower.length) > limit) continue; // editDistance would say limit + 1
    if (masks && maskDistance(mask, masks[i] ??= characterMask(candidate)) > limit) continue; // likewise
    const d = editDistance(lower, candidate, limit);
    if (d <= limit && names[i] !== name) scored.push({ name: names[i], d, i });
  }
  scored.sort((x, y) => x.d - y.d || x.i - y.i);
  const out: string[] = [];
  for (const s of scored) if (!out.includes(s.name) && out.length < max) out.push(s.name);
  return out;
}

/**
 * The known word a value that is none of them most likely means, for a "Did you mean": the same word in another
 * case, else the closest within one edit (a typo), else the one word the value starts with or that starts with the
 * value (three characters at least: `information` → `info`, `emerg` → `emergency`), else the closest within three
 * edits. A word the value abbreviates comes before a far typo: `emerg` is three edits from `alert`. Empty when none
 * stands out.
 */
export function nearMiss(text: string, words: readonly string[]): string[] {
  const lower = text.toLowerCase();
  const same = words.find((w) => w.toLowerCase() === lower);
  if (same !== undefined) return same === text ? [] : [same];
  const typo = closestNames(lower, words, 1, 1);
  if (typo.length > 0) return typo;
  if (lower.length >= 3) {
    const prefixed = words.filter((w) => {
      const l = w.toLowerCase();
      return l.length >= 3 && (lower.startsWith(l) || l.startsWith(lower));
    });
    if (prefixed.length === 1) return prefixed;
  }
  return closestNames(lower, words, 1, 3);
}

/** " Did you mean 'a' or 'b'?" for a message, or nothing. */
export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
}
