// List and macro order as Falco 0.44 applies it (rule_loader_compiler.cpp, rule_loader_collector.cpp,
// filter_macro_resolver.cpp): which lists a list expands, which lists count as used, macro loops and visibility.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { Code } from '../../server/src/service/rules/diagnosticCodes';
import { MemoryHost, rulesDoc } from './rules-host';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';

/** Diagnostics of each file, the base loaded first. */
function diagnoseAll(base: string, local?: string): { base: Diagnostic[]; local: Diagnostic[] } {
  const files: Record<string, string> = { [BASE]: base };
  if (local !== undefined) files[LOCAL] = local;
  const svc = createRulesService(new MemoryHost(files, { folders: ['/ws'] }));
  const baseDoc = rulesDoc(BASE, base);
  svc.didOpenOrChange?.(baseDoc);
  const out = { base: svc.diagnostics(baseDoc), local: [] as Diagnostic[] };
  if (local !== undefined) {
    const localDoc = rulesDoc(LOCAL, local);
    svc.didOpenOrChange?.(localDoc);
    out.local = svc.diagnostics(localDoc);
  }
  return out;
}

/** Code and covered text of the diagnostics with one of `codes`. */
function found(text: string, diags: Diagnostic[], codes: string[]): string[] {
  const doc = rulesDoc('/x.yaml', text);
  return diags.filter((d) => codes.includes(String(d.code))).map((d) => `${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}`);
}

const rule = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: "x %proc.name"\n  priority: INFO\n`;
const list = (name: string, items: string[], extra = '') => `- list: ${name}\n  items: [${items.join(', ')}]\n${extra}`;

test('a list expands the lists defined before its last definition one level; the condition substitutes later lists again', () => {
  // outer is compiled to middle's items as written ("inner"), and inner comes before outer in Falco's order: the
  // condition reads the word "inner", not inner's items.
  const nested = list('inner', ['bogus_one']) + list('middle', ['inner']) + list('outer', ['middle']) + rule('evt.type in (outer)');
  const diags = diagnoseAll(nested).base;
  const unknown = diags.filter((d) => d.code === Code.UnknownEventType).map((d) => String(d.message).split(':')[0]);
  assert.deepEqual(unknown, ["Unknown event type 'inner' (an item of the list 'outer')"]);
  // A list named before it is defined stays a word in the compiled list, but the condition substitutes it when its
  // turn comes (it comes after the list whose items were pasted).
  const later = list('first', ['second']) + list('second', ['bogus_two']) + rule('evt.type in (first)');
  const laterUnknown = diagnoseAll(later).base.filter((d) => d.code === Code.UnknownEventType).map((d) => String(d.message).split(':')[0]);
  assert.deepEqual(laterUnknown, ["Unknown event type 'bogus_two' (an item of the list 'first')"]);
  // Two levels in definition order: every level expands.
  const ordered = list('inner', ['bogus_three']) + list('middle', ['inner']) + rule('evt.type in (middle)');
  const orderedUnknown = diagnoseAll(ordered).base.filter((d) => d.code === Code.UnknownEventType).map((d) => String(d.message).split(':')[0]);
  assert.deepEqual(orderedUnknown, ["Unknown event type 'bogus_three' (an item of the list 'middle')"]);
});

test('value errors and event types read a nested list as Falco pastes it', () => {
  const nested = list('inner', ['abc']) + list('middle', ['inner']) + list('outer', ['middle']) + rule('evt.type = execve and proc.pid in (outer)');
  const messages = diagnoseAll(nested).base.filter((d) => d.severity === 1).map((d) => String(d.message));
  assert.ok(messages.length > 0 && messages.every((m) => !m.includes("'abc'")), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes("'inner'")), messages.join('\n'));
});

test('unused lists: a list named by a list that precedes it is used only when that list is used in a condition', () => {
  const unused = (text: string) => found(text, diagnoseAll(text).base, [Code.UnusedList]);
  // second is defined after first: first's compiled items keep the word, so neither counts as used.
  assert.deepEqual(unused(list('first', ['second']) + list('second', ['x'])), ['unused-list first', 'unused-list second']);
  // first used in a condition: second is substituted after first's items are pasted.
  assert.deepEqual(unused(list('first', ['second']) + list('second', ['x']) + rule('evt.type = execve and proc.name in (first)')), []);
  // Defined before: compile_list_infos marks it used even when the list naming it is not.
  assert.deepEqual(unused(list('second', ['x']) + list('first', ['second'])), ['unused-list first']);
  // Appended after second's definition: first now expands second.
  assert.deepEqual(unused(list('first', ['y']) + list('second', ['x']) + list('first', ['second'], '  override:\n    items: append\n')), ['unused-list first']);
  // x is used by y's compilation, which pastes x's items as written: z (defined last) is substituted only when y is
  // pasted in a condition.
  const chain = list('x', ['z']) + list('y', ['x']) + list('z', ['q']);
  assert.deepEqual(unused(chain), ['unused-list y', 'unused-list z']);
  assert.deepEqual(unused(chain + rule('evt.type = execve and proc.name in (y)')), []);
  // Across files, in load order.
  const base = list('first', ['second']);
  const local = list('second', ['x']);
  const both = diagnoseAll(base, local);
  assert.deepEqual([...found(base, both.base, [Code.UnusedList]), ...found(local, both.local, [Code.UnusedList])], ['unused-list first', 'unused-list second']);
});

const macro = (name: string, condition: string, extra = '') => `- macro: ${name}\n  condition: ${condition}\n${extra}`;
const APPEND = '  override:\n    condition: append\n';
const REPLACE = '  override:\n    condition: replace\n';
const macroErrors = (text: string, diags: Diagnostic[]) => found(text, diags, [Code.UndefinedMacro, Code.MacroReferenceLoop]);

test('a macro appended so that it reaches itself again is a reference loop, as Falco reports it', () => {
  // a sees b (defined before a's append), b sees a (defined before b): resolving a meets b, then a, then b again.
  const loop = macro('a', 'proc.name = x') + macro('b', 'a') + macro('a', 'or b', APPEND) + rule('evt.type = execve and a');
  const diags = diagnoseAll(loop).base;
  assert.deepEqual(macroErrors(loop, diags), ['macro-reference-loop b']);
  const message = String(diags.find((d) => d.code === Code.MacroReferenceLoop)!.message);
  assert.match(message, /reference loop in macro 'b'/);
  assert.match(message, /\(LOAD_ERR_VALIDATE\)$/);
  // A macro that appends a use of itself sees itself.
  const self = macro('a', 'proc.name = x') + macro('a', 'or a', APPEND) + rule('evt.type = execve and a');
  const selfDiags = diagnoseAll(self).base;
  assert.deepEqual(macroErrors(self, selfDiags), ['macro-reference-loop a']);
  assert.match(String(selfDiags.find((d) => d.code === Code.MacroReferenceLoop)!.message), /reference loop in macro 'a'/);
  // No loop: the append uses a macro that does not lead back.
  const fine = macro('a', 'proc.name = x') + macro('b', 'proc.pname = y') + macro('a', 'or b', APPEND) + rule('evt.type = execve and a');
  assert.deepEqual(macroErrors(fine, diagnoseAll(fine).base), []);
  // The loop closed from a later file is reported where the use that closes it is written.
  const base = macro('a', 'proc.name = x') + macro('b', 'a') + rule('evt.type = execve and a');
  const local = macro('a', 'or b', APPEND);
  const both = diagnoseAll(base, local);
  assert.deepEqual(macroErrors(base, both.base), []);
  assert.deepEqual(macroErrors(local, both.local), ['macro-reference-loop b']);
});

test('macro order: a file is checked against the definitions up to it; a redefinition keeps the index and replaces the text', () => {
  // base: a uses b, defined after it. Falco compiles after each file and stops at the first that fails: a later
  // append or redefinition of a does not repair the base file.
  const base = macro('a', 'b and proc.name = x') + macro('b', 'proc.pname = y') + rule('evt.type = execve and a');
  assert.deepEqual(macroErrors(base, diagnoseAll(base).base), ['undefined-macro b']);
  assert.deepEqual(macroErrors(base, diagnoseAll(base, macro('a', 'and proc.exe = z', APPEND)).base), ['undefined-macro b']);
  assert.deepEqual(macroErrors(base, diagnoseAll(base, macro('a', 'proc.name = w')).base), ['undefined-macro b']);
  // Redefined later in the same file: Falco compiles the file once, with the redefinition's text only.
  const sameFile = base + macro('a', 'proc.name = w');
  assert.deepEqual(macroErrors(sameFile, diagnoseAll(sameFile).base), []);
  const replacedHere = base + macro('a', 'proc.name = w', REPLACE);
  assert.deepEqual(macroErrors(replacedHere, diagnoseAll(replacedHere).base), []);
  // A redefinition in a later file keeps a's index and moves its visibility: it sees b, defined before it.
  const ordered = macro('a', 'proc.name = x') + macro('b', 'proc.pname = y') + rule('evt.type = execve and a');
  const local = macro('a', 'b or proc.name = w');
  assert.deepEqual(macroErrors(local, diagnoseAll(ordered, local).local), []);
  // A macro defined only after the redefinition is still late for it.
  const lateLocal = macro('a', 'c or proc.name = w') + macro('c', 'proc.pname = v');
  assert.deepEqual(macroErrors(lateLocal, diagnoseAll(ordered, lateLocal).local), ['undefined-macro c']);
  // A redefinition that closes a loop with a macro of the earlier file is a reference loop where it is written.
  const loopBase = macro('b', 'proc.pname = y') + macro('a', 'b') + rule('evt.type = execve and a');
  const loopLocal = macro('b', 'a');
  const loop = diagnoseAll(loopBase, loopLocal);
  assert.deepEqual(macroErrors(loopBase, loop.base), []);
  assert.deepEqual(macroErrors(loopLocal, loop.local), ['macro-reference-loop a']);
  assert.match(String(loop.local.find((d) => d.code === Code.MacroReferenceLoop)!.message), /reference loop in macro 'a'/);
});

test('an edit that only moves lists (same items) changes what is pasted, in the same service as afresh', () => {
  const before = list('inner', ['bogus_one']) + list('middle', ['inner']) + list('outer', ['middle']) + rule('evt.type in (outer)');
  // inner now comes after outer: the word "inner" pasted from middle's items is substituted again.
  const after = list('middle', ['inner']) + list('outer', ['middle']) + list('inner', ['bogus_one']) + rule('evt.type in (outer)');
  const svc = createRulesService(new MemoryHost({ [BASE]: before }, { folders: ['/ws'] }));
  const unknown = (diags: Diagnostic[]) => diags.filter((d) => d.code === Code.UnknownEventType).map((d) => String(d.message).split(':')[0]);
  const first = rulesDoc(BASE, before, 1);
  svc.didOpenOrChange?.(first);
  assert.deepEqual(unknown(svc.diagnostics(first)), ["Unknown event type 'inner' (an item of the list 'outer')"]);
  const second = rulesDoc(BASE, after, 2);
  svc.didOpenOrChange?.(second);
  assert.deepEqual(unknown(svc.diagnostics(second)), ["Unknown event type 'bogus_one' (an item of the list 'outer')"]);
  assert.deepEqual(unknown(svc.diagnostics(second)), unknown(diagnoseAll(after).base));
});
