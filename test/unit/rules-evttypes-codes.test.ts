// LOAD_NO_EVTTYPE at Falco's threshold: the loader counts event CODES (libsinsp's ppm_event_codes over the driver's
// event table, libs 0.25.2), not names, and warns on none or more than 100; unknown evt.type names are reported.
// The event table's shape is checked against numbers read in libs at tag 0.25.2 (driver/event_table.c).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { eventCodesOfName, eventTypeNames, EVENT_CODE_COUNT, EVENT_TABLE_LIBS_VERSION } from '../../server/src/knowledge';
import { ASYNC_EVENT_CODE, EVENT_CODES_BY_NAME, GENERIC_SYSCALL_NAMES } from '../../server/src/knowledge/eventTypes';
import { MemoryHost, rulesDoc } from './rules-host';
import { openAt, workspace } from './rules-nav-helpers';

test('event table: shape and the numbers read in libs 0.25.2', () => {
  assert.equal(EVENT_TABLE_LIBS_VERSION, '0.25.2');
  assert.equal(EVENT_CODE_COUNT, 454);
  // Every code from 2 up carries exactly one name; 0 and 1 are the generic events.
  const seen = new Map<number, string>();
  for (const [name, codes] of Object.entries(EVENT_CODES_BY_NAME)) {
    assert.ok(name.length > 0 && codes.length > 0, name);
    for (const code of codes) {
      assert.ok(Number.isInteger(code) && code >= 2 && code < EVENT_CODE_COUNT, `${name}: ${code}`);
      assert.equal(seen.get(code), undefined, `code ${code} under ${name} and ${seen.get(code)}`);
      seen.set(code, name);
    }
  }
  assert.equal(seen.size, EVENT_CODE_COUNT - 2);
  const counts: Record<string, number> = { execve: 16, open: 2, openat: 4, openat2: 2, connect: 2, clone: 8, clone3: 2, accept: 8, execveat: 2, ptrace: 2 };
  for (const [name, n] of Object.entries(counts)) assert.equal(eventCodesOfName(name)?.length, n, name);
  // Syscalls without their own event share the generic codes.
  assert.ok(GENERIC_SYSCALL_NAMES.length > 200);
  for (const name of GENERIC_SYSCALL_NAMES) {
    assert.ok(name.length > 0 && !(name in EVENT_CODES_BY_NAME), name);
    assert.deepEqual(eventCodesOfName(name), [0, 1], name);
  }
  assert.deepEqual(eventCodesOfName('fsync'), [0, 1]);
  // Plugin async events: the container plugin's "container" is also an old table event.
  assert.deepEqual(eventCodesOfName('container'), [...EVENT_CODES_BY_NAME.container, ASYNC_EVENT_CODE]);
  assert.deepEqual(eventCodesOfName('container_removed'), [ASYNC_EVENT_CODE]);
  // Accepted but matching nothing (the generic events' own name), and rejected names.
  assert.deepEqual(eventCodesOfName('syscall'), []);
  assert.equal(eventCodesOfName('execv'), undefined);
  assert.equal(eventCodesOfName('OPEN'), undefined);
  const names = eventTypeNames();
  assert.ok(names.includes('execve') && names.includes('fsync') && names.includes('container_removed') && !names.includes('NA'));
});

// ---------------------------------------------------------------------------------------------------------------

const TWO_CODE_NAMES = Object.keys(EVENT_CODES_BY_NAME).filter((n) => n !== 'container' && EVENT_CODES_BY_NAME[n].length === 2);
const GENERIC = GENERIC_SYSCALL_NAMES;

function diagnose(text: string): Diagnostic[] {
  const host = new MemoryHost({ '/w/r.yaml': text }, { folders: ['/w'] });
  return createRulesService(host).diagnostics(rulesDoc('/w/r.yaml', text));
}

const rule = (name: string, condition: string, extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: "o %proc.name"\n  priority: INFO\n${extra}`;

/** The LOAD_NO_EVTTYPE message of a one-rule file, or undefined; any other finding fails the test. */
function noEvttype(condition: string, prelude = '', extra = ''): string | undefined {
  const diags = diagnose(prelude + rule('R', condition, extra));
  const others = diags.filter((d) => d.code !== 'no-evttype');
  assert.deepEqual(others.map((d) => `${d.code} ${d.message}`), [], condition);
  const found = diags.find((d) => d.code === 'no-evttype');
  return found ? String(found.message) : undefined;
}

test('names are not codes: 60 syscalls without an event are 2 codes, 51 two-code events are 102', () => {
  assert.equal(noEvttype(`evt.type in (${GENERIC.slice(0, 51).join(', ')})`), undefined);
  assert.equal(noEvttype(`evt.type in (${GENERIC.slice(0, 60).join(', ')}) and proc.name = x`), undefined);
  assert.equal(noEvttype(`evt.type in (${TWO_CODE_NAMES.slice(0, 50).join(', ')})`), undefined);
  const over = noEvttype(`evt.type in (${TWO_CODE_NAMES.slice(0, 51).join(', ')})`);
  assert.match(over ?? '', /it matches 102 event codes of Falco 0.44's event table, more than 100/);
  assert.match(over ?? '', /^Rule matches too many evt\.type values \(.*\)\. This has a significant performance penalty.*\(LOAD_NO_EVTTYPE\)$/);
});

test('few names with many codes go over 100', () => {
  // 16 + 8 + 8 + 6 + 6 = 44 codes in five names; thirteen four-code names bring 52 more (96).
  const heavy = ['execve', 'accept', 'clone', 'fork', 'vfork'];
  const four = Object.keys(EVENT_CODES_BY_NAME).filter((n) => n !== 'NA' && EVENT_CODES_BY_NAME[n].length === 4).slice(0, 13);
  assert.equal(four.length, 13);
  // 96 + open (2) + two syscalls without an event (0 and 1): exactly 100, no warning.
  const hundred = [...heavy, ...four, 'open', GENERIC[0], GENERIC[1]];
  assert.equal(noEvttype(`evt.type in (${hundred.join(', ')})`), undefined);
  // One more two-code event: 102.
  assert.match(noEvttype(`evt.type in (${[...hundred, 'close'].join(', ')})`) ?? '', /it matches 102 event codes/);
  // 40 names: the 18 above plus 22 two-code events.
  const forty = [...heavy, ...four, ...TWO_CODE_NAMES.filter((n) => n !== 'open').slice(0, 22)];
  assert.equal(forty.length, 40);
  assert.match(noEvttype(`evt.type in (${forty.join(', ')}) and proc.name = x`) ?? '', /it matches 140 event codes/);
});

test('negations: != and not evt.type in (...) keep every other code; a double negation restricts', () => {
  assert.match(noEvttype('evt.type != open and proc.name = x') ?? '', /it matches 452 event codes/);
  assert.match(noEvttype('not evt.type in (open, openat)') ?? '', /it matches 448 event codes/);
  assert.equal(noEvttype('not evt.type != open'), undefined);
  assert.equal(noEvttype('not (evt.type != open or proc.name = x)'), undefined);
  // not (A and B) = not A or not B: every code.
  assert.match(noEvttype('not (evt.type = open and proc.name = x)') ?? '', /no event-type restriction: it matches every event code \(454 in Falco 0\.44's event table\)/);
  assert.match(noEvttype('evt.type = open and not evt.type = open') ?? '', /it matches no event code/);
});

test('exists, syscall.type, evt.asynctype and other operators', () => {
  assert.match(noEvttype('evt.type exists') ?? '', /every event code \(454 in Falco 0\.44's event table\)/);
  assert.match(noEvttype('not evt.type exists and proc.name = x') ?? '', /no event code/);
  assert.equal(noEvttype('syscall.type in (open, openat) and proc.name = x'), undefined);
  // libsinsp reads event types from evt.type and syscall.type only.
  assert.match(noEvttype('evt.asynctype = container') ?? '', /every event code \(454 in Falco 0\.44's event table\)/);
  assert.match(noEvttype('evt.type startswith open') ?? '', /every event code \(454 in Falco 0\.44's event table\)/);
  // (`evt.type[0]` is no field at all for libsinsp: rules-field-argument-parity.test.ts.)
  assert.equal(noEvttype('proc.name = x', '', '  warn_evttypes: false\n'), undefined);
});

test('lists (nested) and macros are expanded before counting; generic syscalls share their codes', () => {
  const prelude = `- list: quiet_syscalls\n  items: [${GENERIC.slice(0, 40).join(', ')}]\n`
    + `- list: more_quiet\n  items: [quiet_syscalls, ${GENERIC.slice(40, 80).join(', ')}]\n`
    + `- list: busy_events\n  items: [${TWO_CODE_NAMES.slice(0, 30).join(', ')}]\n`
    + `- macro: busy\n  condition: evt.type in (busy_events)\n`
    + `- macro: heavy\n  condition: evt.type in (execve, accept, clone, fork, vfork)\n`
    + rule('Uses', 'evt.type in (more_quiet) or busy or heavy or not heavy', '  warn_evttypes: false\n');
  assert.equal(noEvttype('evt.type in (more_quiet) and proc.name = x', prelude), undefined);
  // 60 + 44 codes.
  assert.match(noEvttype('busy or heavy', prelude) ?? '', /it matches 104 event codes/);
  assert.equal(noEvttype('busy or evt.type in (more_quiet)', prelude), undefined);
  // The same macro under a not: every code but heavy's 44.
  assert.match(noEvttype('not heavy and proc.name = x', prelude) ?? '', /it matches 410 event codes/);
  assert.equal(noEvttype('heavy and not busy', prelude), undefined);
});

test('an unknown evt.type name is reported with the closest name and matches no code', () => {
  const diags = diagnose(rule('R', 'evt.type = execv and proc.name = x'));
  const unknown = diags.filter((d) => d.code === 'unknown-evttype');
  assert.equal(unknown.length, 1);
  assert.equal(unknown[0].severity, 2);
  assert.match(String(unknown[0].message), /^Unknown event type 'execv'.*Did you mean 'execve'\?.*\(LOAD_ERR_COMPILE_CONDITION\)$/);
  assert.deepEqual((unknown[0].data as { suggestions: string[] }).suggestions[0], 'execve');
  // Falco rejects the condition before it counts event codes: no LOAD_NO_EVTTYPE.
  assert.equal(diags.find((d) => d.code === 'no-evttype'), undefined);
  // A list's unknown item is reported at the list's use, without a replacement.
  const viaList = diagnose('- list: my_events\n  items: [open, opne]\n' + rule('R', 'evt.type in (my_events) and proc.name = x'));
  const listed = viaList.filter((d) => d.code === 'unknown-evttype');
  assert.deepEqual(listed.map((d) => [d.range.start.line, String(d.message).replace(/:.*Did you mean/, ' ... Did you mean')]),
    [[4, "Unknown event type 'opne' (an item of the list 'my_events') ... Did you mean 'open'? (LOAD_ERR_COMPILE_CONDITION)"]]);
  assert.deepEqual((listed[0].data as { suggestions: string[] }).suggestions, []);
  assert.equal(viaList.find((d) => d.code === 'no-evttype'), undefined);
  // skip-if-unknown-filter: Falco skips the rule with LOAD_UNKNOWN_FILTER.
  const skipped = diagnose(rule('R', 'evt.type in (open, "OPEN")', '  skip-if-unknown-filter: true\n')).filter((d) => d.code === 'unknown-evttype');
  assert.equal(skipped.length, 1);
  assert.match(String(skipped[0].message), /'OPEN'.*Did you mean 'open'\?.*skip-if-unknown-filter\. \(LOAD_UNKNOWN_FILTER\)$/);
  // In a macro, where the name is written; the rules using it are not counted either.
  const inMacro = diagnose('- macro: m\n  condition: evt.type = opne\n' + rule('R', 'm and proc.name = x') + rule('S', 'not m'));
  assert.deepEqual(inMacro.filter((d) => d.code === 'unknown-evttype').map((d) => d.range.start.line), [1]);
  assert.deepEqual(inMacro.filter((d) => d.code === 'no-evttype'), []);
});

test('names libsinsp accepts are not reported: table events, syscalls without an event, plugin events, lists', () => {
  for (const condition of [
    'evt.type in (execve, fsync, container, container_removed, k8s, syscall, NA) and proc.name = x',
    'evt.type in (my_events) and proc.name = x',
    'syscall.type = not_a_syscall and evt.type = open',
  ]) {
    const diags = diagnose('- list: my_events\n  items: [open, openat]\n' + rule('R', condition));
    assert.deepEqual(diags.filter((d) => d.code === 'unknown-evttype').map((d) => d.message), [], condition);
  }
  // Plugin sources have their own event types.
  const plugin = diagnose(rule('R', 'evt.type = whatever and ka.verb = create', '  source: k8s_audit\n'));
  assert.deepEqual(plugin.filter((d) => d.code === 'unknown-evttype'), []);
});

test('completion offers event names after evt.type =, != and inside evt.type in (...)', () => {
  const complete = (marked: string) => {
    const { service } = workspace({});
    const { doc, position } = openAt(service, '/ws/r.yaml', `- list: file_events\n  items: [open, openat]\n${marked}`);
    return service.completion!(doc, position)?.items ?? [];
  };
  const eq = complete('- macro: m\n  condition: evt.type = exe<|>\n');
  assert.ok(eq.some((i) => i.label === 'execve' && i.detail === 'event type, 16 event codes'));
  assert.ok(eq.some((i) => i.label === 'fsync' && /generic/.test(String(i.detail))));
  assert.ok(!eq.some((i) => i.label === 'NA'));
  assert.ok(complete('- macro: m\n  condition: syscall.type != <|>\n').some((i) => i.label === 'openat'));
  const inList = complete('- macro: m\n  condition: evt.type in (open, <|>)\n').map((i) => i.label);
  assert.ok(inList.includes('file_events') && inList.includes('connect'));
  // Other fields keep their completions: lists only inside parentheses, val() after an operator.
  const other = complete('- macro: m\n  condition: proc.name in (<|>)\n').map((i) => i.label);
  assert.ok(other.includes('file_events') && !other.includes('execve'));
  assert.ok(!complete('- macro: m\n  condition: proc.name = <|>\n').some((i) => i.label === 'execve'));
});
