// Session 20 (helper C): renames in rules embedded in Kubernetes manifests. A Rulesfile's inlineRules reaches Falco as
// kubectl reads it (YAML 1.1: a plain `1_000` is the number 1000, which the operator writes back as `1000`), so the
// rules service sees the list '1000' where the manifest has `1_000`. Renaming it to a name holding '1000' was refused
// as if the edit wrote Falco's text of the scalar; the new name is the user's and is written whole. What kubectl
// would read as another text than typed (a plain `yes`, `0777`) is refused: Falco would not get the name typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openHost, positionOf } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { openedRulesfile, service } from './operator-tuning-helpers';

const RULES_URI = 'file:///ws/deploy/falco/rulesfiles.yaml';
const VALUES_URI = 'file:///ws/deploy/values.yaml';

const rulesHost = (inlineRules: string[]) => openedRulesfile(inlineRules, RULES_URI);

const INLINE = [
  '- list: 1_000',
  '  items: [a]',
  '- macro: opens_big',
  '  condition: fd.name = /big',
  '- rule: Big open',
  '  desc: d',
  '  condition: evt.type = open and opens_big',
  '  output: o %fd.name',
  '  priority: INFO',
];

test('a rename of a scalar kubectl reads as another text to a name holding that text writes the new name', () => {
  const { manifest, s, doc } = rulesHost(INLINE);
  const at = positionOf(manifest, '1_000', 0, 0);
  for (const newName of ['list1000', '_1000', 'x1000y']) {
    const edit = s.embedded.rename!(doc, at, newName);
    assert.ok(edit?.changes?.[RULES_URI], `${newName}: ${JSON.stringify(edit)}`);
    const renamed = applyEdits(manifest, edit.changes[RULES_URI]);
    assert.ok(renamed.includes(`    - list: ${newName}\n      items: [a]\n`), renamed);
    assert.ok(!renamed.includes('1_000'), renamed);
  }
});

test('a rename in inlineRules to a name kubectl reads as a number or a boolean is refused, saying what Falco would get', () => {
  const { manifest, s, doc } = rulesHost(INLINE);
  const macro = positionOf(manifest, 'opens_big', 0, 0);
  assert.throws(() => s.embedded.rename!(doc, macro, 'yes'),
    /Cannot rename to 'yes': the rename writes it as a whole plain scalar in a Rulesfile's inlineRules \(line 10 of its manifest\), which kubectl reads as the boolean true, and the operator writes 'true' for Falco/);
  const rule = positionOf(manifest, 'Big open', 0, 0);
  assert.throws(() => s.embedded.rename!(doc, rule, '0777'), /as the number 511, and the operator writes '511' for Falco/);
  // A name kubectl reads as typed is renamed.
  const edit = s.embedded.rename!(doc, macro, 'yes_open');
  assert.ok(edit?.changes?.[RULES_URI]);
  assert.equal(applyEdits(manifest, edit.changes[RULES_URI]).split('yes_open').length - 1, 2);
});

test('customRules are a text Falco reads itself: a rename to such a name there is not refused', () => {
  const values = [
    'customRules:',
    '  my_rules.yaml: |-',
    '    - macro: opens_big',
    '      condition: fd.name = /big',
    '    - rule: Big open',
    '      desc: d',
    '      condition: evt.type = open and opens_big',
    '      output: o %fd.name',
    '      priority: INFO',
    '',
  ].join('\n');
  const { service: s } = service({});
  const doc = openHost(s, values, VALUES_URI);
  const edit = s.embedded.rename!(doc, positionOf(values, 'opens_big', 0, 0), 'yes');
  assert.ok(edit?.changes?.[VALUES_URI], JSON.stringify(edit));
  assert.equal(applyEdits(values, edit.changes[VALUES_URI]).split('opens_big').length - 1, 0);
});
