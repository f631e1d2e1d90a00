// YAML aliases naming no anchor before them (session 16, helper D round 2): yaml-cpp refuses the document at the
// alias, and Falco fails to load the file (LOAD_ERR_YAML_PARSE), at every release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAt, rulesDoc } from './rules-host';

const FILE = '/ws/falco_rules.local.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';
const said = (text: string, version = '0.44') => {
  const doc = rulesDoc(FILE, text);
  // The other findings (an unused macro) are left out: items are checked as usual beside a YAML error.
  return diagnoseAt(FILE, text, version).filter((d) => d.code !== 'unused-macro')
    .map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code} ${doc.getText(d.range)}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
};
const RULE = (name: string, condition: string) => ['- rule: ' + name, '  desc: d', `  condition: ${condition}`, '  output: o', '  priority: INFO'];

test('an alias naming no anchor is an error at the alias, as yaml-cpp refuses the file there', () => {
  const text = lines('- macro: m', '  condition: evt.type = open', ...RULE('R', '*nowhere'));
  assert.deepEqual(said(text), [
    '4:13 1 yaml-syntax *nowhere: YAML: the alias *nowhere names no anchor: no anchor &nowhere comes before it in the document. '
      + 'Falco\'s YAML reader refuses the file here ("yaml-cpp: error at line 5, column 14: the referenced anchor is not defined: nowhere"; '
      + 'Falco 0.37 does not print the name), so Falco loads none of its items. (LOAD_ERR_YAML_PARSE)',
  ]);
  // The same at an older release; under another key too (no "must be a string" beside it).
  assert.deepEqual(said(text, '0.37').map((d) => d.split(': YAML')[0]), ['4:13 1 yaml-syntax *nowhere']);
  const desc = lines('- rule: R', '  desc: *d', '  condition: evt.type = open', '  output: o', '  priority: INFO');
  assert.deepEqual(said(desc).map((d) => d.split(': YAML')[0]), ['1:8 1 yaml-syntax *d']);
});

test('an anchor written after its alias does not count: the error says where it is', () => {
  const text = lines(...RULE('R', '*spawn'), '- macro: spawned', '  condition: &spawn evt.type = execve');
  const got = said(text);
  assert.equal(got.length, 1, got.join('\n'));
  assert.match(got[0], /^2:13 1 yaml-syntax \*spawn: YAML: the alias \*spawn names no anchor: its anchor &spawn comes only later \(line 7\), and YAML reads an anchor before its aliases\. .*line 3, column 14: /);
  // Within one item too: the exceptions alias before the anchored condition of the same rule.
  const same = lines('- rule: R', '  desc: d', '  exceptions: *c', '  condition: &c evt.type = open', '  output: o', '  priority: INFO');
  assert.match(said(same).join('\n'), /^2:14 1 yaml-syntax \*c: YAML: the alias \*c names no anchor: its anchor &c comes only later \(line 4\)/);
});

test('anchors are per document, columns are UTF-8 bytes, and an alias to an earlier item\'s anchor is no error', () => {
  // A second document does not see the first's anchors (yaml-cpp: one SingleDocParser per document).
  const docs = lines('- macro: m', '  condition: &c evt.type = open', '---', ...RULE('R', '*c'));
  assert.deepEqual(said(docs).map((d) => d.split(': YAML')[0]), ['5:13 1 yaml-syntax *c']);
  const accented = lines('- macro: m', '  condition: &c evt.type = open', '- rule: R', '  desc: "é"', '  output: o', '  priority: INFO', '  condition: {a: "é", b: *x}');
  assert.match(said(accented).join('\n'), /line 7, column 27: the referenced anchor is not defined: x/);
  assert.deepEqual(said(lines('- macro: m', '  condition: &c evt.type = open', ...RULE('R', '*c'))), []);
});

test('the error is the same read chunk by chunk, from the whole text and after edits that remove or add the anchor', async () => {
  const { parseRulesFile, parseWholeText } = await import('../../server/src/service/rules/model');
  const { RulesWorkspaceIndex } = await import('../../server/src/service/rules/workspace');
  const { MemoryHost } = await import('./rules-host');
  const { incrementalChange } = await import('./rules-random-edits');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const errors = (m: ReturnType<typeof parseRulesFile>) => m.yamlErrors.map((e) => `${e.code} ${e.span.start}-${e.span.end} ${e.message}`);
  const anchored = lines('- macro: spawned', '  condition: &spawn evt.type = execve', ...RULE('A', '*spawn'), ...RULE('B', 'spawned'), '  tags: *other', '- list: l', '  items: &other [x]');
  const texts = [anchored, anchored.replace('&spawn ', ''), anchored.replace('- list: l\n  items: &other [x]\n', ''), anchored];
  const uri = 'file:///ws/falco_rules.local.yaml';
  const index = new RulesWorkspaceIndex(new MemoryHost({}, { ruleFiles: [] }));
  let doc = rulesDoc(uri, texts[0], 1);
  index.didOpenOrChange(doc);
  index.modelOf(uri, texts[0]);
  const seen: string[][] = [];
  for (const [k, text] of texts.entries()) {
    if (k > 0) {
      const change = incrementalChange(doc.getText(), text);
      doc = TextDocument.update(doc, [change], doc.version + 1);
      index.didOpenOrChange(doc, [change]);
    }
    const incremental = index.modelOf(uri, text);
    const scratch = parseRulesFile(uri, text);
    assert.ok(scratch.chunks, 'read chunk by chunk');
    assert.deepEqual(errors(incremental), errors(scratch), `text ${k}`);
    assert.deepEqual(errors(scratch), errors(parseWholeText(uri, text)), `text ${k}: whole`);
    seen.push(errors(scratch).map((e) => e.split(' ').slice(0, 2).join(' ')));
  }
  const at = (name: string, t: string) => { const i = t.indexOf(name); return `UNKNOWN_ANCHOR ${i}-${i + name.length}`; };
  assert.deepEqual(seen, [[at('*other', texts[0])], [at('*spawn', texts[1]), at('*other', texts[1])], [at('*other', texts[2])], [at('*other', texts[3])]]);
});
