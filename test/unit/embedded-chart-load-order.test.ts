// A chart's customRules loaded where the values' falco.rules_files puts them (75dfab8): the alerts' tuning reads where
// the local rules file is read against a block defining the rule again, and a block read before a rules file outside
// rules.d is said to be checked after the workspace's rules files. The chart's Falco reads a local rules file of the
// workspace only where the values mount one there (embedded/regions.ts ChartValues): the order matters then (MOUNT);
// otherwise the block does not keep tuning out of the local file, whose Falco does not read the block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';

const TEAM = `customRules:\n  team.yaml: |-\n${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private', '    ')}`;
const values = (...paths: string[]) => `${TEAM}\nfalco:\n  rules_files:\n${paths.map((p) => `    - ${p}\n`).join('')}`;
/** The values' own mount of a local rules file over the path the chart's rules_files reads (mounts.volumeMounts). */
const MOUNT = 'mounts:\n  volumes:\n    - name: local-rules\n      configMap:\n        name: falco-local-rules\n  volumeMounts:\n    - name: local-rules\n      mountPath: /etc/falco/falco_rules.local.yaml\n      subPath: falco_rules.local.yaml\n';

function open(valuesText: string) {
  const base = '/etc/falco/falco_rules.yaml';
  const local = '/etc/falco/falco_rules.local.yaml';
  const host = new MemoryHost({ [base]: KEY_RULE('evt.type = open and fd.name startswith /etc/ssl/private'), [local]: '' }, { ruleFiles: [base, local], folders: ['/ws'] });
  host.config = { ...host.config, rules: { ...host.config.rules, localFile: local } };
  const service = new FalcoLanguageService(host);
  const valuesDoc = TextDocument.create('file:///ws/charts/falco/values.yaml', 'yaml', 1, valuesText);
  service.embedded.didOpenOrChange?.(valuesDoc);
  const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
  service.alerts.didOpenOrChange?.(log);
  const actions = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  const diagnostics = service.embedded.diagnostics(valuesDoc).filter((d) => String(d.code).startsWith('embedded-'));
  return { actions, diagnostics, valuesText, report: service.alerts.report(`${KEY_ALERT}\n`, 'file:///logs/keys.json').replace(/\\(.)/g, '$1') };
}

const LOCAL_FIX = 'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to falco_rules.local.yaml';

test('a block the values place before a local rules file they mount does not keep tuning out of it', () => {
  // Falco reads team.yaml, then falco_rules.local.yaml: the local file's override applies to team.yaml's definition.
  const { actions, report } = open(`${values('/etc/falco/falco_rules.yaml', '/etc/falco/rules.d/team.yaml', '/etc/falco/falco_rules.local.yaml')}${MOUNT}`);
  const titles = actions.map((a) => a.title);
  assert.ok(!actions.some((a) => a.disabled), titles.join('\n'));
  assert.ok(actions.some((a) => a.edit && a.title === LOCAL_FIX), titles.join('\n'));
  assert.ok(!report.includes('**Not in your local rules file:**'), report);
  // Named after it (or by the folder, the chart's order), the block's definition still replaces the override.
  for (const after of [values('/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d'), TEAM]) {
    const blocked = open(`${after}\n${MOUNT}`).actions.find((a) => a.disabled);
    assert.match(blocked?.disabled?.reason ?? '', /^charts\/falco\/values\.yaml, customRules 'team\.yaml' defines this rule again, and Falco reads it from \/etc\/falco\/rules\.d, after /);
  }
});

test('a block whose chart\'s Falco does not read the workspace\'s local rules file leaves it to its own Falco; ${VAR} is said', () => {
  // Not mounted (the chart's default: falcoctl's emptyDir, or the image's file), or not named by rules_files: the
  // block is tuned for the chart's Falco, the local file for the Falco that reads it.
  for (const text of [values('/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d'), TEAM, `${values('/etc/falco/falco_rules.yaml', '/etc/falco/rules.d')}${MOUNT}`]) {
    const { actions } = open(text);
    assert.ok(!actions.some((a) => a.disabled), actions.map((a) => a.title).join('\n'));
    assert.deepEqual(actions.filter((a) => a.edit && a.title.startsWith('Add exception for this file')).map((a) => a.title), [
      'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to charts/falco/values.yaml, customRules \'team.yaml\'',
      `${LOCAL_FIX}, which the chart's Falco does not read`,
    ]);
  }
  const unknown = open(values('${RULES}/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d')).actions.find((a) => a.disabled);
  assert.match(unknown?.disabled?.reason ?? '', /Falco Lens cannot tell whether Falco reads \/etc\/falco\/falco_rules\.local\.yaml after it/);
});

test('a block the values name before a rules file outside rules.d is noted: checked after the workspace\'s rules files', () => {
  const first = open(values('/etc/falco/rules.d/team.yaml', '/etc/falco/falco_rules.yaml', '/etc/falco/rules.d'));
  const notes = first.diagnostics.map((d) => [d.code, d.severity, first.valuesText.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character), String(d.message)]);
  assert.equal(notes.length, 1, JSON.stringify(notes));
  assert.deepEqual(notes[0].slice(0, 3), ['embedded-rules-loads-before', 3, 'team.yaml']);
  assert.match(String(notes[0][3]), /^Falco reads 'team\.yaml' before \/etc\/falco\/falco_rules\.yaml \(falco\.rules_files names \/etc\/falco\/rules\.d\/team\.yaml first\), but Falco Lens checks it after the workspace's rules files/);
  // The folder before the file names every block; the chart's order (rules.d last) and no rules_files say nothing.
  assert.equal(open(values('/etc/falco/rules.d', '/etc/falco/falco_rules.yaml')).diagnostics.filter((d) => d.code === 'embedded-rules-loads-before').length, 1);
  assert.deepEqual(open(values('/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d')).diagnostics, []);
  assert.deepEqual(open(TEAM).diagnostics, []);
});
