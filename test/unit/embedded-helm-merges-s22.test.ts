// Session 22: the chart's `falco:` values with `<<` merge keys or aliases of anchors outside them were left unchecked
// (session 18: embedded-helm-expanded, an information). Helm reads values with go-yaml v2 as kubectl reads a manifest
// (helm pkg/chartutil/values.go ReadValues at v3.19.5: sigs.k8s.io/yaml v1.6.0 Unmarshal), so the chart's falco.yaml
// holds the keys merged and the aliases' copies: the values are now checked so, as a Falco Operator Config's config
// is (operatorScalars.ts mergeExpansion, with Helm's writing of numbers), findings in merged keys shown on the `<<`
// and findings in a copy on the alias, whose quick fix edits the anchor (embedded/index.ts anchorEdit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { MemoryHost, applyEdits, editsFor } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

const URI = 'file:///ws/values.yaml';

function checked(text: string) {
  const s = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(s, text, URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code !== 'embedded-helm-expanded');
  return {
    found: found.map((d) => [String(d.code), textAt(text, d)]),
    actions: (i: number) => s.embedded.codeActions!(doc, found[i].range, { diagnostics: [found[i]] }),
  };
}

test('the falco values are the text falco.yaml holds: merged keys in the <<\'s place, copies in the aliases\' place', () => {
  const values = 'base: &base\n  enabled: true\n  keep_alive: false\nlevels:\n  timeout: &t 0777\nfalco:\n  file_output:\n    <<: *base\n    filename: /var/log/falco.txt\n  output_timeout: *t\n  stdout_output: {<<: {enabled: true}}\n';
  assert.deepEqual(analyzeHost(values).files.map((f) => f.text), [
    'file_output:\n  "enabled": true\n  "keep_alive": false\n  filename: /var/log/falco.txt\noutput_timeout: 511\nstdout_output: {"enabled": true}\n',
  ]);
  assert.deepEqual(checked(values).found, []);
});

test('a finding in merged keys is on the <<, one in a copy on the alias, whose fix edits the anchor', () => {
  const merged = checked('base: &base\n  enabled: ture\nfalco:\n  stdout_output:\n    <<: *base\n');
  assert.deepEqual(merged.found, [['config-wrong-type', '<<']]);
  const values = 'levels:\n  quiet: &quiet informaton\nfalco:\n  stdout_output:\n    enabled: true\n  log_level: *quiet\n';
  const { found, actions } = checked(values);
  assert.deepEqual(found, [['config-start-fails', '*quiet']]);
  const fixes = actions(0);
  assert.deepEqual(fixes.map((a) => a.title), ['Change to \'info\' (at its anchor &quiet, line 2)']);
  const after = applyEdits(values, editsFor(fixes[0].edit, URI));
  assert.equal(after, values.replace('&quiet informaton', '&quiet info'));
  assert.deepEqual(checked(after).found, []);
});

test('what Helm refuses, or what cannot be written line for line, still leaves the values unchecked', () => {
  const refused = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(refused, 'falco:\n  stdout_output:\n    <<: true\n  log_level: bogus\n', URI);
  assert.deepEqual(refused.embedded.diagnostics(doc).map((d) => d.code), ['embedded-helm-expanded']);
  // An alias as a key naming a mapping (go-yaml v2 refuses it: 'invalid map key'); one naming a scalar is checked
  // since session 23 (embedded-expansion-s23).
  const key = 'names:\n  k: &k {log_level: info}\nfalco:\n  *k : bogus\n';
  assert.deepEqual(analyzeHost(key).files, []);
});

test('a fix in a flow \'<<\' pair\'s merged keys is left out: it wrote its text over the pair', () => {
  // Helm's values and a Falco Operator Config alike (kubectl expands the same way).
  const values = 'falco:\n  stdout_output: {<<: {enabled: ture}}\n  log_level: info\n';
  const { found, actions } = checked(values);
  assert.deepEqual(found, [['config-wrong-type', '<<: {enabled: ture}']]);
  assert.deepEqual(actions(0), []);
  const config = 'apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Config\nmetadata:\n  name: c\n  namespace: falco\nspec:\n  config:\n    stdout_output: {<<: {enabled: ture}}\n  priority: 10\n';
  const s = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(s, config, 'file:///ws/config.yaml');
  const wrong = s.embedded.diagnostics(doc).filter((d) => d.code === 'config-wrong-type');
  assert.deepEqual(wrong.map((d) => textAt(config, d)), ['<<: {enabled: ture}']);
  assert.deepEqual(s.embedded.codeActions!(doc, wrong[0].range, { diagnostics: wrong }), []);
});
