// A list key given one value (`rules_files: /etc/falco/falco_rules.yaml`): yaml_helper get_sequence_from_node reads a
// scalar as a one-item list (0.37.0-0.44.1), so Falco uses it; only the schema (0.39 on) fails on it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { applyEdits } from './rules-host';
import { at, check, doc, message, service, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const TEXT = 'stdout_output: {enabled: true}\nrules_files: /etc/falco/falco_rules.yaml  # main\nsyscall_event_drops:\n  actions: "log"\n';

function fixed(text: string, d: Diagnostic): string {
  const { service: s } = service({});
  const [action] = s.config.codeActions!(doc(MAIN, text), d.range, { diagnostics: [d] }).filter((a) => a.edit);
  return applyEdits(text, Object.values(action.edit!.changes!)[0]);
}

test('a single value where Falco reads a list of strings: read as one item, the schema fails; the fix writes a flow list', () => {
  const found = check({}, MAIN, { text: TEXT });
  assert.deepEqual(at(found), [['config-wrong-type', 1, 13], ['config-wrong-type', 3, 11]], show(found));
  assert.equal(message(found[0]), 'rules_files should be a list: Falco reads the single value as a one-item list, but its schema validation fails on it. Write [/etc/falco/falco_rules.yaml].');
  // The rules file is loaded: no "no rules file" finding.
  assert.ok(!found.some((d) => d.code === 'config-no-rules-file'));
  let text = fixed(TEXT, found[0]);
  assert.equal(text.split('\n')[1], 'rules_files: [/etc/falco/falco_rules.yaml]  # main');
  text = fixed(text, check({}, MAIN, { text })[0]);
  assert.equal(text.split('\n')[3], '  actions: ["log"]');
  assert.deepEqual(check({}, MAIN, { text }), []);
  // Falco 0.38 has no schema: nothing to say.
  assert.deepEqual(check({}, MAIN, { text: TEXT, falcoVersion: '0.38' }), []);
});

test('a mapping where Falco reads a list gives no item: plugins as a mapping loads nothing and stops nothing by itself', () => {
  const plugins = 'stdout_output: {enabled: true}\nrules_files: [/etc/falco/falco_rules.yaml]\nplugins:\n  name: json\n';
  const found = check({}, MAIN, { text: plugins });
  assert.deepEqual(at(found), [['config-wrong-type', 3, 2]], show(found));
  assert.match(message(found[0]), /^plugins should be a list, not a mapping\. Falco reads no item from a mapping here, as if the list were empty, and its schema validation fails on it\.$/);
  // With load_plugins naming it, Falco stops for want of that plugins entry (configuration.cpp:690-694 at 0.44.1).
  const loaded = check({}, MAIN, { text: plugins.replace('plugins:\n', 'load_plugins: [json]\nplugins:\n') });
  assert.match(show(loaded), /config-start-fails.*cannot load plugin 'json': no plugins entry has that name/);
  // A lone text is one entry, which is no mapping: yaml-cpp's conversion fails and Falco stops.
  const text = check({}, MAIN, { text: 'stdout_output: {enabled: true}\nrules_files: [/etc/falco/falco_rules.yaml]\nplugins: json\n' });
  assert.match(show(text), /config-start-fails.*a plugins entry is a mapping with name and library_path/);
});
