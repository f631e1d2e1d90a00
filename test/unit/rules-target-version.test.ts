// The target Falco version (falcoLens.falcoVersion, --falco-version): the setting's normalisation, and each gate at its
// boundary — the release before the one that added a construct rejects it, that release accepts it. The default
// target changes nothing (the corpus tests pin the diagnostics at 0.44; here: no target finding at 0.44). The CLI's
// --falco-version is tested with the bundled CLI in test/protocol/cli.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../server/src/service/host';
import { FALCO_RELEASES, FALCO_TARGETS, LATEST_FALCO, parseFalcoTarget } from '../../server/src/knowledge';
import { MemoryHost, rulesDoc } from './rules-host';

const FILE = '/ws/target_rules.yaml';

function diagnose(source: string, falcoVersion?: string, host = new MemoryHost({ [FILE]: source }, { folders: ['/ws'] })): Diagnostic[] {
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const svc = createRulesService(host);
  const doc = rulesDoc(FILE, source);
  svc.didOpenOrChange?.(doc);
  return svc.diagnostics(doc);
}

const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

/** The target findings: `code covered-text`. */
function targetFindings(source: string, falcoVersion?: string): string[] {
  const doc = rulesDoc(FILE, source);
  return diagnose(source, falcoVersion)
    .filter((d) => /added in Falco|Rules require engine version/.test(messageOf(d)))
    .map((d) => `${d.code} ${source.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}`);
}

const rule = (condition: string, extra = '') => `- rule: Target check
  desc: d
  condition: ${condition}
  output: o (proc=%proc.name)
  priority: WARNING
${extra}`;

const previous = (release: string) => FALCO_TARGETS[FALCO_TARGETS.indexOf(release) - 1];

test('setting: 0.37 to 0.44 accepted (a patch release names its minor), anything else falls back to the default', () => {
  assert.equal(DEFAULT_SETTINGS.falcoVersion, '0.44');
  assert.equal(LATEST_FALCO, '0.44');
  assert.deepEqual(FALCO_TARGETS, ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44']);
  assert.equal(normalizeSettings({}).falcoVersion, '0.44');
  assert.equal(normalizeSettings({ falcoVersion: '0.41' }).falcoVersion, '0.41');
  assert.equal(normalizeSettings({ falcoVersion: ' 0.37 ' }).falcoVersion, '0.37');
  assert.equal(normalizeSettings({ falcoVersion: '0.40.3' }).falcoVersion, '0.40');
  for (const wrong of ['0.36', '0.45', '1.0', '0.4', 'latest', '', 0.41, null, ['0.41'], { v: 1 }]) {
    assert.equal(normalizeSettings({ falcoVersion: wrong }).falcoVersion, '0.44', `${JSON.stringify(wrong)}`);
  }
  assert.equal(parseFalcoTarget('0.42'), '0.42');
  assert.equal(parseFalcoTarget('v0.42'), undefined);
});

test('the engine table: one row per target, engines increasing, 0.57.0 (the official rules) first in Falco 0.42', () => {
  assert.deepEqual(FALCO_RELEASES.map((r) => r.falco), FALCO_TARGETS);
  assert.deepEqual(FALCO_RELEASES.map((r) => r.engine), ['0.31.0', '0.40.0', '0.43.0', '0.46.0', '0.50.0', '0.57.0', '0.58.0', '0.62.0']);
});

/** Each construct with the release that added it (libs parser.cpp at the tag each Falco bundles). */
const SYNTAX_GATES: { release: string; condition: string; covers: string }[] = [
  { release: '0.38', condition: 'proc.name iglob "bash*"', covers: 'iglob' },
  { release: '0.38', condition: 'tolower(proc.name) = bash', covers: 'tolower' },
  { release: '0.38', condition: 'toupper(proc.name) = BASH', covers: 'toupper' },
  { release: '0.38', condition: 'b64(proc.name) = bash', covers: 'b64' },
  { release: '0.38', condition: 'proc.name = val(proc.pname)', covers: 'val' },
  { release: '0.39', condition: 'proc.name regex "ba.*"', covers: 'regex' },
  { release: '0.39', condition: 'basename(proc.exepath) = bash', covers: 'basename' },
  { release: '0.40', condition: 'len(proc.name) > 3', covers: 'len' },
  { release: '0.44', condition: 'proc.name startswith oneof (ba, zs)', covers: 'oneof' },
  { release: '0.44', condition: 'proc.name endswith anyof (sh, zsh)', covers: 'anyof' },
  { release: '0.44', condition: 'proc.cmdline contains allof (a, b)', covers: 'allof' },
  { release: '0.44', condition: 'join(",", proc.args) = x', covers: 'join' },
  { release: '0.44', condition: 'concat(proc.name, proc.pname) = x', covers: 'concat' },
  { release: '0.44', condition: 'getopt(proc.args, "t:")[t] = x', covers: 'getopt' },
];

test('operators, modifiers, transformers and val(): rejected by the release before the one that added them, accepted from it', () => {
  for (const gate of SYNTAX_GATES) {
    const text = rule(`evt.type = execve and ${gate.condition}`);
    assert.deepEqual(targetFindings(text, previous(gate.release)), [`condition-syntax ${gate.covers}`], `${gate.condition} at ${previous(gate.release)}`);
    assert.deepEqual(targetFindings(text, gate.release), [], `${gate.condition} at ${gate.release}`);
    assert.deepEqual(targetFindings(text), [], `${gate.condition} at the default`);
  }
  const message = messageOf(diagnose(rule('evt.type = execve and proc.name iglob "bash*"'), '0.37').find((d) => d.code === 'condition-syntax')!);
  assert.equal(message, "Operator 'iglob' was added in Falco 0.38: the condition parser of Falco 0.37 does not know it. (LOAD_ERR_COMPILE_CONDITION)");
  // bcontains and bstartswith are as old as the oldest target.
  assert.deepEqual(targetFindings(rule('evt.type = read and evt.buffer bcontains 2f62696e'), '0.37'), []);
});

test('fields: a field newer than the target is unknown to it (condition, output, exception), at its boundary', () => {
  const text = rule('evt.type = open and fd.is_upper_layer = true', '');
  assert.deepEqual(targetFindings(text, '0.38'), ['unknown-field fd.is_upper_layer']);
  assert.deepEqual(targetFindings(text, '0.39'), []);
  const error = diagnose(text, '0.38').find((d) => d.code === 'unknown-field')!;
  assert.equal(error.severity, 1);
  assert.equal(messageOf(error), "'fd.is_upper_layer' is not a supported filter field in Falco 0.38: it was added in Falco 0.39. (LOAD_ERR_COMPILE_CONDITION)");

  const output = `- rule: Target check
  desc: d
  condition: evt.type = execve
  output: o (pgid=%proc.pgid)
  priority: WARNING
`;
  assert.deepEqual(targetFindings(output, '0.39'), ['unknown-field proc.pgid']);
  assert.match(messageOf(diagnose(output, '0.39').find((d) => d.code === 'unknown-field')!), /supported output field in Falco 0\.39: it was added in Falco 0\.40\. \(LOAD_ERR_COMPILE_OUTPUT\)$/);
  assert.deepEqual(targetFindings(output, '0.40'), []);
  const transformed = output.replace('%proc.pgid', '%basename(proc.exepath) len=%len(proc.args)');
  assert.deepEqual(targetFindings(transformed, '0.38'), ['output-syntax basename', 'output-syntax len']);
  assert.deepEqual(targetFindings(transformed, '0.39'), ['output-syntax len']);
  assert.match(messageOf(diagnose(transformed, '0.39').find((d) => d.code === 'output-syntax')!), /^Transformer 'len\(\)' was added in Falco 0\.40: the output formatter of Falco 0\.39 does not know it\. \(LOAD_ERR_COMPILE_OUTPUT\)$/);
  assert.deepEqual(targetFindings(transformed, '0.40'), []);

  const exception = rule('evt.type = execve', `  exceptions:
    - name: groups
      fields: [proc.pgid, tolower(proc.name)]
      comps: [=, iglob]
      values: [[1, bash]]
`);
  // The collector refuses an operator its libs do not have as the rule is read (rule_loader_collector.cpp
  // is_operator_defined), before any condition is parsed.
  assert.deepEqual(targetFindings(exception, '0.37'), ['unknown-field proc.pgid', 'condition-syntax tolower', 'exception-comps iglob']);
  assert.equal(messageOf(diagnose(exception, '0.37').find((d) => d.code === 'exception-comps')!), "'iglob' is not a supported comparison operator at Falco 0.37: operator 'iglob' was added in Falco 0.38. (LOAD_ERR_VALIDATE)");
  assert.deepEqual(targetFindings(exception, '0.39'), ['unknown-field proc.pgid']);
  assert.deepEqual(targetFindings(exception, '0.40'), []);
});

test('fields: skip-if-unknown-filter makes a too-new field a warning (the rule is skipped), as Falco does', () => {
  const text = rule('evt.type = open and fd.is_upper_layer = true', '  skip-if-unknown-filter: true\n');
  const d = diagnose(text, '0.38').find((x) => x.code === 'unknown-field')!;
  assert.equal(d.severity, 2);
  assert.match(messageOf(d), /skipped because of skip-if-unknown-filter\. \(LOAD_UNKNOWN_FILTER\)$/);
});

test('macros and appended conditions are checked too, at their own positions', () => {
  const text = `- macro: upper
  condition: fd.is_upper_layer = true
- rule: Target check
  desc: d
  condition: evt.type = open and upper
  output: o
  priority: WARNING
- rule: Target check
  condition: and proc.name iglob "x*"
  override:
    condition: append
`;
  assert.deepEqual(targetFindings(text, '0.37'), ['unknown-field fd.is_upper_layer', 'condition-syntax iglob']);
});

test('required_engine_version: above the target engine is an error (LOAD_ERR_VALIDATE), at each boundary', () => {
  const official = '- required_engine_version: 0.57.0\n';
  assert.deepEqual(targetFindings(official, '0.41'), ['invalid-engine-version 0.57.0']);
  assert.deepEqual(targetFindings(official, '0.42'), []);
  assert.deepEqual(targetFindings(official), []);
  assert.equal(messageOf(diagnose(official, '0.41')[0]),
    'Rules require engine version 0.57.0, but engine version is 0.50.0: Falco 0.41 cannot load this file (engine 0.57.0 is Falco 0.42 or later). (LOAD_ERR_VALIDATE)');
  assert.equal(diagnose(official, '0.41')[0].severity, 1);
  for (const r of FALCO_RELEASES.slice(1)) {
    const text = `- required_engine_version: ${r.engine}\n`;
    assert.deepEqual(targetFindings(text, previous(r.falco)), [`invalid-engine-version ${r.engine}`], `${r.engine} at ${previous(r.falco)}`);
    assert.deepEqual(targetFindings(text, r.falco), [], `${r.engine} at ${r.falco}`);
  }
  // The legacy integer form N means 0.N.0.
  assert.deepEqual(targetFindings('- required_engine_version: 50\n', '0.40'), ['invalid-engine-version 50']);
  assert.deepEqual(targetFindings('- required_engine_version: 50\n', '0.41'), []);
  // Newer than every release, or another major version: Falco 0.44 rejects it too, so the default reports it.
  assert.match(messageOf(diagnose('- required_engine_version: 0.63.0\n')[0]), /engine version is 0\.62\.0: Falco 0\.44 cannot load this file \(engine 0\.63\.0 is no Falco release up to 0\.44\)/);
  assert.deepEqual(targetFindings('- required_engine_version: 1.0.0\n'), ['invalid-engine-version 1.0.0']);
  // An invalid value keeps its own error only.
  assert.deepEqual(targetFindings("- required_engine_version: '0.57'\n", '0.37'), []);
});

test('the default target (0.44, or a host without the setting) finds nothing in the examples, and equals an explicit 0.44', () => {
  const all = SYNTAX_GATES.map((g) => `  - rule: R ${g.covers}\n    desc: d\n    condition: evt.type = execve and ${g.condition}\n    output: o\n    priority: WARNING\n`.replace(/^  /gm, '')).join('');
  const host = new MemoryHost({ [FILE]: all }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion: undefined as unknown as string };
  assert.deepEqual(diagnose(all, undefined, host), diagnose(all, '0.44'));
  assert.deepEqual(targetFindings(all), []);
  for (const dir of ['examples']) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      assert.deepEqual(targetFindings(text), [], name);
    }
  }
});

test('changing the target on a live service re-checks the unchanged items (the item-check cache keys on it)', () => {
  const source = rule('evt.type = execve and len(proc.name) > 3');
  const host = new MemoryHost({ [FILE]: source }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const doc = rulesDoc(FILE, source);
  svc.didOpenOrChange?.(doc);
  const len = () => svc.diagnostics(doc).filter((d) => /added in Falco/.test(messageOf(d))).length;
  assert.equal(len(), 0);
  host.config = { ...host.config, falcoVersion: '0.39' };
  assert.equal(len(), 1);
  host.config = { ...host.config, falcoVersion: '0.40' };
  assert.equal(len(), 0);
  host.config = { ...host.config, falcoVersion: '0.39' };
  assert.equal(len(), 1);
});

/** Every finding: `code covered-text`. */
function findings(source: string, falcoVersion?: string): string[] {
  const doc = rulesDoc(FILE, source);
  return diagnose(source, falcoVersion).map((d) => `${d.code} ${source.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}`);
}

test('deprecations: not reported at a target older than the release that deprecated them, reported from it', () => {
  // %container.info: Falco 0.41 warns (rule_loader_compiler.cpp); up to 0.40 the loader replaced it silently.
  const info = rule('evt.type = execve', '').replace('output: o (proc=%proc.name)', 'output: o %container.info');
  assert.deepEqual(findings(info, '0.40'), []);
  assert.deepEqual(findings(info, '0.41'), ['deprecated-container-info %container.info']);
  assert.deepEqual(findings(info), ['deprecated-container-info %container.info']);
  // evt.dir: Falco 0.42 (falco_load_result.h deprecated_field), in conditions and outputs.
  const dir = rule('evt.type = execve and evt.dir = <').replace('(proc=%proc.name)', '(dir=%evt.dir)');
  assert.deepEqual(findings(dir, '0.41'), []);
  assert.deepEqual(findings(dir, '0.42'), ['deprecated-field evt.dir', 'deprecated-field evt.dir']);
  assert.deepEqual(findings(dir), ['deprecated-field evt.dir', 'deprecated-field evt.dir']);
  // The latency fields: Falco 0.43.
  const latency = rule('evt.type = read and evt.latency > 1000 and evt.wait_latency > 0').replace('(proc=%proc.name)', '(lat=%evt.latency.human)');
  assert.deepEqual(findings(latency, '0.42'), []);
  assert.deepEqual(findings(latency, '0.43'), ['deprecated-field evt.latency', 'deprecated-field evt.wait_latency', 'deprecated-field evt.latency.human']);
  // `append: true` and a standalone `enabled`: deprecated with `override:` in 0.37, so every target warns.
  const legacy = `${rule('evt.type = execve')}- rule: Target check\n  enabled: false\n- rule: Target check\n  condition: and proc.name = x\n  append: true\n`;
  for (const target of [...FALCO_TARGETS, undefined]) {
    assert.deepEqual(findings(legacy, target), ['deprecated-enabled enabled', 'deprecated-append append'], String(target));
  }
});

test('deprecations: the catalog says which release deprecated each deprecated field', async () => {
  const { allFields } = await import('../../server/src/knowledge');
  const deprecated = allFields().filter((f) => f.deprecated !== undefined);
  assert.ok(deprecated.length >= 8);
  for (const f of deprecated) assert.ok(f.deprecatedSince && FALCO_TARGETS.includes(f.deprecatedSince.split('.').slice(0, 2).join('.')), f.name);
  for (const f of allFields()) if (f.deprecatedSince) assert.ok(f.deprecated, f.name);
});

test('fields removed since an older release: known at the targets that have them, unknown after', () => {
  // syslog.*: libs up to 0.20.0 (Falco 0.40); mesos/marathon and tracer span fields: libs up to 0.21.0 (Falco 0.41).
  const syslog = rule('evt.type = execve and syslog.message contains x').replace('(proc=%proc.name)', '(sev=%syslog.severity.str)');
  assert.deepEqual(findings(syslog, '0.37'), []);
  assert.deepEqual(findings(syslog, '0.40'), []);
  assert.deepEqual(findings(syslog, '0.41'), ['unknown-field syslog.message', 'unknown-field syslog.severity.str']);
  assert.deepEqual(findings(syslog), ['unknown-field syslog.message', 'unknown-field syslog.severity.str']);
  const spans = rule('evt.type = execve and mesos.task.name = a and marathon.app.label.team = b and span.tag[1] = y').replace('(proc=%proc.name)', '(span=%evtin.span.p.id)');
  assert.deepEqual(findings(spans, '0.41'), []);
  assert.deepEqual(findings(spans, '0.42'), ['unknown-field mesos.task.name', 'unknown-field marathon.app.label.team', 'unknown-field span.tag', 'unknown-field evtin.span.p.id']);
  // In a macro too; but not for a rule of another source (they were syscall fields).
  assert.deepEqual(findings('- macro: m\n  condition: syslog.facility = 3\n', '0.40').filter((f) => f.startsWith('unknown')), []);
  const other = `- rule: Audit\n  desc: d\n  condition: syslog.message = x\n  output: o\n  priority: WARNING\n  source: k8s_audit\n`;
  assert.deepEqual(findings(other, '0.40').filter((f) => f.startsWith('unknown')), ['unknown-field-class syslog.message']);
  // A skip-if-unknown-filter rule is not skipped either.
  assert.deepEqual(findings(rule('evt.type = execve and span.id = 1', '  skip-if-unknown-filter: true\n'), '0.41'), []);
});

test("libsinsp's compile warnings: from Falco 0.38 (regex: 0.39), and only for a field or transformer the target has", () => {
  const text = (condition: string) => rule(`evt.type = execve and ${condition}`);
  const warnings = (condition: string, target?: string) => findings(text(condition), target).filter((f) => /field-as-value|transformer-as-value|regex-simpler/.test(f));
  assert.deepEqual(warnings('proc.name = proc.pname', '0.37'), []);
  assert.deepEqual(warnings('proc.name = proc.pname', '0.38'), ['field-as-value proc.pname']);
  assert.deepEqual(warnings('proc.name = proc.pname'), ['field-as-value proc.pname']);
  // A field the target lacks is no field to its libsinsp.
  assert.deepEqual(warnings('proc.name = fd.is_upper_layer', '0.38'), []);
  assert.deepEqual(warnings('proc.name = fd.is_upper_layer', '0.39'), ['field-as-value fd.is_upper_layer']);
  assert.deepEqual(warnings('proc.name = "tolower(proc.pname)"', '0.37'), []);
  assert.deepEqual(warnings('proc.name = "tolower(proc.pname)"', '0.38'), ['transformer-as-value "tolower(proc.pname)"']);
  assert.deepEqual(warnings('proc.name = "basename(proc.exepath)"', '0.38'), []);
  assert.deepEqual(warnings('proc.name = "basename(proc.exepath)"', '0.39'), ['transformer-as-value "basename(proc.exepath)"']);
  // The regex operator and its warning come together in 0.39; before, the operator alone is reported.
  assert.deepEqual(findings(text('proc.name regex "bash"'), '0.38'), ['condition-syntax regex']);
  assert.deepEqual(warnings('proc.name regex "bash"', '0.39'), ['regex-simpler-operator "bash"']);
});

test('exception warnings of Falco 0.38 (no values appended, a name twice): not at 0.37', () => {
  const base = `${rule('evt.type = execve', `  exceptions:
    - name: known
      fields: [proc.pname]
      values: [[a]]
`)}- rule: Target check
  exceptions:
    - name: known
    - name: twice
      fields: [proc.name]
      values: [[a]]
    - name: twice
      fields: [proc.name]
      values: [[b]]
  override:
    exceptions: append
`;
  const warnings = (target?: string) => findings(base, target).filter((f) => /append-no-values|exception-name-not-unique/.test(f));
  assert.deepEqual(warnings('0.37'), []);
  assert.deepEqual(warnings('0.38'), ['exception-name-not-unique twice', 'append-no-values known']);
  assert.deepEqual(warnings(), ['exception-name-not-unique twice', 'append-no-values known']);
});

test('rule keys of a later release (capture, capture_duration: Falco 0.42): ignored by an older target, and not replaceable there', () => {
  const text = rule('evt.type = execve', '  capture: true\n  capture_duration: 5000\n');
  assert.deepEqual(findings(text, '0.41'), ['unknown-key capture', 'unknown-key capture_duration']);
  const d = diagnose(text, '0.41').find((x) => x.code === 'unknown-key')!;
  assert.equal(d.severity, 2);
  assert.equal(messageOf(d), 'Key \'capture\' was added in Falco 0.42: Falco 0.41 ignores it, whatever its value, and its rules schema, which has no such key, fails: it logs "schema validation: failed" for this file.');
  assert.deepEqual(findings(text, '0.42'), []);
  assert.deepEqual(findings(text), []);
  const override = `${text}- rule: Target check\n  capture: false\n  override:\n    capture: replace\n`;
  assert.deepEqual(findings(override, '0.41'), ['unknown-key capture', 'unknown-key capture_duration', 'unknown-key capture', 'cannot-replace capture']);
  assert.match(messageOf(diagnose(override, '0.41').find((x) => x.code === 'cannot-replace')!), /^Key 'capture' cannot be replaced in Falco 0\.41: it was added in Falco 0\.42\. \(LOAD_ERR_YAML_VALIDATE\)$/);
  assert.deepEqual(findings(override, '0.42'), []);
});

test('a key named like an Object property is no crash and no finding at an older target', () => {
  const text = rule('evt.type = execve', '  constructor: x\n  toString: y\n  override:\n    constructor: replace\n');
  assert.doesNotThrow(() => diagnose(text, '0.37'));
  assert.deepEqual(targetFindings(text, '0.37'), []);
});

test('an unknown key is reported at every target, named LOAD_UNKNOWN_KEY only from Falco 0.44 (warn_unknown_keys)', () => {
  const text = rule('evt.type = execve', '  priorty: WARNING\n');
  const message = (target?: string) => messageOf(diagnose(text, target).find((d) => d.code === 'unknown-key')!);
  assert.equal(message('0.43'), "Unknown key 'priorty' in a rule; it will be ignored. The rule has 'priority' already.");
  assert.equal(message('0.37'), "Unknown key 'priorty' in a rule; it will be ignored. The rule has 'priority' already.");
  assert.equal(message('0.44'), "Unknown key 'priorty' in a rule; it will be ignored. The rule has 'priority' already. (LOAD_UNKNOWN_KEY)");
  assert.equal(message(), message('0.44'));
  assert.equal(diagnose(text, '0.43').find((d) => d.code === 'unknown-key')!.severity, 2);
});

test('removed fields at a target that has them: their argument and operators are checked as libsinsp did', () => {
  const at = (condition: string, target: string, output = 'o') => findings(rule(`evt.type = execve and ${condition}`).replace('output: o (proc=%proc.name)', `output: ${output}`), target);
  // syslog.facility is UINT32: no string operators.
  assert.deepEqual(at('syslog.facility contains 3', '0.40'), ['operator-type contains']);
  assert.match(messageOf(diagnose(rule('evt.type = execve and syslog.facility contains 3'), '0.40').find((d) => d.code === 'operator-type')!),
    /^Operator 'contains' cannot be used with 'syslog\.facility': 'contains' is not supported for numeric fields \(type UINT32\)\./);
  assert.deepEqual(at('syslog.facility = 3 and syslog.message contains x', '0.40'), []);
  // EPF_ARG_REQUIRED, read as each check reads it (tracer: [N], or .name but for span.tag/span.idtag; mesos: .name),
  // and an argument where none is taken.
  assert.deepEqual(at('span.tag = x', '0.41'), ['field-argument span.tag']);
  assert.deepEqual(at('mesos.task.label = x', '0.41'), ['field-argument mesos.task.label']);
  assert.deepEqual(at('span.tag[0] = x and mesos.task.label.team = a and span.arg.user = b and span.arg[2] = c and evtin.span.p.tag[1] = d', '0.41'), []);
  assert.deepEqual(at('span.tag[x] = a and span.tag.x = b and mesos.task.label[team] = c', '0.41'), ['field-argument x', 'field-argument span.tag.x', 'field-argument team']);
  assert.equal(messageOf(diagnose(rule('evt.type = execve and mesos.task.label[team] = c'), '0.41').find((d) => d.code === 'field-argument')!),
    "Field 'mesos.task.label' takes its argument after a dot (mesos.task.label.name), not in brackets (Falco 0.41). (LOAD_ERR_COMPILE_CONDITION)");
  assert.deepEqual(at('syslog.message[1] = x', '0.40'), ['field-argument 1']);
  assert.deepEqual(at('span.id = 1', '0.41', 'o %span.tag'), ['field-argument span.tag']);
  // After the release that removed them, they are unknown fields, nothing more.
  assert.deepEqual(at('syslog.facility contains 3', '0.41'), ['unknown-field syslog.facility']);
  assert.deepEqual(at('span.tag = x', '0.42'), ['unknown-field span.tag']);
});

test('evt.type names of later event tables: unknown to an older target, at each boundary', () => {
  const gates: [string, string][] = [['statmount', '0.38'], ['mseal', '0.39'], ['setxattrat', '0.40'], ['open_tree_attr', '0.41'], ['file_getattr', '0.42'], ['listns', '0.44']];
  for (const [name, release] of gates) {
    const text = rule(`evt.type in (openat, ${name}) and proc.name = x`);
    assert.deepEqual(findings(text, previous(release)), [`unknown-evttype ${name}`], `${name} at ${previous(release)}`);
    assert.deepEqual(findings(text, release), [], `${name} at ${release}`);
    assert.deepEqual(findings(text), [], `${name} at the default`);
  }
  const d = diagnose(rule('evt.type = listns'), '0.43').find((x) => x.code === 'unknown-evttype')!;
  assert.equal(messageOf(d), 'Event type \'listns\' was added in Falco 0.44: the event table of Falco 0.43 does not have it, so Falco 0.43 rejects the condition ("unknown event type listns") unless a loaded plugin defines an event of that name. (LOAD_ERR_COMPILE_CONDITION)');
  assert.deepEqual(findings('- macro: m\n  condition: evt.type = "statmount"\n', '0.37').filter((f) => f.startsWith('unknown-evttype')), ['unknown-evttype "statmount"']);
  // Other fields and operators are not event names.
  assert.deepEqual(findings(rule('evt.type = openat and proc.name = listns and evt.type startswith listns'), '0.37'), []);
});
