// LOAD_NO_EVTTYPE with exceptions, and evt.type comparisons Falco's event-code search refuses.
// Falco compiles a rule's exceptions into its condition, `(<condition>) and not (<exception>) ...`
// (rule_loader_compiler.cpp build_rule_exception_infos), and counts the event codes of that compiled condition
// (compile_rule_infos: ppm_event_codes(rule.condition)), so an exception on evt.type removes codes. libsinsp's code
// search (ppm_codes.cpp, libs 0.25.2) throws on evt.type inside a transformer or compared with another field; Falco
// does not catch that exception and stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

const rule = (name: string, condition: string, extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: "o %proc.name"\n  priority: INFO\n${extra}`;

function diagnose(text: string): Diagnostic[] {
  const host = new MemoryHost({ '/w/r.yaml': text }, { folders: ['/w'] });
  return createRulesService(host).diagnostics(rulesDoc('/w/r.yaml', text));
}

/** The LOAD_NO_EVTTYPE message of a file, or undefined; any other finding fails the test. */
function noEvttype(text: string): string | undefined {
  const diags = diagnose(text);
  assert.deepEqual(diags.filter((d) => d.code !== 'no-evttype').map((d) => `${d.code} ${d.message}`), [], text);
  const found = diags.filter((d) => d.code === 'no-evttype');
  assert.ok(found.length <= 1, text);
  return found[0] ? String(found[0].message) : undefined;
}

const exception = (lines: string) => `  exceptions:\n${lines}`;

test('an exception on evt.type removes its codes: single field (in), a list of fields (=, in), list values', () => {
  // Every code but open's 2.
  assert.match(noEvttype(rule('R', 'proc.name = x', exception('    - name: no_open\n      fields: evt.type\n      values: [open]\n'))) ?? '', /it matches 452 event codes/);
  // Both names excepted: no code left.
  const both = rule('R', 'evt.type in (open, openat) and proc.name = x', exception('    - name: opens\n      fields: evt.type\n      comps: in\n      values: [open, openat]\n'));
  assert.match(noEvttype(both) ?? '', /it matches no event code/);
  // Without the exception the rule is fine; excepting one of the two names leaves openat's 4 codes.
  assert.equal(noEvttype(rule('R', 'evt.type in (open, openat) and proc.name = x')), undefined);
  assert.equal(noEvttype(rule('R', 'evt.type in (open, openat) and proc.name = x', exception('    - name: o\n      fields: evt.type\n      values: [open]\n'))), undefined);
  // A list of fields with =, one tuple per value: (evt.type = open) or (evt.type = openat).
  const tuples = exception('    - name: opens\n      fields: [evt.type]\n      comps: [=]\n      values: [[open], [openat]]\n');
  assert.match(noEvttype(rule('R', 'evt.type in (open, openat) and proc.name = x', tuples)) ?? '', /no event code/);
  // comps default to = for a list of fields.
  const defaultComps = exception('    - name: opens\n      fields: [evt.type]\n      values: [[open], [openat]]\n');
  assert.match(noEvttype(rule('R', 'evt.type in (open, openat) and proc.name = x', defaultComps)) ?? '', /no event code/);
  // A list value with in, and a list's name (Falco writes it in parentheses, then expands the list).
  const listed = `- list: open_events\n  items: [open, openat]\n`;
  const inTuple = exception('    - name: opens\n      fields: [evt.type, proc.name]\n      comps: [in, =]\n      values: [[[open, openat], bash]]\n');
  // evt.type in (...) and proc.name = bash, negated: not evt.type in (...) or proc.name != bash, i.e. every code.
  assert.equal(noEvttype(rule('R', 'evt.type in (open, openat) and proc.name = x', inTuple)), undefined);
  const byList = exception('    - name: opens\n      fields: [evt.type]\n      comps: [in]\n      values: [[open_events]]\n');
  assert.match(noEvttype(listed + rule('R', 'evt.type in (open, openat) and proc.name = x', byList)) ?? '', /no event code/);
  const singleByList = exception('    - name: opens\n      fields: evt.type\n      values: [open_events]\n');
  assert.match(noEvttype(listed + rule('R', 'evt.type in (open, openat) and proc.name = x', singleByList)) ?? '', /no event code/);
});

test('exceptions on other fields, or mixing evt.type with other fields, leave the codes alone (De Morgan under the not)', () => {
  const mixed = exception('    - name: shells\n      fields: [proc.name, evt.type]\n      comps: [=, =]\n      values: [[bash, open], [sh, openat]]\n');
  assert.equal(noEvttype(rule('R', 'evt.type in (open, openat) and proc.name = x', mixed)), undefined);
  assert.match(noEvttype(rule('R', 'proc.name = x', mixed)) ?? '', /every event code \(454 in Falco 0\.44's event table\)/);
  const other = exception('    - name: shells\n      fields: proc.name\n      values: [bash]\n');
  assert.match(noEvttype(rule('R', 'proc.name = x', other)) ?? '', /every event code \(454 in Falco 0\.44's event table\)/);
  // != in an exception: not (evt.type != open) is evt.type = open.
  const notOpen = exception('    - name: only_open\n      fields: [evt.type]\n      comps: ["!="]\n      values: [[open]]\n');
  assert.equal(noEvttype(rule('R', 'proc.name = x', notOpen)), undefined);
  // warn_evttypes: false still silences it.
  assert.equal(noEvttype(rule('R', 'proc.name = x', `${other}  warn_evttypes: false\n`)), undefined);
});

test('exceptions appended by an override in the same file and in a later file', () => {
  const base = rule('R', 'evt.type in (open, openat) and proc.name = x', exception('    - name: opens\n      fields: evt.type\n      values: [open]\n'));
  const append = (name: string, values: string, fields = '') =>
    `- rule: R\n  exceptions:\n    - name: ${name}\n${fields}      values: [${values}]\n  override:\n    exceptions: append\n`;
  // Same file: the definition is judged with every exception of the file; the override adds values to 'opens'.
  assert.match(noEvttype(base + append('opens', 'openat')) ?? '', /no event code/);
  assert.equal(noEvttype(base + append('other', 'bash', '      fields: proc.name\n')), undefined);
  // Another file, loaded after: the override gets the finding, the definition does not.
  const paths = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml'];
  const run = (local: string) => {
    const host = new MemoryHost({ [paths[0]]: base, [paths[1]]: local }, { ruleFiles: paths });
    const service = createRulesService(host);
    return paths.map((p) => service.diagnostics(rulesDoc(p, p === paths[0] ? base : local)));
  };
  const [inBase, inLocal] = run(append('opens', 'openat'));
  assert.deepEqual(inBase, []);
  assert.deepEqual(inLocal.map((d) => [d.code, d.range.start.line, d.message]), [[
    'no-evttype', 1, "With this override, rule 'R' matches too many evt.type values (it matches no event code: its evt.type tests exclude each other or name no known event). This has a significant performance penalty; add an 'evt.type in (...)' test or set 'warn_evttypes: false'. (LOAD_NO_EVTTYPE)",
  ]]);
  // A new exception of its own, with fields.
  const [, ownFields] = run(append('more', 'openat', '      fields: evt.type\n'));
  assert.deepEqual(ownFields.map((d) => d.code), ['no-evttype']);
  // Exceptions that do not change what Falco concludes are not reported, nor an override that appends to the
  // condition (the definition's file already judges what it can see).
  assert.deepEqual(run(append('more', 'bash', '      fields: proc.name\n'))[1], []);
  assert.deepEqual(run('- rule: R\n  condition: and evt.type = execve\n  override:\n    condition: append\n')[1], []);
  // A rule that already warns in its own file: the override is reported only when it changes what Falco concludes.
  const unrestricted = rule('U', 'proc.name = x');
  const both = (local: string) => {
    const host = new MemoryHost({ [paths[0]]: unrestricted, [paths[1]]: local }, { ruleFiles: paths });
    const service = createRulesService(host);
    return paths.map((p) => service.diagnostics(rulesDoc(p, p === paths[0] ? unrestricted : local)).map((d) => String(d.message).replace(/\. This has.*/, '')));
  };
  const appendU = (fields: string, values: string) => `- rule: U\n  exceptions:\n    - name: e\n      fields: ${fields}\n      values: [${values}]\n  override:\n    exceptions: append\n`;
  assert.deepEqual(both(appendU('proc.name', 'bash')), [['Rule matches too many evt.type values (its condition has no event-type restriction: it matches every event code (454 in Falco 0.44\'s event table))'], []]);
  assert.deepEqual(both(appendU('evt.type', 'open')), [['Rule matches too many evt.type values (its condition has no event-type restriction: it matches every event code (454 in Falco 0.44\'s event table))'],
    ["With this override, rule 'U' matches too many evt.type values (it matches 452 event codes of Falco 0.44's event table, more than 100)"]]);
});

test('unknown event types in exception values are reported where written, as in the condition', () => {
  const unknown = (text: string) => diagnose(text).map((d) => [d.code, d.range.start.line, d.range.start.character, String(d.message).replace(/:.*Did you mean/, ' ... Did you mean')]);
  const single = rule('R', 'evt.type in (open, openat) and proc.name = x', exception('    - name: e\n      fields: evt.type\n      values: [open, opne]\n'));
  // Falco fails the compiled condition: no LOAD_NO_EVTTYPE either.
  assert.deepEqual(unknown(single), [['unknown-evttype', 8, 21, "Unknown event type 'opne' ... Did you mean 'open'? (LOAD_ERR_COMPILE_CONDITION)"]]);
  const tuples = rule('R', 'evt.type = open', exception('    - name: e\n      fields: [proc.name, evt.type]\n      values: [[bash, execv]]\n'));
  assert.deepEqual(unknown(tuples), [['unknown-evttype', 8, 22, "Unknown event type 'execv' ... Did you mean 'execve'? (LOAD_ERR_COMPILE_CONDITION)"]]);
  const viaList = '- list: l\n  items: [open, opne]\n' + rule('R', 'evt.type = open', exception('    - name: e\n      fields: [evt.type]\n      comps: [in]\n      values: [[l]]\n'));
  assert.deepEqual(unknown(viaList), [['unknown-evttype', 11, 16, "Unknown event type 'opne' (an item of the list 'l') ... Did you mean 'open'? (LOAD_ERR_COMPILE_CONDITION)"]]);
  // Values appended to an exception of the same name take its fields.
  const appended = rule('R', 'evt.type = open', exception('    - name: e\n      fields: evt.type\n      values: [openat]\n'))
    + '- rule: R\n  exceptions:\n    - name: e\n      values: [clse]\n  override:\n    exceptions: append\n';
  assert.deepEqual(unknown(appended).map((d) => d.slice(0, 2)), [['unknown-evttype', 12]]);
  // Other fields and other operators are not event types.
  assert.deepEqual(unknown(rule('R', 'evt.type = open', exception('    - name: e\n      fields: [evt.type, proc.name]\n      comps: [pmatch, =]\n      values: [[opne, bash]]\n'))), []);
});

/** The findings of code evttype-not-indexable (where the refused comparisons are reported). */
function refused(text: string): Diagnostic[] {
  const diags = diagnose(text);
  assert.deepEqual(diags.filter((d) => d.code !== 'evttype-not-indexable' && d.code !== 'no-evttype').map((d) => `${d.code} ${d.message}`), [], text);
  return diags.filter((d) => d.code === 'evttype-not-indexable');
}

test('evt.type compared with another field or inside a transformer: Falco exits with a runtime error (evttype-not-indexable)', () => {
  const valued = refused(rule('R', 'evt.type = val(proc.name)'));
  assert.equal(valued.length, 1);
  assert.equal(valued[0].severity, 1);
  assert.equal(valued[0].range.start.line, 2);
  assert.equal(valued[0].message, `Falco cannot compute this rule's event codes: evt.type (or syscall.type) is compared with another field (val() or a transformer on the right). Falco exits at startup with "Runtime error: right-hand field comparisons on \`evt.type\`/\`syscall.type\` checks are not supported by event code search". Compare evt.type with event names only.`);
  assert.match(String(refused(rule('R', 'evt.type = tolower(proc.name) and evt.type = open'))[0]?.message), /with another field/);
  assert.match(String(refused(rule('R', 'syscall.type in val(proc.name)'))[0]?.message), /with another field/);
  const transformed = refused(rule('R', 'tolower(evt.type) = open'));
  assert.match(String(transformed[0]?.message), /inside a transformer or val\(\)\. Falco exits at startup with "Runtime error: event code search does not support `evt.type` checks with transformers"/);
  assert.equal(refused(rule('R', 'evt.type = open and not toupper(evt.type) in (OPEN)')).length, 1);
  assert.equal(refused(rule('R', 'evt.type = open and tolower(evt.type) exists')).length, 1);
  assert.match(String(refused(rule('R', 'evt.type = val(evt.type)'))[0]?.message), /inside a transformer/);
  // Whatever warn_evttypes says: Falco computes every syscall rule's codes.
  assert.equal(refused(rule('R', 'evt.type = val(proc.name)', '  warn_evttypes: false\n')).length, 1);
  // Through a macro, which is named.
  const viaMacro = refused(`- macro: m\n  condition: tolower(evt.type) = open\n${rule('R', 'm and proc.name = x')}`);
  assert.deepEqual(viaMacro.map((d) => d.range.start.line), [4]);
  assert.match(String(viaMacro[0].message), /inside a transformer or val\(\) \(in the macro 'm'\)/);
  // In an exception's values (Falco writes a value without spaces as is).
  const viaException = refused(rule('R', 'evt.type = open', exception('    - name: e\n      fields: [evt.type]\n      values: [[val(proc.name)]]\n')));
  assert.match(String(viaException[0]?.message), /with another field .* \(in an exception\)/);
});

test('comparisons the event-code search does not look into are fine', () => {
  for (const condition of [
    'evt.type = open and tolower(evt.type) contains op',
    'evt.type = open and proc.name = val(evt.type)',
    'evt.type = open and tolower(proc.name) = bash',
    'evt.type = open and evt.type startswith val(proc.name)',
  ]) assert.deepEqual(refused(rule('R', condition)).map((d) => d.message), [], condition);
  // A macro no rule uses is not compiled into any rule.
  const unused = diagnose(`- macro: m\n  condition: tolower(evt.type) = open\n${rule('R', 'evt.type = open')}`);
  assert.deepEqual(unused.filter((d) => d.code === 'evttype-not-indexable'), []);
});

test('an override in a later file that puts evt.type in a transformer gets the runtime error, on its condition', () => {
  const paths = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml'];
  const base = rule('R', 'evt.type = open and proc.name = bash');
  const run = (local: string) => {
    const host = new MemoryHost({ [paths[0]]: base, [paths[1]]: local }, { ruleFiles: paths });
    const service = createRulesService(host);
    return paths.map((p) => service.diagnostics(rulesDoc(p, p === paths[0] ? base : local)));
  };
  const [inBase, inLocal] = run('- rule: R\n  condition: and not tolower(evt.type) = open\n  override:\n    condition: append\n');
  assert.deepEqual(inBase, []);
  assert.deepEqual(inLocal.map((d) => [d.code, d.range.start.line, d.severity]), [['evttype-not-indexable', 1, 1]]);
  // An append that keeps evt.type plain is not reported (no-evttype stays with the definition's file).
  assert.deepEqual(run('- rule: R\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n')[1], []);
  assert.deepEqual(run('- rule: R\n  condition: or proc.pname = sshd\n  override:\n    condition: append\n')[1].map((d) => d.code), []);
});
