// Where alert tuning writes for the Falco deployments of a workspace, session 12's leftovers:
// 1. A Falco Operator's Falco reads /etc/falco/rules.d only (falco-operator v0.4.1 internal/pkg/resources/falco.go:
//    rules_files [/etc/falco/rules.d]), the files the operator writes from the Rulesfiles of its namespace: tuning of a
//    rule no Rulesfile of the workspace defines went to falco_rules.local.yaml, which it never reads. It now goes into
//    a Rulesfile that loads after the rule's definition (one with an item of the rule, else a new falco-lens-tuning
//    Rulesfile of priority 99), and the local file keeps a title saying the operator's Falco does not read it.
// 2. Several chart values: all are offered, the nearest to the alert log first, each named by its workspace path.
// 3. "Disable rule" across customRules entries: the last entry (in load order) that sets `enabled` decides.
// 4. A rule the chart's Falco has nowhere (not in customRules, not in the official files its rules_files reads): an
//    override in customRules would stop it (rule_loader_collector.cpp ERROR_NO_PREVIOUS_RULE_APPEND, every release
//    0.37-0.44): greyed out with why, and the local rules file offered.
// 5. A Rulesfile's spec.selector (a metav1.LabelSelector): each Falco pod's artifact operator writes the Rulesfile only
//    where it matches its node's labels, a Rulesfile without one everywhere (falco-operator v0.1.0-v0.4.1
//    controllers/artifact/rulesfile/controller.go NodeMatchesSelector, internal/pkg/controllerhelper/node.go). A tuning
//    Rulesfile without the selector of the rule's definition made Falco refuse its override on the other nodes: the
//    new one copies it, an existing one with another selector takes nothing, several selectors grey the fix out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { enabledAfter, planDisable } from '../../server/src/service/alerts/tuning';
import { pathToUri } from '../../server/src/service/uri';
import { applyEdits } from './rules-host';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';
import { operatorRulesfile } from './embedded-helpers';
import {
  GPU, IMAGE_FIX, MANIFEST, NEW_FILE, NEW_RULESFILE, OFFICIAL_OCI, RULESFILES, SELECTORS_BLOCK, SHELL_ALERT, SHELL_RULE, WEB_RULES,
  actionsFor, afterWriting, created, documents, edits, service, tuningManifest,
} from './operator-tuning-helpers';

test('a Falco Operator namespace: tuning of a rule from its OCI artifact goes into a new Rulesfile that loads after it', () => {
  const { host, service: s } = service({ [MANIFEST]: RULESFILES });
  const { actions, titles, report } = actionsFor(s, SHELL_ALERT);
  // Not the local rules file: no Falco that Falco Lens knows of reads it (it does not exist), the operator's never.
  assert.ok(!titles.some((t) => t.includes('falco_rules.local.yaml')), titles.join('\n'));
  const add = actions.find((a) => a.title === IMAGE_FIX(NEW_RULESFILE));
  assert.ok(add, titles.join('\n'));
  const text = created(add, NEW_FILE);
  assert.equal(text, tuningManifest().join('\n'));
  // What Kubernetes keeps, and where the operator writes it: after the OCI artifact's 50-01-falco-rules-oci.yaml.
  const [resource] = documents(text);
  assert.deepEqual(resource.spec.inlineRules, [{
    rule: 'Terminal shell in container', override: { exceptions: 'append' },
    exceptions: [{ name: 'falco_lens_proc_name_and_container_image_repository', fields: ['proc.name', 'container.image.repository'], comps: ['=', '='], values: [['bash', 'docker.io/library/nginx']] }],
  }]);
  assert.deepEqual(analyzeHost(text).files.map((f) => f.key), ['99-03-falco-lens-tuning-inline.yaml']);
  const disable = actions.find((a) => a.title.startsWith('Disable rule'));
  assert.equal(disable?.title, `Disable rule "Terminal shell in container" in ${NEW_RULESFILE} (last resort: it stops all its alerts)`);
  assert.match(report, /writes it to new Rulesfile 'falco-lens-tuning' \(deploy\/falco\/falco-lens-tuning\.yaml\) \(written as `\/etc\/falco\/rules\.d\/99-03-falco-lens-tuning-inline\.yaml`, for the Falco Operator's Falco\):/, report);

  // Once written (saved, closed): the same exception is not offered again; another goes into its inlineRules.
  const again = afterWriting(host, s, NEW_FILE, text);
  assert.ok(!again.titles.some((t) => t.startsWith(IMAGE_FIX(''))), again.titles.join('\n'));
  assert.ok(!again.titles.some((t) => t.includes('new Rulesfile')), again.titles.join('\n'));
  const other = again.actions.find((a) => a.title.startsWith('Add exception for this process + parent'));
  assert.equal(other, undefined, 'runc is the container runtime: no process + parent');
  const disableAgain = again.actions.find((a) => a.title.startsWith('Disable rule'));
  assert.equal(disableAgain?.title, 'Disable rule "Terminal shell in container" in deploy/falco/falco-lens-tuning.yaml, Rulesfile \'falco-lens-tuning\' inlineRules (last resort: it stops all its alerts)');
  const disabled = applyEdits(text, edits(disableAgain, NEW_FILE));
  assert.deepEqual(documents(disabled)[0].spec.inlineRules[1], { rule: 'Terminal shell in container', enabled: false, override: { enabled: 'replace' } });
  assert.ok(!afterWriting(host, s, NEW_FILE, disabled).titles.some((t) => t.startsWith('Disable rule')));
});

test('the local rules file is kept where a Falco reads it, titled as the operator\'s Falco does not; the report says why', () => {
  const local = '/ws/falco_rules.local.yaml';
  const { titles, report } = actionsFor(service({ [MANIFEST]: RULESFILES, [local]: '' }).service, SHELL_ALERT);
  assert.deepEqual(titles.filter((t) => t.startsWith(IMAGE_FIX(''))), [IMAGE_FIX(NEW_RULESFILE), IMAGE_FIX('falco_rules.local.yaml, which the operator\'s Falco does not read')]);
  assert.match(report, /or to your local rules file \(for a Falco that reads it, not the operator's\)/, report);
  assert.match(report, /\*\*The Falco Operator's Falco does not read your local rules file:\*\* the Falco it deploys reads \/etc\/falco\/rules\.d only/, report);
  // With chart values too: neither reads it.
  const values = '/ws/helm/values.yaml';
  const both = actionsFor(service({ [MANIFEST]: RULESFILES, [local]: '', [values]: 'customRules: {}\nfalcoctl:\n  artifact:\n    install:\n      enabled: true\n' }).service, SHELL_ALERT);
  assert.deepEqual(both.titles.filter((t) => t.startsWith(IMAGE_FIX(''))), [
    IMAGE_FIX(NEW_RULESFILE), IMAGE_FIX('helm/values.yaml, new customRules entry \'falco-lens-tuning.yaml\''),
    IMAGE_FIX('falco_rules.local.yaml, which neither the chart\'s nor the operator\'s Falco reads'),
  ]);
});

test('an operator Rulesfile with an item of the rule after its definition takes the tuning, in its lines and line breaks', () => {
  const tuned = `${RULESFILES}---\n${operatorRulesfile('shell-tuning', 'priority: 70\ninlineRules:\n  - rule: Terminal shell in container\n    exceptions:\n      - name: ops_shells\n        fields: [proc.name]\n        values: [[zsh]]\n    override:\n      exceptions: append\n')}`.replace(/\n/g, '\r\n');
  const { titles, actions } = actionsFor(service({ [MANIFEST]: tuned }).service, SHELL_ALERT);
  const where = 'deploy/falco/rulesfiles.yaml, Rulesfile \'shell-tuning\' inlineRules';
  const add = actions.find((a) => a.title === IMAGE_FIX(where));
  assert.ok(add, titles.join('\n'));
  assert.ok(!titles.some((t) => t.includes('new Rulesfile')), titles.join('\n'));
  const text = applyEdits(tuned, edits(add, MANIFEST));
  assert.ok(!/[^\r]\n/.test(text), 'CRLF kept');
  const items = documents(text)[2].spec.inlineRules;
  assert.equal(items.length, 1);
  assert.deepEqual(items[0].exceptions[1], { name: 'falco_lens_proc_name_and_container_image_repository', fields: ['proc.name', 'container.image.repository'], comps: ['=', '='], values: [['bash', 'docker.io/library/nginx']] });
  // An item of the rule that Falco reads before the OCI artifact (priority 40) takes nothing: the new Rulesfile does,
  // written with the manifests' line breaks.
  const early = tuned.replace('priority: 70', 'priority: 40');
  const fallback = actionsFor(service({ [MANIFEST]: early }).service, SHELL_ALERT).actions.find((a) => a.title === IMAGE_FIX(NEW_RULESFILE));
  const createdText = created(fallback, NEW_FILE);
  assert.ok(createdText.includes('\r\n') && !/[^\r]\n/.test(createdText), JSON.stringify(createdText));
  assert.equal(documents(createdText)[0].spec.priority, 99);
});

test('a Rulesfile that defines the rule again takes the tuning after its definition; the local file is not held back by it', () => {
  const local = '/ws/falco_rules.local.yaml';
  const redefined = `${RULESFILES}---\n${operatorRulesfile('shells', `priority: 55\ninlineRules:\n${SHELL_RULE.replace(/^(?=.)/gm, '  ')}`)}`;
  const { titles, actions } = actionsFor(service({ [MANIFEST]: redefined, [local]: '' }).service, SHELL_ALERT);
  const where = 'deploy/falco/rulesfiles.yaml, Rulesfile \'shells\' inlineRules';
  assert.deepEqual(titles.filter((t) => t.startsWith(IMAGE_FIX(''))), [IMAGE_FIX(where), IMAGE_FIX('falco_rules.local.yaml, which the operator\'s Falco does not read')]);
  assert.ok(!actions.some((a) => a.disabled), titles.join('\n'));
  const items = documents(applyEdits(redefined, edits(actions.find((a) => a.title === IMAGE_FIX(where)), MANIFEST)))[2].spec.inlineRules;
  assert.deepEqual(items.map((i: { rule: string; override?: unknown }) => [i.rule, i.override]), [['Terminal shell in container', undefined], ['Terminal shell in container', { exceptions: 'append' }]]);
});

test('Rulesfiles of two namespaces in one folder: a tuning Rulesfile each, in a file named by its namespace', () => {
  const other = RULESFILES.replace(/namespace: falco/g, 'namespace: falco-edge');
  const { titles } = actionsFor(service({ [MANIFEST]: RULESFILES, '/ws/deploy/falco/edge.yaml': other }).service, SHELL_ALERT);
  assert.deepEqual(titles.filter((t) => t.startsWith(IMAGE_FIX(''))), [
    IMAGE_FIX('new Rulesfile \'falco-lens-tuning\' (deploy/falco/falco-lens-tuning-falco.yaml)'),
    IMAGE_FIX('new Rulesfile \'falco-lens-tuning\' (deploy/falco/falco-lens-tuning-falco-edge.yaml)'),
  ]);
});

test('an operator namespace whose Falco does not have the rule, or reads its definition after the tuning Rulesfile: greyed out, with why', () => {
  // No OCI artifact, no Rulesfile defining the rule: the operator's Falco would refuse the override.
  const inlineOnly = RULESFILES.slice(RULESFILES.indexOf('---\n') + 4);
  const none = actionsFor(service({ [MANIFEST]: inlineOnly }).service, SHELL_ALERT);
  const missing = none.actions.find((a) => a.disabled);
  assert.equal(missing?.title, `Add exception or disable rule: not in ${NEW_RULESFILE}, whose Falco does not load this rule`);
  assert.match(missing.disabled!.reason, /^the Falco that the Falco Operator deploys reads only the Rulesfiles of its namespace \(\/etc\/falco\/rules\.d\), and none of those of namespace falco in deploy\/falco defines this rule or pulls an OCI artifact that may: Falco refuses to start on an override/);
  // Its Falco is another one: the local rules file is offered (it would be created).
  assert.ok(none.titles.includes(IMAGE_FIX('falco_rules.local.yaml, which the operator\'s Falco does not read')), none.titles.join('\n'));
  assert.match(none.report, /\*\*Not in new Rulesfile 'falco-lens-tuning' \(deploy\/falco\/falco-lens-tuning\.yaml\):\*\* the Falco that the Falco Operator deploys/);
  // The tuning Rulesfile exists with its priority lowered below the OCI artifact's.
  const low = `${RULESFILES}---\n${operatorRulesfile('falco-lens-tuning', 'priority: 10\ninlineRules:\n  - list: unused\n    items: []\n')}`;
  const lowered = actionsFor(service({ [MANIFEST]: low }).service, SHELL_ALERT);
  const order = lowered.actions.find((a) => a.disabled);
  assert.equal(order?.title, 'Add exception or disable rule: not in deploy/falco/rulesfiles.yaml, Rulesfile \'falco-lens-tuning\' inlineRules, which Falco reads before /etc/falco/rules.d/50-01-falco-rules-oci.yaml');
  assert.match(order.disabled!.reason, /^the operator writes \/etc\/falco\/rules\.d\/50-01-falco-rules-oci\.yaml, which defines this rule, into \/etc\/falco\/rules\.d, where Falco reads it after \/etc\/falco\/rules\.d\/10-03-falco-lens-tuning-inline\.yaml/);
  // A Rulesfile of that name that holds no inline rules (an OCI one): no second resource of the name is written.
  const taken = `${RULESFILES}---\n${operatorRulesfile('falco-lens-tuning', 'ociArtifact:\n  image:\n    repository: example/rules\n')}`;
  const named = actionsFor(service({ [MANIFEST]: taken }).service, SHELL_ALERT);
  assert.ok(!named.titles.some((t) => t.includes('falco-lens-tuning')), named.titles.join('\n'));
});

test('several chart values: all offered, the nearest to the alert log first, each named by its workspace path', () => {
  const chart = 'customRules: {}\nfalcoctl:\n  artifact:\n    install:\n      enabled: true\n';
  const files = Object.fromEntries(['/ws/clusters/prod/values.yaml', '/ws/clusters/staging/values.yaml', '/ws/clusters/dev/values.yaml', '/ws/sandbox/values.yaml'].map((f) => [f, chart]));
  const { titles } = actionsFor(service(files).service, SHELL_ALERT, pathToUri('/ws/clusters/staging/logs/events.json'));
  const entry = (f: string) => IMAGE_FIX(`${f}, new customRules entry 'falco-lens-tuning.yaml'`);
  assert.deepEqual(titles.filter((t) => t.startsWith(IMAGE_FIX(''))), [
    entry('clusters/staging/values.yaml'), entry('clusters/dev/values.yaml'), entry('clusters/prod/values.yaml'), entry('sandbox/values.yaml'),
  ]);
  // A log outside the workspace: by path.
  const outside = actionsFor(service(files).service, SHELL_ALERT).titles.filter((t) => t.startsWith(IMAGE_FIX('')));
  assert.deepEqual(outside, [entry('clusters/dev/values.yaml'), entry('clusters/prod/values.yaml'), entry('clusters/staging/values.yaml'), entry('sandbox/values.yaml')]);
});

test('"Disable rule" across customRules entries: the last entry that sets enabled decides', () => {
  const rule = 'Backup tool reads keys';
  const rules = { '/ws/rules/falco_rules.yaml': `${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private')}  tags: [maturity_stable]\n` };
  const entry = (enabled: boolean) => `      - rule: ${rule}\n        enabled: ${enabled}\n        override:\n          enabled: replace\n`;
  const values = (first: boolean, second: boolean) => `customRules:\n  a-first.yaml: |-\n${entry(first)}  b-second.yaml: |-\n${entry(second)}falcoctl:\n  artifact:\n    install:\n      enabled: true\n`;
  const disableOf = (text: string) => actionsFor(service({ ...rules, '/ws/helm/values.yaml': text }).service, KEY_ALERT).titles.filter((t) => t.startsWith('Disable rule'));
  // Disabled in the first, enabled again in the second: the rule runs, disabling is offered (in the second).
  assert.deepEqual(disableOf(values(false, true)), [`Disable rule "${rule}" in helm/values.yaml, customRules 'b-second.yaml' (last resort: it stops all its alerts)`]);
  // Enabled in the first, disabled in the second: disabled already.
  assert.deepEqual(disableOf(values(true, false)), []);
  // The reading of items, as Falco's: a definition enables again unless it says otherwise; `enabled` without
  // `override.enabled: replace` in an override item, or in an append, is not read; the deprecated enabled-only item is.
  const off = `- rule: ${rule}\n  enabled: false\n  override:\n    enabled: replace\n`;
  assert.equal(enabledAfter([off, `- rule: ${rule}\n  condition: evt.type = open\n  output: o\n  desc: d\n  priority: INFO\n`], rule), true);
  assert.equal(enabledAfter([off, `- rule: ${rule}\n  condition: evt.type = open\n  enabled: false\n  output: o\n  desc: d\n  priority: INFO\n`], rule), false);
  assert.equal(enabledAfter([off, `- rule: ${rule}\n  enabled: true\n  override:\n    exceptions: append\n`], rule), false);
  assert.equal(enabledAfter([off, `- rule: ${rule}\n  append: true\n  enabled: true\n  condition: and 1 = 1\n`], rule), false);
  assert.equal(enabledAfter([off, `- rule: ${rule}\n  enabled: 'yes'\n`], rule), true);
  assert.equal(enabledAfter(['- rule: Other\n  enabled: false\n'], rule), undefined);
  assert.equal(planDisable(`- rule: ${rule}\n  enabled: true\n  override:\n    enabled: replace\n`, rule, undefined, undefined, [off]).kind, 'insert');
  assert.equal(planDisable('', rule, undefined, undefined, [off]).kind, 'present');
});

test('a rule the chart\'s Falco has nowhere: the customRules target is greyed out with why, and the local rules file offered', () => {
  const custom = '/ws/rules/custom_rules.yaml';
  const rules = { [custom]: KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private') };
  const values = '/ws/helm/values.yaml';
  const chart = 'customRules: {}\nfalcoctl:\n  artifact:\n    install:\n      enabled: true\n';
  const FILE_FIX = (where: string) => `Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to ${where}`;
  const { actions, titles, report } = actionsFor(service({ ...rules, [values]: chart }).service, KEY_ALERT);
  const blocked = actions.find((a) => a.disabled);
  assert.equal(blocked?.title, 'Add exception or disable rule: not in helm/values.yaml, new customRules entry \'falco-lens-tuning.yaml\', whose Falco does not load this rule');
  assert.equal(blocked.disabled!.reason, 'the chart\'s Falco reads /etc/falco/falco_rules.yaml (Falco\'s official file, from falcoctl or the image), '
    + '/etc/falco/falco_rules.local.yaml (no file of the workspace: the values mount none there), /etc/falco/rules.d (the values\' customRules), '
    + 'and none of them defines this rule: Falco refuses to start on an override of a rule that no earlier rules file defines. '
    + 'Add the rules file that defines it to customRules (before this entry), or tune the Falco that loads it.');
  assert.ok(!actions.some((a) => a.edit && a.title.includes('values.yaml')), titles.join('\n'));
  assert.ok(titles.includes(FILE_FIX('falco_rules.local.yaml, which the chart\'s Falco does not read')), titles.join('\n'));
  assert.match(report, /\*\*Not in helm\/values\.yaml, new customRules entry 'falco-lens-tuning\.yaml':\*\* the chart's Falco reads `\/etc\/falco\/falco_rules\.yaml`/, report);
  // The values' rules_files read a path Falco Lens does not have (a file the values mount): the rule may be there.
  const mounted = `${chart}falco:\n  rules_files:\n    - /etc/falco/falco_rules.yaml\n    - /etc/falco/extra/custom_rules.yaml\n    - /etc/falco/rules.d\nmounts:\n  volumeMounts:\n    - name: extra\n      mountPath: /etc/falco/extra\n`;
  const may = actionsFor(service({ ...rules, [values]: mounted }).service, KEY_ALERT);
  assert.ok(may.titles.includes(FILE_FIX('helm/values.yaml, new customRules entry \'falco-lens-tuning.yaml\'')), may.titles.join('\n'));
  // An official rule of a file the values do not read (falco-incubating_rules.yaml): not loaded; read, it is.
  const incubating = `${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private')}  tags: [maturity_incubating]\n`;
  const notRead = actionsFor(service({ [custom]: incubating, [values]: chart }).service, KEY_ALERT);
  assert.ok(notRead.actions.some((a) => a.disabled?.reason.startsWith('the chart\'s Falco reads')), notRead.titles.join('\n'));
  const read = `${chart}falco:\n  rules_files:\n    - /etc/falco/falco_rules.yaml\n    - /etc/falco/falco-incubating_rules.yaml\n    - /etc/falco/rules.d\n`;
  assert.ok(actionsFor(service({ [custom]: incubating, [values]: read }).service, KEY_ALERT).titles.includes(FILE_FIX('helm/values.yaml, new customRules entry \'falco-lens-tuning.yaml\'')));
});

// ---- 5. The nodes a Rulesfile applies on (spec.selector) ----

test('a rule whose Rulesfile has a spec.selector: the new tuning Rulesfile copies it (CRLF kept), and takes the next tuning', () => {
  const selector = 'selector:\n  matchLabels:\n    pool: gpu\n    "on": "yes"\n  matchExpressions:\n    - key: topology.kubernetes.io/zone\n      operator: In\n      values: [eu-west-1a, "1"]\n';
  const manifest = [operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n${selector}`), WEB_RULES].join('---\n').replace(/\n/g, '\r\n');
  const { host, service: s } = service({ [MANIFEST]: manifest });
  const { actions, titles, report } = actionsFor(s, SHELL_ALERT);
  // (A selector this long is not spelled out in the title.)
  const label = 'new Rulesfile \'falco-lens-tuning\' (deploy/falco/falco-lens-tuning.yaml, spec.selector of the rule\'s definition)';
  const add = actions.find((a) => a.title === IMAGE_FIX(label));
  assert.ok(add, titles.join('\n'));
  assert.ok(!actions.some((a) => a.disabled), titles.join('\n'));
  const text = created(add, NEW_FILE);
  assert.equal(text, tuningManifest([
    '  selector:',
    '    matchExpressions:',
    '      - key: "topology.kubernetes.io/zone"',
    '        operator: "In"',
    '        values:',
    '          - "eu-west-1a"',
    '          - "1"',
    '    matchLabels:',
    '      "on": "yes"',
    '      pool: "gpu"',
  ]).join('\r\n'));
  // The same selector as Kubernetes reads it (kubectl reads YAML 1.1: "on" stays a string), and for Falco Lens.
  assert.deepEqual(documents(text)[0].spec.selector, documents(manifest)[0].spec.selector);
  assert.equal(parseAllDocuments(text, { version: '1.1' })[0].toJS().spec.selector.matchLabels.on, 'yes');
  assert.equal(analyzeHost(text).files[0].operator?.selector, analyzeHost(manifest).oci?.[0].selector);
  assert.match(report, /writes it to new Rulesfile 'falco-lens-tuning' \(deploy\/falco\/falco-lens-tuning\.yaml, spec\.selector of the rule's definition\)/, report);

  // Written: its selector is the definition's, so it takes the next tuning; the same exception is not offered again.
  const again = afterWriting(host, s, NEW_FILE, text);
  assert.ok(!again.titles.some((t) => t.startsWith(IMAGE_FIX('')) || t.startsWith('Add exception or disable rule')), again.titles.join('\n'));
  const disable = again.actions.find((a) => a.title.startsWith('Disable rule'));
  assert.equal(disable?.title, 'Disable rule "Terminal shell in container" in deploy/falco/falco-lens-tuning.yaml, Rulesfile \'falco-lens-tuning\' inlineRules (last resort: it stops all its alerts)');
  const disabled = applyEdits(text, edits(disable, NEW_FILE));
  assert.ok(!/[^\r]\n/.test(disabled), 'CRLF kept');
  assert.deepEqual(documents(disabled)[0].spec.selector, documents(text)[0].spec.selector);
  assert.ok(!afterWriting(host, s, NEW_FILE, disabled).titles.some((t) => t.startsWith('Disable rule')), 'idempotent');
});

test('definitions of the rule on different node selectors: no tuning Rulesfile is offered, greyed out with why', () => {
  const edge = operatorRulesfile('falco-rules-edge', `${OFFICIAL_OCI}priority: 50\nselector:\n  matchLabels:\n    pool: edge\n`);
  const manifest = [operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n${GPU}`), edge, WEB_RULES].join('---\n');
  const { actions, titles, report } = actionsFor(service({ [MANIFEST]: manifest }).service, SHELL_ALERT);
  assert.ok(!actions.some((a) => a.edit && a.title.includes('falco-lens-tuning')), titles.join('\n'));
  const blocked = actions.find((a) => a.disabled);
  assert.equal(blocked?.title, SELECTORS_BLOCK(NEW_RULESFILE));
  assert.equal(blocked.disabled!.reason, 'the operator writes this rule\'s definitions from Rulesfiles that apply on different nodes: '
    + '/etc/falco/rules.d/50-01-falco-rules-edge-oci.yaml on the nodes of spec.selector pool=edge, /etc/falco/rules.d/50-01-falco-rules-oci.yaml on the nodes of spec.selector pool=gpu; '
    + 'each Falco pod\'s artifact operator writes a Rulesfile only where its spec.selector matches the labels of its node, and Falco refuses to start on an override '
    + 'of a rule that no earlier rules file defines: on a node without the definition, the override stops Falco. Falco Lens cannot tell one set of nodes that has '
    + 'the rule: write the tuning by hand into a Rulesfile per spec.selector, each with the selector of its definition.');
  assert.match(report, /\*\*Not in new Rulesfile 'falco-lens-tuning' \(deploy\/falco\/falco-lens-tuning\.yaml\):\*\* the operator writes this rule's definitions from Rulesfiles that apply on different nodes/, report);
  // Its Falco is another one for Falco Lens: the local rules file is not offered (no Falco reads it), as before.
  assert.ok(!titles.some((t) => t.includes('falco_rules.local.yaml')), titles.join('\n'));
  // A selector that is not a mapping (Kubernetes refuses the Rulesfile): nothing to copy, greyed out too.
  const scalar = manifest.replace('falco-rules-edge', 'other').replace(/selector:\n  matchLabels:\n    pool: edge\n/, 'selector: pool=edge\n').replace(`${OFFICIAL_OCI}priority: 50\n${GPU}`, `${OFFICIAL_OCI}priority: 50\n`);
  const refused = actionsFor(service({ [MANIFEST]: scalar }).service, SHELL_ALERT);
  assert.ok(!refused.actions.some((a) => a.edit && a.title.includes('falco-lens-tuning')), refused.titles.join('\n'));
  assert.equal(refused.actions.find((a) => a.disabled)?.title, SELECTORS_BLOCK(NEW_RULESFILE));
});

test('a Rulesfile with an item of the rule but another spec.selector takes no tuning; the tuning Rulesfile does', () => {
  // The official rules on every node; a team disables the rule on the gpu nodes only (priority 60, after them).
  const gpuOff = operatorRulesfile('gpu-quiet', `priority: 60\n${GPU}inlineRules:\n  - rule: Terminal shell in container\n    enabled: false\n    override:\n      enabled: replace\n`);
  const manifest = `${RULESFILES}---\n${gpuOff}`;
  const { actions, titles } = actionsFor(service({ [MANIFEST]: manifest }).service, SHELL_ALERT);
  assert.ok(!titles.some((t) => t.includes('gpu-quiet')), titles.join('\n'));
  const add = actions.find((a) => a.title === IMAGE_FIX(NEW_RULESFILE));
  assert.ok(add, titles.join('\n'));
  assert.equal(documents(created(add, NEW_FILE))[0].spec.selector, undefined);
  // Disabled on the gpu nodes only: disabling it is still offered, for every node.
  assert.equal(actions.find((a) => a.title.startsWith('Disable rule'))?.title, `Disable rule "Terminal shell in container" in ${NEW_RULESFILE} (last resort: it stops all its alerts)`);

  // The group's falco-lens-tuning Rulesfile with another selector: a second tuning Rulesfile (session 13,
  // alerts-operator-selectors-s13).
});

test('the nodes of the rule: a sure definition over one that may, an empty selector is every node, a ConfigMap\'s rules at its Rulesfile\'s', () => {
  const label = (selector: string) => `new Rulesfile 'falco-lens-tuning' (deploy/falco/falco-lens-tuning.yaml, spec.selector ${selector})`;
  const selectorOf = (files: Record<string, string>) => {
    const { actions, titles } = actionsFor(service(files).service, SHELL_ALERT);
    const add = actions.find((a) => a.title.startsWith(IMAGE_FIX('new Rulesfile')));
    assert.ok(add, titles.join('\n'));
    return { title: add.title, selector: documents(created(add, NEW_FILE))[0].spec.selector };
  };
  // The official rules on the gpu nodes, and an OCI artifact whose rules Falco Lens does not have on every node: the
  // rule is surely on the gpu nodes only.
  const vendor = operatorRulesfile('vendor', 'ociArtifact:\n  image:\n    repository: example.com/vendor/rules\npriority: 40\n');
  const sure = selectorOf({ [MANIFEST]: [operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n${GPU}`), vendor].join('---\n') });
  assert.deepEqual(sure, { title: IMAGE_FIX(label('pool=gpu')), selector: { matchLabels: { pool: 'gpu' } } });
  assert.equal(analyzeHost([operatorRulesfile('falco-rules', `${OFFICIAL_OCI}${GPU}`)].join('')).oci?.[0].selector, '{"matchLabels":{"pool":"gpu"}}');
  // An empty selector selects every node (metav1.LabelSelectorAsSelector: labels.Everything()): none is written.
  const empty = selectorOf({ [MANIFEST]: operatorRulesfile('falco-rules', `${OFFICIAL_OCI}selector: {}\n`) });
  assert.deepEqual(empty, { title: IMAGE_FIX(NEW_RULESFILE), selector: undefined });
  // A ConfigMap's rules.yaml is written at its Rulesfile's place, on its Rulesfile's nodes (from another file too): one
  // with an item of the rule takes the tuning where its Rulesfile has the definition's selector.
  const official = operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n${GPU}`);
  const override = '- rule: Terminal shell in container\n  exceptions:\n    - name: ops\n      fields: [proc.name]\n      values: [[zsh]]\n  override:\n    exceptions: append\n';
  const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shells\n  namespace: falco\ndata:\n  rules.yaml: |\n${override.replace(/^(?=.)/gm, '    ')}`;
  const byRef = (selector: string) => operatorRulesfile('shells', `configMapRef:\n  name: shells\npriority: 70\n${selector}`);
  const inConfigMap = IMAGE_FIX('deploy/falco/rulesfiles.yaml, data \'rules.yaml\'');
  assert.ok(actionsFor(service({ [MANIFEST]: [official, byRef(GPU), configMap].join('---\n') }).service, SHELL_ALERT).titles.includes(inConfigMap));
  assert.ok(actionsFor(service({ [MANIFEST]: [official, byRef(GPU)].join('---\n'), '/ws/deploy/falco/configmap.yaml': configMap }).service, SHELL_ALERT).titles.includes(IMAGE_FIX('deploy/falco/configmap.yaml, data \'rules.yaml\'')));
  assert.deepEqual(selectorOf({ [MANIFEST]: [official, byRef(''), configMap].join('---\n') }), sure);
  const exists = { title: IMAGE_FIX(label('pool')), selector: { matchExpressions: [{ key: 'pool', operator: 'Exists' }] } };
  const poolExists = 'selector:\n  matchExpressions:\n    - key: pool\n      operator: Exists\n';
  // A ConfigMap found nowhere: an unknown file (it may define the rule) on its Rulesfile's nodes.
  assert.deepEqual(selectorOf({ [MANIFEST]: byRef(poolExists) }), exists);
});
