// Session 22: what kubectl and the API server make of a ConfigMap's keys, of a data entry with no value, and of a
// binaryData entry. kubectl turns the manifest into JSON (sigs.k8s.io/yaml YAMLToJSON, go-yaml v2, YAML 1.1): a key it
// reads as a boolean or a number is sent as its text ('true', '511'), a null key is refused ('unsupported map key of
// type'), and the API server refuses a key outside [-._a-zA-Z0-9]+. A null value is stored as the empty text; a
// binaryData value is base64. Falco Lens said nothing of any of these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { hostFindings } from './operator-tuning-helpers';

const URI = 'file:///ws/deploy/falco-configmap.yaml';
const configMap = (body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco-rules\n  namespace: falco\n${body}`;
const RULES = '  rules.yaml: |\n    - list: shells\n      items: [bash, sh]\n';

function findings(host: string) {
  const { found, fix } = hostFindings(host, URI);
  return { found: found.map((f) => [f.code, f.at, f.severity, f.message] as const), fix };
}

const YAML11 = '(YAML 1.1, as Kubernetes\' clients read a manifest)';

test('a data key kubectl reads as a boolean or a number: sent as another name, with a fix quoting it', () => {
  const host = configMap(`data:\n  on: enabled\n  0777: x\n  falco_rules.yaml: |\n    - list: shells\n      items: [bash, sh]\n`);
  const { found, fix } = findings(host);
  assert.deepEqual(found, [
    ['embedded-kubectl-scalar', 'on', 2, `kubectl reads the key on of data as the boolean true ${YAML11} and sends it as 'true': the ConfigMap's entry is named 'true', not 'on', and a pod mounting the ConfigMap gets a file named true. Write it quoted.`],
    ['embedded-kubectl-scalar', '0777', 2, `kubectl reads the key 0777 of data as the number 511 ${YAML11} and sends it as '511': the ConfigMap's entry is named '511', not '0777', and a pod mounting the ConfigMap gets a file named 511. Write it quoted.`],
  ]);
  assert.equal(fix(0), host.replace('  on:', '  "on":'));
  assert.equal(fix(1), host.replace('  0777:', '  "0777":'));
  // Quoted, the keys are the texts written (the yaml package reads them as YAML 1.1 strings too), and nothing is said.
  const fixed = host.replace('  on:', '  "on":').replace('  0777:', '  "0777":');
  assert.deepEqual(Object.keys((parseAllDocuments(fixed)[0].toJS() as { data: object }).data), ['on', '0777', 'falco_rules.yaml']);
  assert.deepEqual(findings(fixed).found, []);
});

test('a key the API server or kubectl refuses: an error; a fix only where quoting gives a valid key', () => {
  const host = configMap(`data:\n  1e10: a\n  null: b\n  ~: c\n  +.inf: d\n${RULES}`);
  const { found, fix } = findings(host);
  assert.deepEqual(found.map(([code, at, severity]) => [code, at, severity]), [
    ['embedded-kubectl-scalar', '1e10', 1], ['embedded-kubectl-scalar', 'null', 1], ['embedded-kubectl-scalar', '~', 1], ['embedded-kubectl-scalar', '+.inf', 2],
  ]);
  assert.equal(found[0][3], `Kubernetes refuses this ConfigMap: kubectl reads the key 1e10 of data as the number 10000000000 ${YAML11} and sends it as '1e+10', which is no ConfigMap key (a key may only hold letters, digits, '-', '_' and '.'). Write it quoted.`);
  assert.equal(fix(0), host.replace('  1e10:', '  "1e10":'));
  assert.equal(found[1][3], `kubectl refuses this ConfigMap: kubectl reads the key null of data as null ${YAML11}, which a JSON object cannot have as a key ('unsupported map key of type: <nil>'). Write it quoted.`);
  assert.equal(fix(1), host.replace('  null:', '  "null":'));
  // '~' and '+.inf' are no ConfigMap keys as written either: quoting does not help, and no fix is offered.
  assert.match(found[2][3], /^kubectl refuses this ConfigMap: .* Quoting it does not help: '~' is no ConfigMap key either \(a key may only hold letters, digits, '-', '_' and '\.'\); name the entry/);
  assert.equal(fix(2), undefined);
  assert.match(found[3][3], /sends it as '\.inf': the ConfigMap's entry is named '\.inf', not '\+\.inf'.* Quoting it does not help: '\+\.inf' is no ConfigMap key either/);
  assert.equal(fix(3), undefined);
});

test('a plain key that is text for kubectl (falco_rules.yaml, a quoted on) is left alone', () => {
  assert.deepEqual(findings(configMap(`data:\n  'on': x\n  "true": text\n  falco_rules.yaml: |\n    - list: shells\n      items: [bash, sh]\n`)).found, []);
});

// Session 23: the null is the empty text with kubectl create, no entry with kubectl apply (embedded-configmap-collisions-s23);
// session 24: the empty text with server-side apply too (embedded-configmap-null-s24).
const emptyEntry = (key: string) => `data.${key} has no value, which kubectl sends as null; what the ConfigMap holds then depends on how it is applied. kubectl create, kubectl replace and kubectl apply --server-side store the empty text (server-side apply keeps the null, which the API server reads as the empty text, and empties an entry that had a value): the pod's file ${key} is empty, and where Falco loads it as a rules file it gets nothing from it (no rule, macro or list) and says nothing. Client-side kubectl apply takes the null for removing the entry (its patch deletes a key set to null, and since kubectl 1.31 it leaves the key out of a ConfigMap it creates): the ConfigMap has no ${key}, and the pod no such file. Write "" for an empty file, or remove the entry.`;

test('a data entry with no value named as a YAML file: Falco gets an empty rules file (information)', () => {
  const host = configMap(`data:\n  falco_rules.local.yaml:\n  other.yaml: ~\n  notes.txt:\n  falco.yaml:\n${RULES}`);
  const { found } = findings(host);
  assert.deepEqual(found, [
    ['embedded-configmap-empty-entry', 'falco_rules.local.yaml', 3, emptyEntry('falco_rules.local.yaml')],
    ['embedded-configmap-empty-entry', 'other.yaml', 3, emptyEntry('other.yaml')],
  ]);
  // An empty text written as such is what the author meant: nothing said.
  assert.deepEqual(findings(configMap(`data:\n  falco_rules.local.yaml: ""\n${RULES}`)).found, []);
});

test('binaryData: a rules file in base64 is said not to be checked; other bytes are left alone', () => {
  const rules = Buffer.from('- rule: Shell in container\n  desc: x\n  condition: evt.type = execve and proc.name = bash\n  output: shell\n  priority: WARNING\n').toString('base64');
  const host = configMap(`binaryData:\n  custom_rules.yaml: ${rules}\n  logo.png: iVBORw0KGgo=\n  0777: aGk=\ndata:\n${RULES}`);
  const { found } = findings(host);
  assert.deepEqual(found.map(([code, at, severity]) => [code, at, severity]), [
    ['embedded-configmap-binary-data', 'custom_rules.yaml', 3], ['embedded-kubectl-scalar', '0777', 2],
  ]);
  assert.equal(found[0][3], 'binaryData.custom_rules.yaml holds a Falco rules file (base64): the pod\'s file is its decoded text, which Falco reads as any other, but Falco Lens does not check it. Write it under data as a literal block (`custom_rules.yaml: |`) to have it checked.');
  assert.match(found[1][3], /^kubectl reads the key 0777 of binaryData as the number 511/);
  // A folded base64 value (a block scalar kubectl reads with its line breaks) is read too.
  const folded = configMap(`binaryData:\n  custom_rules.yaml: |\n    ${rules.slice(0, 40)}\n    ${rules.slice(40)}\ndata:\n${RULES}`);
  assert.deepEqual(findings(folded).found.map(([code]) => code), ['embedded-configmap-binary-data']);
});
