// Session 22: a rename must not give a macro or a list a name Falco's list expansion would mix up. Falco replaces a
// list's name by its items wherever blanks, parentheses, commas or '=' surround it in a condition's text, before it
// parses the condition (rule_loader_compiler.cpp 0.44.0 resolve_list, parse_condition): a macro named like a list
// has its uses replaced, and so has a field or a bare value named like the list. Such renames were accepted and the
// renamed files did not compile (list-name-expanded, list-name-as-value).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
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

// A name written as a block scalar (`rule: >-` and the name on the next line) is rewritten as a double-quoted scalar;
// the edit took in the line break that ends the block, and the next key joined the name's line ("- rule: \"Other\"
// desc: e"): the file no longer parsed.
test('renaming a rule whose name is a block scalar somewhere keeps the lines after it', () => {
  const rule = '- rule: My Rule\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n';
  // Stripped (`-`): the name has no line break (with `|` or `>` alone it would end with one, another rule's name).
  for (const [block, eol, blank] of [['>-', '\n', ''], ['|-', '\n', '\n'], ['>-', '\r\n', '']]) {
    const text = `${rule}- rule: ${block}\n    My Rule\n${blank}  desc: e\n  override:\n    desc: replace\n`.replace(/\n/g, eol);
    const { service, at } = openWorkspace({ [FILE]: text });
    const { doc, position } = at(FILE, 'My Rule');
    for (const newName of ['Other', 'a: b']) {
      const edit = service.rename!(doc, position, newName)!;
      const renamed = TextDocument.applyEdits(doc, (edit.documentChanges?.[0] as { edits: TextEdit[] } | undefined)?.edits ?? edit.changes![doc.uri]);
      assert.deepEqual((parse(renamed) as { rule: string; desc: string }[]).map((i) => [i.rule, i.desc]), [[newName, 'd'], [newName, 'e']], `${block} ${JSON.stringify(eol)} ${newName}`);
    }
  }
});
