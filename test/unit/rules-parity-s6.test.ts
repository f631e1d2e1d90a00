// Session 6: cross-file parity of the rules service. Falco 0.44 reads one file and compiles everything collected so
// far after it (falco_engine.cpp load_rules, called per file by load_rules_files.cpp): a rule of an earlier file is
// compiled again with the macros and lists each later file leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createRulesService } from '../../server/src/service/rules';
import { clearCheckMemos } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache } from '../../server/src/service/rules/model';
import { clearLoadMemos } from '../../server/src/service/rules/workspace';
import { MemoryHost, rulesDoc, summarize } from './rules-host';
import { incrementalChange } from './rules-random-edits';
import { openAt, workspace } from './rules-nav-helpers';

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

/**
 * Diagnostics of both files after each step, the steps editing one file or the other incrementally (both open); each
 * step is checked equal to a validation of the same texts from scratch.
 */
function editedLikeFresh(steps: { base: string; local: string }[]): { base: Diagnostic[]; local: Diagnostic[] }[] {
  const host = new MemoryHost({ [BASE]: steps[0].base, [LOCAL]: steps[0].local }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const docs: Record<string, TextDocument> = { [BASE]: rulesDoc(BASE, steps[0].base), [LOCAL]: rulesDoc(LOCAL, steps[0].local) };
  for (const d of Object.values(docs)) svc.didOpenOrChange!(d);
  const results: { base: Diagnostic[]; local: Diagnostic[] }[] = [];
  for (const step of steps) {
    for (const [path, text] of [[BASE, step.base], [LOCAL, step.local]] as const) {
      const before = docs[path].getText();
      if (before === text) continue;
      const change = incrementalChange(before, text);
      docs[path] = TextDocument.update(docs[path], [change], docs[path].version + 1);
      host.files.set(path, text);
      svc.didOpenOrChange!(docs[path], [change]);
    }
    const current = { base: svc.diagnostics(docs[BASE]), local: svc.diagnostics(docs[LOCAL]) };
    clearCheckMemos();
    clearChunkCache();
    clearLoadMemos();
    const fresh = diagnosticsOf(step.base, step.local);
    assert.deepEqual(current.base.map(summarize), fresh.base.map(summarize));
    assert.deepEqual(current.local.map(summarize), fresh.local.map(summarize));
    results.push(current);
  }
  return results;
}

const macro = (name: string, condition: string) => `- macro: ${name}\n  condition: ${condition}\n`;
const list = (name: string, items: string) => `- list: ${name}\n  items: [${items}]\n`;
const RULE = (condition: string, name = 'R') => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
const all = (ds: Diagnostic[]) => ds.map((d) => `${d.severity} ${summarize(d)}`);
const codes = (ds: Diagnostic[], ...wanted: string[]) => all(ds.filter((d) => wanted.includes(String(d.code))));

// ---------------------------------------------------------------------------------------------------------------
// 1. A later file changes the macros an earlier file's rule is compiled with

const LATER = (how: string, name: string, line: number) => `With ${how} ${name} at line ${line} of falco_rules.local.yaml (a later file)`;
const NOT_INDEXABLE = (cause: string, where: string) => `${cause}, Falco cannot compute this rule's event codes: evt.type (or syscall.type) is compared inside a transformer or val()${where}. Falco exits at startup when it loads falco_rules.local.yaml (it compiles every rule again after each file) with "Runtime error: event code search does not support \`evt.type\` checks with transformers". Compare evt.type with event names only.`;
const TOO_MANY = (cause: string, problem: string) => `${cause}, rule 'R' matches too many evt.type values (${problem}). Falco warns when it loads falco_rules.local.yaml, as it compiles every rule again after each file. This has a significant performance penalty; add an 'evt.type in (...)' test or set 'warn_evttypes: false'. (LOAD_NO_EVTTYPE)`;
const ALL_CODES = 'its condition has no event-type restriction: it matches every event code (454 in Falco 0.44\'s event table)';
const EVENT_CODES = ['evttype-not-indexable', 'no-evttype'];

test('a later file\'s macro redefinition that makes an earlier rule\'s event codes fail: the error on the rule, naming it', () => {
  // falco_engine.cpp 0.44.0 load_rules compiles every rule collected so far after each file (compile_rule_infos):
  // the base file's rule is compiled again with the local file's macro, and ppm_event_codes throws then.
  const r = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m'), macro('m', 'tolower(evt.type) = execve'));
  assert.deepEqual(codes(r.base, ...EVENT_CODES), [`1 5:3-5:12 evttype-not-indexable ${NOT_INDEXABLE(LATER('the definition of', "macro 'm'", 1), " (in the macro 'm')")}`]);
  assert.deepEqual(codes(r.local, ...EVENT_CODES), []);
  // An append ('override: condition: append', or the legacy 'append: true') brings it as well, through a macro chain.
  const append = '- macro: n\n  condition: or tolower(evt.type) = open\n  override:\n    condition: append\n';
  const chained = diagnosticsOf(macro('n', 'evt.type = open') + macro('m', 'evt.type = execve or n') + RULE('m'), append);
  assert.deepEqual(codes(chained.base, ...EVENT_CODES), [`1 7:3-7:12 evttype-not-indexable ${NOT_INDEXABLE(LATER('the override of', "macro 'n'", 1), " (in the macro 'n')")}`]);
  const legacy = diagnosticsOf(macro('n', 'evt.type = open') + macro('m', 'evt.type = execve or n') + RULE('m'), '- macro: n\n  condition: or tolower(evt.type) = open\n  append: true\n');
  assert.deepEqual(codes(legacy.base, ...EVENT_CODES).map((d) => d.slice(0, 120)), [`1 7:3-7:12 evttype-not-indexable ${NOT_INDEXABLE(LATER('the append to', "macro 'n'", 1), '')}`.slice(0, 120)]);
});

test('a later file\'s macro that makes an earlier rule match too many event codes: LOAD_NO_EVTTYPE on the rule', () => {
  const r = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m'), macro('m', 'proc.name = a'));
  assert.deepEqual(codes(r.base, ...EVENT_CODES), [`2 5:3-5:12 no-evttype ${TOO_MANY(LATER('the definition of', "macro 'm'", 1), ALL_CODES)}`]);
  assert.deepEqual(codes(r.local, ...EVENT_CODES), []);
  // warn_evttypes: false: Falco does not warn, whatever the macro.
  const quiet = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m') + '  warn_evttypes: false\n', macro('m', 'proc.name = a'));
  assert.deepEqual(codes(quiet.base, ...EVENT_CODES), []);
});

test('negative: later files that change nothing the rule\'s codes read, repeat its verdict, fix it or redefine the rule', () => {
  // A macro the rule does not use, a macro changed to other text with the same codes.
  assert.deepEqual(codes(diagnosticsOf(macro('m', 'evt.type = execve') + macro('k', 'evt.type = open') + RULE('m'), macro('k', 'proc.name = a')).base, ...EVENT_CODES), []);
  assert.deepEqual(codes(diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m'), macro('m', 'evt.type = execve and proc.name = a')).base, ...EVENT_CODES), []);
  // The rule's own file gives the verdict already: said once, as before (Falco exits, or warns, with the first file).
  const same = diagnosticsOf(macro('m', 'tolower(evt.type) = open') + RULE('m'), macro('m', 'tolower(evt.type) = execve'));
  assert.deepEqual(codes(same.base, ...EVENT_CODES).map((d) => d.slice(0, 63)), ['1 5:3-5:12 evttype-not-indexable Falco cannot compute this rule']);
  const fixed = diagnosticsOf(macro('m', 'proc.name = a') + RULE('m'), macro('m', 'evt.type = execve'));
  assert.deepEqual(codes(fixed.base, ...EVENT_CODES).map((d) => d.slice(0, 43)), ['2 5:3-5:12 no-evttype Rule matches too many']);
  // A later file that redefines the rule: the earlier text is not compiled again after it.
  const redefined = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m'), macro('m', 'tolower(evt.type) = execve') + RULE('evt.type = open'));
  assert.deepEqual(codes(redefined.base, ...EVENT_CODES), []);
  assert.deepEqual(codes(redefined.local, ...EVENT_CODES), []);
  // A macro only the later file defines: the rule's file fails with "Undefined macro" already, nothing more.
  const undefinedFirst = diagnosticsOf(RULE('evt.type = execve and later_m'), macro('later_m', 'tolower(evt.type) = open'));
  assert.deepEqual(codes(undefinedFirst.base, ...EVENT_CODES, 'undefined-macro').map((d) => d.split(' ').slice(0, 3).join(' ')), ['1 3:36-3:43 undefined-macro']);
  // A rule of a source other than syscall has no event codes.
  const k8s = '- rule: K\n  desc: d\n  condition: ka.verb = get and m\n  output: o\n  priority: INFO\n  source: k8s_audit\n';
  assert.deepEqual(codes(diagnosticsOf(macro('m', 'ka.verb = get') + k8s, macro('m', 'tolower(evt.type) = open')).base, ...EVENT_CODES), []);
});

test('the later-file verdict follows edits of either file like a validation from scratch', () => {
  const base = macro('m', 'evt.type = execve') + macro('n', 'evt.type = open') + RULE('m') + RULE('n', 'S');
  const steps = editedLikeFresh([
    { base, local: macro('m', 'evt.type = execve') },
    { base, local: macro('m', 'tolower(evt.type) = execve') },
    { base, local: macro('m', 'tolower(evt.type) = execve') + macro('n', 'proc.name = a') },
    { base: base.replace('evt.type = open', 'evt.type = openat'), local: macro('m', 'proc.name = b') + macro('n', 'proc.name = a') },
    { base: base.replace('condition: n', 'condition: n and evt.type = open'), local: macro('m', 'proc.name = b') + macro('n', 'proc.name = a') },
    { base, local: '' },
  ]).map((r) => codes(r.base, ...EVENT_CODES).map((d) => d.split(' ').slice(0, 3).join(' ')));
  assert.deepEqual(steps, [
    [],
    ['1 7:3-7:12 evttype-not-indexable'],
    ['1 7:3-7:12 evttype-not-indexable', '2 12:3-12:12 no-evttype'],
    ['2 7:3-7:12 no-evttype', '2 12:3-12:12 no-evttype'],
    ['2 7:3-7:12 no-evttype'],
    [],
  ]);
});

test('compile findings reached through a later file\'s macro: errors on the later text while an earlier rule uses it', () => {
  // The base file's rule is compiled with the local file's macro text: Falco fails while it loads that file.
  const used = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m'), macro('m', 'evt.type = execve and proc.nmae = a and proc.pid contains a and fd.net = 1.2.3'));
  assert.deepEqual(all(used.local), [
    "1 2:36-2:45 unknown-field 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? (LOAD_ERR_COMPILE_CONDITION)",
    "1 2:63-2:71 operator-type Operator 'contains' cannot be used with 'proc.pid': 'contains' is not supported for numeric fields (type INT64). (LOAD_ERR_COMPILE_CONDITION)",
    "1 2:87-2:92 invalid-value '1.2.3' is not an IP network (address/prefix length) for fd.net (IPNET): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)",
  ]);
  assert.deepEqual(all(used.base), []);
  // No rule uses the macro: not compiled yet, a warning.
  const unused = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('evt.type = execve'), macro('m', 'evt.type = execve and proc.nmae = a'));
  assert.deepEqual(codes(unused.local, 'unknown-field'), ["2 2:36-2:45 unknown-field 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? Not checked by Falco until a rule uses macro 'm' (no rule of the loaded files does); Falco will reject the condition then (LOAD_ERR_COMPILE_CONDITION)."]);
});

// ---------------------------------------------------------------------------------------------------------------
// 2. Names only a later file defines

test('a list only a later file defines: no unknown-list hint (Falco pastes it in when it compiles the text again)', () => {
  // parse_condition substitutes every list collected so far (rule_loader_compiler.cpp 0.44.0), after each file.
  const later = diagnosticsOf(list('shell_binaries', 'bash') + RULE('evt.type = execve and proc.name in (shell_binaries, shell_binarys)'), list('shell_binarys', 'sh'));
  assert.deepEqual(all(later.base), []);
  assert.deepEqual(all(later.local), []);
  // In a macro too.
  const inMacro = diagnosticsOf(list('shell_binaries', 'bash') + macro('m', 'proc.name in (shell_binarys)') + RULE('evt.type = execve and m and proc.name in (shell_binaries)'), list('shell_binarys', 'sh'));
  assert.deepEqual(all(inMacro.base), []);
  // Negative: no file defines it, the hint stays; a list of an earlier file is no unknown list at all.
  const none = diagnosticsOf(list('shell_binaries', 'bash') + RULE('evt.type = execve and proc.name in (shell_binaries, shell_binarys)'), list('other_list', 'sh') + RULE('evt.type = open and proc.name in (other_list)', 'S'));
  assert.deepEqual(codes(none.base, 'unknown-list'), ["2 5:66-5:79 unknown-list 'shell_binarys' is not a defined list, so Falco compares with the literal string. Did you mean the list 'shell_binaries'?"]);
  const earlier = diagnosticsOf(list('shell_binaries', 'bash'), RULE('evt.type = execve and proc.name in (shell_binarys, shell_binaries)'));
  assert.deepEqual(codes(earlier.local, 'unknown-list'), ["2 3:50-3:63 unknown-list 'shell_binarys' is not a defined list, so Falco compares with the literal string. Did you mean the list 'shell_binaries'?"]);
  // Edits of the later file that add and remove the list.
  const base = list('shell_binaries', 'bash') + RULE('evt.type = execve and proc.name in (shell_binaries, shell_binarys)');
  const steps = editedLikeFresh([{ base, local: '' }, { base, local: list('shell_binarys', 'sh') }, { base, local: list('shell_binarie', 'sh') }])
    .map((r) => codes(r.base, 'unknown-list').map((d) => d.split(' ').slice(0, 3).join(' ')));
  assert.deepEqual(steps, [['2 5:66-5:79 unknown-list'], [], ['2 5:66-5:79 unknown-list']]);
});

test('a list only a later file defines, compared with evt.type: an unknown event name when this file loads, said so', () => {
  const r = diagnosticsOf(RULE('evt.type in (later_types)'), list('later_types', 'open'));
  assert.deepEqual(all(r.base), ["2 3:27-3:38 unknown-evttype Unknown event type 'later_types': Falco rejects the condition unless a loaded plugin defines an event of that name. 'later_types' is a list only from line 1 of falco_rules.local.yaml on, a later file: Falco compiles this file's rules when it loads the file, before that list exists. Define the list in this file or a file loaded before it. (LOAD_ERR_COMPILE_CONDITION)"]);
  assert.deepEqual((r.base[0].data as { suggestions: string[] }).suggestions, []);
  // Negative: defined before, no finding.
  assert.deepEqual(all(diagnosticsOf(list('later_types', 'open') + RULE('evt.type in (later_types)')).base), []);
});

test('a macro only a later file defines: undefined when this file loads (Falco fails here), the later definition named', () => {
  // resolve_macros (rule_loader_compiler.cpp 0.44.0) looks among the macros collected so far, after each file: a rule's
  // and a macro's use fail with "Undefined macro ... used in filter" (LOAD_ERR_VALIDATE) when the earlier file loads.
  const LATER_MACRO = (line: string) => `1 ${line} undefined-macro Undefined macro 'later_macro' used in filter. Falco compiles each file's rules and macros when it loads the file, and 'later_macro' is defined only later, at line 1 of falco_rules.local.yaml. Define it in this file or a file loaded before it. (LOAD_ERR_VALIDATE)`;
  const rule = diagnosticsOf(RULE('evt.type = execve and later_macro'), macro('later_macro', 'proc.name = a'));
  assert.deepEqual(all(rule.base), [LATER_MACRO('3:36-3:47')]);
  assert.deepEqual((rule.base[0].data as { suggestions: string[] }).suggestions, []);
  const inMacro = diagnosticsOf(macro('m2', 'later_macro') + RULE('evt.type = execve and m2'), macro('later_macro', 'proc.name = a'));
  assert.deepEqual(all(inMacro.base), [LATER_MACRO('2:14-2:25')]);
  // Negative: defined nowhere, the plain message with its suggestion.
  const typo = diagnosticsOf(macro('later_macro', 'proc.name = a') + RULE('evt.type = execve and later_macr'), '');
  assert.deepEqual(codes(typo.base, 'undefined-macro'), ["1 5:36-5:46 undefined-macro Undefined macro 'later_macr' used in filter. Did you mean 'later_macro'? (LOAD_ERR_VALIDATE)"]);
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Exceptions an 'override: exceptions: replace' brings (selective_replace: no validate_exception_info)

const REPLACE_EXCEPTIONS = (ex: string, name = 'R') => `- rule: ${name}\n  exceptions:\n${ex}  override:\n    exceptions: replace\n`;
const NOT_CHECKED_ON_READ = "Falco does not check the fields of exceptions an 'override: exceptions: replace' brings when it reads them; it fails on this one when it pastes the exception's values into the rule's condition.";

test('an unknown field in exceptions an override replaces: a compile error of the condition when pasted, not LOAD_ERR_VALIDATE', () => {
  // rule_loader_collector.cpp 0.44.0 selective_replace copies the exceptions without validate_exception_info; the
  // field reaches libsinsp when compile_rule_infos pastes the values into the condition (build_rule_exception_infos).
  const single = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.nmae\n      comps: in\n      values: [a]\n'));
  assert.deepEqual(all(single.local), [`1 4:15-4:24 unknown-field 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? ${NOT_CHECKED_ON_READ} (LOAD_ERR_COMPILE_CONDITION)`]);
  const tuple = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.nmae, proc.pid]\n      comps: [=, =]\n      values: [[a, 1]]\n'));
  assert.deepEqual(all(tuple.local), [`1 4:16-4:25 unknown-field 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? ${NOT_CHECKED_ON_READ} (LOAD_ERR_COMPILE_CONDITION)`]);
  // skip-if-unknown-filter covers a compile error: the rule is skipped (LOAD_UNKNOWN_FILTER).
  const skipped = diagnosticsOf(RULE('evt.type = execve') + '  skip-if-unknown-filter: true\n', REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.nmae\n      comps: in\n      values: [a]\n'));
  assert.deepEqual(all(skipped.local), [`2 4:15-4:24 unknown-field 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? The rule is skipped because of skip-if-unknown-filter. ${NOT_CHECKED_ON_READ} (LOAD_UNKNOWN_FILTER)`]);
  // Without values nothing is pasted: Falco says nothing yet, a warning without a LOAD name.
  const NO_VALUES = "2 4:15-4:24 unknown-field 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? Not checked by Falco yet: it does not check the fields of exceptions an 'override: exceptions: replace' brings when it reads them, and pastes an exception into the rule's condition only with values. It will reject the condition then.";
  assert.deepEqual(all(diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.nmae\n')).local), [NO_VALUES]);
  assert.deepEqual(all(diagnosticsOf(RULE('evt.type = execve') + '  skip-if-unknown-filter: true\n', REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.nmae\n')).local), [NO_VALUES]);
  // Negative: a definition and an append check fields when the item is read (LOAD_ERR_VALIDATE), as before.
  const appended = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.nmae\n      comps: in\n      values: [a]\n').replace('exceptions: replace', 'exceptions: append'));
  assert.deepEqual(all(appended.local), ["1 4:15-4:24 unknown-field 'proc.nmae' is no filter field of source 'syscall'. Did you mean 'proc.name'? (LOAD_ERR_VALIDATE)"]);
  const defined = diagnosticsOf(RULE('evt.type = execve') + '  exceptions:\n    - name: e\n      fields: proc.nmae\n      comps: in\n      values: [a]\n');
  assert.deepEqual(codes(defined.base, 'unknown-field'), ["1 8:15-8:24 unknown-field 'proc.nmae' is no filter field of source 'syscall'. Did you mean 'proc.name'? (LOAD_ERR_VALIDATE)"]);
  // Replaced again later in the same file: never compiled, a warning naming the replacing override.
  const twice = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.nmae\n      comps: in\n      values: [a]\n') + REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.name\n      comps: in\n      values: [a]\n'));
  assert.deepEqual(all(twice.local), [`2 4:15-4:24 unknown-field 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? ${NOT_CHECKED_ON_READ} Falco never compiles this text: the override of rule 'R' at line 9 replaces the rule's exceptions before Falco compiles the file.`]);
});

test('missing comps in exceptions an override replaces: no default comps (a parse error, or a crash for a list of fields)', () => {
  const WHY = "Falco gives no default comps to exceptions an 'override: exceptions: replace' brings (the collector checks and completes exceptions only when it defines or appends to a rule)";
  const single = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.name\n      values: [a, b]\n'));
  assert.deepEqual(all(single.local), [`1 4:7-4:13 exception-comps ${WHY}: Falco pastes this exception into the rule's condition with no operator, and the condition fails to parse ("expected a valid check operator"). Write 'comps: in'. (LOAD_ERR_COMPILE_CONDITION)`]);
  const tuple = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.name, proc.pname]\n      values: [[a, b]]\n'));
  assert.deepEqual(all(tuple.local), [`1 4:7-4:13 exception-comps ${WHY}: when Falco pastes this exception into the rule's condition it reads one comp per field from an empty list, and crashes. Write 'comps' with one operator per field (e.g. [=, =]).`]);
  // Negative: comps given, no values (nothing pasted), a definition or an append (validate_exception_info fills them in).
  assert.deepEqual(all(diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.name, proc.pname]\n      comps: [=, =]\n      values: [[a, b]]\n')).local), []);
  assert.deepEqual(all(diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.name, proc.pname]\n')).local), []);
  assert.deepEqual(all(diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.name, proc.pname]\n      values: [[a, b]]\n').replace('exceptions: replace', 'exceptions: append')).local), []);
  assert.deepEqual(all(diagnosticsOf(RULE('evt.type = execve') + '  exceptions:\n    - name: e\n      fields: [proc.name, proc.pname]\n      values: [[a, b]]\n').base), []);
  // Replaced again in the same file: never compiled, a warning.
  const twice = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.name\n      values: [a]\n') + REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.name\n      comps: in\n      values: [a]\n'));
  assert.deepEqual(all(twice.local).map((d) => d.replace(/^(\S+ \S+ \S+).*(Falco never compiles.*)$/, '$1 $2')), ["2 4:7-4:13 exception-comps Falco never compiles this text: the override of rule 'R' at line 8 replaces the rule's exceptions before Falco compiles the file."]);
});

// ---------------------------------------------------------------------------------------------------------------
// 4. Odd shapes under 'override' (rule_loader_reader.cpp 0.44.0 decode_overrides, yaml-cpp c2bec4c)

test('override as a sequence: LOAD_ERR_VALIDATE with yaml-cpp\'s invalid-node message; an empty sequence is no override', () => {
  const INVALID_NODE = `'override' must be a mapping of keys to 'append' or 'replace', not a list: Falco fails to read the item with "invalid node; this may result from using a map iterator as a sequence iterator, or vice-versa". (LOAD_ERR_VALIDATE)`;
  const rule = diagnosticsOf(RULE('evt.type = execve'), '- rule: R\n  exceptions:\n    - name: e\n      fields: proc.name\n      values: [a]\n  override: [exceptions]\n');
  assert.deepEqual(codes(rule.local, 'invalid-override'), [`1 6:13-6:25 invalid-override ${INVALID_NODE}`]);
  const listItem = diagnosticsOf(list('l', 'a') + RULE('evt.type = execve and proc.name in (l)'), '- list: l\n  items: [b]\n  override:\n    - items\n');
  assert.deepEqual(codes(listItem.local, 'invalid-override'), [`1 4:5-4:12 invalid-override ${INVALID_NODE}`]);
  // An empty sequence is iterated like an empty mapping: the item is read without an override (a macro is defined
  // again, replacing the earlier text), only the schema check warns.
  const empty = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m'), '- macro: m\n  condition: evt.type = open\n  override: []\n');
  assert.deepEqual(all(empty.local), ["2 3:13-3:15 invalid-override 'override' must be a mapping of keys to 'append' or 'replace', not a list: Falco reads this macro as if it had no 'override'; only its rules schema check warns (an override needs at least one key such as 'condition: append')."]);
  const rule2 = diagnosticsOf(RULE('evt.type = execve'), RULE('evt.type = open') + '  override: []\n');
  assert.deepEqual(codes(rule2.local, 'invalid-override', 'no-previous-definition', 'missing-override-entry').map((d) => d.split(' ').slice(0, 3).join(' ')), ['2 6:13-6:15 invalid-override']);
});

test('override operations that are no string: yaml-cpp\'s bad conversion; null reads as \'null\'; the allowed operations per key', () => {
  const bad = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m'), '- macro: m\n  condition: or evt.type = open\n  override:\n    condition: [append]\n');
  assert.deepEqual(codes(bad.local, 'invalid-override'), ["1 4:16-4:24 invalid-override The override operation for key 'condition' must be 'append' or 'replace', not a list: Falco fails to read the item with yaml-cpp's \"bad conversion\". (LOAD_ERR_VALIDATE)"]);
  const nulled = diagnosticsOf(macro('m', 'evt.type = execve') + RULE('m'), '- macro: m\n  condition: or evt.type = open\n  override:\n    condition:\n');
  assert.deepEqual(codes(nulled.local, 'invalid-override'), ["1 4:5-4:14 invalid-override Invalid override operation for key 'condition': 'null'. Allowed values are: append, replace. (LOAD_ERR_YAML_VALIDATE)"]);
  const priority = diagnosticsOf(RULE('evt.type = execve'), '- rule: R\n  priority: ERROR\n  override:\n    priority: merge\n');
  assert.deepEqual(codes(priority.local, 'invalid-override'), ["1 4:15-4:20 invalid-override Invalid override operation for key 'priority': 'merge'. Allowed values are: replace. (LOAD_ERR_YAML_VALIDATE)"]);
  const source = diagnosticsOf(RULE('evt.type = execve'), '- rule: R\n  source: syscall\n  override:\n    source: merge\n');
  assert.deepEqual(codes(source.local, 'invalid-override'), ["1 4:13-4:18 invalid-override Invalid override operation for key 'source': 'merge'. Allowed values are: none (a rule cannot override 'source'). (LOAD_ERR_YAML_VALIDATE)"]);
});

// ---------------------------------------------------------------------------------------------------------------
// 5. Hovers on a field's bracket argument

/** The hover at `<|>`: the text its range covers and the first line of its contents, or undefined. */
function hoverAt(marked: string): { range: string; title: string } | undefined {
  const { service } = workspace({});
  const { doc, position, text } = openAt(service, '/ws/rules.yaml', marked);
  const h = service.hover!(doc, position);
  if (!h) return undefined;
  return { range: h.range ? text.slice(doc.offsetAt(h.range.start), doc.offsetAt(h.range.end)) : '', title: (h.contents as MarkupContent).value.split('\n')[0] };
}

test('hover on a field argument: the field, over the name and its argument, where libsinsp accepts the argument', () => {
  const condition = (c: string) => `- macro: m\n  condition: ${c}\n`;
  // Quoted arguments may hold blanks and brackets (parse_optional_field_arg, lex_quoted_str: libs 0.25.2).
  assert.deepEqual(hoverAt(condition('proc.env["MY <|>VAR"] = y')), { range: 'proc.env["MY VAR"]', title: '**Field** `proc.env`' });
  assert.deepEqual(hoverAt(condition("proc.env['MY <|>VAR'] = y")), { range: "proc.env['MY VAR']", title: '**Field** `proc.env`' });
  assert.deepEqual(hoverAt(condition('evt.arg["my ] <|>name"] = y')), { range: 'evt.arg["my ] name"]', title: '**Field** `evt.arg`' });
  assert.deepEqual(hoverAt(condition('proc.env["MY VAR"<|>] = y')), { range: 'proc.env["MY VAR"]', title: '**Field** `proc.env`' });
  // Bare arguments.
  assert.deepEqual(hoverAt(condition('proc.aname[<|>2] = y')), { range: 'proc.aname[2]', title: '**Field** `proc.aname`' });
  assert.deepEqual(hoverAt(condition('proc.env[M<|>Y] = y and proc.name = x')), { range: 'proc.env[MY]', title: '**Field** `proc.env`' });
  // In an output (a double-quoted YAML scalar: the quotes are escaped) and an exception field.
  const output = '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: "x %proc.env[\\"A <|>B\\"] y"\n  priority: INFO\n';
  assert.deepEqual(hoverAt(output), { range: '%proc.env[\\"A B\\"]', title: '**Field** `proc.env`' });
  const exception = (field: string) => `- rule: r\n  exceptions:\n    - name: e\n      fields:\n        - ${field}\n`;
  assert.deepEqual(hoverAt(exception('proc.env["A <|>B"]')), { range: 'proc.env["A B"]', title: '**Field** `proc.env`' });
  assert.deepEqual(hoverAt(exception('proc.aname[<|>2]')), { range: 'proc.aname[2]', title: '**Field** `proc.aname`' });
  // Negative: blanks in a bare argument, which libsinsp's filter parser refuses (RGX_FIELDARGBARESTR; an exception
  // field is pasted into the condition as written); past the closing bracket; text that is no argument.
  assert.equal(hoverAt(condition('proc.aname[ <|>2 ] = y')), undefined);
  assert.equal(hoverAt(exception('proc.env[A <|>B]')), undefined);
  assert.equal(hoverAt(condition('proc.env["MY VAR"] = "a<|>b"')), undefined);
  assert.equal(hoverAt(condition('proc.name = x<|>')), undefined);
});

test('comps of exceptions an override replaces: unchecked when read, a parse error when pasted, a crash when too few', () => {
  const PASTED = "Falco does not check the comps of exceptions an 'override: exceptions: replace' brings when it reads them; the condition it pastes this exception into fails to parse. (LOAD_ERR_COMPILE_CONDITION)";
  // An operator libsinsp does not know, and one that takes no value list for a single field.
  const unknownOp = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.name, proc.pname]\n      comps: [=, equals]\n      values: [[a, b]]\n'));
  assert.deepEqual(codes(unknownOp.local, 'exception-comps'), [`1 5:18-5:24 exception-comps 'equals' is not a supported comparison operator. ${PASTED}`]);
  const single = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.name\n      comps: =\n      values: [a]\n'));
  assert.deepEqual(codes(single.local, 'exception-comps'), [`1 5:14-5:15 exception-comps When fields is a single field, comps must be one of (in, pmatch, intersects), or from Falco 0.44 a string operator with a modifier (e.g. startswith oneof), not '='. ${PASTED}`]);
  // Without values nothing is pasted: a warning.
  const unpasted = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.name\n      comps: =\n'));
  assert.deepEqual(codes(unpasted.local, 'exception-comps').map((d) => d.slice(0, 15) + d.slice(d.indexOf(' Not checked'))), ["2 5:14-5:15 exc Not checked by Falco yet: it does not check the comps of exceptions an 'override: exceptions: replace' brings when it reads them, and pastes an exception into the rule's condition only with values."]);
  // Fewer comps than fields: build_rule_exception_infos reads past the end (a crash); more: the rest is never read.
  const fewer = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.name, proc.pname]\n      comps: [=]\n      values: [[a, b]]\n'));
  assert.deepEqual(codes(fewer.local, 'exception-arity'), ["1 5:14-5:17 exception-arity Fields and comps lists must have equal length (2 fields, 1 comps). Falco does not check this for exceptions an 'override: exceptions: replace' brings, and reads one comp per field when it pastes the values into the rule's condition: it crashes."]);
  const more = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.name, proc.pname]\n      comps: [=, =, =]\n      values: [[a, b]]\n'));
  assert.deepEqual(codes(more.local, 'exception-arity'), ["2 5:14-5:23 exception-arity Fields and comps lists must have equal length (2 fields, 3 comps). Falco does not check this for exceptions an 'override: exceptions: replace' brings: it uses one comp per field and ignores the rest."]);
  const scalarComps = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: [proc.name, proc.pname]\n      comps: =\n      values: [[a, b]]\n'));
  assert.deepEqual(codes(scalarComps.local, 'exception-invalid').map((d) => d.split(' ').slice(0, 3).join(' ') + (d.endsWith('it crashes.') ? ' crash' : '')), ['1 5:14-5:15 exception-invalid crash']);
  // Negative: a definition and an append keep the collector's LOAD_ERR_VALIDATE.
  const defined = diagnosticsOf(RULE('evt.type = execve') + '  exceptions:\n    - name: e\n      fields: [proc.name, proc.pname]\n      comps: [=]\n      values: [[a, b]]\n');
  assert.deepEqual(codes(defined.base, 'exception-arity'), ['1 9:14-9:17 exception-arity Fields and comps lists must have equal length (2 fields, 1 comps). (LOAD_ERR_VALIDATE)']);
  const appended = diagnosticsOf(RULE('evt.type = execve'), REPLACE_EXCEPTIONS('    - name: e\n      fields: proc.name\n      comps: =\n      values: [a]\n').replace('exceptions: replace', 'exceptions: append'));
  assert.deepEqual(codes(appended.local, 'exception-comps').map((d) => d.slice(d.lastIndexOf('('))), ['(LOAD_ERR_VALIDATE)']);
});

test('an exception field whose unquoted bracket argument holds a blank: a parse error of the condition Falco pastes it into', () => {
  const ex = (field: string, values = '      values: [[a, b]]\n') => RULE('evt.type = execve') + `  exceptions:\n    - name: e\n      fields:\n        - ${field}\n        - proc.name\n${values}`;
  const bad = diagnosticsOf(ex('proc.env[A B]'));
  assert.deepEqual(codes(bad.base, 'field-argument'), ["1 9:20-9:23 field-argument Falco pastes exception fields into the rule's condition as written, where libsinsp's filter parser reads an unquoted bracket argument only up to a blank, and the condition fails to parse. Quote the argument: proc.env[\"A B\"]. (LOAD_ERR_COMPILE_CONDITION)"]);
  // Negative: quoted, without blanks, or without values (nothing is pasted).
  assert.deepEqual(codes(diagnosticsOf(ex('proc.env["A B"]')).base, 'field-argument'), []);
  assert.deepEqual(codes(diagnosticsOf(ex("proc.env['A B']")).base, 'field-argument'), []);
  assert.deepEqual(codes(diagnosticsOf(ex('proc.env[AB]')).base, 'field-argument'), []);
  assert.deepEqual(codes(diagnosticsOf(ex('proc.env[A B]', '')).base, 'field-argument'), []);
});
