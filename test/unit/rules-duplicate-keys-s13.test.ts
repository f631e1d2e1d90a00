// A key written twice in a rules item. yaml-cpp, Falco's YAML reader, keeps both pairs and Falco's loader reads the
// first (node_data::get); Falco says nothing. Falco Lens called it a YAML error ("Map keys must be unique") and checked
// the value Falco never reads (session 13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules/index';
import { MemoryHost, rulesDoc } from './rules-host';

const check = (text: string) => {
  const s = createRulesService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = rulesDoc('/ws/falco_rules.local.yaml', text);
  return s.diagnostics(doc).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character} ${doc.getText(d.range)}`);
};

test('a key written twice: a warning on the second, whose value is not checked; the first is what counts', () => {
  const text = '- rule: Twice\n  desc: d\n  condition: evt.type = execve and proc.name = a\n  output: o (command=%proc.cmdline)\n  priority: INFO\n  condition: proc.nme = b\n  priority: BOGUS\n';
  assert.deepEqual(check(text), ['duplicate-key 5:2 condition', 'duplicate-key 6:2 priority']);
  // The first condition is the one checked: a problem in it is still found.
  assert.ok(check(text.replace('proc.name = a', 'proc.nam = a')).some((x) => x.startsWith('unknown-field 2:')), 'the first condition is checked');
});

test('a key written twice inside an exception or a list item mapping is found too', () => {
  const text = '- rule: Twice\n  desc: d\n  condition: evt.type = execve\n  output: o (command=%proc.cmdline)\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: [proc.name]\n      fields: [proc.pname]\n      values: [[a]]\n';
  assert.deepEqual(check(text), ['duplicate-key 8:6 fields']);
});
