// The rules a falco.yaml's hovers, completions and selection checks count: those of the rules files its rules_files
// names (merged with its config_files, folders expanded as the rules workspace expands them), not the workspace's
// other rules files nor a Helm chart's customRules; a chart's own configuration (the falco: values, a ConfigMap's
// falco.yaml) keeps its customRules.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionList, Hover, MarkupContent } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost } from './rules-host';
import { openHost, positionOf } from './embedded-helpers';
import { doc, show } from './config-service-helpers';

const rule = (name: string, priority: string) =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = execve and proc.name = x\n  output: o (proc.name=%proc.name)\n  priority: ${priority}\n  tags: [t]\n`;

const FILES: Record<string, string> = {
  '/etc/falco/falco_rules.yaml': rule('Base rule', 'ERROR') + rule('Base debug rule', 'DEBUG'),
  '/etc/falco/rules.d/team.yaml': rule('Team rule', 'WARNING'),
  '/etc/falco/rules.d/notes.txt': rule('Never loaded', 'ERROR'),
  '/work/rules/other_rules.yaml': rule('Workspace rule', 'CRITICAL'),
};

const VALUES = `customRules:\n  rules-nginx.yaml: |-\n${rule('Shell spawned by nginx', 'WARNING').replace(/^(?=.)/gm, '    ')}\nfalco:\n  rules:\n    - disable:\n        rule: Shell spawned by nginx\n`;

function setup() {
  const host = new MemoryHost(FILES, { folders: ['/work'] });
  host.config = { ...host.config, falcoVersion: '0.44', rules: { ...host.config.rules, files: undefined } };
  const service = new FalcoLanguageService(host);
  // An open values file: its customRules are rules of the workspace's service (for alert logs), in its chart's pod.
  openHost(service, VALUES, pathToUri('/work/deploy/values.yaml'));
  return { host, service };
}

function hoverText(h: Hover | null | undefined): string {
  return h ? (h.contents as MarkupContent).value : '';
}

function labels(list: CompletionList | null | undefined): string[] {
  return (list?.items ?? []).map((i) => i.label).sort();
}

test('a falco.yaml counts the rules of the files its rules_files names, not the workspace\'s others nor a chart\'s customRules', () => {
  const { service } = setup();
  const everything = service.rules.allRules().map((r) => r.name).sort();
  assert.deepEqual(everything, ['Base debug rule', 'Base rule', 'Shell spawned by nginx', 'Team rule', 'Workspace rule'], 'the rules workspace and the open values file');
  const text = [
    'priority: warning',
    'rules_files:',
    '  - /etc/falco/falco_rules.yaml',
    '  - /etc/falco/rules.d',
    'stdout_output:',
    '  enabled: true',
    'rules:',
    '  - disable:',
    '      rule: Shell spawned by nginx',
    '  - enable:',
    '      rule: Workspace rule',
    '  - disable:',
    '      rule: "*rule"',
    '  - disable:',
    '      rule: ',
    '',
  ].join('\n');
  const d = doc('/work/falco.yaml', text);
  const priority = hoverText(service.config.hover!(d, { line: 0, character: 12 }));
  assert.match(priority, /Of the 3 loaded rules, 2 are at Warning or more severe and load; 1 are dropped/);
  const star = hoverText(service.config.hover!(d, { line: 12, character: 14 }));
  assert.match(star, /Disables 3 of the 3 loaded rules/);
  assert.doesNotMatch(star, /Workspace rule|nginx|Never loaded/);
  assert.deepEqual(labels(service.config.completion!(d, { line: 14, character: 12 })), ['Base debug rule', 'Base rule', 'Team rule']);
  // Selections of rules this configuration does not load select nothing (the last one is being typed).
  const found = service.config.diagnostics(d);
  assert.deepEqual(found.map((x) => [x.code, x.range.start.line]), [['config-wrong-type', 14], ['config-selects-nothing', 8], ['config-selects-nothing', 10]], show(found));
  // The list changes with rules_files: a file named alone.
  const one = doc('/work/falco.yaml', text.replace('  - /etc/falco/rules.d\n', '  - /work/rules/other_rules.yaml\n'), 2);
  assert.match(hoverText(service.config.hover!(one, { line: 0, character: 12 })), /Of the 3 loaded rules, 2 are at Warning/);
  assert.deepEqual(labels(service.config.completion!(one, { line: 14, character: 12 })), ['Base debug rule', 'Base rule', 'Workspace rule']);
  // Paths that are not on this machine (a falco.yaml of a repository): what they hold where Falco runs is unknown, so
  // no selection is judged; hovers and completion offer the workspace's rules files' rules instead, saying so, and
  // never a chart's customRules.
  const elsewhere = doc('/work/falco.yaml', text.replace(/\/etc\/falco\//g, '/opt/falco/'), 3);
  assert.deepEqual(service.config.diagnostics(elsewhere).map((x) => x.code), ['config-wrong-type'], 'only the selection being typed');
  const standIn = hoverText(service.config.hover!(elsewhere, { line: 12, character: 14 }));
  assert.match(standIn, /Disables 4 of the 4 rules of the workspace's rules files \(the paths of rules_files are not on this machine\)/);
  assert.doesNotMatch(standIn, /nginx/);
  assert.deepEqual(labels(service.config.completion!(elsewhere, { line: 14, character: 12 })), ['Base debug rule', 'Base rule', 'Team rule', 'Workspace rule']);
});

test('a chart\'s configuration keeps the chart\'s customRules: the falco: values and a ConfigMap\'s falco.yaml', () => {
  const { service } = setup();
  const values = openHost(service, VALUES, pathToUri('/work/deploy/values.yaml'));
  assert.deepEqual(service.embedded.diagnostics(values).map((x) => x.code), []);
  const at = positionOf(VALUES, 'rule: Shell spawned by nginx', 8, 1);
  assert.match(hoverText(service.embedded.hover!(values, at)), /Disables 1 of the \d+ loaded rules/);
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: |-\n    stdout_output:\n      enabled: true\n    rules_files: [/etc/falco/falco_rules.yaml, /etc/falco/rules.d]\n    rules:\n      - disable:\n          rule: Shell spawned by nginx\n';
  const cm = openHost(service, configMap, pathToUri('/work/deploy/cm.yaml'));
  assert.deepEqual(service.embedded.diagnostics(cm).map((x) => x.code), []);
  assert.match(hoverText(service.embedded.hover!(cm, positionOf(configMap, 'rule: Shell', 8))), /Disables 1 of the \d+ loaded rules/);
});
