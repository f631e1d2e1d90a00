// Completion in rules files: fields by source and by what is typed (also inside `condition: >` blocks, with exact
// replace ranges), macros and lists visible in load order, operators that suit the field, priorities, sources, tags,
// `%fields` in outputs, keys and item snippets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver-types';
import { openAt, textAt, workspace } from './rules-nav-helpers';
import { applyEdits } from './rules-host';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const BASE_TEXT = `- list: shell_binaries
  items: [bash, sh]

- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir = <

- rule: Shell
  desc: d
  condition: spawned_process and proc.name in (shell_binaries)
  output: "Shell | user=%user.name"
  priority: NOTICE
`;

function complete(marked: string, file = LOCAL, extra: Record<string, string> = {}) {
  const { service } = workspace({ [BASE]: BASE_TEXT, ...extra });
  const { doc, position, text } = openAt(service, file, marked);
  const result = service.completion!(doc, position);
  return { result, text, labels: (result?.items ?? []).map((i) => i.label) };
}

function item(result: CompletionList | null, label: string): CompletionItem {
  const found = result?.items.find((i) => i.label === label);
  assert.ok(found, `no completion '${label}' among ${result?.items.slice(0, 30).map((i) => i.label).join(', ')}`);
  return found;
}

test('inside a folded condition, after `proc.` only proc.* fields are offered, replacing exactly what was typed', () => {
  const { result, text, labels } = complete('- rule: R\n  desc: d\n  condition: >\n    spawned_process and\n    proc.<|>\n  output: o\n  priority: INFO\n');
  assert.ok(labels.includes('proc.name') && labels.includes('proc.cmdline'));
  assert.ok(labels.every((l) => l.startsWith('proc.')), labels.filter((l) => !l.startsWith('proc.')).join(','));
  const edit = item(result, 'proc.name').textEdit as TextEdit;
  assert.equal(textAt(text, edit.range), 'proc.');
  assert.equal(edit.range.start.line, 4);
  assert.equal(edit.range.start.character, 4);
  assert.ok(applyEdits(text, [edit]).includes('    proc.name\n  output: o'));
});

test('inside a literal block, a partial word is replaced (range on the right line and column)', () => {
  const { result, text } = complete('- macro: m\n  condition: |\n    evt.type = execve\n    and proc.na<|> = bash\n');
  const edit = item(result, 'proc.name').textEdit as TextEdit;
  assert.equal(textAt(text, edit.range), 'proc.na');
  assert.deepEqual(edit.range.start, { line: 3, character: 8 });
});

test('fields follow the rule source: k8s_audit rules get ka.* fields, not proc.*', () => {
  const { labels } = complete('- rule: A\n  desc: d\n  condition: ka.<|>\n  output: o\n  priority: INFO\n  source: k8s_audit\n');
  assert.ok(labels.includes('ka.verb'));
  assert.ok(!labels.some((l) => l.startsWith('proc.')));
});

test('at the start of a condition: fields, macros defined earlier in load order, `not`; output-only fields are left out', () => {
  const { labels } = complete('- rule: R\n  desc: d\n  condition: <|>\n  output: o\n  priority: INFO\n');
  assert.ok(labels.includes('spawned_process'));
  assert.ok(labels.includes('not'));
  assert.ok(labels.includes('proc.name'));
  assert.ok(!labels.includes('evt.outputtime'), 'evt.outputtime is output-only');
});

test('after a field: only operators that suit its type', () => {
  const { labels } = complete('- macro: m\n  condition: proc.pid <|>\n');
  assert.ok(labels.includes('=') && labels.includes('<=') && labels.includes('in'));
  assert.ok(!labels.includes('startswith') && !labels.includes('contains'), labels.join(' '));
  const str = complete('- macro: m\n  condition: proc.name st<|>\n').labels;
  assert.ok(str.includes('startswith') && str.includes('glob'));
});

test('inside `in (...)`: list names; after a comparison: and/or', () => {
  assert.ok(complete('- macro: m\n  condition: proc.name in (sh<|>\n').labels.includes('shell_binaries'));
  assert.ok(complete('- macro: m\n  condition: proc.name in (a, <|>)\n').labels.includes('shell_binaries'));
  assert.deepEqual(complete('- macro: m\n  condition: proc.name = bash <|>\n').labels, ['and', 'or', 'and not']);
});

test('an appended condition starts with and/or', () => {
  const { labels } = complete('- rule: Shell\n  condition: <|>\n  override:\n    condition: append\n');
  assert.deepEqual(labels, ['and', 'and not', 'or']);
});

test('%fields in outputs (no condition-only fields)', () => {
  const { result, text, labels } = complete('- rule: R\n  desc: d\n  condition: spawned_process\n  output: "Started | file=%fd.<|>"\n  priority: INFO\n');
  assert.ok(labels.includes('fd.name'));
  assert.ok(!labels.includes('fd.ip'), 'fd.ip is condition-only');
  assert.equal(textAt(text, (item(result, 'fd.name').textEdit as TextEdit).range), 'fd.');
  assert.equal(complete('- rule: R\n  desc: d\n  condition: spawned_process\n  output: "Started <|>"\n  priority: INFO\n').result, null);
});

test('priorities, sources, booleans, tags and override operations', () => {
  const rule = (line: string) => `- rule: R\n  desc: d\n  condition: spawned_process\n  output: o\n${line}\n`;
  const p = complete(rule('  priority: WA<|>'));
  assert.deepEqual(p.labels, ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG']);
  assert.equal(textAt(p.text, (item(p.result, 'WARNING').textEdit as TextEdit).range), 'WA');
  assert.ok(complete(rule('  priority: INFO\n  source: <|>')).labels.includes('aws_cloudtrail'));
  assert.deepEqual(complete(rule('  priority: INFO\n  enabled: <|>')).labels, ['true', 'false']);
  const tags = complete(rule('  priority: INFO\n  tags: [maturity_stable, T10<|>]'));
  assert.ok(tags.labels.includes('T1059.004'));
  assert.ok(tags.labels.includes('mitre_execution'));
  assert.equal(item(tags.result, 'T1059.004').detail, 'Unix Shell');
  assert.deepEqual(complete('- list: shell_binaries\n  items: [x]\n  override:\n    items: <|>\n').labels, ['append', 'replace']);
  assert.deepEqual(complete('- rule: Shell\n  priority: INFO\n  override:\n    priority: <|>\n').labels, ['replace']);
});

test('keys by item kind (present keys left out), override keys, and item snippets at column 0', () => {
  const keys = complete('- rule: R\n  desc: d\n  <|>\n').labels;
  assert.ok(keys.includes('condition') && keys.includes('exceptions') && keys.includes('skip-if-unknown-filter'));
  assert.ok(!keys.includes('desc') && !keys.includes('items'));
  assert.deepEqual(complete('- macro: m\n  condition: x\n  <|>\n').labels.sort(), ['append', 'override']);
  const over = complete('- rule: Shell\n  output: o\n  override:\n    <|>\n').labels;
  assert.ok(over.includes('output') && over.includes('enabled') && !over.includes('source'));
  const snippets = complete('- macro: m\n  condition: x\n\n- <|>\n');
  assert.ok(snippets.labels.includes('rule') && snippets.labels.includes('list append'));
  const edit = item(snippets.result, 'macro').textEdit as TextEdit;
  assert.ok(edit.newText.startsWith('- macro: '));
  assert.equal(textAt(snippets.text, edit.range), '- ');
});

test('list items and exception values offer lists; exception fields offer fields', () => {
  assert.ok(complete('- list: more\n  items: [shell_<|>]\n').labels.includes('shell_binaries'));
  const ex = '- rule: Shell\n  exceptions:\n    - name: e\n      fields: [proc.<|>]\n      values: [[x]]\n  override:\n    exceptions: append\n';
  assert.ok(complete(ex).labels.includes('proc.pname'));
});

/** Completion with the target Falco release set (falcoLens.falcoVersion), or the default when undefined. */
function completeAt(marked: string, falcoVersion?: string) {
  const { service, host } = workspace({ [BASE]: BASE_TEXT });
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const { doc, position } = openAt(service, LOCAL, marked);
  return service.completion!(doc, position);
}

test('target release: a field newer than the target is marked "Falco ≥ 0.N" and sorted last; from its release it is plain', () => {
  const marked = '- rule: R\n  desc: d\n  condition: evt.type = open and fd.is_<|>\n  output: o\n  priority: INFO\n';
  const at038 = item(completeAt(marked, '0.38'), 'fd.is_upper_layer');
  assert.equal(at038.detail, 'BOOL — Falco ≥ 0.39');
  assert.equal(at038.sortText, '~fd.is_upper_layer');
  for (const target of ['0.39', undefined]) {
    const plain = item(completeAt(marked, target), 'fd.is_upper_layer');
    assert.equal(plain.detail, 'BOOL', String(target));
    assert.equal(plain.sortText, undefined, String(target));
  }
  // Older fields are untouched at an old target; in outputs the same.
  assert.equal(item(completeAt(marked, '0.37'), 'fd.is_server').sortText, undefined);
  const output = item(completeAt('- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: o %proc.pg<|>\n  priority: INFO\n', '0.39'), 'proc.pgid');
  assert.equal(output.detail, 'INT64 — Falco ≥ 0.40');
});

test('target release: transformers, operators and val() newer than the target are marked, at their boundary', () => {
  const operand = '- rule: R\n  desc: d\n  condition: evt.type = execve and <|>\n  output: o\n  priority: INFO\n';
  assert.equal(item(completeAt(operand, '0.39'), 'len()').detail, 'transformer — Falco ≥ 0.40');
  assert.equal(item(completeAt(operand, '0.39'), 'len()').sortText, '~len()');
  assert.equal(item(completeAt(operand, '0.40'), 'len()').detail, 'transformer');
  assert.equal(item(completeAt(operand, '0.40'), 'len()').sortText, undefined);
  assert.equal(item(completeAt(operand), 'join()').detail, 'transformer');

  const operator = '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name <|>\n  output: o\n  priority: INFO\n';
  assert.equal(item(completeAt(operator, '0.38'), 'regex').detail, 'operator, since Falco 0.39.0 — Falco ≥ 0.39');
  assert.equal(item(completeAt(operator, '0.38'), 'regex').sortText, '~regex');
  assert.equal(item(completeAt(operator, '0.39'), 'regex').detail, 'operator, since Falco 0.39.0');
  assert.equal(item(completeAt(operator, '0.37'), 'glob').sortText, undefined);
  // An operator every described release has says no release: `in` and `glob` are far older than Falco 0.37.
  assert.equal(item(completeAt(operator, '0.37'), 'glob').detail, 'operator');
  assert.equal(item(completeAt(operator), 'in').detail, 'operator');

  const value = '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = <|>\n  output: o\n  priority: INFO\n';
  assert.equal(item(completeAt(value, '0.37'), 'val()').detail, 'Falco ≥ 0.38');
  assert.equal(item(completeAt(value, '0.38'), 'val()').detail, undefined);
  assert.equal(item(completeAt(value), 'val()').detail, undefined);
});

test('target release: a field deprecated by a later release is not marked deprecated at an older target', () => {
  const marked = '- rule: R\n  desc: d\n  condition: evt.type = execve and evt.di<|>\n  output: o\n  priority: INFO\n';
  const at041 = item(completeAt(marked, '0.41'), 'evt.dir');
  assert.equal(at041.detail, 'CHARBUF');
  assert.equal(at041.tags, undefined);
  for (const target of ['0.42', undefined]) {
    const at = item(completeAt(marked, target), 'evt.dir');
    assert.equal(at.detail, 'CHARBUF — deprecated', String(target));
    assert.deepEqual(at.tags, [1], String(target));
  }
});

test('target release: the item snippets load on the target (engine version, and evt.dir = < only before it was deprecated)', () => {
  const body = (label: string, target?: string) => (item(completeAt('- macro: m\n  condition: x\n\n- <|>\n', target), label).textEdit as TextEdit).newText;
  assert.match(body('rule'), /condition: >\n {4}\$\{3:evt\.type in \(execve, execveat\) and proc\.name = example\}\n/);
  assert.match(body('rule', '0.42'), /\$\{3:evt\.type in \(execve, execveat\) and proc\.name = example\}/);
  assert.match(body('rule', '0.41'), /\$\{3:evt\.type in \(execve, execveat\) and evt\.dir = < and proc\.name = example\}/);
  assert.equal(body('required_engine_version'), '- required_engine_version: ${1:0.57.0}\n');
  assert.equal(body('required_engine_version', '0.42'), '- required_engine_version: ${1:0.57.0}\n');
  assert.equal(body('required_engine_version', '0.41'), '- required_engine_version: ${1:0.50.0}\n');
  assert.equal(body('required_engine_version', '0.37'), '- required_engine_version: ${1:0.31.0}\n');
});

test('target release: rule keys of a later release (capture: Falco 0.42) are marked before it', () => {
  const marked = '- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  <|>\n';
  assert.equal(item(completeAt(marked, '0.41'), 'capture').detail, 'Falco ≥ 0.42');
  assert.equal(item(completeAt(marked, '0.41'), 'capture_duration').sortText, '~capture_duration');
  assert.equal(item(completeAt(marked, '0.41'), 'tags').detail, undefined);
  assert.equal(item(completeAt(marked, '0.42'), 'capture').detail, undefined);
  assert.equal(item(completeAt(marked), 'capture').sortText, undefined);
});

test('target release: evt.type names of a later event table are marked before their release', () => {
  const marked = '- rule: R\n  desc: d\n  condition: evt.type in (openat, <|>)\n  output: o\n  priority: INFO\n';
  assert.match(item(completeAt(marked, '0.43'), 'listns').detail ?? '', / — Falco ≥ 0\.44$/);
  assert.equal(item(completeAt(marked, '0.43'), 'listns').sortText, '~listns');
  assert.equal(item(completeAt(marked, '0.43'), 'openat').sortText, undefined);
  assert.equal(item(completeAt(marked), 'listns').sortText, undefined);
  assert.doesNotMatch(item(completeAt(marked), 'listns').detail ?? '', /Falco ≥/);
});
