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

// ---- 2. Unknown event arguments (libs 0.25.2 sinsp_filtercheck_event.cpp extract_arg)

function ruleWith(condition: string, extra = ''): string {
  return RULE.replace('proc.name = x', condition) + extra;
}

test('an argument name no event parameter starts: unknown event argument, an error skip-if-unknown-filter does not cover', () => {
  const message = "Unknown event argument 'nosuch': no event has a parameter of that name. (LOAD_ERR_COMPILE_CONDITION)";
  assert.deepEqual(findings(ruleWith('evt.rawarg.nosuch = 1')), [['unknown-field', 'evt.rawarg.nosuch', message, ERR]]);
  assert.deepEqual(findings(ruleWith('evt.arg.nosuch = 1', '  skip-if-unknown-filter: true\n')), [['unknown-field', 'evt.arg.nosuch', message, ERR]]);
  // A close name is suggested (and offered as a quick fix through unknown-field's suggestions).
  const diag = diagnose(ruleWith('evt.arg.flagz = 1'))[0];
  assert.equal(diag.code, 'unknown-field');
  assert.ok(String(diag.message).includes("Did you mean 'evt.arg.flags'?"), String(diag.message));
  assert.ok((diag.data as { suggestions: string[] }).suggestions.includes('evt.arg.flags'));
  // In an exception the collector's field check lets the exception escape to the reader: LOAD_ERR_VALIDATE.
  assert.deepEqual(findings(`${RULE}  exceptions:\n    - name: e\n      fields: [evt.rawarg.nosuch]\n      values: [[1]]\n`), [
    ['unknown-field', 'evt.rawarg.nosuch', "Unknown event argument 'nosuch': no event has a parameter of that name. (LOAD_ERR_VALIDATE)", ERR]]);
  // In an output: the formatter's "unknown filter", which skip-if-unknown-filter covers.
  assert.deepEqual(findings(RULE.replace('%proc.name', '%evt.arg.nosuch')), [
    ['unknown-field', 'evt.arg.nosuch', "Unknown event argument 'nosuch': no event has a parameter of that name. (LOAD_ERR_COMPILE_OUTPUT)", ERR]]);
  assert.deepEqual(findings(RULE.replace('%proc.name', '%evt.arg.nosuch') + '  skip-if-unknown-filter: true\n').map((f) => [f[0], f[3], f[2].endsWith('(LOAD_UNKNOWN_FILTER)')]), [
    ['unknown-field', 2, true]]);
});

test('a name that a parameter name starts: a nonexistent field (exact-length check), skipped under skip-if-unknown-filter', () => {
  const message = "'evt.rawarg.resx' is not a supported filter field: no event has the argument 'resx' (libsinsp reads 'res' and refuses the rest).";
  assert.deepEqual(findings(ruleWith('evt.rawarg.resx = 1')), [['unknown-field', 'evt.rawarg.resx', `${message} (LOAD_ERR_COMPILE_CONDITION)`, ERR]]);
  assert.deepEqual(findings(ruleWith('evt.rawarg.resx = 1', '  skip-if-unknown-filter: true\n')), [
    ['unknown-field', 'evt.rawarg.resx', `${message} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`, 2]]);
  // In an exception: the collector's field check, LOAD_ERR_VALIDATE, with or without skip-if-unknown-filter.
  for (const skip of ['', '  skip-if-unknown-filter: true\n'])
    assert.deepEqual(findings(`${RULE}${skip}  exceptions:\n    - name: e\n      fields: [evt.rawarg.resx]\n      values: [[1]]\n`), [
      ['unknown-field', 'evt.rawarg.resx', `${message} (LOAD_ERR_VALIDATE)`, ERR]]);
  // In an output Falco prints the shorter field and the rest as text.
  assert.deepEqual(findings(RULE.replace('%proc.name', '%evt.arg.resx')), [
    ['field-argument', 'evt.arg.resx', "No event has the argument 'resx': in an output Falco prints %evt.arg.res followed by the text 'x'.", 2]]);
});

test('every parameter name of the event table is known, not only the first of a name; bracket forms are unchanged', () => {
  // Names of later parameters and of rarely used events.
  for (const name of ['res', 'fd', 'flags', 'uid', 'euid', 'ppid', 'tuple', 'addr', 'data', 'target', 'linkpath', 'newpath', 'oldpath'])
    assert.deepEqual(findings(ruleWith(`evt.arg.${name} exists and evt.rawarg.${name} exists`)), [], name);
  assert.deepEqual(findings(RULE.replace('%proc.name', '%evt.arg.flags %evt.rawarg.res')), []);
  assert.deepEqual(findings(ruleWith('evt.arg[0] = 1')), []);
});
