// LOAD_NO_EVTTYPE: which conditions leave a syscall rule with too many (or no) event codes, computed the way
// libsinsp's resolver does after macro and list expansion (thresholds and the event table: rules-evttypes-codes.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { clearCheckMemos } from '../../server/src/service/rules/conditionChecks';
import { MemoryHost, rulesDoc } from './rules-host';
import { EVENT_CODES_BY_NAME } from '../../server/src/knowledge/eventTypes';

const PRELUDE = `- macro: spawned_process
  condition: evt.type in (execve, execveat)
- macro: not_open
  condition: not evt.type in (open, openat)
- list: file_events
  items: [open, openat, openat2]
- macro: uses_list
  condition: evt.type in (file_events)
`;

/** Whether the rule with this condition gets LOAD_NO_EVTTYPE (the prelude's macros and list are used, not unused). */
function warns(condition: string, extra = ''): boolean {
  const text = `${PRELUDE}- rule: R
  desc: d
  condition: ${condition}
  output: "o %proc.name"
  priority: INFO
${extra}- rule: Uses Prelude
  desc: d
  condition: spawned_process or not_open or uses_list or evt.type in (file_events)
  output: "o %proc.name"
  priority: INFO
  warn_evttypes: false
`;
  const host = new MemoryHost({ '/w/r.yaml': text }, { folders: ['/w'] });
  const diags = createRulesService(host).diagnostics(rulesDoc('/w/r.yaml', text));
  const others = diags.filter((d) => d.code !== 'no-evttype');
  assert.deepEqual(others.map((d) => `${d.code} ${d.message}`), [], condition);
  return diags.some((d) => d.code === 'no-evttype');
}

test('evt.type comparisons restrict a rule; other fields do not', () => {
  assert.equal(warns('evt.type = open and proc.name = x'), false);
  assert.equal(warns('evt.type in (open, close) and fd.name startswith /etc'), false);
  assert.equal(warns('proc.name = x'), true);
  assert.equal(warns('proc.name exists'), true);
});

test('negated event types are unrestricted: evt.type != x, not evt.type in (...)', () => {
  assert.equal(warns('evt.type != open and proc.name = x'), true);
  assert.equal(warns('not evt.type in (open, close)'), true);
  assert.equal(warns('not_open and proc.name = x'), true);
});

test('not over a mixed expression is pushed down to the comparisons (De Morgan), as libsinsp 0.25.2 does', () => {
  // not (A and B) = not A or not B: every code but open, or every code.
  assert.equal(warns('not (evt.type != open and proc.name = x)'), true);
  assert.equal(warns('not (evt.type = open and proc.name = x)'), true);
  // not (A or B) = not A and not B: every code but open's two.
  assert.equal(warns('not (evt.type = open or proc.name = x)'), true);
  assert.equal(warns('not not evt.type = open'), false);
  assert.equal(warns('not (evt.type != open or proc.name = x)'), false);
});

test('every branch of an or must restrict; macros and lists are expanded', () => {
  assert.equal(warns('evt.type = open or proc.name = x'), true);
  assert.equal(warns('evt.type = open or spawned_process'), false);
  assert.equal(warns('spawned_process and proc.name = x'), false);
  assert.equal(warns('uses_list and proc.name = x'), false);
  assert.equal(warns('evt.type in (file_events)'), false);
  assert.equal(warns('(spawned_process or uses_list) and not proc.name = x'), false);
});

test('no event type at all, or more than 100 event codes, is reported too', () => {
  assert.equal(warns('evt.type = open and evt.type = close'), true);
  // 60 event names with an enter and an exit code each: 120 codes.
  const many = Object.keys(EVENT_CODES_BY_NAME).filter((n) => EVENT_CODES_BY_NAME[n].length === 2).slice(0, 60).join(', ');
  assert.equal(warns(`evt.type in (${many})`), true);
  assert.equal(warns('evt.type in (open, openat, openat2, creat, unlink, unlinkat, rename, renameat)'), false);
});

test('evt.asynctype does not restrict (libsinsp reads evt.type and syscall.type); warn_evttypes: false silences the warning', () => {
  assert.equal(warns('evt.asynctype = container and container.id != host'), true);
  assert.equal(warns('syscall.type = open and proc.name = x'), false);
  assert.equal(warns('proc.name = x', '  warn_evttypes: false\n'), false);
});

test('event types and suggestions stay right when definitions are reordered, renamed or changed between loads', () => {
  // Versions of one file: the event-type memo and the name-suggestion memo are shared between loads whose macros and
  // lists are the same, in the same order; every other change must give what a fresh service computes.
  const macroA = '- macro: shell_exec\n  condition: evt.type in (execve, execveat)\n';
  const macroB = '- macro: file_open\n  condition: evt.type in (open_events)\n';
  const list = (items: string) => `- list: open_events\n  items: [${items}]\n`;
  const rule = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: "o %proc.name"\n  priority: INFO\n`;
  const uses = rule('shell_exec or file_open or shel_exec or proc.name in (open_event) or evt.type in (open_events)').replace('- rule: R', '- rule: Uses');
  const versions = [
    macroA + macroB + list('open, openat') + uses + rule('file_open and proc.name = x'),
    macroB + macroA + list('open, openat') + uses + rule('file_open and proc.name = x'),
    macroB + macroA + list('open, execve') + uses + rule('file_open and proc.name = x'),
    macroB + macroA + list('ptrace, openat') + uses + rule('file_open and proc.name = x'),
    macroA.replace('execve, execveat', 'execve, open') + macroB + list('open, openat') + uses + rule('shell_exec and not file_open'),
    macroA + macroB.replace('open_events', 'file_events') + list('open, openat') + uses + rule('file_open or shell_exec'),
    macroA + macroB + list('open, openat') + uses + rule('file_open and proc.name = x'),
    macroA.replace('shell_exec', 'shell_exek') + macroB + list('open, openat') + uses + rule('file_open and proc.name = x'),
    // The same rule warns or not with the same macro names and lists of the same size.
    macroA + macroB.replace('evt.type', 'proc.name') + list('open, openat') + uses + rule('file_open and proc.name = x'),
    macroA + macroB + list(Array.from({ length: 60 }, (_, i) => `e${i}`).join(', ')) + uses + rule('file_open and proc.name = x'),
    macroA + macroB + list(Array.from({ length: 60 }, (_, i) => `f${i}`).join(', ')) + uses + rule('file_open and proc.name = x'),
    macroA + macroB + list(Array.from({ length: 60 }, (_, i) => i < 40 ? `e${i}` : 'e0').join(', ')) + uses + rule('file_open and proc.name = x'),
  ];
  const host = new MemoryHost({}, { folders: ['/w'] });
  const service = createRulesService(host);
  let version = 1;
  for (const text of [...versions, ...versions.reverse()]) {
    host.files.set('/w/r.yaml', text);
    const doc = rulesDoc('/w/r.yaml', text, version++);
    const edited = service.diagnostics(doc);
    clearCheckMemos();
    const fresh = createRulesService(new MemoryHost({ '/w/r.yaml': text }, { folders: ['/w'] })).diagnostics(doc);
    assert.deepEqual(edited, fresh, text);
  }
});
