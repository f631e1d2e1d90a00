// Falco loader parity, session 5 (second part): what Falco checks in a macro that no rule reaches. Falco 0.44 parses
// every macro and resolves its macros (rule_loader_compiler.cpp compile_macros_infos), but compiles only rules'
// conditions, with their macros expanded (compile_rule_infos, compile_condition): libsinsp's compile errors and
// warnings in a macro come only once a rule uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createRulesService } from '../../server/src/service/rules';
import { clearCheckMemos } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache } from '../../server/src/service/rules/model';
import { clearLoadMemos } from '../../server/src/service/rules/workspace';
import { MemoryHost, applyEdits, editsFor, rulesDoc, summarize } from './rules-host';
import { incrementalChange } from './rules-random-edits';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';

function diagnosticsOf(base: string, local?: string, falcoVersion?: string): { base: Diagnostic[]; local: Diagnostic[] } {
  const files: Record<string, string> = { [BASE]: base };
  if (local !== undefined) files[LOCAL] = local;
  const host = new MemoryHost(files, { folders: ['/ws'] });
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const svc = createRulesService(host);
  const docs = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, rulesDoc(p, t)]));
  for (const d of Object.values(docs)) svc.didOpenOrChange?.(d);
  return { base: svc.diagnostics(docs[BASE]), local: local !== undefined ? svc.diagnostics(docs[LOCAL]) : [] };
}

const macro = (name: string, condition: string) => `- macro: ${name}\n  condition: ${condition}\n`;
const RULE = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: "o | p=%proc.name"\n  priority: INFO\n`;
const withSeverity = (ds: Diagnostic[]) => ds.map((d) => `${d.severity} ${summarize(d)}`);
const UNREACHED = (m: string) => `not checked by Falco until a rule uses macro '${m}' (no rule of the loaded files does); Falco will reject the condition then (LOAD_ERR_COMPILE_CONDITION).`;

// ---------------------------------------------------------------------------------------------------------------
// 1. Compile errors in a macro no rule reaches: warnings

test('compile errors in a macro no rule reaches are warnings: unknown field, source, argument, operator, event type', () => {
  const conditions: [string, string][] = [
    ['proc.nam = bash', "2:14-2:22 unknown-field 'proc.nam' is not a supported filter field. Did you mean 'proc.name'?"],
    ['proc.aname[x] = bash', "2:14-2:24 field-argument Field 'proc.aname' takes a number in brackets (a position), not 'x'."],
    ['proc.pid contains 1', "2:23-2:31 operator-type Operator 'contains' cannot be used with 'proc.pid'"],
    ['evt.type = execv', "2:25-2:30 unknown-evttype Unknown event type 'execv': Falco rejects the condition unless a loaded plugin defines an event of that name. Did you mean 'execve'?"],
  ];
  for (const [condition, expected] of conditions) {
    const unused = macro('m', condition) + RULE('evt.type = execve');
    const d = diagnosticsOf(unused).base.filter((x) => x.code !== 'unused-macro');
    assert.equal(d.length, 1, condition);
    assert.equal(d[0].severity, 2, condition);
    assert.ok(summarize(d[0]).startsWith(expected), `${condition}: ${summarize(d[0])}`);
    assert.ok(String(d[0].message).endsWith(` ${UNREACHED('m')[0].toUpperCase()}${UNREACHED('m').slice(1)}`), `${condition}: ${d[0].message}`);
    // Used by a rule: Falco's error (or, for the event type, its warning) as before.
    const used = diagnosticsOf(macro('m', condition) + RULE('evt.type = execve and m')).base;
    assert.equal(used.length, 1, condition);
    assert.equal(used[0].severity, d[0].code === 'unknown-evttype' ? 2 : 1, condition);
    assert.ok(String(used[0].message).endsWith('(LOAD_ERR_COMPILE_CONDITION)'), `${condition}: ${used[0].message}`);
    assert.doesNotMatch(String(used[0].message), /not checked/);
  }
});

test('a macro has no source of its own: a field of another source in it is no finding', () => {
  const m = macro('m', 'ka.verb = create');
  assert.deepEqual(withSeverity(diagnosticsOf(m + RULE('evt.type = execve')).base), ["3 1:10-1:11 unused-macro Macro 'm' is not referred to by any rule or macro of the loaded rules files. (LOAD_UNUSED_MACRO)"]);
});

test('the value error keeps its own wording and the exact range', () => {
  const d = diagnosticsOf(macro('bad', 'proc.pid = abc') + RULE('evt.type = execve')).base.filter((x) => x.code === 'invalid-value');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 2);
  assert.deepEqual([d[0].range.start, d[0].range.end], [{ line: 1, character: 24 }, { line: 1, character: 27 }]);
  assert.ok(String(d[0].message).endsWith(`: ${UNREACHED('bad')}`), String(d[0].message));
});

test('errors Falco gives for every macro stay errors: syntax, undefined macro, reference loop', () => {
  const syntax = diagnosticsOf(macro('m', 'proc.name = (') + RULE('evt.type = execve')).base.filter((x) => x.code !== 'unused-macro');
  assert.deepEqual(syntax.map((x) => [x.code, x.severity]), [['condition-syntax', 1]]);
  assert.ok(String(syntax[0].message).endsWith('(LOAD_ERR_COMPILE_CONDITION)'));
  const undefinedMacro = diagnosticsOf(macro('m', 'proc.name = bash and nothere') + RULE('evt.type = execve')).base.filter((x) => x.code !== 'unused-macro');
  assert.deepEqual(withSeverity(undefinedMacro), ["1 2:35-2:42 undefined-macro Undefined macro 'nothere' used in filter. (LOAD_ERR_VALIDATE)"]);
  const loop = diagnosticsOf(macro('a', 'proc.name = bash') + macro('b', 'a') + '- macro: a\n  condition: or b\n  override:\n    condition: append\n' + RULE('evt.type = execve'));
  assert.deepEqual(loop.base.filter((x) => x.code === 'macro-reference-loop').map((x) => x.severity), [1]);
});

test('reach: directly, through macros, from a later file, and not from another macro no rule reaches', () => {
  const bad = macro('bad', 'proc.nam = bash');
  const severityOf = (base: string, local?: string) => diagnosticsOf(base, local).base.filter((x) => x.code === 'unknown-field').map((x) => x.severity);
  assert.deepEqual(severityOf(bad + RULE('evt.type = execve and bad')), [1]);
  assert.deepEqual(severityOf(bad + macro('outer', 'bad') + RULE('evt.type = execve and outer')), [1]);
  // The use in a later file: Falco compiles the rules read so far after each file, and fails with the later one.
  assert.deepEqual(severityOf(bad + RULE('evt.type = execve'), RULE('evt.type = execve and bad').replace('rule: R', 'rule: L')), [1]);
  // Used only by a macro that no rule uses: neither is compiled.
  assert.deepEqual(severityOf(bad + macro('outer', 'bad') + RULE('evt.type = execve')), [2]);
  // A rule's override that appends a use reaches it too (the rule's condition is the joined text).
  const appended = bad + RULE('evt.type = execve') + '- rule: R\n  condition: and bad\n  override:\n    condition: append\n';
  assert.deepEqual(severityOf(appended), [1]);
});

test('a macro append that writes the bad value is judged by the macro\'s reach', () => {
  const base = macro('m', 'proc.name = bash') + '- macro: m\n  condition: or proc.nam = sh\n  override:\n    condition: append\n';
  const unreached = diagnosticsOf(base + RULE('evt.type = execve')).base.filter((x) => x.code === 'unknown-field');
  assert.deepEqual(withSeverity(unreached).map((s) => s.slice(0, 43)), ['2 4:17-4:25 unknown-field \'proc.nam\' is not']);
  const reached = diagnosticsOf(base + RULE('evt.type = execve and m')).base.filter((x) => x.code === 'unknown-field');
  assert.deepEqual(reached.map((x) => x.severity), [1]);
});

// ---------------------------------------------------------------------------------------------------------------
// 2. Compile warnings in a macro no rule reaches: information

test('compile warnings in a macro no rule reaches are information, without the LOAD name', () => {
  const cases: [string, string, string][] = [
    ['proc.name regex "bash"', 'regex-simpler-operator', 'LOAD_COMPILE_CONDITION'],
    ['proc.name = proc.pname', 'field-as-value', 'LOAD_COMPILE_CONDITION'],
    ['ka.verb = <NA>', 'unsafe-na-check', 'LOAD_UNSAFE_NA_CHECK'],
    ['evt.dir = <', 'deprecated-field', 'LOAD_DEPRECATED_ITEM'],
  ];
  for (const [condition, code, load] of cases) {
    const d = diagnosticsOf(macro('m', condition) + RULE('evt.type = execve')).base.filter((x) => x.code === code);
    assert.equal(d.length, 1, condition);
    assert.equal(d[0].severity, 3, condition);
    assert.ok(String(d[0].message).endsWith(` Falco gives this warning (${load}) only when a rule uses macro 'm' (no rule of the loaded files does).`), `${condition}: ${d[0].message}`);
    // Reached: Falco's warning, as before.
    const used = diagnosticsOf(macro('m', condition) + RULE('evt.type = execve and m')).base.filter((x) => x.code === code);
    assert.deepEqual(used.map((x) => x.severity), [2], condition);
    assert.ok(String(used[0].message).endsWith(`(${load})`), `${condition}: ${used[0].message}`);
  }
});

test('the same findings in a rule are untouched, and a macro without findings is untouched', () => {
  const rule = diagnosticsOf(RULE('evt.type = execve and proc.nam = bash')).base;
  assert.deepEqual(rule.map((x) => [x.code, x.severity]), [['unknown-field', 1]]);
  assert.deepEqual(withSeverity(diagnosticsOf(macro('m', 'proc.name = bash') + RULE('evt.type = execve and m')).base), []);
});

test('at an older target, an unreached macro\'s findings are softened after the target drops its own', () => {
  // evt.dir is deprecated from Falco 0.42: at 0.41 nothing is said; at 0.44 information in an unreached macro.
  const text = macro('m', 'evt.dir = <') + RULE('evt.type = execve');
  assert.deepEqual(diagnosticsOf(text, undefined, '0.41').base.filter((x) => x.code === 'deprecated-field'), []);
  assert.deepEqual(diagnosticsOf(text, undefined, '0.44').base.filter((x) => x.code === 'deprecated-field').map((x) => x.severity), [3]);
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Edits that make a macro reached or unreached: cached checks give what a fresh validation gives

test('an edit that makes a macro reached or unreached equals a validation from scratch', () => {
  const start = macro('bad', 'proc.nam = bash and proc.pid = abc and proc.name regex "x"') + macro('other', 'proc.aname = x') + RULE('evt.type = execve');
  const steps = [
    start.replace('condition: evt.type = execve', 'condition: evt.type = execve and bad'),
    start.replace('condition: evt.type = execve', 'condition: evt.type = execve and not bad'),
    start,
    start.replace('condition: proc.aname = x', 'condition: proc.aname = x or bad').replace('condition: evt.type = execve', 'condition: evt.type = execve and other'),
    start.replace('condition: proc.aname = x', 'condition: proc.aname = x or bad'),
    start,
  ];
  const host = new MemoryHost({ [BASE]: start }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  let before = start;
  let version = 1;
  svc.didOpenOrChange!(rulesDoc(BASE, start, version));
  const severities: number[][] = [];
  for (const text of steps) {
    const change = incrementalChange(before, text);
    const doc = TextDocument.update(rulesDoc(BASE, before, version), [change], ++version);
    assert.equal(doc.getText(), text);
    host.files.set(BASE, text);
    svc.didOpenOrChange!(doc, [change]);
    const current = svc.diagnostics(doc);
    clearCheckMemos();
    clearChunkCache();
    clearLoadMemos();
    const fresh = createRulesService(new MemoryHost({ [BASE]: text }, { folders: ['/ws'] }));
    assert.deepEqual(current.map(summarize), fresh.diagnostics(rulesDoc(BASE, text)).map(summarize));
    severities.push(current.filter((x) => x.code === 'unknown-field' || x.code === 'invalid-value' || x.code === 'regex-simpler-operator').map((x) => x.severity!));
    before = text;
  }
  // Reached by the rule, not reached, reached through 'other', not reached again.
  assert.deepEqual(severities, [[1, 1, 2], [1, 1, 2], [2, 2, 3], [1, 1, 2], [2, 2, 3], [2, 2, 3]]);
});

// ---------------------------------------------------------------------------------------------------------------
// 4. `override:` with nothing to override: Falco reads the item as if it had no `override`

const NO_OVERRIDE = (kind: string, what: string, example = 'condition: append') =>
  `${what}: Falco reads this ${kind} as if it had no 'override'; only its rules schema check warns (an override needs at least one key such as '${example}').`;

test('override: {} and override: with no value are warnings, and the item is read as a plain definition', () => {
  const full = RULE('evt.type = execve');
  assert.deepEqual(withSeverity(diagnosticsOf(`${full}  override: {}\n`).base), [`2 6:3-6:11 invalid-override ${NO_OVERRIDE('rule', "'override' has no entries")}`]);
  assert.deepEqual(withSeverity(diagnosticsOf(`${full}  override:\n`).base), [`2 6:3-6:11 invalid-override ${NO_OVERRIDE('rule', "'override' has no value")}`]);
  // A macro and a list are defined (no 'no previous definition', no missing override entry).
  assert.deepEqual(withSeverity(diagnosticsOf(`- macro: m\n  condition: proc.name = x\n  override:\n${RULE('evt.type = execve and m')}`).base),
    [`2 3:3-3:11 invalid-override ${NO_OVERRIDE('macro', "'override' has no value")}`]);
  assert.deepEqual(withSeverity(diagnosticsOf(`- list: l\n  items: [a]\n  override: {}\n${RULE('evt.type = execve and proc.name in (l)')}`).base),
    [`2 3:3-3:11 invalid-override ${NO_OVERRIDE('list', "'override' has no entries", 'items: append')}`]);
  // A plain scalar is iterated as nothing too; the warning is on the value.
  assert.deepEqual(withSeverity(diagnosticsOf(`- macro: m\n  condition: proc.name = x\n  override: replace\n${RULE('evt.type = execve and m')}`).base),
    [`2 3:13-3:20 invalid-override ${NO_OVERRIDE('macro', "'override' must be a mapping of keys to 'append' or 'replace', not a string")}`]);
});

test('a rule with override: {} and only some keys is a new rule: Falco asks for every required key', () => {
  const d = diagnosticsOf(`${RULE('evt.type = execve')}- rule: R\n  condition: and proc.name = x\n  override: {}\n`).base;
  // Refused for its missing keys before anything is compiled: its `and ...` is checked as an append (s18), so no
  // syntax error that Falco never reports; and it redefines nothing (s21: the reader throws before collector.define).
  assert.deepEqual(d.map((x) => `${x.severity} ${x.code}`), ['2 invalid-override', '1 missing-required-key']);
  // Without condition, output, desc and priority: a standalone enabled, as without the key.
  const enabled = diagnosticsOf(`${RULE('evt.type = execve')}- rule: R\n  enabled: false\n  override: {}\n`).base;
  assert.deepEqual(enabled.map((x) => `${x.severity} ${x.code}`), ['2 invalid-override', '2 deprecated-enabled']);
});

test('append: true with override: {} is a legacy append, not an append combined with an override', () => {
  const d = diagnosticsOf(`- list: l\n  items: [a]\n- list: l\n  items: [b]\n  append: true\n  override: {}\n${RULE('evt.type = execve and proc.name in (l)')}`).base;
  assert.deepEqual(d.map((x) => `${x.severity} ${x.code}`), ['2 invalid-override', '2 deprecated-append']);
});

test('a later file\'s rule with override: {} replaces the earlier rule (its condition is the one compiled)', () => {
  const base = macro('bad', 'proc.nam = bash') + RULE('evt.type = execve');
  const local = RULE('evt.type = execve and bad') + '  override: {}\n';
  const { base: inBase, local: inLocal } = diagnosticsOf(base, local);
  // The new rule reaches 'bad': its unknown field is Falco's error.
  assert.deepEqual(inBase.filter((x) => x.code === 'unknown-field').map((x) => x.severity), [1]);
  assert.deepEqual(inLocal.map((x) => `${x.severity} ${x.code}`), ['2 invalid-override']);
});

test('negative: a sequence under override is still an error, and a real override is untouched', () => {
  const seq = diagnosticsOf(`- macro: m\n  condition: proc.name = x\n  override: [condition]\n${RULE('evt.type = execve and m')}`).base;
  assert.deepEqual(withSeverity(seq), ["1 3:13-3:24 invalid-override 'override' must be a mapping of keys to 'append' or 'replace', not a list: Falco fails to read the item with \"invalid node; this may result from using a map iterator as a sequence iterator, or vice-versa\". (LOAD_ERR_VALIDATE)"]);
  assert.deepEqual(diagnosticsOf(`${RULE('evt.type = execve')}- rule: R\n  condition: and proc.name = x\n  override:\n    condition: append\n`).base, []);
  const unexpected = diagnosticsOf(`${RULE('evt.type = execve')}- rule: R\n  condition: and proc.name = x\n  output: o\n  override:\n    condition: append\n`).base;
  assert.deepEqual(unexpected.map((x) => `${x.severity} ${x.code}`), ['1 missing-override-entry']);
});

test('quick fix: remove the override Falco reads as none', () => {
  const cases: [string, string][] = [
    [`${RULE('evt.type = execve')}  override: {}  # nothing\n`, RULE('evt.type = execve')],
    [`- macro: m\n  override:\n  condition: proc.name = x\n${RULE('evt.type = execve and m')}`, `- macro: m\n  condition: proc.name = x\n${RULE('evt.type = execve and m')}`],
    [`- list: l\n  items: [a]\n  override: replace`, '- list: l\n  items: [a]\n'],
  ];
  for (const [text, fixed] of cases) {
    const svc = createRulesService(new MemoryHost({ [BASE]: text }, { folders: ['/ws'] }));
    const doc = rulesDoc(BASE, text);
    svc.didOpenOrChange?.(doc);
    const d = svc.diagnostics(doc).find((x) => x.code === 'invalid-override')!;
    const actions = svc.codeActions!(doc, d.range, { diagnostics: [d], only: ['quickfix'] });
    assert.deepEqual(actions.map((a) => a.title), ["Remove 'override'"]);
    assert.equal(applyEdits(text, editsFor(actions[0].edit, doc.uri)), fixed);
  }
  // Not for the error on a sequence.
  const seq = `- macro: m\n  condition: proc.name = x\n  override: [condition]\n`;
  const svc = createRulesService(new MemoryHost({ [BASE]: seq }, { folders: ['/ws'] }));
  const doc = rulesDoc(BASE, seq);
  svc.didOpenOrChange?.(doc);
  const d = svc.diagnostics(doc).find((x) => x.code === 'invalid-override')!;
  assert.deepEqual(svc.codeActions!(doc, d.range, { diagnostics: [d], only: ['quickfix'] }), []);
});

// ---------------------------------------------------------------------------------------------------------------
// 5. Reach counts only the rules Falco compiles: a rule of an unknown source is skipped (rule_loader_collector.cpp
//    define sets unknown_source; rule_loader_compiler.cpp compile_rule_infos skips it, Falco 0.44.0)

const SOURCED_RULE = (source: string, condition: string) => `${RULE(condition)}  source: ${source}\n`;
const SKIPPED = (m: string) => `not checked by Falco until a rule uses macro '${m}' (only rules of sources not known here do, and Falco skips a rule whose source no loaded plugin provides); Falco will reject the condition then (LOAD_ERR_COMPILE_CONDITION).`;

/** Validates each text after an incremental edit from the one before, and checks it equals a fresh validation. */
function editedLikeFresh(steps: string[]): Diagnostic[][] {
  const host = new MemoryHost({ [BASE]: steps[0] }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  let before = steps[0];
  let version = 1;
  svc.didOpenOrChange!(rulesDoc(BASE, before, version));
  const results: Diagnostic[][] = [];
  for (const text of steps) {
    const change = incrementalChange(before, text);
    const doc = TextDocument.update(rulesDoc(BASE, before, version), [change], ++version);
    host.files.set(BASE, text);
    svc.didOpenOrChange!(doc, [change]);
    const current = svc.diagnostics(doc);
    clearCheckMemos();
    clearChunkCache();
    clearLoadMemos();
    const fresh = createRulesService(new MemoryHost({ [BASE]: text }, { folders: ['/ws'] }));
    assert.deepEqual(current.map(summarize), fresh.diagnostics(rulesDoc(BASE, text)).map(summarize));
    results.push(current);
    before = text;
  }
  return results;
}

test('a macro used only by a rule of an unknown source is not reached: its compile errors are warnings, saying why', () => {
  const text = macro('m', 'proc.nam = bash') + SOURCED_RULE('my_source', 'evt.type = execve and m');
  const d = diagnosticsOf(text).base;
  assert.deepEqual(withSeverity(d).map((s) => s.slice(0, 40)), ['2 2:14-2:22 unknown-field \'proc.nam\' is ', '3 8:11-8:20 unknown-source Source \'my_so']);
  assert.ok(String(d[0].message).endsWith(` ${SKIPPED('m')[0].toUpperCase()}${SKIPPED('m').slice(1)}`), String(d[0].message));
  // A misspelt known source is an unknown source too (the warning 'Did you mean'); through another macro as well.
  const typo = diagnosticsOf(macro('m', 'proc.pid = abc') + macro('n', 'm') + SOURCED_RULE('syscal', 'evt.type = execve and n')).base;
  assert.deepEqual(withSeverity(typo).map((s) => s.slice(0, 29)), ['2 2:25-2:28 invalid-value \'ab', '2 10:11-10:17 unknown-source ']);
  assert.ok(String(typo[0].message).endsWith(`: ${SKIPPED('m')}`), String(typo[0].message));
  // Compile warnings become information with the same reason.
  const info = diagnosticsOf(macro('m', 'proc.name regex "bash"') + SOURCED_RULE('my_source', 'evt.type = execve and m')).base.filter((x) => x.code === 'regex-simpler-operator');
  assert.deepEqual(info.map((x) => x.severity), [3]);
  assert.ok(String(info[0].message).endsWith(" Falco gives this warning (LOAD_COMPILE_CONDITION) only when a rule uses macro 'm' (only rules of sources not known here do, and Falco skips a rule whose source no loaded plugin provides)."), String(info[0].message));
});

test('negative: a rule of a known source (syscall written out, a plugin source) or a disabled rule reaches its macros', () => {
  for (const source of ['syscall', 'k8s_audit']) {
    const d = diagnosticsOf(macro('m', 'proc.nam = bash') + SOURCED_RULE(source, 'ka.verb = get and m')).base.filter((x) => x.code === 'unknown-field');
    assert.deepEqual(d.map((x) => x.severity), [1], source);
    assert.doesNotMatch(String(d[0].message), /not checked/, source);
  }
  // compile_rule_infos compiles disabled rules too.
  const disabled = diagnosticsOf(`${macro('m', 'proc.nam = bash')}${RULE('evt.type = execve and m')}  enabled: false\n`).base.filter((x) => x.code === 'unknown-field');
  assert.deepEqual(disabled.map((x) => x.severity), [1]);
  // One rule of a known source is enough, beside one of an unknown source.
  const both = diagnosticsOf(macro('m', 'proc.nam = bash') + SOURCED_RULE('my_source', 'evt.type = execve and m') + RULE('evt.type = open and m').replace('rule: R', 'rule: S')).base;
  assert.deepEqual(both.filter((x) => x.code === 'unknown-field').map((x) => x.severity), [1]);
});

test('an edit of a rule\'s source that makes its macro reached or skipped equals a validation from scratch', () => {
  const start = macro('m', 'proc.nam = bash') + SOURCED_RULE('syscall', 'evt.type = execve and m');
  const steps = [start, start.replace('source: syscall', 'source: sysca'), start.replace('source: syscall', 'source: plugin_x'), start];
  const severities = editedLikeFresh(steps).map((d) => d.filter((x) => x.code === 'unknown-field').map((x) => x.severity));
  assert.deepEqual(severities, [[1], [2], [2], [1]]);
});

// ---------------------------------------------------------------------------------------------------------------
// 6. A port over 65535 in a macro no rule reaches: libsinsp cuts it to 16 bits only when it parses the value, that is
//    when a rule's condition is compiled with the macro (Falco says nothing either way): information

test('port-wraps in a macro no rule reaches is information; reached, the warning as before', () => {
  const wraps = "'70000' is over 65535, the largest port: libsinsp keeps it in 16 bits, so fd.sport is compared with 4464.";
  const unreached = diagnosticsOf(macro('m', 'fd.sport = 70000') + RULE('evt.type = execve')).base.filter((x) => x.code === 'port-wraps');
  assert.deepEqual(withSeverity(unreached), [`3 2:25-2:30 port-wraps ${wraps} Falco reads this value only when a rule uses macro 'm' (no rule of the loaded files does).`]);
  const reached = diagnosticsOf(macro('m', 'fd.sport = 70000') + RULE('evt.type = execve and m')).base.filter((x) => x.code === 'port-wraps');
  assert.deepEqual(withSeverity(reached), [`2 2:25-2:30 port-wraps ${wraps}`]);
  // Through a list item, reached only by a rule of an unknown source; and a list no macro uses is not a macro's finding.
  const viaList = diagnosticsOf(`- list: ports\n  items: [80, 100000]\n${macro('m', 'fd.rport in (ports)')}${SOURCED_RULE('my_source', 'evt.type = execve and m')}`).base.filter((x) => x.code === 'port-wraps');
  assert.deepEqual(viaList.map((x) => [x.severity, String(x.message).endsWith("Falco reads this value only when a rule uses macro 'm' (only rules of sources not known here do, and Falco skips a rule whose source no loaded plugin provides).")]), [[3, true]]);
  const inRule = diagnosticsOf(RULE('fd.sport = 70000')).base.filter((x) => x.code === 'port-wraps');
  assert.deepEqual(inRule.map((x) => x.severity), [2]);
});

// ---------------------------------------------------------------------------------------------------------------
// 7. Macro text a redefinition replaces: Falco compiles after each file with the macros' texts as they are then
//    (falco_engine.cpp load_rules); a redefinition copies the new macro over the old (rule_loader_collector.cpp
//    define_info), appends included. Text replaced before a rule reaches it is never compiled with a rule.

const REPLACED = (m: string, where: string) => `Not checked by Falco until a rule uses this text of macro '${m}' (no rule does before the definition ${where} replaces it); Falco will reject the condition then (LOAD_ERR_COMPILE_CONDITION).`;
const unknownFields = (ds: Diagnostic[]) => ds.filter((x) => x.code === 'unknown-field').map((x) => `${x.severity} ${summarize(x).split(' ').slice(0, 2).join(' ')}`);

test('text replaced in the same file is not compiled: its compile errors are warnings naming the replacing definition', () => {
  const text = macro('m', 'proc.nam = bash') + macro('m', 'proc.name = bash') + RULE('evt.type = execve and m');
  const d = diagnosticsOf(text).base.filter((x) => x.code === 'unknown-field');
  assert.deepEqual(unknownFields(d), ['2 2:14-2:22 unknown-field']);
  assert.ok(String(d[0].message).endsWith(` ${REPLACED('m', 'at line 3')}`), String(d[0].message));
  // An append replaced with the macro, and an 'override: condition: replace'; the new text is judged as usual.
  const appended = macro('m', 'proc.name = a') + '- macro: m\n  condition: or proc.pid = abc\n  override:\n    condition: append\n'
    + '- macro: m\n  condition: proc.nam = b\n  override:\n    condition: replace\n' + RULE('evt.type = execve and m');
  const a = diagnosticsOf(appended).base.filter((x) => x.code === 'invalid-value' || x.code === 'unknown-field');
  assert.deepEqual(a.map((x) => `${x.severity} ${summarize(x).split(' ').slice(0, 2).join(' ')}`), ['2 4:28-4:31 invalid-value', '1 8:14-8:22 unknown-field']);
  assert.ok(String(a[0].message).endsWith(`: ${REPLACED('m', 'at line 7')[0].toLowerCase()}${REPLACED('m', 'at line 7').slice(1)}`), String(a[0].message));
});

test('text replaced by a later file: compiled with the earlier file\'s rules, else not', () => {
  const bad = macro('m', 'proc.nam = bash');
  const redefined = macro('m', 'proc.name = bash') + RULE('evt.type = execve and m').replace('rule: R', 'rule: L');
  // No rule of the first file uses it: never compiled; the message names the other file.
  const unused = diagnosticsOf(bad + RULE('evt.type = execve'), redefined).base.filter((x) => x.code === 'unknown-field');
  assert.deepEqual(unknownFields(unused), ['2 2:14-2:22 unknown-field']);
  assert.ok(String(unused[0].message).endsWith(` ${REPLACED('m', 'at line 1 of falco_rules.local.yaml')}`), String(unused[0].message));
  // A rule of the first file uses it: Falco compiles it after that file and fails.
  assert.deepEqual(unknownFields(diagnosticsOf(bad + RULE('evt.type = execve and m'), redefined).base), ['1 2:14-2:22 unknown-field']);
  // A rule that used it there and a later file changes: compiled after the first file all the same.
  const overridden = '- rule: R\n  condition: evt.type = open\n  override:\n    condition: replace\n';
  assert.deepEqual(unknownFields(diagnosticsOf(bad + RULE('evt.type = execve and m'), overridden).base), ['1 2:14-2:22 unknown-field']);
  // Not replaced, used only by the later file: compiled then (as before).
  assert.deepEqual(unknownFields(diagnosticsOf(bad + RULE('evt.type = execve'), RULE('evt.type = open and m').replace('rule: R', 'rule: L')).base), ['1 2:14-2:22 unknown-field']);
});

test('an edit that adds or removes a redefinition equals a validation from scratch', () => {
  const start = macro('m', 'proc.nam = bash and proc.name regex "x"') + RULE('evt.type = execve and m');
  const steps = [start, macro('m', 'proc.nam = bash and proc.name regex "x"') + macro('m', 'proc.name = b') + RULE('evt.type = execve and m'), start];
  const severities = editedLikeFresh(steps).map((d) => d.filter((x) => x.code === 'unknown-field' || x.code === 'regex-simpler-operator').map((x) => x.severity));
  assert.deepEqual(severities, [[1, 2], [2, 3], [1, 2]]);
});

test('text replaced in the same file is never parsed: its syntax errors and undefined macros are warnings; a later file\'s replacement leaves them errors', () => {
  const NEVER_READ = " Falco never reads this text: the definition of macro 'm' at line 3 replaces it before Falco compiles the file.";
  const replaced = (condition: string) => macro('m', condition) + macro('m', 'proc.name = b') + RULE('evt.type = execve and m');
  for (const [condition, code] of [['proc.name = (', 'condition-syntax'], ['proc.name = a and nosuch', 'undefined-macro']]) {
    const d = diagnosticsOf(replaced(condition)).base.filter((x) => x.code === code);
    assert.deepEqual(d.map((x) => x.severity), [2], condition);
    assert.ok(String(d[0].message).endsWith(NEVER_READ), String(d[0].message));
    assert.doesNotMatch(String(d[0].message), /LOAD_/);
    // Replaced by the next file: Falco parsed it with its own file, so the error stays.
    const later = diagnosticsOf(macro('m', condition) + RULE('evt.type = execve'), macro('m', 'proc.name = b')).base.filter((x) => x.code === code);
    assert.deepEqual(later.map((x) => x.severity), [1], condition);
    // The current text keeps its error.
    const current = diagnosticsOf(macro('m', 'proc.name = b') + macro('m', condition) + RULE('evt.type = execve and m')).base.filter((x) => x.code === code);
    assert.deepEqual(current.map((x) => x.severity), [1], condition);
  }
});

test('an edit that replaces text with a syntax error, then removes the replacement, equals a validation from scratch', () => {
  const start = macro('m', 'proc.name = ( and nosuch') + RULE('evt.type = execve and m');
  const replaced = macro('m', 'proc.name = ( and nosuch') + macro('m', 'proc.name = b') + RULE('evt.type = execve and m');
  const severities = editedLikeFresh([start, replaced, start]).map((d) => d.filter((x) => x.code === 'condition-syntax' || x.code === 'undefined-macro').map((x) => `${x.code} ${x.severity}`));
  assert.deepEqual(severities[0], severities[2]);
  assert.ok(severities[0].length > 0 && severities[0].every((s) => s.endsWith(' 1')), String(severities[0]));
  assert.ok(severities[1].length === severities[0].length && severities[1].every((s) => s.endsWith(' 2')), String(severities[1]));
});
