// Session 24: umbrella charts. A chart whose Chart.yaml lists Falco's chart as a dependency gives it the values under
// the dependency's key (its alias, else 'falco'): that mapping is the Falco chart's values, its `falco:` is falco.yaml's
// keys. Falco Lens guessed both from the keys alone: an umbrella `falco:` holding `metrics` and `falco` was taken for
// falco.yaml ('falco' an unknown key of it), a `falco:` whose keys are mostly misspelt was not checked at all, and the
// values of a subchart with no customRules nor falco: configuration (only `driver:`) took no tuning. A dependency its
// values turn off (condition, tags: helm dependencies.go processDependencyEnabled) runs no Falco.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

const chart = (dependency: string) => `apiVersion: v2
name: platform-security
description: Runtime security for the platform clusters
type: application
version: 1.4.0
dependencies:
  - name: falcosidekick
    version: 0.9.x
    repository: https://falcosecurity.github.io/charts
    condition: falcosidekick.enabled
  - name: falco
    version: 9.1.0
    repository: https://falcosecurity.github.io/charts
${dependency}`;

function findings(files: Record<string, string>, path: string, text: string) {
  const host = new MemoryHost(files, { folders: ['/ws'] });
  const s = new FalcoLanguageService(host);
  const doc = openHost(s, text, pathToUri(path));
  const found = s.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(text, d), String(d.message)] as const);
  return { found, deployments: () => s.embedded.deployments!().map((d) => d.label), host, s, doc };
}

test('an umbrella\'s falco: key is the subchart\'s values, never falco.yaml: its falco: is checked, the key is not', () => {
  const values = 'falco:\n  metrics:\n    enabled: true\n  falco:\n    log_level: verbose\n    json_output: true\n';
  const inChart = findings({ '/ws/platform/Chart.yaml': chart('') }, '/ws/platform/values.yaml', values).found;
  assert.deepEqual(inChart.map(([code, at]) => [code, at]), [['config-start-fails', 'verbose']]);
  // Without the Chart.yaml, the same text is read by its keys (metrics is a key of falco.yaml): as before.
  const alone = findings({}, '/ws/platform/values.yaml', values).found;
  assert.ok(alone.some(([code, at]) => code === 'config-unknown-key' && at === 'falco'), 'taken for falco.yaml without the Chart.yaml');
});

test('an alias: the values under it are the Falco chart\'s, its falco: checked whatever its keys look like', () => {
  // Two keys of three misspelt: not enough of falco.yaml's keys to be taken for it by its look.
  const values = 'runtime:\n  driver:\n    kind: modern_ebpf\n  falco:\n    json_ouput: true\n    log_lvl: info\n    priority: debug\n';
  const { found } = findings({ '/ws/platform/Chart.yaml': chart('    alias: runtime\n') }, '/ws/platform/values-prod.yaml', values);
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['config-unknown-key', 'json_ouput'], ['config-unknown-key', 'log_lvl']]);
  assert.deepEqual(findings({}, '/ws/platform/values-prod.yaml', values).found, [], 'unchecked without the Chart.yaml');
});

test('the subchart\'s values take tuning even with neither customRules nor falco: (only driver:)', () => {
  const values = 'runtime:\n  driver:\n    kind: modern_ebpf\nfalcosidekick:\n  enabled: true\n';
  assert.deepEqual(findings({ '/ws/platform/Chart.yaml': chart('    alias: runtime\n') }, '/ws/platform/values.yaml', values).deployments(), ['platform/values.yaml']);
  assert.deepEqual(findings({}, '/ws/platform/values.yaml', values).deployments(), []);
});

test('a dependency its values turn off: information at the value, no tuning, the values still checked', () => {
  const dependency = '    alias: runtime\n    condition: runtime.enabled,global.falco.enabled\n    tags:\n      - security\n';
  const rules = '  customRules:\n    web.yaml: |-\n      - rule: Shell in web container\n        desc: A shell in a web server\'s container.\n        condition: evt.type = execve and proc.name in (bash, sh) and container.image.repository endswith /nginx\n        output: Shell in web container (command=%proc.cmdline container=%container.name)\n        priority: WARNING\n';
  const values = `runtime:\n  enabled: no\n  falco:\n    log_level: verbose\n${rules}`;
  const defaults = findings({ '/ws/platform/Chart.yaml': chart(dependency) }, '/ws/platform/values.yaml', values);
  assert.deepEqual(defaults.found.map(([code, at]) => [code, at]), [['embedded-umbrella-falco-off', 'no'], ['config-start-fails', 'verbose']]);
  assert.equal(defaults.found[0][2], 'With the chart\'s default values Helm does not install the Falco chart that Chart.yaml lists under \'runtime\': runtime.enabled is false, and Chart.yaml gives the dependency the condition runtime.enabled,global.falco.enabled. Unless values given at install turn it on, no Falco runs with the values under \'runtime\': Falco Lens still checks them, and offers no tuning into them.');
  assert.deepEqual(defaults.deployments(), []);
  // The first condition path with a boolean decides; one with another value is passed over (Helm warns).
  const second = findings({ '/ws/platform/Chart.yaml': chart(dependency) }, '/ws/platform/prod.yaml', `global:\n  falco:\n    enabled: false\nruntime:\n  enabled: "yes"\n${rules}`);
  assert.deepEqual(second.found.map(([code, at]) => [code, at]), [['embedded-umbrella-falco-off', 'false']]);
  assert.match(second.found[0][2], /^With these values Helm does not install .*: global\.falco\.enabled is false, .* Unless values given beside them turn it on/);
  // Tags decide where no condition does: off with a false tag and no true one; a condition on overrides them.
  const tags = `tags:\n  security: false\nruntime:\n${rules}`;
  const tagged = findings({ '/ws/platform/Chart.yaml': chart(dependency) }, '/ws/platform/values.yaml', tags);
  assert.deepEqual(tagged.found.map(([code, at]) => [code, at]), [['embedded-umbrella-falco-off', 'false']]);
  assert.match(tagged.found[0][2], /: tags\.security is false and no other of its tags \(security\) is true\./);
  const on = findings({ '/ws/platform/Chart.yaml': chart(dependency) }, '/ws/platform/values.yaml', `tags:\n  security: false\nruntime:\n  enabled: true\n${rules}`);
  assert.deepEqual(on.found, []);
  assert.deepEqual(on.deployments(), ['platform/values.yaml']);
});

test('a Chart.yaml that changes: the values are read again with its dependencies', () => {
  const values = 'falco:\n  metrics:\n    enabled: true\n  falco:\n    log_level: verbose\n';
  const without = chart('').replace(/  - name: falco\n[^]*$/, '');
  const { host, s, doc } = findings({ '/ws/platform/Chart.yaml': without }, '/ws/platform/values.yaml', values);
  const codes = () => s.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(values, d)]);
  assert.ok(codes().some(([code, at]) => code === 'config-unknown-key' && at === 'falco'), 'no dependency on falco: read by its keys');
  host.files.set('/ws/platform/Chart.yaml', chart(''));
  s.didChangeWatchedFiles([pathToUri('/ws/platform/Chart.yaml')]);
  assert.deepEqual(codes(), [['config-start-fails', 'verbose']]);
});
