// Leftovers of the alert explanations audit (session 7): each test pins a statement that was wrong or claimed more
// than Falco Lens knows, checked against the libs 0.25.2 / Falco 0.44 sources named in the tests.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover, TextDocumentEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules, fixture, ruleSummaries, corpusExists, STABLE_RULES } from '../fixtures/alerts/helpers';
import { allValueMeanings, FLAG_NAMES, FLAG_TABLES_BY_EVENT, valueMeanings } from '../../server/src/knowledge';

const md = (h: Hover | null | undefined) => (h ? (h.contents as { value: string }).value : '');

function hoverAt(s: ReturnType<typeof createAlertsService>, text: string, line: number, needle: string, shift = 0, name = 'a.json'): string {
  const col = text.split('\n')[line].indexOf(needle);
  assert.ok(col >= 0, needle);
  return md(s.hover!(alertDoc(name, text), { line, character: col + shift }));
}

// 1. evt.arg.flags is the `flags` parameter of the event at hand, rendered with that event's flag table
// (libs 0.25.2 driver/event_table.c; sinsp_filter_check_event::extract TYPE_ARGSTR, get_param_value_str).

test('every flag meaning is written for events whose flags table holds that flag (libs 0.25.2 event table)', () => {
  let checked = 0;
  for (const m of allValueMeanings()) {
    if (m.match !== 'flag') continue;
    assert.ok(m.events?.length, `${m.value}: a flag meaning names the events it is written for`);
    for (const e of m.events!) {
      const tables = FLAG_TABLES_BY_EVENT[e];
      assert.ok(tables, `${e} has no flags parameter with a flag table`);
      assert.ok(tables.some((t) => FLAG_NAMES[t].includes(m.value)), `${m.value} is not a flag of ${e} (${tables.join(', ')})`);
      checked++;
    }
  }
  assert.ok(checked >= 20);
  // The same names in other tables: delete_module's flags are O_NONBLOCK and O_TRUNC too; execveat's enter event has AT_*.
  assert.deepEqual(FLAG_TABLES_BY_EVENT.delete_module, ['delete_module_flags']);
  assert.ok(FLAG_NAMES.delete_module_flags.includes('O_TRUNC'));
  assert.deepEqual(FLAG_TABLES_BY_EVENT.execveat, ['execve_flags', 'execveat_flags']);
  assert.deepEqual(FLAG_TABLES_BY_EVENT.mmap, ['mmap_flags']);
  assert.equal(FLAG_TABLES_BY_EVENT.creat, undefined, 'creat has no flags parameter');
});

test('flag meanings follow the event type: open flags only for the open calls, exec flags only for execve/execveat', () => {
  const texts = (value: string, evtType?: string) => valueMeanings('evt.arg.flags', value, evtType).map((m) => m.meaning);
  assert.deepEqual(texts('O_TRUNC', 'openat'), ['The open call empties an existing file.']);
  assert.deepEqual(texts('O_NONBLOCK|O_TRUNC', 'delete_module'), [], 'delete_module renders its own flags with O_ names');
  assert.deepEqual(texts('EXE_WRITABLE', 'open'), []);
  assert.equal(texts('EXE_WRITABLE|EXE_UPPER_LAYER', 'execve').length, 2);
  assert.equal(texts('EXE_FROM_MEMFD', 'execveat').length, 1);
  assert.deepEqual(texts('MAP_SHARED', 'mmap'), []);
  // Without a known event type, the events a reading holds for are named instead of asserting it (said once in
  // front of the meanings that share them: alerts-leftovers-s8).
  const [unknown] = valueMeanings('evt.arg.flags', 'O_CREAT');
  assert.equal(unknown.meaning, 'The open call may create the file if it does not exist.');
  assert.deepEqual(unknown.ifEvents, ['open', 'openat', 'openat2', 'open_by_handle_at']);
  assert.equal(valueMeanings('evt.arg.flags', 'O_CREAT', 'openat')[0].ifEvents, undefined);
  assert.deepEqual(valueMeanings('evt.arg.flags', 'O_CREAT', 'not_an_event'), [unknown], 'a name the event table does not know is no event type');
  assert.deepEqual(valueMeanings('evt.arg.flags', 'EXE_WRITABLE')[0].ifEvents, ['execve', 'execveat']);
  // Meanings not tied to an event are unchanged by it.
  assert.deepEqual(valueMeanings('user.loginuid', '-1', 'execve'), valueMeanings('user.loginuid', '-1'));
});

const MODULE_REMOVED = JSON.stringify({
  hostname: 'node-1', output: '09:12:44.120553012: Warning Kernel module removed (flags=O_NONBLOCK|O_TRUNC evt_type=delete_module process=rmmod)',
  output_fields: { 'evt.arg.flags': 'O_NONBLOCK|O_TRUNC', 'evt.time': 1746609164120553012, 'evt.type': 'delete_module', 'proc.name': 'rmmod' },
  priority: 'Warning', rule: 'Kernel module removed', source: 'syscall', tags: [], time: '2025-05-07T09:12:44.120553012Z',
});

test('hover and report read evt.arg.flags with the alert\'s evt.type', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const h = hoverAt(s, MODULE_REMOVED, 0, '"O_NONBLOCK|O_TRUNC"', 2);
  assert.match(h, /field `evt\.arg\.flags`/);
  assert.doesNotMatch(h, /empties an existing file/, 'delete_module\'s O_TRUNC is no open flag');
  assert.match(h, /Flags: `O_NONBLOCK`, `O_TRUNC`/);
  const report = s.report(MODULE_REMOVED, 'file:///logs/m.json');
  assert.doesNotMatch(report, /empties an existing file/);
  // An open alert without evt.type: the reading is given for the open calls, not asserted.
  const noType = JSON.stringify({ ...JSON.parse(MODULE_REMOVED), output_fields: { 'evt.arg.flags': 'O_WRONLY|O_CREAT|O_TRUNC', 'fd.name': '/etc/cron.d/x' } });
  const h2 = hoverAt(s, noType, 0, '"O_WRONLY|O_CREAT|O_TRUNC"', 2, 'b.json');
  assert.match(h2, /If evt\\\.type is open, openat, openat2 or open\\_by\\_handle\\_at [^\n]*:\n\n(- `O_[A-Z]+`: [^\n]*\n)*- `O_TRUNC`: The open call empties an existing file\\\./);
  const opened = JSON.stringify({ ...JSON.parse(noType), output_fields: { ...JSON.parse(noType).output_fields, 'evt.type': 'openat' } });
  assert.match(hoverAt(s, opened, 0, '"O_WRONLY|O_CREAT|O_TRUNC"', 2, 'c.json'), /`O_TRUNC`: The open call empties an existing file\\\./);
});

const LIBS_MIRROR = '/work/.mirror/falcosecurity+libs/repo';
test('the event flag tables are what the generator reads from libs 0.25.2', { skip: !fs.existsSync(LIBS_MIRROR) && 'no libs checkout' }, () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-flags-')), 'eventFlags.ts');
  execFileSync(process.execPath, ['scripts/gen-event-flags.mjs', LIBS_MIRROR, '0.25.2', '--out', out]);
  assert.equal(fs.readFileSync(out, 'utf8'), fs.readFileSync('server/src/knowledge/eventFlags.ts', 'utf8'));
});

// 2. Without the rule's output template, a value is read up to the next `key=`.

// A custom rule (not loaded) with an output such as 'Shell spawned for user=%user.name as a login shell
// command=%proc.cmdline parent=%proc.pname': only `root` is user.name, `bash -c ls` is the whole command line.
const CUSTOM_SHELL = '14:02:11.401220113: Warning Shell spawned for user=root as a login shell command=bash -c ls parent=sshd';

test('an unidentified text alert: a value holding a blank is not claimed to end at the next key=', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const user = hoverAt(s, CUSTOM_SHELL, 0, 'root', 0, 'shell.log');
  assert.match(user, /Value: `root as a login shell`/);
  assert.match(user, /Where this value ends is uncertain/);
  assert.match(hoverAt(s, CUSTOM_SHELL, 0, 'login shell', 0, 'shell.log'), /Where this value ends is uncertain/, 'the run-on words hover as that value');
  assert.match(hoverAt(s, CUSTOM_SHELL, 0, '-c ls', 0, 'shell.log'), /Where this value ends is uncertain/, 'a command line cannot be told from run-on words');
  const parent = hoverAt(s, CUSTOM_SHELL, 0, 'sshd', 0, 'shell.log');
  assert.match(parent, /Value: `sshd`/);
  assert.doesNotMatch(parent, /uncertain/, 'a value without a blank ends where the line or the next key starts');
  const report = s.report(CUSTOM_SHELL, 'file:///logs/shell.log');
  assert.match(report, /= `root as a login shell` \(read up to the next `key=`: where the value ends is uncertain without the rule's output template\)/);
  assert.doesNotMatch(report, /= `sshd` \(read up to/);
});

test('the rule\'s template or exact output_fields values make the extent known', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES)));
  // Identified by its template: the command line with blanks is exactly the template's %proc.cmdline.
  const text = fixture('falco-rules4.log');
  assert.doesNotMatch(hoverAt(s, text, 0, 'ln -s /etc', 0, 'r4.log'), /uncertain/);
  // A JSON alert of an unloaded rule, without output_fields: the output is read by keys, as a text alert is.
  const json = JSON.stringify({ hostname: 'h', output: CUSTOM_SHELL, priority: 'Warning', rule: 'Shell spawned', source: 'syscall', time: '2025-05-07T14:02:11.401220113Z' });
  assert.match(hoverAt(s, json, 0, 'root as', 0, 'b.json'), /Where this value ends is uncertain/);
  // With output_fields the value is cut to the field's exact text.
  const withFields = JSON.stringify({ ...JSON.parse(json), output_fields: { 'user.name': 'root', 'proc.cmdline': 'bash -c ls', 'proc.pname': 'sshd' } });
  assert.doesNotMatch(hoverAt(s, withFields, 0, '-c ls', 0, 'c.json'), /uncertain/);
});

// 3. container.name is `host` for host processes (libsinsp sinsp_filtercheck_container.cpp before Falco 0.41; the
// container plugin's host_container_info, container 0.1.0-0.7.1, since), and a container may be named `host` too
// (`docker run --name host …`): container.id says which.

const NAMED_HOST = JSON.stringify({
  hostname: 'node-2',
  output: '10:21:07.550218391: Notice A shell was spawned in a container with an attached terminal | evt_type=execve user=root user_uid=0 user_loginuid=-1 process=sh proc_exepath=/bin/sh parent=containerd-shim command=sh terminal=34816 exe_flags=EXE_LOWER_LAYER container_id=5f2a1b9c3d4e container_name=host container_image_repository=docker.io/library/alpine container_image_tag=3.20 k8s_pod_name=<NA> k8s_ns_name=<NA>',
  output_fields: {
    'container.id': '5f2a1b9c3d4e', 'container.image.repository': 'docker.io/library/alpine', 'container.image.tag': '3.20', 'container.name': 'host',
    'evt.arg.flags': 'EXE_LOWER_LAYER', 'evt.time': 1746613267550218391, 'evt.type': 'execve', 'k8s.ns.name': null, 'k8s.pod.name': null,
    'proc.cmdline': 'sh', 'proc.exepath': '/bin/sh', 'proc.name': 'sh', 'proc.pname': 'containerd-shim', 'proc.tty': 34816,
    'user.loginuid': -1, 'user.name': 'root', 'user.uid': 0,
  },
  priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall', tags: ['maturity_stable', 'container', 'shell', 'mitre_execution', 'T1059'],
  time: '2025-05-07T10:21:07.550218391Z',
});

test('container.name host: container.id, not the name, says whether the event happened on the host', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const named = hoverAt(s, NAMED_HOST, 0, '"container.name":"host"', '"container.name":"'.length, 'named.json');
  assert.doesNotMatch(named, /happened on the host/);
  assert.match(named, /Its container\.id is `5f2a1b9c3d4e`: a container named `host`, not the host\./);
  const report = s.report(NAMED_HOST, 'file:///logs/named.json');
  assert.doesNotMatch(report, /happened on the host/);
  assert.match(report, /a container named `host`, not the host/);
  // The host itself (Falco 0.41+ text suffix): container.id host too.
  const line = '14:47:07.118224033: Warning Symlinks created over sensitive files | target=/etc linkpath=/tmp/eg_link evt_type=symlinkat user=root process=ln parent=bash command=ln -s /etc /tmp/eg_link terminal=0 container_id=host container_name=host';
  assert.match(hoverAt(s, line, 0, 'container_name=host', 'container_name='.length, 'host.log'), /Its container\.id is `host` too: the event happened on the host/);
  assert.match(hoverAt(s, line, 0, 'container_id=host', 'container_id='.length, 'host.log'), /The event happened on the host itself/);
  // Only the name (a custom output without container.id): said, not decided.
  const nameOnly = '14:47:07.118224033: Warning Shell in container (user=root shell=bash container_name=host)';
  const h = hoverAt(s, nameOnly, 0, 'container_name=host', 'container_name='.length, 'name-only.log');
  assert.doesNotMatch(h, /happened on the host/);
  assert.match(h, /no container\.id: from the name alone, the host cannot be told from a container named `host`/);
});

// 4. A parent that starts every service, job or container makes "process + parent" (and "executable path + parent")
// cover all of them; under a supervisor the exact command line is offered instead.

const SERVICE_READ = (fields: Record<string, unknown>, rule = 'Read sensitive file untrusted') => JSON.stringify({
  hostname: 'db-1', output: '03:00:01.220418777: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=python3',
  output_fields: { 'container.id': 'host', 'evt.time': 1746586801220418777, 'evt.type': 'openat', 'fd.name': '/etc/shadow', ...fields },
  priority: 'Warning', rule, source: 'syscall', tags: [], time: '2025-05-07T03:00:01.220418777Z',
});
const SERVICE = { 'proc.name': 'python3', 'proc.exepath': '/usr/bin/python3.11', 'proc.cmdline': 'python3 /opt/inventory/collect.py --all', 'proc.pname': 'systemd' };
const CRON_JOB = { 'proc.name': 'curl', 'proc.exepath': '/usr/bin/curl', 'proc.cmdline': 'curl -fsS https://hc.example/ping/7f3a', 'proc.pname': 'sh', 'proc.aname[2]': 'cron' };

function titlesOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): string[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).map((a) => a.title);
}

test('no process + parent or executable path + parent exception under systemd, init, cron, or a cron job\'s shell', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const service = titlesOf(s, SERVICE_READ(SERVICE), 'service.json');
  assert.ok(!service.some((t) => /process( name)? \+ parent|executable path \+ parent/.test(t)), service.join('\n'));
  assert.ok(service.includes('Add exception for this command line + parent, any user (python3 /opt/inventory/collect.py --all, systemd) to falco_rules.local.yaml (rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)'), service.join('\n'));
  for (const pname of ['init', 'crond', 'atd']) {
    const titles = titlesOf(s, SERVICE_READ({ ...SERVICE, 'proc.pname': pname }), `${pname}.json`);
    assert.ok(!titles.some((t) => /process( name)? \+ parent|executable path \+ parent/.test(t)), titles.join('\n'));
  }
  const job = titlesOf(s, SERVICE_READ(CRON_JOB), 'cron.json');
  assert.ok(!job.some((t) => /process( name)? \+ parent|executable path \+ parent/.test(t)), job.join('\n'));
  assert.ok(job.includes('Add exception for this command line + parent, any user (curl -fsS https://hc.example/ping/7f3a, sh) to falco_rules.local.yaml (rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)'), job.join('\n'));
  // A shell that no scheduler started (an interactive login, a script) gets neither pair, nor the command line
  // (whoever types it at a shell): alerts-leftovers-s8.
  const login = titlesOf(s, SERVICE_READ({ ...CRON_JOB, 'proc.aname[2]': 'sshd' }), 'login.json');
  assert.ok(!login.some((t) => /process( name)? \+ parent|executable path \+ parent|command line \+ parent/.test(t)), login.join('\n'));
  // containerd and dockerd start the runtimes of every container: as broad as runc, and no command line either.
  const engine = titlesOf(s, SERVICE_READ({ ...SERVICE, 'proc.pname': 'containerd' }), 'containerd.json');
  assert.ok(!engine.some((t) => /parent/.test(t)), engine.join('\n'));
});

test('the report says why, and playbook snippets leave a supervisor parent to the user unless the command line pins the case', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const bare = SERVICE_READ({ 'proc.name': 'python3', 'proc.pname': 'systemd', 'fd.name': undefined });
  assert.match(s.report(bare, 'file:///logs/bare.json'), /No exception is proposed: the parent `systemd` starts every service and receives every orphaned or daemonized process, so an exception on this program and parent would cover every one that runs it; only the command line tells them apart\./);
  const cronBare = SERVICE_READ({ 'proc.name': 'curl', 'proc.pname': 'sh', 'proc.aname[2]': 'cron', 'fd.name': undefined });
  assert.match(s.report(cronBare, 'file:///logs/cron-bare.json'), /the parent `sh` is the shell of a job that `cron` started/);
  const crond = SERVICE_READ({ 'proc.name': 'logrotate', 'proc.pname': 'crond', 'fd.name': undefined });
  assert.match(s.report(crond, 'file:///logs/crond.json'), /the parent `crond` starts every scheduled job, so an exception on this program and parent would cover every job that runs it/);
  // PTRACE attached to process: its playbook's exception pairs proc.exepath (with proc.name, session 18) with proc.pname.
  const ptrace = SERVICE_READ(SERVICE, 'PTRACE attached to process');
  const report = s.report(ptrace, 'file:///logs/ptrace.json');
  assert.match(report, /allow_known_tracer[\s\S]*\["\/usr\/bin\/python3\.11", "?python3"?, <proc\.pname>\]/);
  assert.match(report, /`proc\.pname` is left as a placeholder: the parent systemd starts every service and receives every orphaned/);
  // Search Private Keys or Passwords pairs proc.pname with proc.cmdline: the command line pins the case.
  const keys = s.report(SERVICE_READ(SERVICE, 'Search Private Keys or Passwords'), 'file:///logs/keys.json');
  assert.match(keys, /allow_known_key_inventory[\s\S]*\["systemd", "python3 \/opt\/inventory\/collect\.py --all"\]/);
  // Under a container runtime, a snippet that pins the image keeps the parent.
  const inContainer = SERVICE_READ({ ...SERVICE, 'container.id': '7bebb1d63ff1', 'container.image.repository': 'docker.io/library/python', 'proc.pname': 'runc' }, 'Launch Suspicious Network Tool in Container');
  assert.match(s.report(inContainer, 'file:///logs/nt.json'), /\["docker\.io\/library\/python", "\/usr\/bin\/python3\.11", "?python3"?, "runc"\]/);
});

// 5. "Add exception" and "Disable rule" for a rule Falco Lens has not loaded (no /etc/falco on a workstation): kept,
// and said in the title, in a comment above the YAML and in the report.

const LOCAL = '/work/ws/falco_rules.local.yaml';

function applyEdit(text: string, action: CodeAction): string {
  const change = action.edit!.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), change.edits as { range: never; newText: string }[]);
}

function actionsOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

// The parent is a program of its own (under sudo or a shell no process + parent is offered: alerts-leftovers-s8).
const SHADOW_READ = SERVICE_READ({ 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat', 'proc.cmdline': 'cat /etc/shadow', 'proc.pname': 'backup-agent' });

test('an official rule that is not loaded: actions kept, titled "rule not loaded", YAML commented, report consistent', () => {
  const host = new TestHost();
  const s = createAlertsService(host, fakeRules([]));
  const actions = actionsOf(s, SHADOW_READ, 'official.json');
  const add = actions.find((a) => a.title.startsWith('Add exception for this executable path + process name + parent, any user'))!;
  assert.equal(add.title, 'Add exception for this executable path + process name + parent, any user (/usr/bin/cat, cat, backup-agent) to falco_rules.local.yaml (rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)');
  const disable = actions.find((a) => a.title.startsWith('Disable rule'))!;
  assert.equal(disable.title, 'Disable rule "Read sensitive file untrusted" in falco_rules.local.yaml (last resort: it stops all its alerts; rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)');
  const comment = '# Falco Lens did not find this rule in the loaded rules files; Falco\'s official falco_rules.yaml defines a rule of this name. '
    + 'Falco refuses to start on it unless a rules file it loads before this one defines the rule ("... but no rule by that name already exists"); a hot reload keeps the running rules and alerts "Falco internal: hot restart failure".\n';
  const keyed = '# Keyed by proc.exepath and proc.name: only a program placed at this path runs from it, and the name is the one it was started by (busybox, kmod and others do what that name says).\n';
  for (const action of [add, disable]) {
    const text = applyEdit('', action);
    assert.ok(text.includes(`${comment}${action === add ? keyed : ''}- rule: "Read sensitive file untrusted"\n`), text);
    assert.equal(parseDocument(text).errors.length, 0);
  }
  // Applied once, the same fix is not offered again (the comment changes nothing in what is read).
  host.files.set(LOCAL, applyEdit('', add));
  assert.ok(!actionsOf(s, SHADOW_READ, 'official.json').some((a) => a.title.startsWith('Add exception for this executable path + process name + parent, any user')));
  const report = s.report(SHADOW_READ, 'file:///logs/official.json');
  assert.ok(report.includes(comment), 'the report\'s exception YAML carries the same comment');
  assert.match(report, /\*\*Check before use:\*\* `Read sensitive file untrusted` is not in the loaded rules[^\n]* Falco's official `falco_rules\.yaml` defines a rule of this name: check that Falco loads it before the file you put the tuning in\./);
});

test('a rule neither loaded nor official: still offered (a custom rule in a file not configured), and said so', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const custom = SHADOW_READ.replace('"rule":"Read sensitive file untrusted"', '"rule":"Shadow read by backup agent"');
  const actions = actionsOf(s, custom, 'custom.json');
  const add = actions.find((a) => a.title.startsWith('Add exception for this executable path + process name + parent, any user'))!;
  assert.equal(add.title, 'Add exception for this executable path + process name + parent, any user (/usr/bin/cat, cat, backup-agent) to falco_rules.local.yaml (rule not loaded, not an official rule: Falco will not start unless a file it loads earlier defines it)');
  assert.ok(actions.some((a) => a.title.endsWith('(last resort: it stops all its alerts; rule not loaded, not an official rule: Falco will not start unless a file it loads earlier defines it)')));
  assert.ok(applyEdit('', add).includes('# Falco Lens did not find this rule in the loaded rules files, nor among Falco\'s official rules (a custom rule in a file Falco Lens does not read?). Falco refuses to start on it unless a rules file it loads before this one defines the rule ("... but no rule by that name already exists"); a hot reload keeps the running rules and alerts "Falco internal: hot restart failure".\n# Keyed by proc.exepath and proc.name: '));
  const report = s.report(custom, 'file:///logs/custom.json');
  assert.match(report, /It is not one of Falco's official rules either: check the name \(it may be a custom rule in a file Falco Lens does not read\)\./);
  assert.doesNotMatch(report, /Rule defined in|official `/);
  // Loaded: no note, no comment.
  const loaded = createAlertsService(new TestHost(), fakeRules([{ name: 'Shadow read by backup agent', source: 'syscall', tags: [], enabled: true }]));
  const titles = actionsOf(loaded, custom, 'loaded.json').map((a) => a.title);
  assert.ok(titles.includes('Add exception for this executable path + process name + parent, any user (/usr/bin/cat, cat, backup-agent) to falco_rules.local.yaml'), titles.join('\n'));
  assert.ok(!applyEdit('', actionsOf(loaded, custom, 'loaded.json')[0]).includes('# Falco Lens did not find'));
  assert.doesNotMatch(loaded.report(custom, 'file:///logs/loaded.json'), /not in the loaded rules|did not find/);
});
