// A Falco Operator resource's inlineRules and config reach Falco through kubectl (YAML 1.1), the API server's JSON and
// the operator's JSONToYAML (falco-operator internal/pkg/common/json.go): a plain `0777` list item is written back as
// 511, `yes` as true, `1_000` as 1000, so Falco reads another value than the one Falco Lens checks. Each such scalar is
// flagged where Falco's reading of it changes (a bool read as a bool does not), with a quick fix quoting it; a name
// kubectl reads as a number or a boolean is refused by Kubernetes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { kubectlPlain, operatorWrittenBack, yamlCppReads } from '../../server/src/service/kubectlYaml';
import { openHost, operatorConfig, operatorRulesfile, textAt } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { service } from './operator-tuning-helpers';

const CODE = 'embedded-kubectl-scalar';
const notes = (doc: string) => analyzeHost(doc).problems.filter((p) => p.code === CODE).map((p) => [p.severity, doc.slice(p.span[0], p.span[1]), p.message] as const);
const brief = (doc: string) => notes(doc).map(([severity, text]) => [severity, text]);

test('what the operator writes back for what kubectl read, and what yaml-cpp reads of it', () => {
  const back = (text: string) => operatorWrittenBack(kubectlPlain(text));
  const cases: [string, string | undefined][] = [
    ['0777', '511'], ['yes', 'true'], ['Off', 'false'], ['1_000', '1000'], ['0b101', '5'], ['0x1F', '31'], ['+12', '12'], ['~', 'null'],
    ['1.0', '1'], ['1e3', '1000'], ['0.10', '0.1'], ['1234567.5', '1.2345675e+06'], ['0.00001', '1e-05'], ['123456.5', '123456.5'],
    ['1e21', '1e+21'], ['.inf', undefined], ['-.Inf', undefined], ['.nan', undefined], ['plain', 'plain'], ['1:30', '1:30'],
  ];
  for (const [text, written] of cases) assert.equal(back(text), written, text);
  assert.equal(yamlCppReads('0777', 'int'), '511');
  assert.equal(yamlCppReads('0x1F', 'int'), '31');
  assert.equal(yamlCppReads('1_000', 'int'), undefined);
  assert.equal(yamlCppReads('0b101', 'int'), undefined);
  assert.equal(yamlCppReads('0777', 'number'), '777');
  assert.equal(yamlCppReads('On', 'bool'), 'true');
  assert.equal(yamlCppReads('oN', 'bool'), undefined);
  assert.equal(yamlCppReads('NO', 'bool'), 'false');
  assert.deepEqual(['0777', '1.0', 'yes', '1_000'].map((t) => yamlCppReads(t, 'json')), ['511', '1', 'true', '\'1_000\'']);
});

test('inlineRules: a list item, an exception value or a name that changes is a warning, a tag or an output an information', () => {
  const doc = operatorRulesfile('x', [
    'inlineRules:',
    '  - list: modes',
    '    items: [0777, "0644", yes, 1_000, 0b101, 0x1F, 1:30, ~, plain, \'on\', 2024-01-02]',
    '  - list: 1_000',
    '    items:',
    '      - on',
    '      - -0o17',
    '  - rule: r',
    '    desc: d',
    '    condition: evt.type = open and fd.name in (modes)',
    '    output: 1_000',
    '    priority: WARNING',
    '    enabled: yes',
    '    skip-if-unknown-filter: On',
    '    tags: [on, maturity_stable]',
    '    exceptions:',
    '      - name: e',
    '        fields: [proc.pid]',
    '        values: [[0777], [.inf]]',
    '',
  ].join('\n'));
  assert.deepEqual(brief(doc), [
    ['warning', '0777'], ['warning', 'yes'], ['warning', '1_000'], ['warning', '0b101'], ['warning', '0x1F'],
    ['warning', '1_000'], ['warning', 'on'], ['warning', '-0o17'],
    ['information', '1_000'], ['information', 'on'], ['warning', '0777'], ['error', '.inf'],
  ]);
  const [octal] = notes(doc);
  assert.equal(octal[2], 'kubectl reads 0777 as the number 511 (YAML 1.1, as Kubernetes\' clients read a manifest) and the operator writes it back as 511 into /etc/falco/rules.d: Falco reads the list item as \'511\', not \'0777\' as written: the list holds another value, and a condition using it matches something else. Quote it to keep what is written.');
  const messages = notes(doc).map(([, , m]) => m);
  assert.match(messages[5], /Falco reads the list name as '1000', not '1_000' as written: another item than the one written/);
  assert.match(messages[9], /Falco reads the tag as 'true', not 'on' as written: tag selections/);
  assert.match(messages[10], /Falco reads the exception's value as '511', not '0777' as written: the exception matches something else/);
  assert.equal(messages[11], 'kubectl refuses this manifest: it reads .inf as the number +Inf (YAML 1.1, as Kubernetes\' clients read a manifest), which JSON cannot hold (\'json: unsupported value\'). Quote it to send the text.');
  // Flow style is not checked as rules, but it goes through kubectl all the same.
  assert.deepEqual(brief(operatorRulesfile('x', 'inlineRules: [{list: l, items: [0777]}]\n')), [['warning', '0777']]);
});

test('config: a value is flagged where Falco\'s reading of its key changes', () => {
  const doc = operatorConfig('c', 60, [
    'json_output: yes',
    'buffered_outputs: Off',
    'log_level: off',
    'outputs_queue:',
    '  capacity: 1_000',
    'metrics:',
    '  interval: 0777',
    'file_output:',
    '  enabled: true',
    '  filename: "0777"',
    'syscall_event_timeouts:',
    '  max_consecutives: 0x3E8',
    'plugins:',
    '  - name: x',
    '    init_config:',
    '      retries: 0b11',
    '      verbose: yes',
    '      ratio: 1.0',
    '      mode: 0777',
  ].join('\n'));
  assert.deepEqual(notes(doc).map(([severity, text, message]) => [severity, text, message.replace(/^.*Falco reads /, '').replace(/\. Quote it.*$/, '')]), [
    ['warning', 'off', 'log_level as \'false\', not \'off\' as written'],
    ['information', '1_000', 'outputs_queue.capacity as 1000; \'1_000\' as written is no number to Falco'],
    ['warning', '0777', 'metrics.interval as \'511\', not \'0777\' as written'],
    ['information', '0b11', 'plugins[].init_config.retries as 3, not \'0b11\' as written'],
  ]);
});

test('a name kubectl reads as a number or a boolean: Kubernetes refuses the resource', () => {
  const doc = [
    'apiVersion: artifact.falcosecurity.dev/v1alpha1', 'kind: Rulesfile', 'metadata:', '  name: yes', '  namespace: 0777',
    'spec:', '  configMapRef:', '    name: 1_000', '  inlineRules:', '    - list: l', '      items: [a]', '',
  ].join('\n');
  assert.deepEqual(notes(doc).map(([severity, text, message]) => [severity, text, message]), [
    ['error', 'yes', 'Kubernetes refuses this Rulesfile: metadata.name must be a string, and kubectl reads yes as the boolean true (YAML 1.1, as Kubernetes\' clients read a manifest). Write it quoted.'],
    ['error', '0777', 'Kubernetes refuses this Rulesfile: metadata.namespace must be a string, and kubectl reads 0777 as the number 511 (YAML 1.1, as Kubernetes\' clients read a manifest). Write it quoted.'],
    ['error', '1_000', 'Kubernetes refuses this Rulesfile: spec.configMapRef.name must be a string, and kubectl reads 1_000 as the number 1000 (YAML 1.1, as Kubernetes\' clients read a manifest). Write it quoted.'],
  ]);
  assert.deepEqual(notes(doc.replace('name: yes', 'name: "yes"').replace('0777', '\'0777\'').replace('1_000', 'rules-1_000')), []);
});

test('the quick fix quotes the value, and the finding goes', () => {
  const uri = 'file:///ws/deploy/falco/rulesfiles.yaml';
  const manifest = operatorRulesfile('x', 'inlineRules:\n  - list: modes\n    items: [0777, a]\n');
  const { service: s } = service({});
  const doc = openHost(s, manifest, uri);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code === CODE);
  assert.deepEqual(found.map((d) => [d.severity, textAt(manifest, d)]), [[2, '0777']]);
  const [fix, ...more] = s.embedded.codeActions!(doc, found[0].range, { diagnostics: found });
  assert.deepEqual(more, []);
  assert.equal(fix.title, 'Quote the value ("0777")');
  const fixed = applyEdits(manifest, fix.edit!.changes![uri]);
  assert.ok(fixed.includes('items: ["0777", a]'), fixed);
  assert.deepEqual(notes(fixed), []);
});
