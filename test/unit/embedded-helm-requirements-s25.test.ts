// Session 25: an umbrella chart's dependency on Falco's chart as Helm reads it. Helm's loader reads requirements.yaml
// (Helm 2's place for dependencies, apiVersion v1) after Chart.yaml into the same chart.Metadata, whatever the
// apiVersion (helm pkg/chart/loader/load.go v3.19.5:111-127, pkg/chart/v2/loader/load.go v4.2.4:116-130): its
// `dependencies` replace Chart.yaml's. And Helm decides a dependency's condition and tags on the values coalesced
// (chartutil CoalesceValues: the values given over the chart's values.yaml, a null deleting the chart's key): a values
// file given with -f that does not set the condition gets the chart's values.yaml's. Other -f files and --set are not
// known, and the information says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { falcoDependencies } from '../../server/src/service/embedded/chartDependencies';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

const V1_CHART = 'apiVersion: v1\nname: platform-security\nversion: 1.4.0\ndescription: Runtime security for the platform clusters\n';
const requirements = (falco: string) => `dependencies:\n  - name: falcosidekick\n    version: 0.9.x\n    repository: https://falcosecurity.github.io/charts\n  - name: falco\n    version: 9.1.0\n    repository: https://falcosecurity.github.io/charts\n${falco}`;
const RULES = '  customRules:\n    web.yaml: |-\n      - rule: Shell in web container\n        desc: A shell in a web server\'s container.\n        condition: evt.type = execve and proc.name in (bash, sh) and container.image.repository endswith /nginx\n        output: Shell in web container (command=%proc.cmdline container=%container.name)\n        priority: WARNING\n';

function findings(files: Record<string, string>, path: string, text: string) {
  const host = new MemoryHost(files, { folders: ['/ws'] });
  const s = new FalcoLanguageService(host);
  const doc = openHost(s, text, pathToUri(path));
  const found = () => s.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(text, d), String(d.message)] as const);
  return { found: found(), again: found, deployments: () => s.embedded.deployments!().map((d) => d.label), host, s };
}

test('a Helm 2 chart: requirements.yaml lists Falco\'s chart, under an alias, with a condition', () => {
  const chart = { '/ws/platform/Chart.yaml': V1_CHART, '/ws/platform/requirements.yaml': requirements('    alias: runtime\n    condition: runtime.enabled\n') };
  // Two keys of three misspelt: checked only as the Falco chart's values, which the alias says they are.
  const values = 'runtime:\n  falco:\n    json_ouput: true\n    log_lvl: info\n    priority: debug\n';
  const read = findings(chart, '/ws/platform/values-prod.yaml', values).found;
  assert.deepEqual(read.map(([code, at]) => [code, at]), [['config-unknown-key', 'json_ouput'], ['config-unknown-key', 'log_lvl']]);
  assert.deepEqual(findings({ '/ws/platform/Chart.yaml': V1_CHART }, '/ws/platform/values-prod.yaml', values).found, [], 'without requirements.yaml');
  // Its condition: said as requirements.yaml's.
  const off = findings(chart, '/ws/platform/values.yaml', `runtime:\n  enabled: false\n${RULES}`);
  assert.deepEqual(off.found.map(([code, at]) => [code, at]), [['embedded-umbrella-falco-off', 'false']]);
  assert.match(off.found[0][2], /^With the chart's default values Helm does not install the Falco chart that requirements\.yaml lists under 'runtime': runtime\.enabled is false, and requirements\.yaml gives the dependency the condition runtime\.enabled\./);
});

test('requirements.yaml\'s dependencies replace Chart.yaml\'s, whatever the apiVersion; a change of it is read again', () => {
  const v2 = 'apiVersion: v2\nname: platform-security\nversion: 1.4.0\ndependencies:\n  - name: falco\n    version: 9.1.0\n    repository: https://falcosecurity.github.io/charts\n    alias: runtime\n';
  assert.deepEqual(falcoDependencies(v2).map((d) => [d.key, d.listedIn]), [['runtime', 'Chart.yaml']]);
  assert.deepEqual(falcoDependencies(v2, 'dependencies:\n  - name: falcosidekick\n    version: 0.9.x\n'), []);
  assert.deepEqual(falcoDependencies(v2, 'dependencies:\n'), [], 'a null list is no dependency');
  assert.deepEqual(falcoDependencies(v2, '# no dependencies key\n').map((d) => d.key), ['runtime'], 'no key: Chart.yaml\'s stand');
  assert.deepEqual(falcoDependencies(V1_CHART, requirements('')).map((d) => [d.key, d.listedIn]), [['falco', 'requirements.yaml']]);
  const values = 'runtime:\n  falco:\n    json_ouput: true\n    log_lvl: info\n    priority: debug\n';
  const { host, s, again } = findings({ '/ws/platform/Chart.yaml': V1_CHART }, '/ws/platform/values-prod.yaml', values);
  assert.deepEqual(again(), []);
  host.files.set('/ws/platform/requirements.yaml', requirements('    alias: runtime\n'));
  s.didChangeWatchedFiles([pathToUri('/ws/platform/requirements.yaml')]);
  assert.deepEqual(again().map(([code, at]) => [code, at]), [['config-unknown-key', 'json_ouput'], ['config-unknown-key', 'log_lvl']]);
});

test('a values file given with -f: Helm decides on it over the chart\'s values.yaml', () => {
  const chart = { '/ws/platform/Chart.yaml': V1_CHART, '/ws/platform/requirements.yaml': requirements('    alias: runtime\n    condition: runtime.enabled\n    tags: [security]\n') };
  const defaultsOff = { ...chart, '/ws/platform/values.yaml': 'runtime:\n  enabled: false\n' };
  // prod.yaml does not set runtime.enabled: the chart's false decides, said at prod.yaml's runtime key.
  const off = findings(defaultsOff, '/ws/platform/prod.yaml', `runtime:\n${RULES}`);
  assert.deepEqual(off.found.map(([code, at]) => [code, at]), [['embedded-umbrella-falco-off', 'runtime']]);
  assert.equal(off.found[0][2], 'With these values over the chart\'s values.yaml Helm does not install the Falco chart that requirements.yaml lists under \'runtime\': runtime.enabled is false in the chart\'s values.yaml (these values do not set it), and requirements.yaml gives the dependency the condition runtime.enabled. Unless other values given at install (a later -f file, --set) turn it on, no Falco runs with the values under \'runtime\': Falco Lens still checks them, and offers no tuning into them.');
  assert.deepEqual(off.deployments(), []);
  // prod.yaml turns it on: installed, tuning offered.
  const on = findings(defaultsOff, '/ws/platform/prod.yaml', `runtime:\n  enabled: true\n${RULES}`);
  assert.deepEqual(on.found, []);
  assert.deepEqual(on.deployments(), ['platform/prod.yaml']);
  // A null deletes the chart's key: no condition decides, and the tags do (a false tag of the chart's values.yaml).
  const tagged = findings({ ...chart, '/ws/platform/values.yaml': 'runtime:\n  enabled: false\ntags:\n  security: false\n' }, '/ws/platform/prod.yaml', `runtime:\n  enabled: null\n${RULES}`);
  assert.deepEqual(tagged.found.map(([code, at]) => [code, at]), [['embedded-umbrella-falco-off', 'runtime']]);
  assert.match(tagged.found[0][2], /: tags\.security is false in the chart's values\.yaml \(these values do not set it\) and no other of its tags \(security\) is true\./);
  // The chart's own values.yaml is read alone, as before: its false said at the value, installs may turn it on.
  const own = findings(defaultsOff, '/ws/platform/values.yaml', `runtime:\n  enabled: false\n${RULES}`);
  assert.match(own.found[0][2], /^With the chart's default values .* Unless values given at install turn it on/);
});
