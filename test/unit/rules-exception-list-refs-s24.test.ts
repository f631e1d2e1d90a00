// Session 23 (04b48b2) modelled a list named like an exception's field or operator in the checks (list-name-expanded):
// Falco writes each exception with values into the rule's condition (build_rule_exception_infos,
// rule_loader_compiler.cpp 0.44.0:100-161, the same from 0.37.0) and replaces every list's name between blanks,
// parentheses, commas or '=' in that text (parse_condition, resolve_list), fields, operators and the words of quoted
// values included. Definition, references and rename ignored those uses. Now an exception field or operator named like
// a list is a use of it where the exception is written (it has values, here or from an item adding them), so
// definition and references find it; a rename keeps it as written (Falco checks it as a field first, and renaming the
// list is the fix list-name-expanded asks for) and is refused when started there. Each word of a value of several
// words is a use, renamed with the list. An exception without values is not written: its field is no use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Location, TextEdit } from 'vscode-languageserver-types';
import { RenameRefused } from '../../server/src/service/rules/navigation';
import { openWorkspace, textAt } from './rules-nav-helpers';
import { applyEdits } from './rules-host';

const FILE = '/ws/rules.yaml';
const LOCAL = '/ws/local.yaml';
const TEXT = `- list: proc.pname
  items: [proc.aname]
- list: startswith
  items: [startswith]
- list: trusted
  items: [cron]
- rule: R
  desc: d
  condition: evt.type = execve and proc.name = bash
  output: o
  priority: INFO
  exceptions:
    - name: single
      fields: proc.pname
      values: [sshd, "my trusted parent"]
    - name: pair
      fields: [proc.pname, fd.name]
      comps: [=, startswith]
      values: [[trusted, /tmp]]
    - name: empty
      fields: [proc.pname]
      comps: [in]
`;

const lines = (text: string, locations: Location[]) => locations.map((l) => `${l.range.start.line}:${textAt(text, l.range)}`);

test('an exception field or operator named like a list is a use where the exception is written, not without values', () => {
  const { service, at } = openWorkspace({ [FILE]: TEXT });
  const def = at(FILE, 'proc.pname', 0);
  // The definition, the single field (line 13) and the pair's field (line 16); not the field of 'empty' (line 20).
  assert.deepEqual(lines(TEXT, service.references!(def.doc, def.position, true)), ['0:proc.pname', '13:proc.pname', '16:proc.pname']);
  // From the exception field: the list's definition.
  const field = at(FILE, 'proc.pname', 1);
  assert.deepEqual(lines(TEXT, service.definition!(field.doc, field.position)), ['0:proc.pname']);
  assert.deepEqual(lines(TEXT, service.references!(field.doc, field.position, false)), ['13:proc.pname', '16:proc.pname']);
  // The field of the exception without values: no list (a field's own navigation, none).
  const unwritten = at(FILE, 'proc.pname', 3);
  assert.deepEqual(service.definition!(unwritten.doc, unwritten.position), []);
  // An operator: comps [=, startswith].
  const op = at(FILE, 'startswith]', 1);
  assert.deepEqual(lines(TEXT, service.definition!(op.doc, op.position)), ['2:startswith']);
  const listDef = at(FILE, 'startswith', 0);
  assert.deepEqual(lines(TEXT, service.references!(listDef.doc, listDef.position, false)), ['17:startswith']);
  // A word of a quoted value of several words, and a one-word value of a tuple.
  const t = at(FILE, 'trusted', 0);
  assert.deepEqual(lines(TEXT, service.references!(t.doc, t.position, false)), ['14:trusted', '18:trusted']);
  const word = at(FILE, 'trusted parent', 0);
  assert.deepEqual(lines(TEXT, service.definition!(word.doc, word.position)), ['4:trusted']);
});

test('values added by a later item make the field a use; a rename keeps the field and renames the words of values', () => {
  const base = `- list: proc.pname
  items: [proc.aname]
- rule: R
  desc: d
  condition: evt.type = execve
  output: o
  priority: INFO
  exceptions:
    - name: e
      fields: proc.pname
`;
  const local = `- rule: R
  exceptions:
    - name: e
      values: [sshd]
  override:
    exceptions: append
`;
  const { service, at } = openWorkspace({ [FILE]: base, [LOCAL]: local }, { ruleFiles: [FILE, LOCAL] });
  const def = at(FILE, 'proc.pname', 0);
  assert.deepEqual(lines(base, service.references!(def.doc, def.position, false)), ['9:proc.pname']);
  // Without the later values, no use.
  const alone = openWorkspace({ [FILE]: base }, { ruleFiles: [FILE] });
  const d2 = alone.at(FILE, 'proc.pname', 0);
  assert.deepEqual(alone.service.references!(d2.doc, d2.position, false), []);

  // Rename from the definition: the fields stay, the value's word and the one-word value are renamed.
  const all = openWorkspace({ [FILE]: TEXT });
  const pname = all.at(FILE, 'proc.pname', 0);
  const edit = all.service.rename!(pname.doc, pname.position, 'parent_names');
  const edits = (edit?.changes?.[pname.doc.uri] ?? edit?.documentChanges?.flatMap((c) => ('edits' in c ? c.edits : [])) ?? []) as TextEdit[];
  const renamed = applyEdits(TEXT, edits);
  assert.equal(renamed, TEXT.replace('- list: proc.pname', '- list: parent_names'));
  const trusted = all.at(FILE, 'trusted', 0);
  const e2 = all.service.rename!(trusted.doc, trusted.position, 'trusted_parents');
  const edits2 = (e2?.changes?.[trusted.doc.uri] ?? e2?.documentChanges?.flatMap((c) => ('edits' in c ? c.edits : [])) ?? []) as TextEdit[];
  assert.equal(applyEdits(TEXT, edits2), TEXT.replace('- list: trusted', '- list: trusted_parents').replace('"my trusted parent"', '"my trusted_parents parent"').replace('[[trusted, /tmp]]', '[[trusted_parents, /tmp]]'));
  // Started at an exception field: refused, saying why.
  const field = all.at(FILE, 'proc.pname', 1);
  assert.throws(() => all.service.prepareRename!(field.doc, field.position), (e: unknown) => e instanceof RenameRefused && /Rename list 'proc\.pname' from its definition or another use: the exception field 'proc\.pname' stays as written: Falco checks it as a field/.test(e.message));
});
