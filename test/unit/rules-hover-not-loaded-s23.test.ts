// Hovers of rules, macros and lists that are written but not loaded: an item Falco's reader refuses
// (rule_loader_reader.cpp read_item throws: a new rule without `output`, a macro whose condition is no string), and
// an override of a name no item loaded before it defines (rule_loader_collector.cpp: "... has no previous
// definition", LOAD_ERR_VALIDATE). Such an item's own name said "Not defined in any loaded rules file" and nothing of
// the item; it now says why the item is not loaded and shows what it says. A name used elsewhere lists the items of
// that name that are written but not loaded; a rule's hover names the item that disables it; a document opened as
// rules that nothing loads is named so where it defines something.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWorkspace, unescapedMarkdown } from './rules-nav-helpers';

const hover = (files: Record<string, string>, file: string, needle: string, n = 0, options: { folders?: string[]; ruleFiles?: string[] } = {}): string => {
  const { service, at } = openWorkspace(files, options);
  const { doc, position } = at(file, needle, n);
  const h = service.hover!(doc, position) as { contents: { value: string } } | null;
  return h ? unescapedMarkdown(h.contents.value) : '';
};

test('a rule the reader refuses: why, and the rule as written', () => {
  const text = '- rule: Shell in container\n  desc: a shell ran\n  condition: evt.type = execve and proc.name = bash\n  priority: WARNING\n';
  const md = hover({ '/ws/a_rules.yaml': text }, '/ws/a_rules.yaml', 'Shell in');
  assert.match(md, /^\*\*Rule\*\* `Shell in container` — not loaded/);
  assert.match(md, /\*\*Not loaded:\*\* Falco's reader refuses this item \(the error on it says why\), so it defines and changes nothing\./);
  assert.ok(md.includes('a shell ran'), md);
  assert.ok(md.includes('Priority: `WARNING`'), md);
  assert.ok(md.includes('evt.type = execve and proc.name = bash'), md);
  assert.doesNotMatch(md, /Not defined in any loaded rules file/);
});

test('an override before the definition: the later definition is named, and the loaded rule shown', () => {
  const files = {
    '/ws/a_rules.yaml': '- rule: r\n  condition: and proc.name = x\n  override:\n    condition: append\n',
    '/ws/b_rules.yaml': '- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n',
  };
  const md = hover(files, '/ws/a_rules.yaml', 'r\n');
  assert.match(md, /\*\*Not loaded:\*\* it changes a rule that no item loaded before it defines, and Falco refuses it \("has no previous definition"\)\. The rule is defined only later in the load order, at \[b_rules\.yaml:1\]/);
  assert.ok(md.includes('and proc.name = x'), md);
  assert.match(md, /The loaded rule of this name:\n- defined in \[b_rules\.yaml:1\]/);
});

test('a use of a macro only a refused item writes lists that item', () => {
  const text = '- macro: my_shells\n  condition: [bash]\n- rule: r\n  desc: d\n  condition: evt.type = execve and my_shells\n  output: o\n  priority: INFO\n';
  const md = hover({ '/ws/a_rules.yaml': text }, '/ws/a_rules.yaml', 'my_shells', 1);
  assert.match(md, /^\*\*Macro\*\* `my_shells`\n\nNot defined in any loaded rules file\./);
  assert.match(md, /Written but not loaded:\n- \[a_rules\.yaml:1\]\(file:\/\/\/ws\/a_rules\.yaml#L1\): Falco's reader refuses this item/);
});

test('a disabled rule names the item that disables it', () => {
  const text = '- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n- rule: r\n  enabled: false\n  override:\n    enabled: replace\n';
  const md = hover({ '/ws/a_rules.yaml': text }, '/ws/a_rules.yaml', 'r\n');
  assert.match(md, /\*\*Disabled\*\* \(`enabled: false` at \[a_rules\.yaml:7\]/);
});

test('a document nothing loads is named so where it defines', () => {
  const text = '- macro: out_m\n  condition: proc.name = bash\n- rule: r\n  desc: d\n  condition: evt.type = execve and out_m\n  output: o\n  priority: INFO\n';
  const files = { '/ws/conf_rules.yaml': '- list: x\n  items: [a]\n', '/other/custom.yaml': text };
  const md = hover(files, '/other/custom.yaml', 'out_m', 1, { folders: [], ruleFiles: ['/ws/conf_rules.yaml'] });
  assert.match(md, /defined in \[custom\.yaml:1\]\(file:\/\/\/other\/custom\.yaml#L1\) \(a file Falco Lens does not load: checked as if loaded last\)/);
});
