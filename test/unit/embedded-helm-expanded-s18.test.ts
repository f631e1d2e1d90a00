// Session 18: the chart's `falco:` values are read by Helm with go-yaml v2 (helm pkg/chartutil/values.go ReadValues at
// v3.19.5: sigs.k8s.io/yaml v1.6.0 Unmarshal, which reads through go.yaml.in/yaml/v2), which honours `<<` merge keys
// and copies aliases, as kubectl does for the operator's resources; the chart then writes `falco:` as falco.yaml. So
// Falco receives no `<<`: a merge key, or an alias of an anchor outside the block, keeps the block unchecked (it was
// read as yaml-cpp reads it: "Unknown key '<<'"). A ConfigMap's falco.yaml is a text yaml-cpp reads, which has no merge
// keys (yaml-cpp c2bec4c: no `<<` in src/ or include/): there `<<` stays an unknown key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

function diagnostics(text: string, uri = 'file:///ws/values.yaml'): [string, string, string][] {
  const s = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(s, text, uri);
  return s.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(text, d), typeof d.message === 'string' ? d.message : '']);
}

// Since session 22 such values are checked as Helm expands them (embedded-helm-merges-s22.test.ts).
test('a merge key in the chart\'s falco values: Helm merges it, and the block is checked merged', () => {
  const values = 'outputs: &on\n  enabled: true\nfalco:\n  stdout_output:\n    <<: *on\n  log_level: bogus\n';
  const found = diagnostics(values);
  assert.deepEqual(found.map(([code, text]) => [code, text]), [['embedded-helm-expanded', '<<'], ['embedded-helm-expanded', '*on'], ['config-start-fails', 'bogus']]);
  assert.match(found[0][2], /^Helm merges the mapping of this '<<' into the one holding it .* so Falco receives the keys merged and no '<<' \(Falco's own YAML reader, yaml-cpp, has no merge keys\)\. Falco Lens checks the falco values merged so/);
  assert.match(found[1][2], /^Helm replaces \*on with a copy of the node its anchor names \(line 2\), outside the falco values, and the chart writes that copy into falco\.yaml\./);
  // Without them the block is checked as written.
  assert.deepEqual(diagnostics('falco:\n  stdout_output:\n    enabled: true\n  log_level: bogus\n').map(([code, text]) => [code, text]), [['config-start-fails', 'bogus']]);
  // A merge key value Helm refuses.
  const refused = diagnostics('falco:\n  stdout_output:\n    <<: true\n');
  assert.deepEqual(refused.map(([code, text]) => [code, text]), [['embedded-helm-expanded', '<<']]);
  assert.match(refused[0][2], /^Helm refuses these values: the value of a '<<' merge key must be a mapping/);
});

test('a ConfigMap\'s falco.yaml is read by yaml-cpp, which has no merge keys: `<<` is an unknown key there', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: |\n    stdout_output:\n      <<: {enabled: true}\n      enabled: true\n    rules_files: [/etc/falco/falco_rules.yaml]\n';
  assert.deepEqual(diagnostics(cm, 'file:///ws/cm.yaml').map(([code, text]) => [code, text]), [['config-unknown-key', '<<']]);
});
