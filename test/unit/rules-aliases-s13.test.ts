// YAML aliases in rules files. Falco's YAML reader (yaml-cpp) gives an alias the anchored node itself, so `desc: *d`
// is a string and `items: *shells` that list; Falco Lens called them "not a string, an alias" (an error Falco never gives).
// A condition or exceptions through an alias were said to be unchecked (checked since session 15, rules-aliases-s15);
// merge keys (`<<:`) yaml-cpp does not have (session 13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules/index';
import { MemoryHost, rulesDoc } from './rules-host';

const RULE_TAIL = '  output: o (command=%proc.cmdline)\n  priority: INFO\n';
const FILE = [
  '- list: shells', '  items: &shells [bash, sh]',
  '- macro: spawned', '  condition: &spawn evt.type = execve and proc.pname != cron',
  '- rule: First', '  desc: &d A shell ran', '  condition: spawned and proc.name in (shells)', RULE_TAIL.trimEnd(),
  '- rule: Second', '  desc: *d', '  condition: spawned', '  tags: &t [process]', RULE_TAIL.trimEnd(),
  '- list: more_shells', '  items: *shells',
  '- rule: Third', '  desc: *d', '  condition: spawned and proc.name in (more_shells)', '  tags: *t', RULE_TAIL.trimEnd(),
].join('\n') + '\n';

const service = () => createRulesService(new MemoryHost({}, { folders: ['/ws'] }));
const found = (s: ReturnType<typeof service>, doc: ReturnType<typeof rulesDoc>) => s.diagnostics(doc).map((d) => `${d.code}@${doc.getText(d.range)}`);

test('aliases are the anchored values, as Falco reads them: no type errors, the aliased condition is checked', () => {
  const s = service();
  const doc = rulesDoc('/ws/falco_rules.local.yaml', FILE);
  assert.deepEqual(found(s, doc), []);
  // The same file with the aliases written out finds the same.
  const expanded = FILE.replace(/ &\w+/g, '').replace('desc: *d', 'desc: A shell ran').replace('desc: *d', 'desc: A shell ran')
.replace('items: *shells', 'items: [bash, sh]').replace('tags: *t', 'tags: [process]');
  assert.ok(!expanded.includes('*'), expanded);
  assert.deepEqual(found(s, rulesDoc('/ws/expanded_rules.yaml', expanded)), []);
});

test('a condition or exceptions written as an alias: Falco reads them, and so does Falco Lens (session 15: checked, no longer a note)', () => {
  const s = service();
  const text = [
    '- macro: spawned', '  condition: &spawn evt.type = execve and proc.pnamex != cron',
    '- rule: Second', '  desc: d', '  condition: *spawn', '  output: o', '  priority: INFO',
    '  exceptions: &ex', '    - name: known', '      fields: [proc.name]', '      values: [[cron]]',
    '- rule: Third', '  desc: d', '  condition: spawned', '  output: o', '  priority: INFO', '  exceptions: *ex',
  ].join('\n') + '\n';
  const doc = rulesDoc('/ws/falco_rules.local.yaml', text);
  const diagnostics = s.diagnostics(doc);
  assert.deepEqual(diagnostics.filter((d) => d.code === 'alias-not-checked'), []);
  assert.deepEqual(diagnostics.filter((d) => d.code === 'invalid-value-type'), []);
  // The anchored text is checked where it is written, once, for the macro and for the rule that reads it by alias.
  const unknown = diagnostics.filter((d) => d.code === 'unknown-field');
  assert.deepEqual(unknown.map((d) => doc.getText(d.range)), ['proc.pnamex']);
  assert.match(String(unknown[0].message), /Also for rule 'Second' \(\*spawn, line 5\)/);
});

test('a merge key is a key named <<, as yaml-cpp reads it: the message says the keys under it are not the rule\'s', () => {
  const s = service();
  const text = `- rule: Merged\n  <<:\n    desc: d\n    priority: INFO\n  condition: evt.type = execve\n  output: o\n`;
  const doc = rulesDoc('/ws/falco_rules.local.yaml', text);
  const diagnostics = s.diagnostics(doc);
  const merge = diagnostics.find((d) => d.code === 'unknown-key');
  assert.ok(merge, JSON.stringify(diagnostics));
  assert.equal(doc.getText(merge.range), '<<');
  assert.match(String(merge.message), /does not merge '<<' keys: the keys under it are not part of the rule/);
  assert.ok(diagnostics.some((d) => d.code === 'missing-required-key' && /'desc', 'priority'/.test(String(d.message))), JSON.stringify(diagnostics.map((d) => d.message)));
});
