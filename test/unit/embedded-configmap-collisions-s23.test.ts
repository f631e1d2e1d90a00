// Session 23: ConfigMap keys that kubectl or the API server make one, and what a data entry with no value becomes.
// kubectl decodes data and binaryData with go-yaml v2 into Go maps (not strict: the last pair of a key stays), then
// writes their keys as JSON text in Go's random map order (sigs.k8s.io/yaml convertToJSONableObject): `1` and "1" are
// two keys of the Go map that become one ConfigMap key, whichever comes last. The API server refuses a key in both
// data and binaryData (ValidateConfigMap: 'duplicate of key present in binaryData'). A null data value is the empty
// text with kubectl create, but kubectl apply takes it for deleting the key (strategic merge patch; kubectl 1.31 prunes
// nulls on create). Falco Lens said nothing of the collisions, embedded both entries of a key written twice, warned
// that `1:` is sent as '1' "not '1'", and said a null value is always stored as the empty text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { hostFindings } from './operator-tuning-helpers';

const URI = 'file:///ws/deploy/falco-configmap.yaml';
const configMap = (body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco-rules\n  namespace: falco\n${body}`;
const rules = (list: string) => `|\n    - list: ${list}\n      items: [bash, sh]\n`;

function findings(host: string) {
  return hostFindings(host, URI).found.map((f) => [f.code, f.at, f.severity, f.message] as const);
}

test('a key in both data and binaryData: Kubernetes refuses the ConfigMap (an error at data\'s key)', () => {
  const host = configMap(`binaryData:\n  custom_rules.yaml: aGk=\ndata:\n  custom_rules.yaml: ${rules('shells')}`);
  assert.deepEqual(findings(host), [[
    'embedded-configmap-key-in-both', 'custom_rules.yaml', 1,
    'Kubernetes refuses this ConfigMap: binaryData has the key \'custom_rules.yaml\' too (line 7), and a key may be in data or in binaryData, not both (\'data[custom_rules.yaml]: Invalid value: "custom_rules.yaml": duplicate of key present in binaryData\'). Keep one of them.',
  ]]);
  // Keys compared as kubectl sends them: `0777` in data is '511', as binaryData's "511".
  const converted = configMap(`binaryData:\n  "511": aGk=\ndata:\n  0777: x\n  rules.yaml: ${rules('shells')}`);
  assert.deepEqual(findings(converted).map(([code, at]) => [code, at]), [['embedded-kubectl-scalar', '0777'], ['embedded-configmap-key-in-both', '0777']]);
  // Different keys: nothing said.
  assert.deepEqual(findings(configMap(`binaryData:\n  logo.png: aGk=\ndata:\n  custom_rules.yaml: ${rules('shells')}`)), []);
});

test('keys kubectl makes one: the later pair stands (or a random one), the other is said not to reach the ConfigMap', () => {
  const host = configMap(`data:\n  a.yaml: ${rules('first')}  a.yaml: ${rules('second')}  yes: "1"\n  true: "2"\n  1: "3"\n  "1": "4"\n`);
  const found = findings(host);
  assert.deepEqual(found.map(([code, at, severity]) => [code, at, severity]), [
    ['embedded-kubectl-scalar', 'yes', 2],
    ['embedded-configmap-key-collision', 'a.yaml', 2],
    ['embedded-configmap-key-collision', 'yes', 2],
    ['embedded-configmap-key-collision', '1', 2],
  ]);
  assert.equal(found[1][3], 'data.a.yaml is not in the ConfigMap: the key a.yaml is written again later (line 10), and kubectl keeps only the last pair of a key (go-yaml decodes data into a map, each pair replacing the one before). Keep one.');
  assert.equal(found[2][3], 'data.yes is not in the ConfigMap: true, which kubectl reads as the same key (the boolean true, YAML 1.1), comes later (line 14), and kubectl keeps only the last pair of a key (go-yaml decodes data into a map, each pair replacing the one before). Keep one.');
  assert.equal(found[3][3], 'kubectl reads 1 as the number 1 and "1" (line 16) as the string \'1\' (YAML 1.1): two keys of its map, which both become the ConfigMap key \'1\' (JSON keys are text), and kubectl keeps whichever it writes last, in Go\'s random map order. Which entry the ConfigMap holds changes from one kubectl run to the next; Falco Lens takes the later one. Keep one.');
  // Only the later a.yaml is an entry: one rules file, the second list.
  const files = analyzeHost(host).files;
  assert.deepEqual(files.map((f) => [f.key, f.text]), [['a.yaml', '- list: second\n  items: [bash, sh]\n']]);
  // binaryData's keys the same way.
  assert.deepEqual(findings(configMap(`binaryData:\n  on: aGk=\n  "true": aGk=\ndata:\n  r.yaml: ${rules('x')}`)).map(([code, at]) => [code, at]), [
    ['embedded-kubectl-scalar', 'on'], ['embedded-configmap-key-collision', 'on'],
  ]);
});

test('a plain key kubectl sends as the text written (1, true) is not said to change', () => {
  assert.deepEqual(findings(configMap(`data:\n  1: "x"\n  true: "y"\n  r.yaml: ${rules('x')}`)), []);
});

test('a data entry with no value: the empty text with kubectl create, no entry with kubectl apply', () => {
  const found = findings(configMap(`data:\n  falco_rules.local.yaml:\n  r.yaml: ${rules('x')}`));
  assert.deepEqual(found, [[
    'embedded-configmap-empty-entry', 'falco_rules.local.yaml', 3,
    'data.falco_rules.local.yaml has no value, which kubectl sends as null; what the ConfigMap holds then depends on how it is applied. kubectl create, kubectl replace and kubectl apply --server-side store the empty text (server-side apply keeps the null, which the API server reads as the empty text, and empties an entry that had a value): the pod\'s file falco_rules.local.yaml is empty, and where Falco loads it as a rules file it gets nothing from it (no rule, macro or list) and says nothing. Client-side kubectl apply takes the null for removing the entry (its patch deletes a key set to null, and since kubectl 1.31 it leaves the key out of a ConfigMap it creates): the ConfigMap has no falco_rules.local.yaml, and the pod no such file. Write "" for an empty file, or remove the entry.',
  ]]);
});
