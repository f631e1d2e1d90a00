// Session 21 (helper C): a rename in a Falco Operator Rulesfile's inlineRules to a name kubectl reads as a number or a
// boolean (`yes`, `0777`) was refused whenever inlineRules was edited. kubectl resolves only a plain scalar so
// (go-yaml v2 resolve.go); a quoted scalar, or a name inside a longer scalar (a condition), is a string, which the
// operator writes back quoted where go-yaml would read it otherwise (encode.go stringv): Falco gets the name typed.
// The refusal stays where the rename makes a whole plain scalar the new name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { positionOf } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { openedRulesfile } from './operator-tuning-helpers';

const RULES_URI = 'file:///ws/deploy/falco/rulesfiles.yaml';

const rulesHost = (inlineRules: string[]) => openedRulesfile(inlineRules, RULES_URI);

const QUOTED = [
  '- list: "big_files"',
  '  items: [/big]',
  '- macro: "opens_big"',
  '  condition: fd.name in (big_files)',
  '- rule: \'Big open\'',
  '  desc: d',
  '  condition: evt.type = open and opens_big',
  '  output: o %fd.name',
  '  priority: INFO',
];

test('a rename in inlineRules whose occurrences are all quoted or inside a longer text is written, whatever kubectl reads the name as', () => {
  const { manifest, s, doc } = rulesHost(QUOTED);
  const cases: [string, string, string, string[]][] = [
    ['opens_big', 'yes', '- macro: "opens_big"', ['- macro: "yes"', 'evt.type = open and yes']],
    ['Big open', '0777', '\'Big open\'', ['- rule: \'0777\'']],
    ['big_files', 'on', '"big_files"', ['- list: "on"', 'fd.name in (on)']],
  ];
  for (const [name, newName, where, expected] of cases) {
    const at = positionOf(manifest, where, where.indexOf(name));
    const edit = s.embedded.rename!(doc, at, newName);
    assert.ok(edit?.changes?.[RULES_URI], `${newName}: ${JSON.stringify(edit)}`);
    const renamed = applyEdits(manifest, edit.changes[RULES_URI]);
    for (const e of expected) assert.ok(renamed.includes(e), `${e} in\n${renamed}`);
    assert.ok(!renamed.includes(name), renamed);
  }
});

test('a rename in inlineRules that writes the name as a whole plain scalar is still refused, naming the line', () => {
  // The macro used alone as a condition: `condition: yes` is the boolean true to kubectl, `true` for Falco.
  const alone = rulesHost([...QUOTED, '- rule: Other', '  desc: d', '  condition: opens_big', '  output: o', '  priority: INFO']);
  assert.throws(() => alone.s.embedded.rename!(alone.doc, positionOf(alone.manifest, 'opens_big', 0, 0), 'yes'),
    /Cannot rename to 'yes': the rename writes it as a whole plain scalar in a Rulesfile's inlineRules \(line 19 of its manifest\), which kubectl reads as the boolean true, and the operator writes 'true' for Falco/);
  // A list named by a plain item of another list.
  const item = rulesHost([...QUOTED, '- list: more', '  items: [big_files, /b]']);
  assert.throws(() => item.s.embedded.rename!(item.doc, positionOf(item.manifest, 'big_files', 0, 0), 'on'), /\(line 18 of its manifest\), which kubectl reads as the boolean true/);
  // A plain definition.
  const plain = rulesHost(QUOTED.map((l) => l.replace("'Big open'", 'Big open')));
  assert.throws(() => plain.s.embedded.rename!(plain.doc, positionOf(plain.manifest, 'Big open', 0, 0), '0777'), /\(line 12 of its manifest\), which kubectl reads as the number 511, and the operator writes '511'/);
});
