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

// An evt.type value said "`execve` — a literal value: no loaded list has this name." (or nothing after `=`).
test('an evt.type value: the event, from the event table; other values as before', () => {
  const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
  assert.match(hoverMarkdownAt(rule('evt.type in (op<|>en, openat)'), '0.44'), /^\*\*Event type\*\* `open` — 2 event codes in the event table of libs 0\.25\.2\.$/);
  assert.match(hoverMarkdownAt(rule('evt.type = exec<|>ve'), '0.44'), /^\*\*Event type\*\* `execve` — 16 event codes/);
  assert.match(hoverMarkdownAt(rule('syscall.type != ptr<|>ace'), '0.44'), /^\*\*Event type\*\* `ptrace`/);
  // A system call without an event of its own, newer than the target.
  assert.match(hoverMarkdownAt(rule('evt.type in (mse<|>al)'), '0.38'), /generic events \(event codes 0 and 1\)\.\n\nAdded in Falco 0\.39: Falco 0\.38 rejects it/);
  // A value of another field, or an unknown name: unchanged.
  assert.match(hoverMarkdownAt(rule('evt.type = open and proc.name in (op<|>en)'), '0.44'), /^`open` — a literal value/);
  assert.match(hoverMarkdownAt(rule('evt.type in (foo<|>bar)'), '0.44'), /^`foobar` — a literal value/);
});
