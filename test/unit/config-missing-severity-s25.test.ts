// Session 25: what Falco does at start when a path of its configuration is not there, and the severity said for it.
// - A rules path: load_yaml keeps only the paths that stat (configuration.cpp 0.37.0:200-204, 0.44.1:317-321), without
//   a word: an information at the path; none left makes load_rules_files.cpp refuse to start unless -r names rules
//   files (0.37.0-0.44.1): a warning, as when none is named (config-no-rules-file).
// - The replayed capture file and the web server's certificate: Falco refuses to start: an error (config-start-fails).
// - http_output's CA file and client files: Falco starts, each post fails in curl: a warning (config-file-missing).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { check, message } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const OUT = 'stdout_output: {enabled: true}\n';
const LOCAL = '/etc/falco/falco_rules.local.yaml';

function said(text: string, files: Record<string, string> = {}, falcoVersion = '0.44') {
  return check(files, MAIN, { text: `${OUT}${text}`, falcoVersion }).map((d) => ({ code: String(d.code), severity: d.severity, line: d.range.start.line, message: message(d) }));
}

test('a missing rules path is dropped without a word (information); every one missing stops Falco (warning: -r may name files)', () => {
  // The default rules file is on the disk of every test host; the local file is not.
  const some = said(`rules_files:\n  - /etc/falco/falco_rules.yaml\n  - ${LOCAL}\n`);
  assert.deepEqual(some.map((f) => [f.code, f.severity, f.line]), [['config-rules-path-missing', DiagnosticSeverity.Information, 3]], JSON.stringify(some));
  assert.match(some[0].message, /Falco keeps only the rules paths that exist when it reads its configuration, so it drops this one without a word and loads the others\.$/);
  for (const version of ['0.37', '0.38', '0.44']) {
    const key = version === '0.37' ? 'rules_file' : 'rules_files';
    const none = said(`${key}:\n  - ${LOCAL}\n  - /etc/falco/rules.d/extra.yaml\n`, { '/etc/falco/rules.d/other.yaml': '' }, version);
    const whole = none.filter((f) => f.code === 'config-no-rules-file');
    assert.deepEqual(whole.map((f) => [f.severity, f.line]), [[DiagnosticSeverity.Warning, 1]], `${version} ${JSON.stringify(none)}`);
    assert.equal(whole[0].message, 'None of the 2 rules paths exists on this machine, though their folders do: Falco keeps only the rules paths that exist, is left with none, and refuses to start ("You must specify at least one rules file/directory via -r or a rules_file entry in falco.yaml") unless rules files are named on its command line with -r.');
    assert.equal(none.filter((f) => f.code === 'config-rules-path-missing').length, 2, version);
  }
  // A lone text is a one-item list.
  const lone = said(`rules_files: ${LOCAL}\n`).filter((f) => f.code !== 'config-wrong-type');
  assert.deepEqual(lone.map((f) => [f.code, f.line]), [['config-rules-path-missing', 1], ['config-no-rules-file', 1]], JSON.stringify(lone));
  assert.match(lone[1].message, /^The one rules path, '\/etc\/falco\/falco_rules\.local\.yaml', does not exist on this machine, though its folder does:/);
  // Not judged where a path may exist where Falco runs: its folder is not here, it is relative, or a ${VAR} decides.
  assert.deepEqual(said('rules_files: [/opt/rules/a.yaml]\n').filter((f) => f.code === 'config-no-rules-file'), []);
  assert.deepEqual(said(`rules_files: [${LOCAL}, rules/a.yaml]\n`).filter((f) => f.code === 'config-no-rules-file'), []);
  assert.deepEqual(said(`rules_files: [${LOCAL}, \${RULES}]\n`).filter((f) => f.code === 'config-no-rules-file'), []);
});

test('a missing file Falco reads: an error where Falco refuses to start, a warning where it starts and the feature fails', () => {
  const replay = said('rules_files: [/etc/falco/falco_rules.yaml]\nengine:\n  kind: replay\n  replay:\n    capture_file: /etc/falco/trace.scap\n');
  assert.deepEqual(replay.map((f) => [f.code, f.severity]), [['config-start-fails', DiagnosticSeverity.Error]], JSON.stringify(replay));
  const ssl = said('rules_files: [/etc/falco/falco_rules.yaml]\nwebserver:\n  enabled: true\n  ssl_enabled: true\n  ssl_certificate: /etc/falco/falco.pem\n');
  assert.deepEqual(ssl.map((f) => [f.code, f.severity]), [['config-start-fails', DiagnosticSeverity.Error]]);
  assert.match(ssl[0].message, /^Falco refuses to start: '\/etc\/falco\/falco\.pem' \(the web server's certificate\) does not exist/);
  const http = said('rules_files: [/etc/falco/falco_rules.yaml]\nhttp_output:\n  enabled: true\n  url: https://sidekick:2801\n  ca_cert: /etc/falco/ca.pem\n');
  assert.deepEqual(http.map((f) => [f.code, f.severity]), [['config-file-missing', DiagnosticSeverity.Warning]]);
  assert.match(http[0].message, /each alert's post fails/);
});
