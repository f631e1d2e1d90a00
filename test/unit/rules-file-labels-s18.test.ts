// Messages that name another loaded rules file (unused macros and lists, the places of definitions) name it by its
// base name only where no other loaded file has that name: two folders' falco_rules.yaml are told apart by their path
// relative to the workspace folder, cut to the shortest end that no other such file has (workspace.ts fileLabels).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost, rulesDoc } from './rules-host';
import { createRulesService } from '../../server/src/service/rules';
import { fileLabels } from '../../server/src/service/rules/workspace';

const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
const DEFS = '- list: l\n  items: [a]\n- macro: m\n  condition: proc.name = x\n';
const USES = 'evt.type = open and m and proc.name in (l)';

function messages(files: Record<string, string>, folders: string[]): Record<string, string[]> {
  const host = new MemoryHost(files, { folders, ruleFiles: Object.keys(files) });
  host.config = { ...host.config, falcoVersion: '0.44' };
  const svc = createRulesService(host);
  const docs = Object.entries(files).map(([p, text]) => rulesDoc(p, text));
  for (const doc of docs) svc.didOpenOrChange?.(doc);
  return Object.fromEntries(docs.map((doc) => [doc.uri.replace('file://', ''), svc.diagnostics(doc).map((d) => `${d.code}: ${d.message}`)]));
}

test('two loaded files named falco_rules.yaml: the unused-macro and unused-list messages name the later one by its path', () => {
  const found = messages({ '/ws/a/falco_rules.yaml': DEFS + rule(USES), '/ws/b/falco_rules.yaml': rule('evt.type = open') }, ['/ws']);
  const unused = found['/ws/a/falco_rules.yaml'].filter((m) => m.startsWith('unused-'));
  assert.equal(unused.length, 2);
  for (const m of unused) {
    assert.match(m, /, up to b\/falco_rules\.yaml, only in text dropped .* the definition at line 1 of b\/falco_rules\.yaml replaces\. .* it warns when it loads b\/falco_rules\.yaml that the (list|macro) is unused\./);
  }
  // One file of that name: its base name, as before.
  const alone = messages({ '/ws/a/rules.yaml': DEFS + rule(USES), '/ws/b/falco_rules.yaml': rule('evt.type = open') }, ['/ws'])['/ws/a/rules.yaml'];
  assert.match(alone.find((m) => m.startsWith('unused-macro'))!, /up to falco_rules\.yaml, .* line 1 of falco_rules\.yaml replaces/);
});

test('a later file of the same name that changes a macro: the no-evttype message names it by its path', () => {
  const base = '- macro: m\n  condition: evt.type = open\n' + rule('m');
  const found = messages({ '/ws/one/falco_rules.yaml': base, '/ws/two/falco_rules.yaml': '- macro: m\n  condition: proc.name = x\n' }, ['/ws']);
  const said = found['/ws/one/falco_rules.yaml'].find((m) => m.startsWith('no-evttype'));
  assert.match(said ?? '', /line 1 of two\/falco_rules\.yaml \(a later file\).* Falco warns when it loads two\/falco_rules\.yaml,/);
});

test('fileLabels: the shortest distinguishing end of the workspace-relative path, a file outside the folders by its whole path', () => {
  const f = (p: string) => ({ uri: `file://${p}`, path: p });
  assert.deepEqual(fileLabels([f('/ws/x/a/falco_rules.yaml'), f('/ws/y/a/falco_rules.yaml'), f('/ws/x/a/other.yaml')], ['/ws']),
    ['x/a/falco_rules.yaml', 'y/a/falco_rules.yaml', 'other.yaml']);
  assert.deepEqual(fileLabels([f('/ws/rules/p/q/r.yaml'), f('/ws/rules/s/q/r.yaml')], ['/ws']), ['…/p/q/r.yaml', '…/s/q/r.yaml']);
  // A path that ends another's is written whole; outside every folder: the whole path.
  assert.deepEqual(fileLabels([f('/ws/falco_rules.yaml'), f('/ws/sub/falco_rules.yaml'), f('/etc/falco/falco_rules.yaml')], ['/ws']),
    ['falco_rules.yaml', 'sub/falco_rules.yaml', '/etc/falco/falco_rules.yaml']);
  // Two paths of one file (a link; `file` names the file): no namesakes.
  assert.deepEqual(fileLabels([{ ...f('/etc/falco/team_rules.yaml'), file: 'a' }, { ...f('/etc/falco/rules.d/team_rules.yaml'), file: 'a' }], ['/ws']),
    ['team_rules.yaml', 'team_rules.yaml']);
  // Several workspace folders: the folder's name first, as displayPath writes it.
  assert.deepEqual(fileLabels([f('/one/falco_rules.yaml'), f('/two/falco_rules.yaml')], ['/one', '/two']), ['one/falco_rules.yaml', 'two/falco_rules.yaml']);
  // The same path loaded twice is one file; a file inside another document is named by its key.
  assert.deepEqual(fileLabels([f('/ws/falco_rules.yaml'), f('/ws/falco_rules.yaml'), { uri: 'file:///ws/values.yaml#falco-lens-embedded-0/falco_rules.yaml' }], ['/ws']),
    ['falco_rules.yaml', 'falco_rules.yaml', 'falco_rules.yaml']);
});
