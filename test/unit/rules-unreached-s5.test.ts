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
