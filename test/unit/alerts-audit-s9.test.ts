// Session 9 alerts audit: each test pins what the old code said or did wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import type { RuleSummary } from '../../server/src/service/features';
import { createAlertsService } from '../../server/src/service/alerts';
import { CORPUS, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

const OPERATOR = path.join(process.cwd(), 'test', 'fixtures', 'operator');

// 4. A Falco Operator deployment loads no falco_rules.local.yaml: its Falco reads /etc/falco/rules.d only, the files the
// operator writes from Rulesfiles (falco-operator v0.4.1 internal/pkg/resources/falco.go). "Which loads after your
// local rules file" said nothing true there.
test('the report of an alert of a Rulesfile\'s inline rule says where tuning goes without a local rules file', () => {
  const base = '/etc/falco/falco_rules.yaml';
  const host = new MemoryHost({ [base]: fs.readFileSync(path.join(OPERATOR, 'falco-rules.yaml'), 'utf8') }, { ruleFiles: [base], folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  service.embedded.didOpenOrChange?.(TextDocument.create('file:///ws/deploy/falco/rulesfiles.yaml', 'yaml', 1, fs.readFileSync(path.join(OPERATOR, 'rulesfiles.yaml'), 'utf8')));
  const alert = JSON.stringify({
    hostname: 'node-2', output: '09:12:40.000000001: Notice Shell in a web container (command=bash parent=runc container=web-7d4)',
    output_fields: { 'container.id': '8a7b6c5d4e3f', 'container.name': 'web-7d4', 'container.image.repository': 'docker.io/library/nginx', 'evt.time': 1772442760000000001, 'proc.cmdline': 'bash', 'proc.name': 'bash', 'proc.pname': 'runc' },
    priority: 'Notice', rule: 'Shell in web container', source: 'syscall', tags: ['container', 'shell', 'web'], time: '2026-03-02T09:12:40.000000001Z',
  });
  const report = service.alerts.report(alert, 'file:///logs/web.json');
  const tuning = report.slice(report.indexOf('### Tuning')).replace(/\\(.)/g, '$1');
  assert.ok(!tuning.includes('loads after your local rules file'), tuning);
  assert.ok(tuning.includes('writes it to the Rulesfile\'s inlineRules that define the rule (deploy/falco/rulesfiles.yaml, Rulesfile \'web-rules\' inlineRules; '
    + 'the Falco that the Falco Operator deploys reads only the Rulesfiles\' files in /etc/falco/rules.d, no local rules file):'), tuning);
});

// 2. gcp_auditlog_rules.yaml's outputs start with a value (`project=%gcp.projectId A GCP … by user=%gcp.user …`): the
// rule was matched, but its hover sat on the text before the first value, which these lines do not have, so no part
// of the line showed the rule nor led to its definition.
test('a text alert whose template starts with a value shows its rule on the template\'s first words', { skip: !corpusExists && 'corpus absent' }, () => {
  const rules = ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__plugins', 'gcpaudit', 'gcp_auditlog_rules.yaml'));
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  // The walkthrough's alert (corpus gcpaudit_walkthrough_syslog.txt) on one line, without its syslog prefix.
  const line = '19:48:00.117403000: Notice project=project-id A GCP Pub/Sub topic has been deleted by user=user@company.com userIP=10.0.0.1 '
    + 'userAgent=google-cloud-sdk gcloud/457.0.0  authorizationInfo=<NA>  rawRequest=<NA>';
  const doc = alertDoc('gcp.log', `${line}\n`);
  const at = (needle: string) => ({ line: 0, character: line.indexOf(needle) + 1 });
  for (const needle of ['A GCP', 'deleted', 'by user=']) {
    const hover = s.hover!(doc, at(needle));
    assert.ok(hover && (hover.contents as { value: string }).value.startsWith('**Rule** `GCP Pub/Sub topic deleted` (identified by matching its output template)'), `${needle}: ${JSON.stringify(hover)}`);
    if (needle === 'A GCP') {
      assert.deepEqual(hover.range, { start: { line: 0, character: line.indexOf('A GCP') }, end: { line: 0, character: line.indexOf(' user=') } }, 'the words between the first two values');
      assert.equal(s.definition!(doc, at(needle)).length, 1);
    }
  }
  // The values keep their own hovers.
  assert.match((s.hover!(doc, at('project-id'))!.contents as { value: string }).value, /^`project` → field `gcp\.projectId`/);
  assert.match((s.hover!(doc, at('user@'))!.contents as { value: string }).value, /^`user` → field `gcp\.user`/);
});

// 3. Two different templates that match a text line with the same score (the same literal text, a field of each where
// the other has another field) were decided by the library's order: the first rule was named, its playbook and tuning
// offered, though the line may be the other's. Now named "A or B", as rules of one template are (8c3ccae).
test('a text line that two different templates match equally well names both rules and offers no tuning', () => {
  const rule = (name: string, output: string, priority = 'Critical'): RuleSummary => ({ name, source: 'syscall', output, priority, tags: [], enabled: true, condition: 'evt.type=open' });
  const rules = [
    rule('Read of a key by process', 'Key file opened (file=%fd.name by=%proc.name)'),
    rule('Read of a key by user', 'Key file opened (file=%fd.name by=%user.name)'),
    rule('Read of a key, notice', 'Key file opened (file=%fd.name by=%proc.exepath)', 'Notice'),
  ];
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const line = '10:20:30.123456789: Critical Key file opened (file=/etc/ssl/private/k.pem by=backup)';
  const doc = alertDoc('keys.log', `${line}\n`);
  const both = 'Read of a key by process or Read of a key by user';
  const hover = s.hover!(doc, { line: 0, character: line.indexOf('Key file') + 2 });
  const md = (hover!.contents as { value: string }).value;
  assert.ok(md.startsWith('**Rule** `Read of a key by process` or `Read of a key by user`\n\nThese rules\' output templates match this line equally well'), md);
  const by = (s.hover!(doc, { line: 0, character: line.indexOf('backup') + 1 })!.contents as { value: string }).value;
  assert.match(by, /rendered from `%proc\.name` if the alert is of `Read of a key by process` \(read through its output template; another rule's matches as well\)/, by);
  assert.equal(s.diagnostics(doc).find((d) => d.code === 'falco-alert')!.message, `Critical: ${both}`);
  const titles = s.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).map((a) => a.title);
  assert.ok(!titles.some((t) => /^(Add exception|Disable rule|Open playbook)/.test(t)), titles.join('\n'));
  const report = s.report(`${line}\n`, 'file:///logs/keys.log');
  assert.ok(report.includes(`## 1. ${both}`), report);
  assert.match(report, /No exception is proposed: the output templates of several rules match this text alert equally well/, report);
  assert.equal(s.identifyTextRule(line.slice(line.indexOf('Key file'))), undefined);
  // The priority decides when only one rule has the alert's: not a tie.
  const notice = '10:20:30.123456789: Notice Key file opened (file=/etc/ssl/private/k.pem by=/usr/bin/backup)';
  const one = (s.hover!(alertDoc('notice.log', `${notice}\n`), { line: 0, character: notice.indexOf('Key file') + 2 })!.contents as { value: string }).value;
  assert.ok(one.startsWith('**Rule** `Read of a key, notice` (identified by matching its output template)'), one);
});

// 1. The local rules file was placed against the rule's first definition only. Falco replaces a rule that a later
// file defines again whole, with the exceptions an earlier override appended (rule_loader_collector.cpp define_info,
// `*prev = info`, 0.37.0-0.44.0): an exception written into a local file that loads between the two was lost silently.
test('no tuning edit into a local rules file whose override a later redefinition of the rule replaces', () => {
  const rule = (condition: string) => [
    '- rule: Backup tool reads keys', '  desc: A backup tool opened a private key', `  condition: ${condition}`,
    '  output: Key read by backup tool (file=%fd.name process=%proc.name parent=%proc.pname)', '  priority: WARNING', '',
  ].join('\n');
  const base = '/etc/falco/falco_rules.yaml';
  const local = '/etc/falco/falco_rules.local.yaml';
  const later = '/etc/falco/rules.d/team.yaml';
  const alert = JSON.stringify({
    hostname: 'db-1', output: '10:20:30.123456789: Warning Key read by backup tool (file=/etc/ssl/private/k.pem process=restic parent=cron)',
    output_fields: { 'evt.time': 1746613230123456789, 'fd.name': '/etc/ssl/private/k.pem', 'proc.name': 'restic', 'proc.pname': 'cron', 'proc.cmdline': 'restic backup /etc' },
    priority: 'Warning', rule: 'Backup tool reads keys', source: 'syscall', tags: [], time: '2025-05-07T10:20:30.123456789Z',
  });
  const run = (laterText: string) => {
    const host = new MemoryHost({ [base]: rule('evt.type = open and fd.name startswith /etc/ssl/private'), [local]: '', [later]: laterText }, { ruleFiles: [base, local, later], folders: ['/ws'] });
    host.config = { ...host.config, rules: { ...host.config.rules, localFile: local } };
    const service = new FalcoLanguageService(host);
    const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${alert}\n`);
    service.alerts.didOpenOrChange?.(log);
    const actions = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
    return { actions, report: service.alerts.report(`${alert}\n`, 'file:///logs/keys.json') };
  };
  // team.yaml defines the rule again: the local file's override would be replaced.
  const redefined = run(rule('evt.type in (open, openat) and fd.name startswith /etc/ssl/private'));
  assert.deepEqual(redefined.actions.filter((a) => a.edit && /^(Add exception|Disable rule)/.test(a.title)).map((a) => a.title), []);
  const blocked = redefined.actions.find((a) => a.disabled);
  assert.ok(blocked, redefined.actions.map((a) => a.title).join('\n'));
  assert.equal(blocked.title, 'Add exception or disable rule: not in falco_rules.local.yaml, whose override team.yaml replaces by defining the rule again');
  assert.match(blocked.disabled!.reason, /^\/etc\/falco\/rules\.d\/team\.yaml defines this rule again and Falco loads it after \/etc\/falco\/falco_rules\.local\.yaml: a later definition replaces the rule whole/);
  const tuning = redefined.report.slice(redefined.report.indexOf('### Tuning'));
  assert.ok(!tuning.includes('the quick fix "Add exception" writes it'), tuning);
  assert.match(tuning, /\*\*Not in your local rules file:\*\* `\/etc\/falco\/rules\.d\/team\.yaml` defines this rule again/, tuning);
  // An override (or a rule of another name) in team.yaml changes nothing: the quick fixes write into the local file.
  for (const text of [
    '- rule: Backup tool reads keys\n  condition: and proc.name != restic\n  override:\n    condition: append\n',
    '- rule: Backup tool reads keys\n  condition: and proc.name != restic\n  append: true\n',
    rule('evt.type = open').replace('Backup tool reads keys', 'Backup tool reads keys 2'),
  ]) {
    const { actions } = run(text);
    assert.ok(!actions.some((a) => a.disabled), text);
    assert.ok(actions.some((a) => a.edit && a.title.startsWith('Add exception')), `${text}\n${actions.map((a) => a.title).join('\n')}`);
  }
});
