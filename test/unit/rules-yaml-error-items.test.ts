// A YAML error stays in the item where it is: a file whose items all start with `- ` at column 0 is read one item at
// a time even while one item does not parse (typing a new key gives a YAML error until its colon), so the other items
// keep their cached readings and checks instead of the whole text going through the yaml library on every keystroke.
// The diagnostics must be those of a fresh service over the same text, and the error must be where it was typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createRulesService } from '../../server/src/service/rules';
import { clearCheckMemos } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache, parseRulesFile } from '../../server/src/service/rules/model';
import { clearLoadMemos, RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { CORPUS_RULES, MemoryHost, corpusExists, rulesDoc, summarize } from './rules-host';
import { canonicalNodes } from './model-canonical';
import { incrementalChange } from './rules-random-edits';

const FALCO_RULES = path.join(CORPUS_RULES, 'falcosecurity__rules', 'falco_rules.yaml');

function freshDiagnostics(p: string, text: string): string[] {
  clearCheckMemos();
  clearChunkCache();
  clearLoadMemos();
  const svc = createRulesService(new MemoryHost({ [p]: text }, { ruleFiles: [p] }));
  return svc.diagnostics(rulesDoc(p, text)).map(summarize);
}

test('typing a new key in a rule: the YAML error is reported on that line, the file is still read item by item, and the diagnostics equal a fresh validation', { skip: !corpusExists && 'corpus absent' }, () => {
  const p = '/etc/falco/falco_rules.yaml';
  const original = fs.readFileSync(FALCO_RULES, 'utf8');
  // A new line after the condition of the rule nearest the middle of the file, typed one character at a time.
  const at = original.indexOf('\n', original.indexOf('  condition:', Math.floor(original.length / 2))) + 1;
  const typedLine = original.slice(0, at).split('\n').length; // 1-based line of the typed key
  const svc = createRulesService(new MemoryHost({ [p]: original }, { ruleFiles: [p] }));
  let doc = rulesDoc(p, original, 1);
  svc.didOpenOrChange?.(doc);
  assert.deepEqual(svc.diagnostics(doc), [], 'the official file has no findings');
  const index = new RulesWorkspaceIndex(new MemoryHost({}, { ruleFiles: [] }));
  let indexDoc = rulesDoc(p, original, 1);
  index.didOpenOrChange(indexDoc);
  index.modelOf(indexDoc.uri, original);
  const key = '  exceptions';
  for (let n = 1; n <= key.length + 1; n++) {
    const before = doc.getText();
    const after = original.slice(0, at) + (n <= key.length ? key.slice(0, n) : `${key}:`) + '\n' + original.slice(at);
    const change = incrementalChange(before, after);
    doc = TextDocument.update(doc, [change], doc.version + 1);
    svc.didOpenOrChange?.(doc, [change]);
    const got = svc.diagnostics(doc).map(summarize);
    indexDoc = TextDocument.update(indexDoc, [change], indexDoc.version + 1);
    index.didOpenOrChange(indexDoc, [change]);
    const model = index.modelOf(indexDoc.uri, after);
    assert.ok(model.chunks, `step ${n}: the file is read item by item`);
    const withErrors = model.chunks.filter((c) => c.errors);
    if (n >= 3 && n <= key.length) {
      // `  e`, `  ex` ... until the colon: a YAML error on the typed line, in that item only.
      const yamlErrors = got.filter((d) => d.includes(' yaml-syntax '));
      assert.equal(withErrors.length, 1, `step ${n}: one item has the error`);
      assert.ok(yamlErrors.length > 0 && yamlErrors.every((d) => d.startsWith(`${typedLine}:`)), `step ${n}: ${JSON.stringify(yamlErrors)}`);
    }
    if (n === key.length + 1) assert.equal(withErrors.length, 0, 'the colon ends the error');
    assert.deepEqual(got, freshDiagnostics(p, after), `step ${n}: equal to a fresh validation`);
    assert.deepEqual(JSON.parse(JSON.stringify(canonicalNodes(model))), JSON.parse(JSON.stringify(canonicalNodes(parseRulesFile(indexDoc.uri, after)))), `step ${n}: equal to a parse from nothing`);
  }
});

test('an unclosed quote does not run into the next items: they are read and checked as written', () => {
  const text = `- macro: a_macro
  condition: proc.name = x

- rule: R1
  desc: "unterminated
  condition: a_macro and evt.type = execve
  output: "o %proc.name"
  priority: WARNING

- rule: R2
  desc: d
  condition: b_macro and evt.type = execve
  output: "o %proc.name"
  priority: WARNING
`;
  const model = parseRulesFile('file:///w/x_rules.yaml', text);
  assert.deepEqual(model.items.map((i) => i.name), ['a_macro', 'R1', 'R2']);
  assert.equal(model.chunks?.length, 3);
  assert.deepEqual(model.yamlErrors.map((e) => [e.code, text.slice(0, e.span.start).split('\n').length]), [['MISSING_CHAR', 5]]);
  const got = freshDiagnostics('/w/x_rules.yaml', text);
  assert.ok(got.some((d) => /^12:14-12:21 undefined-macro /.test(d)), got.join('\n'));
});

test('one content change that splits a line: the region read again reaches the new line (a text line at column 0 sends the file to the whole-text reading)', () => {
  const original = `- macro: a
  condition: proc.name = x
# Users should overwrite this macro to specify conditions
- list: b
  items: [c]
`;
  const index = new RulesWorkspaceIndex(new MemoryHost({}, { ruleFiles: [] }));
  let doc = rulesDoc('/w/x_rules.yaml', original, 1);
  index.didOpenOrChange(doc);
  index.modelOf(doc.uri, original);
  // A line break typed inside the comment: "specify" splits into "sp" and a new line "ecify ..." at column 0.
  const split = original.indexOf('ecify');
  const after = `${original.slice(0, split)}\n${original.slice(split)}`;
  const change = incrementalChange(original, after);
  doc = TextDocument.update(doc, [change], 2);
  index.didOpenOrChange(doc, [change]);
  const model = index.modelOf(doc.uri, after);
  const scratch = parseRulesFile(doc.uri, after);
  assert.equal(scratch.chunks, undefined, 'a text line at column 0: not the item-by-item shape');
  assert.equal(model.chunks, undefined, 'the incremental reading sees that line too');
  assert.deepEqual(JSON.parse(JSON.stringify(canonicalNodes(model))), JSON.parse(JSON.stringify(canonicalNodes(scratch))));
});
