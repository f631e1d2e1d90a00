// `capture` and `capture_duration` came with Falco 0.42.0 (commit 21350a28 "add `capture` and `capture_duration` to
// rules loader"; rule_loader_reader.cpp names neither at 0.37.0-0.41.0). Before it, decode_overrides refuses an
// override entry for them ("Key 'capture' cannot be replaced", 0.41.0:239), which refuses the whole item, and
// expected_keys holds the overridable keys only (0.41.0:660-668), so the rule's own `capture:` is no "Unexpected key":
// the reader ignores it. From 0.42 both are replaceable (0.44.0:680-690, 809-825).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList } from 'vscode-languageserver-types';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { MemoryHost, findingsAt } from './rules-host';
import { openAt, workspace } from './rules-nav-helpers';

const FILE = '/ws/rules.yaml';
const BASE = '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n';
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);
const REPLACED = '- rule: r\n  condition: or proc.name = x\n  capture: true\n  override:\n    condition: append\n    capture: replace\n';
const NO_ENTRY = '- rule: r\n  condition: or proc.name = x\n  capture: true\n  override:\n    condition: append\n';
const NO_KEY = '- rule: r\n  condition: or proc.name = x\n  override:\n    condition: append\n    capture_duration: replace\n';

function condition(text: string, target: string) {
  const host = new MemoryHost({ [FILE]: text }, { ruleFiles: [FILE] });
  host.config = { ...host.config, falcoVersion: target };
  return new RulesWorkspaceIndex(host).load().final.rules.get('r')?.condition;
}

test('before 0.42 an override of capture is refused whole; from 0.42 it is read', () => {
  for (const target of ['0.37', '0.41']) assert.equal(condition(BASE + REPLACED, target), 'evt.type = open', target);
  for (const target of ['0.42', '0.44']) assert.equal(condition(BASE + REPLACED, target), 'evt.type = open or proc.name = x', target);
  // The key itself: an information where no rules schema fails on it (0.37, 0.38), a warning from 0.39 (s21).
  for (const [target, sev] of [['0.37', 3], ['0.41', 2]]) assert.deepEqual(codes(findingsAt(FILE, BASE + REPLACED, target as string)), [`${sev} unknown-key capture`, '1 cannot-replace capture'], target as string);
});

test('before 0.42 a capture key with no override entry is ignored, not an unexpected key', () => {
  for (const target of ['0.37', '0.41']) {
    assert.equal(condition(BASE + NO_ENTRY, target), 'evt.type = open or proc.name = x', target);
    assert.deepEqual(codes(findingsAt(FILE, BASE + NO_ENTRY, target)), ['2 no-evttype condition', `${target === '0.37' ? 3 : 2} unknown-key capture`], target);
  }
  for (const target of ['0.42', '0.44']) {
    assert.equal(condition(BASE + NO_ENTRY, target), 'evt.type = open', target);
    assert.deepEqual(codes(findingsAt(FILE, BASE + NO_ENTRY, target)), ['1 missing-override-entry capture'], target);
  }
});

test('before 0.42 a replaced capture_duration the rule lacks is the reader\'s first error: it cannot be replaced', () => {
  for (const target of ['0.37', '0.41']) assert.deepEqual(codes(findingsAt(FILE, BASE + NO_KEY, target)), ['1 cannot-replace capture_duration'], target);
  assert.deepEqual(codes(findingsAt(FILE, BASE + NO_KEY, '0.44')), ['1 override-without-key capture_duration']);
});

test('completion of the operation for capture under override says which release it needs', () => {
  const text = BASE + '- rule: r\n  capture: true\n  override:\n    capture: ';
  for (const [target, needs] of [['0.41', true], ['0.44', false]] as const) {
    const { service, host } = workspace({});
    host.config = { ...host.config, falcoVersion: target };
    const { doc, position } = openAt(service, FILE, `${text}<|>`);
    const items = (service.completion!(doc, position) as CompletionList | null)?.items ?? [];
    const replace = items.find((i) => i.label === 'replace');
    assert.ok(replace, target);
    assert.equal(replace!.detail?.includes('Falco ≥ 0.42') ?? false, needs, target);
  }
});
