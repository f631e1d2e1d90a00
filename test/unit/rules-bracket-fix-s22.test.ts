// The quick fix that writes a field's dot argument in brackets, where an argument in brackets already follows the
// name (session 22): `container.mount.dets[/proc*]` (a mistyped container.mount.dest) became
// `container.mount[dets][/proc*]`, which no release reads. Which field was meant is unclear: no fix is offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, fixesAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, output = 'o', extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;
const CODES = ['field-argument', 'condition-syntax'];
const bracketFixes = (source: string, target: string) => CODES.flatMap((code) => fixesAt(FILE, source, target, code, /in brackets/));

test('no bracket fix of a dot argument when brackets already follow the name: condition, exception field, output', () => {
  const sources = [
    rule('evt.type = open and container.mount.dets[/proc*] = x'),
    rule('evt.type = open', 'o', '  exceptions:\n    - name: e\n      fields: ["container.mount.dets[/proc*]"]\n      values: [[a]]\n'),
    rule('evt.type = open', 'o %container.mount.dets[/proc*]'),
    rule('evt.type = open', 'o %k8s.ns.label.app[x]'),
  ];
  for (const target of ['0.41', '0.44']) {
    for (const source of sources) {
      // The finding stays (the field has no argument it reads); only the wrong rewrite is gone.
      assert.ok(findingsAt(FILE, source, target).some((f) => /^\d field-argument /.test(f)), `${target}: ${source}`);
      assert.deepEqual(bracketFixes(source, target), [], `${target}: ${source}`);
    }
  }
  // Without the brackets the fix stays.
  const plain = fixesAt(FILE, rule('evt.type = open', 'o %k8s.ns.label.app'), '0.44', 'field-argument', /in brackets/);
  assert.deepEqual(plain.map((f) => f.fixed), [rule('evt.type = open', 'o %k8s.ns.label[app]')]);
});
