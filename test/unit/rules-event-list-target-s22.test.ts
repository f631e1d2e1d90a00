// Session 22: evt.type names the target release's event table lacks, reached through a list or an exception value.
// Falco pastes a list's items into the condition text before it parses it (rule_loader_compiler.cpp 0.38.0
// parse_condition, resolve_list), and compiles exception values into it, so `evt.type in (seals)` with
// `seals: [mseal]` fails in Falco 0.38 as `evt.type in (mseal)` does: libsinsp 0.17.1's validate_filter_value
// (sinsp_filtercheck_event.cpp:339-379) finds mseal neither in the event table nor among the syscall names, then asks
// the loaded plugins' async events, and throws "unknown event type mseal", LOAD_ERR_COMPILE_CONDITION (or
// LOAD_UNKNOWN_FILTER under skip-if-unknown-filter). Every release 0.37-0.44 checks the same way, plugins last, so the
// finding is the warning every unknown name gets, and its message says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, fixesAt, MemoryHost, rulesDoc } from './rules-host';
import { createRulesService } from '../../server/src/service/rules';

const FILE = '/ws/rules.yaml';
const SEALS = '- list: seals\n  items: [mseal]\n- list: opens\n  items: [open, openat]\n';
const rule = (condition: string, extra = '') => `${SEALS}- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;
const unknown = (text: string, target: string) => findingsAt(FILE, text, target).filter((f) => f.includes(' unknown-evttype '));

test('an event name of a later release in a list: reported at the list\'s use, at the target only', () => {
  const text = rule('evt.type in (opens, seals) and proc.name = x');
  assert.deepEqual(unknown(text, '0.38'), [
    `2 unknown-evttype seals: Event type 'mseal' (an item of the list 'seals') was added in Falco 0.39: the event table of Falco 0.38 does not have it, so Falco 0.38 rejects the condition ("unknown event type mseal") unless a loaded plugin defines an event of that name. (LOAD_ERR_COMPILE_CONDITION)`,
  ]);
  assert.deepEqual(unknown(text, '0.39'), []);
  assert.deepEqual(unknown(text, '0.44'), []);
  // A list of lists, and evt.type = list.
  const nested = `- list: both\n  items: [opens, seals]\n${rule('evt.type = both')}`;
  assert.deepEqual(unknown(nested, '0.38').map((f) => f.split(':')[0]), ['2 unknown-evttype both']);
  // Under skip-if-unknown-filter Falco 0.38 skips the rule with a warning.
  assert.match(unknown(rule('evt.type in (seals)', '  skip-if-unknown-filter: true\n'), '0.38').join('\n'), /The rule is skipped because of skip-if-unknown-filter\. \(LOAD_UNKNOWN_FILTER\)$/);
});

test('an event name of a later release as an exception value, directly or through a list', () => {
  const exception = (values: string) => rule('evt.type in (open, openat) and proc.name = x', `  exceptions:\n    - name: e\n      fields: evt.type\n      values: ${values}\n`);
  assert.deepEqual(unknown(exception('[mseal]'), '0.38').map((f) => f.split(':')[0]), ['2 unknown-evttype mseal']);
  assert.deepEqual(unknown(exception('[seals]'), '0.38').map((f) => f.split(':')[0]), ['2 unknown-evttype seals']);
  assert.deepEqual(unknown(exception('[mseal]'), '0.39'), []);
});

test('a name written in the condition: the warning says that a loaded plugin\'s event of that name would pass', () => {
  assert.deepEqual(unknown(rule('evt.type = listns'), '0.43'), [
    `2 unknown-evttype listns: Event type 'listns' was added in Falco 0.44: the event table of Falco 0.43 does not have it, so Falco 0.43 rejects the condition ("unknown event type listns") unless a loaded plugin defines an event of that name. (LOAD_ERR_COMPILE_CONDITION)`,
  ]);
  // Said once, with no quick fix to another name (no other name is meant).
  assert.equal(unknown(rule('evt.type in (mseal, open)'), '0.38').length, 1);
  assert.deepEqual(fixesAt(FILE, rule('evt.type in (mseal, open)'), '0.38', 'unknown-evttype', /Change to/), []);
});

test('one service whose target changes: the list\'s names are looked up in each target\'s table', () => {
  const text = rule('evt.type in (seals)');
  const host = new MemoryHost({ [FILE]: text }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const doc = rulesDoc(FILE, text);
  svc.didOpenOrChange?.(doc);
  const codes = () => svc.diagnostics(doc).filter((d) => d.code === 'unknown-evttype').length;
  assert.equal(codes(), 0);
  host.config = { ...host.config, falcoVersion: '0.38' };
  assert.equal(codes(), 1);
  host.config = { ...host.config, falcoVersion: '0.44' };
  assert.equal(codes(), 0);
});
