// The rules workspace's walk and other tools' files named like rules files (session 25). The editor opens a
// Prometheus `alert_rules.yaml` or Falco Talon's rules file as plain YAML, and `falco-lens check` skips it
// (fileShape.ts isOtherToolsRulesFile), but the server's walk of the workspace folders loaded it as a rules file: parsed,
// modelled and kept with the Falco files, for nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, CORPUS } from './rules-host';

/** Prometheus alerting rules, named like a Falco rules file (the e2e workspace's). */
const PROMETHEUS = fs.readFileSync(path.join(process.cwd(), 'e2e', 'workspace', 'alert_rules.yaml'), 'utf8');
/** Falco Talon's response rules (corpus: falcosecurity/falco-talon deployment/helm/rules.yaml). */
const TALON_FILE = path.join(CORPUS, 'responses', 'falcosecurity__falco-talon', 'rules.yaml');
const TALON = fs.existsSync(TALON_FILE) ? fs.readFileSync(TALON_FILE, 'utf8') : '- action: Terminate Pod\n  actionner: kubernetes:terminate\n\n- rule: Terminal shell in container\n  match:\n    rules:\n      - Terminal shell in container\n  actions:\n    - action: Terminate Pod\n';
const FALCO = '- macro: web_server\n  condition: proc.name in (nginx, httpd)\n\n- rule: Shell in web server\n  desc: A shell in a web server\n  condition: spawned_process and web_server and proc.name = bash\n  output: shell in web server (command=%proc.cmdline)\n  priority: WARNING\n';

function workspace(files: Record<string, string>, ruleFiles: string[] = []) {
  const host = new MemoryHost(files, { folders: ['/ws'], ruleFiles });
  return { host, index: new RulesWorkspaceIndex(host) };
}
const loaded = (index: RulesWorkspaceIndex) => index.files().map((f) => f.path);
const modelled = (index: RulesWorkspaceIndex) => index.load().files.map((f) => f.path);

const FILES = {
  '/ws/monitoring/alert_rules.yaml': PROMETHEUS,
  '/ws/talon/response_rules.yaml': TALON,
  '/ws/team/web_rules.yaml': FALCO,
  '/ws/team/new_rules.yaml': '# rules for the payments team, to come\n',
  '/ws/falco_rules.local.yaml': '- list: trusted_images\n  items: []\n',
  '/ws/k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
};

test('the walk loads Falco\'s files named *_rules.yaml, and lists other tools\' with the other YAML files', () => {
  const { index } = workspace(FILES);
  assert.deepEqual(new Set(loaded(index)), new Set(['/ws/falco_rules.local.yaml', '/ws/team/web_rules.yaml', '/ws/team/new_rules.yaml']));
  assert.deepEqual(new Set(modelled(index)), new Set(loaded(index)), 'no model of the others');
  assert.ok(index.otherYamlFiles().includes('/ws/monitoring/alert_rules.yaml'));
  assert.ok(index.otherYamlFiles().includes('/ws/talon/response_rules.yaml'));
  assert.ok(index.otherYamlFiles().includes('/ws/k8s/deployment.yaml'));
  assert.ok(!index.otherYamlFiles().includes('/ws/team/web_rules.yaml'));
});

test('another tool\'s file named in Falco\'s configuration, or open in the editor as a rules file, is loaded; closed, it is not', () => {
  const configured = workspace(FILES, ['/ws/monitoring/alert_rules.yaml']);
  assert.ok(loaded(configured.index).includes('/ws/monitoring/alert_rules.yaml'), 'Falco loads the paths its configuration names');

  const { index } = workspace(FILES);
  assert.ok(!loaded(index).includes('/ws/monitoring/alert_rules.yaml'));
  // The user picked "Falco Rules" for it: the client sends it as a rules document.
  const uri = pathToUri('/ws/monitoring/alert_rules.yaml');
  index.didOpenOrChange(TextDocument.create(uri, 'falco-rules', 1, PROMETHEUS));
  assert.ok(loaded(index).includes('/ws/monitoring/alert_rules.yaml'), 'open as rules: loaded');
  index.didClose(uri);
  assert.ok(!loaded(index).includes('/ws/monitoring/alert_rules.yaml'), 'closed: no longer');
  assert.ok(index.otherYamlFiles().includes('/ws/monitoring/alert_rules.yaml'));
});

test('a file rewritten on disk is classified again: Prometheus rules replaced by Falco rules are loaded, and the other way round', () => {
  const { host, index } = workspace(FILES);
  assert.ok(!loaded(index).includes('/ws/monitoring/alert_rules.yaml'));
  host.files.set('/ws/monitoring/alert_rules.yaml', FALCO);
  host.files.set('/ws/team/web_rules.yaml', PROMETHEUS);
  index.didChangeWatchedFiles([pathToUri('/ws/monitoring/alert_rules.yaml'), pathToUri('/ws/team/web_rules.yaml')]);
  assert.ok(loaded(index).includes('/ws/monitoring/alert_rules.yaml'));
  assert.ok(!loaded(index).includes('/ws/team/web_rules.yaml'));
});
