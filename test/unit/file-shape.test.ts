// Which YAML files a broad name pattern (`*_rules.yaml`, `rules.d/*.yaml`) gave to Falco Lens are not Falco rules
// files: the client reopens those as YAML and the CLI skips them in folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isBroadRulesFileName, rulesFileShape } from '../../server/src/service/fileShape';

const corpus = join(process.cwd(), '..', 'shared', 'corpus');

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? yamlFilesUnder(p) : /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

test('every rules file of the corpus is a Falco rules file', (t) => {
  if (!existsSync(join(corpus, 'rules'))) { t.skip(`corpus absent at ${corpus}`); return; }
  const files = yamlFilesUnder(join(corpus, 'rules'));
  assert.ok(files.length >= 9, `${files.length} files`);
  for (const f of files) assert.equal(rulesFileShape(readFileSync(f, 'utf8')), 'falco', f);
});

test('Falco Talon response rules (corpus) are foreign', (t) => {
  const talon = join(corpus, 'responses', 'falcosecurity__falco-talon', 'rules.yaml');
  if (!existsSync(talon)) { t.skip(`corpus absent at ${corpus}`); return; }
  assert.equal(rulesFileShape(readFileSync(talon, 'utf8')), 'foreign');
});

test('other tools\' rules files are foreign', () => {
  const prometheus = '# Prometheus alerting rules\ngroups:\n  - name: example\n    rules:\n      - alert: HighRequestLatency\n        expr: job:request_latency_seconds:mean5m{job="myjob"} > 0.5\n        for: 10m\n        annotations:\n          description: latency\n';
  assert.equal(rulesFileShape(prometheus), 'foreign');
  const operator = 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\nspec:\n  groups: []\n';
  assert.equal(rulesFileShape(operator), 'foreign');
  // Falco rules carried as a string inside a Kubernetes ConfigMap: the file itself is a ConfigMap.
  const configMap = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  custom_rules.yaml: |-\n    - rule: Shell\n      condition: proc.name = bash\n';
  assert.equal(rulesFileShape(configMap), 'foreign');
  const list = '- name: block ssh\n  match: {port: 22}\n- name: allow web\n  match: {port: 443}\n';
  assert.equal(rulesFileShape(list), 'foreign');
});

test('Falco files in every shape stay Falco files', () => {
  const cases: Record<string, string> = {
    plain: '- rule: Shell\n  desc: d\n  condition: proc.name = bash\n  output: o\n  priority: WARNING\n',
    'after a header and a document marker': '# Copyright\n#\n---\n\n- required_engine_version: 0.26.0\n',
    'indented sequence': '  - macro: m\n    condition: evt.type = open\n',
    'quoted key': '- "list": shells\n  items: [bash]\n',
    'flow item': '- {rule: Shell, enabled: false}\n',
    'CRLF line ends': '- list: shells\r\n  items: [bash]\r\n',
    'items after an unknown one': '- name: odd\n- rule: Shell\n  enabled: false\n',
    // Written without dashes: a Falco file with a structure error, which Falco Lens should explain.
    'mapping of rule keys': 'rule: Shell\ncondition: proc.name = bash\n',
    'mapping of a condition': 'condition: proc.name = bash\n',
  };
  for (const [name, text] of Object.entries(cases)) assert.equal(rulesFileShape(text), 'falco', name);
});

test('files that cannot be told apart stay with Falco Lens', () => {
  const cases: Record<string, string> = {
    empty: '',
    comments: '# my rules, to come\n\n',
    'a rule being typed with a misspelt item key': '- rul: Shell\n  condition: proc.name = bash\n',
    'a bare sequence of scalars': '- bash\n- sh\n',
  };
  for (const [name, text] of Object.entries(cases)) assert.notEqual(rulesFileShape(text), 'foreign', name);
  assert.equal(rulesFileShape('- rul: Shell\n  condition: proc.name = bash\n'), 'unknown');
});

test('only broad names are ever given away; Falco\'s own names never', () => {
  for (const p of ['/w/alert_rules.yaml', '/w/recording_rules.yml', '/etc/falco/rules.d/team.yaml', 'C:\\w\\talon_rules.yaml']) assert.ok(isBroadRulesFileName(p), p);
  for (const p of ['/w/falco_rules.yaml', '/w/falco_rules.local.yaml', '/w/falco-incubating_rules.yaml', '/w/web.falco.yaml', '/w/notes.yaml', '/w/rules.d/sub/x.yaml']) {
    assert.ok(!isBroadRulesFileName(p), p);
  }
});
