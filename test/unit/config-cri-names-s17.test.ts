// Falco 0.39 reads the CRI sockets from container_engines.cri.cri, and 0.39-0.40 read disable-cri-async
// (configuration.cpp:689-692 at 0.39.0, :706 at 0.40.0): the schema's names do nothing there, the other names work.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { STARTS, at, check, message, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const CRI = `${STARTS}container_engines:\n  cri:\n    enabled: true\n    sockets: [/run/custom/containerd.sock]\n    disable_async: true\n`;

test('container_engines.cri.sockets at 0.39 and disable_async at 0.39-0.40 have no effect; the names Falco reads are not "ignored"', () => {
  const at039 = check({}, MAIN, { text: CRI, falcoVersion: '0.39' });
  assert.deepEqual(at(at039), [['config-key-too-new', 5, 4], ['config-key-too-new', 6, 4]], show(at039));
  assert.match(message(at039[0]), /^Falco 0\.39 does not read container_engines\.cri\.sockets: it reads container_engines\.cri\.cri instead/);
  const at040 = check({}, MAIN, { text: CRI, falcoVersion: '0.40' });
  assert.deepEqual(at(at040), [['config-key-too-new', 6, 4]], show(at040));
  assert.deepEqual(check({}, MAIN, { text: CRI, falcoVersion: '0.41' }), []);
  // The values Falco uses anyway (libs' three default sockets, asynchronous lookups): nothing to say.
  const stock = `${STARTS}container_engines:\n  cri:\n    sockets: ["/run/containerd/containerd.sock", "/run/crio/crio.sock", "/run/k3s/containerd/containerd.sock"]\n    disable_async: false\n`;
  assert.deepEqual(check({}, MAIN, { text: stock, falcoVersion: '0.39' }), []);
  // The name 0.40 reads: the schema fails on it, but Falco does not ignore it.
  const dashed = check({}, MAIN, { text: `${STARTS}container_engines:\n  cri:\n    disable-cri-async: true\n`, falcoVersion: '0.40' });
  assert.equal(dashed.length, 1, show(dashed));
  assert.match(message(dashed[0]), /^Falco 0\.40 reads container_engines\.cri\.disable-cri-async \(in place of container_engines\.cri\.disable_async, which it does not read\), but its schema does not list it/);
});
