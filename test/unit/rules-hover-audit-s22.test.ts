// Session 22: hovers of a rules file. The value of `required_engine_version` had no hover. It says which releases load the file and whether
// the target does (Falco compares the value with its engine version, falco_engine_version.h at each tag:
// knowledge/falcoVersions.ts; the legacy integer N of older plugin rules files means 0.N.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverMarkdownAt } from './rules-nav-helpers';

test('a required_engine_version value: the releases that load the file, and the target', () => {
  assert.equal(hoverMarkdownAt('- required_engine_version: 0.5<|>7.0\n', '0.44'),
    '**Engine version** `0.57.0` — loaded by Falco 0.42 or later.\n\nFalco 0.44 (engine 0.62.0) loads this file.');
  assert.match(hoverMarkdownAt('- required_engine_version: 0.5<|>7.0\n', '0.41'), /Falco 0\.41 \(engine 0\.50\.0\) refuses this file/);
  assert.match(hoverMarkdownAt('- required_engine_version: 1<|>5\n', '0.44'),
    /^\*\*Engine version\*\* `0\.15\.0` \(the integer 15 of older rules files\) — loaded by every release from Falco 0\.37 \(engine 0\.31\.0\) on\./);
  assert.match(hoverMarkdownAt('- required_engine_version: "0.9<|>9.0"\n', '0.44'), /loaded by no Falco release up to 0\.44\./);
});

// `name` said "The name of the exception (unique within the rule) or of the plugin." wherever it stood.
test('the key name: a plugin\'s in a plugin requirement, an exception\'s in an exception', () => {
  const plugin = '- required_plugin_versions:\n  - na<|>me: k8saudit\n    version: 0.7.0\n';
  assert.match(hoverMarkdownAt(plugin, '0.44'), /^\*\*name\*\* — The name of the plugin: /);
  const alternative = '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n    alternatives:\n      - na<|>me: k8saudit-eks\n        version: 0.2.0\n';
  assert.match(hoverMarkdownAt(alternative, '0.44'), /^\*\*name\*\* — The name of the plugin: /);
  const exception = '- rule: r\n  exceptions:\n    - na<|>me: e\n';
  assert.match(hoverMarkdownAt(exception, '0.44'), /^\*\*name\*\* — The name of the exception \(unique within the rule; /);
  assert.ok(!hoverMarkdownAt(exception, '0.44').includes('plugin'));
});
