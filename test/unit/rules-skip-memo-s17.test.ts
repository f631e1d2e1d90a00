// The earlier files' skip findings are remembered by file model (ruleSkips.ts fileSkips): what they depend on besides
// the models of the file and the files before it is the target release, which keys them too. Settings that change the
// configured files or their order change the models before a file; the field catalog is the same at every setting
// (Falco Lens does not read falco.yaml's load_plugins: a plugin's fields are known from the catalog whatever is
// loaded). Pinned: one service, the same open documents, the settings changed between validations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

const A = '/ws/a.yaml';
const B = '/ws/b.yaml';
const X = '/ws/x.yaml';
const rule = (condition: string, extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;
const SKIP = '  skip-if-unknown-filter: true\n';
const APPEND = '- rule: r\n  condition: and proc.pid = abc\n  override:\n    condition: append\n';

function service(files: Record<string, string>, order: string[], target: string) {
  const host = new MemoryHost(files, { ruleFiles: order });
  host.config = { ...host.config, falcoVersion: target };
  const svc = createRulesService(host);
  const docs = Object.fromEntries(Object.entries(files).map(([p, text]) => [p, rulesDoc(p, text)]));
  for (const doc of Object.values(docs)) svc.didOpenOrChange?.(doc);
  /** The settings change as the server applies it: the file list is read again, every open document re-checked. */
  const set = (change: Partial<typeof host.config>) => {
    host.config = { ...host.config, ...change };
    svc.didChangeWatchedFiles?.([]);
  };
  const invalid = (path: string) => svc.diagnostics(docs[path]).filter((d) => d.code === 'invalid-value').map((d) => d.severity);
  return { set, invalid, host };
}

test('the target release: an earlier file\'s skip at a field the release lacks comes and goes with the setting', () => {
  // proc.aargs came with Falco 0.41: at 0.40 the rule is skipped there, and b.yaml's appended error is past the skip.
  const { set, invalid } = service({ [A]: rule('evt.type = open and proc.aargs = x', SKIP), [B]: APPEND }, [A, B], '0.40');
  assert.deepEqual(invalid(B), [2]);
  set({ falcoVersion: '0.44' });
  assert.deepEqual(invalid(B), [1]);
  set({ falcoVersion: '0.40' });
  assert.deepEqual(invalid(B), [2]);
});

test('the configured files and their order: the skip follows the text that stands before the file', () => {
  // x.yaml defines r again without the unknown field: before a.yaml it is replaced by a.yaml's r, after it it replaces it.
  const files = { [A]: rule('evt.type = open and proc.foo = x', SKIP), [X]: rule('evt.type = open', SKIP), [B]: APPEND };
  const { set, invalid } = service(files, [X, A, B], '0.44');
  assert.deepEqual(invalid(B), [2]);
  set({ rules: { files: [A, X, B], localFile: 'falco_rules.local.yaml' } });
  assert.deepEqual(invalid(B), [1]);
  set({ rules: { files: [X, B], localFile: 'falco_rules.local.yaml' } });
  assert.deepEqual(invalid(B), [1]);
  set({ rules: { files: [X, A, B], localFile: 'falco_rules.local.yaml' } });
  assert.deepEqual(invalid(B), [2]);
});

test('the files before an earlier file: its own skip findings depend on the rule\'s key as they leave it', () => {
  // a.yaml appends an unknown field to r: a skip where the definition standing before it has the key, an error (the
  // load fails there) else; b.yaml sets the key and appends an error, after a.yaml's skip or not.
  const Y = '/ws/y.yaml';
  const later = '- rule: r\n  condition: and proc.pid = abc\n  skip-if-unknown-filter: true\n  override:\n    condition: append\n    skip-if-unknown-filter: replace\n';
  const files = { [X]: rule('evt.type = open', SKIP), [Y]: rule('evt.type = open'), [A]: APPEND.replace('proc.pid = abc', 'proc.foo = x'), [B]: later };
  const { set, invalid } = service(files, [Y, X, A, B], '0.44');
  assert.deepEqual(invalid(B), [2]);
  set({ rules: { files: [X, Y, A, B], localFile: 'falco_rules.local.yaml' } });
  assert.deepEqual(invalid(B), [1]);
  set({ rules: { files: [Y, X, A, B], localFile: 'falco_rules.local.yaml' } });
  assert.deepEqual(invalid(B), [2]);
});

test('a later file\'s skips found for its output overrides only (an earlier file\'s check) and then for all its items agree with a fresh service', () => {
  const C = '/ws/c.yaml';
  const defs = '- list: l\n  items: [a]\n- macro: m\n  condition: proc.name = x\n';
  const q = rule('evt.type = open and proc.foo = x', SKIP).replace('rule: r', 'rule: q');
  const files = {
    [A]: defs + rule('evt.type = open and m and proc.name in (l)', SKIP),
    // b.yaml makes r skipped at its output (a.yaml's macro and list unused after it) and defines q, skipped in its condition.
    [B]: '- rule: r\n  output: o %proc.bar\n  override:\n    output: replace\n' + q,
    [C]: APPEND.replace('rule: r', 'rule: q'),
  };
  const all = (order: string[]) => {
    const host = new MemoryHost(files, { ruleFiles: [A, B, C] });
    const svc = createRulesService(host);
    const docs = Object.fromEntries(Object.entries(files).map(([p, text]) => [p, rulesDoc(p, text)]));
    for (const doc of Object.values(docs)) svc.didOpenOrChange?.(doc);
    return Object.fromEntries(order.map((p) => [p, svc.diagnostics(docs[p]).map((d) => `${d.severity} ${d.code} ${d.message}`)]));
  };
  const first = all([A, C, B]);
  assert.deepEqual(first, all([C, B, A]));
  assert.deepEqual(first[A].map((f) => f.split(' ').slice(0, 2).join(' ')), ['3 unused-list', '3 unused-macro']);
  assert.deepEqual(first[C].map((f) => f.split(' ').slice(0, 2).join(' ')), ['2 invalid-value']);
});
