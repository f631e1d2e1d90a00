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
import { canonicalNodes } from './model-canonical';

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
  assert.deepStrictEqual(canonicalNodes(fast), canonicalNodes(reference), `${where}:\n${text.slice(start, end)}`);
  return true;
}

test('fast reader: hand-written items in every supported form equal the yaml path', () => {
  const text = [
    '- rule: a b', "  desc: \"x y\" # c", '  condition: >', '    evt.type = open', '      and x', '', '    or y', '',
    "  tags: [a, 'b', \"c d\"]", '  enabled: false', '  output: |-', '    hi', '    there', '  x: \'it\'\'s\'', '  list: []',
    '  n: ~', '  items: [', '    a,', '    b', '    ]', '# tail', '- macro: m', '  condition: evt.type=open # trailing', '  output: -> x (a=%b)', '  tags: [-x, a]', '',
    '- macro: p', '  condition: a and', '     b', '', '    c   ', '  items: [10-dpkg, 20-rpm]', '',
    '- list: q', '  items:', '    [', '      "a:b",', '      c,', '    ]', '  override:', '    items: append', '',
    '- macro: r', '  condition:', '    (a or', '    b)', '  items: [', '    x', '  ]', '',
    // Nested block collections: exceptions, override, plugin versions, block sequences (indented or not), numbers.
    '- rule: e', '  condition: > ', '    a', '  exceptions:', '    - name: proc_names', '      fields: [proc.name, fd.name]',
    '      comps: [=, startswith]', '      values:', '        - [runc, /var/lib]', '        - [[nested], 2]', '    # between',
    '    - name: images', '      fields:', '      - container.image.repository', '      values: [[docker.io/a, \'b\'], [c]]',
    '  override:', '    exceptions: append', '    condition: replace', '  tags:', '  - a', '  - b c', '',
    '- required_engine_version: 10', '- required_plugin_versions:', '    - name: k8saudit', '      version: 0.7.0',
    '      alternatives:', '        - name: k8saudit-eks', '          version: 0.2.0', '    - name: json', '      version: 0.7.0',
    '# a comment at column 0', '', '- list: ports', '  items:', '    - 22', '    - "80"', '    - .bashrc', '    -   spaced',
    '  # at the mapping\'s column', '- list: empty_lines_between', '  items: [1, 2]', '  ', '  x: y', '',
  ].join('\n');
  const chunks = chunksOf(text);
  assert.equal(chunks.length, 10);
  for (const [s, e] of chunks) assert.ok(check(text, s, e, 'hand-written'), `declined:\n${text.slice(s, e)}`);
});

test('fast reader: declines what it does not handle', () => {
  const items = [
    '- rule: &a x\n', '- rule: 1.5\n', '- rule: "a\\tb"\n', '- rule: a\n  desc: b: c\n', '- rule: a\n\tdesc: b\n',
    '- rule: a\n  exceptions:\n    -\n      name: x\n', '- rule: a\n  desc:\n', '- rule: a\n  x: {a: b}\n', '- rule: a\n  x: !t b\n',
    '- rule: a\n  x: *a\n', '- rule: a\n  x:\n    - - b\n', '- rule: a\n  x:\n    - >\n      b\n', '- rule: a\n  x: >+\n    b\n',
    '- rule: a\n  x: 0x1f\n', '- rule: a\n  x: .inf\n', '- rule: a\n  "q": b\n', '- rule: a\n  x: b\r\n', '- rule: a\n  x: [a # c\n  ]\n',
    '- rule: a\n  x:\n    - b\n    # trailing comment at the sequence\'s column\n', '- rule: a\n  x: b\n    # deeper trailing comment\n',
    '- rule: a\n  x:\n     - b\n    - c\n',
  ];
  for (const item of items) {
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
  assert.ok(total > 1000 && accepted / total > 0.98, `accepted ${accepted} of ${total}`);
  console.log(`fast reader: accepted ${accepted} of ${total} corpus items`);
});

/**
 * A seeded pseudo-random generator: 32-bit LCG arithmetic with Math.imul (plain `*` loses the low bits beyond 2^53,
 * and an earlier version of this test drew almost only zeros from it), returning the high bits.
 */
function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => { state = (Math.imul(state, 1103515245) + 12345) >>> 0; return (state >>> 8) % n; };
}

test('fast reader: seeded random mutations of corpus items, declined or equal to the yaml path', { skip: !corpusExists && 'corpus absent' }, () => {
  const random = seededRandom(12345);
  // Pieces that make or break structure: indentation, sequence and mapping indicators, comments at various columns,
  // flow brackets, quotes, block scalar headers, numbers, YAML features the fast reader declines.
  const pieces = [
    ' ', '  ', '\n', '\n  ', '\n    ', '\n      ', '\n  - ', '\n    - ', '\n      - ', '- ', '-', '#', ' #', '\n# c', '\n  # c',
    '\n    # c', '\n     # c', '\n      # c', ':', ': ', 'k: ', '\n  k: v', '\n    k: v', '\n      k: v', '[', ']', '[[', ']]', ',',
    '"', "'", "''", '>', '|', '|-', '>+', '> ', '\\', 'a', '0', '12', '1.5', '.5', '.x', '\t', '\r\n', '&a ', '*a', '!t ', '{', '}',
    '~', 'true', 'null', '?', '%', '@', '`', '\n\n', '\n  \n', '  - x\n', 'é', '   \n', '->', '-x', '-1',
  ];
  // Every corpus file: the official layout, the formatter layout of the plugin files, nested exceptions and overrides.
  const chunks = rulesFiles(CORPUS_RULES).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    return chunksOf(text).map(([s, e]) => text.slice(s, e));
  });
  let accepted = 0;
  for (let n = 0; n < 30000; n++) {
    let chunk = chunks[random(chunks.length)];
    const edits = 1 + random(3);
    for (let k = 0; k < edits; k++) {
      let at = 2 + random(Math.max(1, chunk.length - 2));
      // Half of the edits near the start of a line, where the structure is.
      if (random(2) === 0) { const lineStart = chunk.lastIndexOf('\n', at) + 1; if (lineStart > 0) at = Math.min(chunk.length, lineStart + random(9)); }
      const del = random(3) === 0 ? random(4) : 0;
      chunk = chunk.slice(0, at) + (random(4) === 0 ? '' : pieces[random(pieces.length)]) + chunk.slice(at + del);
    }
    // Also at an offset inside a larger document, as in a file.
    const prefix = random(2) === 0 ? '' : '- list: p\n  items: [a]\n\n';
    const doc = prefix + chunk;
    if (check(doc, prefix.length, doc.length, `mutation ${n}`)) accepted++;
  }
  assert.ok(accepted > 6000, `accepted ${accepted} mutations`);
  console.log(`fast reader: accepted ${accepted} of 30000 mutations`);
});
