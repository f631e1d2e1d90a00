// An exception field Falco does not find: its collector looks the name up among the filter fields of the rule's source
// (validate_exception_info: is_field_defined at 0.37, is_valid_lhs_field from 0.38; rule_loader_collector.cpp
// 0.37.0:112-113, 0.44.0:119-120). The finding says so, naming the source; "exception field" is no kind of field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, field: string, source = '') =>
  `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${source}  exceptions:\n    - name: e\n      fields: [${field}]\n      comps: [=]\n      values: [[x]]\n`;

test('an unknown exception field is no filter field of the rule\'s source', () => {
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'proc.nmae'), target),
      ["1 unknown-field proc.nmae: 'proc.nmae' is no filter field of source 'syscall'. Did you mean 'proc.name'? (LOAD_ERR_VALIDATE)"], target);
    const k8s = findingsAt(FILE, rule('ka.verb = create', 'ka.verbb', '  source: k8s_audit\n'), target).filter((f) => f.includes('unknown-field'));
    assert.deepEqual(k8s, ["1 unknown-field ka.verbb: 'ka.verbb' is no filter field of source 'k8s_audit'. Did you mean 'ka.verb'? (LOAD_ERR_VALIDATE)"], target);
  }
  // A field the target does not have yet.
  assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'proc.aargs'), '0.40').filter((f) => f.includes('unknown-field')),
    ["1 unknown-field proc.aargs: In Falco 0.40, 'proc.aargs' is no filter field of the rule's source: it was added in Falco 0.41. (LOAD_ERR_VALIDATE)"]);
});
