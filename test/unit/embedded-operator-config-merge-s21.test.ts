// Session 21 (helper C): a Falco Operator Config's spec.config goes the way of a Rulesfile's inlineRules: kubectl reads
// it with go-yaml v2 and sends JSON, and the operator writes it back for Falco (controllers/artifact/config/
// controller.go ensureConfig at v0.4.1: common.JSONRawToYAML, sigs.k8s.io/yaml JSONToYAML), as a file of
// /etc/falco/config.d that its falco.yaml includes. A `<<` merge key or an alias of an anchor outside config left the
// Config unchecked; it is now checked as kubectl expands it, merged with the operator's falco.yaml as any Config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { message, openHost, operatorConfig, positionOf, textAt } from './embedded-helpers';
import { service } from './operator-tuning-helpers';

const URI = 'file:///ws/deploy/falco/config.yaml';

const BODY = [
  'file_output: &out',
  '  enabled: true',
  '  keep_alive: false',
  '  filename: /tmp/events.txt',
  'stdout_output:',
  '  !!merge <<: *out',
  '  enabled: false',
  'syslog_output: {<<: {enabled: maybe}}',
  'log_level: *level',
].join('\n');
const host = operatorConfig('outputs', 60, BODY).replace('  namespace: falco\n', '  namespace: falco\n  annotations:\n    level: &level verbose\n');

test('a Config with merge keys and an alias of an anchor outside config is the text kubectl sends', () => {
  assert.deepEqual(analyzeHost(host).files.map((f) => f.text), [[
    'file_output: &out',
    '  enabled: true',
    '  keep_alive: false',
    '  filename: /tmp/events.txt',
    'stdout_output:',
    '  "keep_alive": false',
    '  "filename": "/tmp/events.txt"',
    '  enabled: false',
    'syslog_output: {"enabled": "maybe"}',
    'log_level: "verbose"',
    '',
  ].join('\n')]);
});

test('a Config\'s findings in merged keys sit on the \'<<\' line, the flow pair or the alias', () => {
  const { service: s } = service({});
  const doc = openHost(s, host, URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code !== 'embedded-kubectl-expanded');
  assert.deepEqual(found.map((d) => [d.code, d.range.start.line, textAt(host, d)]), [
    ['config-unknown-key', positionOf(host, '<<: *out').line, '<<'],
    ['config-unknown-key', positionOf(host, '<<: *out').line, '<<'],
    ['config-wrong-type', positionOf(host, '<<: {enabled').line, '<<: {enabled: maybe}'],
    ['config-start-fails', positionOf(host, '*level').line, '*level'],
  ]);
  assert.match(message(found[0]), /\(In the keys the '<<' of this line merges, as kubectl expands it\.\)$/);
  const notes = s.embedded.diagnostics(doc).filter((d) => d.code === 'embedded-kubectl-expanded').map((d) => [textAt(host, d), message(d)]);
  assert.deepEqual(notes.map(([text]) => text), ['<<', '<<', '*level']);
  assert.match(notes[0][1], /Falco Lens checks config merged so: a finding in the merged keys is shown on this line\.$/);
  assert.match(notes[2][1], /outside config, and the operator writes that copy for Falco\. Falco Lens checks config with that copy in place of the alias/);
});
