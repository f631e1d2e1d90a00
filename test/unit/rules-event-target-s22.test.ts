// Session 22: the evt.type values of completion and hover follow the target release's event table
// (knowledge/olderEventTables.ts, generated from each release's libs), not the latest one. close_range had no event of
// its own up to Falco 0.43 (the generic codes 0 and 1); mseal came with 0.39, so a list of it is no list of events
// for Falco 0.38 (unknown-evttype: Falco refuses the condition).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList } from 'vscode-languageserver-types';
import { hoverMarkdownAt, openAt, workspace } from './rules-nav-helpers';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, lists = '') => `${lists}- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

function complete(marked: string, falcoVersion: string) {
  const { service, host } = workspace({});
  host.config = { ...host.config, falcoVersion };
  const { doc, position } = openAt(service, FILE, marked);
  return (service.completion!(doc, position) as CompletionList | null)?.items ?? [];
}

test('event hover: the codes and libs of the target\'s event table', () => {
  assert.match(hoverMarkdownAt(rule('evt.type = close_ra<|>nge'), '0.44'), /^\*\*Event type\*\* `close_range` — one event code in the event table of libs 0\.25\.2\.$/);
  assert.match(hoverMarkdownAt(rule('evt.type = close_ra<|>nge'), '0.43'), /^\*\*Event type\*\* `close_range` — a system call without an event of its own: Falco reads it from the generic events/);
  assert.match(hoverMarkdownAt(rule('evt.type in (op<|>en, openat)'), '0.41'), /^\*\*Event type\*\* `open` — 2 event codes in the event table of libs 0\.21\.0\.$/);
  // A name the target lacks: the latest table's codes, and that the target rejects it (as before).
  assert.match(hoverMarkdownAt(rule('evt.type in (mse<|>al)'), '0.38'), /generic events \(event codes 0 and 1\)\.\n\nAdded in Falco 0\.39: Falco 0\.38 rejects it/);
});

test('evt.type completion: each name\'s codes at the target; lists of events the target lacks are not offered', () => {
  const detail = (target: string) => complete(rule('evt.type = <|>'), target).find((i) => i.label === 'close_range')?.detail;
  assert.equal(detail('0.44'), 'event type, 1 event code');
  assert.equal(detail('0.37'), 'syscall (generic event codes 0, 1)');
  const lists = '- list: seals\n  items: [mseal]\n- list: opens\n  items: [open, openat]\n- list: both\n  items: [opens, seals]\n';
  const offered = (target: string) => complete(rule('evt.type in (<|>)', lists), target).map((i) => i.label).filter((l) => ['seals', 'opens', 'both'].includes(l));
  assert.deepEqual(offered('0.44'), ['seals', 'opens', 'both']);
  assert.deepEqual(offered('0.38'), ['opens']);
  // What was left out is what Falco 0.38 refuses once it pastes the list's items (resolve_list).
  assert.ok(findingsAt(FILE, rule('evt.type in (mseal)'), '0.38').some((f) => f.includes('unknown-evttype mseal')));
});
