// Exact ranges inside conditions and outputs, one test per YAML scalar style, plus CRLF, tabs and emoji; and the
// value → document offset map of every scalar style checked character by character.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments, isMap, isSeq, isScalar } from 'yaml';
import { createRulesService } from '../../server/src/service/rules';
import { buildScalarMap, type ScalarSourceToken } from '../../server/src/service/rules/scalar';
import { MemoryHost, rulesDoc, summarize } from './rules-host';

const FILE = '/ws/x_rules.yaml';
const HEADER = '- macro: spawned_process\n  condition: evt.type in (execve, execveat)\n\n';

/** Finds the diagnostic with `code` and checks that it starts and ends exactly at `expected` (line, character). */
function rangeOf(text: string, code: string) {
  const svc = createRulesService(new MemoryHost({ [FILE]: text }, { folders: ['/ws'] }));
  const diags = svc.diagnostics(rulesDoc(FILE, text));
  const d = diags.find((x) => x.code === code);
  assert.ok(d, `no ${code} in:\n${diags.map(summarize).join('\n')}`);
  return d.range;
}

function expectRange(text: string, code: string, needle: string, occurrence = 0) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0);
  const doc = rulesDoc(FILE, text);
  const range = rangeOf(text, code);
  assert.deepEqual(range, { start: doc.positionAt(at), end: doc.positionAt(at + needle.length) });
}

const rule = (condition: string) => `${HEADER}- rule: R\n  desc: d\n${condition}\n  output: "o | p=%proc.name"\n  priority: INFO\n`;

test('plain multi-line scalar: undefined macro on a continuation line', () => {
  const text = rule('  condition: spawned_process and\n    proc.name = bash and not\n      undefined_thing');
  expectRange(text, 'undefined-macro', 'undefined_thing');
});

test('double-quoted scalar with escapes before the fault', () => {
  const text = rule('  condition: "spawned_process and proc.args contains \\"x\\\\y\\" and proc.nmae = a"');
  expectRange(text, 'unknown-field', 'proc.nmae');
});

test('single-quoted scalar with doubled quotes before the fault', () => {
  const text = rule("  condition: 'spawned_process and proc.args contains ''x'' and proc.nmae = a'");
  expectRange(text, 'unknown-field', 'proc.nmae');
});

test('folded block scalar (condition: >) with a more-indented line', () => {
  const text = rule('  condition: >\n    spawned_process and\n      (proc.name = a or\n       proc.name = b)\n    and not undefined_thing');
  expectRange(text, 'undefined-macro', 'undefined_thing');
});

test('literal block scalar (condition: |) with a blank line', () => {
  const text = rule('  condition: |\n    spawned_process\n\n    and proc.nmae = bash');
  expectRange(text, 'unknown-field', 'proc.nmae');
});

test('flow mapping item', () => {
  const text = `${HEADER}- {rule: R, desc: d, condition: "spawned_process and undefined_thing", output: o, priority: INFO}\n`;
  expectRange(text, 'undefined-macro', 'undefined_thing');
});

test('syntax error position inside a folded scalar', () => {
  const text = rule('  condition: >\n    spawned_process and\n    proc.name equals bash');
  expectRange(text, 'condition-syntax', 'equals');
});

test('output field inside a double-quoted output', () => {
  const text = `${HEADER}- rule: R\n  desc: d\n  condition: spawned_process\n  output: "a \\"q\\" | p=%proc.nmae"\n  priority: INFO\n`;
  expectRange(text, 'unknown-field', 'proc.nmae');
});

test('CRLF line endings, a tab and an emoji before the fault', () => {
  const text = rule('  condition: >\n    spawned_process and proc.args contains "\t😀" and\n    undefined_thing').replace(/\n/g, '\r\n');
  expectRange(text, 'undefined-macro', 'undefined_thing');
});

// ---------------------------------------------------------------------------------------------------------------
// The offset map itself

const SCALARS = [
  'a: >\n  foo and\n    bar\n\n  baz\n',
  'a: |\n  x\n  y\n\n\n',
  'a: |+\n  x\n\n',
  'a: >-\n  x\n  y\n',
  'a: "x \\" y\n   z  \\\n   w\\tq\\u00e9"\n',
  "a: 'it''s\n\n   ok '\n",
  'a: plain\n   multi  line\n\n   more\n',
  'a: |-  # comment\n     x\n      y\n',
  'a: >\n\n  x\n   more\n  y\n  z\n',
  'a: "a\r\n  b"\r\n',
  'a: [x, \'y\', "z w"]\n',
];

for (const text of SCALARS) {
  test(`offset map is exact and character-faithful: ${JSON.stringify(text).slice(0, 40)}`, () => {
    const doc = parseAllDocuments(text, { keepSourceTokens: true })[0];
    assert.ok(isMap(doc.contents));
    const value = doc.contents.items[0].value;
    const nodes = isSeq(value) ? value.items : [value];
    for (const node of nodes) {
      assert.ok(isScalar(node));
      const str = String(node.value);
      const map = buildScalarMap(node.srcToken as unknown as ScalarSourceToken, str);
      assert.equal(map.exact, true);
      for (let i = 0; i < str.length; i++) {
        const source = text.slice(map.start(i), map.end(i + 1));
        const ch = str[i];
        // A character maps to itself, to its escape or quote pair, or (for folding) to the line break it replaces.
        const ok = source === ch || (source.startsWith('\\') || source === "''") || (/^\r?\n$|^\s*\r?\n?$/.test(source) && /\s/.test(ch));
        assert.ok(ok, `value[${i}]=${JSON.stringify(ch)} maps to ${JSON.stringify(source)}`);
      }
    }
  });
}
