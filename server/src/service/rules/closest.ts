// "Did you mean": the known names closest to a misspelt one, by edit distance.

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours), or limit + 1 once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, beforePrevious[j - 2] + 1);
      current.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] > limit ? limit + 1 : previous[b.length];
}

/** How far a name may be from a candidate to be suggested: about a quarter of its length, at least 1, at most 3. */
export function typoLimit(name: string): number {
  return Math.max(1, Math.min(3, Math.floor(name.length / 4)));
}

/** Up to `max` candidates within the typo limit, closest first (ties keep the candidates' order). */
export function closestNames(name: string, candidates: Iterable<string>, max = 3, limit = typoLimit(name)): string[] {
  const scored: { name: string; d: number; i: number }[] = [];
  let i = 0;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase(), limit);
    if (d <= limit && c !== name) scored.push({ name: c, d, i });
    i++;
  }
  scored.sort((x, y) => x.d - y.d || x.i - y.i);
  const out: string[] = [];
  for (const s of scored) if (!out.includes(s.name) && out.length < max) out.push(s.name);
  return out;
}
