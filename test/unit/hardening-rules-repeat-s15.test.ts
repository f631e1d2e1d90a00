// A configured rules path named twice (the same path listed twice, or a folder and a file in it) is loaded twice, as
// Falco loads it (load_rules_files.cpp 0.44.0:45-49, 64; configuration.cpp:701-742; the same at 0.37.0), and the
// file says so on its first item: the second load silently replaces its rules, macros and lists (define_info,
// rule_loader_collector.cpp), undoing the files loaded between, and applies its appends again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { MemoryHost, rulesDoc } from './rules-host';

const BASE = '- list: shells\n  items: [bash]\n- macro: shell_proc\n  condition: proc.name in (shells)\n'
  + '- rule: Shell\n  desc: d\n  condition: evt.type = execve and shell_proc\n  output: "o | p=%proc.name"\n  priority: INFO\n';
const APPEND = '- list: shells\n  items: [zsh]\n  override:\n    items: append\n';
const FILES = { '/etc/falco/falco_rules.yaml': BASE, '/etc/falco/rules.d/team.yaml': APPEND };

test('one path listed twice loads twice: the second load of the base file undoes the append between', () => {
  const host = new MemoryHost(FILES, { ruleFiles: ['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d/team.yaml', '/etc/falco/falco_rules.yaml'] });
  const load = new RulesWorkspaceIndex(host).load();
  assert.deepEqual(load.files.map((f) => f.path), ['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d/team.yaml', '/etc/falco/falco_rules.yaml']);
  assert.deepEqual(load.final.lists.get('shells')?.items, ['bash']);
  const svc = createRulesService(host);
  const doc = rulesDoc('/etc/falco/falco_rules.yaml', BASE);
  svc.didOpenOrChange?.(doc);
  const found = svc.diagnostics(doc).filter((d) => d.code === 'rules-file-loaded-again');
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 3);
  assert.equal(found[0].range.start.line, 0);
  assert.match(String(found[0].message), /'\/etc\/falco\/falco_rules\.yaml' is listed twice/);
  assert.match(String(found[0].message), /undoing what team\.yaml \(loaded between\)/);
});

test('a folder and a file in it both listed: the append is applied twice, said at the file', () => {
  const host = new MemoryHost(FILES, { ruleFiles: ['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d', '/etc/falco/rules.d/team.yaml'] });
  const load = new RulesWorkspaceIndex(host).load();
  assert.deepEqual(load.final.lists.get('shells')?.items, ['bash', 'zsh', 'zsh']);
  const svc = createRulesService(host);
  const doc = rulesDoc('/etc/falco/rules.d/team.yaml', APPEND);
  svc.didOpenOrChange?.(doc);
  const found = svc.diagnostics(doc).filter((d) => d.code === 'rules-file-loaded-again');
  assert.equal(found.length, 1);
  assert.match(String(found[0].message), /'\/etc\/falco\/rules\.d' names it, and '\/etc\/falco\/rules\.d\/team\.yaml' again/);
  // The base file is loaded once: nothing said there.
  const base = rulesDoc('/etc/falco/falco_rules.yaml', BASE);
  svc.didOpenOrChange?.(base);
  assert.deepEqual(svc.diagnostics(base).filter((d) => d.code === 'rules-file-loaded-again'), []);
});

test('a file loaded twice is one text for definitions, references and renames (no doubled locations or edits)', () => {
  const host = new MemoryHost({ '/ws/falco_rules.yaml': BASE }, { folders: ['/ws'], ruleFiles: ['/ws/falco_rules.yaml', '/ws/falco_rules.yaml'] });
  const svc = createRulesService(host);
  const doc = rulesDoc('/ws/falco_rules.yaml', BASE);
  svc.didOpenOrChange?.(doc);
  const at = { line: 3, character: BASE.split('\n')[3].indexOf('shells') + 1 };
  assert.equal(svc.definition?.(doc, at)?.length, 1);
  assert.equal(svc.references?.(doc, at, true)?.length, 2);
  const edit = svc.rename?.(doc, at, 'login_shells');
  const edits: unknown[] = [...Object.values(edit?.changes ?? {}).flat(), ...(edit?.documentChanges ?? []).flatMap((c) => ('edits' in c ? c.edits : []))];
  assert.equal(edits.length, 2);
  assert.equal(svc.workspaceSymbols?.('shells').filter((s) => s.name === 'shells').length, 1);
});
