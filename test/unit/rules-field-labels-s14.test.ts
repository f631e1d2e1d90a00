// Field arguments written after a dot, as each Falco release reads them (session 14): a k8s label with a final dot,
// a plugin field written `container.label.x`, `thread.cgroup.cpu1`, and the quick fix that writes a label whose dot
// form Falco's condition parser cuts (`k8s.ns.label.app-tier`) in brackets. Findings and hovers say the same thing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, fixesAt } from './rules-host';
import { hoverMarkdownAt } from './rules-nav-helpers';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, output = 'o', extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;
const exception = (fields: string) => `  exceptions:\n    - name: e\n      fields: ${fields}\n      values: [[a]]\n`;
/** Markdown as read: the escapes of escapeMarkdown taken off. */
const unescaped = (md: string) => md.replace(/\\(.)/g, '$1');

// --- a label with a final dot --------------------------------------------------------------------------------------

test('output %k8s.pod.label.app. at Falco 0.37-0.40: the k8s check reads the label with its final dot, a warning says so, as the hover', () => {
  const source = rule('evt.type = open', 'o (pod=%k8s.pod.label.app.)');
  for (const target of ['0.37', '0.40']) {
    const said = `Falco ${target} reads the label 'app.' here, final dot included: its k8s check takes letters, digits and /_-. after the dot. No Kubernetes label key ends with '.', so the field finds no label. For the label 'app', write %k8s.pod.label[app].`;
    assert.deepEqual(findingsAt(FILE, source, target), [`2 field-argument app.: ${said}`]);
    const hover = unescaped(hoverMarkdownAt(rule('evt.type = open', 'o (pod=%k8s.pod.lab<|>el.app.)'), target));
    assert.ok(hover.includes(said), hover);
    assert.doesNotMatch(hover, /reads the dot form/);
  }
  // From 0.41 the dot form is refused ("needs an argument"); no bracket form is made of 'app.'.
  assert.deepEqual(findingsAt(FILE, source, '0.44').map((f) => f.split(':')[0]), ['1 field-argument k8s.pod.label']);
  const at44 = hoverMarkdownAt(rule('evt.type = open', 'o (pod=%k8s.pod.lab<|>el.app.)'), '0.44');
  assert.match(at44, /later releases take the argument in brackets only, e\.g\. `k8s\.pod\.label\[app\.kubernetes\.io\/name\]`\./);
  assert.doesNotMatch(at44, /\[app\.\]/);
  // Without the final dot nothing changes: 0.40 reads the dot form, quietly.
  assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o (pod=%k8s.pod.label.app)'), '0.40'), []);
});

test('condition k8s.pod.label.app.: the parser fails at the dot; no bracket form is named for a label with a final dot, nor offered', () => {
  const source = rule('evt.type = open and k8s.pod.label.app. = x');
  for (const target of ['0.40', '0.44']) {
    const [finding, ...rest] = findingsAt(FILE, source, target);
    assert.deepEqual(rest, []);
    assert.match(finding, /^1 condition-syntax \.: Condition syntax: 'k8s\.pod\.label\.app\.' is not a field name to Falco: .* not '\.'\. \(LOAD_ERR_COMPILE_CONDITION\)$/);
    assert.doesNotMatch(finding, /In brackets/);
    assert.doesNotMatch(hoverMarkdownAt(rule('evt.type = open and k8s.pod.lab<|>el.app. = x'), target), /\[app\.?\]/);
    assert.deepEqual(fixesFor(source, target, 'condition-syntax'), []);
  }
});

// --- container.label.x -------------------------------------------------------------------------------------------

test('container.label.x at Falco 0.40: one unknown-field finding (the field came with 0.41), and the hover says so', () => {
  // Output: no field of 0.40's libsinsp starts the token, "invalid formatting token" (eventformatter.cpp libs 0.20.0).
  assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %container.label.x'), '0.40'), [
    "1 unknown-field container.label: 'container.label' is not a supported output field in Falco 0.40: it was added in Falco 0.41. (LOAD_ERR_COMPILE_OUTPUT)",
  ]);
  // Condition: a nonexistent field, which skip-if-unknown-filter skips.
  const condition = rule('evt.type = open and container.label.x = y');
  assert.deepEqual(findingsAt(FILE, condition, '0.40'), [
    "1 unknown-field container.label.x: 'container.label.x' is not a supported filter field in Falco 0.40: 'container.label' was added in Falco 0.41. (LOAD_ERR_COMPILE_CONDITION)",
  ]);
  assert.deepEqual(findingsAt(FILE, `${condition}  skip-if-unknown-filter: true\n`, '0.40').map((f) => f.split(':')[0]), ['2 unknown-field container.label.x']);
  // An exception field: the collector refuses it, key or not.
  assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o', exception('[container.label.x]')), '0.40').map((f) => f.replace(/:.*\(/, ' (')), ['1 unknown-field container.label.x (LOAD_ERR_VALIDATE)']);
  const hover = hoverMarkdownAt(rule('evt.type = open and container.lab<|>el.x = y'), '0.40');
  assert.match(hover, /^\*\*Field\*\* `container\.label`\n\n/);
  assert.match(hover, /\*\*Not in Falco 0\.40\*\* \(the target release\): added in Falco 0\.41\./);
  assert.doesNotMatch(hover, /without an argument/);
});

test('container.label.x from Falco 0.41: the field without its argument, in the finding, the hover and the quick fix', () => {
  const source = rule('evt.type = open and container.label.x = y');
  assert.deepEqual(findingsAt(FILE, source, '0.41').map((f) => f.split(':')[0]), ['1 field-argument container.label']);
  const hover = hoverMarkdownAt(rule('evt.type = open and container.lab<|>el.x = y'), '0.44');
  assert.match(hover, /^\*\*Field\*\* `container\.label`\n\n/);
  assert.match(hover, /\*\*Falco reads `container\.label\.x` as `container\.label` without an argument\*\* and rejects it: the field takes its argument in brackets only: `container\.label\[x\]`\./);
  assert.deepEqual(fixesFor(source, '0.44', 'field-argument').map((f) => f.fixed.split('\n')[2]), ['  condition: evt.type = open and container.label[x] = y']);
  assert.deepEqual(fixesFor(source, '0.40', 'field-argument'), []);
});

// --- thread.cgroup.cpu1 --------------------------------------------------------------------------------------------

const CGROUP_CUT = "The check of 'thread.cgroup' reads letters and '_' after the dot, 'cpu', and Falco looks the whole name up: '1' goes on past the field, so no field takes it.";

test('thread.cgroup.cpu1: the thread check reads the controller in letters and _ only, at every release', () => {
  for (const target of ['0.37', '0.40', '0.44']) {
    // A condition names a nonexistent field (skip-if-unknown-filter skips the rule); an exception field fails the collector.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and thread.cgroup.cpu1 = x'), target), [
      `1 unknown-field thread.cgroup.cpu1: 'thread.cgroup.cpu1' is not a supported filter field. ${CGROUP_CUT} (LOAD_ERR_COMPILE_CONDITION)`,
    ]);
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and thread.cgroup.cpu1 = x', 'o', '  skip-if-unknown-filter: true\n'), target).map((f) => f.split(':')[0]), ['2 unknown-field thread.cgroup.cpu1']);
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o', exception('[thread.cgroup.cpu1]')), target), [
      `1 unknown-field thread.cgroup.cpu1: 'thread.cgroup.cpu1' is no filter field of source 'syscall'. ${CGROUP_CUT} (LOAD_ERR_VALIDATE)`,
    ]);
    // An output prints the cgroup of the controller read, then the rest as text.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %thread.cgroup.cpu1 x'), target), [
      "2 output-syntax 1: 'thread.cgroup.cpu1' is no field: Falco reads %thread.cgroup.cpu and prints the text '1' right after its value.",
    ]);
    const hover = unescaped(hoverMarkdownAt(rule('evt.type = open and thread.cgroup.cp<|>u1 = x'), target));
    assert.match(hover, /^\*\*Field\*\* `thread\.cgroup`\n\n/);
    // After the colon the note goes on in lower case (session 15).
    assert.ok(hover.includes(`**\`thread.cgroup.cpu1\` is no field to Falco**: the check of 'thread.cgroup' reads`), hover);
    assert.match(unescaped(hoverMarkdownAt(rule('evt.type = open', 'o %thread.cgroup.cp<|>u1 x'), target)), /- Argument here: `cpu`\n[^]*'thread\.cgroup\.cpu1' is no field: Falco reads %thread\.cgroup\.cpu and prints the text '1'/);
  }
  // Letters and '_' are read whole.
  assert.deepEqual(findingsAt(FILE, rule('evt.type = open and thread.cgroup.cpu_acct = x', 'o %thread.cgroup.cpuacct'), '0.44'), []);
});

// --- the quick fix to the bracket form -----------------------------------------------------------------------------

/** The quick fixes of the findings with `code` at `target`, each applied to the source. */
const fixesFor = (source: string, target: string, code: string) => fixesAt(FILE, source, target, code, /in brackets/);

/** Applies the one bracket fix and checks that the result has no finding left about the field and offers no fix again. */
function fixOnce(source: string, target: string, code: string, findingAfter: (f: string) => boolean = (f) => /label/.test(f)): string {
  const fixes = fixesFor(source, target, code);
  assert.equal(fixes.length, 1, `one fix at ${target} for ${source}`);
  assert.match(fixes[0]!.title, /^Write the argument in brackets: '.*\[.*\]'$/);
  const fixed = fixes[0]!.fixed;
  assert.deepEqual(findingsAt(FILE, fixed, target).filter(findingAfter), [], fixed);
  assert.deepEqual(fixesFor(fixed, target, code), []);
  return fixed;
}

test('quick fix: a condition\'s label cut by the parser is written in brackets, at every release, in any quoting', () => {
  for (const target of ['0.37', '0.40', '0.41', '0.44']) {
    const fixed = fixOnce(rule('evt.type = open and k8s.ns.label.app-tier = x'), target, 'condition-syntax');
    assert.equal(fixed, rule('evt.type = open and k8s.ns.label[app-tier] = x'));
    assert.equal(fixOnce(rule('"evt.type = open and k8s.pod.label.app.kubernetes.io/name != x"'), target, 'condition-syntax'),
      rule('"evt.type = open and k8s.pod.label[app.kubernetes.io/name] != x"'));
    // An operator glued to the label ends it; a digit-first label is cut before it.
    assert.equal(fixOnce(rule('evt.type = open and k8s.ns.label.app-tier!=x'), target, 'condition-syntax'), rule('evt.type = open and k8s.ns.label[app-tier]!=x'));
    assert.equal(fixOnce(rule("'evt.type = open and k8s.ns.label.1app = x'"), target, 'condition-syntax'), rule("'evt.type = open and k8s.ns.label[1app] = x'"));
  }
  // The message names the same bracket form.
  assert.match(findingsAt(FILE, rule('evt.type = open and k8s.ns.label.app-tier!=x'), '0.44')[0]!, /In brackets Falco reads the whole argument: k8s\.ns\.label\[app-tier\]\. \(LOAD_ERR_COMPILE_CONDITION\)$/);
});

test('quick fix: none where the label meant is unclear or the field takes no label', () => {
  for (const condition of ['k8s.ns.label.app:x = y', 'k8s.ns.label.app"x" = y', 'k8s.ns.label.app. = x', 'proc.name-x = y', 'k8s.ns.label-x = y']) {
    const source = rule(`evt.type = open and ${condition}`);
    assert.deepEqual(fixesFor(source, '0.44', 'condition-syntax'), [], condition);
    assert.doesNotMatch(findingsAt(FILE, source, '0.44').join('\n'), /In brackets/, condition);
  }
});

test('quick fix: exception fields, quoted in a flow sequence (a bracket ends a plain scalar there), plain in a block one', () => {
  const flow = rule('evt.type = open', 'o', exception('[proc.name, k8s.ns.label.app-tier]'));
  const quoted = rule('evt.type = open', 'o', exception('[proc.name, "k8s.ns.label[app-tier]"]'));
  // 0.37-0.40: the collector accepts it and the pasted condition fails; 0.41+: the collector refuses the dot form.
  assert.equal(fixOnce(flow, '0.40', 'condition-syntax'), quoted);
  assert.equal(fixOnce(flow, '0.44', 'field-argument'), quoted);
  const block = rule('evt.type = open', 'o', '  exceptions:\n    - name: e\n      fields:\n        - proc.name\n        - k8s.ns.label.app-tier\n      values: [[a, b]]\n');
  assert.equal(fixOnce(block, '0.37', 'condition-syntax'), block.replace('k8s.ns.label.app-tier', 'k8s.ns.label[app-tier]'));
  assert.equal(fixOnce(block, '0.41', 'field-argument'), block.replace('k8s.ns.label.app-tier', 'k8s.ns.label[app-tier]'));
});

test('quick fix: an output\'s dot form from Falco 0.41 (0.37-0.40 read it), and a condition in a flow mapping item', () => {
  const output = rule('evt.type = open', '"o (app=%k8s.pod.label.app.kubernetes.io/name)"');
  assert.equal(fixOnce(output, '0.44', 'field-argument'), rule('evt.type = open', '"o (app=%k8s.pod.label[app.kubernetes.io/name])"'));
  assert.deepEqual(findingsAt(FILE, output, '0.40'), []);
  // A label with a final dot is left alone.
  assert.deepEqual(fixesFor(rule('evt.type = open', 'o %k8s.pod.label.app.'), '0.44', 'field-argument'), []);
  const flowItem = '- {rule: r, desc: d, condition: evt.type = open and k8s.ns.label.app-tier = x, output: o, priority: INFO}\n';
  assert.equal(fixOnce(flowItem, '0.44', 'condition-syntax'), '- {rule: r, desc: d, condition: "evt.type = open and k8s.ns.label[app-tier] = x", output: o, priority: INFO}\n');
});
