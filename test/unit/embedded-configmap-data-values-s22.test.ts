// Session 22: a ConfigMap's data values are texts (core/v1 ConfigMap.Data is a map[string]string): the API server
// refuses a ConfigMap whose value kubectl reads (YAML 1.1, go-yaml v2) as a number or a boolean, or that is a mapping
// or a list ("ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct
// field ConfigMap.data of type string"). Falco Lens read `falco.yaml:` written as a mapping, and `count: 0777`, without
// a word. Now each is an error, with a quick fix: the scalar quoted, the block written as a literal block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { hostFindings } from './operator-tuning-helpers';

const URI = 'file:///ws/deploy/falco-configmap.yaml';
const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco-rules\n  namespace: falco\ndata:\n${data}`;
const RULES = '  rules.yaml: |\n    - list: shells\n      items: [bash, sh]\n';

function findings(host: string) {
  const { found, fix } = hostFindings(host, URI);
  return { found: found.map((f) => [f.code, f.at, f.message]), fix };
}

/** What the API server keeps: each data value must be a text. */
function dataTypes(host: string): Record<string, string> {
  const data = (parseAllDocuments(host)[0] as unknown as { toJS(): { data: Record<string, unknown> } }).toJS().data;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v]));
}

test('a value kubectl reads as a number or a boolean: an error, and a fix quoting it', () => {
  const host = configMap(`  count: 0777\n  flag: yes\n  empty:\n${RULES}`);
  const { found, fix } = findings(host);
  assert.deepEqual(found, [
    ['embedded-kubectl-scalar', '0777', 'Kubernetes refuses this ConfigMap: data.count must be a string, and kubectl reads 0777 as the number 511 (YAML 1.1, as Kubernetes\' clients read a manifest). Write it quoted.'],
    ['embedded-kubectl-scalar', 'yes', 'Kubernetes refuses this ConfigMap: data.flag must be a string, and kubectl reads yes as the boolean true (YAML 1.1, as Kubernetes\' clients read a manifest). Write it quoted.'],
  ]);
  assert.equal(fix(0), host.replace('0777', '"0777"'));
  assert.equal(fix(1), host.replace('flag: yes', 'flag: "yes"'));
});

test('falco.yaml written as a mapping: an error, and a fix making it the file\'s text', () => {
  const host = configMap(`  falco.yaml:\n    # the outputs\n    stdout_output:\n      enabled: true\n    rules_files: [/etc/falco/rules.d]\n    log_level: info\n${RULES}`);
  const { found, fix } = findings(host);
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['embedded-configmap-not-text', 'falco.yaml:']]);
  assert.match(String(found[0][2]), /^Kubernetes refuses this ConfigMap: data\.falco\.yaml must be a text \(a file's content\), and this value is a mapping \('cannot unmarshal object into Go struct field ConfigMap\.data of type string'\)\. Write it as a literal block/);
  const fixed = fix(0)!;
  assert.equal(fixed, host.replace('  falco.yaml:\n', '  falco.yaml: |\n'));
  assert.deepEqual(dataTypes(fixed), { 'falco.yaml': 'string', 'rules.yaml': 'string' });
  // The text is now Falco's configuration, checked as such: clean.
  assert.deepEqual(findings(fixed).found, []);
});

test('a list, a flow mapping, and lines a literal block would not keep: the error without a fix', () => {
  const list = findings(configMap(`  names:\n    - a\n    - b\n${RULES}`));
  assert.deepEqual(list.found.map(([code, at]) => [code, at]), [['embedded-configmap-not-text', 'names:']]);
  assert.match(String(list.found[0][2]), /this value is a list \('cannot unmarshal array into/);
  assert.equal(typeof list.fix(0), 'string');
  const flow = findings(configMap(`  flags: {a: 1}\n${RULES}`));
  assert.deepEqual(flow.found.map(([code, at]) => [code, at]), [['embedded-configmap-not-text', 'flags']]);
  assert.equal(flow.fix(0), undefined);
  // A comment less indented than the first line would end the literal block.
  const comment = findings(configMap(`  falco.yaml:\n      log_level: info\n    # a comment\n      json_output: true\n${RULES}`));
  assert.equal(comment.found.length, 1);
  assert.equal(comment.fix(0), undefined);
});
