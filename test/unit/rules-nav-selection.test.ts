// Smart selection in rules files: from the cursor outwards through the condition's syntax tree (a word, the
// comparison, a parenthesised group or and/or chain, the condition), then the YAML structure (the pair, the mapping,
// the list item with its `- `, the document). Every range strictly contains the one inside it and the position, also
// in folded, literal and quoted multi-line conditions, with CRLF line breaks and in files with YAML errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import { carets, workspace } from './rules-nav-helpers';
import { CORPUS_RULES, MemoryHost, corpusExists, rulesDoc } from './rules-host';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { analyzeFile, conditionOf } from '../../server/src/service/rules/semanticTokens';
import { parseRulesFile } from '../../server/src/service/rules/model';
import { openHost, positionOf } from './embedded-helpers';

const FILE = '/ws/shell_rules.yaml';

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const inside = (inner: Range, outer: Range) => before(outer.start, inner.start) && before(inner.end, outer.end);
const same = (a: Range, b: Range) => inside(a, b) && inside(b, a);

/** The chain's ranges, innermost first, after checking that each one holds the position and strictly holds the one
 *  inside it. */
function chainOf(selection: SelectionRange, position: Position, where = ''): Range[] {
  const ranges: Range[] = [];
  for (let s: SelectionRange | undefined = selection; s; s = s.parent) {
    assert.ok(before(s.range.start, position) && before(position, s.range.end), `${where}: ${JSON.stringify(s.range)} holds ${JSON.stringify(position)}`);
    const inner = ranges[ranges.length - 1];
    if (inner) assert.ok(inside(inner, s.range) && !same(inner, s.range), `${where}: ${JSON.stringify(s.range)} strictly contains ${JSON.stringify(inner)}`);
    ranges.push(s.range);
  }
  return ranges;
}

/** The texts of the chain at the caret of a marked rules text, innermost first. */
function selections(marked: string): string[] {
  const { text, offsets } = carets(marked);
  const { service } = workspace({ [FILE]: text });
  const doc = rulesDoc(FILE, text);
  service.didOpenOrChange?.(doc);
  const positions = offsets.map((o) => doc.positionAt(o));
  const found = service.selectionRanges!(doc, positions)!;
  assert.equal(found.length, positions.length, 'one chain per position');
  const chain = chainOf(found[0], positions[0]);
  return chain.map((r) => text.slice(doc.offsetAt(r.start), doc.offsetAt(r.end)));
}

const FOLDED = `- list: shells
  items: [bash, sh]

- macro: shell_started
  condition: >
    evt.type in (execve, execveat)
    and not (proc.name in (shells)
      or tolower(proc.pname) startswith oneof (run, ex<|>ec))
    and proc.pid = val(proc.ppid)

- rule: Shell
  desc: A shell
  condition: shell_started
  output: "Shell %proc.name"
  priority: WARNING
`;

test('a folded multi-line condition: the word, its list, the comparison, the group, the chain, the condition, the pair, the item', () => {
  const chain = selections(FOLDED);
  const condition = 'evt.type in (execve, execveat)\n    and not (proc.name in (shells)\n      or tolower(proc.pname) startswith oneof (run, exec))\n    and proc.pid = val(proc.ppid)';
  const item = `macro: shell_started\n  condition: >\n    ${condition}`;
  assert.deepEqual(chain, [
    'exec', '(run, exec)', 'tolower(proc.pname) startswith oneof (run, exec)',
    'proc.name in (shells)\n      or tolower(proc.pname) startswith oneof (run, exec)',
    '(proc.name in (shells)\n      or tolower(proc.pname) startswith oneof (run, exec))',
    'not (proc.name in (shells)\n      or tolower(proc.pname) startswith oneof (run, exec))',
    condition, `>\n    ${condition}`, `condition: >\n    ${condition}`, item, `- ${item}`, FOLDED.replace('<|>', ''),
  ]);
  // A field inside a transformer, and the argument of val().
  assert.deepEqual(selections(FOLDED.replace('<|>', '').replace('tolower(proc.pname)', 'tolower(proc.pn<|>ame)')).slice(0, 3),
    ['proc.pname', 'tolower(proc.pname)', 'tolower(proc.pname) startswith oneof (run, exec)']);
  assert.deepEqual(selections(FOLDED.replace('<|>', '').replace('val(proc.ppid)', 'val(proc.pp<|>id)')).slice(0, 4),
    ['proc.ppid', 'val(proc.ppid)', 'proc.pid = val(proc.ppid)', condition]);
});

test('CRLF line breaks select the same text as LF', () => {
  const lf = selections(FOLDED);
  const crlf = selections(FOLDED.replace(/\n/g, '\r\n'));
  assert.deepEqual(crlf.map((s) => s.replace(/\r\n/g, '\n')), lf);
  assert.ok(crlf.some((s) => s.includes('\r\n')), 'the ranges hold the CRLF text');
});

test('a literal block, a double-quoted condition over two lines, and an appended condition', () => {
  const literal = selections('- macro: m\n  condition: |\n    proc.name = bash and\n      (fd.name start<|>swith /etc or fd.directory = /etc)\n');
  assert.deepEqual(literal.slice(0, 5), [
    'startswith', 'fd.name startswith /etc', 'fd.name startswith /etc or fd.directory = /etc', '(fd.name startswith /etc or fd.directory = /etc)',
    'proc.name = bash and\n      (fd.name startswith /etc or fd.directory = /etc)',
  ]);
  assert.equal(literal[5], '|\n    proc.name = bash and\n      (fd.name startswith /etc or fd.directory = /etc)');
  const quoted = selections('- macro: m\n  condition: "proc.name = bash and\n    fd.name = \'/e<|>tc\'"\n');
  assert.deepEqual(quoted.slice(0, 5), ["'/etc'", "fd.name = '/etc'", "proc.name = bash and\n    fd.name = '/etc'", "\"proc.name = bash and\n    fd.name = '/etc'\"", "condition: \"proc.name = bash and\n    fd.name = '/etc'\""]);
  // The stand-in for the earlier condition that an appended fragment is parsed after is never selected.
  const appended = selections('- rule: Shell\n  condition: and proc.na<|>me = sh\n  override:\n    condition: append\n');
  assert.deepEqual(appended.slice(0, 4), ['proc.name', 'proc.name = sh', 'and proc.name = sh', 'condition: and proc.name = sh']);
});

test('YAML structure: a key, list items with their dash, an exception\'s values, an output field', () => {
  const exception = `- rule: R
  desc: d
  condition: proc.name = sh
  output: "Shell %proc.name"
  exceptions:
    - name: known
      fields: [proc.name, fd.name]
      values:
        - [sh, /t<|>mp]
`;
  assert.deepEqual(selections(exception).slice(0, 6), [
    '/tmp', '[sh, /tmp]', '- [sh, /tmp]', 'values:\n        - [sh, /tmp]',
    'name: known\n      fields: [proc.name, fd.name]\n      values:\n        - [sh, /tmp]',
    '- name: known\n      fields: [proc.name, fd.name]\n      values:\n        - [sh, /tmp]',
  ]);
  assert.deepEqual(selections(exception.replace('<|>', '').replace('%proc.name', '%proc.na<|>me')).slice(0, 4),
    ['%proc.name', 'Shell %proc.name', '"Shell %proc.name"', 'output: "Shell %proc.name"']);
  assert.deepEqual(selections(exception.replace('<|>', '').replace('desc: d', 'de<|>sc: d')).slice(0, 2), ['desc', 'desc: d']);
  assert.deepEqual(selections('- list: shells\n  items: [bash, s<|>h]\n').slice(0, 3), ['sh', '[bash, sh]', 'items: [bash, sh]']);
});

test('several positions: one chain each; a comment between items selects the document', () => {
  const { text, offsets } = carets('- macro: a\n  condition: b<|> and c\n# between<|>\n- macro: b\n  condition: proc.name = x\n');
  const { service } = workspace({ [FILE]: text });
  const doc = rulesDoc(FILE, text);
  const positions = offsets.map((o) => doc.positionAt(o));
  const [first, second] = service.selectionRanges!(doc, positions)!;
  assert.deepEqual(chainOf(first, positions[0]).map((r) => text.slice(doc.offsetAt(r.start), doc.offsetAt(r.end))), ['b', 'b and c', 'condition: b and c', 'macro: a\n  condition: b and c', '- macro: a\n  condition: b and c', text]);
  assert.deepEqual(chainOf(second, positions[1]), [{ start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }]);
});

test('files with YAML errors, an empty file and odd shapes: a valid chain at every position, never an error', () => {
  const texts = [
    '', '\n', 'foo: bar\n', '- rule: [unclosed\n  condition: proc.name = x and\n', '- macro: a\n  condition: (b and\n- macro: c\n  condition: "unterminated\n',
    '- macro: a\n  condition: >\n\n- list: l\n  items:\n    - [x\n', '- macro: a\r\n  condition: |\r\n    b and\r\n     c\r\n\r\n', '- [a, b]\n- 3\n- macro: a\n  condition: b\n  exceptions: [x, {name: y, values: [[1]]}]\n',
    '- rule: R\n  condition: proc.name in (a, "b\n  output: %x\n',
  ];
  for (const text of texts) {
    const { service } = workspace({ [FILE]: text });
    const doc = rulesDoc(FILE, text);
    const positions = Array.from({ length: text.length + 1 }, (_, i) => doc.positionAt(i));
    const found = service.selectionRanges!(doc, positions)!;
    assert.equal(found.length, positions.length);
    found.forEach((s, i) => chainOf(s, positions[i], JSON.stringify(text)));
  }
});

test('the official rules files: at every word of every condition the chain starts at it and passes through its condition and item', { skip: !corpusExists }, () => {
  const files = ['falcosecurity__rules/falco_rules.yaml', 'falcosecurity__rules/falco-incubating_rules.yaml', 'falcosecurity__rules/falco-sandbox_rules.yaml', 'falcosecurity__plugins/k8saudit/k8s_audit_rules.yaml'];
  let checked = 0;
  for (const relative of files) {
    const text = fs.readFileSync(path.join(CORPUS_RULES, relative), 'utf8');
    const { service } = workspace({ [FILE]: text });
    const doc = rulesDoc(FILE, text);
    service.didOpenOrChange?.(doc);
    const model = parseRulesFile(doc.uri, text);
    for (const { item, tokens } of analyzeFile(model).items) {
      const cond = conditionOf(item);
      if (!cond) continue;
      const entry = item.entries.find((e) => e.key === 'condition')!;
      const words = tokens.filter((t) => t.kind !== 'name' && t.span.start >= cond.node.span.start && t.span.end <= cond.node.span.end && t.span.end > t.span.start);
      const positions = words.map((t) => doc.positionAt(t.span.start));
      const found = service.selectionRanges!(doc, positions)!;
      words.forEach((t, i) => {
        const where = `${relative}:${positions[i].line + 1} ${text.slice(t.span.start, t.span.end)}`;
        const chain = chainOf(found[i], positions[i], where).map((r) => [doc.offsetAt(r.start), doc.offsetAt(r.end)]);
        assert.deepEqual(chain[0], [t.span.start, t.span.end], `${where}: starts at the word`);
        const valueEnd = text.slice(0, entry.span.end).trimEnd().length;
        assert.ok(chain.some(([s, e]) => s === entry.span.start && e === valueEnd), `${where}: passes through the condition's pair`);
        assert.ok(chain.some(([s]) => s === item.span.start - 2 && text.slice(s, s + 2) === '- '), `${where}: passes through the item`);
        // Inside the value, every range is condition text (nothing of the key or of the next entry).
        for (const [s, e] of chain) if (s > entry.keySpan.end) assert.ok(e <= entry.span.end, `${where}: ${s}-${e} stays in the value`);
        checked++;
      });
    }
  }
  assert.ok(checked > 4000, `${checked} words checked`);
});

test('embedded blocks: the chain lands on the host, ends at the block, and the YAML tooling answers elsewhere', () => {
  const values = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'helm', 'values.yaml'), 'utf8');
  const service = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(service, values, 'file:///ws/deploy/values.yaml');
  const position = positionOf(values, 'nginx_binaries)', 3);
  const [found] = service.embedded.selectionRanges!(doc, [position])!;
  const chain = chainOf(found, position).map((r) => values.slice(doc.offsetAt(r.start), doc.offsetAt(r.end)));
  assert.deepEqual(chain.slice(0, 3), ['nginx_binaries', '(nginx_binaries)', 'proc.pname in (nginx_binaries)']);
  const block = values.slice(values.indexOf('- rule: Shell spawned by nginx'), values.indexOf('\n\nfalco:'));
  assert.equal(chain[chain.length - 1].trim(), block.trim(), 'the outermost range is the embedded file, not the host');
  assert.equal(service.embedded.selectionRanges!(doc, [positionOf(values, 'kind: modern_ebpf', 2)]), null);
});
