// Load codes of field-argument problems by place and target release. In an output, libsinsp's formatter fails on a
// field whose own check throws (a required argument missing, as in the dot form %k8s.pod.label.team from Falco 0.41;
// a malformed argument with no shorter field to print): LOAD_ERR_COMPILE_OUTPUT, which skip-if-unknown-filter turns
// into a skip only from Falco 0.44, whose formatter words it "unknown filter:". In an exception's fields the
// collector's check fails as the rule is read: LOAD_ERR_VALIDATE, whatever skip-if-unknown-filter says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

const PATH = '/ws/falco_rules.local.yaml';

/** `severity code covered-text: message` of each field finding of `text` at target `falcoVersion`. */
function findings(text: string, falcoVersion = '0.44'): string[] {
  const host = new MemoryHost({ [PATH]: text }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion };
  const service = createRulesService(host);
  const doc = rulesDoc(PATH, text);
  service.didOpenOrChange?.(doc);
  return service.diagnostics(doc).filter((d) => d.code === 'field-argument' || d.code === 'unknown-field').map((d) => line(text, d));
}

function line(text: string, d: Diagnostic): string {
  const doc = rulesDoc('/x.yaml', text);
  return `${d.severity} ${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}: ${d.message}`;
}

const syscallRule = (output: string, extra = '') =>
  `- rule: Team shell\n  desc: d\n  condition: evt.type = execve and proc.name = bash\n  output: "${output}"\n  priority: NOTICE\n${extra}`;
const SKIP = '  skip-if-unknown-filter: true\n';
const k8sRule = (extra: string) =>
  `- rule: Audit\n  desc: d\n  condition: ka.verb = create\n  output: x %ka.user.name\n  priority: INFO\n  source: k8s_audit\n${extra}`
  + '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n';
const exception = (field: string) => `  exceptions:\n    - name: e\n      fields:\n        - ${field}\n      values: [[a]]\n`;

const NEEDS = "field-argument k8s.pod.label: Field 'k8s.pod.label' needs an argument, e.g. k8s.pod.label[app.kubernetes.io/name].";

test('an output field missing its required argument (the dot form from 0.41): LOAD_ERR_COMPILE_OUTPUT, skipped by skip-if-unknown-filter from 0.44 only', () => {
  const dotted = syscallRule('shell (team=%k8s.pod.label.team)');
  assert.deepEqual(findings(dotted), [`1 ${NEEDS} (LOAD_ERR_COMPILE_OUTPUT)`]);
  assert.deepEqual(findings(dotted + SKIP), [`2 ${NEEDS} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`]);
  assert.deepEqual(findings(syscallRule('shell %evt.arg')), ["1 field-argument evt.arg: Field 'evt.arg' needs an argument, e.g. evt.arg.flags. (LOAD_ERR_COMPILE_OUTPUT)"]);
  // 0.41-0.43: the formatter passes the plugin check's "requires an argument but none provided" on, which
  // err_is_unknown_type_or_field does not know: the load fails with the key too.
  for (const target of ['0.41', '0.43']) {
    assert.deepEqual(findings(dotted, target), [`1 ${NEEDS} (LOAD_ERR_COMPILE_OUTPUT)`], target);
    const skipped = findings(dotted + SKIP, target);
    assert.equal(skipped.length, 1, target);
    assert.match(skipped[0], new RegExp(`^1 ${NEEDS.replace(/[.[\]()]/g, '\\$&')} Falco ${target.replace('.', '\\.')} fails to load .*skip-if-unknown-filter.* \\(LOAD_ERR_COMPILE_OUTPUT\\)$`), target);
  }
  // Up to 0.40 libsinsp's k8s check reads the dot form.
  for (const extra of ['', SKIP]) assert.deepEqual(findings(dotted + extra, '0.40'), []);
  // A removed field without its argument, at a release that has it: the output's code too.
  for (const extra of ['', SKIP]) {
    assert.deepEqual(findings(syscallRule('shell %mesos.task.label') + extra, '0.41'), [
      "1 field-argument mesos.task.label: Field 'mesos.task.label' needs an argument, e.g. mesos.task.label.name (Falco 0.41). (LOAD_ERR_COMPILE_OUTPUT)"]);
  }
});

test('other output fields whose check throws: the skip before 0.44 is a failed load, and the comment\'s claim holds from 0.44', () => {
  // evt.arg[flags]: no shorter field to print; evt.arg.nosuch: "unknown event argument".
  for (const output of ['flags=%evt.arg[flags]', 'x=%evt.arg.nosuch']) {
    const skipping = syscallRule(`shell ${output}`) + SKIP;
    const latest = findings(skipping);
    assert.equal(latest.length, 1, output);
    assert.match(latest[0], /^2 .*The rule is skipped because of skip-if-unknown-filter\. \(LOAD_UNKNOWN_FILTER\)$/, output);
    const older = findings(skipping, '0.43');
    assert.equal(older.length, 1, output);
    assert.match(older[0], /^1 .* Falco 0\.43 fails to load .*\(LOAD_ERR_COMPILE_OUTPUT\)$/, output);
    assert.doesNotMatch(older[0], /The rule is skipped/, output);
  }
  // An unknown output field is "invalid formatting token" before 0.44, which the key covers at every release.
  const unknown = findings(syscallRule('shell %proc.nmae') + SKIP, '0.43');
  assert.equal(unknown.length, 1);
  assert.match(unknown[0], /^2 unknown-field proc\.nmae: .*\(LOAD_UNKNOWN_FILTER\)$/);
});

test('exception fields with an argument problem fail as the rule is read: LOAD_ERR_VALIDATE errors, whatever skip-if-unknown-filter says', () => {
  const read = 'Exception fields are checked as the rule is read: the file fails to load. (LOAD_ERR_VALIDATE)';
  for (const extra of ['', SKIP]) {
    assert.deepEqual(findings(syscallRule('shell %proc.name') + extra + exception('proc.name[1]')), [
      `1 field-argument 1: Field 'proc.name' takes no argument: 'proc.name[1]' is not a supported filter field. ${read}`]);
    assert.deepEqual(findings(syscallRule('shell %proc.name') + extra + exception('proc.aname[x]')), [
      `1 field-argument proc.aname: Field 'proc.aname' takes a number in brackets (a position), not 'x'. ${read}`]);
    assert.deepEqual(findings(k8sRule(extra + exception('ka.uri.param'))), [
      `1 field-argument ka.uri.param: Field 'ka.uri.param' needs an argument, e.g. ka.uri.param[command]. ${read}`]);
    assert.deepEqual(findings(k8sRule(extra + exception('ka.verb[1]'))), [
      `1 field-argument 1: Field 'ka.verb' takes no argument: Falco rejects '[1]' (the field does not allow nor require an argument). ${read}`]);
  }
  // The collector's check is the same at 0.37 (is_field_defined) and 0.40 (is_valid_lhs_field).
  for (const target of ['0.37', '0.40']) {
    assert.deepEqual(findings(syscallRule('shell %proc.name') + SKIP + exception('proc.name[1]'), target), [
      `1 field-argument 1: Field 'proc.name' takes no argument: 'proc.name[1]' is not a supported filter field. ${read}`], target);
  }
});

test('exceptions an override replaces are judged in the condition they are pasted into, as before', () => {
  const base = syscallRule('shell %proc.name');
  const replace = (extra: string) => `${base}- rule: Team shell\n${extra}${exception('proc.name[1]')}  override:\n    exceptions: replace\n`;
  const pasted = findings(replace(''));
  assert.equal(pasted.length, 1);
  assert.match(pasted[0], /^1 field-argument 1: Field 'proc\.name' takes no argument: Falco reads 'proc\.name\[1\]' as a nonexistent field\. .*\(LOAD_ERR_COMPILE_CONDITION\)$/);
});
