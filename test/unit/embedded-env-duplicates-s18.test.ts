// Session 18: an env name written twice in a container. The kubelet keeps the later entry (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables: `tmpEnv[envVar.Name] = runtimeVal` in order), so the chart's extra.env reads its last
// entry (embedded-env-s17 pins that); the Falco Operator reads the pod template as typed structured-merge-diff values
// where a container's env is a list keyed by name (internal/pkg/scheme/parser.go at v0.4.1) and refuses a name twice
// ("duplicate entries for key", structured-merge-diff v4.7.0 typed/validate.go:145): no Falco is deployed, so the
// variable's value is not known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-types';
import { openHost, operatorConfig, positionOf } from './embedded-helpers';
import { service } from './operator-tuning-helpers';

const hoverText = (h: Hover | null | undefined) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '').replace(/\\(.)/g, '$1');
const falco = (env: string) => ['apiVersion: instance.falcosecurity.dev/v1alpha1', 'kind: Falco', 'metadata:', '  name: falco', '  namespace: falco', 'spec:',
  '  podTemplateSpec:', '    spec:', '      containers:', '        - name: falco', ...env.split('\n').map((l) => `          ${l}`), '---', ''].join('\n');

test('the operator\'s Falco listing an env name twice: not known, the operator deploys no Falco', () => {
  const config = operatorConfig('c', 60, 'rules_files:\n  - ${EXTRA}/rules.yaml');
  const uri = 'file:///ws/deploy/falco/configs.yaml';
  const { service: s } = service({});
  const hoverAt = (text: string) => hoverText(s.embedded.hover!(openHost(s, text, uri), positionOf(text, '${EXTRA}', 2))).split('\n\n')[0];
  const twice = falco('env:\n  - name: EXTRA\n    value: /etc/a\n  - name: EXTRA\n    value: /etc/b') + config;
  assert.match(hoverAt(twice), /^`\$\{EXTRA\}` is not known: the env of the falco container of Falco 'falco' lists it twice \(lines 12 and 14\), and the operator refuses to merge such a pod template \('duplicate entries for key \[name="EXTRA"\]'\): it deploys no Falco\./);
  // Written once it is known, as before.
  assert.match(hoverAt(falco('env:\n  - name: EXTRA\n    value: /etc/b') + config), /^`\$\{EXTRA\}` is `\/etc\/b`/);
});
