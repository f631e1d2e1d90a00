// A local rules file checked without Falco's official files (a workstation has no /etc/falco): names those files
// define are said to come from them, with the setting that loads them as the quick fix, instead of a bare
// "undefined" or nothing at all; with the official file loaded, the same text is clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRulesService } from '../../server/src/service/rules';
import { officialDefinition } from '../../server/src/knowledge';
import { CORPUS_RULES, MemoryHost, corpusExists, corpusHost, rulesDoc } from './rules-host';

const LOCAL = `- rule: Shell in container (local)
  desc: d
  condition: spawned_process and container and proc.name in (shell_binaries, my_shellz) and not user_known_tmpx
  output: shell %proc.name
  priority: WARNING

- rule: Terminal shell in container
  override:
    condition: append
  condition: and not proc.pname = sshd
`;

test('names of the official files: where they come from, with the setting as the fix; other names as before', () => {
  const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
  const doc = rulesDoc('/ws/falco_rules.local.yaml', LOCAL);
  const diagnostics = service.diagnostics(doc);
  const line = (n: number) => LOCAL.split('\n')[n];
  const at = (d: { range: { start: { line: number; character: number }; end: { character: number } } }) => line(d.range.start.line).slice(d.range.start.character, d.range.end.character);
  const about = (name: string) => diagnostics.filter((d) => at(d) === name || String(d.message).includes(`'${name}' is`));

  const [macro] = about('spawned_process');
  assert.equal(macro.code, 'undefined-macro');
  assert.match(String(macro.message), /^Undefined macro 'spawned_process' used in filter\. 'spawned_process' is a macro of Falco's falco_rules\.yaml \(maturity stable: the rules Falco installs and loads by default\), which is not among the loaded rules files: load it first \(the setting 'falcoLens\.rules\.files', or --rules on the command line; Falco hosts keep it in \/etc\/falco\)/);
  assert.deepEqual(macro.data, { suggestions: [], official: 'falco_rules.yaml' });
  const [fix] = service.codeActions!(doc, macro.range, { diagnostics: [macro], only: ['quickfix'] });
  assert.deepEqual(fix.command, { title: fix.title, command: 'workbench.action.openSettings', arguments: ['falcoLens.rules.files'] });
  assert.equal(fix.title, "Load falco_rules.yaml: open the setting 'falcoLens.rules.files'");

  const [list] = about('shell_binaries');
  assert.equal(list.code, 'unknown-list');
  assert.equal(list.severity, 2);
  assert.match(String(list.message), /'shell_binaries' is a list of Falco's falco_rules\.yaml/);
  assert.deepEqual(about('my_shellz'), [], 'a name no official file has gets no hint without a close list');

  const [rule] = diagnostics.filter((d) => d.code === 'no-previous-definition');
  assert.match(String(rule.message), /'Terminal shell in container' is a rule of Falco's falco_rules\.yaml/);

  const [other] = about('user_known_tmpx');
  assert.equal(other.code, 'undefined-macro');
  assert.ok(!String(other.message).includes("Falco's"), 'an unknown name is not said to be official');
  assert.equal(other.data && (other.data as { official?: string }).official, undefined);
});

test('the diagnostic says the official file\'s maturity (only falco_rules.yaml is installed with Falco); a plugin\'s file has none', () => {
  const text = `- rule: Adding ssh keys to authorized_keys
  override:
    enabled: replace
  enabled: false

- rule: Basic Interactive Reconnaissance
  enabled: false

- rule: Shell in a pod
  desc: d
  condition: ka.verb = create and ka.target.resource in (pods) and ka.stage in (k8s_audit_stages)
  output: pod %ka.target.name
  priority: WARNING
  source: k8s_audit
`;
  const messages = createRulesService(new MemoryHost({}, { ruleFiles: [] })).diagnostics(rulesDoc('/ws/falco_rules.local.yaml', text)).map((d) => String(d.message));
  const about = (name: string) => messages.find((m) => m.includes(`'${name}' is a`)) ?? `nothing about ${name} in:\n${messages.join('\n')}`;
  assert.match(about('Adding ssh keys to authorized_keys'), /is a rule of Falco's falco-incubating_rules\.yaml \(maturity incubating: not installed with Falco, added separately\), which is not among/);
  assert.match(about('Basic Interactive Reconnaissance'), /is a rule of Falco's falco-sandbox_rules\.yaml \(maturity sandbox: experimental, not installed with Falco\), which is not among/);
  assert.match(about('k8s_audit_stages'), /is a list of Falco's k8s_audit_rules\.yaml \(k8saudit plugin\), which is not among/);
});

test('with falco_rules.yaml loaded the same file has none of these findings', { skip: !corpusExists && 'corpus absent' }, () => {
  const { host } = corpusHost(['falcosecurity__rules/falco_rules.yaml']);
  const service = createRulesService(host);
  const codes = service.diagnostics(rulesDoc('/ws/falco_rules.local.yaml', LOCAL)).map((d) => `${d.code} ${String(d.message).slice(0, 40)}`);
  assert.ok(!codes.some((c) => /Falco's/.test(c) || c.startsWith('no-previous-definition') || c.includes("'spawned_process'")), codes.join('\n'));
});

test('the official names table is what the generator makes from the corpus', { skip: !corpusExists && 'corpus absent' }, () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-official-')), 'officialItems.ts');
  execFileSync(process.execPath, ['scripts/gen-official-items.mjs', CORPUS_RULES, '--out', out]);
  assert.equal(fs.readFileSync(out, 'utf8'), fs.readFileSync('server/src/knowledge/officialItems.ts', 'utf8'));
  assert.equal(officialDefinition('macro', 'spawned_process'), 'falco_rules.yaml');
  assert.equal(officialDefinition('list', 'k8s_audit_stages'), 'k8s_audit_rules.yaml (k8saudit plugin)');
  assert.equal(officialDefinition('list', 'my_allowed_shells'), undefined);
  assert.equal(officialDefinition('rule', 'Create Disallowed Pod'), 'k8s_audit_rules.yaml (k8saudit plugin)');
});

test('an override of a rule no loaded file defines: its fields are not judged against syscall (Falco stops at the missing rule)', () => {
  const text = `- rule: Attach/Exec Pod
  exceptions:
    - name: trusted_operators
      fields: [ka.user.name, ka.target.namespace]
      values:
        - [ops-bot, tooling]
  override:
    exceptions: append
`;
  const diagnostics = createRulesService(new MemoryHost({}, { ruleFiles: [] })).diagnostics(rulesDoc('/ws/falco_rules.local.yaml', text));
  assert.deepEqual(diagnostics.map((d) => d.code), ['no-previous-definition'], diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  // With the rule's own source written, the fields are judged against it as before.
  const withSource = createRulesService(new MemoryHost({}, { ruleFiles: [] })).diagnostics(rulesDoc('/ws/falco_rules.local.yaml', text.replace('  override:', '  source: syscall\n  override:')));
  assert.ok(withSource.some((d) => d.code === 'field-not-for-source'), withSource.map((d) => d.code).join(', '));
});
