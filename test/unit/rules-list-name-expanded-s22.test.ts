// Falco expands lists on a condition's text before libsinsp parses it (resolve_list, rule_loader_compiler.cpp
// 0.37.0:180-251, 0.44.0:182-238; only the formatting differs between the releases): a list's name is replaced
// wherever a blank, '(', ')', ',' or '=' (or the text's end) stands on each side of it, whatever the parser would
// have read there. So a list named like a macro takes the macro's place, a list named `and` replaces the keyword, a
// list named like a field replaces the field (a transformer's argument, val()'s field included), and a name glued to
// '<' or '>' is left alone ('<' and '>' are no delimiters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const TARGETS = ['0.37', '0.40', '0.44'];
const rule = (lists: string, condition: string, macros = '') => `${lists}${macros}- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
/** `severity code covered-text` of the findings but information. */
const found = (text: string, target: string) => findingsAt(FILE, text, target).filter((f) => !f.startsWith('3 ')).map((f) => f.split(':')[0]);

test('a list named like a macro replaces the macro reference', () => {
  const macro = '- macro: shells\n  condition: proc.name in (bash)\n';
  for (const target of TARGETS) {
    // Two items: `evt.type = execve and bash, sh` does not compile; the macro is unused then, and no undefined-macro.
    const two = '- list: shells\n  items: [bash, sh]\n';
    assert.deepEqual(found(rule(two, 'evt.type = execve and shells', macro), target), ['1 list-name-expanded shells'], target);
    assert.deepEqual(found(rule(two, 'evt.type = execve and shells'), target), ['1 list-name-expanded shells'], target);
    // One item: `... and bash` compiles, a reference to the macro bash (not shells): a warning.
    const one = '- list: shells\n  items: [bash]\n';
    assert.deepEqual(found(rule(one, 'evt.type = execve and shells', macro), target), ['2 list-name-expanded shells'], target);
    const [message] = findingsAt(FILE, rule(two, 'evt.type = execve and shells', macro), target).filter((f) => f.includes('list-name-expanded'));
    assert.match(message, /the reference to macro 'shells' is replaced by the items of list 'shells', and the condition Falco parses, `evt\.type = execve and bash, sh`, does not compile/);
    // The list counts as used; the macro does not (no reference reaches it), and Falco warns that it is unused.
    const all = findingsAt(FILE, rule(two, 'evt.type = execve and shells', macro), target);
    assert.ok(!all.some((f) => f.includes('unused-list')), target);
    assert.match(all.filter((f) => f.includes('unused-macro')).join('\n'), /^3 unused-macro shells: Macro 'shells' is used nowhere: a list has the same name/, target);
  }
});

test('a list named like a keyword, a field or an operator', () => {
  for (const target of TARGETS) {
    assert.deepEqual(found(rule('- list: and\n  items: [x]\n', 'evt.type = execve and proc.name = bash'), target), ['1 list-name-expanded and'], target);
    const [message] = findingsAt(FILE, rule('- list: and\n  items: [x]\n', 'evt.type = execve and proc.name = bash'), target).filter((f) => f.includes('list-name-expanded'));
    assert.match(message, /the keyword 'and' is replaced .* `evt\.type = execve x proc\.name = bash`, does not compile .* Rename the list\. \(LOAD_ERR_COMPILE_CONDITION\)$/);
    // A field, alone or inside a transformer or val(): `proc.pname` followed by '(' / ')' or blanks.
    const field = '- list: proc.pname\n  items: [a, b]\n';
    assert.deepEqual(found(rule(field, 'evt.type = execve and proc.pname = bash'), target), ['1 list-name-expanded proc.pname'], target);
    // Transformers and val() from the releases that have them (0.37's libsinsp has neither: a syntax error there).
    if (target !== '0.37') assert.deepEqual(found(rule(field, 'evt.type = execve and proc.name = val(proc.pname)'), target), ['1 list-name-expanded proc.pname'], target);
    if (target !== '0.37') assert.deepEqual(found(rule(field, 'evt.type = execve and tolower(proc.pname) = bash'), target), ['1 list-name-expanded proc.pname'], target);
    // A list named like an operator.
    assert.deepEqual(found(rule('- list: exists\n  items: [a, b]\n', 'evt.type = execve and proc.name exists'), target), ['1 list-name-expanded exists'], target);
  }
});

test('a name glued to < or > is not expanded', () => {
  const ports = '- list: ports\n  items: [1, 2]\n';
  for (const target of TARGETS) {
    // '<' and '>' are no delimiters: Falco leaves the word, which is no number ("expected a number"), and the list
    // is unused. Only the syntax error is said.
    const glued = findingsAt(FILE, rule(ports, 'evt.type = connect and fd.sport>ports'), target);
    assert.deepEqual(glued.filter((f) => !f.startsWith('3 ')).map((f) => f.split(' ')[1]), ['condition-syntax'], `${target}: ${glued.join('\n')}`);
    assert.ok(glued.some((f) => f.includes('unused-list ports')), target);
    // As a list operator's item, or a prefix or end of a longer word, nothing.
    assert.deepEqual(found(rule(ports, 'evt.type = connect and fd.sport in (ports) and fd.name = ports_x and fd.name = x.ports'), target), [], target);
  }
});

// libsinsp reads a number after '<', '<=', '>', '>=' (parser.cpp s_binary_num_ops, libs 0.14.2 and 0.25.2): a list's
// name there is no number, but Falco pastes the list before it parses, so with one numeric item the condition compiles.
test('a list name that makes the text parse once pasted is no syntax error', () => {
  for (const target of TARGETS) {
    const one = findingsAt(FILE, rule('- list: port\n  items: [80]\n', 'evt.type = connect and fd.sport > port'), target).filter((f) => !f.startsWith('3 '));
    assert.deepEqual(one.map((f) => f.split(':')[0]), ['2 list-name-expanded port'], target);
    assert.match(one[0], /Falco parses `evt\.type = connect and fd\.sport > 80`/);
    // Two items: `fd.sport > 80, 443` does not parse either: the syntax error stands.
    assert.deepEqual(found(rule('- list: port\n  items: [80, 443]\n', 'evt.type = connect and fd.sport > port'), target).map((f) => f.split(' ')[1]), ['condition-syntax'], target);
  }
});

// Navigation follows: the word is a use of the list (its references, its definition), not of the macro.
test('a list\'s name where a macro would be read: references and definition lead to the list', async () => {
  const { createRulesService } = await import('../../server/src/service/rules');
  const { MemoryHost, rulesDoc } = await import('./rules-host');
  const text = rule('- list: shells\n  items: [bash]\n', 'evt.type = execve and shells', '- macro: shells\n  condition: proc.name in (bash)\n');
  const svc = createRulesService(new MemoryHost({ [FILE]: text }, { folders: ['/ws'] }));
  const doc = rulesDoc(FILE, text);
  svc.didOpenOrChange?.(doc);
  const use = doc.positionAt(text.indexOf('and shells') + 4);
  const defs = svc.definition!(doc, use) as { range: { start: { line: number } } }[];
  assert.deepEqual(defs.map((l) => l.range.start.line), [0]);
  const listRefs = svc.references!(doc, { line: 0, character: '- list: '.length }, false) ?? [];
  assert.deepEqual(listRefs.map((l) => l.range.start), [use]);
  const macroRefs = svc.references!(doc, { line: 2, character: '- macro: '.length }, false) ?? [];
  assert.deepEqual(macroRefs, []);
});

// The hover says the same: the word is the list, whose items Falco pastes there, not the macro.
test('hover on a list\'s name where a macro would be read: the list, and that no macro is read there', async () => {
  const { hoverMarkdownAt } = await import('./rules-nav-helpers');
  const macro = '- macro: shells\n  condition: proc.name in (bash)\n';
  const md = hoverMarkdownAt(rule('- list: shells\n  items: [bash, sh]\n', 'evt.type = execve and she<|>lls', macro), '0.44').replace(/\\(.)/g, '$1');
  assert.match(md, /^\*\*List\*\* `shells` — 2 items/);
  assert.ok(md.includes('[bash, sh]'), md);
  assert.ok(md.includes("Not a macro reference: Falco replaces this word with the list's items before it resolves macros"), md);
  assert.ok(md.includes('The macro `shells` is not read here.'), md);
  assert.doesNotMatch(md, /\*\*Macro\*\*|proc\.name in \(bash\)/);
  // Without the macro, no word about it; without the list, the macro's hover as before.
  const alone = hoverMarkdownAt(rule('- list: shells\n  items: [bash]\n', 'evt.type = execve and she<|>lls'), '0.44');
  assert.match(alone, /Not a macro reference/);
  assert.doesNotMatch(alone, /is not read here/);
  assert.match(hoverMarkdownAt(rule('', 'evt.type = execve and she<|>lls', macro), '0.44'), /^\*\*Macro\*\* `shells`/);
});

// The words of a condition named like a list are kept with the condition's parse for the list names of the load
// (ConditionFacts.listNamedWords): the same condition text under other lists is judged again.
test('the same condition under lists of other names is judged again', () => {
  const macro = '- macro: shells\n  condition: proc.name in (bash)\n';
  const list = (name: string) => `- list: ${name}\n  items: [bash, sh]\n`;
  const condition = 'evt.type = execve and shells';
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(found(rule(list('shells'), condition, macro), '0.44'), ['1 list-name-expanded shells'], `round ${round}`);
    assert.deepEqual(found(rule(list('other_shells'), condition, macro), '0.44'), [], `round ${round}`);
    assert.deepEqual(found(rule(`${list('other_shells')}${list('shells')}`, condition, macro), '0.44'), ['1 list-name-expanded shells'], `round ${round}`);
    assert.deepEqual(found(rule('', condition, macro), '0.44'), [], `round ${round}`);
  }
});
