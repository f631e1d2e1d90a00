// Field arguments across Falco releases (falcoLens.falcoVersion). Between the libs of Falco 0.37 (0.14.2) and 0.44
// (0.25.2) two argument forms changed: proc.args took an index from libs 0.21.0 (Falco 0.41; FieldArgument.since, held
// to the field tables by knowledge-field-tables), and the k8s.*.label fields, read by libsinsp's k8s check up to Falco
// 0.40, took the label after a dot as well as in brackets, while the container plugin's fields of 0.41 on take
// brackets only (FieldArgument.dotFormUntil). An older target reports what its loader refuses, at the argument, and
// does not report what it reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createRulesService } from '../../server/src/service/rules';
import { allFields, lookupField } from '../../server/src/knowledge';
import { applyEdits, editsFor, findingsAt, MemoryHost, rulesDoc } from './rules-host';
import { hoverMarkdownAt } from './rules-nav-helpers';

const FILE = '/ws/rules/proc_args_rules.yaml';

/** `severity code covered-text: message` of every finding. */
const findings = (source: string, falcoVersion: string): string[] => findingsAt(FILE, source, falcoVersion);

// A rules file as users write them for the official syscall rules: a list and a macro used by a rule with exceptions.
const PROC_ARGS_RULES = `- required_engine_version: 0.31.0

- list: db_dump_binaries
  items: [mysqldump, pg_dump, mongodump]

- macro: dump_to_stdout
  condition: (proc.args[1] = "-" or proc.args[2] = "--stdout")

- rule: Database Dump Written To Stdout
  desc: A database dump binary writes its dump to standard output, as an exfiltration pipe would.
  condition: >
    spawned_process and proc.name in (db_dump_binaries)
    and dump_to_stdout
  output: Database dump to stdout (user=%user.name first_arg=%proc.args[0] command=%proc.cmdline container_id=%container.id)
  priority: WARNING
  exceptions:
    - name: backup_jobs
      fields:
        - proc.pname
        - proc.args[0]
      comps: [=, =]
      values:
        - [backup.sh, --all-databases]
  tags: [host, container, mitre_exfiltration]

- macro: spawned_process
  condition: (evt.type in (execve, execveat))
`;

test('the catalog records the argument forms that changed between Falco 0.37 and 0.44, and nothing else', () => {
  const since = allFields().filter((f) => f.arg?.since).map((f) => `${f.name} ${f.arg!.since}`);
  assert.deepEqual(since, ['proc.args 0.41.0']);
  const dot = allFields().filter((f) => f.arg?.dotFormUntil).map((f) => `${f.name} ${f.arg!.dotFormUntil}`).sort();
  assert.deepEqual(dot, ['k8s.deployment.label', 'k8s.ns.label', 'k8s.pod.label', 'k8s.rc.label', 'k8s.rs.label', 'k8s.svc.label'].map((n) => `${n} 0.40`));
  // The dot form is not the catalog's (0.44) reading: lookupField refuses it (the hovers below name the field).
  assert.equal(lookupField('k8s.pod.label.app.kubernetes.io/name'), undefined);
});

test('proc.args[N] at Falco 0.40: the condition, a macro and an exception field fail to load, the output prints the text; at the argument', () => {
  const at40 = findings(PROC_ARGS_RULES, '0.40');
  assert.deepEqual(at40.filter((f) => f.includes('field-argument')), [
    "1 field-argument 1: The argument of 'proc.args' was added in Falco 0.41: Falco 0.40 reads 'proc.args[1]' as a nonexistent field. (LOAD_ERR_COMPILE_CONDITION)",
    "1 field-argument 2: The argument of 'proc.args' was added in Falco 0.41: Falco 0.40 reads 'proc.args[2]' as a nonexistent field. (LOAD_ERR_COMPILE_CONDITION)",
    "2 field-argument 0: The argument of 'proc.args' was added in Falco 0.41: in an output Falco 0.40 prints %proc.args followed by the text '[0]'.",
    "1 field-argument 0: The argument of 'proc.args' was added in Falco 0.41: Falco 0.40 reads 'proc.args[0]' as a nonexistent field. Exception fields are checked as the rule is read: the file fails to load. (LOAD_ERR_VALIDATE)",
  ]);
  // The oldest target says the same; the release that added the argument, and every later one, says nothing of it.
  assert.deepEqual(findings(PROC_ARGS_RULES, '0.37').filter((f) => f.includes('field-argument')), at40.map((f) => f.replace(/Falco 0\.40/g, 'Falco 0.37')));
  for (const target of ['0.41', '0.42', '0.44']) assert.deepEqual(findings(PROC_ARGS_RULES, target).filter((f) => f.includes('field-argument')), [], target);
});

test('proc.args[N] at Falco 0.40 with skip-if-unknown-filter: a warning (the rule is skipped), but an exception field still fails', () => {
  const source = PROC_ARGS_RULES.replace('  tags: [host, container, mitre_exfiltration]\n', '  skip-if-unknown-filter: true\n  tags: [host, container, mitre_exfiltration]\n')
    .replace('    and dump_to_stdout\n', '    and dump_to_stdout and proc.args[3] = "--single-transaction"\n');
  const args = findings(source, '0.40').filter((f) => f.includes('field-argument') && !f.includes('dump_to_stdout'));
  // The macro dump_to_stdout comes before proc.args[3] in the condition: Falco skips the rule at its proc.args[1] (session 17).
  assert.ok(findings(source, '0.40').includes("3 field-argument 3: The argument of 'proc.args' was added in Falco 0.41: Falco 0.40 reads 'proc.args[3]' as a nonexistent field. Falco does not check this: under skip-if-unknown-filter it skips the rule at proc.args[1] (line 7, in macro 'dump_to_stdout'), earlier in the condition, and warns once."));
  assert.deepEqual(args.filter((f) => !f.startsWith('1 field-argument 1:') && !f.startsWith('1 field-argument 2:')), [
    "2 field-argument 0: The argument of 'proc.args' was added in Falco 0.41: in an output Falco 0.40 prints %proc.args followed by the text '[0]'.",
    // The collector checks exception fields before anything compiles: skip-if-unknown-filter does not cover them.
    "1 field-argument 0: The argument of 'proc.args' was added in Falco 0.41: Falco 0.40 reads 'proc.args[0]' as a nonexistent field. Exception fields are checked as the rule is read: the file fails to load. (LOAD_ERR_VALIDATE)",
  ]);
});

test('an argument on a field newer than the target is the field\'s finding only (proc.aargs came with the proc.args index)', () => {
  const source = PROC_ARGS_RULES.replace('(proc.args[1] = "-"', '(proc.aargs[1] = "-"');
  const at40 = findings(source, '0.40');
  assert.ok(at40.some((f) => f.startsWith("1 unknown-field proc.aargs: 'proc.aargs' is not a supported filter field in Falco 0.40: it was added in Falco 0.41.")), at40.join('\n'));
  assert.ok(!at40.some((f) => f.includes("argument of 'proc.aargs'")), at40.join('\n'));
});

// A rule on Kubernetes pod labels, as rules written for Falco 0.40 and older read them (libsinsp's k8s check).
const LABEL_RULES = `- rule: Shell In Payments Pod
  desc: A shell starts in a pod labelled as part of the payments team.
  condition: >
    evt.type in (execve, execveat) and proc.name in (bash, sh)
    and k8s.pod.label.team = payments and k8s.ns.label[environment] = production
  output: Shell in payments pod (pod=%k8s.pod.name app=%k8s.pod.label.app.kubernetes.io/name command=%proc.cmdline)
  priority: NOTICE
  exceptions:
    - name: debug_pods
      fields: k8s.pod.label.debug
      comps: in
      values: ["true"]
`;

test('k8s.pod.label.<name>: read by Falco 0.37 to 0.40 (condition, exception, output), refused from 0.41', () => {
  for (const target of ['0.37', '0.40']) {
    assert.deepEqual(findings(LABEL_RULES, target).filter((f) => /k8s\.(pod|ns)\.label/.test(f)), [], target);
  }
  const at41 = findings(LABEL_RULES, '0.41').filter((f) => /k8s\.(pod|ns)\.label/.test(f)).map((f) => f.split(':')[0]);
  // The container plugin's check reads k8s.pod.label and throws for the missing argument: no nonexistent field.
  assert.deepEqual(at41, ['1 field-argument k8s.pod.label', '1 field-argument k8s.pod.label', '1 field-argument k8s.pod.label']);
  assert.deepEqual(findings(LABEL_RULES, '0.44').filter((f) => /k8s\.(pod|ns)\.label/.test(f)).map((f) => f.split(':')[0]), at41);
});

test('k8s.pod.label.<name> in a rule of another source stays unknown at 0.40: the k8s check was a syscall-source check', () => {
  const source = `- rule: Audit Label
  desc: d
  condition: ka.verb = create and k8s.pod.label.team = payments
  output: o (user=%ka.user.name)
  priority: NOTICE
  source: k8s_audit
`;
  assert.ok(findings(source, '0.40').some((f) => f.startsWith('1 unknown-field k8s.pod.label.team')));
});

const hoverAt = hoverMarkdownAt;

test('k8s.pod.label.<name> from Falco 0.41 is a missing argument, which skip-if-unknown-filter does not skip', () => {
  const source = `- rule: Payments Shell
  desc: d
  condition: evt.type = execve and k8s.pod.label.team = payments
  output: o (pod=%k8s.pod.name)
  priority: NOTICE
  skip-if-unknown-filter: true
  exceptions:
    - name: debug
      fields: k8s.pod.label.debug
      comps: in
      values: ["true"]
`;
  const at44 = findings(source, '0.44').filter((f) => f.includes('k8s.pod.label'));
  assert.equal(at44.length, 2, at44.join('\n'));
  assert.match(at44[0], /^1 field-argument k8s\.pod\.label: Field 'k8s\.pod\.label' needs an argument in brackets, e\.g\. k8s\.pod\.label\[app\.kubernetes\.io\/name\]: Falco reads 'k8s\.pod\.label\.team' as 'k8s\.pod\.label' without one and rejects it \(skip-if-unknown-filter does not skip this\)\. \(LOAD_ERR_COMPILE_CONDITION\)$/);
  assert.match(at44[1], /^1 field-argument k8s\.pod\.label: .*\(LOAD_ERR_VALIDATE\)$/);
  assert.deepEqual(findings(source, '0.40').filter((f) => f.includes('k8s.pod.label')), []);
  // The condition's finding offers the bracket form; once applied, the condition has no finding left.
  const host = new MemoryHost({ [FILE]: source }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const doc = rulesDoc(FILE, source);
  const finding = svc.diagnostics(doc).find((d) => d.code === 'field-argument' && d.range.start.line === 2)!;
  const actions = svc.codeActions!(doc, finding.range, { diagnostics: [finding] });
  assert.equal(actions[0].title, "Write the argument in brackets: 'k8s.pod.label[team]'");
  const fixed = applyEdits(source, editsFor(actions[0].edit, doc.uri));
  assert.match(fixed, /condition: evt\.type = execve and k8s\.pod\.label\[team\] = payments\n/);
  assert.deepEqual(findings(fixed, '0.44').filter((f) => f.includes('k8s.pod.label')).map((f) => f.split(':')[0]), ['1 field-argument k8s.pod.label']);
});

test('hovers: the release that added the proc.args index, and what an older target does with it', () => {
  const marked = '- macro: m\n  condition: proc.ar<|>gs[1] = "-"\n';
  const at44 = hoverAt(marked, '0.44');
  assert.match(at44, /- Argument: optional, a number, e\.g\. `proc\.args\[0\]`; since Falco 0\.41\n- Argument here: `1`/);
  assert.doesNotMatch(at44, /Not in Falco/);
  const at40 = hoverAt(marked, '0.40');
  assert.match(at40, /\*\*Not in Falco 0\.40\*\* \(the target release\): the argument was added in Falco 0\.41; Falco 0\.40 reads `proc\.args\[1\]` as a nonexistent field\./);
  assert.doesNotMatch(hoverAt('- macro: m\n  condition: proc.ar<|>gs = "-"\n', '0.40'), /Not in Falco/);
});

test('hovers: k8s.pod.label in the dot form is the field at every target, readable up to 0.40', () => {
  const marked = '- macro: m\n  condition: k8s.pod.lab<|>el.team = payments\n';
  const at40 = hoverAt(marked, '0.40');
  assert.match(at40, /^\*\*Field\*\* `k8s\.pod\.label`/);
  assert.match(at40, /Falco 0\.40 \(the target release\) reads the dot form; from Falco 0\.41 on only `k8s\.pod\.label\[team\]` works\./);
  assert.match(at40, /- Argument: required, a name, e\.g\. `k8s\.pod\.label\[app\.kubernetes\.io\/name\]` \(up to Falco 0\.40 the dot form `k8s\.pod\.label\.name` works too\)\n- Argument here: `team`/);
  const at44 = hoverAt(marked, '0.44');
  assert.match(at44, /\*\*Not in Falco 0\.44\*\* \(the target release\) in the dot form: Falco 0\.40 and older read it, later releases take the argument in brackets only: `k8s\.pod\.label\[team\]`\./);
});

// The 2022 libsinsp of Debian's sysdig predates both changes; the code paths involved are the same up to libs 0.20.0
// (Falco 0.40): proc.args has no argument parse, so `proc.args[0]` matches a prefix only, and the k8s check reads a
// label after a dot (brackets came with libs 0.14).
const oracle = path.join(process.cwd(), '..', 'shared', 'tools', 'filter-oracle');
const sysdig = spawnSync('sh', ['-c', 'command -v sysdig'], { encoding: 'utf8' }).status === 0;
test('filter-oracle: an older libsinsp refuses proc.args[0] and reads k8s.pod.label.team', { skip: !existsSync(oracle) ? 'filter-oracle absent' : !sysdig && 'sysdig absent' }, () => {
  const verdict = (condition: string) => spawnSync(oracle, [condition], { encoding: 'utf8' }).stdout.trim();
  assert.match(verdict('proc.args[0] = x'), /^error \d+ unrecognized field proc\.args\[0\]/);
  assert.equal(verdict('proc.args = x'), 'ok');
  assert.equal(verdict('k8s.pod.label.team = payments'), 'ok');
});
