// The fast reader of rules-file items (fastparse.ts) against the yaml library on generated items: random nestings of
// block mappings, block sequences (indented, at the key's column, compact `- key: value`), flow sequences, block and
// plain scalars, with comment, blank and whitespace-only lines at random columns and occasional odd indentation.
// Every item is either declined or read exactly as the yaml path reads it (values, spans, source tokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastParseItem } from '../../server/src/service/rules/fastparse';
import { yamlItemNode } from '../../server/src/service/rules/model';
import { canonicalNodes } from './model-canonical';

/** Seeded 32-bit LCG (Math.imul keeps the arithmetic exact), returning its high bits. */
function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => { state = (Math.imul(state, 1103515245) + 12345) >>> 0; return (state >>> 8) % n; };
}

function generator(seed: number): () => string {
  const random = seededRandom(seed);
  const pick = <T>(a: T[]): T => a[random(a.length)];
  const words = ['a', 'b c', 'x.y', '10', '0.5.1', '.bashrc', 'true', '~', "'q'", '"d q"', 'k8s', '007', '1.5', 'a:b', 'p #c', '-x', 'é'];
  const keys = ['name', 'fields', 'comps', 'values', 'items', 'version', 'condition', 'alternatives', 'override', 'x'];
  const odd = (col: number) => col + (random(15) === 0 ? pick([-1, 1]) : 0);
  const flow = (depth: number): string => {
    const items: string[] = [];
    for (let i = random(4); i > 0; i--) items.push(depth < 2 && random(3) === 0 ? flow(depth + 1) : pick(words));
    return `[${items.join(pick([', ', ',', ' , ']))}${random(6) === 0 ? ',' : ''}]`;
  };
  const filler = (): string => {
    const r = random(30);
    if (r < 6) return `${' '.repeat(random(10))}# c\n`;
    if (r < 11) return '\n';
    if (r < 13) return `${' '.repeat(random(8))}\n`;
    return '';
  };
  const scalarOrFlow = (): string => (random(10) < 3 ? flow(0) : pick(words));
  const trailing = (): string => (random(8) === 0 ? ' # t' : '');
  const mapLines = (col: number, depth: number, firstPrefix: string): string => {
    let out = '';
    for (let i = 1 + random(3); i > 0; i--) {
      out += `${out === '' ? firstPrefix : ' '.repeat(odd(col))}${pick(keys)}:${valueAfterKey(col, depth)}${filler()}`;
    }
    return out;
  };
  const seqLines = (col: number, depth: number): string => {
    let out = '';
    for (let i = 1 + random(3); i > 0; i--) {
      const prefix = `${' '.repeat(odd(col))}-${pick([' ', ' ', '  '])}`;
      out += depth < 3 && random(3) === 0 ? mapLines(prefix.length, depth + 1, prefix) : `${prefix}${scalarOrFlow()}${trailing()}\n`;
      out += filler();
    }
    return out;
  };
  const valueAfterKey = (col: number, depth: number): string => {
    const r = random(12);
    if (depth < 3 && r < 3) return `\n${seqLines(col + pick([0, 2, 2, 4, 1]), depth + 1)}`;
    if (depth < 3 && r < 5) { const inner = col + pick([2, 2, 4, 1]); return `\n${mapLines(inner, depth + 1, ' '.repeat(inner))}`; }
    if (r < 6) return `${pick([' >\n', ' |-\n', ' > \n'])}${' '.repeat(col + 2)}l1\n${random(2) ? `${' '.repeat(col + 2)}l2 \n` : ''}`;
    if (r < 7) return `\n${' '.repeat(col + 2)}${scalarOrFlow()}\n`;
    return ` ${scalarOrFlow()}${trailing()}\n`;
  };
  return () => `- rule: r\n${mapLines(2, 0, '  ')}${filler()}`;
}

test('fast reader: generated nested items, declined or equal to the yaml path', () => {
  let accepted = 0;
  const count = 20000;
  for (const seed of [1, 2]) {
    const next = generator(seed);
    for (let n = 0; n < count / 2; n++) {
      const item = next();
      const fast = fastParseItem(item, 0, item.length);
      if (!fast) continue;
      accepted++;
      const reference = yamlItemNode(item, 0, item.length);
      assert.ok(reference, `the fast reader accepted an item the yaml library does not read as one clean item:\n${item}`);
      assert.deepStrictEqual(canonicalNodes(fast), canonicalNodes(reference), item);
    }
  }
  assert.ok(accepted > count / 10, `accepted ${accepted} of ${count}`);
  console.log(`fast reader: accepted ${accepted} of ${count} generated items`);
});
