// Session 23: besides rules_files and config_files (config-relative-s17), Falco hands these paths to the file system
// as written, so a relative one is read from its working directory, '/' as shipped (loadChecks.ts
// RELATIVE_PATH_VALUES), each only where Falco uses it (0.44.0): engine.replay.capture_file with engine.kind replay
// (helpers_inspector.cpp open_savefile), file_output.filename when enabled (outputs_file.cpp std::ofstream),
// http_output's first CA setting unless insecure and its client certificate and key with mtls (outputs_http.cpp curl
// CURLOPT_CAINFO/CAPATH/SSLCERT/SSLKEY), webserver.ssl_certificate with the server and SSL on (webserver.cpp
// httplib::SSLServer), metrics.output_file with metrics on (stats_writer.cpp), capture.path_prefix with capture on
// from 0.42 (helpers.h generate_scap_file_path). A fix only for a file Falco reads that exists beside this file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, editsFor } from './rules-host';
import { STARTS, doc, message, service, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';

function relative(snippet: string, files: Record<string, string> = {}, version = '0.44'): { found: { path: unknown; message: string; fixes: string[]; after?: string }[] } {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text, ...files }, version);
  const d = doc(MAIN, text);
  const all = s.config.diagnostics(d);
  const found = all.filter((x) => x.code === 'config-relative-path');
  assert.deepEqual(all.filter((x) => x.code !== 'config-relative-path'), [], show(all));
  return {
    found: found.map((f) => {
      const actions = s.config.codeActions!(d, f.range, { diagnostics: [f] });
      const after = actions[0]?.edit ? applyEdits(text, editsFor(actions[0].edit, d.uri)).slice(STARTS.length) : undefined;
      return { path: (f.data as { path?: unknown }).path, message: message(f), fixes: actions.map((a) => a.title), ...(after !== undefined ? { after } : {}) };
    }),
  };
}

const SHIPPED = 'where Falco runs from its packages\' systemd units or its container images (the Helm chart\'s and the Falco Operator\'s pods included), which start it in \'/\'; the directory it is started in when run by hand.';

test('an output file: where Falco writes it, no fix (the folder is the user\'s choice)', () => {
  const { found } = relative('file_output:\n  enabled: true\n  filename: ./events.txt\n', { '/etc/falco/events.txt': '' });
  assert.deepEqual(found, [{
    path: 'file_output.filename',
    message: `Falco appends its alerts to the relative path './events.txt' from its working directory, not from this file's folder: '/events.txt' ${SHIPPED} Falco creates the file there. Write an absolute path.`,
    fixes: [],
  }]);
  assert.deepEqual(relative('metrics:\n  enabled: true\n  interval: 1h\n  output_rule: true\n  output_file: metrics.jsonl\n').found.map((f) => [f.path, f.fixes]), [['metrics.output_file', []]]);
  assert.match(relative('capture:\n  enabled: true\n  path_prefix: captures/falco\n').found[0].message,
    /^Falco writes its capture files at the relative path 'captures\/falco' from its working directory, not from this file's folder: '\/captures\/falco_<time>_<event>\.scap' where/);
});

test('a file Falco reads: the fix writes the file beside this one where it exists', () => {
  const replay = relative('engine:\n  kind: replay\n  replay:\n    capture_file: trace.scap\n', { '/etc/falco/trace.scap': 'scap' }).found;
  assert.deepEqual(replay, [{
    path: 'engine.replay.capture_file',
    message: `Falco reads the relative path 'trace.scap' (the capture file it replays) from its working directory, not from this file's folder: '/trace.scap' ${SHIPPED} Falco refuses to start where it cannot open it ("Could not open trace filename"). '/etc/falco/trace.scap' exists beside this file; write it as an absolute path.`,
    fixes: ['Load \'/etc/falco/trace.scap\', not \'/trace.scap\' (missing)'],
    after: 'engine:\n  kind: replay\n  replay:\n    capture_file: /etc/falco/trace.scap\n',
  }]);
  const ssl = relative('webserver:\n  enabled: true\n  ssl_enabled: true\n  ssl_certificate: falco.pem\n').found;
  assert.deepEqual(ssl.map((f) => [f.path, f.fixes]), [['webserver.ssl_certificate', []]]);
  assert.match(ssl[0].message, /^Falco reads the relative path 'falco\.pem' \(the web server's certificate\) from .* Falco refuses to start where it cannot read it \("invalid webserver configuration"\)\. Write an absolute path\.$/);
  // curl gets the first CA setting that is set, and the client certificate and key with mtls only.
  const http = 'http_output:\n  enabled: true\n  url: https://falcosidekick:2801\n';
  assert.deepEqual(relative(`${http}  ca_cert: ca.pem\n  ca_bundle: bundle.pem\n  mtls: true\n  client_cert: client.crt\n  client_key: /etc/ssl/client.key\n`).found.map((f) => f.path),
    ['http_output.ca_cert', 'http_output.client_cert']);
  assert.deepEqual(relative(`${http}  ca_cert: ""\n  ca_bundle: bundle.pem\n  client_key: client.key\n`).found.map((f) => f.path), ['http_output.ca_bundle']);
  assert.deepEqual(relative(`${http}  ca_path: certs\n`).found.map((f) => f.path), ['http_output.ca_path']);
});

test('not where Falco does not use the path', () => {
  for (const snippet of [
    'file_output:\n  enabled: false\n  filename: ./events.txt\n',
    'file_output:\n  enabled: ${FILE_OUT}\n  filename: ./events.txt\n',
    'engine:\n  kind: modern_ebpf\n  replay:\n    capture_file: trace.scap\n',
    'webserver:\n  enabled: true\n  ssl_certificate: falco.pem\n',
    'http_output:\n  enabled: true\n  url: https://falcosidekick:2801\n  insecure: true\n  ca_path: certs\n  client_cert: client.crt\n',
    'metrics:\n  enabled: false\n  output_file: metrics.jsonl\n',
    'file_output:\n  enabled: true\n  filename: /var/log/falco/events.txt\n',
  ]) assert.deepEqual(relative(snippet).found, [], snippet);
  // capture came with Falco 0.42.
  assert.deepEqual(relative('capture:\n  enabled: true\n  path_prefix: captures/falco\n', {}, '0.42').found.length, 1);
});
