// Alert tuning for a Falco installed with its Helm chart. The chart's Falco never reads the workspace's
// falco_rules.local.yaml: by the chart's default (falcoctl install and follow on, falco-3.0.0 to falco-9.1.0) its
// /etc/falco is an emptyDir holding what falcoctl installs (falco_rules.yaml), so the local file does not exist there;
// without falcoctl it is the image's, a comment only (embedded/regions.ts ChartValues has the sources). The quick
// fixes write into the values' customRules instead: an entry that has an item of the rule, else one they add, and keep
// the local rules file where a Falco that Falco Lens knows of reads it. The values are written in the chart's shapes:
// `customRules: {}` with comments below it (values.yaml of chart 9.x), `{}` on the next line (chart 3.x), entries,
// none beside the chart's `falco:` configuration, a Flux HelmRelease.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, applyEdits } from './rules-host';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';

const RULES = '/ws/rules/falco_rules.yaml';
const VALUES = '/ws/deploy/values.yaml';
const VALUES_URI = pathToUri(VALUES);
// The rule is in the chart's Falco: tagged as every rule of Falco's official falco_rules.yaml is (a rule of a release newer
// than Falco Lens's table of official rules), which falcoctl installs as /etc/falco/falco_rules.yaml. A rule that Falco
// has nowhere is alerts-operator-tuning-s12's.
const KEY_RULES = `${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private')}  tags: [maturity_stable]\n`;

/** The chart 9.x shape: an empty mapping, the chart's comments about it below, indented. */
const CHART9 = [
  '# Falco on the staging cluster (falcosecurity/falco).',
  'driver:',
  '  kind: modern_ebpf',
  '',
  '# Our own rules, one file per key (the chart mounts them in /etc/falco/rules.d).',
  'customRules: {}',
  '  # rules-backup.yaml: |-',
  '  #   - rule: ...',
  '',
  'falcosidekick:',
  '  enabled: true',
  '',
].join('\n');

/** The chart 3.x shape: `{}` on the line after the key. */
const CHART3 = 'customRules:\n  {}\n  # One entry per rules file.\nfalcoctl:\n  artifact:\n    install:\n      enabled: true\n';

/** Entries of our own, and the values' rules_files in the chart's order. */
const ENTRIES = [
  'customRules:',
  '  rules-web.yaml: |-',
  '    - list: web_binaries',
  '      items: [nginx, httpd]',
  '',
  '    - macro: web_container',
  '      condition: container.image.repository endswith /nginx',
  '  # The next file is kept for the audit.',
  '  zz-notes.yaml: |-',
  '    - list: audit_readers',
  '      items: [auditd]',
  'falco:',
  '  json_output: true',
  '  rules_files:',
  '    - /etc/falco/falco_rules.yaml',
  '    - /etc/falco/falco_rules.local.yaml',
  '    - /etc/falco/rules.d',
  '',
].join('\n');

function setup(files: Record<string, string>, options: { open?: boolean; localFile?: string; ruleFiles?: string[] } = {}) {
  const host = new MemoryHost({ [RULES]: KEY_RULES, ...files }, { folders: ['/ws'], ...(options.ruleFiles ? { ruleFiles: options.ruleFiles } : {}) });
  if (options.localFile) host.config = { ...host.config, rules: { ...host.config.rules, localFile: options.localFile } };
  const service = new FalcoLanguageService(host);
  if (options.open !== false && files[VALUES] !== undefined) service.embedded.didOpenOrChange?.(TextDocument.create(VALUES_URI, 'yaml', 1, files[VALUES]));
  const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
  service.alerts.didOpenOrChange?.(log);
  const actions = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  const report = service.alerts.report(`${KEY_ALERT}\n`, 'file:///logs/keys.json').replace(/\\(.)/g, '$1');
  return { host, service, actions, report, titles: actions.map((a) => a.title) };
}

const valuesEdits = (a: CodeAction | undefined): TextEdit[] => a?.edit?.changes?.[VALUES_URI] ?? [];
const NEW_ENTRY = 'deploy/values.yaml, new customRules entry \'falco-lens-tuning.yaml\'';
const FILE_FIX = (where: string) => `Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to ${where}`;

/** The values' customRules entries after an edit, read back as Helm reads the file. */
function customRules(text: string, at: (string | number)[] = []): Record<string, string> {
  const [doc] = parseAllDocuments(text);
  assert.deepEqual(doc.errors, []);
  let node = doc.toJS() as Record<string | number, unknown>;
  for (const k of at) node = node[k] as Record<string | number, unknown>;
  return node.customRules as Record<string, string>;
}

test('chart values with an empty customRules: tuning adds an entry there, not to a local rules file the chart\'s Falco never reads', () => {
  const { actions, titles, report } = setup({ [VALUES]: CHART9 });
  assert.ok(titles.includes(FILE_FIX(NEW_ENTRY)), titles.join('\n'));
  // No Falco that Falco Lens knows of reads the workspace's falco_rules.local.yaml: it is not offered.
  assert.ok(!titles.some((t) => t.includes('falco_rules.local.yaml')), titles.join('\n'));
  const edited = applyEdits(CHART9, valuesEdits(actions.find((a) => a.title === FILE_FIX(NEW_ENTRY))));
  // Only the empty mapping is gone; every other line is kept, the comments under the key included.
  assert.equal(edited, [
    ...CHART9.split('\n').slice(0, 5),
    'customRules:',
    '  falco-lens-tuning.yaml: |-',
    '    # Tuning of rules that Falco reads before this file: the chart mounts it as /etc/falco/rules.d/falco-lens-tuning.yaml.',
    '',
    '    - rule: "Backup tool reads keys"',
    '      exceptions:',
    '        - name: falco_lens_fd_name_and_proc_name',
    '          fields: [fd.name, proc.name]',
    '          comps: [=, =]',
    '          values:',
    '            - ["/etc/ssl/private/k.pem", "restic"]',
    '      override:',
    '        exceptions: append',
    ...CHART9.split('\n').slice(6),
  ].join('\n'));
  assert.match(customRules(edited)['falco-lens-tuning.yaml'], /^# Tuning of rules[^\n]*\n\n- rule: "Backup tool reads keys"\n {2}exceptions:\n/);
  // The report says where, and why not the local file.
  const tuning = report.slice(report.indexOf('### Tuning'));
  assert.match(tuning, /the quick fix "Add exception" writes it to deploy\/values\.yaml, new customRules entry 'falco-lens-tuning\.yaml' \(mounted as `\/etc\/falco\/rules\.d\/falco-lens-tuning\.yaml`, for the chart's Falco\):/, tuning);
  assert.match(tuning, /\*\*The Helm chart's Falco does not read your local rules file:\*\* by the chart's default, falcoctl installs the rules into an empty \/etc\/falco/, tuning);
  assert.ok(!tuning.includes('to your local rules file'), tuning);
});

test('the added entry is checked as a rules file, and applying a fix again changes nothing', () => {
  const first = setup({ [VALUES]: CHART9 });
  const once = applyEdits(CHART9, valuesEdits(first.actions.find((a) => a.title === FILE_FIX(NEW_ENTRY))));
  const again = setup({ [VALUES]: once });
  // The entry exists now: the same exception is not offered again, another shape goes into the same item.
  assert.ok(!again.titles.some((t) => t.startsWith(FILE_FIX(''))), again.titles.join('\n'));
  const other = again.actions.find((a) => a.title.startsWith('Add exception for this command line + parent'));
  // The alert has no user: the pair alone, titled so (session 24).
  assert.equal(other?.title, 'Add exception for this command line + parent, any user (restic backup /etc, cron) to deploy/values.yaml, customRules \'falco-lens-tuning.yaml\'');
  const twice = applyEdits(once, valuesEdits(other));
  const entry = customRules(twice)['falco-lens-tuning.yaml'];
  assert.equal((entry.match(/- rule: /g) ?? []).length, 1, entry);
  assert.match(entry, /- name: falco_lens_proc_cmdline_and_proc_pname\n {6}fields: \[proc\.cmdline, proc\.pname\]/);
  // The rules service reads the entry with the workspace's rules: no problem in it.
  const checked = new FalcoLanguageService(new MemoryHost({ [RULES]: KEY_RULES }, { folders: ['/ws'] }));
  const doc = TextDocument.create(VALUES_URI, 'yaml', 1, twice);
  checked.embedded.didOpenOrChange?.(doc);
  assert.deepEqual(checked.embedded.diagnostics(doc).map((d) => `${d.range.start.line + 1}: ${String(d.message)}`), []);
  // Disabling is offered once too.
  const disable = again.actions.find((a) => a.title.startsWith('Disable rule'));
  const disabled = applyEdits(once, valuesEdits(disable));
  assert.ok(!setup({ [VALUES]: disabled }).titles.some((t) => t.startsWith('Disable rule')));
});

test('the chart 3.x shape, entries of our own, and values with the falco: configuration only', () => {
  const old = setup({ [VALUES]: CHART3 });
  const oldEdited = applyEdits(CHART3, valuesEdits(old.actions.find((a) => a.title === FILE_FIX(NEW_ENTRY))));
  assert.ok(oldEdited.startsWith('customRules:\n  falco-lens-tuning.yaml: |-\n    # Tuning'), oldEdited);
  assert.ok(oldEdited.endsWith('        exceptions: append\n  # One entry per rules file.\nfalcoctl:\n  artifact:\n    install:\n      enabled: true\n'), oldEdited);

  const own = setup({ [VALUES]: ENTRIES });
  const ownEdited = applyEdits(ENTRIES, valuesEdits(own.actions.find((a) => a.title === FILE_FIX(NEW_ENTRY))));
  const entries = customRules(ownEdited);
  assert.deepEqual(Object.keys(entries), ['rules-web.yaml', 'zz-notes.yaml', 'falco-lens-tuning.yaml']);
  assert.deepEqual([entries['rules-web.yaml'], entries['zz-notes.yaml']], [customRules(ENTRIES)['rules-web.yaml'], customRules(ENTRIES)['zz-notes.yaml']]);
  const lines = ownEdited.split('\n');
  assert.equal(lines[11], '  falco-lens-tuning.yaml: |-');
  assert.equal(lines.slice(lines.indexOf('falco:')).join('\n'), ENTRIES.slice(ENTRIES.indexOf('falco:')));

  const configOnly = 'driver:\n  kind: ebpf\nfalco:\n  json_output: true\n  rules_files:\n    - /etc/falco/falco_rules.yaml\n    - /etc/falco/rules.d\n';
  const bare = setup({ [VALUES]: configOnly });
  const bareEdited = applyEdits(configOnly, valuesEdits(bare.actions.find((a) => a.title === FILE_FIX(NEW_ENTRY))));
  assert.ok(bareEdited.startsWith(`${configOnly}customRules:\n  falco-lens-tuning.yaml: |-\n`), bareEdited);
  assert.match(customRules(bareEdited)['falco-lens-tuning.yaml'], /exceptions: append$/);
});

test('a Flux HelmRelease\'s values, and a CRLF values file', () => {
  const release = [
    'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: falco', '  namespace: falco', 'spec:',
    '  chart:', '    spec:', '      chart: falco', '      sourceRef:', '        kind: HelmRepository', '        name: falcosecurity',
    '  values:', '    tty: true', '    customRules: {}', '    falcoctl:', '      artifact:', '        follow:', '          enabled: false', '',
  ].join('\n');
  const { actions } = setup({ [VALUES]: release });
  const edited = applyEdits(release, valuesEdits(actions.find((a) => a.title === FILE_FIX(NEW_ENTRY))));
  assert.match(edited, /\n {4}customRules:\n {6}falco-lens-tuning\.yaml: \|-\n {8}# Tuning/);
  assert.match(customRules(edited, ['spec', 'values'])['falco-lens-tuning.yaml'], /fields: \[fd\.name, proc\.name\]/);

  const crlf = CHART9.replace(/\n/g, '\r\n');
  const windows = setup({ [VALUES]: crlf });
  const crlfEdited = applyEdits(crlf, valuesEdits(windows.actions.find((a) => a.title === FILE_FIX(NEW_ENTRY))));
  assert.ok(!/[^\r]\n/.test(crlfEdited), JSON.stringify(crlfEdited.slice(0, 400)));
  assert.match(customRules(crlfEdited)['falco-lens-tuning.yaml'], /exceptions: append$/);
});

test('a closed values file of the workspace is tuned as an open one', () => {
  const { actions } = setup({ [VALUES]: CHART9 }, { open: false });
  const fix = actions.find((a) => a.title === FILE_FIX(NEW_ENTRY));
  assert.ok(fix, actions.map((a) => a.title).join('\n'));
  assert.match(customRules(applyEdits(CHART9, valuesEdits(fix)))['falco-lens-tuning.yaml'], /restic/);
});

test('a local rules file that a Falco reads is kept, named as the chart\'s Falco does not read it, unless the values mount it', () => {
  const local = '/ws/falco_rules.local.yaml';
  const both = setup({ [VALUES]: CHART9, [local]: '' });
  assert.deepEqual(both.titles.filter((t) => t.startsWith(FILE_FIX(''))), [FILE_FIX(NEW_ENTRY), FILE_FIX('falco_rules.local.yaml, which the chart\'s Falco does not read')]);
  const tuning = both.report.slice(both.report.indexOf('### Tuning'));
  assert.match(tuning, /writes it to deploy\/values\.yaml, new customRules entry 'falco-lens-tuning\.yaml' \(mounted as `[^`]+`, for the chart's Falco\), or to your local rules file \(for a Falco that reads it, not the chart's\):/, tuning);
  // Mounted from the values over the path rules_files reads: the chart's Falco may read it; nothing more is said.
  const mounted = `${CHART9}mounts:\n  volumes:\n    - name: local-rules\n      configMap:\n        name: falco-local-rules\n  volumeMounts:\n    - name: local-rules\n      mountPath: /etc/falco/falco_rules.local.yaml\n      subPath: falco_rules.local.yaml\n`;
  const read = setup({ [VALUES]: mounted, [local]: '' });
  assert.deepEqual(read.titles.filter((t) => t.startsWith(FILE_FIX(''))), [FILE_FIX(NEW_ENTRY), FILE_FIX('falco_rules.local.yaml')]);
  assert.ok(!read.report.includes('does not read your local rules file'));
});

test('values whose rules_files read rules.d before the file defining the rule: the entry is greyed out, with why', () => {
  const early = `${CHART9}falco:\n  rules_files:\n    - /etc/falco/rules.d\n    - /etc/falco/falco_rules.yaml\n`;
  const { actions, report } = setup({ [VALUES]: early });
  assert.ok(!actions.some((a) => a.edit && a.title.includes('customRules')));
  const blocked = actions.find((a) => a.disabled);
  assert.equal(blocked?.title, `Add exception or disable rule: not in ${NEW_ENTRY}, which Falco reads before /etc/falco/falco_rules.yaml`);
  assert.match(blocked.disabled!.reason, /^the chart's falco\.rules_files reads \/etc\/falco\/falco_rules\.yaml, Falco's official falco_rules\.yaml that defines this rule, after \/etc\/falco\/rules\.d\/falco-lens-tuning\.yaml, and Falco refuses to start/);
  assert.match(report, /\*\*Not in deploy\/values\.yaml, new customRules entry 'falco-lens-tuning\.yaml':\*\* the chart's falco\.rules_files reads `\/etc\/falco\/falco_rules\.yaml`/);
});

test('without chart values, the local rules file is the target as before', () => {
  const { titles, report } = setup({});
  assert.ok(titles.includes(FILE_FIX('falco_rules.local.yaml')), titles.join('\n'));
  assert.ok(!titles.some((t) => t.includes('customRules')));
  assert.ok(!report.includes('Helm chart'), report);
  // Another chart's customRules (alerting rules, no Falco key beside them) are not a Falco chart's values.
  const other = setup({ [VALUES]: 'customRules:\n  node-exporter:\n    NodeDown:\n      for: 5m\nalertmanager:\n  enabled: true\n' });
  assert.ok(other.titles.includes(FILE_FIX('falco_rules.local.yaml')), other.titles.join('\n'));
});
