// Session 24 audit: Falco's own falco.yaml of every release, at that release, changed the ways users change it
// around the checks of this session, on a host laid out as Falco's packages install it: every plugins entry loaded
// (load_plugins taken out: no entry repeats, no library twice), and the gRPC server on over TLS with its certificates
// written where Falco's defaults put them (0.37-0.43). None is a finding; the gRPC keys are said only as the schema's
// (0.39-0.43).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { doc, service, show } from './config-service-helpers';
import { compareVersions } from '../../server/src/knowledge/falcoVersions';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'falco-config');
const MAIN = '/etc/falco/falco.yaml';
const INSTALL: Record<string, string> = {
  '/etc/falco/falco_rules.yaml': '- list: shell_binaries\n  items: [bash]\n', '/etc/falco/falco_rules.local.yaml': '', '/etc/falco/rules.d/local.yaml': '',
  '/etc/falco/certs/server.key': 'key', '/etc/falco/certs/server.crt': 'crt', '/etc/falco/certs/ca.crt': 'ca',
  ...Object.fromEntries(['container', 'k8saudit', 'cloudtrail', 'json'].map((p) => [`/usr/share/falco/plugins/lib${p}.so`, 'so'])),
};

test('Falco\'s falco.yaml of each release, every plugin loaded and gRPC over TLS: no finding', (t) => {
  if (!fs.existsSync(FIXTURES)) { t.skip('test/fixtures/falco-config is absent'); return; }
  for (const file of fs.readdirSync(FIXTURES).filter((f) => /^falco-\d+\.\d+\.\d+\.yaml$/.test(f))) {
    const release = /falco-(\d+\.\d+)\.\d+\.yaml/.exec(file)![1];
    let text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    assert.ok(text.includes('load_plugins: []\n'), file);
    text = text.replace('load_plugins: []\n', '');
    const grpc = /^grpc:\n  enabled: false\n  bind_address: "unix:\/\/\/run\/falco\/falco.sock"\n/m;
    if (compareVersions(release, '0.44') < 0) {
      assert.match(text, grpc, file);
      text = text.replace(grpc, 'grpc:\n  enabled: true\n  bind_address: "0.0.0.0:5060"\n  private_key: /etc/falco/certs/server.key\n  cert_chain: /etc/falco/certs/server.crt\n  root_certs: /etc/falco/certs/ca.crt\n');
    }
    const { service: s } = service({ ...INSTALL, [MAIN]: text }, release);
    const found = s.config.diagnostics(doc(MAIN, text));
    const expected = compareVersions(release, '0.39') >= 0 && compareVersions(release, '0.44') < 0 ? ['private_key', 'cert_chain', 'root_certs'] : [];
    const unknown = found.filter((d) => d.code === 'config-unknown-key').map((d) => text.slice(doc(MAIN, text).offsetAt(d.range.start), doc(MAIN, text).offsetAt(d.range.end)));
    assert.deepEqual(unknown, expected, `${file}: ${show(found)}`);
    // 0.43 logs the gRPC server's deprecation; nothing else.
    assert.deepEqual(found.filter((d) => d.code !== 'config-unknown-key' && !(release === '0.43' && d.code === 'config-deprecated-key')).map((d) => d.code), [], `${file}: ${show(found)}`);
  }
});
