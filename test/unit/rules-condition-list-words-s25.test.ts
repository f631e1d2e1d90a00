// Falco expands lists on a condition's text before libsinsp parses it: parse_condition runs resolve_list for every list
// on rules' and macros' conditions (rule_loader_compiler.cpp 0.37.0:180-251 and 294-304, 0.44.0:182-238 and 276-283,
// the same function in every release between), which replaces the list's name wherever it has one of ' \t\n\r(),='
// or the text's end on each side, whatever the word is to the parser. So a list's name is the list as a value after
// '=' (not only after 'in'), as a field (`- list: proc.pname` and `proc.pname in (…)`), and as a word inside a quoted
// string between blanks (`"run shell_binaries now"`), but not inside quotes it touches (`("shell_binaries")`: a quote
// is no delimiter). Navigation listed only a list operator's items and macro references: references, definition,
// highlights and rename missed the other uses, and a rename to a word standing inside a string was not refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Location, MarkupContent, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { RenameRefused } from '../../server/src/service/rules/navigation';
import { openWorkspace, textAt } from './rules-nav-helpers';
import { applyEdits } from './rules-host';

const FILE = '/ws/rules.yaml';
const TEXT = `- list: login_shell
  items: [bash]
- list: shell_binaries
  items: [bash, sh]
- list: proc.pname
  items: [proc.aname]
- macro: spawned
  condition: evt.type = execve and proc.name = login_shell
- rule: Shell run
  desc: d
  condition: >
    spawned and proc.pname in (sshd)
    and proc.cmdline contains "run shell_binaries now or later"
    and not proc.name in ("shell_binaries", shell_binaries)
  output: "%proc.pname %proc.name"
  priority: INFO
`;

const lines = (text: string, locations: Location[]) => locations.map((l) => `${l.range.start.line}:${textAt(text, l.range)}`);
const editsOf = (edit: WorkspaceEdit | null | undefined, uri: string) =>
  (edit?.changes?.[uri] ?? edit?.documentChanges?.flatMap((c) => ('edits' in c ? c.edits : [])) ?? []) as TextEdit[];

test('a list used as a value after =, as a field and inside a string is found; a quoted name touching its quotes is not', () => {
  const { service, at } = openWorkspace({ [FILE]: TEXT });
  const shells = at(FILE, 'shell_binaries', 0);
  // The word between blanks in the string (line 12) and the bare item (line 13), not `"shell_binaries"` (line 13 too).
  assert.deepEqual(lines(TEXT, service.references!(shells.doc, shells.position, true)), ['2:shell_binaries', '12:shell_binaries', '13:shell_binaries']);
  const refs = service.references!(shells.doc, shells.position, false);
  assert.deepEqual(refs.map((r) => r.range.start.character), [35, 44]);
  // The value after '=' in the macro.
  const login = at(FILE, 'login_shell', 0);
  assert.deepEqual(lines(TEXT, service.references!(login.doc, login.position, false)), ['7:login_shell']);
  const value = at(FILE, 'login_shell', 1);
  assert.deepEqual(lines(TEXT, service.definition!(value.doc, value.position)), ['0:login_shell']);
  // The condition's field named like a list; the output's %proc.pname is not expanded (outputs are not conditions).
  const pname = at(FILE, 'proc.pname', 0);
  assert.deepEqual(lines(TEXT, service.references!(pname.doc, pname.position, false)), ['11:proc.pname']);
  const field = at(FILE, 'proc.pname', 1);
  assert.deepEqual(lines(TEXT, service.definition!(field.doc, field.position)), ['4:proc.pname']);
  // The word inside the string: definition and highlights.
  const inString = at(FILE, 'shell_binaries now', 0, 3);
  assert.deepEqual(lines(TEXT, service.definition!(inString.doc, inString.position)), ['2:shell_binaries']);
  assert.equal(service.documentHighlights!(inString.doc, inString.position)?.length, 3);
  // Inside `"shell_binaries"`: a string, no list.
  const quoted = at(FILE, '"shell_binaries"', 0, 3);
  assert.deepEqual(service.definition!(quoted.doc, quoted.position), []);
  assert.deepEqual(service.references!(quoted.doc, quoted.position, true), []);
});

test('hovers on a list named by a field, a value after = and a word of a string show the list and what Falco replaces', () => {
  const { service, at } = openWorkspace({ [FILE]: TEXT });
  const hover = (needle: string, n: number, into = 1) => {
    const p = at(FILE, needle, n, into);
    const h = service.hover!(p.doc, p.position);
    assert.ok(h, `a hover at ${needle}`);
    return { value: (h.contents as MarkupContent).value, text: textAt(TEXT, h.range!) };
  };
  const field = hover('proc.pname', 1);
  assert.equal(field.text, 'proc.pname');
  assert.match(field.value, /\*\*List\*\* `proc\.pname` — 1 item/);
  assert.match(field.value, /Falco replaces the field `proc\.pname` with the list's items before it parses the condition/);
  const value = hover('login_shell', 1);
  assert.match(value.value, /\*\*List\*\* `login_shell`/);
  const word = hover('shell_binaries now', 0, 3);
  assert.equal(word.text, 'shell_binaries');
  assert.match(word.value, /this word of a quoted string/);
  // The output's field is a field.
  const output = hover('%proc.pname', 0, 3);
  assert.doesNotMatch(output.value, /\*\*List\*\*/);
});

test('a rename changes every word Falco reads as the list and nothing else, and refuses a name standing in a string', () => {
  const { service, at } = openWorkspace({ [FILE]: TEXT });
  const shells = at(FILE, 'shell_binaries', 1, 3);
  assert.deepEqual(service.prepareRename!(shells.doc, shells.position)?.placeholder, 'shell_binaries');
  const renamed = applyEdits(TEXT, editsOf(service.rename!(shells.doc, shells.position, 'shell_bins'), shells.doc.uri));
  assert.equal(renamed, TEXT.replace('- list: shell_binaries', '- list: shell_bins').replace('"run shell_binaries now or later"', '"run shell_bins now or later"')
    .replace('("shell_binaries", shell_binaries)', '("shell_binaries", shell_bins)'));
  // From the condition's field: the definition and the field, not the output.
  const field = at(FILE, 'proc.pname', 1);
  const fieldRenamed = applyEdits(TEXT, editsOf(service.rename!(field.doc, field.position, 'parent_names'), field.doc.uri));
  assert.equal(fieldRenamed, TEXT.replace('- list: proc.pname', '- list: parent_names').replace('spawned and proc.pname in', 'spawned and parent_names in'));
  const login = at(FILE, 'login_shell', 1);
  assert.equal(applyEdits(TEXT, editsOf(service.rename!(login.doc, login.position, 'shells'), login.doc.uri)),
    TEXT.replace('- list: login_shell', '- list: shells').replace('proc.name = login_shell', 'proc.name = shells'));
  // 'now' stands between blanks in a string: a list so named would replace it.
  assert.throws(() => service.rename!(login.doc, login.position, 'now'), (e: unknown) => e instanceof RenameRefused && /'now' already stands in a condition \(\/ws\/rules\.yaml:13\)/.test(e.message));
});

// An exception's value is written as Falco writes it into the condition (build_rule_exception_infos,
// rule_loader_compiler.cpp 0.37.0:74-155, 0.44.0:100-161): quote_item puts a value holding a blank in double quotes,
// but a scalar of a list of fields compared by a list operator goes in parentheses as written (paren_item). So the
// first and last words of a quoted value touch Falco's quotes and are no list's name; in parentheses every word is.
const EXCEPTIONS = `- list: sudo
  items: [doas]
- list: tool
  items: [make]
- rule: R
  desc: d
  condition: evt.type = execve
  output: o
  priority: INFO
  exceptions:
    - name: quoted
      fields: [proc.cmdline]
      comps: [=]
      values: [[sudo run tool]]
    - name: single
      fields: proc.cmdline
      values: [run tool now]
    - name: parenthesised
      fields: [proc.name, proc.cmdline]
      comps: [in, =]
      values: [[sudo tool, x]]
`;

test('exception values: a word touching the quotes Falco adds is no use; a rename to such a word is refused', () => {
  const { service, at } = openWorkspace({ [FILE]: EXCEPTIONS });
  const sudo = at(FILE, 'sudo', 0);
  // Not 'sudo' of "sudo run tool" (quoted by Falco, line 13); the parenthesised one (line 20) is.
  assert.deepEqual(lines(EXCEPTIONS, service.references!(sudo.doc, sudo.position, false)), ['20:sudo']);
  const tool = at(FILE, 'tool', 0);
  // "run tool now" (line 16) keeps 'tool' between blanks inside Falco's quotes; "sudo run tool" does not (line 13).
  assert.deepEqual(lines(EXCEPTIONS, service.references!(tool.doc, tool.position, false)), ['16:tool', '20:tool']);
  const quoted = at(FILE, 'sudo run', 0, 2);
  assert.deepEqual(service.definition!(quoted.doc, quoted.position), []);
  const renamed = applyEdits(EXCEPTIONS, editsOf(service.rename!(sudo.doc, sudo.position, 'elevate'), sudo.doc.uri));
  assert.equal(renamed, EXCEPTIONS.replace('- list: sudo', '- list: elevate').replace('[[sudo tool, x]]', '[[elevate tool, x]]'));
  // 'run' stands between blanks in "sudo run tool" as Falco writes it: a list so named would replace it.
  assert.throws(() => service.rename!(sudo.doc, sudo.position, 'run'), (e: unknown) => e instanceof RenameRefused && /'run' already stands in a condition \(\/ws\/rules\.yaml:14\)/.test(e.message));
});

// A list's item names a list only where Falco compiles it so (compile_list_infos, rule_loader_compiler.cpp
// 0.37.0:340-375, 0.44.0:298-324): the named list's index is below the list's visibility (it was defined before the
// list's last definition or append), and the item is among those the loaded list holds. Navigation took every item
// naming a loaded list for that list, so a rename rewrote items Falco reads as words.
const ITEMS = `- list: early
  items: [a]
- list: user
  items: [early, late]
- list: late
  items: [b]
- list: replaced
  items: [early]
- list: replaced
  items: [c]
- list: defined_after
  items: [late]
- list: late_user
  items: [x]
- list: late_user
  items: [late]
  override:
    items: append
`;

test('a list item is the list only for a list defined before the last definition or append, in the items Falco keeps', () => {
  const { service, at } = openWorkspace({ [FILE]: ITEMS });
  const early = at(FILE, '- list: early', 0, 9);
  // 'user' holds early (defined before it); 'replaced''s first definition is replaced by the second.
  assert.deepEqual(lines(ITEMS, service.references!(early.doc, early.position, false)), ['3:early']);
  const late = at(FILE, '- list: late\n', 0, 9);
  // Not in 'user' (defined before 'late' and never changed after it); in 'defined_after', defined after it, and in
  // 'late_user', appended to after.
  assert.deepEqual(lines(ITEMS, service.references!(late.doc, late.position, false)), ['11:late', '15:late']);
  const word = at(FILE, 'early, late]', 0, 8);
  assert.deepEqual(service.definition!(word.doc, word.position), []);
  const h = service.hover!(word.doc, word.position);
  assert.match((h?.contents as MarkupContent).value, /a literal value here, not the list `late`/);
  const renamed = applyEdits(ITEMS, editsOf(service.rename!(late.doc, late.position, 'later'), late.doc.uri));
  assert.equal(renamed, ITEMS.replace('- list: late\n', '- list: later\n').replaceAll('  items: [late]\n', '  items: [later]\n'));
});
