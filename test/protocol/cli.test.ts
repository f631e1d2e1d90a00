// The bundled CLI (dist/cli.js): check prints file:line:col severity code message and exits 1 on errors;
// --format json; report prints Markdown; bad usage exits 2. It runs the same language service as the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const cli = path.join(process.cwd(), 'dist', 'cli.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });

function scratch(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const BROKEN_RULES = `- rule: Shell in web container
  desc: A shell started in a web container
  condition: evt.type = execve and proc.name in (bash, sh) and
  output: Shell started (command=%proc.cmdline)
  priority: WARNNG
`;
const GOOD_RULES = `- list: web_shells
  items: [bash, sh]

- rule: Shell in web container
  desc: A shell started in a web container
  condition: evt.type = execve and evt.dir = < and proc.name in (web_shells)
  output: Shell started | command=%proc.cmdline
  priority: WARNING
`;

test('check reports errors as file:line:col severity code message and exits 1', () => {
  const dir = scratch({ 'web_rules.yaml': BROKEN_RULES });
  const result = run(['check', 'web_rules.yaml'], dir);
  assert.equal(result.status, 1, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.ok(lines.length >= 2, result.stdout);
  for (const line of lines) assert.match(line, /^web_rules\.yaml:\d+:\d+ (error|warning|information|hint) \S+ .+/);
  assert.ok(lines.some((l) => l.startsWith('web_rules.yaml:5:') && / error /.test(l)), 'the priority typo on line 5');
  assert.ok(lines.some((l) => l.startsWith('web_rules.yaml:3:') && / error /.test(l)), 'the dangling and on line 3');
});

test('check --format json gives the same findings as objects; a clean folder exits 0', () => {
  const dir = scratch({ 'rules.d/web_rules.yaml': GOOD_RULES, 'bad/web_rules.yaml': BROKEN_RULES });
  const result = run(['check', '--format', 'json', 'bad'], dir);
  assert.equal(result.status, 1);
  const findings = JSON.parse(result.stdout) as { file: string; line: number; column: number; severity: string; code: string; message: string }[];
  assert.ok(findings.length >= 2);
  assert.ok(findings.every((f) => f.file === path.join('bad', 'web_rules.yaml') && f.line > 0 && f.column > 0 && f.code !== ''));
  const clean = run(['check', 'rules.d'], dir);
  assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  assert.ok(!/ error /.test(clean.stdout));
});

test('check --format sarif writes a SARIF 2.1.0 log with the findings, their rules and exact regions', () => {
  const dir = scratch({ 'bad/web_rules.yaml': BROKEN_RULES });
  const json = JSON.parse(run(['check', '--format', 'json', 'bad'], dir).stdout) as { line: number; column: number; endLine: number; endColumn: number; code: string; severity: string; message: string }[];
  const result = run(['check', '--format', 'sarif', 'bad'], dir);
  assert.equal(result.status, 1, 'errors still fail the check');
  const sarif = JSON.parse(result.stdout);
  assert.equal(sarif.version, '2.1.0');
  const [runLog] = sarif.runs;
  assert.equal(runLog.tool.driver.name, 'falco-lens');
  assert.match(runLog.tool.driver.version, /^\d+\.\d+\.\d+/);
  assert.equal(runLog.results.length, json.length);
  const priority = json.find((f) => f.line === 5 && f.severity === 'error')!;
  const result5 = runLog.results.find((r: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => r.locations[0].physicalLocation.region.startLine === 5);
  assert.equal(result5.ruleId, priority.code);
  assert.equal(result5.level, 'error');
  assert.equal(result5.message.text, priority.message);
  assert.equal(runLog.tool.driver.rules[result5.ruleIndex].id, priority.code);
  assert.deepEqual(result5.locations[0].physicalLocation.artifactLocation, { uri: 'bad/web_rules.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(result5.locations[0].physicalLocation.region, { startLine: 5, startColumn: priority.column, endLine: priority.endLine, endColumn: priority.endColumn });
  // The region covers the misspelt priority word, end exclusive as in SARIF.
  assert.equal(BROKEN_RULES.split('\n')[4].slice(priority.column - 1, priority.endColumn - 1), 'WARNNG');
  const levels = new Set(runLog.results.map((r: { level: string }) => r.level));
  for (const level of levels) assert.ok(['error', 'warning', 'note'].includes(level as string), `SARIF level ${level}`);
});

test('check --format github writes one workflow command per finding; a clean file writes nothing and exits 0', () => {
  const dir = scratch({ 'web_rules.yaml': BROKEN_RULES, 'good_rules.yaml': GOOD_RULES });
  const result = run(['check', '--format', 'github', 'web_rules.yaml'], dir);
  assert.equal(result.status, 1);
  const lines = result.stdout.trim().split('\n');
  for (const line of lines) assert.match(line, /^::(error|warning|notice) file=web_rules\.yaml,line=\d+,endLine=\d+,col=\d+,endColumn=\d+,title=falco-lens [a-z-]+::\S/);
  assert.ok(lines.some((l) => l.startsWith('::error file=web_rules.yaml,line=5,')), result.stdout);
  const clean = run(['check', '--format', 'github', 'good_rules.yaml'], dir);
  assert.equal(clean.status, 0, clean.stdout);
  assert.ok(!/^::error/m.test(clean.stdout), clean.stdout);
  assert.equal(run(['check', '--format', 'xml', 'good_rules.yaml'], dir).status, 2, 'an unknown format is bad usage');
});

test('check and report read a gzip log (a rotated falco.log.1.gz) as the log it holds; a cut one up to the cut', () => {
  const alert = (n: number) => JSON.stringify({ output: `10:00:0${n}.000000000: Critical Shell in container (n=${n})`, priority: 'Critical', rule: 'Terminal shell in container', time: `2026-01-01T10:00:0${n}.000000000Z`, output_fields: {} });
  const log = `${alert(1)}\n${alert(2)}\n{"output":"cut\n`;
  const dir = scratch({});
  fs.writeFileSync(path.join(dir, 'falco.log.1.gz'), zlib.gzipSync(log));
  const checked = run(['check', 'falco.log.1.gz'], dir);
  assert.equal(checked.status, 1, checked.stdout + checked.stderr);
  assert.match(checked.stdout, /^falco\.log\.1\.gz:3:\d+ error json-truncated /m, 'the cut JSON line of the log inside');
  const report = run(['report', 'falco.log.1.gz'], dir);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /^2 alerts from /m);
  const whole = zlib.gzipSync(`${alert(1)}\n`.repeat(2000));
  fs.writeFileSync(path.join(dir, 'falco.log.2.gz'), whole.subarray(0, whole.length - 40));
  const cut = run(['report', 'falco.log.2.gz'], dir);
  assert.equal(cut.status, 0);
  assert.match(cut.stderr, /cannot decompress it to its end/);
  assert.match(cut.stdout, /^\d+ alerts from /m);
});

test('check on an alert log flags a truncated JSON alert', () => {
  const dir = scratch({ 'falco.json': '{"output":"x","priority":"Warning","rule":"Test rule","time":"2026-01-01T00:00:00.000000000Z","output_fields":{}}\n{"output":"cut' });
  const result = run(['check', 'falco.json'], dir);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^falco\.json:2:\d+ error /m);
});

test('report prints a Markdown incident report that names the rule and escapes hostile values', () => {
  const hostile = '[x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)>';
  const alert = JSON.stringify({
    hostname: 'node-1', output: `10:00:00.000000000: Notice A shell was spawned in a container with an attached terminal | command=${hostile}`,
    output_fields: { 'proc.cmdline': hostile, 'proc.name': 'bash', 'container.id': 'host', 'user.loginuid': -1 },
    priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall', tags: ['T1059', 'mitre_execution'], time: '2026-01-01T10:00:00.000000000Z',
  });
  const dir = scratch({ 'falco.log': `${alert}\n` });
  const result = run(['report', 'falco.log'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^# /m, 'a Markdown heading');
  assert.match(result.stdout, /Terminal shell in container/);
  // Outside code spans and fenced blocks (where Markdown is inert) no link or HTML from the alert survives.
  const prose = result.stdout.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
  assert.ok(!prose.includes('](command:'), 'no live command link');
  assert.ok(!/<img/i.test(prose), 'no raw HTML outside code spans');
  assert.ok(result.stdout.includes('[x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)>'), 'the whole command line is shown, verbatim, in a code span');
});

test('bad usage prints the usage and exits 2', () => {
  const dir = scratch({});
  const result = run(['lint', 'x.yaml'], dir);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /usage: falco-lens check/);
  assert.equal(run(['check', '--format', 'xml', 'x.yaml'], dir).status, 2);
});

test('check on a folder skips a dangling symlink with a message instead of crashing', () => {
  const dir = scratch({ 'rules.d/web_rules.yaml': GOOD_RULES });
  fs.symlinkSync(path.join(dir, 'nowhere.yaml'), path.join(dir, 'rules.d', 'gone_rules.yaml'));
  const result = run(['check', 'rules.d'], dir);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stderr, /skipping .*gone_rules\.yaml/);
});

test('check on a folder walks a folder once: a link back to a parent and a link loop are skipped, not fatal', () => {
  const dir = scratch({ 'rules.d/web_rules.yaml': BROKEN_RULES, 'rules.d/more/extra_rules.yaml': BROKEN_RULES });
  fs.symlinkSync('..', path.join(dir, 'rules.d', 'more', 'up'));
  fs.symlinkSync('loop_b.yaml', path.join(dir, 'rules.d', 'loop_a.yaml'));
  fs.symlinkSync('loop_a.yaml', path.join(dir, 'rules.d', 'loop_b.yaml'));
  const result = run(['check', '--format', 'json', 'rules.d'], dir);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /skipping .*up: a link to a folder already checked/);
  assert.match(result.stderr, /skipping .*loop_a\.yaml: cannot read it/);
  // Each file is checked once, under the path it was first found by.
  const files = new Set((JSON.parse(result.stdout) as { file: string }[]).map((f) => f.file.replace(/\\/g, '/')));
  assert.deepEqual([...files].sort(), ['rules.d/more/extra_rules.yaml', 'rules.d/web_rules.yaml']);
});

test('a rules file that starts with a UTF-8 byte order mark is read as Falco reads it (yaml-cpp skips the mark)', () => {
  const base = '- macro: web_shell\n  condition: proc.name in (bash, sh)\n';
  const local = '- rule: Shell in web container\n  desc: d\n  condition: evt.type = execve and web_shell\n  output: o (command=%proc.cmdline)\n  priority: WARNING\n';
  const dir = scratch({ 'base_rules.yaml': `\ufeff${base}`, 'local_rules.yaml': `\ufeff${local}` });
  const result = run(['check', '--rules', 'base_rules.yaml', 'local_rules.yaml'], dir);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.equal(result.stdout, '');
});

test('check on a folder skips other tools\' *_rules.yaml (Prometheus) but checks a foreign file named on the command line', () => {
  const prometheus = 'groups:\n  - name: example\n    rules:\n      - alert: HighRequestLatency\n        expr: job:request_latency_seconds:mean5m > 0.5\n';
  const dir = scratch({ 'rules/web_rules.yaml': BROKEN_RULES, 'rules/alert_rules.yaml': prometheus });
  const folder = run(['check', 'rules'], dir);
  assert.equal(folder.status, 1, 'the Falco file still has its errors');
  assert.match(folder.stdout, /web_rules\.yaml:5:\d+ error /);
  assert.doesNotMatch(folder.stdout, /alert_rules/);
  assert.match(folder.stderr, /skipping .*alert_rules\.yaml: not a Falco rules file/);
  const named = run(['check', 'rules/alert_rules.yaml'], dir);
  assert.match(named.stdout, /alert_rules\.yaml:1:1 error not-a-sequence/, 'a file the user names is checked as asked');
});

test('check --falco-version 0.N (or =0.N) checks for that Falco release; an unknown release is bad usage', () => {
  const iglob = `- rule: Shell in web container
  desc: A shell started in a web container
  condition: evt.type = execve and proc.name iglob "bash*"
  output: Shell started (command=%proc.cmdline)
  priority: WARNING
`;
  const dir = scratch({ 'web_rules.yaml': iglob });
  assert.equal(run(['check', 'web_rules.yaml'], dir).status, 0, 'Falco 0.44 (the default) has iglob');
  for (const args of [['--falco-version', '0.37'], ['--falco-version=0.37']]) {
    const old = run(['check', 'web_rules.yaml', ...args], dir);
    assert.equal(old.status, 1);
    assert.match(old.stdout, /^web_rules\.yaml:3:\d+ error condition-syntax Operator 'iglob' was added in Falco 0\.38/m);
  }
  assert.equal(run(['check', 'web_rules.yaml', '--falco-version', '0.38'], dir).status, 0);
  const bad = run(['check', 'web_rules.yaml', '--falco-version', '0.99'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown Falco version '0\.99' \(expected 0\.37 to 0\.44\)/);
  assert.match(run(['check', '--help'], dir).stdout, /--falco-version 0\.N/);
});

test('check finds the rules files inside Helm values and ConfigMaps of a folder, and reports them at the host\'s lines', () => {
  const values = `driver:
  kind: modern_ebpf
customRules:
  rules-web.yaml: |-
    - rule: Shell in web container
      desc: A shell started in a web container
      condition: evt.type = execve and proc.name in (bash, sh)
      output: Shell started (command=%proc.cmdline)
      priority: WARNNG
`;
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n';
  const dir = scratch({ 'deploy/values-prod.yaml': values, 'deploy/web.yaml': deployment });
  const result = run(['check', 'deploy'], dir);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  const lines = result.stdout.trim().split('\n');
  // The priority typo is on line 9 of values-prod.yaml, column 17 (after 4 columns of block indentation).
  assert.ok(lines.some((l) => l.startsWith(`${path.join('deploy', 'values-prod.yaml')}:9:17 error `)), result.stdout);
  assert.ok(lines.every((l) => l.startsWith(path.join('deploy', 'values-prod.yaml'))), 'the Deployment is not checked');
  // Named on the command line, a values file is read as one too (not as a rules file with a mapping at the top).
  const named = run(['check', 'deploy/values-prod.yaml'], dir);
  assert.equal(named.stdout, result.stdout);
});

// Session 25: the CLI's host read any path the configuration named, so a FIFO in a config_files folder (or named as a
// rules file) blocked `falco-lens check` forever, where the server's host reads regular files only. The run is given
// a time limit so that a regression fails instead of hanging the suite.
test('check: a FIFO named by config_files (through its folder) or by rules_files does not block the run', (t) => {
  const dir = scratch({ 'conf.d/b.yaml': 'log_level: info\n' });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const fifo of ['conf.d/a.yaml', 'fifo_rules.yaml']) {
    if (spawnSync('mkfifo', [path.join(dir, fifo)]).status !== 0) { t.skip('mkfifo unavailable'); return; }
  }
  fs.writeFileSync(path.join(dir, 'falco.yaml'), `stdout_output:\n  enabled: true\nconfig_files:\n  - ${path.join(dir, 'conf.d')}\nrules_files:\n  - ${path.join(dir, 'fifo_rules.yaml')}\n`
    + `http_output:\n  enabled: true\n  url: https://falcosidekick.falco.svc:2801/\n  ca_cert: ${path.join(dir, 'fifo_rules.yaml')}\n`);
  const result = spawnSync(process.execPath, [cli, 'check', 'falco.yaml'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.signal, null, 'the run ends by itself');
  assert.equal(result.stderr, '');
  // The FIFO exists: Falco keeps the rules path and starts (it reads the file as root), so it is no missing file,
  // as a file Falco Lens may not read (no permission) is none either; only the rules path is said to be unread here.
  assert.deepEqual(result.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 3).join(' ')), ['falco.yaml:6:5 information config-rules-path-missing']);
  assert.match(result.stdout, /is here, but Falco Lens cannot read it \(no read permission, or not a regular file\): Falco, as root, loads it/);
  assert.equal(result.status, 0);
});

// Session 25: a Secret with a rules file written as text under data, named on the command line, was checked as a
// rules file ('not-a-sequence' at 1:1): nothing in it was a finding of the manifest. Kubernetes refuses it for its
// data, which is not base64: that is the finding now, and the manifest is read as the YAML it is.
test('check: a Secret whose data holds a rules file as text is refused by Kubernetes, not read as a rules file', (t) => {
  const dir = scratch({ 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: falco-rules\ntype: Opaque\ndata:\n  custom_rules.yaml: |\n    - rule: Shell in container\n      desc: a shell\n      condition: evt.type = execve and proc.name = bash\n      output: shell (user=%user.name)\n      priority: WARNING\n' });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const result = run(['check', 'secret.yaml'], dir);
  assert.equal(result.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 3).join(' ')).join('\n'), 'secret.yaml:7:22 error embedded-secret-data-not-base64');
  assert.equal(result.status, 1);
});
