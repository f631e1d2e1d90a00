// Session 9 leftovers in alert tuning: each test pins what the old code offered or said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { parseDocument } from 'yaml';
import { createAlertsService } from '../../server/src/service/alerts';
import { EXCEPTION_SHAPES, planDisable, planException } from '../../server/src/service/alerts/tuning';
import { pathToUri } from '../../server/src/service/uri';
import type { RuleSummary } from '../../server/src/service/features';
import { TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

function actionsOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

// 1. A socket's fd.name is its connection, `client:port->server:port` (libsinsp utils.cpp ipv4tuple_to_string and
// ipv6tuple_to_string; a unix socket `<hex>-><hex> path`, parsers.cpp, libs 0.25.2): the client's port changes with every
// connection, so "file + process" on it matches this one connection and never the next alert.

const CONNECTION = (fields: Record<string, unknown>) => JSON.stringify({
  hostname: 'web-1',
  output: '10:20:30.123456789: Notice Disallowed SSH Connection | connection=10.0.0.9:51234->203.0.113.5:443 lport=51234 rport=443 fd_type=ipv4 fd_proto=tcp evt_type=connect user=root process=ssh parent=node',
  output_fields: {
    'container.id': 'host', 'evt.time': 1746613230123456789, 'evt.type': 'connect', 'fd.l4proto': 'tcp', 'fd.lport': 51234, 'fd.rport': 443,
    'fd.name': '10.0.0.9:51234->203.0.113.5:443', 'fd.type': 'ipv4', 'proc.cmdline': 'ssh -p 443 git@203.0.113.5', 'proc.exepath': '/usr/bin/ssh',
    'proc.name': 'ssh', 'proc.pname': 'node', 'user.name': 'root', ...fields,
  },
  priority: 'Notice', rule: 'Disallowed SSH Connection Non Standard Port', source: 'syscall', tags: ['maturity_stable'], time: '2025-05-07T10:20:30.123456789Z',
});

test('no file + process exception on a socket connection (IPv4, IPv6, unix): the report says why', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const cases: Record<string, unknown>[] = [
    {},
    { 'fd.name': 'fd00::9:51234->2001:db8::5:443', 'fd.type': 'ipv6' },
    { 'fd.name': 'ffff9b8d6d3f2c00->ffff9b8d6d3f0000 /run/containerd/containerd.sock', 'fd.type': 'unix' },
    // Without fd.type, the arrow of a connection name is enough.
    { 'fd.type': undefined },
  ];
  for (const [i, fields] of cases.entries()) {
    const alert = CONNECTION(fields);
    const titles = actionsOf(s, alert, `conn-${i}.json`).map((a) => a.title);
    assert.ok(!titles.some((t) => t.includes('file + ')), titles.join('\n'));
    // The other shapes are still offered.
    assert.ok(titles.some((t) => t.startsWith('Add exception for this executable path + process name + parent + user (/usr/bin/ssh, ssh, node, root)')), titles.join('\n'));
    const report = s.report(alert, 'file:///logs/conn.json');
    assert.doesNotMatch(report, /falco_lens_fd_name_and_proc_(name|exepath)/);
    assert.match(report, /Why not on the file descriptor: `fd\.name` is a socket connection/, report);
  }
  // A listening socket's name (the server's own address) and a file name holding an arrow are no connection.
  for (const [i, fields] of [{ 'fd.name': '0.0.0.0:8080' }, { 'fd.name': '/srv/a->b', 'fd.type': 'file' }].entries()) {
    const titles = actionsOf(s, CONNECTION(fields), `other-${i}.json`).map((a) => a.title);
    assert.ok(titles.some((t) => t.startsWith('Add exception for this file + executable path')), titles.join('\n'));
  }
});

test('a connection alert with no other shape says why nothing is proposed', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  // Under sshd (a session starter) process + parent and executable path + parent are not offered either.
  const report = s.report(CONNECTION({ 'proc.pname': 'sshd' }), 'file:///logs/conn.json');
  const tuning = report.slice(report.indexOf('### Tuning'));
  assert.match(tuning, /No exception is proposed: `fd\.name` is a socket connection/, tuning);
});

// 2. Tuning written into the local rules file when Falco loads it before the file that defines the rule: Falco refuses
// to start on an override of a rule no earlier file defines (ERROR_NO_PREVIOUS_RULE_APPEND/_REPLACE,
// rule_loader_collector.cpp:230,300 at 0.44.0). On a Falco host the local file is configured second of rules_files,
// before rules.d and before any file listed after it.

const POD = JSON.stringify({
  hostname: 'node-1', output: '10:20:30.123456789: Warning Pod started with privileged container (user=alice pod=p ns=shop images=nginx)',
  output_fields: { 'ka.req.pod.containers.image': 'nginx', 'ka.resp.name': 'p', 'ka.target.namespace': 'shop', 'ka.user.name': 'alice' },
  priority: 'Warning', rule: 'Create Privileged Pod', source: 'k8s_audit', tags: ['k8s'], time: '2025-05-07T10:20:30.123456789Z',
});

function podRule(file: string): RuleSummary {
  return {
    name: 'Create Privileged Pod', source: 'k8s_audit', tags: ['k8s'], enabled: true, priority: 'WARNING',
    location: { uri: pathToUri(file), range: { start: { line: 3, character: 8 }, end: { line: 3, character: 8 } } },
  };
}

function hostWith(folders: string[], files: string[] | undefined, localFile = 'falco_rules.local.yaml'): TestHost {
  const host = new TestHost(folders);
  host.config = { ...host.config, rules: { files, localFile } };
  return host;
}

const editing = (actions: CodeAction[]) => actions.filter((a) => a.edit).map((a) => a.title);

test('no tuning edit into a local rules file that Falco loads before the rule\'s file; the report says where it goes', () => {
  // /etc/falco opened as the workspace: the local file is the configured /etc/falco/falco_rules.local.yaml.
  const configured = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d/k8s_audit_rules.yaml'];
  for (const host of [hostWith(['/etc/falco'], configured), hostWith(['/work/ws'], configured, '/etc/falco/falco_rules.local.yaml')]) {
    const s = createAlertsService(host, fakeRules([podRule('/etc/falco/rules.d/k8s_audit_rules.yaml')]));
    const actions = actionsOf(s, POD, 'pod.json');
    assert.deepEqual(editing(actions).filter((t) => /^(Add exception|Disable rule)/.test(t)), [], actions.map((a) => a.title).join('\n'));
    const blocked = actions.find((a) => a.disabled)!;
    assert.equal(blocked.title, 'Add exception or disable rule: not in falco_rules.local.yaml, which Falco loads before k8s_audit_rules.yaml');
    assert.match(blocked.disabled!.reason, /^Falco loads \/etc\/falco\/falco_rules\.local\.yaml before \/etc\/falco\/rules\.d\/k8s_audit_rules\.yaml, which defines this rule, and refuses to start/);
    const report = s.report(POD, 'file:///logs/pod.json');
    const tuning = report.slice(report.indexOf('### Tuning'));
    assert.ok(!tuning.includes('the quick fix "Add exception" writes it'), tuning);
    assert.match(tuning, /\*\*Not in your local rules file:\*\* Falco loads `\/etc\/falco\/falco_rules\.local\.yaml` before `\/etc\/falco\/rules\.d\/k8s_audit_rules\.yaml`/, tuning);
  }
});

test('tuning edits stay when the local file loads after the rule\'s file', () => {
  const cases: { host: TestHost; ruleFile: string }[] = [
    // Configured before the local file.
    { host: hostWith(['/etc/falco'], ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml']), ruleFile: '/etc/falco/falco_rules.yaml' },
    // A workspace's local file loads after every configured file.
    { host: hostWith(['/work/ws'], ['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d/k8s_audit_rules.yaml']), ruleFile: '/etc/falco/rules.d/k8s_audit_rules.yaml' },
    // Both in the workspace: a plugin rules file ranks before the local tuning files.
    { host: hostWith(['/work/ws'], []), ruleFile: '/work/ws/k8s_audit_rules.yaml' },
    // A file Falco Lens cannot place (outside every folder and not configured): not judged.
    { host: hostWith(['/work/ws'], []), ruleFile: '/opt/rules/k8s_audit_rules.yaml' },
  ];
  for (const { host, ruleFile } of cases) {
    const s = createAlertsService(host, fakeRules([podRule(ruleFile)]));
    const actions = actionsOf(s, POD, 'pod.json');
    assert.ok(!actions.some((a) => a.disabled), ruleFile);
    assert.deepEqual(editing(actions).map((t) => t.split(' (')[0]), ['Add exception for this Kubernetes user + namespace', 'Disable rule "Create Privileged Pod" in falco_rules.local.yaml'], ruleFile);
  }
  // Both in the workspace, the rule's file under rules.d sorting after the local file: blocked.
  const s = createAlertsService(hostWith(['/work/ws'], []), fakeRules([podRule('/work/ws/rules.d/zz_rules.yaml')]));
  assert.deepEqual(editing(actionsOf(s, POD, 'pod.json')).filter((t) => /^(Add exception|Disable rule)/.test(t)), []);
});

test('a configured folder that will hold the local file once created places it by name', () => {
  const host = hostWith(['/work/ws'], ['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d'], '/etc/falco/rules.d/50-local.yaml');
  Object.assign(host, {
    readDirectory: (p: string) => (p === '/etc/falco/rules.d' ? ['10-k8s_audit_rules.yaml', '90-custom_rules.yaml'] : undefined),
    isDirectory: (p: string) => p === '/etc/falco/rules.d',
  });
  const early = createAlertsService(host, fakeRules([podRule('/etc/falco/rules.d/10-k8s_audit_rules.yaml')]));
  assert.ok(!actionsOf(early, POD, 'pod.json').some((a) => a.disabled));
  const late = createAlertsService(host, fakeRules([podRule('/etc/falco/rules.d/90-custom_rules.yaml')]));
  assert.match(actionsOf(late, POD, 'pod.json').find((a) => a.disabled)?.title ?? '', /not in 50-local\.yaml, which Falco loads before 90-custom_rules\.yaml/);
});

// 3. A row appended to an exception of the local file only because it has the generated name: an exception the user
// gave a third field (Falco: "Fields and values lists must have equal length", rule_loader_compiler.cpp
// build_rule_exception_infos, refuses the file) or other comparisons (the row then means `startswith`, not this alert).

const FILE_SHAPE = EXCEPTION_SHAPES.find((s) => s.label === 'file + process, any user')!;
const READ_PROPOSAL = { rule: 'Read sensitive file untrusted', shape: FILE_SHAPE, name: 'falco_lens_fd_name_and_proc_name', values: ['/etc/shadow', 'cat'] };
const EDITED = (fields: string, comps: string, row: string) => [
  '- rule: Read sensitive file untrusted',
  '  exceptions:',
  '    - name: falco_lens_fd_name_and_proc_name',
  `      fields: ${fields}`,
  ...(comps ? [`      comps: ${comps}`] : []),
  '      values:',
  `        - ${row}`,
  '  override:',
  '    exceptions: append',
  '',
].join('\n');

function applied(text: string, plan: ReturnType<typeof planException>): string {
  assert.equal(plan.kind, 'insert');
  return plan.kind === 'insert' ? text.slice(0, plan.insertion.offset) + plan.insertion.text + text.slice(plan.insertion.offset) : text;
}

test('a row goes only into an exception of the same fields and = comparisons; otherwise a new exception of its own', () => {
  for (const local of [
    EDITED('[fd.name, proc.name, user.name]', '[=, =, =]', '[/etc/sudoers, cat, root]'),
    EDITED('[fd.name, proc.name]', '[startswith, =]', '[/etc/, cat]'),
    EDITED('[proc.name, fd.name]', '', '[cat, /etc/sudoers]'),
  ]) {
    const after = applied(local, planException(local, READ_PROPOSAL));
    const items = parseDocument(after).toJSON() as { exceptions: { name: string; fields: string[]; comps?: string[]; values: string[][] }[] }[];
    const all = items.flatMap((i) => i.exceptions);
    // The user's exception is unchanged.
    assert.deepEqual(all[0], (parseDocument(local).toJSON() as typeof items)[0].exceptions[0], after);
    // Ours is a new one, under a name of its own, with its own fields and = comparisons.
    const ours = all.find((e) => e.values.some((r) => r.join() === '/etc/shadow,cat'))!;
    assert.deepEqual({ ...ours }, { name: 'falco_lens_fd_name_and_proc_name_2', fields: ['fd.name', 'proc.name'], comps: ['=', '='], values: [['/etc/shadow', 'cat']] }, after);
    // Applying again changes nothing.
    assert.equal(planException(after, READ_PROPOSAL).kind, 'present', after);
  }
  // The same row under startswith is not this exception: still proposed.
  const broader = EDITED('[fd.name, proc.name]', '[startswith, =]', '[/etc/shadow, cat]');
  assert.equal(planException(broader, READ_PROPOSAL).kind, 'insert');
  // The generated exception itself (comps written or left to their = default) takes the row.
  for (const comps of ['[=, =]', '']) {
    const own = EDITED('[fd.name, proc.name]', comps, '[/etc/sudoers, cat]');
    const after = applied(own, planException(own, READ_PROPOSAL));
    assert.deepEqual((parseDocument(after).toJSON() as { exceptions: { values: string[][] }[] }[])[0].exceptions[0].values, [['/etc/sudoers', 'cat'], ['/etc/shadow', 'cat']]);
  }
});

test('a new exception in the rule\'s override item takes a name no earlier item of the file gives the rule', () => {
  const local = [
    '- rule: Read sensitive file untrusted',
    '  exceptions:',
    '    - name: falco_lens_fd_name_and_proc_name',
    '      fields: [fd.name, proc.name, user.name]',
    '      values:',
    '        - [/etc/sudoers, cat, root]',
    '  override:',
    '    exceptions: replace',
    '',
    '- rule: Read sensitive file untrusted',
    '  exceptions:',
    '    - name: allow_backup',
    '      fields: [proc.exepath]',
    '      values:',
    '        - [/usr/bin/restic]',
    '  override:',
    '    exceptions: append',
    '',
  ].join('\n');
  const after = applied(local, planException(local, READ_PROPOSAL));
  const items = parseDocument(after).toJSON() as { exceptions: { name: string; values: string[][] }[] }[];
  assert.deepEqual(items[1].exceptions.map((e) => e.name), ['allow_backup', 'falco_lens_fd_name_and_proc_name_2'], after);
  assert.deepEqual(items[1].exceptions[1].values, [['/etc/shadow', 'cat']]);
});

// 4. The official rules count `exe` among the container runtime's parents (container_entrypoint, falco_rules.yaml:
// runc re-executed through /proc/self/exe): as with runc, "process + parent" would cover every container of the node.

test('no process + parent exception under the runtime\'s exe in a container', () => {
  const shell = (pname: string, container = '7bebb1d63ff1') => JSON.stringify({
    hostname: 'node-1', output: '07:30:00.000000000: Notice A shell was spawned in a container with an attached terminal | process=bash',
    output_fields: { 'container.id': container, 'container.image.repository': 'docker.io/library/nginx', 'proc.exepath': '/usr/bin/bash', 'proc.name': 'bash', 'proc.pname': pname, 'proc.tty': 34816 },
    priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall', tags: [], time: '2025-06-02T07:30:00.000000000Z',
  });
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const titles = actionsOf(s, shell('exe'), 'exe.json').map((a) => a.title);
  assert.ok(!titles.some((t) => /process( name)? \+ parent|executable path \+ parent/.test(t)), titles.join('\n'));
  assert.ok(titles.some((t) => t.startsWith('Add exception for this executable path + process name + container image (/usr/bin/bash, bash, docker.io/library/nginx)')), titles.join('\n'));
  assert.match(s.report(shell('exe'), 'file:///logs/exe.json'), /Why not on the program and its parent: the parent `exe` is the container runtime/);
  // On the host, a program named exe is a program of its own (the process not a shell: s17, alerts-audit-s17).
  const host = actionsOf(s, shell('exe', 'host').replace(/"proc\.name":"bash"/, '"proc.name":"python3"'), 'host.json').map((a) => a.title);
  assert.ok(host.some((t) => t.startsWith('Add exception for this executable path + process name + parent, any user (/usr/bin/bash, python3, exe)')), host.join('\n'));
});

// 5. "Disable rule" was taken as done when any item of the local file disabled the rule, even one a later item
// enables again (Falco applies the items in order: the rule is enabled).

test('disable is offered again when a later item of the local file enables the rule', () => {
  const disabled = '- rule: Read sensitive file untrusted\n  enabled: false\n  override:\n    enabled: replace\n';
  const enabled = '- rule: Read sensitive file untrusted\n  enabled: true\n  override:\n    enabled: replace\n';
  assert.equal(planDisable(disabled, 'Read sensitive file untrusted').kind, 'present');
  assert.equal(planDisable(`${disabled}\n${enabled}`, 'Read sensitive file untrusted').kind, 'insert');
  assert.equal(planDisable(`${enabled}\n${disabled}`, 'Read sensitive file untrusted').kind, 'present');
  // An item that does not set enabled changes nothing.
  const exception = '- rule: Read sensitive file untrusted\n  exceptions:\n    - name: a\n      fields: [proc.name]\n      values: [[cat]]\n  override:\n    exceptions: append\n';
  assert.equal(planDisable(`${disabled}\n${exception}`, 'Read sensitive file untrusted').kind, 'present');
});

// 6. Kubernetes controllers create and change objects for every workload: the pods of every Deployment are created by
// system:serviceaccount:kube-system:replicaset-controller (the k8saudit README's own alert). "Kubernetes user +
// namespace" on such a user covers every workload of the namespace, not this case.

const K8S = (user: string, ns = 'shop') => JSON.stringify({
  hostname: 'node-1', output: '10:20:30.123456789: Warning Pod started with privileged container (user=x pod=p ns=shop images=nginx)',
  output_fields: { 'ka.req.pod.containers.image': 'nginx', 'ka.resp.name': 'p', 'ka.target.namespace': ns, 'ka.user.name': user },
  priority: 'Warning', rule: 'Create Privileged Pod', source: 'k8s_audit', tags: ['k8s'], time: '2025-05-07T10:20:30.123456789Z',
});

test('no Kubernetes user + namespace exception for a controller acting for every workload', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  for (const user of ['system:serviceaccount:kube-system:replicaset-controller', 'system:serviceaccount:kube-system:daemon-set-controller',
    'system:serviceaccount:kube-system:job-controller', 'system:kube-controller-manager']) {
    const titles = actionsOf(s, K8S(user), `${user}.json`).map((a) => a.title);
    assert.ok(!titles.some((t) => t.includes('Kubernetes user + namespace')), `${user}\n${titles.join('\n')}`);
    const report = s.report(K8S(user), 'file:///logs/k8s.json');
    assert.match(report, /No exception is proposed: the user `[^`]+` is a Kubernetes controller/, report);
  }
  // A person or a CI account keeps it.
  for (const user of ['alice@example.com', 'system:serviceaccount:ci:deployer']) {
    const titles = actionsOf(s, K8S(user), `${user}.json`).map((a) => a.title);
    assert.ok(titles.some((t) => t.startsWith('Add exception for this Kubernetes user + namespace')), titles.join('\n'));
  }
});

// 7. Rules whose output templates and priorities are the same (github.yaml's two "Secret pushed into a … repository"
// rules; gcp_auditlog_rules.yaml's "GCP logging sink modified", which prints "A GCP Pub/Sub subscription has been
// modified"): a text alert of one was named as the first of them, its playbook shown and the other's tuning offered.

const PLUGINS = `${process.cwd()}/../shared/corpus/rules/falcosecurity__plugins`;
const SECRET = '10:20:30.123456789: Critical One or more secrets were pushed into a private repository (repository_name=acme/app repository_url=https://github.com/acme/app repo_owner=acme org=acme user=bob secret_types=AWS key file=config.py line=3 url=https://github.com/acme/app/blob/x/config.py#L3)';
// The folded template keeps two blanks where a line ending with a blank was folded (alerts-bench-generator).
const SINK = '10:20:30.123456789: Notice project=prod-1 A GCP Pub/Sub subscription has been modified by user=eve@example.com userIP=203.0.113.7 userAgent=gcloud  authorizationInfo=<NA>  rawRequest=<NA>';

test('a text alert whose template is that of several rules names them all and offers no tuning', { skip: !corpusExists && 'corpus absent' }, () => {
  const rules = [...ruleSummaries(`${PLUGINS}/github/github.yaml`), ...ruleSummaries(`${PLUGINS}/gcpaudit/gcp_auditlog_rules.yaml`)];
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const cases = [
    { line: SECRET, name: 'secret.log', rules: ['Secret pushed into a private repository', 'Secret pushed into a public repository'] },
    { line: SINK, name: 'sink.log', rules: ['GCP Pub/Sub subscription modified', 'GCP logging sink modified'] },
  ];
  for (const c of cases) {
    const doc = alertDoc(c.name, `${c.line}\n`);
    // The rule's hover is on the text before the first field (for the gcp template, which starts with one, on the words after it).
    if (c.line === SECRET) {
      const names = c.rules.map((r) => `\`${r}\``).join(' or ');
      const hover = s.hover!(doc, { line: 0, character: 40 });
      assert.ok(hover && (hover.contents as { value: string }).value.startsWith(`**Rule** ${names}\n\nThese rules have the same output template and priority`), JSON.stringify(hover));
    }
    const titles = actionsOf(s, `${c.line}\n`, c.name).map((a) => a.title);
    assert.ok(!titles.some((t) => /^(Add exception|Disable rule|Open playbook)/.test(t)), titles.join('\n'));
    assert.equal(s.identifyTextRule(c.line.slice(c.line.indexOf(' ', 20) + 1)), undefined);
    const report = s.report(`${c.line}\n`, `file:///logs/${c.name}`);
    assert.ok(report.includes(`## 1. ${c.rules.join(' or ')}`), report);
    assert.match(report, /No exception is proposed: the output template of this text alert is that of several rules/, report);
    // A field's value is still read through the shared template.
    const user = s.hover!(doc, { line: 0, character: c.line.indexOf('user=') + 6 });
    assert.match((user!.contents as { value: string }).value, /rendered from `%(github\.user|gcp\.user)` in the output of/);
  }
  // The diagnostic names both.
  const critical = s.diagnostics(alertDoc('secret2.log', `${SECRET}\n`)).find((d) => d.code === 'falco-alert')!;
  assert.equal(critical.message, 'Critical: Secret pushed into a private repository or Secret pushed into a public repository');
});

// 8. A text internal event (falco_outputs.cpp handle_msg: `<time>: <Priority> <msg> (k=v …)`, 0.44.0) was called an
// alert of an unidentified rule in the report and the hovers of its values, although it is Falco's own event.

test('a text internal event is named as Falco\'s own event, not an unidentified rule', () => {
  const line = '12:50:34.502309868: Debug Falco internal: syscall event drop. 4551 system calls dropped in last second. (ebpf_enabled=1 n_drops=4551 n_drops_buffer_total=4551 n_evts=10203)';
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report(`${line}\n`, 'file:///logs/falco.log');
  assert.ok(!/unidentified/i.test(report), report);
  assert.match(report, /## 1\. Falco internal\\: syscall event drop\n/);
  const hover = s.hover!(alertDoc('internal.log', `${line}\n`), { line: 0, character: line.indexOf('n_drops=') + 2 });
  const md = (hover!.contents as { value: string }).value;
  assert.ok(!/unidentified/.test(md), md);
  assert.match(md, /A value Falco reports with its internal event/);
});

test('the Problems view names a text internal event by its name', () => {
  const host = new TestHost();
  host.config = { ...host.config, alerts: { problems: 'debug', maxProblems: 10 } };
  const s = createAlertsService(host, fakeRules([]));
  const line = '12:50:34.502309868: Debug Falco internal: syscall event drop. 4551 system calls dropped in last second. (n_drops=4551)';
  const d = s.diagnostics(alertDoc('drops.log', `${line}\n`)).find((x) => x.code === 'falco-alert')!;
  assert.equal(d.message, 'Debug: Falco internal: syscall event drop');
});

test('the load order follows falco.yaml\'s rules_files when the setting is unset, read again when it changes', () => {
  const host = hostWith(['/work/ws'], undefined, '/etc/falco/falco_rules.local.yaml');
  const yaml = (files: string[]) => `rules_files:\n${files.map((f) => `  - ${f}\n`).join('')}stdout_output:\n  enabled: true\n`;
  host.files.set('/etc/falco/falco.yaml', yaml(['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/k8s_audit_rules.yaml']));
  const s = createAlertsService(host, fakeRules([podRule('/etc/falco/k8s_audit_rules.yaml')]));
  assert.ok(actionsOf(s, POD, 'a.json').some((a) => a.disabled));
  host.files.set('/etc/falco/falco.yaml', yaml(['/etc/falco/falco_rules.yaml', '/etc/falco/k8s_audit_rules.yaml', '/etc/falco/falco_rules.local.yaml']));
  assert.ok(!actionsOf(s, POD, 'b.json').some((a) => a.disabled));
});
