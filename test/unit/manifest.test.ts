// The extension manifest: languages, detection of every alert format, settings, untrusted-workspace declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_FIRST_LINE, detectLanguage } from '../../server/src/service/features';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../server/src/service/host';
import { FALCO_TARGETS } from '../../server/src/knowledge/falcoVersions';

const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));
const alertsLanguage = manifest.contributes.languages.find((l: { id: string }) => l.id === 'falco-alerts');
const rulesLanguage = manifest.contributes.languages.find((l: { id: string }) => l.id === 'falco-rules');

test('the firstLine rule of the manifest is the one the server and CLI use', () => {
  assert.equal(alertsLanguage.firstLine, ALERT_FIRST_LINE.source);
});

test('the firstLine rule recognises every alert format, and not ordinary files', () => {
  const alertLines = [
    '{"hostname":"x86","output":"14:50:34.502309868: Warning Sensitive file opened","priority":"Warning","rule":"Read sensitive file untrusted"}',
    '{"output":"16:31:56.746609046: Error File below a known binary directory","priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609046Z", "output_fields": {}}',
    '{"uuid":"0b1ec8b4-5f7b-4a43-8b2f-b5f1a0c0f2a1","output":"x","priority":"Critical","rule":"Test rule","source":"syscalls"}',
    '{"event":{"output":"x","priority":"Notice","rule":"Test rule"},"outputs":["WebUI"]}',
    '14:50:34.502309868: Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow)',
    '2026-03-04T10:15:30.123456789+0000: Critical Executing binary not part of base image | proc_exe=/tmp/x',
    '19:12:25.439350000: Debug evt=user.authentication.sso user=User1',
    '10:00:00.000000000: Informational Falco internal: syscall event drop',
    'Jan  3 19:39:42 falco falco: 19:39:42.522581168: Warning Sensitive file opened',
    'Jan 13 09:01:02 node-1 falco[812]: 09:01:02.000000001: Notice Shell spawned',
    '2026-03-04T10:15:30.123456789Z stdout F 10:15:30.123456789: Notice A shell was spawned',
    '2026-03-04T10:15:30.123456789Z stdout F {"output":"x","priority":"Notice","rule":"Terminal shell in container"}',
    'Sun Jul 23 15:28:36 2023: Falco version: 0.35.1 (x86_64)',
    '2026-03-04T10:15:30+0000: Falco version: 0.44.0 (x86_64)',
  ];
  for (const line of alertLines) assert.ok(ALERT_FIRST_LINE.test(line), `recognised: ${line}`);
  for (const line of ['- rule: x', '{"name": "package"}', '12:00:00: Warning not falco', 'Warning: disk full', '# Falco notes']) {
    assert.ok(!ALERT_FIRST_LINE.test(line), `not recognised: ${line}`);
  }
});

test('every corpus alert sample is recognised by name pattern or first line', { skip: !fs.existsSync(path.join(process.cwd(), '..', 'shared', 'corpus', 'alerts')) && 'corpus absent' }, () => {
  const dir = path.join(process.cwd(), '..', 'shared', 'corpus', 'alerts');
  for (const sub of fs.readdirSync(dir)) {
    for (const name of fs.readdirSync(path.join(dir, sub))) {
      const first = fs.readFileSync(path.join(dir, sub, name), 'utf8').split(/\r?\n/)[0];
      assert.ok(ALERT_FIRST_LINE.test(first), `${sub}/${name} first line recognised: ${first.slice(0, 100)}`);
    }
  }
});

test('file name patterns of both languages agree with detectLanguage', () => {
  const rulesNames = ['falco_rules.yaml', 'falco_rules.local.yaml', 'k8s_audit_rules.yaml', 'my_rules.yml', 'rules.d/10-web.yaml', 'web.falco.yaml', 'falco-incubating_rules.yaml'];
  for (const name of rulesNames) assert.equal(detectLanguage(`/ws/${name}`, ''), 'falco-rules', name);
  for (const name of ['falco.log', 'falco-2026-01-01.log', 'falco_alerts.json', 'node.falco.jsonl', 'falco_events.json', 'falco_events.json.1']) {
    assert.equal(detectLanguage(`/ws/${name}`, ''), 'falco-alerts', name);
  }
  assert.equal(detectLanguage('/ws/values.yaml', 'replicaCount: 1'), undefined);
  assert.ok(rulesLanguage.filenamePatterns.includes('**/rules.d/*.yaml'));
  assert.ok(alertsLanguage.filenamePatterns.includes('**/falco_events*.json*'));
});

test('settings: each has a scope, paths are machine-overridable and restricted in untrusted workspaces', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { scope?: string; default?: unknown }>;
  for (const [key, value] of Object.entries(properties)) assert.ok(value.scope, `${key} has a scope`);
  for (const key of ['falcoLens.rules.files', 'falcoLens.rules.localFile', 'falcoLens.falcoConfigFile']) {
    assert.equal(properties[key].scope, 'machine-overridable');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key));
  }
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  // Unset (null): the rules files come from Falco's configuration, as on the host.
  assert.equal(properties['falcoLens.rules.files'].default, null);
  assert.equal(DEFAULT_SETTINGS.rules.files, undefined);
  assert.equal(properties['falcoLens.falcoConfigFile'].default, DEFAULT_SETTINGS.falcoConfigFile);
  assert.equal(properties['falcoLens.alerts.maxProblems'].default, DEFAULT_SETTINGS.alerts.maxProblems);
  // The target Falco release is a fact of the machine Falco runs on, like the rules files there.
  const falcoVersion = properties['falcoLens.falcoVersion'] as { scope?: string; default?: unknown; enum?: string[] };
  assert.equal(falcoVersion.scope, 'machine-overridable');
  assert.equal(falcoVersion.default, DEFAULT_SETTINGS.falcoVersion);
  assert.deepEqual(falcoVersion.enum, FALCO_TARGETS);
});

test('settings from the client are normalised; wrong types fall back to defaults', () => {
  const s = normalizeSettings({ falcoConfigFile: 3, rules: { files: 'not-a-list', localFile: '' }, alerts: { problems: 'WARNING', maxProblems: -3 } });
  assert.deepEqual(s.rules.files, DEFAULT_SETTINGS.rules.files);
  assert.equal(s.falcoConfigFile, '/etc/falco/falco.yaml');
  assert.deepEqual(normalizeSettings({ rules: { files: null } }).rules.files, undefined);
  assert.deepEqual(normalizeSettings({ rules: { files: [] } }).rules.files, []);
  assert.equal(s.rules.localFile, 'falco_rules.local.yaml');
  assert.equal(s.alerts.problems, 'warning');
  assert.equal(s.alerts.maxProblems, 500);
});
