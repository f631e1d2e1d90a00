// Session 22's audit of rules completion: what each context offers must be valid there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList, TextEdit } from 'vscode-languageserver-types';
import { openAt, workspace } from './rules-nav-helpers';
import { applyEdits, findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const LISTS = '- list: shells\n  items: [bash, sh]\n';
const RULE = (exception: string) => `${LISTS}- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name in (shells)\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n${exception}`;

function complete(marked: string) {
  const { service } = workspace({});
  const { doc, position, text } = openAt(service, FILE, marked);
  const result = service.completion!(doc, position) as CompletionList | null;
  return { text, items: result?.items ?? [], labels: (result?.items ?? []).map((i) => i.label) };
}

// Falco pastes an exception's values into the rule's condition as text (rule_loader_compiler.cpp 0.44.0
// build_rule_exception_infos), where it expands a list's name (resolve_list): a tuple's value goes in parentheses only
// after a comp that takes a list; after `=` (a list of fields' default comp) the list's items do not compile.
test('exception values: a list name is offered only where the comparison takes a list', () => {
  const tuple = (comps: string, value: string) => complete(RULE(`      fields: [proc.pname, proc.name]\n${comps}      values:\n        - ${value}\n`));
  // The default comps, =: no list (it was offered, and accepting it gave list-name-as-value).
  assert.ok(!tuple('', '[sshd, <|>]').labels.includes('shells'));
  assert.ok(!tuple('      comps: [in, =]\n', '[sshd, <|>]').labels.includes('shells'));
  assert.ok(!tuple('      comps: [=, startswith]\n', '[sshd, <|>]').labels.includes('shells'));
  // A list operator, or (Falco 0.44) an operator with a modifier, at that place: lists, and the result is clean.
  for (const comps of ['[=, in]', '[=, pmatch]', '[=, "startswith oneof"]']) {
    const { text, items } = tuple(`      comps: ${comps}\n`, '[sshd, <|>]');
    const shells = items.find((i) => i.label === 'shells');
    assert.ok(shells, comps);
    assert.deepEqual(findingsAt(FILE, applyEdits(text, [shells.textEdit as TextEdit]), '0.44'), [], comps);
  }
  // A single field's values are pasted in parentheses: lists are offered.
  assert.ok(complete(RULE('      fields: proc.name\n      values: [<|>]\n')).labels.includes('shells'));
});

test('exception keys: the keys the exception has are not offered again', () => {
  assert.deepEqual(complete(RULE('      fields: [proc.name]\n      <|>\n')).labels, ['comps', 'values']);
  assert.deepEqual(complete(`${LISTS}- rule: R\n  exceptions:\n    - <|>\n`).labels, ['name', 'fields', 'comps', 'values']);
});

test("a list's `override` key snippet names `items`, the key a list overrides", () => {
  const override = (marked: string) => (complete(marked).items.find((i) => i.label === 'override')?.textEdit as TextEdit).newText;
  assert.equal(override('- list: shells\n  items: [zsh]\n  <|>\n'), 'override:\n  ${1:items}: ${2|append,replace|}');
  assert.equal(override('- macro: m\n  condition: proc.name = x\n  <|>\n'), 'override:\n  ${1:condition}: ${2|append,replace|}');
});

// An evt.type value names an event; a list of binaries there gives unknown-evttype for each item (Falco refuses the
// condition). Every loaded list was offered, before the event names.
test('evt.type in (: the lists of event names, then the event names; not every list', () => {
  const lists = `${LISTS}- list: opens\n  items: [open, openat]\n- list: more_opens\n  items: [opens, openat2]\n- list: nothing\n  items: []\n`;
  const rule = (condition: string) => `${lists}- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
  const { labels } = complete(rule('evt.type in (<|>) and proc.name in (shells)'));
  assert.deepEqual(labels.slice(0, 2), ['opens', 'more_opens']);
  assert.ok(labels.includes('execve') && !labels.includes('shells') && !labels.includes('nothing'));
  // The same in an exception whose field is evt.type; any list for another field.
  const exception = (fields: string) => complete(`${rule('evt.type in (opens) and proc.name in (shells)')}  exceptions:\n    - name: e\n      fields: ${fields}\n      values: [<|>]\n`).labels;
  assert.ok(exception('evt.type').includes('opens') && !exception('evt.type').includes('shells'));
  assert.ok(exception('proc.name').includes('shells'));
});

// An override or append names a rule, macro or list a file loaded before defines: nothing was offered there.
test("an item's name: the names of its kind that the files loaded before define, written as YAML reads them back", () => {
  const base = '- list: shells\n  items: [bash]\n- macro: spawned\n  condition: evt.type = execve\n- rule: "Shell: spawned"\n  desc: d\n  condition: spawned and proc.name in (shells)\n  output: o\n  priority: INFO\n';
  const { service } = workspace({ '/ws/a_rules.yaml': base }, { ruleFiles: ['/ws/a_rules.yaml', FILE] });
  const names = (marked: string) => {
    const { doc, position, text } = openAt(service, FILE, marked);
    const items = (service.completion!(doc, position) as CompletionList | null)?.items ?? [];
    return items.map((i) => [i.label, applyEdits(text, [i.textEdit as TextEdit]).split('\n')[0]]);
  };
  assert.deepEqual(names('- rule: Sh<|>\n  priority: ERROR\n  override:\n    priority: replace\n'), [['Shell: spawned', '- rule: "Shell: spawned"']]);
  assert.deepEqual(names('- macro: <|>\n'), [['spawned', '- macro: spawned']]);
  assert.deepEqual(names('- list: sh<|>\n  items: [zsh]\n  override:\n    items: append\n'), [['shells', '- list: shells']]);
  // The first file loaded has no earlier names.
  const { service: alone } = workspace({});
  const { doc, position } = openAt(alone, FILE, '- rule: <|>\n');
  assert.deepEqual((alone.completion!(doc, position) as CompletionList | null)?.items ?? [], []);
});

// Falco 0.44 takes a string operator with a modifier as an exception's comp, for a single field too
// (rule_loader_collector.cpp 0.44.0 validate_exception_info, rule_loader_cmpop.h is_str_operator_with_modifier).
test('exception comps: an operator with a modifier, after the plain ones', () => {
  const single = RULE('      fields: proc.name\n      comps: <|>\n      values: [a, b]\n');
  const { labels, items, text } = complete(single);
  assert.deepEqual(labels.slice(0, 4), ['in', 'pmatch', 'intersects', '= oneof']);
  const startswith = items.find((i) => i.label === 'startswith oneof')!;
  assert.deepEqual(findingsAt(FILE, applyEdits(text, [startswith.textEdit as TextEdit]), '0.44'), []);
  assert.ok(!labels.includes('bstartswith oneof'), 'a string field takes no buffer operator');
  // `!= oneof` is quoted like `!=`; both words typed are replaced.
  assert.equal((items.find((i) => i.label === '!= oneof')!.textEdit as TextEdit).newText, '"!= oneof"');
  const typed = complete(RULE('      fields: [proc.name, proc.pname]\n      comps: [=, startswith o<|>]\n      values: [[a, [b, c]]]\n'));
  const accepted = applyEdits(typed.text, [typed.items.find((i) => i.label === 'startswith oneof')!.textEdit as TextEdit]);
  assert.match(accepted, /comps: \[=, startswith oneof\]/);
  assert.deepEqual(findingsAt(FILE, accepted, '0.44'), []);
});

// required_plugin_versions offered nothing: its keys (rule_loader_reader.cpp reads name, version, alternatives; an
// alternative's name and version) and the plugins' names.
test('required_plugin_versions: the keys an entry lacks, and plugin names after name:', () => {
  assert.deepEqual(complete('- required_plugin_versions:\n  - name: container\n    version: 0.4.0\n  - <|>\n').labels, ['name', 'version', 'alternatives']);
  assert.deepEqual(complete('- required_plugin_versions:\n  - name: container\n    <|>\n').labels, ['version', 'alternatives']);
  assert.deepEqual(complete('- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n    alternatives:\n      - name: k8saudit-eks\n        <|>\n').labels, ['version']);
  const names = complete('- required_plugin_versions:\n  - name: k8<|>\n');
  for (const plugin of ['container', 'json', 'k8saudit', 'k8saudit-eks', 'cloudtrail']) assert.ok(names.labels.includes(plugin), plugin);
  const k8saudit = names.items.find((i) => i.label === 'k8saudit')!;
  assert.equal(applyEdits(names.text, [k8saudit.textEdit as TextEdit]), '- required_plugin_versions:\n  - name: k8saudit\n');
});
