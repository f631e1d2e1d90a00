// Alert tuning titles and workspace-symbol containers name a rules file as the rules service's messages do
// (rules/workspace.ts fileLabels): its base name, more of its path where another loaded file has that name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';

const OTHER = '- rule: Other\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n';

function titles(files: Record<string, string>, localFile: string): string[] {
  const host = new MemoryHost(files, { folders: ['/ws'] });
  host.config = { ...host.config, rules: { ...host.config.rules, localFile } };
  const service = new FalcoLanguageService(host);
  const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
  service.alerts.didOpenOrChange?.(log);
  return service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).map((a) => a.title);
}

test('a tuning title names a loaded rules file that shares its base name with another by its path', () => {
  // The rule's file under rules.d loads after the local file: greyed out, naming the rule's file.
  const blocked = titles({ '/ws/a/rules.d/zz_rules.yaml': KEY_RULE('evt.type = open'), '/ws/b/rules.d/zz_rules.yaml': OTHER, '/ws/falco_rules.local.yaml': '' }, 'falco_rules.local.yaml');
  assert.ok(blocked.includes('Add exception or disable rule: not in falco_rules.local.yaml, which Falco loads before a/rules.d/zz_rules.yaml'), blocked.join('\n'));
  // The local file, loaded or not yet created, beside another file of its name.
  for (const local of [{ '/ws/team/falco_rules.local.yaml': '' }, {}] as Record<string, string>[]) {
    const found = titles({ '/ws/falco_rules.yaml': KEY_RULE('evt.type = open'), '/ws/other/falco_rules.local.yaml': '', ...local }, 'team/falco_rules.local.yaml');
    assert.ok(found.includes('Disable rule "Backup tool reads keys" in team/falco_rules.local.yaml (last resort: it stops all its alerts)'), found.join('\n'));
  }
  // No namesake: the base name, as before.
  const alone = titles({ '/ws/falco_rules.yaml': KEY_RULE('evt.type = open'), '/ws/team/falco_rules.local.yaml': '' }, 'team/falco_rules.local.yaml');
  assert.ok(alone.includes('Disable rule "Backup tool reads keys" in falco_rules.local.yaml (last resort: it stops all its alerts)'), alone.join('\n'));
});

test('workspace symbols: the container of a rules file, and of a values file holding rules, told apart from its namesake', () => {
  const host = new MemoryHost({ '/ws/a/falco_rules.yaml': KEY_RULE('evt.type = open'), '/ws/b/falco_rules.yaml': OTHER, '/ws/c/extra_rules.yaml': OTHER.replace('Other', 'Third') }, { folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  for (const chart of ['x', 'y']) {
    const values = `customRules:\n  team.yaml: |-\n    - macro: m_${chart}\n      condition: evt.type = open\n`;
    service.embedded.didOpenOrChange?.(TextDocument.create(`file:///ws/charts/${chart}/values.yaml`, 'yaml', 1, values));
  }
  const containers = Object.fromEntries(service.workspaceSymbols('').map((s) => [s.name, s.containerName]));
  assert.deepEqual(containers, {
    'Backup tool reads keys': 'a/falco_rules.yaml', Other: 'b/falco_rules.yaml', Third: 'extra_rules.yaml',
    m_x: '…/x/values.yaml, customRules \'team.yaml\'', m_y: '…/y/values.yaml, customRules \'team.yaml\'',
  });
});
