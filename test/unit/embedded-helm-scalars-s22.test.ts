// Session 22: the Falco chart's `falco:` values reach Falco through Helm, which reads a values file with go-yaml v2
// (YAML 1.1: helm pkg/chartutil/values.go ReadValues at v3.19.5, sigs.k8s.io/yaml v1.6.0 Unmarshal into
// map[string]interface{}, every number a float64), and the chart's toYaml, which writes falco.yaml through JSON
// (charts/falco templates/configmap.yaml `toYaml .Values.falco`; helm pkg/engine/funcs.go toYAML). Falco Lens checked
// the values as written, as yaml-cpp reads them: `filename: 0777` was the path '0777' where falco.yaml says 511,
// `log_level: yes` was judged as 'yes' where Falco reads 'true', `on:` as the key 'on', and of a key written twice the
// first was said to stand where Helm keeps the last. Now the values are checked as the chart writes them, and each
// scalar or key that changes on the way is flagged, with a quick fix quoting it, as for a Falco Operator Config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { helmWrittenBack, kubectlPlain } from '../../server/src/service/kubectlYaml';
import { MemoryHost, applyEdits, editsFor } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

const URI = 'file:///ws/values.yaml';

function checked(text: string) {
  const s = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(s, text, URI);
  const found = s.embedded.diagnostics(doc);
  return {
    found: found.map((d) => [String(d.code), textAt(text, d), typeof d.message === 'string' ? d.message : '']),
    fixed(code: string): string {
      const d = found.find((x) => x.code === code)!;
      const actions = s.embedded.codeActions!(doc, d.range, { diagnostics: [d] });
      assert.equal(actions.length, 1, actions.map((a) => a.title).join(' | '));
      return applyEdits(text, editsFor(actions[0].edit, URI));
    },
  };
}

test('Helm\'s reading and the chart\'s writing of a number: a float64, then JSON, then go-yaml', () => {
  const back = (text: string) => helmWrittenBack(kubectlPlain(text));
  assert.deepEqual(['0777', '0x1F', '1_000', '0b101', '+12', '1e3', '0.5', '1.0', '9007199254740993', '1e21', '-0', 'yes', 'Off', '.inf', '.nan'].map(back),
    ['511', '31', '1000', '5', '12', '1000', '0.5', '1', '9007199254740992', '1e+21', '0', 'true', 'false', undefined, undefined]);
});

test('a value whose text changes: checked as falco.yaml holds it, flagged, quoted by the quick fix', () => {
  const values = 'falco:\n  stdout_output:\n    enabled: true\n  file_output:\n    enabled: true\n    filename: 0777\n  log_level: yes\n';
  const { found, fixed } = checked(values);
  // A relative filename is Falco's working directory's (config-relative-values-s23), as written or not.
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['embedded-helm-scalar', '0777'], ['embedded-helm-scalar', 'yes'], ['config-relative-path', '0777'], ['config-start-fails', 'yes']]);
  assert.match(found[2][2], /^Falco appends its alerts to the relative path '511' /);
  assert.equal(found[0][2], 'Helm reads 0777 as the number 511 (YAML 1.1, as Helm reads values) and the chart writes it back as 511 into falco.yaml: Falco reads file_output.filename as \'511\', not \'0777\' as written. Quote it to keep what is written.');
  // Falco reads log_level 'true', which stops it: the start check says so, of the text falco.yaml holds.
  assert.match(found[3][2], /unknown log level 'true'/);
  assert.equal(fixed('embedded-helm-scalar'), values.replace('0777', '"0777"'));
  // Quoted, nothing changes on the way.
  assert.deepEqual(checked(values.replace('0777', '"0777"').replace('yes', 'info')).found.map(([code, at]) => [code, at]), [['config-relative-path', '"0777"']]);
});

test('a number Falco reads as a number reaches it as one: 2_000 is 2000, flagged only as no number as written', () => {
  const { found } = checked('falco:\n  stdout_output:\n    enabled: true\n  output_timeout: 2_000\n');
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['embedded-helm-scalar', '2_000']]);
  assert.match(found[0][2], /Falco reads output_timeout as 2000; '2_000' as written is no number to Falco\./);
});

test('a key Helm reads as a boolean, and a key written twice: the key \'true\', and the last pair stands', () => {
  const { found } = checked('falco:\n  stdout_output:\n    enabled: true\n  log_level: bogus\n  log_level: info\n  on: x\n');
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['embedded-helm-scalar', 'on'], ['embedded-helm-dropped-key', 'log_level'], ['config-unknown-key', 'on']]);
  assert.equal(found[1][2], 'This log_level never reaches Falco: a later pair of this mapping has the key log_level again, and Helm keeps the last value of a key (go-yaml decodes the mapping into a map, each pair replacing the one before). The chart writes only the later one into falco.yaml. Keep one.');
  assert.match(found[2][2], /^Unknown key 'true'/);
});

test('customRules are texts: a number in a rules file there is Falco\'s own reading', () => {
  assert.deepEqual(checked('customRules:\n  a.yaml: |\n    - list: l\n      items: [0777]\n    - macro: m\n      condition: proc.name in (l)\n').found.map(([code]) => code), ['unused-macro']);
});
