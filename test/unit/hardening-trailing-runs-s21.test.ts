// Session 21: trailing runs were cut with regexes such as /\/+$/ and /\.+$/, which V8 retries from each character of
// a run standing inside the text: quadratic (80,000 slashes then a letter: 2.3 s). The paths come from manifests
// and falco.yaml: untrusted. text.ts withoutTrailing reads the run backwards. The manifest case took 58 s on the old
// code (2 s now); its assertions are on what the service answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { withoutTrailing } from '../../server/src/service/text';
import { MemoryHost } from './rules-host';
import { openHost } from './embedded-helpers';

const RUN = 400_000;

test('withoutTrailing cuts the final run only, keeping the first characters asked for', () => {
  assert.equal(withoutTrailing('/etc/falco///', '/'), '/etc/falco');
  assert.equal(withoutTrailing('///', '/', 1), '/');
  assert.equal(withoutTrailing('///', '/'), '');
  assert.equal(withoutTrailing('a//b', '/'), 'a//b');
  assert.equal(withoutTrailing('rules\r\n\n\r\n', '\r\n'), 'rules');
  assert.equal(withoutTrailing('', '/'), '');
  const inside = `${'/'.repeat(RUN)}x/`;
  assert.equal(withoutTrailing(inside, '/'), inside.slice(0, -1));
});

test('a DaemonSet whose falco container has an argument of 400,000 slashes and a letter, and a config_files path so', () => {
  // configMap.ts reads the container's command for '-c' after a word whose base name is 'falco' (basename cut the
  // argument's final slashes), and an entry's key from a config_files path's base name.
  const run = '/'.repeat(RUN);
  const text = [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: falco', 'data:', '  falco.yaml: |-',
    '    config_files:', `      - ${run}outputs.yaml`, '    stdout_output:', '      enabled: true',
    '---', 'apiVersion: apps/v1', 'kind: DaemonSet', 'metadata:', '  name: falco', 'spec:', '  template:', '    spec:',
    '      containers:', '        - name: falco', '          image: falcosecurity/falco:0.44.0',
    `          command: ['${run}x', '/usr/bin/falco', '-c', '/etc/falco/falco.yaml']`,
    '          volumeMounts:', '            - {name: config, mountPath: /etc/falco}', '      volumes:', '        - name: config', '          configMap:',
    '            name: falco', '',
  ].join('\n');
  const service = new FalcoLanguageService(new MemoryHost({}, { ruleFiles: [], folders: ['/ws'] }));
  const doc = openHost(service, text, 'file:///ws/falco.yaml');
  const found = service.embedded.diagnostics(doc);
  for (const d of found) assert.ok(d.range.start.line >= 0 && d.range.end.line < 30, JSON.stringify(d.range));
  assert.ok(found.some((d) => d.range.start.line === 7), JSON.stringify(found.map((d) => [d.code, d.range.start.line])));
});
