// YAML aliases under `condition`, `exceptions` and `output` (session 15, after 7013e5a): a finding made for an item
// through its alias is that item's at every target release, a rule's skip warning is counted per rule, a quick fix of
// shared text does not change rules it does not concern, and hovers in shared text say who reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAt, rulesDoc } from './rules-host';

const FILE = '/ws/falco_rules.local.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';
const said = (text: string, version: string, code?: string) => {
  const doc = rulesDoc(FILE, text);
  return diagnoseAt(FILE, text, version).filter((d) => code === undefined || d.code === code)
    .map((d) => `${d.severity} ${d.code} ${doc.getText(d.range)}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
};

test('at an older target release a finding made through an alias is attributed and judged by the rule that reads it', () => {
  // An output shared through an alias: Falco 0.40 refuses the filter-only field in each rule's output.
  const output = lines(
    '- rule: A', '  desc: d', '  condition: evt.type = open', '  output: &o "x %fd.net"', '  priority: INFO',
    '- rule: B', '  desc: d', '  condition: evt.type = open', '  output: *o', '  priority: INFO',
  );
  for (const version of ['0.40', '0.44']) {
    const found = said(output, version, 'unknown-field');
    assert.equal(found.length, 1, `${version}: ${found.join('\n')}`);
    assert.match(found[0], /Also for rule 'B' \(\*o, line 9\), which reads this text through an alias\.$/, version);
  }
  // syslog.* fields are syscall fields that Falco 0.40 still has: a syscall rule reading them through an alias is
  // told nothing there, whatever the source of the rule holding the text (k8s_audit here, where they are no fields).
  const removed = lines(
    '- rule: A', '  desc: d', '  condition: &c syslog.facility = 1', '  output: o', '  priority: INFO', '  source: k8s_audit',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO',
  );
  assert.deepEqual(said(removed, '0.40').filter((m) => /rule 'B'/.test(m)), []);
  assert.equal(said(removed, '0.44', 'unknown-field').filter((m) => /For rule 'B' \(\*c, line 9\)/.test(m)).length, 1);
  // And the other way round: a k8s_audit rule reading a syscall rule's text keeps its finding at 0.40.
  const reversed = lines(
    '- rule: A', '  desc: d', '  condition: &c syslog.facility = 1', '  output: o', '  priority: INFO',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO', '  source: k8s_audit',
  );
  assert.ok(said(reversed, '0.40').some((m) => /syslog\.facility: .*For rule 'B' \(\*c, line 8\)/.test(m)), said(reversed, '0.40').join('\n'));
});
