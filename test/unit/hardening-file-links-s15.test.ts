// A rules file the workspace reaches through several file links is loaded once (workspace.ts files(): one entry, the
// other paths as aliases). Loaded once per path, every definition in it was a redefinition of itself, and an append in
// it was applied twice. The configured rules paths stay as Falco reads them: two paths of one file load twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { FileLinkHost, rulesDoc } from './rules-host';

const BASE = '- list: shells\n  items: [bash]\n- macro: shell_proc\n  condition: proc.name in (shells)\n'
  + '- rule: Shell\n  desc: d\n  condition: evt.type = execve and shell_proc\n  output: "o | p=%proc.name"\n  priority: INFO\n';
const APPEND = '- list: shells\n  items: [zsh]\n  override:\n    items: append\n';
const FILES = { '/ws/falco_rules.yaml': BASE, '/shared/team_rules.yaml': APPEND, '/ws/x/unrelated.txt': '' };
// Two links to one tuning file, in two folders of the workspace.
const LINKS = { '/ws/a/team_rules.yaml': '/shared/team_rules.yaml', '/ws/b/team_rules.yaml': '/shared/team_rules.yaml' };
const A = pathToUri('/ws/a/team_rules.yaml');
const B = pathToUri('/ws/b/team_rules.yaml');

test('a rules file reached through two file links is listed and loaded once, under the first path in load order', () => {
  const host = new FileLinkHost(FILES, LINKS);
  const index = new RulesWorkspaceIndex(host);
  assert.deepEqual(index.files().map((f) => f.path), ['/ws/falco_rules.yaml', '/ws/a/team_rules.yaml']);
  const load = index.load();
  assert.deepEqual(load.files.map((f) => f.uri), [pathToUri('/ws/falco_rules.yaml'), A]);
  // The append applied once.
  assert.deepEqual(load.final.lists.get('shells')?.items, ['bash', 'zsh']);
});

test('the path the editor has open names the file (its diagnostics, references), at the first path\'s place', () => {
  const host = new FileLinkHost(FILES, LINKS);
  const svc = createRulesService(host);
  const doc = rulesDoc('/ws/b/team_rules.yaml', APPEND);
  svc.didOpenOrChange?.(doc);
  // No finding of the file against a copy of itself (a redefinition, a use before definition...).
  assert.deepEqual(svc.diagnostics(doc).map((d) => d.code), []);
  const base = rulesDoc('/ws/falco_rules.yaml', BASE);
  svc.didOpenOrChange?.(base);
  const at = { line: 3, character: BASE.split('\n')[3].indexOf('shells') + 2 };
  const refs = (svc.references?.(base, at, true) ?? []).map((r) => r.uri).sort();
  assert.deepEqual(refs, [pathToUri('/ws/falco_rules.yaml'), pathToUri('/ws/falco_rules.yaml'), B].sort());
  // Both links open: each is checked at the file's place with its own text, neither against the other.
  const other = rulesDoc('/ws/a/team_rules.yaml', APPEND);
  svc.didOpenOrChange?.(other);
  assert.deepEqual(svc.diagnostics(other).map((d) => d.code), []);
  assert.deepEqual(svc.diagnostics(doc).map((d) => d.code), []);
});

test('a workspace link to a configured rules file is that file, loaded at its configured place', () => {
  const host = new FileLinkHost({ ...FILES, '/etc/falco/falco_rules.yaml': BASE }, { '/ws/falco_rules.yaml': '/etc/falco/falco_rules.yaml' },
    { folders: ['/ws'], ruleFiles: ['/etc/falco/falco_rules.yaml'] });
  host.files.delete('/ws/falco_rules.yaml');
  const index = new RulesWorkspaceIndex(host);
  assert.deepEqual(index.load().files.map((f) => f.path), ['/etc/falco/falco_rules.yaml']);
  // Opened by its workspace path: the open document names the configured file.
  const svc = createRulesService(host);
  const doc = rulesDoc('/ws/falco_rules.yaml', BASE);
  svc.didOpenOrChange?.(doc);
  assert.deepEqual(svc.diagnostics(doc).map((d) => d.code), []);
});

test('configured paths keep Falco\'s reading: two paths of one file load twice, as Falco loads them', () => {
  // Falco 0.44.0 loads every path rules_files expands to (load_rules_files.cpp:45-49, 64), repeats included.
  const host = new FileLinkHost({ '/etc/falco/falco_rules.yaml': BASE, '/etc/falco/team_rules.yaml': APPEND }, { '/etc/falco/rules.d/team_rules.yaml': '/etc/falco/team_rules.yaml' },
    { folders: [], ruleFiles: ['/etc/falco/falco_rules.yaml', '/etc/falco/team_rules.yaml', '/etc/falco/rules.d/team_rules.yaml'] });
  const load = new RulesWorkspaceIndex(host).load();
  assert.deepEqual(load.files.map((f) => f.path), ['/etc/falco/falco_rules.yaml', '/etc/falco/team_rules.yaml', '/etc/falco/rules.d/team_rules.yaml']);
  assert.deepEqual(load.final.lists.get('shells')?.items, ['bash', 'zsh', 'zsh']);
});
