// The fast reader of rules-file items (fastparse.ts) against the yaml library: for every item of every corpus rules
// file, and for seeded random mutations of them, it either declines or yields exactly the yaml path's node (values,
// spans, source tokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fastParseItem } from '../../server/src/service/rules/fastparse';
import { chunkStarts, yamlItemNode } from '../../server/src/service/rules/model';
import { CORPUS_RULES, corpusExists } from './rules-host';

function rulesFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) out.push(...rulesFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Chunks (start, end) of a text in the usual shape. */
function chunksOf(text: string): [number, number][] {
  const starts = chunkStarts(text) ?? [];
  return starts.map((s, i) => [s, i + 1 < starts.length ? starts[i + 1] : text.length]);
}

/** Compares the fast reader with the yaml path on one chunk; returns whether the fast reader accepted it. */
function check(text: string, start: number, end: number, where: string): boolean {
  const fast = fastParseItem(text, start, end);
  if (!fast) return false;
  const reference = yamlItemNode(text, start, end);
  assert.ok(reference, `${where}: the fast reader accepted a chunk the yaml library does not read as one clean item:\n${text.slice(start, end)}`);
  assert.deepStrictEqual(fast, reference, `${where}:\n${text.slice(start, end)}`);
  return true;
}

test('fast reader: hand-written items in every supported form equal the yaml path', () => {
  const text = [
    '- rule: a b', "  desc: \"x y\" # c", '  condition: >', '    evt.type = open', '      and x', '', '    or y', '',
    "  tags: [a, 'b', \"c d\"]", '  enabled: false', '  output: |-', '    hi', '    there', '  x: \'it\'\'s\'', '  list: []',
    '  n: ~', '  items: [', '    a,', '    b', '    ]', '# tail', '- macro: m', '  condition: evt.type=open # trailing', '',
    '- macro: p', '  condition: a and', '     b', '', '    c   ', '  items: [10-dpkg, 20-rpm]', '',
    '- list: q', '  items:', '    [', '      "a:b",', '      c,', '    ]', '  override:', '    items: append', '',
    '- macro: r', '  condition:', '    (a or', '    b)', '  items: [', '    x', '  ]', '',
  ].join('\n');
  const chunks = chunksOf(text);
  assert.equal(chunks.length, 5);
  assert.equal(fastParseItem(text, chunks[3][0], chunks[3][1]), null, 'nested block mapping (override) declined');
  for (const [s, e] of chunks.filter((_, i) => i !== 3)) assert.ok(check(text, s, e, 'hand-written'), `declined:\n${text.slice(s, e)}`);
});

test('fast reader: declines what it does not handle', () => {
  for (const item of ['- rule: a\n  exceptions:\n    - name: x\n', '- rule: &a x\n', '- rule: 15\n', '- rule: "a\\tb"\n', '- rule: a\n  desc: b: c\n', '- rule: a\n\tdesc: b\n']) {
    assert.equal(fastParseItem(item, 0, item.length), null, item);
  }
});

test('fast reader: every corpus item, declined or equal to the yaml path', { skip: !corpusExists && 'corpus absent' }, () => {
  let accepted = 0;
  let total = 0;
  for (const file of rulesFiles(CORPUS_RULES)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [s, e] of chunksOf(text)) {
      total++;
      if (check(text, s, e, path.relative(CORPUS_RULES, file))) accepted++;
    }
  }
  // Most items of real files have the regular shape: the fast path must be the common path.
  assert.ok(total > 1000 && accepted / total > 0.7, `accepted ${accepted} of ${total}`);
  console.log(`fast reader: accepted ${accepted} of ${total} corpus items`);
});

test('fast reader: seeded random mutations of corpus items, declined or equal to the yaml path', { skip: !corpusExists && 'corpus absent' }, () => {
  let seed = 12345;
  const random = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pieces = [' ', '  ', '\n', '\n  ', '\n    ', '#', ' #', ':', ': ', '- ', '[', ']', ',', '"', "'", "''", '>', '|', '|-', '>+', '\\', 'a', '0', '1.5', '\t', '\r\n', '&a ', '*a', '!t ', '{', '}', '~', 'true', 'null', '?', '%', '@', '`', '\n\n', '\n  \n', '  - x\n', 'é'];
  // The official layout and the formatter layout of the plugin files (flow sequences on their own lines).
  const chunks = ['falcosecurity__rules/falco_rules.yaml', 'falcosecurity__plugins/k8saudit/k8s_audit_rules.yaml'].flatMap((rel) => {
    const text = fs.readFileSync(path.join(CORPUS_RULES, rel), 'utf8');
    return chunksOf(text).map(([s, e]) => text.slice(s, e));
  });
  let accepted = 0;
  for (let n = 0; n < 30000; n++) {
    let chunk = chunks[random(chunks.length)];
    const edits = 1 + random(3);
    for (let k = 0; k < edits; k++) {
      const at = 2 + random(Math.max(1, chunk.length - 2));
      const del = random(3) === 0 ? random(4) : 0;
      chunk = chunk.slice(0, at) + (random(4) === 0 ? '' : pieces[random(pieces.length)]) + chunk.slice(at + del);
    }
    // Also at an offset inside a larger document, as in a file.
    const prefix = random(2) === 0 ? '' : '- list: p\n  items: [a]\n\n';
    const doc = prefix + chunk;
    if (check(doc, prefix.length, doc.length, `mutation ${n}`)) accepted++;
  }
  assert.ok(accepted > 3000, `accepted ${accepted} mutations`);
  console.log(`fast reader: accepted ${accepted} of 30000 mutations`);
});
