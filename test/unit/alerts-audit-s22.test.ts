// Session 22 alerts audit (helper D): each test pins what the old code said or did wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAlertsService } from '../../server/src/service/alerts';
import { fillCommand } from '../../server/src/service/alerts/fill';
import { fillShellPlaceholders } from '../../server/src/knowledge/placeholders';
import { CORPUS, KEY_ALERT, STABLE_RULES, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

const KEY_RULE = { name: 'Backup tool reads keys', source: 'syscall', tags: [], enabled: true, desc: 'A backup tool opened a private key' };
const section = (report: string, n: number) => report.slice(report.indexOf(`## ${n}. `), report.indexOf(`## ${n + 1}. `) < 0 ? undefined : report.indexOf(`## ${n + 1}. `));

// 1. A report's section of several alerts of one rule showed the first alert's values under "What happened", filled
// its commands and tuning with them, and said "An exception on this alert's values": nothing said which alert, that
// the others had other values, nor how many of them the exception would silence.
test('a report section of several alerts says its values are the first alert\'s, which differ, and how many the exception covers', () => {
  const s = createAlertsService(new TestHost(), fakeRules([KEY_RULE]));
  const other = KEY_ALERT.replace(/restic/g, 'borg').replace('10:20:30.123456789', '10:21:30.123456789').replace('1746613230123456789', '1746613290123456789');
  const same = KEY_ALERT.replace('10:20:30.123456789', '10:22:30.123456789').replace('1746613230123456789', '1746613350123456789');
  const report = s.report(`${KEY_ALERT}\n${other}\n${same}\n`, 'file:///logs/keys.json');
  const part = section(report, 1);
  assert.match(part, /Warning, 3 alerts \(lines 1, 2, 3\)\./);
  assert.match(part, /are those of the first of these 3 alerts \(line 1\); a field marked with a count of values has other values in the others\./, part);
  assert.match(part, /^- `proc\.name` = `restic` \(this alert's: 2 different values among the 3 alerts\) — /m, part);
  assert.match(part, /^- `fd\.name` = `\/etc\/ssl\/private\/k\.pem` — /m, part);
  assert.match(part, /^- `evt\.time` = `\d+` — /m, part);
  assert.match(part, /An exception on the first alert's values \([^)]*\), which silences every alert of this rule with the same values \(2 of the 3 alerts of this section have them\)/, part);
  // Alerts with the same values: all of them; a section of one alert keeps its wording.
  const twice = section(s.report(`${KEY_ALERT}\n${same}\n`, 'file:///logs/keys.json'), 1);
  assert.match(twice, /\(both alerts of this section have them\)/, twice);
  assert.ok(!/different values among/.test(twice), twice);
  const one = section(s.report(`${KEY_ALERT}\n`, 'file:///logs/keys.json'), 1);
  assert.match(one, /An exception on this alert's values \([^)]*\), which silences every alert of this rule with the same values; /, one);
  assert.ok(!one.includes('first of these'), one);
});

// 2. A value that is the text `null` (a JSON string "null", a text alert's `process=null`: a process may name itself
// so) was explained as "Not available: the JSON form of <NA>", the meaning of JSON's null.
test('the text null is a value, JSON null is none', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const alert = JSON.stringify({
    hostname: 'n1', output: '10:00:00.000000001: Notice Custom (process=null parent=<NA>)', output_fields: { 'proc.name': 'null', 'proc.pname': null },
    priority: 'Notice', rule: 'Custom', source: 'syscall', tags: [], time: '2026-01-01T10:00:00.000000001Z',
  });
  const hover = (text: string, needle: string) => ((s.hover!(alertDoc(text.startsWith('{') ? 'n.json' : 'n.log', text), { line: 0, character: text.indexOf(needle) + 1 })?.contents as { value: string } | undefined)?.value ?? '');
  const text = hover(alert, '"null"');
  assert.match(text, /^`proc\.name` → field `proc\.name`/, text);
  assert.ok(!text.includes('Not available'), text);
  const none = hover(alert, 'null}');
  assert.match(none, /^`proc\.pname` → field `proc\.pname`/, none);
  assert.match(none, /Not available\\: the JSON form of \\<NA\\>/, none);
  const line = '10:00:00.000000001: Notice Custom (process=null parent=<NA>)';
  const inText = hover(line, 'null');
  assert.match(inText, /^`process` → field `proc\.name`/, inText);
  assert.ok(!inText.includes('Not available'), inText);
});

// 3. `kubectl logs --prefix` (the pods of a DaemonSet or a label selector at once) writes `[pod/<pod>/<container>] `
// before each line (kubectl logs.go addPrefixIfNeeded), `docker compose logs` the container's name and ` | `: such a
// log was read as no alert at all, without a word (no diagnostic, no hover, no quick fix, an empty report).
test('alerts behind kubectl\'s --prefix and docker compose\'s prefix are read, with --timestamps too', { skip: !corpusExists && 'corpus absent' }, () => {
  const json = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').trim();
  const text = '14:50:34.502309868: Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow process=cat)';
  const lines = [
    `[pod/falco-7xk2p/falco] ${json}`, `[pod/falco-7xk2p/falco] 2025-05-07T12:50:34.512345678Z ${json}`, `[pod/falco-7xk2p/falco] ${text}`,
    `falco-1  | ${json}`, `falco-1  | 2025-05-07T12:50:34.512345678Z ${text}`,
  ];
  const log = `${lines.join('\n')}\n`;
  const host = new TestHost();
  host.config = { ...host.config, alerts: { problems: 'debug', maxProblems: 500 } };
  const s = createAlertsService(host, fakeRules(ruleSummaries(STABLE_RULES)));
  const doc = alertDoc('prefixed.log', log);
  const alerts = s.diagnostics(doc).filter((d) => d.code === 'falco-alert');
  assert.deepEqual(alerts.map((d) => `${d.range.start.line} ${d.message}`), [
    '0 Warning: Read sensitive file untrusted', '1 Warning: Read sensitive file untrusted', '2 Warning: Read sensitive file untrusted',
    '3 Warning: Read sensitive file untrusted', '4 Warning: Read sensitive file untrusted',
  ]);
  const hover = (line: number, needle: string) => ((s.hover!(doc, { line, character: lines[line].indexOf(needle) + 1 })?.contents as { value: string } | undefined)?.value ?? '');
  assert.equal(hover(0, 'pod/'), '**kubectl logs --prefix**: pod `falco-7xk2p`, container `falco`, added by kubectl, not by Falco; the Falco line follows it.');
  assert.equal(hover(1, '2025-05-07T'), '**kubectl logs --prefix**: pod `falco-7xk2p`, container `falco`, added by kubectl, not by Falco; then the time the container runtime read the line, '
    + '`2025-05-07T12:50:34.512345678Z` (--timestamps, UTC); the Falco line follows it.');
  assert.equal(hover(3, 'falco-1'), '**docker compose logs prefix**: container `falco-1`, added by docker compose, not by Falco; the Falco line follows it.');
  assert.match(hover(0, '/usr/bin/cat'), /^`proc_exepath` → field `proc\.exepath`/);
  assert.match(hover(4, 'Warning'), /^\*\*Priority Warning\*\*/);
  assert.match(hover(2, 'shadow'), /^`file` → field `fd\.name`/);
  const report = s.report(log, 'file:///logs/prefixed.log');
  assert.match(report, /^5 alerts from `prefixed\.log`/m, report);
  // The tuning quick fix of a JSON alert behind the prefix.
  const actions = s.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.ok(actions.some((a) => a.title.startsWith('Add exception for this file + executable path + process name, any user (/etc/shadow, /usr/bin/cat, cat)')), actions.map((a) => a.title).join('\n'));
  // Not a prefix: a bracketed word or a name and a pipe before something else than a Falco line.
  const other = createAlertsService(host, fakeRules([]));
  const plain = alertDoc('plain.log', '[INFO] 14:50:34.502309868: Warning x\nfalco-1  | Falco version: 0.41.0\n');
  assert.deepEqual(other.diagnostics(plain).filter((d) => d.code === 'falco-alert'), []);
});

// 4. The same for the playbook's commands: a process named `null` left `<proc.name>` to fill in ("not in this alert").
test('a playbook command is filled with the text null, not with JSON\'s null', () => {
  const command = 'ps -o pid,args -C <proc.name>';
  assert.deepEqual(fillShellPlaceholders(command, () => 'null'), { text: 'ps -o pid,args -C null', missing: [] });
  assert.deepEqual(fillShellPlaceholders(command, () => undefined), { text: command, missing: ['proc.name'] });
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const view = (fields: Record<string, unknown>) => {
    const doc = alertDoc(`p${Object.keys(fields).length}.json`, JSON.stringify({ output: '10:00:00.000000001: Notice x', output_fields: fields, priority: 'Notice', rule: 'Custom', time: '2026-01-01T10:00:00.000000001Z' }));
    return s.view(doc, s.index(doc).alerts[0]);
  };
  assert.equal(fillCommand(command, view({ 'proc.name': 'null' })).text, 'ps -o pid,args -C null');
  assert.deepEqual(fillCommand(command, view({ 'proc.name': null, 'proc.pid': 1 })).missing, ['proc.name']);
});

// 5. Two text alerts of one message whose times of day go back (a log of several Falco pods, `kubectl logs -l …
// --prefix`, interleaves their lines): the hover took the second for nearly a day later ("23 h 60 min since the
// previous alert"), and a duration rounded up read `1 min 60 s`.
test('a text alert\'s time earlier than the previous one of its message is said both ways; durations never read 60', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const a = '10:00:01.000000000: Warning Odd thing (x=1)';
  const b = '10:00:00.500000000: Warning Odd thing (x=2)';
  const c = '10:02:00.100000000: Warning Odd thing (x=3)';
  const doc = alertDoc('times.log', `${a}\n${b}\n${c}\n`);
  const at = (line: number) => ((s.hover!(doc, { line, character: 2 })?.contents as { value: string } | undefined)?.value ?? '');
  assert.match(at(1), /\*\*500\.0 ms\*\* before the previous alert with the same message \(line 1\), or \*\*1 d 0 h\*\* after it if midnight passed between them: a text alert's time has no date/, at(1));
  assert.match(at(2), /\*\*2 min 0 s\*\* since the previous alert with the same message \(line 2\)\./, at(2));
  // Dated times keep their reading.
  const json = (t: string) => JSON.stringify({ output: `${t.slice(11, 29)}: Warning Odd thing (x=1)`, priority: 'Warning', rule: 'Odd', time: `${t}Z` });
  const dated = alertDoc('dated.json', `${json('2026-01-01T10:00:01.000000000')}\n${json('2026-01-01T10:00:00.500000000')}\n`);
  const back = (s.hover!(dated, { line: 1, character: dated.getText().split('\n')[1].indexOf('"time"') + 2 })?.contents as { value: string }).value;
  assert.match(back, /\*\*500\.0 ms\*\* before the previous alert of `Odd` \(line 1\): the log is not in time order here\./, back);
});

// 6. An exception keyed by the executable's path says "only one placed at that path runs from it". Where the alert
// says the file was writable by the user who ran it or added to the container after it started (evt.arg.flags
// EXE_WRITABLE, EXE_UPPER_LAYER: Drop and execute new binary in container, the evtgen suite's eg_dropped), whoever
// dropped it can drop another program there under the same name: the report did not say so.
test('an exception keyed by a writable or dropped executable\'s path says another program can take its place', () => {
  const rule = { name: 'Drop and execute new binary in container', source: 'syscall', tags: [], enabled: true };
  const s = createAlertsService(new TestHost(), fakeRules([rule]));
  const alert = (flags: string) => JSON.stringify({
    hostname: 'node-a', output: `14:45:13.552380417: Critical Executing binary not part of base image | process=eg_dropped proc_exepath=/tmp/eg_dropped exe_flags=${flags}`,
    output_fields: { 'container.id': '4f1a7c3e9b2d', 'container.image.repository': 'docker.io/library/nginx', 'evt.arg.flags': flags, 'evt.type': 'execve', 'proc.exepath': '/tmp/eg_dropped', 'proc.name': 'eg_dropped', 'proc.pname': 'bash' },
    priority: 'Critical', rule: rule.name, source: 'syscall', tags: [], time: '2024-06-10T14:45:13.552380417Z',
  });
  const tuning = (flags: string) => { const r = s.report(`${alert(flags)}\n`, 'file:///logs/drift.json'); return r.slice(r.indexOf('### Tuning')); };
  const both = tuning('EXE_WRITABLE|EXE_UPPER_LAYER');
  assert.match(both, /executable path \\\+ process name \\\+ container image/, both);
  assert.match(both, /Here the alert says the executable was added to or changed in the container after it started \(EXE_UPPER_LAYER\) and is writable by the user who ran it \(EXE_WRITABLE\): whoever wrote it there can put another program at this path under this name, and the exception would cover that program too\./, both);
  assert.match(tuning('EXE_UPPER_LAYER'), /Here the alert says the executable was added to or changed in the container after it started \(EXE_UPPER_LAYER\): whoever/);
  assert.ok(!tuning('EXE_LOWER_LAYER').includes('Here the alert says the executable'));
});

// 7. An alert of a rule that the loaded rules disable (the sandbox's miner rules ship `enabled: false`) comes from a
// Falco that enabled it after reading its rules files: falco.yaml's `rules` selection (0.38 on) or -t (0.37), which
// Falco applies after every rules file (load_rules_files.cpp). "Disable rule … (it stops all its alerts)" was offered
// into the local rules file, where it stops nothing; nothing said the rule is disabled in the loaded rules.
test('a rule the loaded rules disable: the disable quick fix is greyed out, and the hover says why alerts come', () => {
  const rule = { name: 'Detect outbound connections to common miner pool ports', source: 'syscall', tags: [], enabled: false };
  const alert = JSON.stringify({
    hostname: 'n1', output: '10:00:00.000000001: Critical Outbound connection to IP/Port flagged by https://cryptoioc.ch (process=xmrig)',
    output_fields: { 'proc.name': 'xmrig', 'proc.pname': 'node', 'container.id': 'host' }, priority: 'Critical', rule: rule.name, source: 'syscall', tags: [], time: '2026-01-01T10:00:00.000000001Z',
  });
  const actionsOf = (enabled: boolean) => {
    const s = createAlertsService(new TestHost(), fakeRules([{ ...rule, enabled }]));
    const doc = alertDoc('miner.json', alert);
    return { s, actions: s.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }), doc };
  };
  const { s, actions, doc } = actionsOf(false);
  assert.ok(!actions.some((a) => a.title.startsWith('Disable rule') && !a.disabled), actions.map((a) => a.title).join('\n'));
  const greyed = actions.find((a) => a.title.startsWith('Disable rule') && a.disabled);
  assert.match(greyed?.title ?? '', /: not offered, the loaded rules disable it already$/);
  assert.match(greyed!.disabled!.reason, /^The loaded rules disable this rule already \(enabled: false\), so this alert comes from a Falco that enables it after reading its rules files/);
  assert.ok(actions.some((a) => a.title.startsWith('Add exception') && a.edit), 'an exception still stops its alerts');
  const hover = (s.hover!(doc, { line: 0, character: alert.indexOf('"rule"') + 2 })?.contents as { value: string }).value;
  assert.match(hover, /\*\*Disabled in the loaded rules:\*\* the loaded rules disable this rule already/, hover);
  // An enabled rule keeps its disable.
  assert.ok(actionsOf(true).actions.some((a) => a.title.startsWith('Disable rule') && a.edit));
});

// 8. A JSON alert's output_fields give evt.time.iso8601, evt.time.s, evt.datetime and evt.datetime.s as the
// timestamp in nanoseconds, as evt.time (libsinsp extract_as_js, sinsp_filtercheck_gen_event.cpp): the hover and the
// report read only evt.time's number as a time, and left the others' numbers under descriptions of text forms.
test('every time field of a JSON alert given in nanoseconds is read as a time', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const alert = `{"hostname":"n1","output":"10:00:00.000000001: Notice Custom (at=2026-01-01T10:00:00.000000001+0000)","output_fields":{"evt.time":1767261600000000001,"evt.time.iso8601":1767261600000000001,"evt.datetime":1767261600000000001},"priority":"Notice","rule":"Custom","source":"syscall","tags":[],"time":"2026-01-01T10:00:00.000000001Z"}`;
  const doc = alertDoc('times.json', alert);
  const hover = (needle: string) => ((s.hover!(doc, { line: 0, character: alert.indexOf(needle) + needle.length + 3 })?.contents as { value: string } | undefined)?.value ?? '');
  for (const field of ['"evt.time.iso8601"', '"evt.datetime"']) {
    assert.match(hover(field), /`2026-01-01 10:00:00\.000000001 UTC`: the same instant \(JSON alerts give this field in nanoseconds since the Unix epoch; exact nanoseconds kept\)/, hover(field));
  }
  const report = s.report(alert, 'file:///logs/times.json');
  assert.match(report, /^- `evt\.time\.iso8601` = `1767261600000000001` — .*\n {2}- `2026-01-01 10:00:00\.000000001 UTC`: the same instant \(JSON alerts give this field in nanoseconds since the Unix epoch\)/m, report);
});

// 9. A rules 3.x text alert whose field list holds a value with a '(' of its own (a command line `sh -c echo :(`) and
// ends with the list's ')' was warned "The alert line looks cut off".
test('a closed field list whose value holds a lone ( is not said to be cut off', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const head = '10:00:00.000000001: Notice A shell was spawned in a container with an attached terminal (user=root shell=sh parent=runc cmdline=sh -c echo :(';
  const cut = (text: string) => s.diagnostics(alertDoc(`c${text.length}.log`, `${text}\n`)).filter((d) => d.code === 'text-truncated').length;
  assert.equal(cut(`${head} terminal=34816 container_id=abc image=nginx)`), 0);
  assert.equal(cut(head), 1);
  assert.equal(cut(`${head} terminal=34816 container_id=abc image=ngi`), 1);
});

// 10. The report of text alerts (times of day, no date) said "`10:00:01…` to `10:00:00…`": the first and the last
// line's times read as a span, which they are not where the lines of several Falcos interleave or midnight passes.
test('the report of undated text alerts says whose times of day it gives', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report('10:00:01.000000000: Warning Odd thing (x=1)\n10:00:00.500000000: Warning Odd thing (x=2)\n', 'file:///logs/odd.log');
  assert.match(report, /^2 alerts from `odd\.log`, times of day `10:00:01\.000000000` on its first alert to `10:00:00\.500000000` on its last \(text alerts carry no date\)\.$/m, report);
});

// The report of one alert gives its time, not a span from it to itself ("`10:00:01…` on its first alert to
// `10:00:01…` on its last").
test('the report of a single alert says the one time it has', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const text = s.report('10:00:01.000000000: Warning Odd thing (x=1)\n', 'file:///logs/odd.log');
  assert.match(text, /^1 alert from `odd\.log`, at time of day `10:00:01\.000000000` \(text alerts carry no date\)\.$/m, text);
  const json = s.report(`${JSON.stringify({ output: '10:00:01.000000000: Warning Odd thing (x=1)', priority: 'Warning', rule: 'Odd thing', time: '2026-11-24T10:00:01.000000000Z', output_fields: { x: 1 } })}\n`, 'file:///logs/odd.json');
  assert.match(json.split('\n').find((l) => l.startsWith('1 alert from')) ?? '', /^1 alert from `odd\.json`, at `[^`]+`\.$/, json);
});
