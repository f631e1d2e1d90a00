// Session 5: exception comparison operators against their fields' types (Falco compiles exceptions into the rule's
// condition, so libsinsp's operator check applies), and unknown event argument names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

const LOCAL = '/ws/falco_rules.local.yaml';

function diagnose(text: string): Diagnostic[] {
  const host = new MemoryHost({}, { ruleFiles: [] });
  return createRulesService(host).diagnostics(rulesDoc(LOCAL, text));
}

/** Findings as [code, covered text, message, severity]. */
function findings(text: string): [string, string, string, number][] {
  const lines = text.split('\n');
  return diagnose(text).map((d) => [String(d.code), lines[d.range.start.line].slice(d.range.start.character, d.range.end.character), String(d.message), d.severity ?? 0]);
}

const ERR = 1;
const RULE = '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = x\n  output: x %proc.name\n  priority: WARNING\n';

function withExceptions(exceptions: string): string {
  return `${RULE}  exceptions:\n${exceptions}`;
}

// ---- 1. Exception comps against field types

test('a comp the field type refuses is operator-type on the comp, as in a condition', () => {
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: [proc.pid, proc.name]\n      comps: [contains, startswith]\n      values: [[1, a]]\n')), [
    ['operator-type', 'contains', "Operator 'contains' cannot be used with 'proc.pid': 'contains' is not supported for numeric fields (type INT64). (LOAD_ERR_COMPILE_CONDITION)", ERR]]);
  // The same comparison in a condition, for the message's shape.
  const cond = findings(RULE.replace('proc.name = x', 'proc.pid contains 1'));
  assert.deepEqual(cond.map((f) => f[2]), ["Operator 'contains' cannot be used with 'proc.pid': 'contains' is not supported for numeric fields (type INT64). (LOAD_ERR_COMPILE_CONDITION)"]);
  // A single field with a modifier operator; an IP field takes no modifier.
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: fd.sip\n      comps: startswith oneof\n      values: [1.2.3.4]\n')).map((f) => [f[0], f[1]]), [
    ['operator-type', 'startswith oneof']]);
  // evt.rawarg.<name> is compared as its argument's type.
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: [evt.rawarg.euid]\n      comps: [=]\n      values: [[0]]\n')), [
    ['operator-type', '=', "Operator '=' cannot be used with 'evt.rawarg.euid': no operator but 'exists' is supported for event arguments of type UID. (LOAD_ERR_COMPILE_CONDITION)", ERR]]);
});

test('a defaulted comp is judged on the field: = for a list of fields, in for a single field', () => {
  // '=' on a list-valued field (k8smeta.pod.labels); the range is the field.
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: [proc.name, k8smeta.pod.labels]\n      values: [[a, b]]\n')).filter((f) => f[0] === 'operator-type'), [
    ['operator-type', 'k8smeta.pod.labels', "Operator '=' (the comp of each field when comps is not given) cannot be used with 'k8smeta.pod.labels': '=' is not supported on a list field; use 'in' or 'intersects'. (LOAD_ERR_COMPILE_CONDITION)", ERR]]);
  // 'in' on an argument that takes only exists.
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: evt.rawarg.ppid\n      values: [1]\n')), [
    ['operator-type', 'evt.rawarg.ppid', "Operator 'in' (the comp of a single field when comps is not given) cannot be used with 'evt.rawarg.ppid': no operator but 'exists' is supported for event arguments of type PID32. (LOAD_ERR_COMPILE_CONDITION)", ERR]]);
  // The defaults a type takes: silent.
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: [proc.name, k8smeta.pod.labels]\n      comps: [=, in]\n      values: [[a, [b]]]\n')).filter((f) => f[0] === 'operator-type'), []);
});

test('allowed operators, exceptions without values and comps validate.ts refuses stay silent here', () => {
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: [proc.pid, proc.name, fd.sip]\n      comps: [in, startswith oneof, in]\n      values: [[[1, 2], a, [1.2.3.4]]]\n')), []);
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: proc.pid\n      values: [1, 2]\n')), []);
  // No values: Falco adds nothing to the condition.
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: [proc.pid]\n      comps: [contains]\n')), []);
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: [proc.pid]\n      comps: [contains]\n      values: []\n')), []);
  // An unknown operator is exception-comps only.
  assert.deepEqual(findings(withExceptions('    - name: e\n      fields: [proc.pid]\n      comps: [containz]\n      values: [[1]]\n')).map((f) => f[0]), ['exception-comps']);
});

test('appended values use the earlier exception\'s comps: the finding is on the appending name when the earlier had no values', () => {
  const base = withExceptions('    - name: e\n      fields: [proc.pid]\n      comps: [contains]\n');
  const appendNew = '- rule: R\n  exceptions:\n    - name: e\n      values: [[1]]\n  override:\n    exceptions: append\n';
  const appendLegacy = '- rule: R\n  append: true\n  exceptions:\n    - name: e\n      values: [[1]]\n';
  for (const append of [appendNew, appendLegacy]) {
    assert.deepEqual(findings(`${base}${append}`).filter((f) => f[0] === 'operator-type'), [
      ['operator-type', 'e', "Operator 'contains' cannot be used with 'proc.pid': 'contains' is not supported for numeric fields (type INT64). (exception 'e' compares it so; this item adds its first values) (LOAD_ERR_COMPILE_CONDITION)", ERR]]);
  }
  // The earlier definition has values: the finding is there, not on the append.
  const withValues = withExceptions('    - name: e\n      fields: [proc.pid]\n      comps: [contains]\n      values: [[2]]\n');
  assert.deepEqual(findings(`${withValues}${appendNew}`).filter((f) => f[0] === 'operator-type').map((f) => f[1]), ['contains']);
  // An allowed comp stays silent on append.
  assert.deepEqual(findings(`${base.replace('contains', '=')}${appendNew}`).filter((f) => f[0] === 'operator-type'), []);
});
