// Session 21: an item holding both `list:` and `macro:` is a list to Falco, which tests `list` before `macro` in every
// release (rule_loader_reader.cpp 0.37.0:428/468, 0.44.0:546/597). Falco Lens tested `macro` first and made it a macro.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const source = [
  '- macro: shells_macro',
  '  list: shells',
  '  items: [bash, sh]',
  '  condition: proc.name = bash',
  '- rule: Shell started',
  '  desc: d',
  '  condition: evt.type = execve and proc.name in (shells)',
  '  output: shell (command=%proc.cmdline)',
  '  priority: NOTICE',
  '- rule: Shell macro used',
  '  desc: d',
  '  condition: evt.type = execve and shells_macro',
  '  output: shell (command=%proc.cmdline)',
  '  priority: NOTICE',
  '',
].join('\n');

test('an item with both list: and macro: is the list: its name is a list, the macro is not defined', () => {
  for (const target of ['0.37', '0.44']) {
    const found = findingsAt(FILE, source, target).map((f) => f.split(':')[0]);
    // The rule naming the list is clean; the list's other keys are unknown to a list; the macro is not defined.
    assert.deepEqual(found, ['2 unknown-key macro', '2 unknown-key condition', '1 undefined-macro shells_macro'], target);
  }
});
