// Session 5: the last findings on text Falco never compiles with a rule. The event-code error (evttype-not-indexable)
// and the unknown-list hint in macros no rule reaches and in replaced macro text; the findings on a rule's exceptions
// that a later item of the same file replaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createRulesService } from '../../server/src/service/rules';
import { clearCheckMemos } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache } from '../../server/src/service/rules/model';
import { clearLoadMemos } from '../../server/src/service/rules/workspace';
import { MemoryHost, rulesDoc, summarize } from './rules-host';
import { incrementalChange } from './rules-random-edits';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';

function diagnosticsOf(base: string, local?: string): { base: Diagnostic[]; local: Diagnostic[] } {
  const files: Record<string, string> = { [BASE]: base };
  if (local !== undefined) files[LOCAL] = local;
  const host = new MemoryHost(files, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const docs = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, rulesDoc(p, t)]));
  for (const d of Object.values(docs)) svc.didOpenOrChange?.(d);
  return { base: svc.diagnostics(docs[BASE]), local: local !== undefined ? svc.diagnostics(docs[LOCAL]) : [] };
}

/** Diagnostics after each incremental edit through `steps`, each checked equal to a validation from scratch. */
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

const macro = (name: string, condition: string) => `- macro: ${name}\n  condition: ${condition}\n`;
const list = (name: string, items: string) => `- list: ${name}\n  items: [${items}]\n`;
const RULE = (condition: string, name = 'R') => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: "o | p=%proc.name"\n  priority: INFO\n`;
const all = (ds: Diagnostic[]) => ds.map((d) => `${d.severity} ${summarize(d)}`);

// ---------------------------------------------------------------------------------------------------------------
// 1. evttype-not-indexable and unknown-list in macro text no rule compiles

const NOT_INDEXABLE = (where: string) => `Falco cannot compute this rule's event codes: evt.type (or syscall.type) is compared inside a transformer or val()${where}. Falco exits at startup with "Runtime error: event code search does not support \`evt.type\` checks with transformers". Compare evt.type with event names only.`;
const notIndexable = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'evttype-not-indexable').map((d) => `${d.severity} ${summarize(d)}`);

test('evttype-not-indexable is the rule\'s: a macro no rule reaches has none, a rule reaching it has the error', () => {
  // libsinsp's ppm_event_codes runs on a syscall rule's compiled condition (rule_loader_compiler.cpp 0.44.0
  // compile_rule_infos): nothing in a macro alone.
  assert.deepEqual(notIndexable(diagnosticsOf(macro('m', 'tolower(evt.type) = execve') + RULE('evt.type = execve')).base), []);
  assert.deepEqual(notIndexable(diagnosticsOf(macro('m', 'tolower(evt.type) = execve') + RULE('evt.type = execve and m')).base),
    [`1 5:3-5:12 evttype-not-indexable ${NOT_INDEXABLE(" (in the macro 'm')")}`]);
  // Only a rule of an unknown source reaches it: Falco skips that rule, so nothing.
  const sourced = '- rule: S\n  desc: d\n  condition: evt.type = execve and m\n  output: o\n  priority: INFO\n  source: my_source\n';
  assert.deepEqual(notIndexable(diagnosticsOf(macro('m', 'tolower(evt.type) = execve') + sourced).base), []);
});

test('evttype-not-indexable in replaced macro text: judged on the text the rule is compiled with', () => {
  // Replaced in the same file before Falco compiles it: never compiled, no error.
  assert.deepEqual(notIndexable(diagnosticsOf(macro('m', 'tolower(evt.type) = execve') + macro('m', 'evt.type = execve') + RULE('evt.type = execve and m')).base), []);
  // The replacing text brings it: the error, on the rule.
  assert.deepEqual(notIndexable(diagnosticsOf(macro('m', 'evt.type = execve') + macro('m', 'tolower(evt.type) = execve') + RULE('evt.type = execve and m')).base),
    [`1 7:3-7:12 evttype-not-indexable ${NOT_INDEXABLE(" (in the macro 'm')")}`]);
  // A rule of the first file compiled with the text before a later file replaces it: Falco exits after the first file.
  const first = diagnosticsOf(macro('m', 'tolower(evt.type) = execve') + RULE('evt.type = execve and m'), macro('m', 'evt.type = execve'));
  assert.deepEqual(notIndexable(first.base), [`1 5:3-5:12 evttype-not-indexable ${NOT_INDEXABLE(" (in the macro 'm')")}`]);
  assert.deepEqual(notIndexable(first.local), []);
});

const NEVER_READ = (line: number) => ` Falco never reads this text: the definition of macro 'm' at line ${line} replaces it before Falco compiles the file.`;
const unknownList = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'unknown-list');
const HINT = "4:28-4:41 unknown-list 'shell_binarys' is not a defined list, so Falco compares with the literal string. Did you mean the list 'shell_binaries'?";

test('unknown-list is Falco Lens\'s hint on text Falco parses: a macro no rule reaches keeps the warning', () => {
  // compile_macros_infos parses every macro and resolves the lists in it (parse_condition), reached or not.
  const unused = unknownList(diagnosticsOf(list('shell_binaries', 'bash') + macro('m', 'proc.name in (shell_binarys)') + RULE('evt.type = execve')).base);
  assert.deepEqual(all(unused), [`2 ${HINT}`]);
  const used = unknownList(diagnosticsOf(list('shell_binaries', 'bash') + macro('m', 'proc.name in (shell_binarys)') + RULE('evt.type = execve and m')).base);
  assert.deepEqual(all(used), [`2 ${HINT}`]);
  // Replaced by a later file: Falco parsed it with its own file, the hint stays.
  const later = unknownList(diagnosticsOf(list('shell_binaries', 'bash') + macro('m', 'proc.name in (shell_binarys)') + RULE('evt.type = execve and m'), macro('m', 'proc.name = a')).base);
  assert.deepEqual(all(later), [`2 ${HINT}`]);
});

test('unknown-list in text replaced in its own file is information: Falco never reads the text', () => {
  const text = list('shell_binaries', 'bash') + macro('m', 'proc.name in (shell_binarys)') + macro('m', 'proc.name = a') + RULE('evt.type = execve and m');
  const d = unknownList(diagnosticsOf(text).base);
  assert.deepEqual(all(d), [`3 ${HINT}${NEVER_READ(5)}`]);
  // The quick fix's suggestion is kept.
  assert.deepEqual((d[0].data as { suggestions?: string[] } | undefined)?.suggestions, ['shell_binaries']);
  // The current text keeps the warning; an 'override: condition: replace' replaces as a redefinition does.
  const current = list('shell_binaries', 'bash') + macro('m', 'proc.name = a') + macro('m', 'proc.name in (shell_binarys)') + RULE('evt.type = execve and m');
  assert.deepEqual(all(unknownList(diagnosticsOf(current).base)), [`2 ${HINT.replace('4:28-4:41', '6:28-6:41')}`]);
  const override = list('shell_binaries', 'bash') + macro('m', 'proc.name in (shell_binarys)') + '- macro: m\n  condition: proc.name = a\n  override:\n    condition: replace\n' + RULE('evt.type = execve and m');
  assert.deepEqual(all(unknownList(diagnosticsOf(override).base)), [`3 ${HINT}${NEVER_READ(5)}`]);
});

test('an edit that replaces text with an unknown list, then removes the replacement, equals a validation from scratch', () => {
  const start = list('shell_binaries', 'bash') + macro('m', 'proc.name in (shell_binarys)') + RULE('evt.type = execve and m');
  const replaced = list('shell_binaries', 'bash') + macro('m', 'proc.name in (shell_binarys)') + macro('m', 'proc.name = a') + RULE('evt.type = execve and m');
  const severities = editedLikeFresh([start, replaced, start]).map((ds) => unknownList(ds).map((d) => d.severity));
  assert.deepEqual(severities, [[2], [3], [2]]);
});

// ---------------------------------------------------------------------------------------------------------------
// 2. A rule's condition and exceptions its own file replaces. The reader keeps them as written, a redefinition copies
//    the new rule over the old and 'override: <key>: replace' sets the key anew (rule_loader_collector.cpp 0.44.0),
//    and compile_rule_infos parses the condition and pastes the exceptions in (build_rule_exception_infos) only after
//    the whole file is read: the replaced text is never compiled.

const EXCEPTIONS = '  exceptions:\n'
  + '    - name: e1\n      fields: [proc.pid, proc.name]\n      comps: [contains, =]\n      values: [[1, a]]\n'
  + '    - name: e2\n      fields: [fd.sport]\n      values: [[70000]]\n'
  + '    - name: e3\n      fields: [proc.pid]\n      values: [[abc]]\n';
const RULE_WITH = (condition: string) => RULE(condition).replace('output: "o | p=%proc.name"', 'output: o') + EXCEPTIONS;
const REPLACE = (key: 'exceptions' | 'condition') => key === 'exceptions'
  ? '- rule: R\n  exceptions:\n    - name: x\n      fields: proc.name\n      values: [a]\n  override:\n    exceptions: replace\n'
  : '- rule: R\n  condition: evt.type = open\n  override:\n    condition: replace\n';
const compileFindings = (ds: Diagnostic[]) => all(ds.filter((d) => ['operator-type', 'invalid-value', 'port-wraps', 'unknown-field', 'condition-syntax', 'undefined-macro'].includes(String(d.code))));
const OPERATOR = "9:15-9:23 operator-type Operator 'contains' cannot be used with 'proc.pid': 'contains' is not supported for numeric fields (type INT64).";
const PORT = "13:17-13:22 port-wraps '70000' is over 65535, the largest port: libsinsp keeps it in 16 bits, so fd.sport is compared with 4464.";
const VALUE = "16:17-16:20 invalid-value 'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64)";
const NEVER = (by: string, part: string) => ` Falco never compiles this text: the ${by} of rule 'R' at line 17 replaces the rule's ${part} before Falco compiles the file.`;

test('exceptions an override replaces in the same file: compile errors are warnings, warnings information, naming the override', () => {
  const d = diagnosticsOf(RULE_WITH('evt.type = execve') + REPLACE('exceptions')).base;
  assert.deepEqual(compileFindings(d), [
    `3 ${PORT}${NEVER('override', 'exceptions')}`,
    `2 ${VALUE}.${NEVER('override', 'exceptions')}`,
    `2 ${OPERATOR}${NEVER('override', 'exceptions')}`,
  ]);
  // Without the override: Falco's errors and Falco Lens's port warning, as before.
  assert.deepEqual(compileFindings(diagnosticsOf(RULE_WITH('evt.type = execve')).base), [
    `2 ${PORT}`,
    `1 ${VALUE}: Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)`,
    `1 ${OPERATOR} (LOAD_ERR_COMPILE_CONDITION)`,
  ]);
});

test('a redefinition in the same file replaces the condition and the exceptions; an override of the condition only the condition', () => {
  const redefined = diagnosticsOf(RULE_WITH('evt.type = execve and proc.nam = x') + RULE('evt.type = open')).base;
  assert.deepEqual(compileFindings(redefined), [
    `3 ${PORT}${NEVER('definition', 'exceptions')}`,
    `2 ${VALUE}.${NEVER('definition', 'exceptions')}`,
    `2 3:36-3:44 unknown-field 'proc.nam' is not a supported filter field. Did you mean 'proc.name'?${NEVER('definition', 'condition')}`,
    `2 ${OPERATOR}${NEVER('definition', 'exceptions')}`,
  ]);
  const condition = diagnosticsOf(RULE_WITH('evt.type = execve and proc.nam = x') + REPLACE('condition')).base;
  assert.deepEqual(compileFindings(condition), [
    `2 ${PORT}`,
    `1 ${VALUE}: Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)`,
    `2 3:36-3:44 unknown-field 'proc.nam' is not a supported filter field. Did you mean 'proc.name'?${NEVER('override', 'condition')}`,
    `1 ${OPERATOR} (LOAD_ERR_COMPILE_CONDITION)`,
  ]);
  // A condition Falco never parses: its syntax errors and undefined macros are warnings too.
  const syntax = diagnosticsOf(RULE('evt.type = execve and (nosuch') + REPLACE('condition').replace('line 17', '')).base;
  assert.deepEqual(compileFindings(syntax).map((x) => x.split(' ').slice(0, 3).join(' ')), ['2 3:36-3:37 condition-syntax', '2 3:37-3:43 undefined-macro']);
  assert.ok(syntax.filter((x) => x.code === 'condition-syntax' || x.code === 'undefined-macro').every((x) => String(x.message).endsWith(" Falco never compiles this text: the override of rule 'R' at line 6 replaces the rule's condition before Falco compiles the file.")));
});

test('negative: exceptions replaced by a later file, appended to, or checked by the collector keep their errors', () => {
  // A later file: Falco compiled the rule with the first file and failed.
  const later = diagnosticsOf(RULE_WITH('evt.type = execve'), REPLACE('exceptions')).base;
  assert.deepEqual(compileFindings(later).map((x) => x[0]), ['2', '1', '1']);
  // Appended exceptions keep the earlier ones.
  const appended = diagnosticsOf(RULE_WITH('evt.type = execve') + REPLACE('exceptions').replace('exceptions: replace', 'exceptions: append')).base;
  assert.deepEqual(compileFindings(appended).map((x) => x[0]), ['2', '1', '1']);
  // An unknown exception field: the collector checks it when it reads the rule (validate_exception_info), replaced or not.
  const unknown = RULE('evt.type = execve').replace('output: "o | p=%proc.name"', 'output: o') + '  exceptions:\n    - name: e\n      fields: proc.nam\n      values: [a]\n' + REPLACE('exceptions');
  const u = diagnosticsOf(unknown).base.filter((x) => x.code === 'unknown-field');
  assert.deepEqual(u.map((x) => x.severity), [1]);
  assert.ok(String(u[0].message).endsWith('(LOAD_ERR_VALIDATE)'), String(u[0].message));
});

test('an edit that adds and removes the replacing override equals a validation from scratch', () => {
  const start = RULE_WITH('evt.type = execve and proc.nam = x');
  const severities = editedLikeFresh([start, start + REPLACE('exceptions'), start + REPLACE('condition'), start + RULE('evt.type = open'), start])
    .map((ds) => compileFindings(ds).map((x) => x[0]).join(''));
  assert.deepEqual(severities, ['2111', '3212', '2121', '3222', '2111']);
});

test('the shape of a value in replaced exceptions: Falco finds it only when it pastes the values in; the reader\'s checks stay', () => {
  const rule = (exceptions: string) => RULE('evt.type = execve').replace('output: "o | p=%proc.name"', 'output: o') + '  exceptions:\n' + exceptions;
  const shapes = '    - name: e1\n      fields: [proc.name, proc.pid]\n      values: [[a]]\n'
    + '    - name: e2\n      fields: proc.name\n      values: [[a, b]]\n';
  const replaced = diagnosticsOf(rule(shapes) + REPLACE('exceptions')).base
    .filter((d) => d.code === 'exception-arity' || d.code === 'exception-invalid');
  const NEVER_AT = " Falco never compiles this text: the override of rule 'R' at line 13 replaces the rule's exceptions before Falco compiles the file.";
  assert.deepEqual(all(replaced), [
    `2 9:16-9:19 exception-arity This value has 1 item but the exception has 2 fields.${NEVER_AT}`,
    `2 12:16-12:22 exception-invalid With a single field ('proc.name'), each value is one string, not a list: write the values as one flat list.${NEVER_AT}`,
  ]);
  // Not replaced: Falco's errors.
  const kept = diagnosticsOf(rule(shapes)).base.filter((d) => d.code === 'exception-arity' || d.code === 'exception-invalid');
  assert.deepEqual(kept.map((d) => d.severity), [1, 1]);
  assert.ok(kept.every((d) => String(d.message).endsWith('(LOAD_ERR_VALIDATE)')));
  // Read-time checks in replaced exceptions stay errors: an empty string (the reader) and comps of another length
  // (the collector's validate_exception_info).
  const readTime = '    - name: e1\n      fields: [proc.name, proc.pid]\n      comps: [=]\n      values: [["", 1]]\n';
  const r = diagnosticsOf(rule(readTime) + REPLACE('exceptions')).base.filter((d) => d.code === 'exception-arity' || d.code === 'exception-invalid');
  assert.deepEqual(r.map((d) => `${d.severity} ${d.code}`), ['1 exception-arity', '1 exception-invalid']);
  assert.ok(r.every((d) => !String(d.message).includes('never compiles')));
});

test('event codes of a rule defined again in its file: said on the last definition only (the earlier is never compiled)', () => {
  const rule = (condition: string) => RULE(condition).replace('output: "o | p=%proc.name"', 'output: o');
  const codes = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'evttype-not-indexable' || d.code === 'no-evttype').map((d) => `${d.severity} ${summarize(d).split(' ').slice(0, 2).join(' ')}`);
  // The verdict is the final condition's: once, on the definition that brings it.
  assert.deepEqual(codes(diagnosticsOf(rule('evt.type = open') + rule('tolower(evt.type) = open')).base), ['1 8:3-8:12 evttype-not-indexable']);
  assert.deepEqual(codes(diagnosticsOf(rule('evt.type = open') + rule('proc.name = a')).base), ['2 8:3-8:12 no-evttype']);
  assert.deepEqual(codes(diagnosticsOf(rule('tolower(evt.type) = open') + rule('evt.type = open')).base), []);
  // An override that replaces the condition has no verdict of its own in the defining file: the definition keeps it.
  assert.deepEqual(codes(diagnosticsOf(rule('evt.type = open') + REPLACE('condition').replace('evt.type = open', 'proc.name = a')).base), ['2 3:3-3:12 no-evttype']);
  // A definition a later file repeats was compiled with its own file: its verdict stays.
  const later = diagnosticsOf(rule('tolower(evt.type) = open'), rule('evt.type = open'));
  assert.deepEqual(codes(later.base), ['1 3:3-3:12 evttype-not-indexable']);
  // Edits that add and remove the redefinition equal a validation from scratch.
  const start = rule('proc.name = a');
  const steps = editedLikeFresh([start, start + rule('proc.name = b'), start + rule('evt.type = open'), start]).map(codes);
  assert.deepEqual(steps, [['2 3:3-3:12 no-evttype'], ['2 8:3-8:12 no-evttype'], [], ['2 3:3-3:12 no-evttype']]);
});
