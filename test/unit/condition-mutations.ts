// Deterministic mutations of Falco conditions for the differential test against libsinsp (a helper, not a test file).

/** mulberry32: a small seeded PRNG, so the mutation set is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Token { text: string; start: number; end: number }

const OPERATOR_TOKENS = ['==', '!=', '<=', '>=', '=', '<', '>'];

/** Splits a condition into rough tokens: quoted strings, parentheses, commas, symbol operators and words. Only
 *  used to pick mutation points, so it need not agree with the parser on every corner. */
export function roughTokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      i = Math.min(i + 1, text.length);
    } else if (c === '(' || c === ')' || c === ',') {
      i++;
    } else {
      const op = OPERATOR_TOKENS.find((o) => text.startsWith(o, i));
      if (op) i += op.length;
      else while (i < text.length && !/[\s(),"'=<>!]/.test(text[i]!)) i++;
      if (i === start) i++;
    }
    out.push({ text: text.slice(start, i), start, end: i });
  }
  return out;
}

const WORD_OPERATORS = new Set(['contains', 'icontains', 'startswith', 'endswith', 'glob', 'in', 'pmatch', 'exists', 'intersects']);
const UNKNOWN_OPERATOR_WORDS = ['equals', 'like', 'startwith', 'is', 'contain', 'matches', 'inn'];

export type MutationKind = 'delete' | 'swap' | 'double-operator' | 'insert-paren' | 'remove-paren' | 'truncate' | 'and-and' | 'unknown-operator';
export const MUTATION_KINDS: readonly MutationKind[] = ['delete', 'swap', 'double-operator', 'insert-paren', 'remove-paren', 'truncate', 'and-and', 'unknown-operator'];

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** One mutation of `text`, or undefined when the kind does not apply (no operator, no parenthesis...). */
export function mutate(text: string, kind: MutationKind, random: () => number): string | undefined {
  const tokens = roughTokens(text);
  if (tokens.length === 0) return undefined;
  const pick = <T>(items: T[]): T | undefined => (items.length === 0 ? undefined : items[Math.floor(random() * items.length)]);
  const isOperator = (t: Token): boolean => OPERATOR_TOKENS.includes(t.text) || WORD_OPERATORS.has(t.text);
  switch (kind) {
    case 'delete': {
      const t = pick(tokens)!;
      return splice(text, t.start, t.end, '');
    }
    case 'swap': {
      if (tokens.length < 2) return undefined;
      const i = Math.floor(random() * (tokens.length - 1));
      const a = tokens[i]!, b = tokens[i + 1]!;
      return text.slice(0, a.start) + b.text + text.slice(a.end, b.start) + a.text + text.slice(b.end);
    }
    case 'double-operator': {
      const t = pick(tokens.filter(isOperator));
      return t && splice(text, t.start, t.end, `${t.text} ${t.text}`);
    }
    case 'insert-paren': {
      const t = pick(tokens)!;
      const paren = random() < 0.5 ? '(' : ')';
      return random() < 0.5 ? splice(text, t.start, t.start, paren) : splice(text, t.end, t.end, paren);
    }
    case 'remove-paren': {
      const t = pick(tokens.filter((x) => x.text === '(' || x.text === ')'));
      return t && splice(text, t.start, t.end, '');
    }
    case 'truncate': {
      if (tokens.length < 2) return undefined;
      const t = tokens[1 + Math.floor(random() * (tokens.length - 1))]!;
      return text.slice(0, t.start).trimEnd();
    }
    case 'and-and': {
      const t = pick(tokens.filter((x) => x.text === 'and' || x.text === 'or'));
      return t && splice(text, t.start, t.end, `${t.text} ${t.text}`);
    }
    case 'unknown-operator': {
      const t = pick(tokens.filter(isOperator));
      return t && splice(text, t.start, t.end, pick(UNKNOWN_OPERATOR_WORDS)!);
    }
  }
}
