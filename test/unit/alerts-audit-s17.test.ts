// Session 17 alerts audit (helper D): each test pins what the old code said or did wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAlertsService } from '../../server/src/service/alerts';
import { CORPUS, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import { allPlaybooks } from '../../server/src/knowledge';

const hoverText = (s: ReturnType<typeof createAlertsService>, name: string, text: string, line: number, character: number): string =>
  ((s.hover!(alertDoc(name, text), { line, character })?.contents as { value: string } | undefined)?.value ?? '');

// 1. A JSON alert whose output starts with a `key=value` token right after the priority (gcp_auditlog_rules.yaml's
// `project=%gcp.projectId A GCP …`, the okta README's `evt=%okta.evt.type …`): the token scan started at the body
// and needed a blank before the key, so the first key was never read: hovering `project` showed the whole output.
// The corpus's gcpaudit README alerts are read through the tokens when their output and output_fields differ (the
// author masked them differently).
test('the first key=value token of a JSON alert\'s output body is read', { skip: !corpusExists && 'corpus absent' }, () => {
  const lines = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'gcpaudit_README_alerts.jsonl'), 'utf8').split('\n');
  const rules = ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__plugins', 'gcpaudit', 'gcp_auditlog_rules.yaml'));
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const text = lines.join('\n');
  for (const line of [0, 1, 2, 3]) {
    const at = lines[line].indexOf('project=') + 2;
    const md = hoverText(s, 'gcp.jsonl', text, line, at);
    assert.match(md, /^`project` → field `gcp\.projectId` \(CHARBUF\)/, `line ${line}: ${md}`);
  }
  // Without output_fields and without the rule, the first token too.
  const okta = JSON.stringify({ output: '19:12:25.439350000: Debug evt=user.authentication.sso user=User1 ip=x.x.x.x app=google', priority: 'Debug', rule: 'Dummy', source: 'okta', time: '2023-01-01T19:12:25.439350000Z' });
  const none = createAlertsService(new TestHost(), fakeRules([]));
  const md = hoverText(none, 'okta.json', okta, 0, okta.indexOf('evt=') + 1);
  assert.match(md, /^`evt`/, md);
  assert.ok(!md.startsWith('**output**'), md);
});

// 2. Falco gives a rule name one source (rule_loader_collector.cpp: define at 0.37.0, find_prev_rule at 0.44.1), so a
// JSON alert whose source is not that of the loaded rule of its name comes from a Falco that loaded another
// definition. The exception quick fix wrote the alert's Kubernetes audit fields into an exception of the loaded
// syscall rule, which Falco refuses ("'ka.user.name' is not a supported filter field", validate_exception_info) and
// stops; nothing said that the loaded rule was of another source.
test('an alert whose source is not its loaded rule\'s gets no exception on fields that source lacks, and says so', () => {
  const rule = { name: 'Exec into pod', source: 'syscall', output: 'Exec (process=%proc.name)', priority: 'Notice', tags: [], enabled: true, condition: 'evt.type = execve',
    desc: 'A process started', location: { uri: 'file:///work/ws/rules/custom_rules.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } };
  const s = createAlertsService(new TestHost(), fakeRules([rule]));
  const alert = JSON.stringify({
    hostname: 'n1', output: '10:00:00.000000001: Notice Exec into pod (user=alice ns=shop)', output_fields: { 'ka.user.name': 'alice', 'ka.target.namespace': 'shop' },
    priority: 'Notice', rule: 'Exec into pod', source: 'k8s_audit', tags: [], time: '2026-01-01T10:00:00.000000001Z',
  });
  const doc = alertDoc('audit.json', `${alert}\n`);
  s.didOpenOrChange?.(doc);
  const actions = s.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.ok(!actions.some((a) => a.title.startsWith('Add exception') && !a.disabled), actions.map((a) => a.title).join('\n'));
  const greyed = actions.find((a) => a.title.startsWith('Add exception') && a.disabled);
  assert.equal(greyed?.title, 'Add exception for this Kubernetes user + namespace: not offered, the loaded rule has another source');
  assert.match(greyed!.disabled!.reason, /loaded rule of this name has source 'syscall', which has no such fields: Falco refuses an exception on another source's fields and stops\.$/);
  const hover = hoverText(s, 'audit.json', alert, 0, alert.indexOf('"rule"') + 2);
  assert.match(hover, /\*\*Another source:\*\* the loaded rule of this name has source `syscall`, this alert `k8s_audit`\./, hover);
  const report = s.report(alert, 'file:///logs/audit.json');
  assert.match(report, /\*\*Another source:\*\*/);
  assert.match(report, /No exception is proposed: the alert has the values of an exception on the Kubernetes user \\\+ namespace, but the loaded rule of this name has source `syscall`/, report);
  // The same alert of the rule's own source: the exception is offered, and nothing is said of another source.
  const own = alert.replace('"k8s_audit"', '"syscall"');
  const k8s = createAlertsService(new TestHost(), fakeRules([{ ...rule, source: 'k8s_audit' }]));
  const ownDoc = alertDoc('own.json', `${alert}\n`);
  k8s.didOpenOrChange?.(ownDoc);
  assert.ok(k8s.codeActions!(ownDoc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).some((a) => a.title.startsWith('Add exception for this Kubernetes user + namespace (alice, shop)') && !a.disabled));
  assert.ok(!hoverText(k8s, 'own.json', alert, 0, alert.indexOf('"rule"') + 2).includes('Another source'));
  // falcosidekick writes `syscalls` where Falco sent no source: not another source.
  const sidekick = alert.replace('"k8s_audit"', '"syscalls"');
  assert.ok(!hoverText(k8s, 'sidekick.json', sidekick, 0, sidekick.indexOf('"rule"') + 2).includes('Another source'));
  assert.ok(hoverText(k8s, 'syscall.json', own, 0, own.indexOf('"rule"') + 2).includes('Another source'));
});

// 3. The report of a text alert whose rule is unidentified named the field of a `key=` with one conventional field as
// a fact: the okta README's alerts (corpus okta_README_console.txt) print `app=%okta.app`, and the report said
// `okta.target.app.alternateid` = `google` (the official okta rules' `app=`). The hover already said the field was
// inferred from the output name; the report now says so too.
test('the report of an unidentified text alert says which fields were read off the output names', { skip: !corpusExists && 'corpus absent' }, () => {
  const text = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'okta_README_console.txt'), 'utf8');
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__plugins', 'okta', 'okta_rules.yaml'))));
  const report = s.report(text, 'file:///logs/okta.txt', { start: 0, end: 0 });
  assert.match(report, /^- `okta\.target\.app\.alternateid` \(from the output name `app`\) = `google`/m, report);
  assert.match(report, /^- `okta\.actor\.name` \(probably, from the output name `user`\) = `User1`/m, report);
  // A rule identified by its template: its fields are the template's, said without a qualifier.
  const gcp = createAlertsService(new TestHost(), fakeRules(ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__plugins', 'gcpaudit', 'gcp_auditlog_rules.yaml'))));
  const line = '19:48:00.117403000: Notice project=project-id A GCP Pub/Sub topic has been deleted by user=user@company.com userIP=10.0.0.1 '
    + 'userAgent=google-cloud-sdk  authorizationInfo=<NA>  rawRequest=<NA>';
  assert.match(gcp.report(line, 'file:///logs/gcp.txt'), /^- `gcp\.callerIP` = `10\.0\.0\.1`/m);
});

// 4. Two hovers said nothing or said it twice: a JSON alert's `"tags":[]` showed "**Tags** of the rule (0):" over an
// empty list, and a `<NA>` value of a known field gave the same sentence twice (its own line, then the catalog's
// meaning of `<NA>` for every field).
test('an empty tags list and a <NA> value of a known field are each said once', () => {
  const alert = JSON.stringify({
    hostname: 'n1', output: '10:00:00.000000001: Notice Custom (file=/x parent=<NA>)', output_fields: { 'fd.name': '/x', 'proc.pname': null, 'ct.error': '<NA>', 'my.key': '<NA>' },
    priority: 'Notice', rule: 'Custom', source: 'syscall', tags: [], time: '2026-01-01T10:00:00.000000001Z',
  });
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const at = (needle: string) => hoverText(s, 'custom.json', alert, 0, alert.indexOf(needle) + 1);
  assert.equal(at('"tags"'), '**Tags**: none: the rule had no tags in the Falco that wrote this alert (it writes all of them here).');
  const once = (md: string) => assert.equal(md.split('Falco had no value for this field').length, 2, md);
  once(hoverText(s, 'custom.json', alert, 0, alert.indexOf('<NA>)') + 1));
  once(hoverText(s, 'custom.json', alert, 0, alert.indexOf('<NA>"}') + 1));
  const ctError = hoverText(s, 'custom.json', alert, 0, alert.indexOf('<NA>","my') + 1);
  assert.match(ctError, /The AWS API call succeeded/, ctError);
  once(ctError);
  // A key no field is known for (an unidentified text alert's): the value's own line says it.
  const line = '10:00:00.000000001: Notice Something odd (zzq=<NA>)';
  once(hoverText(s, 'odd.log', line, 0, line.indexOf('<NA>') + 1));
});

// 5. A tag's hover said falco.yaml selects rules by tag (`rules`) and adds output to them (`append_output`) whatever
// the target release: `rules` comes with Falco 0.38 (configuration.cpp:562 at 0.38.0), `append_output` with 0.39
// (configuration.cpp:612 at 0.39.0); Falco 0.37 selects rules by tag with -T and -t only (options.cpp:198-199).
test('a tag\'s hover says what selects rules by tag at the target release', () => {
  const alert = JSON.stringify({ hostname: 'n1', output: '10:00:00.000000001: Notice Custom (file=/x)', output_fields: { 'fd.name': '/x' },
    priority: 'Notice', rule: 'Custom', source: 'syscall', tags: ['filesystem'], time: '2026-01-01T10:00:00.000000001Z' });
  const at = (release: string) => {
    const host = new TestHost();
    host.config = { ...host.config, falcoVersion: release };
    return hoverText(createAlertsService(host, fakeRules([])), 'tags.json', alert, 0, alert.indexOf('"filesystem"') + 1);
  };
  assert.match(at('0.44'), /falco\.yaml can enable or disable rules by tag \(`rules`\) and add output to them \(`append_output`\)\.$/);
  assert.match(at('0.39'), /and add output to them \(`append_output`\)\.$/);
  const at38 = at('0.38');
  assert.match(at38, /falco\.yaml can enable or disable rules by tag \(`rules`; `append_output` comes with Falco 0\.39, the target is 0\.38\)\.$/, at38);
  const at37 = at('0.37');
  assert.match(at37, /Falco 0\.37 selects rules by tag on its command line only \(`-T <tag>` turns them off, `-t <tag>` runs only them; falco\.yaml's `rules` comes with 0\.38\)\.$/, at37);
  assert.ok(!at37.includes('append_output'), at37);
});

// 6. `kubectl logs --timestamps` (and `docker logs --timestamps`) put the time the runtime read each line and a blank
// before it. Such a line was no alert: after a text alert it was read as that alert's wrapped continuation, so the
// alert's last value ran on through the next lines (`terminal` = `34820 container_id=host … 2026-01-03T…`).
test('lines of kubectl logs --timestamps are alerts of their own, behind a prefix that says what it is', () => {
  const text = 'Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=cat terminal=34820 container_id=host container_name=host';
  const lines = [
    `2026-01-03T19:39:42.523456789Z 19:39:42.522581168: Warning ${text}`,
    `2026-01-03T19:39:43.000000001Z 19:39:42.999999999: Warning ${text}`,
    `2026-01-03T19:39:44.000000001Z ${JSON.stringify({ hostname: 'n1', output: `19:39:43.999999999: Warning ${text}`, output_fields: { 'fd.name': '/etc/shadow', 'proc.name': 'cat' }, priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: [], time: '2026-01-03T19:39:43.999999999Z' })}`,
  ];
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const log = `${lines.join('\n')}\n`;
  const doc = alertDoc('kubectl.log', log);
  s.didOpenOrChange?.(doc);
  assert.match(s.report(doc, doc.uri), /^3 alerts from `kubectl\.log`/m);
  const prefix = hoverText(s, 'kubectl.log', log, 1, 3);
  assert.equal(prefix, '**Log timestamp** `2026-01-03T19:39:43.000000001Z`: added by `kubectl logs --timestamps` or `docker logs --timestamps` '
    + '(the time the container runtime read the line, UTC), not by Falco; the Falco line follows it.');
  const terminal = hoverText(s, 'kubectl.log', log, 0, lines[0].indexOf('34820') + 1);
  assert.match(terminal, /Value: `34820`$/m, terminal);
  assert.match(hoverText(s, 'kubectl.log', log, 2, lines[2].indexOf('"rule"') + 2), /^\*\*Rule\*\* `Read sensitive file untrusted`/);
  // The Alert Explorer indexes them (it read none: three unparsed lines).
  const bytes = Buffer.from(log, 'utf8');
  const store = new AlertStore({ size: () => bytes.length, read: (buffer, offset, length, position) => bytes.copy(buffer, offset, position, Math.min(bytes.length, position + length)) });
  store.indexMore();
  assert.deepEqual([store.total, store.unparsed], [3, 0]);
  // A Falco text alert in ISO 8601 time is no prefixed line.
  const iso = `2026-01-03T19:39:42.522581168+0000: Warning ${text}`;
  assert.match(hoverText(s, 'iso.log', iso, 0, 2), /^\*\*Time\*\* `2026-01-03 19:39:42\.522581168 UTC`/);
});

// 7. Falco writes an internal event's JSON `output` as the bare message (falco_outputs.cpp handle_msg: `jmsg["output"]
// = msg`, :202 at 0.44.1, :211 at 0.37.0), with no time and priority in front. The hover called such an output "not
// written by Falco as it is (a test payload, or a program that rewrote it)".
test('an internal event\'s JSON output without time and priority is Falco\'s own', () => {
  const drop = JSON.stringify({ hostname: 'node-1', output: 'Falco internal: syscall event drop. 9 system calls dropped in last second.',
    output_fields: { ebpf_enabled: '1', n_drops: '9', n_evts: '6656' }, priority: 'Debug', rule: 'Falco internal: syscall event drop', source: 'internal', time: '2026-01-01T10:00:00.000000001Z' });
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const md = hoverText(s, 'drops.json', drop, 0, drop.indexOf('"output"') + 2);
  assert.match(md, /^\*\*output\*\*: the message of a Falco internal event, as Falco writes it in JSON: without a time and priority in front/, md);
  assert.ok(!md.includes('not written by Falco'), md);
  // A rule's output without them stays suspect.
  const rule = drop.replace('"Falco internal: syscall event drop"', '"Custom"').replace('"internal"', '"syscall"');
  assert.match(hoverText(s, 'rule.json', rule, 0, rule.indexOf('"output"') + 2), /this text was not written by Falco as it is/);
});

// 8. Falco 0.37-0.40 run with -pk (the Helm chart's default up to charts/falco 4.21.x) or -pc: a rules 3.x template's
// %container.info became `container_id=… container_image=… container_image_tag=… container_name=… k8s_ns=…
// k8s_pod_name=…`, and a template without it got those appended (init_falco_engine.cpp at 0.37.0 and 0.40.0,
// rule_loader_compiler.cpp). Read with %container.info's default form, container.id ran on to
// `3ad7b26ded6d container_image=… container_image_tag=latest`; appended, `container_image` was read as container.image
// (it is the repository) and `k8s_ns` as a field that does not exist, and no exception on the image was offered.
test('alerts of Falco 0.37-0.40 run with -pk or -pc are read field by field', { skip: !corpusExists && 'corpus absent' }, () => {
  const pk = 'container_id=3ad7b26ded6d container_image=docker.io/library/nginx container_image_tag=latest container_name=web k8s_ns=shop k8s_pod_name=web-7d4';
  const check = (rulesFile: string, line: string) => {
    const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__rules', ...rulesFile.split('/')))));
    const doc = alertDoc('pk.log', `${line}\n`);
    s.didOpenOrChange?.(doc);
    const report = s.report(doc, doc.uri);
    assert.match(report, /^## 1\. Terminal shell in container$/m, report);
    for (const [field, value] of [['container.id', '3ad7b26ded6d'], ['container.image.repository', 'docker.io/library/nginx'], ['container.image.tag', 'latest'],
      ['container.name', 'web'], ['k8s.ns.name', 'shop'], ['k8s.pod.name', 'web-7d4']]) {
      assert.ok(report.includes(`- \`${field}\` = \`${value}\``), `${field}\n${report}`);
    }
    const titles = s.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).map((a) => a.title);
    assert.ok(titles.some((t) => t.startsWith('Add exception for this executable path + process name + container image (/bin/bash, bash, docker.io/library/nginx)')), titles.join('\n'));
  };
  // Rules 3.0.0 (Falco 0.37): %container.info replaced.
  check('tags/falco-rules-3.0.0/falco_rules.yaml', '19:39:42.522581168: Notice A shell was spawned in a container with an attached terminal (evt_type=execve user=root '
    + `user_uid=0 user_loginuid=-1 process=bash proc_exepath=/bin/bash parent=runc command=bash terminal=34816 exe_flags=EXE_WRITABLE ${pk})`);
  // Rules without %container.info: appended.
  check('falco_rules.yaml', '19:39:42.522581168: Notice A shell was spawned in a container with an attached terminal | evt_type=execve user=root user_uid=0 '
    + `user_loginuid=-1 process=bash proc_exepath=/bin/bash parent=runc command=bash terminal=34816 exe_flags=EXE_WRITABLE ${pk}`);
});

// 9. Run shell untrusted fires when a server starts a shell (the rule's own case: command injection, a web shell). The
// quick fix offered the pair of the shell and its parent (`sh` + `java`) and of the shell's path and its parent: an
// exception on every command that server runs through a shell, the attacker's included. Only the shell's command line
// says what it runs; the rule's playbook pairs it with the server (proc.pexepath + proc.cmdline). A shell's `-c`
// string or script is now paired with its parent, and the report says why not the shell and its parent.
test('a shell started by a server is tuned by its command line, not by the pair of the shell and the server', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__rules', 'falco_rules.yaml'))));
  const line = (cmdline: string) => '10:00:00.000000001: Notice Shell spawned by untrusted binary | parent_exe=/opt/java/bin/java parent_exepath=/opt/java/bin/java '
    + 'pcmdline=java -jar /srv/app.jar gparent=containerd-shim ggparent=<NA> aname[4]=<NA> aname[5]=<NA> aname[6]=<NA> aname[7]=<NA> evt_type=execve user=app '
    + `user_uid=1000 user_loginuid=-1 process=sh proc_exepath=/usr/bin/dash parent=java command=${cmdline} terminal=0 exe_flags=EXE_LOWER_LAYER container_id=host container_name=host`;
  const titles = (text: string, name: string) => {
    const doc = alertDoc(name, `${text}\n`);
    s.didOpenOrChange?.(doc);
    return s.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).map((a) => a.title);
  };
  const script = titles(line('sh -c /srv/bin/rotate-logs.sh'), 'java-c.log');
  // The alert's user first (session 24), then any user.
  assert.ok(script.includes('Add exception for this command line + parent + user (sh -c /srv/bin/rotate-logs.sh, java, app, -1) to falco_rules.local.yaml'), script.join('\n'));
  assert.ok(script.includes('Add exception for this command line + parent, any user (sh -c /srv/bin/rotate-logs.sh, java) to falco_rules.local.yaml'), script.join('\n'));
  assert.ok(!script.some((t) => /this (process|executable path|executable path \+ process name) \+ parent( \+ user|, any user)? \(/.test(t)), script.join('\n'));
  // A shell with no -c string and no script: nothing narrows it, no exception; the report says why.
  const bare = line('sh');
  assert.ok(!titles(bare, 'java-sh.log').some((t) => t.startsWith('Add exception')));
  assert.match(s.report(bare, 'file:///logs/java-sh.log'), /No exception is proposed: the process `sh` is a shell that `java` started, so an exception on the shell and its parent would silence every command `java` runs through a shell, an injected one included; only the shell's command line tells them apart, and this one \(`sh`\) names no script and no `-c` string\./);
});

// 10. A text line with two blanks after the time (Falco writes one: formats.cpp:47-74 at 0.44.1) was said to have no
// priority, though it has one.
test('two blanks after the time are said as such, not as a missing priority', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const doc = alertDoc('blanks.log', '10:00:00.000000001:  Warning Custom thing (file=/x)\n10:00:00.000000001: \n');
  s.didOpenOrChange?.(doc);
  const messages = s.diagnostics(doc).filter((d) => d.code === 'unknown-priority').map((d) => `${d.range.start.line} ${d.message}`);
  assert.deepEqual(messages, [
    '0 More than one blank after the time: Falco writes one, then the priority, so this line was changed after Falco wrote it',
    '1 Missing priority after the time: Falco prints one of Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug',
  ]);
});

// 11. Investigation commands printed the lines of files and logs an attacker may have written (a changed shell start-up
// file or crontab, a repository file, access logs, container logs, a release_agent) straight to the user's terminal:
// escape sequences in them reach the terminal (hidden lines, a changed title, OSC 52 clipboard writes on some
// terminals). They now pass through `cat -v`, which shows control characters as ^X. Lines the kernel writes (/proc)
// and lists of file names (grep -l) are left as they are.
test('investigation commands that print files or logs an attacker may have written show control characters', () => {
  const printsLines = (command: string) => {
    const first = command.split('|')[0].trim();
    if (/^(crictl|kubectl) logs\b/.test(first)) return true;
    const words = first.split(/\s+/);
    if (!['cat', 'tail', 'head', 'grep'].includes(words[0])) return false;
    if (words[0] === 'grep' && words.some((w) => /^-[a-zA-Z]*[lcq]/.test(w))) return false;
    return !words.slice(1).filter((w) => !w.startsWith('-') && !w.startsWith('"') && !w.startsWith("'")).every((w) => w.startsWith('/proc/'));
  };
  const unsafe: string[] = [];
  let seen = 0;
  for (const p of allPlaybooks()) {
    for (const c of p.investigate) {
      if (!printsLines(c.command)) continue;
      seen++;
      if (!/\bcat -v\b/.test(c.command)) unsafe.push(`${p.rule}: ${c.command}`);
    }
  }
  assert.ok(seen >= 10, `${seen}`);
  assert.deepEqual(unsafe, []);
});
