// Falco 0.43 logs deprecation warnings for the legacy eBPF probe and gVisor engines and for the gRPC server and output
// (configuration.cpp:257-261 and :480-505 at 0.43.0); 0.44 dropped them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { STARTS, at, check, message, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const TEXT = `${STARTS}engine:\n  kind: gvisor\n  gvisor:\n    config: /etc/falco/runsc.json\n    root: /run/containerd/runsc/k8s.io\ngrpc:\n  enabled: true\ngrpc_output:\n  enabled: false\n`;

test('at 0.43 the engines and the gRPC server 0.44 dropped are deprecation warnings; not at 0.42', () => {
  const found = check({}, MAIN, { text: TEXT, falcoVersion: '0.43' });
  assert.deepEqual(at(found), [['config-deprecated-key', 3, 8], ['config-deprecated-key', 8, 11]], show(found));
  assert.match(message(found[0]), /^Falco 0\.43 logs that the 'gvisor' engine is deprecated \("Using deprecated engine"\), and Falco 0\.44 dropped it/);
  assert.match(message(found[1]), /^Falco 0\.43 logs that the gRPC server is deprecated/);
  assert.deepEqual(check({}, MAIN, { text: TEXT, falcoVersion: '0.42' }), []);
});
