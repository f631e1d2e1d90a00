// Outputs and field names, the leftovers of session 14 (session 15): one skip warning per rule under
// skip-if-unknown-filter, as Falco 0.37-0.44 check the output before the condition; a '%' inside a refused bracket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, fixesAt } from './rules-host';
import { hoverMarkdownAt } from './rules-nav-helpers';

/** Markdown as read: the escapes of escapeMarkdown taken off. */
const unescaped = (md: string) => md.replace(/\\(.)/g, '$1');

const FILE = '/ws/rules.yaml';
const rule = (condition: string, output = 'o', extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;
const SKIP = '  skip-if-unknown-filter: true\n';
const RELEASES = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44'];
const SKIPPED = 'The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)';

// --- 1. one skip warning per rule --------------------------------------------------------------------------------

test('skip-if-unknown-filter: an unknown field in the output and in the condition is one warning, on the output, at every release', () => {
  for (const target of RELEASES) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.foo = x', 'o %proc.bar', SKIP), target), [
      "3 unknown-field proc.foo: 'proc.foo' is not a supported filter field. Falco does not check this: under skip-if-unknown-filter it skips the rule at %proc.bar in the output, which it checks before the condition, and warns once.",
      `2 unknown-field proc.bar: 'proc.bar' is not a supported output field. ${SKIPPED}`,
    ], target);
    // Only the output's field, or only the condition's: one warning, where it is.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %proc.bar', SKIP), target), [`2 unknown-field proc.bar: 'proc.bar' is not a supported output field. ${SKIPPED}`], target);
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.foo = x', 'o %proc.name', SKIP), target), [`2 unknown-field proc.foo: 'proc.foo' is not a supported filter field. ${SKIPPED}`], target);
  }
});

test('skip-if-unknown-filter: two unknown fields in one output or one condition are one warning, on the first', () => {
  for (const target of ['0.37', '0.40', '0.44']) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %proc.bar %proc.baz', SKIP), target), [
      `2 unknown-field proc.bar: 'proc.bar' is not a supported output field. ${SKIPPED}`,
      "3 unknown-field proc.baz: 'proc.baz' is not a supported output field. Falco does not check this: under skip-if-unknown-filter it skips the rule at %proc.bar, earlier in the output, and warns once.",
    ]);
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.foo = x and proc.fo2 = y', 'o', SKIP), target), [
      `2 unknown-field proc.foo: 'proc.foo' is not a supported filter field. ${SKIPPED}`,
      "3 unknown-field proc.fo2: 'proc.fo2' is not a supported filter field. Falco does not check this: under skip-if-unknown-filter it skips the rule at proc.foo, earlier in the condition, and warns once.",
    ]);
  }
  // A field the target lacks (container.label came with 0.41) counts the same: the output's field is checked first.
  assert.deepEqual(findingsAt(FILE, rule('evt.type = open and container.label[x] = y', 'o %proc.bar', SKIP), '0.40').map((f) => f.split(':')[0]), [
    '2 unknown-field proc.bar', '3 unknown-field container.label',
  ]);
});

test('without skip-if-unknown-filter both unknown fields stay errors: each fails the load once the other is fixed', () => {
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.foo = x', 'o %proc.bar'), target), [
      "1 unknown-field proc.foo: 'proc.foo' is not a supported filter field. (LOAD_ERR_COMPILE_CONDITION)",
      "1 unknown-field proc.bar: 'proc.bar' is not a supported output field. (LOAD_ERR_COMPILE_OUTPUT)",
    ]);
  }
});

// --- 2. a '%' inside a bracket the field's check refuses ----------------------------------------------------------

test('%proc.aname[%proc.name] at Falco 0.43-0.44: the formatter reads proc.aname, prints \'[\' and reads %proc.name as a field; finding and hovers agree', () => {
  const inner = "Field 'proc.aname' takes a number in brackets (a position), not '%proc.name'. In an output Falco prints %proc.aname and the text '[', and the '%' inside the bracket starts a field of its own.";
  for (const target of ['0.43', '0.44']) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %proc.aname[%proc.name] x'), target), [`2 field-argument [: ${inner}`], target);
    // The field inside is checked as a field: an unknown one is reported.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %proc.aname[%proc.nam]'), target).map((f) => f.split(':')[0]), ['2 field-argument [', '1 unknown-field proc.nam'], target);
    const outer = unescaped(hoverMarkdownAt(rule('evt.type = open', 'o %proc.an<|>ame[%proc.name] x'), target));
    assert.ok(outer.includes(`**In this output:** ${inner}`), outer);
    assert.match(hoverMarkdownAt(rule('evt.type = open', 'o %proc.aname[%proc.na<|>me] x'), target), /^\*\*Field\*\* `proc\.name`\n/);
  }
  // A quoted argument too (0.44 compiles ever shorter text; 0.43's check reads no number in '"%proc.name"').
  assert.deepEqual(findingsAt(FILE, rule('evt.type = open', '\'o %proc.aname["%proc.name"] x\''), '0.44').map((f) => f.split(':')[0]), ['2 field-argument ["']);
  // 0.37-0.42: the thread check reads nothing there (session 14), and %proc.name is a field too.
  assert.match(findingsAt(FILE, rule('evt.type = open', 'o %proc.aname[%proc.name] x'), '0.42')[0]!, /prints %proc\.aname with its argument unset and then the text 'proc\.aname\['/);
  assert.match(hoverMarkdownAt(rule('evt.type = open', 'o %proc.aname[%proc.na<|>me] x'), '0.42'), /^\*\*Field\*\* `proc\.name`\n/);
  // A field whose check takes any text keeps the '%' in its argument: the variable named '%proc.name'.
  for (const target of ['0.43', '0.44']) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %proc.env[%proc.name] x'), target), [], target);
    assert.match(hoverMarkdownAt(rule('evt.type = open', 'o %proc.env[%proc.na<|>me] x'), target), /^\*\*Field\*\* `proc\.env`\n/);
  }
});

// --- 3. an argument the container plugin refuses, in a word the parser of Falco 0.44 does not read -----------------

test('%container.name[a"b] at Falco 0.41-0.43: the container plugin\'s check reads \'a"b\' and throws, the load fails whatever skip-if-unknown-filter says; hover agrees', () => {
  const throws = (target: string) => `Field 'container.name' takes no argument: Falco rejects '[a"b]' (the field does not allow nor require an argument). Falco ${target} fails to load whatever skip-if-unknown-filter says: the container plugin's field check refuses the argument as the output formatter looks the field up (Falco 0.44 prints the field and the bracket as text instead).`;
  for (const target of ['0.41', '0.42', '0.43']) {
    for (const extra of ['', SKIP]) {
      assert.deepEqual(findingsAt(FILE, rule('evt.type = open', '\'o %container.name[a"b] x\'', extra), target), [`1 field-argument [a"b]: ${throws(target)} (LOAD_ERR_COMPILE_OUTPUT)`], target);
    }
    assert.ok(unescaped(hoverMarkdownAt(rule('evt.type = open', '\'o %container.na<|>me[a"b] x\''), target)).includes(`**In this output:** ${throws(target)}`), target);
    // A '%' in the word is read into the argument the same way.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %container.name[%proc.name] x'), target).map((f) => f.split(':')[0]), ['1 field-argument [%proc.name]'], target);
    // container.label takes any key: the check reads the label named 'a"b', and nothing fails.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', '\'o %container.label[a"b] x\''), target), [], target);
  }
  // 0.40 (libsinsp's container check reads the name and leaves the bracket) and 0.44 (the parser does not read it) print it as text.
  for (const target of ['0.40', '0.44']) {
    assert.match(findingsAt(FILE, rule('evt.type = open', '\'o %container.name[a"b] x\''), target)[0]!, /^2 field-argument \[a"b\]: .*prints %container\.name followed by the text '\[a"b\]'\.$/, target);
  }
});

// --- 4. a cut container.label.app-tier: the bracket form from Falco 0.41 -------------------------------------------

test('condition container.label.app-tier: from Falco 0.41 the finding, the hover and the quick fix name container.label[app-tier]; before, none', () => {
  const source = rule('evt.type = open and container.label.app-tier = x');
  const flow = rule('evt.type = open', 'o', '  exceptions:\n    - name: e\n      fields: [proc.name, container.label.app-tier]\n      values: [[a, b]]\n');
  for (const target of ['0.41', '0.43', '0.44']) {
    assert.match(findingsAt(FILE, source, target)[0]!, /^1 condition-syntax -tier: .* In brackets Falco reads the whole argument: container\.label\[app-tier\]\. \(LOAD_ERR_COMPILE_CONDITION\)$/, target);
    const fixes = fixesAt(FILE, source, target, 'condition-syntax', /in brackets/);
    assert.deepEqual(fixes.map((f) => f.title), ["Write the argument in brackets: 'container.label[app-tier]'"], target);
    const fixed = fixes[0]!.fixed;
    assert.equal(fixed, rule('evt.type = open and container.label[app-tier] = x'));
    assert.deepEqual(findingsAt(FILE, fixed, target), [], target);
    const hover = hoverMarkdownAt(rule('evt.type = open and container.lab<|>el.app-tier = x'), target);
    assert.match(hover, /In brackets the whole argument is read, from Falco 0\.41 on \(the field's first release\): `container\.label\[app-tier\]`\./, target);
    // The parser fails first: the hover does not add what the field check would say of 'container.label.app'.
    assert.doesNotMatch(hover, /without an argument/, target);
    // Exception fields (session 14) write the same bracket form.
    assert.deepEqual(fixesAt(FILE, flow, target, 'field-argument', /in brackets/).map((f) => f.fixed), [flow.replace('container.label.app-tier', '"container.label[app-tier]"')], target);
  }
  // A label that does not end where the comparison goes on names none (session 14's rule for k8s labels).
  assert.deepEqual(fixesAt(FILE, rule('evt.type = open and container.label.app:x = y'), '0.44', 'condition-syntax', /in brackets/), []);
  for (const target of ['0.37', '0.40']) {
    // container.label came with 0.41: its bracket form is an unknown field there, so none is named nor offered.
    const [finding, ...rest] = findingsAt(FILE, source, target);
    assert.deepEqual(rest, [], target);
    assert.match(finding!, /^1 condition-syntax -tier: .*not '-tier'\. \(LOAD_ERR_COMPILE_CONDITION\)$/, target);
    assert.deepEqual(fixesAt(FILE, source, target, 'condition-syntax', /in brackets/), [], target);
    assert.doesNotMatch(hoverMarkdownAt(rule('evt.type = open and container.lab<|>el.app-tier = x'), target), /In brackets/, target);
    // As an exception field the collector finds no such field (it was silent here).
    assert.deepEqual(findingsAt(FILE, flow, target), [
      `1 unknown-field container.label.app-tier: In Falco ${target}, 'container.label.app-tier' is no filter field of the rule's source: 'container.label' was added in Falco 0.41. (LOAD_ERR_VALIDATE)`,
    ], target);
  }
});

// --- 5. hovers of a field written without the argument it needs say what the finding says -------------------------

test('from Falco 0.41 the hover of %container.label(.x) in an output and of container.label in an exception repeats "needs an argument"', () => {
  const said = "Field 'container.label' needs an argument, e.g. container.label[maintainer].";
  const exc = (f: string) => `  exceptions:\n    - name: e\n      fields: [${f}]\n      values: [[a]]\n`;
  for (const target of ['0.41', '0.44']) {
    for (const output of ['o %container.label.app x', 'o %container.label x']) {
      assert.ok(findingsAt(FILE, rule('evt.type = open', output), target)[0]!.startsWith(`1 field-argument container.label: ${said}`), output);
      const marked = output.replace('container.label', 'container.lab<|>el');
      assert.ok(unescaped(hoverMarkdownAt(rule('evt.type = open', marked), target)).includes(`**Needs an argument here**: ${said}`), `${target} ${output}`);
    }
    assert.ok(findingsAt(FILE, rule('evt.type = open', 'o', exc('container.label')), target)[0]!.startsWith(`1 field-argument container.label: ${said}`));
    assert.ok(unescaped(hoverMarkdownAt(rule('evt.type = open', 'o', exc('container.lab<|>el')), target)).includes(`**Needs an argument here**: ${said}`), target);
    // With the argument, or written after a dot in an exception (that hover says how Falco reads it), no such line.
    assert.doesNotMatch(hoverMarkdownAt(rule('evt.type = open', 'o %container.lab<|>el[app] x'), target), /Needs an argument here/);
    assert.doesNotMatch(hoverMarkdownAt(rule('evt.type = open', 'o', exc('container.lab<|>el.app')), target), /Needs an argument here/);
  }
  // Before 0.41 the field does not exist: the hover says so instead.
  assert.doesNotMatch(hoverMarkdownAt(rule('evt.type = open', 'o %container.lab<|>el x'), '0.40'), /Needs an argument here/);
});
