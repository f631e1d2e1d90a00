// Session 25: the text alerts of the corpus's k8saudit and okta consoles (PROVENANCE.md) got no rule and so no tuning.
// - k8saudit README: `Pod started with privileged container (user=… pod=… ns=default image=nginx)` is Create Privileged
//   Pod of an older k8s_audit_rules.yaml (the console's own summary counts it so); the loaded rule prints `resource=`,
//   `images=`, `init_images=` and `ephemeral_images=` (plugins 0b3cbd8d k8s_audit_rules.yaml:251), so no template
//   matched. A line no template matches whose message one loaded rule's template starts with is now that rule's,
//   said to be identified by its message only, its values read by their `key=` names through the rule's template.
// - okta README (`evt=… user=… ip=… app=…`), k8saudit-eks (`user=… verb=…`) and k8saudit-ovh (`verb=get name=<NA> …`):
//   the READMEs' own example rules ("Dummy", "TEST"), in no rules file. They start with their values: no message tells
//   the rule, and the hover now says so; a message no loaded rule prints, or one several print, is said as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { CORPUS, TestHost, alertDoc, corpusExists } from '../fixtures/alerts/helpers';

class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}
const PLUGINS = path.join(CORPUS, 'rules', 'falcosecurity__plugins');
const LOCAL = '/work/ws/falco_rules.local.yaml';

function service() {
  const host = new DiskHost();
  host.config = { ...host.config, alerts: { ...host.config.alerts, problems: 'debug' }, rules: { ...host.config.rules, files: ['k8saudit/k8s_audit_rules.yaml', 'okta/okta_rules.yaml'].map((f) => path.join(PLUGINS, f)) } };
  host.files.set(LOCAL, '# Site tuning\n');
  const rules = createRulesService(host);
  return { host, rules, alerts: createAlertsService(host, rules) };
}
let docs = 0;
const docOf = (text: string) => alertDoc(`console-${++docs}.log`, text);
function hoverAt(s: ReturnType<typeof service>['alerts'], doc: TextDocument, line: number, needle: string): string {
  const text = doc.getText().split('\n')[line];
  const h = s.hover!(doc, { line, character: text.indexOf(needle) + 1 });
  return (h?.contents as { value: string } | undefined)?.value ?? '';
}
const titles = (s: ReturnType<typeof service>['alerts'], doc: TextDocument, line = 0) =>
  s.codeActions!(doc, { start: { line, character: 0 }, end: { line, character: 0 } }, { diagnostics: [] }).map((a) => a.title);

test('the k8saudit README\'s alert is Create Privileged Pod by its message: named, said why, its values read through the rule\'s keys', { skip: !corpusExists && 'corpus absent' }, () => {
  const { alerts } = service();
  const doc = docOf(fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'k8saudit_README_console.txt'), 'utf8'));
  const rule = hoverAt(alerts, doc, 0, 'Pod started');
  assert.match(rule, /^\*\*Rule\*\* `Create Privileged Pod` \(identified by its message only\)/, rule);
  assert.match(rule, /does not match this line, but no other loaded rule prints its message `Pod started with privileged container`: the alert was written by another version of this rule/, rule);
  assert.match(rule, /The line has `image=`, which the loaded template does not print\./, rule);
  assert.match(hoverAt(alerts, doc, 0, 'ns=default'), /^`ns` → field `ka\.target\.namespace` \(CHARBUF\), as the loaded output of `Create Privileged Pod` names it/);
  assert.match(hoverAt(alerts, doc, 0, 'user=system'), /^`user` → field `ka\.user\.name`/);
  const problem = alerts.diagnostics(doc).find((d) => d.code === 'falco-alert');
  assert.equal(problem?.message, 'Warning: Create Privileged Pod');
  // The rule is known: its playbook and the disable. The user is the replicaset controller, which acts for every
  // workload of the namespace: no "Kubernetes user + namespace" exception (session 9), as for a matched template.
  const offered = titles(alerts, doc);
  assert.ok(offered.includes('Disable rule "Create Privileged Pod" in falco_rules.local.yaml (last resort: it stops all its alerts)'), offered.join('\n'));
  assert.ok(offered.includes('Open playbook: Create Privileged Pod'), offered.join('\n'));
  assert.ok(!offered.some((t) => t.startsWith('Add exception')), offered.join('\n'));
  assert.match(alerts.report(doc.getText(), doc.uri, { start: 0, end: 0 }), /Rule identified by its message only/);
});

test('an alert of the older Create Privileged Pod by a person gets the Kubernetes user + namespace exception, which loads clean', { skip: !corpusExists && 'corpus absent' }, () => {
  const { host, rules, alerts } = service();
  const doc = docOf('09:14:02.118210000: Warning Pod started with privileged container (user=kubernetes-admin pod=debug-tools ns=staging image=nicolaka/netshoot)\n');
  const actions = alerts.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  const fix = actions.find((a) => a.title === 'Add exception for this Kubernetes user + namespace (kubernetes-admin, staging) to falco_rules.local.yaml');
  assert.ok(fix?.edit, actions.map((a) => a.title).join('\n'));
  const change = fix.edit.documentChanges!.find((c) => 'edits' in c && c.textDocument.uri === pathToUri(LOCAL)) as TextDocumentEdit;
  const written = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, '# Site tuning\n'), change.edits as TextEdit[]);
  assert.match(written, /- rule: "Create Privileged Pod"\n {2}exceptions:\n {4}- name: falco_lens_ka_user_name_and_ka_target_namespace\n {6}fields: \[ka\.user\.name, ka\.target\.namespace\]/);
  host.files.set(LOCAL, written);
  assert.deepEqual(rules.validateText(pathToUri(LOCAL), written).filter((d) => (d.severity ?? 1) <= DiagnosticSeverity.Warning).map((d) => d.message), []);
  // A value with a blank may end elsewhere when read by its key: not written into an exception.
  const blank = docOf('09:14:02.118210000: Warning Pod started with privileged container (user=jane doe pod=debug-tools ns=staging image=nicolaka/netshoot)\n');
  assert.ok(!titles(alerts, blank).some((t) => t.startsWith('Add exception') && !t.includes('not offered')), titles(alerts, blank).join('\n'));
});

test('lines of the loaded k8saudit rules as Falco writes them (list values, <NA>, JSON values, a field argument) match their templates', { skip: !corpusExists && 'corpus absent' }, () => {
  const { alerts } = service();
  // libsinsp writes a list field as (v1,v2) and a missing value as <NA> (sinsp_filtercheck.cpp tostring, EPF_IS_LIST).
  const lines = [
    ['Create Privileged Pod', '14:09:12.581541000: Warning Pod started with privileged container (user=kubernetes-admin pod=web-0 resource=pods ns=default images=(nginx,busybox:1.36) init_images=<NA> ephemeral_images=<NA>)'],
    ['Create Sensitive Mount Pod', '14:09:12.581541000: Warning Pod started with sensitive mount (user=kubernetes-admin pod=web-0 ns=default resource=pods images=(nginx) volumes=[{"hostPath":{"path":"/etc","type":""},"name":"etc"}])'],
    ['Attach/Exec Pod', '14:09:12.581541000: Notice Attach/Exec to pod (user=kubernetes-admin pod=web-0 resource=pods ns=default action=exec command=bash)'],
    ['Too many failed MFA in last 5min', '14:09:12.581541000: Warning A user has failed MFA too many times in last 5min (user=\'Alice Smith\' last_reason=\'INVALID_CREDENTIALS\' countLast300=5)'],
  ];
  for (const [rule, line] of lines) {
    const doc = docOf(`${line}\n`);
    assert.match(hoverAt(alerts, doc, 0, line.slice(28, 40)), new RegExp(`^\\*\\*Rule\\*\\* \`${rule.replace(/[/]/g, '\\/')}\` \\(identified by matching its output template\\)`), line);
  }
  const exec = docOf(`${lines[2][1]}\n`);
  assert.match(hoverAt(alerts, exec, 0, 'command=bash'), /^`command` → field `ka\.uri\.param\[command\]`/);
});

test('lines no rule can be known for say why: no message, a message no loaded rule prints, a message of several rules', { skip: !corpusExists && 'corpus absent' }, () => {
  const { alerts } = service();
  for (const file of ['okta_README_console.txt', 'k8saudit-eks_README_console.txt', 'k8saudit-ovh_README_console.txt']) {
    const doc = docOf(fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', file), 'utf8'));
    const priority = hoverAt(alerts, doc, 0, doc.getText().slice(20, 24)).replace(/^[\s\S]*?\*\*Rule unidentified\*\*/, '**Rule unidentified**');
    assert.match(priority, /^\*\*Rule unidentified\*\*\n\nText alerts carry no rule name, and no loaded rule has an output template that matches this line: it starts with its values, with no message before them/, `${file}: ${priority}`);
    assert.ok(!priority.includes('Message:'), priority);
    assert.ok(!titles(alerts, doc).some((t) => t.startsWith('Add exception') || t.startsWith('Disable rule')), file);
    assert.match(String(alerts.diagnostics(doc).find((d) => d.code === 'falco-alert')?.message ?? ''), /\(rule unidentified\)$/);
  }
  const unknown = docOf('19:12:25.439350000: Notice Okta session started (user=alice ip=10.0.0.1)\n');
  assert.match(hoverAt(alerts, unknown, 0, 'Okta session'), /no loaded rule's output starts with its message `Okta session started` \(the rule is not in the loaded rules files/);
  // okta_rules.yaml has two rules printing "A user has been locked out in OKTA" (User has been locked out in OKTA,
  // Admin permission has been assigned to a user in OKTA): a line of another version of either names neither.
  const shared = docOf('19:12:25.439350000: Notice A user has been locked out in OKTA (user=alice)\n');
  const hover = hoverAt(alerts, shared, 0, 'A user');
  assert.match(hover, /^\*\*Rule unidentified\*\*/, hover);
  assert.match(hover, /the outputs of `Admin permission has been assigned to a user in OKTA` and `User has been locked out in OKTA` start with its message `A user has been locked out in OKTA`, but none matches the rest of the line/, hover);
  assert.ok(!titles(alerts, shared).some((t) => t.startsWith('Add exception') || t.startsWith('Disable rule')));
});

test('a rules 5.x line read with the rules 3.0.0 loaded: identified by its message; the container fields Falco appends are not called the line\'s own', { skip: !corpusExists && 'corpus absent' }, () => {
  const host = new DiskHost();
  host.config = { ...host.config, falcoVersion: '0.37', rules: { ...host.config.rules, files: [path.join(CORPUS, 'rules', 'falcosecurity__rules', 'tags', 'falco-rules-3.0.0', 'falco_rules.yaml')] } };
  const alerts = createAlertsService(host, createRulesService(host));
  // Falco 0.41+ with rules 5.x (falco_rules.yaml:430 at rules c72713ee): the `|` form and the container plugin's fields.
  const doc = docOf('03:00:01.220418777: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow gparent=sshd ggparent=systemd gggparent=<NA> evt_type=openat user=root user_uid=0 user_loginuid=1000 process=cat proc_exepath=/usr/bin/cat parent=bash command=cat /etc/shadow terminal=34816 container_id=host container_name=host container_image_repository=<NA> container_image_tag=<NA> k8s_pod_name=<NA> k8s_ns_name=<NA>\n');
  const rule = hoverAt(alerts, doc, 0, 'Sensitive file');
  assert.match(rule, /^\*\*Rule\*\* `Read sensitive file untrusted` \(identified by its message only\)/, rule);
  assert.ok(!rule.includes('The line has'), rule);
  assert.match(hoverAt(alerts, doc, 0, 'file=/etc'), /^`file` → field `fd\.name` \(CHARBUF\), as the loaded output of `Read sensitive file untrusted` names it/);
  // The exceptions keyed by values without a blank are offered; the command line (a blank in it) is not used.
  const offered = titles(alerts, doc);
  assert.ok(offered.some((t) => t.startsWith('Add exception for this file + executable path + process name + user (/etc/shadow, /usr/bin/cat, cat, root, 1000)')), offered.join('\n'));
});

// The message of a line no template matches was first cut with /[A-Za-z_][\w.[\]]*=/, which retries a long word from
// each of its letters: 1.6 s for a word of 40,000 letters, minutes for a line of 1 MB (hardening-alerts ran for many
// minutes). The cut is a scan now.
test('the message of a 1 MB word, with no template matching, is read in linear time', { timeout: 60_000 }, () => {
  const rule = { name: 'Shell', source: 'syscall', output: 'Shell spawned (user=%user.name)', priority: 'WARNING', tags: [], enabled: true };
  const alerts = createAlertsService(new TestHost(), { findRule: (n) => (n === rule.name ? rule : undefined), allRules: () => [rule], validateText: () => [] });
  for (const body of ['a'.repeat(1_000_000), `Shell ${'a'.repeat(500_000)}=${'b'.repeat(500_000)}`, `${'1'.repeat(500_000)}=x y`]) {
    const doc = docOf(`12:00:00.000000000: Warning ${body}\n`);
    alerts.diagnostics(doc);
    assert.ok(alerts.hover!(doc, { line: 0, character: 30 }) !== undefined);
  }
});
