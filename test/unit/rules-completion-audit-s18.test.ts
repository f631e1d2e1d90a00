// Completion as a Falco user typing a rules file at each target: what follows `exists`, a string operator's modifiers,
// the arguments of val() and of a transformer, an exception's comps by field and release, the workspace's own tags, and
// the deprecated `append` key. Facts: libs 0.25.2 userspace/libsinsp/filter/parser.cpp (parse_condition,
// try_parse_transformer_or_val, parse_field_transformer_arg); Falco rule_loader_reader.cpp WARNING_APPEND.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver-types';
import { openAt, textAt, workspace } from './rules-nav-helpers';
import { applyEdits } from './rules-host';

const BASE = '/ws/falco_rules.yaml';
const BASE_TEXT = `- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- rule: Shell
  desc: d
  condition: spawned_process and proc.name in (shell_binaries)
  output: "Shell | user=%user.name"
  priority: NOTICE
  tags: [team_payments, host]
`;
const R = (condition: string, extra = '') => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;

function complete(marked: string, target = '0.44') {
  const { service, host } = workspace({ [BASE]: BASE_TEXT });
  host.config = { ...host.config, falcoVersion: target };
  const { doc, position, text } = openAt(service, '/ws/falco_rules.local.yaml', marked);
  const result = service.completion!(doc, position) as CompletionList | null;
  return { result, text, labels: (result?.items ?? []).map((i) => i.label) };
}

function item(result: CompletionList | null, label: string): CompletionItem {
  const found = result?.items.find((i) => i.label === label);
  assert.ok(found, `no completion '${label}' among ${result?.items.slice(0, 30).map((i) => i.label).join(', ')}`);
  return found;
}

/** Labels in the order the editor shows them (sortText, else label). */
const shown = (result: CompletionList | null) => [...result?.items ?? []].sort((a, b) => ((a.sortText ?? a.label) < (b.sortText ?? b.label) ? -1 : 1)).map((i) => i.label);

test('after `exists` the check is complete: and/or, no value', () => {
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(complete(R('proc.name exists <|>'), target).labels, ['and', 'or', 'and not'], target);
  }
});

test('a string operator is followed by val() and, from 0.44, its modifiers; older targets do not offer them', () => {
  for (const op of ['startswith', '=', 'contains']) {
    const now = complete(R(`proc.name ${op} <|>`));
    assert.deepEqual(now.labels, ['val()', 'oneof', 'anyof', 'allof'], op);
    assert.ok(!item(now.result, 'oneof').detail?.includes('≥'));
  }
  // Before 0.44 `startswith anyof` compares with the text "anyof" (rules-completion-operators-s19).
  const older = complete(R('proc.name startswith <|>'), '0.43');
  assert.deepEqual(shown(older.result), ['val()']);
  // `in` takes a list: list names, no modifier.
  assert.deepEqual(complete(R('proc.name in <|>')).labels, ['shell_binaries']);
  // Numeric operators take no modifier.
  assert.deepEqual(complete(R('proc.pid < <|>')).labels, ['val()']);
});

test('val() takes a field; a transformer a field of a type it reads, or another transformer; never a macro or `not`', () => {
  const inVal = complete(R('proc.name = val(<|>'));
  assert.ok(inVal.labels.includes('proc.pname') && inVal.labels.includes('proc.pid'));
  assert.ok(!inVal.labels.includes('spawned_process') && !inVal.labels.includes('not') && !inVal.labels.includes('tolower()'));
  const lower = complete(R('tolower(<|>'));
  assert.ok(lower.labels.includes('proc.name') && lower.labels.includes('fd.name'), 'string fields');
  assert.ok(!lower.labels.includes('proc.pid') && !lower.labels.includes('evt.num'), 'no numbers');
  assert.ok(lower.labels.includes('basename()') && !lower.labels.includes('spawned_process') && !lower.labels.includes('not'));
  // len() also reads lists; after `proc.` only proc.* fields, with the typed text replaced.
  const len = complete(R('len(proc.<|>) > 2'));
  assert.ok(len.labels.includes('proc.args') && len.labels.every((l) => l.startsWith('proc.')), len.labels.join(' '));
  assert.equal(textAt(len.text, (item(len.result, 'proc.args').textEdit as TextEdit).range), 'proc.');
});

const EXC = (fields: string, comps: string) => R('evt.type = open', `  exceptions:\n    - name: e\n      fields: ${fields}\n      comps: ${comps}\n`);

test('an exception\'s comps in a list: the operators Falco takes for the field at that place', () => {
  const second = complete(EXC('[proc.name, proc.pid]', '[=, <|>]'));
  assert.deepEqual(second.labels.slice(0, 9), ['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects'], 'a number: no string operator');
  // Then the operators with a modifier (Falco 0.44; rules-completion-audit-s22).
  assert.deepEqual(second.labels.slice(9), ['= oneof', '= anyof', '= allof', '== oneof', '== anyof', '== allof', '!= oneof', '!= anyof', '!= allof']);
  const first = complete(EXC('[proc.name, proc.pid]', '[<|>]'));
  for (const op of ['startswith', 'endswith', 'contains', 'glob', 'pmatch', 'regex']) assert.ok(first.labels.includes(op), op);
  assert.ok(!first.labels.includes('bcontains'), 'a buffer operator on a string field');
  // What the target lacks is marked: regex came with 0.39, iglob with 0.38.
  const old = complete(EXC('[proc.name, proc.pid]', '[<|>]'), '0.38');
  assert.match(item(old.result, 'regex').detail ?? '', /Falco ≥ 0\.39/);
  assert.ok(!(item(old.result, 'iglob').detail ?? '').includes('≥'));
  // An operator's characters are replaced whole: `!` typed becomes `!=`, not `!!=`, quoted as YAML needs
  // (rules-comps-yaml-s22: a plain `!=` is a tag).
  const typed = complete(EXC('[proc.name, proc.pid]', '[=, !<|>]'));
  const edit = item(typed.result, '!=').textEdit as TextEdit;
  assert.equal(textAt(typed.text, edit.range), '!');
  assert.match(applyEdits(typed.text, [edit]), /comps: \[=, "!="\]/);
});

test('an exception\'s comps as a scalar: one comparison per field as a list, or in/pmatch/intersects for one field', () => {
  const several = complete(EXC('[proc.name, proc.pid, fd.name]', '<|>'));
  assert.deepEqual(several.labels, ['[=, =, =]', '- = (3 lines)']);
  assert.match(applyEdits(several.text, [item(several.result, '[=, =, =]').textEdit as TextEdit]), /comps: \[\$\{1:=\}, \$\{2:=\}, \$\{3:=\}\]/);
  assert.deepEqual(complete(EXC('proc.name', '<|>')).labels.slice(0, 3), ['in', 'pmatch', 'intersects']);
  assert.ok(complete(EXC('proc.name', '<|>')).labels.slice(3).every((l) => / (oneof|anyof|allof)$/.test(l)));
});

test('tags: the loaded rules\' own tags first, with their counts; the item\'s tags left out', () => {
  const flow = complete(R('evt.type = open', '  tags: [host, <|>]\n'));
  assert.equal(shown(flow.result)[0], 'team_payments');
  assert.match(item(flow.result, 'team_payments').detail ?? '', /1 loaded rule/);
  assert.ok(!flow.labels.includes('host'), 'already a tag of the item');
  assert.ok(flow.labels.includes('container') && flow.labels.includes('T1059'));
  const block = complete(R('evt.type = open', '  tags:\n    - <|>\n'));
  assert.equal(shown(block.result)[0], 'host', 'host is used by a loaded rule too');
  assert.deepEqual(shown(block.result).slice(0, 2), ['host', 'team_payments']);
});

test('the `append` key, which Falco warns about at every release, is struck through and last', () => {
  for (const target of ['0.37', '0.44']) {
    const keys = complete('- rule: X\n  <|>\n', target);
    const append = item(keys.result, 'append');
    assert.deepEqual(append.tags, [1], target);
    assert.equal(shown(keys.result).at(-1), 'append', target);
  }
});

test('inside a word, an item inserts before the cursor or replaces the whole word, as the user picks', () => {
  const inField = complete(R('proc.na<|>me = x'));
  const edit = item(inField.result, 'proc.name').textEdit as { newText: string; insert: TextEdit['range']; replace: TextEdit['range'] };
  assert.equal(textAt(inField.text, edit.insert), 'proc.na');
  assert.equal(textAt(inField.text, edit.replace), 'proc.name');
  // A bracket argument after the word stays: only the name is replaced.
  const bracket = complete(R('proc.an<|>ame[2] = x'));
  assert.equal(textAt(bracket.text, (item(bracket.result, 'proc.aname').textEdit as { replace: TextEdit['range'] }).replace), 'proc.aname');
  // In an output's %field too; at the end of a word, a plain edit as before.
  const output = complete('- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o %proc.cmd<|>line\n  priority: INFO\n');
  assert.equal(textAt(output.text, (item(output.result, 'proc.cmdline').textEdit as { replace: TextEdit['range'] }).replace), 'proc.cmdline');
  const atEnd = complete(R('proc.na<|> = x'));
  assert.ok('range' in (item(atEnd.result, 'proc.name').textEdit as object));
});

test('override keys: the item\'s own keys first; another key is marked as needing the key in the item too', () => {
  const keys = complete('- rule: Shell\n  condition: and proc.name = x\n  output: more\n  override:\n    <|>\n');
  assert.deepEqual(shown(keys.result).slice(0, 2), ['condition', 'output']);
  assert.match(item(keys.result, 'priority').detail ?? '', /the rule needs a 'priority' key too/);
  assert.equal(item(keys.result, 'condition').detail, undefined);
});
