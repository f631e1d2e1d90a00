// result-never-matches (73e2975) looked at the values written in a condition only. Falco also compares evt.res with
// the items of a list whose name stands in the condition (resolve_list pastes them before libsinsp reads the condition:
// rule_loader_compiler.cpp 0.37.0:180-251, 0.44.0:182-238) and with an exception's values (build_rule_exception_infos
// writes `evt.res comp (v1, v2)` or `evt.res comp v` into the condition: 0.37.0:74-155, 0.44.0:100-161); libsinsp
// gives evt.res as text, SUCCESS or an error's name (sinsp_filtercheck_event.cpp TYPE_RESSTR, libs 0.14-0.25), so a
// -1 there never matches either. Now both get the warning: on the list's name (naming the item), and on the exception's
// value. The port check (port-wraps) already covered both; kept here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAt, findingsAt, rulesDoc } from './rules-host';

const FILE = '/ws/rules.yaml';
const TEXT = `- list: failures
  items: [-1, ENOENT, "0"]
- list: big_ports
  items: [70000, 80]
- rule: Failed open
  desc: d
  condition: evt.type = open and evt.res in (failures) and fd.sport in (big_ports)
  output: o
  priority: INFO
  exceptions:
    - name: pair
      fields: [evt.res, fd.sport]
      comps: [=, =]
      values: [[-1, 70000], [SUCCESS, 80]]
    - name: single
      fields: evt.res
      values: [-2, EPERM]
    - name: nested
      fields: [evt.res]
      comps: [in]
      values: [[failures], [[-5, EACCES]]]
    - name: other
      fields: [evt.res, evt.res]
      comps: [startswith, in oneof]
      values: [[-1, -1]]
`;

/** `line code covered: message start` of each finding of the two checks, in document order. */
function found(text: string, target: string): string[] {
  const doc = rulesDoc(FILE, text);
  return diagnoseAt(FILE, text, target).filter((d) => d.code === 'result-never-matches' || d.code === 'port-wraps')
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((d) => `${d.range.start.line} ${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}: ${String(typeof d.message === 'string' ? d.message : d.message.value).split(' is ')[0]}`);
}

test('list items and exception values evt.res never gives are flagged on the list name and the value', () => {
  for (const target of ['0.37.0', '0.44.1']) {
    assert.deepEqual(found(TEXT, target), [
      "6 result-never-matches failures: '-1' (an item of the list 'failures')",
      "6 result-never-matches failures: '0' (an item of the list 'failures')",
      "6 port-wraps big_ports: '70000' (an item of the list 'big_ports')",
      "13 result-never-matches -1: '-1'",
      "13 port-wraps 70000: '70000'",
      "16 result-never-matches -2: '-2'",
      "20 result-never-matches failures: '-1' (an item of the list 'failures')",
      "20 result-never-matches failures: '0' (an item of the list 'failures')",
      "20 result-never-matches -5: '-5'",
    ], target);
  }
});

test('the exception\'s finding says what the comparison does; the value itself is the range', () => {
  const all = findingsAt(FILE, TEXT, '0.44.1');
  const pair = all.find((f) => f.startsWith('2 result-never-matches -1:'));
  assert.ok(pair);
  assert.match(pair, /'-1' is never the value of evt\.res, so '=' never holds for it/);
  const except = `    - name: ne
      fields: [evt.res]
      comps: ["!="]
      values: [["-1"]]
`;
  const ne = findingsAt(FILE, TEXT + except, '0.44.1').filter((f) => f.includes('result-never-matches "-1"'));
  assert.equal(ne.length, 1);
  assert.match(ne[0], /'-1' is never the value of evt\.res, so '!=' holds for every result/);
});

test('without evt.res values it never gives, nothing', () => {
  const clean = TEXT.replace('[-1, ENOENT, "0"]', '[ENOENT, EPERM]').replace('[[-1, 70000], [SUCCESS, 80]]', '[[SUCCESS, 80]]')
    .replace('[-2, EPERM]', '[EPERM]').replace('[[-5, EACCES]]', '[[EACCES]]').replace('[70000, 80]', '[80]');
  assert.deepEqual(found(clean, '0.44.1'), []);
});
