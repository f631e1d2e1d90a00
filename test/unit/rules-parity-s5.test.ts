// Falco loader parity, session 5: `override: replace` of a macro or list with no earlier definition (Falco's reader
// defines it), the macro reference loop's own code, unused macros and lists per loaded file, and value errors in
// macros no rule uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Hover, Location, MarkupContent } from 'vscode-languageserver-types';
import { createRulesService, UsageCounter } from '../../server/src/service/rules';
import { UsageIndex } from '../../server/src/service/rules/conditionChecks';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, rulesDoc, summarize } from './rules-host';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';

/** A service over the base and (optionally) the local file, both open. */
function open(base: string, local?: string) {
  const files: Record<string, string> = { [BASE]: base };
  if (local !== undefined) files[LOCAL] = local;
  const svc = createRulesService(new MemoryHost(files, { folders: ['/ws'] }));
  const docs = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, rulesDoc(p, t)]));
  for (const d of Object.values(docs)) svc.didOpenOrChange?.(d);
  const diagnostics = (p: string): Diagnostic[] => svc.diagnostics(docs[p]);
  /** Position `into` characters into the n-th occurrence of `needle` in file `p`. */
  const at = (p: string, needle: string, n = 0, into = 1) => {
    let i = -1;
    for (let k = 0; k <= n; k++) i = files[p].indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} not in ${p}`);
    return { doc: docs[p], position: docs[p].positionAt(i + into) };
  };
  return { svc, docs, diagnostics, at };
}

const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code));
const where = (ls: Location[]) => ls.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line + 1}:${l.range.start.character + 1}`).sort();
const hoverText = (h: Hover | null | undefined) => (h ? (h.contents as MarkupContent).value : '');

const RULE = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: "o | p=%proc.name"\n  priority: INFO\n`;

// ---------------------------------------------------------------------------------------------------------------
// 1. override: replace with no earlier definition

test('a macro with override condition: replace and no earlier definition defines the macro, as Falco reader does', () => {
  const base = `- macro: shells\n  condition: proc.name in (bash, sh)\n  override:\n    condition: replace\n${RULE('evt.type = execve and shells')}`;
  const { svc, diagnostics, at } = open(base);
  assert.deepEqual(diagnostics(BASE).map(summarize), []);
  // Definition, references and hover follow the load result: the override item is the definition.
  const use = at(BASE, 'and shells', 0, 5);
  assert.deepEqual(where(svc.definition!(use.doc, use.position) as Location[]), ['falco_rules.yaml:1:10']);
  assert.deepEqual(where(svc.references!(use.doc, use.position, true)), ['falco_rules.yaml:1:10', 'falco_rules.yaml:7:36']);
  const h = hoverText(svc.hover!(use.doc, use.position));
  assert.match(h, /proc\.name in \(bash, sh\)/);
  assert.match(h, /defined/);
  assert.doesNotMatch(h, /overridden/);
});

test('a list with override items: replace and no earlier definition defines the list', () => {
  const base = `- list: my_shells\n  items: [bash, sh]\n  override:\n    items: replace\n${RULE('evt.type = execve and proc.name in (my_shells)')}`;
  const { svc, diagnostics, at } = open(base);
  assert.deepEqual(diagnostics(BASE).map(summarize), []);
  const use = at(BASE, '(my_shells)', 0, 2);
  assert.deepEqual(where(svc.definition!(use.doc, use.position) as Location[]), ['falco_rules.yaml:1:9']);
});

test('an unused macro or list defined by override: replace is reported unused like any definition', () => {
  const base = `- macro: lonely\n  condition: proc.name = x\n  override:\n    condition: replace\n- list: lonely_list\n  items: [a]\n  override:\n    items: replace\n${RULE('evt.type = execve')}`;
  assert.deepEqual(codes(open(base).diagnostics(BASE)), ['unused-macro', 'unused-list']);
});

test('override: replace of a macro and a list defined in an earlier file replaces them in place (no error, no note)', () => {
  const base = `- macro: shells\n  condition: proc.name = bash\n- list: names\n  items: [a]\n${RULE('evt.type = execve and shells and proc.pname in (names)')}`;
  const local = '- macro: shells\n  condition: proc.name = zsh\n  override:\n    condition: replace\n- list: names\n  items: [b]\n  override:\n    items: replace\n';
  const { svc, diagnostics, at } = open(base, local);
  assert.deepEqual(diagnostics(BASE).map(summarize), []);
  assert.deepEqual(diagnostics(LOCAL).map(summarize), []);
  // Both items define the macro, as a redefinition does; the hover shows the replaced condition.
  const use = at(BASE, 'and shells', 0, 5);
  assert.deepEqual(where(svc.definition!(use.doc, use.position) as Location[]), ['falco_rules.local.yaml:1:10', 'falco_rules.yaml:1:10']);
  assert.match(hoverText(svc.hover!(use.doc, use.position)), /proc\.name = zsh/);
});

test('override: replace of a macro earlier in the same file is meant: no redefinition note', () => {
  const base = `- macro: shells\n  condition: proc.name = bash\n- macro: shells\n  condition: proc.name = zsh\n  override:\n    condition: replace\n${RULE('evt.type = execve and shells')}`;
  assert.deepEqual(open(base).diagnostics(BASE).map(summarize), []);
  // Without the override it is a plain redefinition, pointed out as before.
  assert.deepEqual(codes(open(base.replace('  override:\n    condition: replace\n', '')).diagnostics(BASE)), ['redefinition']);
});

test('append with no earlier definition is still an error for macros and lists; replace of a missing rule too', () => {
  const macro = '- macro: m\n  condition: or proc.name = x\n  override:\n    condition: append\n';
  const list = '- list: l\n  items: [x]\n  override:\n    items: append\n';
  const rule = '- rule: Missing Rule\n  condition: and proc.name = x\n  override:\n    condition: replace\n';
  const d = open(`${macro}${list}${rule}`).diagnostics(BASE);
  const missing = d.filter((x) => x.code === 'no-previous-definition');
  assert.deepEqual(missing.map(summarize), [
    "1:10-1:11 no-previous-definition Macro 'm' overrides a macro that no file loaded before defines. (LOAD_ERR_VALIDATE)",
    "5:9-5:10 no-previous-definition List 'l' overrides a list that no file loaded before defines. (LOAD_ERR_VALIDATE)",
    "9:9-9:21 no-previous-definition Rule 'Missing Rule' overrides a rule that no file loaded before defines. (LOAD_ERR_VALIDATE)",
  ]);
  // `append: true` without an earlier definition is an error too (collector::append).
  const legacy = open('- macro: m\n  condition: or proc.name = x\n  append: true\n').diagnostics(BASE);
  assert.ok(legacy.some((x) => x.code === 'no-previous-definition'));
});

// ---------------------------------------------------------------------------------------------------------------
// 2. "reference loop in macro" has its own code

const macro = (name: string, condition: string, extra = '') => `- macro: ${name}\n  condition: ${condition}\n${extra}`;
const APPEND = '  override:\n    condition: append\n';

test('a macro reference loop is macro-reference-loop (LOAD_ERR_VALIDATE, an error) and offers no macro quick fix', () => {
  const base = macro('a', 'proc.name = x') + macro('b', 'a') + macro('a', 'or b', APPEND) + RULE('evt.type = execve and a');
  const { svc, docs, diagnostics } = open(base);
  const d = diagnostics(BASE);
  assert.deepEqual(d.map(summarize), [
    `6:17-6:18 macro-reference-loop Macro 'b' leads back to a macro on its own resolution path: Falco resolves macro 'a' among the macros defined before its last definition or append (this one included), and fails to load with "reference loop in macro 'b'". (LOAD_ERR_VALIDATE)`,
  ]);
  assert.equal(d[0].severity, 1);
  assert.deepEqual(svc.codeActions!(docs[BASE], d[0].range, { diagnostics: [d[0]], only: ['quickfix'] }), []);
});

test('a loop closed by a later file through an earlier file\'s use is reported in the later file, at its use', () => {
  // After the base file a (appended with `or b`) sees b, which does not lead back: Falco compiles the base file fine.
  // The local file redefines b to use a: compiling after it, Falco resolves a, meets b, then a, then b again.
  const base = macro('a', 'proc.name = x') + macro('b', 'proc.pname = y') + macro('a', 'or b', APPEND) + RULE('evt.type = execve and a');
  const local = macro('b', 'a');
  assert.deepEqual(codes(open(base).diagnostics(BASE)), []);
  const { diagnostics } = open(base, local);
  assert.deepEqual(codes(diagnostics(BASE)), []);
  assert.deepEqual(diagnostics(LOCAL).map(summarize), [
    `2:14-2:15 macro-reference-loop Macro 'a' closes a reference loop: Falco resolves macro 'a' through 'b' to this use, and fails to load with "reference loop in macro 'b'". (LOAD_ERR_VALIDATE)`,
  ]);
  // The same redefinition without the base file's append closes no loop.
  const fine = macro('a', 'proc.name = x') + macro('b', 'proc.pname = y') + RULE('evt.type = execve and a and b');
  assert.deepEqual(codes(open(fine, local).diagnostics(LOCAL)), []);
});

test('a loop of an earlier file is not reported again by a later file that defines macros', () => {
  const base = macro('a', 'proc.name = x') + macro('b', 'a') + macro('a', 'or b', APPEND) + RULE('evt.type = execve and a');
  const local = macro('c', 'proc.name = q') + RULE('evt.type = execve and c').replace('rule: R', 'rule: R2');
  const { diagnostics } = open(base, local);
  assert.deepEqual(codes(diagnostics(BASE)), ['macro-reference-loop']);
  assert.deepEqual(codes(diagnostics(LOCAL)), []);
});

test('an undefined macro is LOAD_ERR_VALIDATE, as resolve_macros throws it', () => {
  const d = open(RULE('evt.type = execve and no_such_macro')).diagnostics(BASE);
  assert.deepEqual(d.map(summarize), ["3:36-3:49 undefined-macro Undefined macro 'no_such_macro' used in filter. (LOAD_ERR_VALIDATE)"]);
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Unused macros and lists per loaded file

test('a macro or list of an earlier file used only by a later file: Falco warns when it loads the earlier file', () => {
  // falco -r falco_rules.yaml -r falco_rules.local.yaml compiles after each file: loading the base file, nothing uses
  // only_local or local_names yet (LOAD_UNUSED_MACRO, LOAD_UNUSED_LIST); loading the local file, both are used.
  const base = macro('only_local', 'proc.name = x') + macro('both', 'proc.name = y') + '- list: local_names\n  items: [a]\n' + RULE('evt.type = execve and both');
  const local = RULE('evt.type = execve and only_local and both and proc.pname in (local_names)').replace('rule: R', 'rule: L');
  const { diagnostics } = open(base, local);
  assert.deepEqual(diagnostics(BASE).map(summarize), [
    "1:10-1:20 unused-macro Macro 'only_local' is not referred to by any rule or macro of this file or the files loaded before it: Falco warns when it loads this file (only files loaded after it use it). (LOAD_UNUSED_MACRO)",
    "5:9-5:20 unused-list List 'local_names' is not referred to by any rule, macro or list of this file or the files loaded before it: Falco warns when it loads this file (only files loaded after it use it). (LOAD_UNUSED_LIST)",
  ]);
  for (const d of diagnostics(BASE)) assert.equal(d.severity, 3);
  assert.deepEqual(diagnostics(LOCAL).map(summarize), []);
  // Used nowhere: the message of every loaded file, as before.
  const unusedEverywhere = open(base, RULE('evt.type = execve').replace('rule: R', 'rule: L')).diagnostics(BASE);
  assert.deepEqual(unusedEverywhere.map((d) => String(d.message).split(' is ')[0]), ["Macro 'only_local'", "List 'local_names'"]);
  assert.match(String(unusedEverywhere[0].message), /of the loaded rules files\. \(LOAD_UNUSED_MACRO\)$/);
});

test('a list of an earlier file pasted by a list of a later file counts only from that file on', () => {
  const base = '- list: inner\n  items: [a]\n' + RULE('evt.type = execve');
  const local = '- list: outer\n  items: [inner, b]\n' + RULE('evt.type = execve and proc.name in (outer)').replace('rule: R', 'rule: L');
  const { diagnostics } = open(base, local);
  assert.deepEqual(codes(diagnostics(BASE)), ['unused-list']);
  assert.match(String(diagnostics(BASE)[0].message), /Falco warns when it loads this file/);
  assert.deepEqual(codes(diagnostics(LOCAL)), []);
});

test('the last file counts every use: a macro used by an earlier file is used', () => {
  // The last file's finding reads the uses of every file, as before: its macro is used by its own rule, the base's
  // by both files.
  const base = macro('shared', 'proc.name = x') + RULE('evt.type = execve and shared');
  const local = macro('mine', 'proc.name = y') + RULE('evt.type = execve and shared and mine').replace('rule: R', 'rule: L');
  const { diagnostics } = open(base, local);
  assert.deepEqual(codes(diagnostics(BASE)), []);
  assert.deepEqual(codes(diagnostics(LOCAL)), []);
});

test('lists used through lists up to a file, along edits of the earlier file, equal a fresh service', () => {
  const local = RULE('evt.type = execve and proc.name in (outer)').replace('rule: R', 'rule: L');
  // outer names inner; which of them the base file uses changes from step to step (the memo of uses through lists
  // is keyed by the lists and by which naming lists are used in conditions).
  const steps = [
    '- list: inner\n  items: [a]\n- list: outer\n  items: [inner]\n' + RULE('evt.type = execve'),
    '- list: inner\n  items: [a]\n- list: outer\n  items: [inner]\n' + RULE('evt.type = execve and proc.pid > 1'),
    '- list: outer\n  items: [inner]\n- list: inner\n  items: [a]\n' + RULE('evt.type = execve and proc.pname in (outer)'),
    '- list: outer\n  items: [inner]\n- list: inner\n  items: [a]\n' + RULE('evt.type = execve and proc.pid > 1'),
    '- list: outer\n  items: [inner]\n- list: inner\n  items: [a]\n' + RULE('evt.type = execve and proc.pname in (outer)'),
  ];
  const expected = [['outer'], ['outer'], [], ['outer', 'inner'], []];
  const svc = createRulesService(new MemoryHost({ [BASE]: steps[0], [LOCAL]: local }, { folders: ['/ws'] }));
  svc.didOpenOrChange!(rulesDoc(LOCAL, local));
  steps.forEach((text, i) => {
    const doc = rulesDoc(BASE, text, i + 1);
    svc.didOpenOrChange!(doc);
    const got = svc.diagnostics(doc).filter((d) => d.code === 'unused-list');
    const fresh = open(text, local).diagnostics(BASE).filter((d) => d.code === 'unused-list');
    assert.deepEqual(got.map(summarize), fresh.map(summarize), `step ${i}`);
    assert.deepEqual(got.map((d) => String(d.message).split("'")[1]), expected[i], `step ${i}`);
  });
});

test('the running count of list candidates equals a count from nothing, along edits', () => {
  const base = '- list: inner\n  items: [a]\n- list: outer\n  items: [inner]\n' + RULE('evt.type = execve and proc.name in (outer, b)');
  const local = RULE('evt.type = execve and proc.name in (inner)').replace('rule: R', 'rule: L');
  const host = new MemoryHost({ [BASE]: base, [LOCAL]: local }, { folders: ['/ws'] });
  const index = new RulesWorkspaceIndex(host);
  const counter = new UsageCounter();
  const sorted = (m: ReadonlyMap<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b));
  const edits = [base, base.replace('(outer, b)', '(outer, c, c)'), base.replace('(outer, b)', '(b)'), base];
  for (const text of edits) {
    const load = index.load({ uri: pathToUri(BASE), text });
    assert.deepEqual(sorted(counter.usage(load).listCandidates), sorted(new UsageIndex(load).listCandidates));
  }
});

// ---------------------------------------------------------------------------------------------------------------
// 4. A value error in a macro no rule reaches

test('an invalid value in a macro no rule reaches is a warning: Falco compiles rules only', () => {
  const unused = macro('bad_pid', 'proc.pid = abc') + RULE('evt.type = execve');
  const d = open(unused).diagnostics(BASE).filter((x) => x.code === 'invalid-value');
  // The value's own explanation belongs to the value checks (compileWarnings.ts); its end says why it is a warning.
  assert.deepEqual(d.map((x) => summarize(x).replace(/ \(.*\) for proc\.pid/, ' for proc.pid')), [
    "2:25-2:28 invalid-value 'abc' is not a valid number for proc.pid (INT64): not checked by Falco until a rule uses macro 'bad_pid' (no rule of the loaded files does); Falco will reject the condition then (LOAD_ERR_COMPILE_CONDITION).",
  ]);
  assert.equal(d[0].severity, 2);
  // Reached by a rule, directly or through another macro, or from a later file: an error, as before.
  const errorOf = (base: string, local?: string) => open(base, local).diagnostics(BASE).filter((x) => x.code === 'invalid-value').map((x) => [x.severity, String(x.message).endsWith('Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)')]);
  assert.deepEqual(errorOf(macro('bad_pid', 'proc.pid = abc') + RULE('evt.type = execve and bad_pid')), [[1, true]]);
  assert.deepEqual(errorOf(macro('bad_pid', 'proc.pid = abc') + macro('outer', 'bad_pid') + RULE('evt.type = execve and outer')), [[1, true]]);
  assert.deepEqual(errorOf(macro('bad_pid', 'proc.pid = abc') + RULE('evt.type = execve'), RULE('evt.type = execve and bad_pid').replace('rule: R', 'rule: L')), [[1, true]]);
  // Used only by a macro that no rule reaches: still unchecked.
  assert.deepEqual(errorOf(macro('bad_pid', 'proc.pid = abc') + macro('outer', 'bad_pid') + RULE('evt.type = execve')), [[2, false]]);
  // A rule's own bad value stays an error.
  assert.deepEqual(errorOf(RULE('evt.type = execve and proc.pid = abc')), [[1, true]]);
});
