// Session 24: the gRPC server's TLS files (grpc.private_key, cert_chain, root_certs). Falco 0.37-0.43 reads them
// (configuration.cpp 0.37.0:331-333, 0.43.0:493-498) though the schema of 0.39-0.43 does not list them (its Grpc
// mapping has enabled, bind_address and threadiness only), with the server on and bound to an address, not a
// unix:// socket (grpc_server.cpp init); falco::utils::readfile leaves a file it cannot open empty, and the server
// does not start ("Error starting gRPC server"). A relative path is read from the working directory, as the other
// files Falco reads (loadChecks.ts RELATIVE_PATH_VALUES); an absolute one missing while its folder exists is a
// config-file-missing warning, for these and the other files Falco reads (the web server's certificate, http_output's
// CA file and client certificate, the replayed capture).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { applyEdits, editsFor } from './rules-host';
import { STARTS, STARTS_037, doc, message, service, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const GRPC = 'grpc:\n  enabled: true\n  bind_address: "0.0.0.0:5060"\n  threadiness: 0\n';

function findings(snippet: string, version: string, files: Record<string, string> = {}) {
  const text = `${version === '0.37' ? STARTS_037 : STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text, ...files }, version);
  const d = doc(MAIN, text);
  const all = s.config.diagnostics(d);
  return {
    all,
    list: all.map((f) => ({ code: String(f.code), text: text.slice(d.offsetAt(f.range.start), d.offsetAt(f.range.end)), message: message(f) })),
    fix(code: string): string | undefined {
      const f = all.find((x) => x.code === code)!;
      const action = s.config.codeActions!(d, f.range, { diagnostics: [f] })[0];
      return action?.edit ? applyEdits(text, editsFor(action.edit, d.uri)) : undefined;
    },
    hover(needle: string): string {
      const h = s.config.hover!(d, d.positionAt(text.indexOf(needle) + 1));
      return (h?.contents as MarkupContent | undefined)?.value ?? '';
    },
  };
}

test('gRPC TLS files: read by 0.37-0.43, not unknown keys; the schema of 0.39-0.43 fails on them', () => {
  const keys = `${GRPC}  private_key: /etc/falco/certs/server.key\n  cert_chain: /etc/falco/certs/server.crt\n  root_certs: /etc/falco/certs/ca.crt\n`;
  const certs = { '/etc/falco/certs/server.key': 'k', '/etc/falco/certs/server.crt': 'c', '/etc/falco/certs/ca.crt': 'a' };
  for (const version of ['0.37', '0.38']) assert.deepEqual(findings(keys, version, certs).list, [], version);
  for (const version of ['0.39', '0.42']) {
    const { list } = findings(keys, version, certs);
    assert.deepEqual(list.map((f) => [f.code, f.text]), [['config-unknown-key', 'private_key'], ['config-unknown-key', 'cert_chain'], ['config-unknown-key', 'root_certs']], version);
    assert.equal(list[0].message, `Falco ${version} reads grpc.private_key, but its schema does not list it: the schema validation fails on it (Falco logs that and starts).`);
  }
  // 0.43 adds its deprecation of the server; 0.44 has no gRPC at all.
  assert.deepEqual(findings(keys, '0.43', certs).list.map((f) => f.code).sort(), ['config-deprecated-key', 'config-unknown-key', 'config-unknown-key', 'config-unknown-key']);
  assert.deepEqual(findings(keys, '0.44', certs).list.map((f) => [f.code, f.text]), [['config-key-removed', 'grpc']]);
  // The hover says which releases read the key.
  const hover = findings(keys, '0.42', certs).hover('private_key');
  assert.match(hover, /^\*\*grpc\\\.private\\_key\*\* \(Falco configuration\)/);
  assert.match(hover, /unix:\/\/ socket/);
  assert.match(hover, /Read by Falco up to 0\\\.43, though its configuration schema does not list it/);
  assert.match(findings(keys, '0.44', certs).hover('private_key'), /the target, Falco 0\\\.44, does not read it/);
});

test('gRPC TLS files: a relative path is the working directory\'s, a missing file is said, only where Falco reads them', () => {
  const files = { '/etc/falco/certs/server.key': 'k' };
  const snippet = `${GRPC}  private_key: certs/server.key\n  cert_chain: /etc/falco/certs/server.crt\n`;
  const found = findings(snippet, '0.38', files);
  assert.deepEqual(found.list.map((f) => [f.code, f.text]), [['config-relative-path', 'certs/server.key'], ['config-file-missing', '/etc/falco/certs/server.crt']], show(found.all));
  assert.match(found.list[0].message, /^Falco reads the relative path 'certs\/server\.key' \(the gRPC server's private key\) from its working directory, not from this file's folder: '\/certs\/server\.key' where .* Falco reads a file it cannot open as empty, without a word, and the gRPC server then does not start \("Error starting gRPC server"\); Falco runs on without it\. '\/etc\/falco\/certs\/server\.key' exists beside this file; write it as an absolute path\.$/);
  assert.equal(found.list[1].message, '\'/etc/falco/certs/server.crt\' (the gRPC server\'s certificate chain) does not exist on this machine, though its folder does: Falco reads a file it cannot open as empty, without a word, and the gRPC server then does not start ("Error starting gRPC server"); Falco runs on without it.');
  assert.equal(found.fix('config-relative-path'), `${STARTS}${GRPC}  private_key: /etc/falco/certs/server.key\n  cert_chain: /etc/falco/certs/server.crt\n`);
  // Not read: the server off, a unix:// socket, a ${VAR} address, Falco 0.44; nor judged where the folder is not here.
  for (const [text, version] of [
    [snippet.replace('enabled: true', 'enabled: false'), '0.42'],
    [snippet.replace('"0.0.0.0:5060"', 'unix:///run/falco/falco.sock'), '0.42'],
    [snippet.replace('"0.0.0.0:5060"', '${GRPC_ADDRESS}'), '0.42'],
    [`${GRPC}  root_certs: /opt/pki/ca.crt\n`, '0.42'],
  ] as const) assert.deepEqual(findings(text, version, files).list.filter((f) => f.code !== 'config-unknown-key'), [], text);
  // Without bind_address Falco listens on 0.0.0.0:5060, over TLS.
  assert.deepEqual(findings('grpc:\n  enabled: true\n  root_certs: ca.crt\n', '0.41').list.map((f) => [f.code, f.text]), [['config-unknown-key', 'root_certs'], ['config-relative-path', 'ca.crt']]);
});

test('a missing file Falco reads: the web server\'s certificate, http_output\'s files, the replayed capture', () => {
  const etc = { '/etc/falco/falco_rules.local.yaml': '' };
  const ssl = findings('webserver:\n  enabled: true\n  ssl_enabled: true\n  ssl_certificate: /etc/falco/falco.pem\n', '0.44', etc).list;
  // Falco refuses to start: an error, as every refusal (config-file-missing is for a file whose feature fails while Falco runs).
  assert.deepEqual(ssl, [{ code: 'config-start-fails', text: '/etc/falco/falco.pem', message: 'Falco refuses to start: \'/etc/falco/falco.pem\' (the web server\'s certificate) does not exist on this machine, though its folder does ("invalid webserver configuration").' }]);
  assert.deepEqual(findings('webserver:\n  enabled: true\n  ssl_enabled: true\n  ssl_certificate: /etc/falco/falco.pem\n', '0.44', { '/etc/falco/falco.pem': 'pem' }).list, []);
  const http = findings('http_output:\n  enabled: true\n  url: https://sidekick:2801\n  ca_cert: /etc/falco/ca.pem\n  mtls: true\n  client_cert: /etc/falco/client.crt\n  client_key: /etc/falco/client.key\n', '0.40', { '/etc/falco/client.key': 'k' }).list;
  assert.deepEqual(http.map((f) => [f.code, f.text]), [['config-file-missing', '/etc/falco/ca.pem'], ['config-file-missing', '/etc/falco/client.crt']]);
  assert.match(http[0].message, /curl cannot read it, so each alert's post fails \("libcurl failed to perform call"\) and the alert is not delivered there\.$/);
  // A CA folder curl does not find is not an error of its own; a CA setting curl does not get is not read.
  assert.deepEqual(findings('http_output:\n  enabled: true\n  url: https://sidekick:2801\n  ca_path: /etc/falco/cas\n', '0.44').list, []);
  assert.deepEqual(findings('http_output:\n  enabled: true\n  url: https://sidekick:2801\n  insecure: true\n  ca_cert: /etc/falco/ca.pem\n', '0.44').list, []);
  const replay = findings('engine:\n  kind: replay\n  replay:\n    capture_file: /etc/falco/trace.scap\n', '0.44').list;
  assert.deepEqual(replay.map((f) => [f.code, f.text]), [['config-start-fails', '/etc/falco/trace.scap']]);
  assert.match(replay[0].message, /^Falco refuses to start: '\/etc\/falco\/trace\.scap' \(the capture file it replays\) does not exist on this machine, though its folder does \("Could not open trace filename"\)\.$/);
});
