// Session 17: `${VAR}` in rules_files where the manifest gives Falco's container the variable's literal value (the
// chart's values' extra.env, the Falco Operator's Falco resource): read with that value for the chart's load order and
// in the hover; valueFrom, envFrom and the like stay unknown and the hover says why (embedded/containerEnv.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-types';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { envReading } from '../../server/src/service/config/model';
import { openHost, operatorConfig, positionOf } from './embedded-helpers';
import { service } from './operator-tuning-helpers';

const values = (rulesFiles: string, env: string) => [
  'customRules:',
  '  web.yaml: |-',
  '    - list: web',
  '      items: [nginx]',
  'falco:',
  '  rules_files:',
  `    - ${rulesFiles}`,
  '  json_output: true',
  'extra:',
  '  env:',
  ...env.split('\n').map((l) => `    ${l}`),
  '',
].join('\n');

const notLoaded = (text: string) => analyzeHost(text).problems.filter((p) => p.code === 'embedded-rules-dir-not-loaded').map((p) => text.slice(p.span[0], p.span[1]));
const chartLoad = (text: string) => analyzeHost(text).files.find((f) => f.key === 'web.yaml')?.chartLoad;
/** A hover's Markdown with its escapes undone. */
const hoverText = (h: Hover | null | undefined) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '').replace(/\\(.)/g, '$1');

test('the chart\'s rules_files through ${VAR}: read with the literal value extra.env gives it', () => {
  const reads = values('${RULES_D}', '- name: RULES_D\n  value: /etc/falco/rules.d');
  assert.deepEqual(notLoaded(reads), []);
  assert.deepEqual(chartLoad(reads)?.paths, ['/etc/falco/rules.d']);
  // Another folder: the customRules are never loaded, as with the path written out.
  assert.deepEqual(notLoaded(values('${RULES_D}', '- name: RULES_D\n  value: /etc/falco/other')), ['web.yaml']);
  // The value is read again (a ${…} in it is replaced too); later entries win.
  assert.deepEqual(chartLoad(values('${A}', '- name: B\n  value: /etc/falco\n- name: A\n  value: x\n- name: A\n  value: ${B}/rules.d'))?.paths, ['/etc/falco/rules.d']);
  // Not known: valueFrom, a template, $(…) that Kubernetes expands, a name no entry gives. Not judged (as before).
  for (const env of ['- name: RULES_D\n  valueFrom:\n    configMapKeyRef: {name: c, key: k}', '- name: RULES_D\n  value: "{{ .Values.dir }}"', '- name: RULES_D\n  value: $(BASE)/rules.d', '- name: OTHER\n  value: /x']) {
    const text = values('${RULES_D}', env);
    assert.deepEqual(notLoaded(text), [], env);
    assert.equal(chartLoad(text), null, env);
  }
});

test('the hover of such a ${VAR}: its value and what Falco reads, or why it is not known', () => {
  const uri = 'file:///ws/deploy/values.yaml';
  const { service: s } = service({});
  const known = values('${RULES_D}/web.yaml', '- name: RULES_D\n  value: /etc/falco/rules.d');
  let doc = openHost(s, known, uri);
  assert.equal(hoverText(s.embedded.hover!(doc, positionOf(known, '${RULES_D}', 3))).split('\n\n')[0],
    '`${RULES_D}` is `/etc/falco/rules.d` (extra.env of these values, line 11): Falco reads `/etc/falco/rules.d/web.yaml` here (it replaces `${NAME}` when it reads this file, at start and at each reload).');
  const from = values('${RULES_D}/web.yaml', '- name: RULES_D\n  valueFrom:\n    fieldRef: {fieldPath: metadata.name}');
  doc = openHost(s, from, uri);
  assert.match(hoverText(s.embedded.hover!(doc, positionOf(from, '${RULES_D}', 3))), /^`\$\{RULES_D\}` is not known: the pod sets it when it starts, from valueFrom \(extra\.env of these values, line 11\): a field of the pod, a Secret's or a ConfigMap's key, which Falco Lens does not read\. Falco Lens does not check this value\./);
});

test('a Falco Operator Config\'s ${VAR}: the env of the Falco resource of its namespace, the operator\'s own merged in', () => {
  const falco = (env: string) => [
    'apiVersion: instance.falcosecurity.dev/v1alpha1',
    'kind: Falco',
    'metadata:',
    '  name: falco',
    '  namespace: falco',
    'spec:',
    '  podTemplateSpec:',
    '    spec:',
    '      containers:',
    '        - name: falco',
    ...env.split('\n').map((l) => `          ${l}`),
    '---',
    '',
  ].join('\n');
  const config = operatorConfig('c', 60, 'rules_files:\n  - ${HOST_ROOT}${EXTRA}/rules.yaml');
  const uri = 'file:///ws/deploy/falco/configs.yaml';
  const { service: s } = service({});
  const hoverAt = (text: string) => hoverText(s.embedded.hover!(openHost(s, text, uri), positionOf(text, '${EXTRA}', 2))).split('\n\n')[0];
  const known = falco('env:\n  - name: EXTRA\n    value: /etc/extra') + config;
  assert.equal(hoverAt(known), '`${HOST_ROOT}` is `/host` (the Falco Operator\'s own env of the falco container); `${EXTRA}` is `/etc/extra` (Falco \'falco\', line 12): Falco reads `/host/etc/extra/rules.yaml` here (it replaces `${NAME}` when it reads this file, at start and at each reload).');
  const envFrom = falco('envFrom:\n  - secretRef: {name: s}') + config;
  assert.match(hoverAt(envFrom), /`\$\{EXTRA\}` is not known: envFrom of Falco 'falco' \(line 12\) may set it from a ConfigMap's or a Secret's keys\./);
  assert.match(hoverAt(falco('env: []') + config), /`\$\{EXTRA\}` is not known: it is not in the env of the falco container of Falco 'falco': only the image or Kubernetes may set it\./);
  // Without a Falco resource in the manifest: Falco's environment is not known (as before).
  assert.match(hoverAt(config), /Falco Lens does not know that environment/);
});

test('Falco\'s expansion with known values: read again, and endless where a value holds itself', () => {
  const env = (values: Record<string, string>) => (name: string) => (name in values ? { value: values[name], where: 'x' } : { why: 'unset here' });
  assert.equal(envReading('${A}/x $${B}', env({ A: '${C}', C: '/c' })).text, '/c/x ${B}');
  assert.equal(envReading('a$b ${A}', env({ A: '/a' })).text, 'a$b ${A}');
  assert.deepEqual(envReading('${A}', env({ A: 'x${A}' })).endless, true);
  assert.deepEqual(envReading('${A}${Z}', env({ A: '/a' })).vars, ['Z']);
});
