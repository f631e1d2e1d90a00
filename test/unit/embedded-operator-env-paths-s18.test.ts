// Session 18: a Falco Operator Config's rules_files through `${VAR}` is read with the values the namespace's Falco
// resource gives its falco container (containerEnv.ts, as the hover reads it, and as the chart's customRules load
// order reads extra.env): a relative value is said relative (Falco resolves it against '/': loadChecks.ts
// relativePathMessage), and a value naming /etc/falco/rules.d, which the operator's falco.yaml loads already, is said
// loaded twice from Falco 0.41 (config.d is merged with append: a Config's rules_files adds to the operator's). A pod's
// path written again (`/etc/falco/rules.d/`) is the same path as the pod resolves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openHost, operatorConfig, textAt } from './embedded-helpers';
import { service } from './operator-tuning-helpers';

const falco = (env: string) => ['apiVersion: instance.falcosecurity.dev/v1alpha1', 'kind: Falco', 'metadata:', '  name: falco', '  namespace: falco', 'spec:',
  '  podTemplateSpec:', '    spec:', '      containers:', '        - name: falco', ...env.split('\n').map((l) => `          ${l}`), '---', ''].join('\n');
const URI = 'file:///ws/deploy/falco/configs.yaml';

function found(env: string, rulesFiles: string, falcoVersion = '0.44'): [string, string, string][] {
  const { service: s, host } = service({});
  host.config = { ...host.config, falcoVersion };
  const text = falco(env) + operatorConfig('c', 60, `rules_files:\n  - ${rulesFiles}`);
  return s.embedded.diagnostics(openHost(s, text, URI)).map((d) => [String(d.code), textAt(text, d), typeof d.message === 'string' ? d.message : '']);
}

test('a Config\'s ${VAR} rules path is judged with the Falco resource\'s env', () => {
  const relative = found('env:\n  - name: R\n    value: rules/x.yaml', '${R}');
  assert.deepEqual(relative.map(([code, text]) => [code, text]), [['config-relative-path', '${R}']]);
  assert.match(relative[0][2], /^'\$\{R\}' reads 'rules\/x\.yaml' with the values the manifest gives Falco's container\. Falco reads the relative path 'rules\/x\.yaml' from its working directory/);
  const again = found('env:\n  - name: R\n    value: /etc/falco/rules.d', '${R}');
  assert.deepEqual(again.map(([code, text]) => [code, text]), [['config-rules-file-loaded-again', '${R}']]);
  assert.match(again[0][2], /^Falco loads '\/etc\/falco\/rules\.d' twice: '\/etc\/falco\/rules\.d' \(the operator's falco\.yaml .*\) loads it already\./);
  // Unknown values stay unjudged; a known value naming another path is fine.
  assert.deepEqual(found('env:\n  - name: R\n    valueFrom:\n      fieldRef: {fieldPath: metadata.name}', '${R}'), []);
  assert.deepEqual(found('env:\n  - name: R\n    value: /etc/falco/rules.d', '${HOST_ROOT}${R}'), []);
});

test('a pod\'s rules path named again is loaded again, from 0.41 (append) only', () => {
  assert.deepEqual(found('env: []', '/etc/falco/rules.d/').map(([code, text]) => [code, text]), [['config-rules-file-loaded-again', '/etc/falco/rules.d/']]);
  assert.deepEqual(found('env: []', '/etc/falco//./rules.d', '0.41').map(([code]) => code), ['config-rules-file-loaded-again']);
  // Before 0.41 a Config's rules_files replaces the operator's: read once.
  assert.deepEqual(found('env: []', '/etc/falco/rules.d', '0.40'), []);
  assert.deepEqual(found('env: []', '/etc/falco/other.yaml'), []);
});
