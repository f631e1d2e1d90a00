// Session 10 leftovers of the alerts audit: each test pins what the old code offered or said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { createAlertsService } from '../../server/src/service/alerts';
import { displayMessage, displayPath } from '../../server/src/service/displayPath';
import { CORPUS, KEY_ALERT, KEY_RULE, STABLE_RULES, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

function actionsOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

function hoverAt(s: ReturnType<typeof createAlertsService>, text: string, name: string, needle: string): string {
  const hover = s.hover!(alertDoc(name, text), { line: 0, character: text.indexOf(needle) + 1 });
  return (hover?.contents as { value: string } | undefined)?.value ?? '';
}

function section(report: string, title: string): string {
  const start = report.indexOf(`### ${title}`);
  const end = report.indexOf('\n### ', start + 1);
  return report.slice(start, end < 0 ? undefined : end).replace(/\\(.)/g, '$1');
}

// 1. U+FFFD in a value. libsinsp prints a field with each invalid UTF-8 sequence replaced by U+FFFD (tostring extracts
// sanitized strings, sinsp_filtercheck.cpp:479, libs 0.25.2) and Falco 0.44's JSON output replaces the rest
// (formats.cpp:161, error_handler_t::replace), while conditions compare the raw bytes (compare_nocache,
// sinsp_filtercheck.cpp:1195): an exception written from the printed value never matches the event.

// A Falco 0.44 JSON alert (the field set of 'Read sensitive file untrusted', as the corpus collector payload has it):
// a program whose file name was two bytes that are not UTF-8, started through sudo, read /etc/shadow.
const JSON_ALERT = JSON.stringify({
  hostname: 'x86',
  output: '14:50:34.502309868: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow gparent=zsh ggparent=kitty gggparent=systemd evt_type=openat user=root user_uid=0 user_loginuid=1000 process=\uFFFD\uFFFD proc_exepath=/tmp/.x/\uFFFD\uFFFD parent=sudo command=\uFFFD\uFFFD /etc/shadow terminal=34820',
  output_fields: {
    'evt.time': 1746622234502309868, 'evt.type': 'openat', 'fd.name': '/etc/shadow', 'proc.aname[2]': 'zsh', 'proc.aname[3]': 'kitty', 'proc.aname[4]': 'systemd',
    'proc.cmdline': '\uFFFD\uFFFD /etc/shadow', 'proc.exepath': '/tmp/.x/\uFFFD\uFFFD', 'proc.name': '\uFFFD\uFFFD', 'proc.pname': 'sudo', 'proc.tty': 34820,
    'user.loginuid': 1000, 'user.name': 'root', 'user.uid': 0,
  },
  priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: ['T1555', 'filesystem', 'host', 'maturity_stable', 'mitre_credential_access'],
  time: '2025-05-07T12:50:34.502309868Z',
});

test('U+FFFD in a JSON alert\'s values: no exception on them, a greyed-out quick fix, the hover and the report say why', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const actions = actionsOf(s, `${JSON_ALERT}\n`, 'fffd.json');
  const titles = actions.map((a) => a.title);
  // file + process would be on the program's printed name; every other shape is out (sudo is a command runner).
  assert.ok(!actions.some((a) => a.title.startsWith('Add exception') && a.edit), titles.join('\n'));
  const greyed = actions.find((a) => a.title.startsWith('Add exception for this file + process + user: not offered'));
  assert.ok(greyed?.disabled, titles.join('\n'));
  assert.match(greyed.disabled.reason, /proc\.name holds U\+FFFD .* an exception on this value would never match/);
  assert.ok(titles.some((t) => t.startsWith('Disable rule')), 'the last resort stays');

  const hover = hoverAt(s, JSON_ALERT, 'fffd.json', '\uFFFD\uFFFD","proc.pname');
  assert.match(hover, /\*\*U\+FFFD\*\* .* an exception written with this value would never match/, hover);

  const report = s.report(`${JSON_ALERT}\n`, 'file:///logs/fffd.json');
  const tuning = section(report, 'Tuning');
  assert.match(tuning, /^### Tuning\n\nNo exception is proposed: the value of `proc\.name` holds U\+FFFD/, tuning);
  // The playbook's snippet (proc.exepath + fd.name) writes no printed path: since session 19 it leaves the path out
  // and keys the process by its name, whose placeholder stays (it holds U+FFFD too).
  assert.ok(!/\uFFFD"/.test(tuning.replace(/No exception[^\n]*/, '')), tuning);
  assert.match(tuning, /`proc\.exepath` is left out of the exception\. The process is keyed by proc\.name, .*holds bytes the alert does not show/, tuning);
  assert.match(tuning, /`proc\.name` is left as a placeholder: the value of proc\.name holds U\+FFFD/, tuning);
});

test('U+FFFD in one value of a text alert: the other shapes are offered, the left-out one is said', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES)));
  // The editor decodes the log as UTF-8: an invalid byte of a text alert reads as U+FFFD as well.
  const line = '10:02:11.123456789: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow gparent=bash ggparent=sshd '
    + 'gggparent=systemd evt_type=openat user=root user_uid=0 user_loginuid=1000 process=cat proc_exepath=/opt/caf\uFFFD/cat parent=backup-agent '
    + 'command=cat /etc/shadow terminal=34816';
  const actions = actionsOf(s, `${line}\n`, 'fffd.log');
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Add exception for this process + parent + user (cat, backup-agent, root, 1000) to falco_rules.local.yaml'), titles.join('\n'));
  assert.ok(titles.includes('Add exception for this process + parent, any user (cat, backup-agent) to falco_rules.local.yaml'), titles.join('\n'));
  assert.ok(titles.includes('Add exception for this file + process, any user (/etc/shadow, cat) to falco_rules.local.yaml'), titles.join('\n'));
  assert.ok(!titles.some((t) => /executable path \+ parent( \+ user|, any user)? \(/.test(t)), titles.join('\n'));
  assert.ok(actions.find((a) => a.title.startsWith('Add exception for this executable path + parent + user: not offered, proc.exepath holds U+FFFD'))?.disabled, titles.join('\n'));
  for (const a of actions) assert.ok(!JSON.stringify(a.edit ?? {}).includes('\uFFFD'), a.title);

  assert.match(hoverAt(s, line, 'fffd.log', 'caf'), /\*\*U\+FFFD\*\*/);
  assert.doesNotMatch(hoverAt(s, line, 'fffd.log', 'backup-agent'), /U\+FFFD/);

  const tuning = section(s.report(`${line}\n`, 'file:///logs/fffd.log'), 'Tuning');
  assert.match(tuning, /Why not on the executable path \+ parent \+ user, or the executable path \+ parent, any user: the value of `proc\.exepath` holds U\+FFFD/, tuning);
  assert.match(tuning, /`proc\.exepath` is left out of the exception\. The process is keyed by proc\.name/, tuning);
});

// 2. The ATT&CK ids of the rule's tags and those of Falco Lens's playbook were one list: a reader could not tell what
// Falco printed from what Falco Lens adds, and a tag that looks like an id but is none was shown as one.
test('MITRE ids: the rule\'s tags and the playbook\'s listed apart, once each, unknown ids said so', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES)));
  // The corpus collector payload (a 0.41-era JSON alert) with two more tags: TA0006, which mitre_credential_access
  // already names, and T9999, no ATT&CK id.
  const alert = JSON.parse(fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8')) as { tags: string[] };
  alert.tags.push('TA0006', 'T9999');
  const line = JSON.stringify(alert);
  const hover = hoverAt(s, line, 'mitre.json', 'Read sensitive file untrusted');
  const mitre = hover.split('\n\n').filter((p) => p.startsWith('**MITRE'));
  assert.deepEqual(mitre, [
    '**MITRE ATT&CK** in the rule\'s tags (as Falco printed them): `T1555` Credentials from Password Stores; `TA0006` Credential Access (tag `mitre_credential_access`); '
      + '`T9999` (not an ATT&CK id or tactic that Falco Lens knows: unchecked)',
    '**MITRE ATT&CK** added by Falco Lens\'s playbook for this rule (not in the rule\'s tags): `T1003.008` /etc/passwd and /etc/shadow',
  ], hover);
  const report = section(s.report(`${line}\n`, 'file:///logs/mitre.json'), 'MITRE ATT&CK');
  assert.equal(report.trimEnd(), [
    '### MITRE ATT&CK', '', 'Ids in the rule\'s tags (as Falco printed them):', '',
    '- `T1555` Credentials from Password Stores', '- `TA0006` Credential Access (tag `mitre_credential_access`)', '- `T9999` (not an ATT&CK id or tactic that Falco Lens knows: unchecked)', '',
    'Ids added by Falco Lens\'s playbook for this rule (not in the rule\'s tags):', '', '- `T1003.008` /etc/passwd and /etc/shadow',
  ].join('\n'));
  // A text alert has no tags: the loaded rule's are named as such.
  const text = '10:02:11.123456789: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow gparent=bash ggparent=sshd '
    + 'gggparent=systemd evt_type=openat user=root user_uid=0 user_loginuid=1000 process=cat proc_exepath=/usr/bin/cat parent=backup-agent command=cat /etc/shadow terminal=34816';
  assert.match(hoverAt(s, text, 'mitre.log', 'Sensitive file'), /\*\*MITRE ATT&CK\*\* in the rule's tags \(as the loaded rules file writes them\): `TA0006` Credential Access \(tag `mitre_credential_access`\); `T1555` Credentials from Password Stores\n/);
});

// 3. A later redefinition of the rule was looked for among the rules files' items only: one in an embedded block
// (a Helm chart's customRules, mounted in /etc/falco/rules.d and read after falco_rules.local.yaml) was not seen, and the
// quick fix wrote an override into the local file that Falco then replaced with the rule (rule_loader_collector.cpp
// define_info, `*prev = info`, 0.37.0-0.44.0). The loader's own contributions of the set's load now say so. (Session 11:
// that holds where the chart's Falco reads the local file, i.e. the values mount it; otherwise the block is tuned apart.)
function withValues(values: string, baseText = KEY_RULE('evt.type = open and fd.name startswith /etc/ssl/private')) {
  const base = '/etc/falco/falco_rules.yaml';
  const local = '/etc/falco/falco_rules.local.yaml';
  const host = new MemoryHost({ [base]: baseText, [local]: '' }, { ruleFiles: [base, local], folders: ['/ws'] });
  host.config = { ...host.config, rules: { ...host.config.rules, localFile: local } };
  const service = new FalcoLanguageService(host);
  service.embedded.didOpenOrChange?.(TextDocument.create('file:///ws/charts/falco/values.yaml', 'yaml', 1, values));
  const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
  service.alerts.didOpenOrChange?.(log);
  const actions = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  return { actions, report: service.alerts.report(`${KEY_ALERT}\n`, 'file:///logs/keys.json').replace(/\\(.)/g, '$1') };
}

test('a customRules block defining a rule again takes the chart\'s tuning; the local rules file is its own Falco\'s', () => {
  // The chart's Falco reads no local rules file of the workspace (its /etc/falco is falcoctl's emptyDir or the image's:
  // embedded/regions.ts ChartValues), and the Falco reading the local file does not read the block: each is tuned apart.
  // (A local file the values mount is read in the chart's order: embedded-chart-load-order.)
  const redefined = withValues(`customRules:\n  team.yaml: |-\n${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private', '    ')}`);
  const titles = redefined.actions.map((a) => a.title);
  assert.ok(!redefined.actions.some((a) => a.disabled), titles.join('\n'));
  assert.deepEqual(redefined.actions.filter((a) => a.edit && /^(Add exception for this file|Disable rule)/.test(a.title)).map((a) => a.title), [
    'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to charts/falco/values.yaml, customRules \'team.yaml\'',
    'Disable rule "Backup tool reads keys" in charts/falco/values.yaml, customRules \'team.yaml\' (last resort: it stops all its alerts)',
    'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to falco_rules.local.yaml, which the chart\'s Falco does not read',
    'Disable rule "Backup tool reads keys" in falco_rules.local.yaml, which the chart\'s Falco does not read (last resort: it stops all its alerts)',
  ]);
  const tuning = redefined.report.slice(redefined.report.indexOf('### Tuning'));
  assert.match(tuning, /the quick fix "Add exception" writes it to charts\/falco\/values\.yaml, customRules 'team\.yaml' \(mounted as `\/etc\/falco\/rules\.d\/team\.yaml`, for the chart's Falco\), or to your local rules file \(for a Falco that reads it, not the chart's\)/, tuning);
  assert.ok(!tuning.includes('**Not in your local rules file:**'), tuning);
  // An override in the block: the block still takes the chart's exception (after the override), the local file its own.
  const override = withValues('customRules:\n  team.yaml: |-\n    - rule: Backup tool reads keys\n      condition: and proc.name != restic\n      override:\n        condition: append\n');
  assert.ok(!override.actions.some((a) => a.disabled), override.actions.map((a) => a.title).join('\n'));
  assert.ok(override.actions.some((a) => a.edit && a.title === 'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to charts/falco/values.yaml, customRules \'team.yaml\''));
  assert.ok(override.actions.some((a) => a.edit && a.title === 'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to falco_rules.local.yaml, which the chart\'s Falco does not read'));
});

test('a customRules rule defined again in a later entry is tuned in the later entry', () => {
  // Only the chart defines the rule, twice: an override appended to the first entry would be replaced by the second.
  const { actions } = withValues(`customRules:\n  a-first.yaml: |-\n${KEY_RULE('evt.type = open and fd.name startswith /etc/ssl', '    ')}\n  b-second.yaml: |-\n${KEY_RULE('evt.type = openat and fd.name startswith /etc/ssl', '    ')}`, '');
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to charts/falco/values.yaml, customRules \'b-second.yaml\''), titles.join('\n'));
  assert.ok(!titles.some((t) => t.includes('a-first.yaml')), titles.join('\n'));
});

// 4. The pop-ups about a log (the Alert Explorer's errors, the server's warning about a gzip log cut short) named it by
// its raw path: absolute, and with a right-to-left override or a line break in the name obeyed.
test('a log path in a pop-up is workspace-relative and shows its invisible characters', () => {
  const log = '/ws/logs/falco\u202e.log.1.gz';
  // As the server words its errors (handlers/explorer.ts).
  assert.equal(displayMessage(`Not a readable file: ${log}`, [log], ['/ws']), 'Not a readable file: logs/falco\\u202E.log.1.gz');
  assert.equal(displayMessage(`${log} was truncated or rotated while its report was read: ask for the report again`, [log], ['/other', '/ws']),
    'ws/logs/falco\\u202E.log.1.gz was truncated or rotated while its report was read: ask for the report again');
  // Outside the workspace: absolute, still revealed; a line break cannot split the message.
  assert.equal(displayPath('/var/log/a\nb\u200b.log', ['/ws']), '/var/log/a\\u000Ab\\u200B.log');
  // Text the server quotes beyond the known paths is revealed too.
  assert.equal(displayMessage('No alert 3 in /tmp/x\u2066.log', [], ['/ws']), 'No alert 3 in /tmp/x\\u2066.log');
});

// Audit (corpus alerts): falcosidekick's README payload has `time` 2019-05-17T15:31:56.746609046Z and evt.time
// 1507591916746609046 (2017-10-09): the report called the conversion of evt.time "the same instant", beside a summary
// dated 2019, while the time hover says the two disagree.
test('the report does not call an evt.time that disagrees with the alert\'s time the same instant', () => {
  const text = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__falcosidekick', 'README_curl_example_payload.json'), 'utf8');
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const happened = section(s.report(text, 'file:///logs/sidekick.json'), 'What happened');
  assert.ok(!happened.includes('the same instant'), happened);
  assert.match(happened, /`2017-10-09 23:31:56\.746609046 UTC`: the instant of these nanoseconds since the Unix epoch, not the alert's time `2019-05-17 15:31:56\.746609046 UTC`/);
  // When they agree (the corpus collector payload), the conversion is the alert's instant, said so.
  const agree = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8');
  assert.match(section(s.report(agree, 'file:///logs/collector.json'), 'What happened'), /`2025-05-07 12:50:34\.502309868 UTC`: the same instant/);
});
