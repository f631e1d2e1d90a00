// Session 22: a rename must not give a macro or a list a name Falco's list expansion would mix up. Falco replaces a
// list's name by its items wherever blanks, parentheses, commas or '=' surround it in a condition's text, before it
// parses the condition (rule_loader_compiler.cpp 0.44.0 resolve_list, parse_condition): a macro named like a list
// has its uses replaced, and so has a field or a bare value named like the list. Such renames were accepted and the
// renamed files did not compile (list-name-expanded, list-name-as-value).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenameRefused } from '../../server/src/service/rules/navigation';
import { openWorkspace } from './rules-nav-helpers';

const FILE = '/ws/rules.yaml';
const TEXT = `- list: shells
  items: [bash, sh]
- macro: spawned
  condition: evt.type = execve
- macro: named_x
  condition: proc.pname = x
- rule: R
  desc: d
  condition: spawned and named_x and proc.name in (shells)
  output: o
  priority: INFO
`;

function refusal(needle: string, newName: string): string | undefined {
  const { service, at } = openWorkspace({ [FILE]: TEXT });
  const { doc, position } = at(FILE, needle);
  try {
    service.rename!(doc, position, newName);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof RenameRefused, String(e));
    return e.message;
  }
}

test('a macro is not renamed to a loaded list\'s name', () => {
  assert.match(refusal('spawned', 'shells') ?? '', /A list named 'shells' exists: Falco replaces a list's name by its items/);
  assert.equal(refusal('spawned', 'started'), undefined);
});

test('a list is not renamed to a macro\'s name, a field or a bare value of a condition', () => {
  assert.match(refusal('shells', 'spawned') ?? '', /A macro named 'spawned' exists/);
  assert.match(refusal('shells', 'evt.type') ?? '', /'evt\.type' is a field/);
  assert.match(refusal('shells', 'x') ?? '', /'x' is already used as a plain value \(\/ws\/rules\.yaml:6\)/);
  assert.equal(refusal('shells', 'shell_names'), undefined);
});
