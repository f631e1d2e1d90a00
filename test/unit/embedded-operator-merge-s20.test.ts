// Session 20 (helper C): `<<` merge keys in a Falco Operator Rulesfile's inlineRules. Falco's YAML reader has none
// (yaml-cpp 0.7.0 for Falco 0.37-0.39, c2bec4c for 0.40-0.44.1, cmake/modules/yaml-cpp.cmake: no '<<' handling in its
// src/), but Falco never reads the manifest: kubectl reads it with go-yaml v2, which merges (decode.go:661-665 and
// 786-811 at v2.4.0), sends JSON, and the operator writes that back for Falco. inlineRules with a merge key was not
// checked at all; it is now checked as Falco receives it, merged (operatorScalars.ts mergeExpansion, regions.ts
// withMerges), a finding in the merged keys shown on the '<<' line and saying so. A text block (customRules, a
// ConfigMap's rules.yaml) is read by Falco itself: there '<<' stays the unknown key Falco sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { openHost, operatorRulesfile, positionOf, textAt } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { service } from './operator-tuning-helpers';

const URI = 'file:///ws/deploy/falco/rulesfiles.yaml';
const rulesfile = (inline: string[]) => operatorRulesfile('x', ['inlineRules:', ...inline.map((l) => `  ${l}`), 'priority: 60', ''].join('\n'));

const MERGED = [
  '- macro: opens',
  '  condition: evt.type = open',
  '- rule: r',
  '  <<: &common',
  '    desc: d',
  '    output: o %fd.name',
  '    priority: WARNING',
  '  condition: opens',
  '- rule: r2',
  '  priority: INFO',
  '  <<: *common',
  '  output: mine %fd.name',
  '  condition: opens and nope',
];

test('inlineRules with merge keys is the text kubectl sends: merged pairs in place, an earlier pair replaced, a later one kept', () => {
  const host = rulesfile(MERGED);
  const [file] = analyzeHost(host).files;
  assert.ok(file, 'the block is checked');
  assert.equal(file.text, [
    '- macro: opens',
    '  condition: evt.type = open',
    '- rule: r',
    '  "desc": "d"',
    '  "output": "o %fd.name"',
    '  "priority": "WARNING"',
    '  condition: opens',
    '- rule: r2',
    '                ',
    '  "desc": "d"',
    '  "priority": "WARNING"',
    '  output: mine %fd.name',
    '  condition: opens and nope',
    '',
  ].join('\n'));
  // A list of mappings: the first takes precedence.
  const list = rulesfile(['- macro: a', '  <<: [{condition: evt.type = open}, {condition: evt.type = close, x: 1}]']);
  assert.equal(analyzeHost(list).files[0].text, '- macro: a\n  "x": 1\n  "condition": "evt.type = open"\n');
  // A merge key in a flow mapping: written over on its line by the pairs it merges (session 21).
  assert.equal(analyzeHost(rulesfile(['- {macro: a, <<: {condition: evt.type = open}}'])).files[0].text, '- {macro: a, "condition": "evt.type = open"}\n');
});

test('findings of a merged inlineRules: outside the merged keys where they are, inside them on the \'<<\' line, saying so', () => {
  const host = rulesfile(MERGED).replace('    priority: WARNING', '    priority: WARN');
  const { service: s } = service({});
  const doc = openHost(s, host, URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code !== 'embedded-kubectl-expanded');
  assert.deepEqual(found.map((d) => [d.code, d.range.start.line, textAt(host, d)]), [
    ['invalid-priority', positionOf(host, '<<: &common').line, '<<'],
    ['invalid-priority', positionOf(host, '<<: *common').line, '<<'],
    ['undefined-macro', positionOf(host, 'nope').line, 'nope'],
  ]);
  for (const d of found.slice(0, 2)) assert.match(String(d.message), /\(In the keys the '<<' of this line merges, as kubectl expands it\.\)$/);
  assert.doesNotMatch(String(found[2].message), /merges/);
  // r2 gets desc and priority from the merge: no missing key; the rules' own priority INFO is replaced, not read.
  assert.ok(!found.some((d) => d.code === 'missing-required-key'));
});

test('edits of a merged inlineRules: a fix in the merged keys is left out, a rename elsewhere lands on the manifest', () => {
  const host = rulesfile(MERGED).replace('    priority: WARNING', '    priority: WARN');
  const { service: s, host: h } = service({});
  const doc = openHost(s, host, URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code === 'invalid-priority');
  const actions = s.embedded.codeActions!(doc, found[0].range, { diagnostics: [found[0]] });
  assert.ok(!actions.some((a) => /WARNING/.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
  assert.ok(h.logs.some((l) => /left out the quick fix .* the edit changes keys that a '<<' merges there/.test(l)), h.logs.join('\n'));
  const edit = s.embedded.rename!(doc, positionOf(host, 'opens', 0, 0), 'opens_file');
  assert.ok(edit?.changes?.[URI]);
  const renamed = applyEdits(host, edit.changes[URI]);
  assert.equal(renamed, host.replaceAll('opens', 'opens_file'));
  // Hover on a line of its own still answers there.
  const hover = s.embedded.hover!(doc, positionOf(host, 'nope', 1));
  assert.ok(hover?.range);
  assert.equal(textAt(host, { range: hover.range }), 'nope');
  // On a '<<' line, which stands for the pairs it merges: nothing (no completion written at the wrong place).
  assert.equal(s.embedded.hover!(doc, positionOf(host, '*common', 3)), null);
  assert.equal(s.embedded.completion!(doc, positionOf(host, '*common', 3)), null);
});

test('customRules are read by Falco itself: a \'<<\' there is the unknown key yaml-cpp sees', () => {
  const values = ['customRules:', '  web.yaml: |-', '    - rule: R', '      <<: {desc: d, priority: INFO}', '      condition: evt.type = open', '      output: o', ''].join('\n');
  const { service: s } = service({});
  const doc = openHost(s, values, 'file:///ws/deploy/values.yaml');
  const found = s.embedded.diagnostics(doc);
  assert.deepEqual(found.map((d) => [d.code, textAt(values, d)]).sort(), [['missing-required-key', 'rule'], ['unknown-key', '<<']]);
});
