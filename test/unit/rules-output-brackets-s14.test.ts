// Output brackets that Falco 0.44's filter parser does not read as the field's argument (a blank, a quote, a ']' past
// the next '%'), as each release's formatter reads them, and fields of another source in a condition. Falco 0.37-0.43
// hand the rest of the output to the field's own check, which reads on to the first ']': proc.env up to it whatever it
// holds, proc.aname only a number (0.37-0.42 read nothing otherwise), libsinsp's k8s check up to Falco 0.40, a plugin's
// check only its word up to a space.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';
import { hoverMarkdownAt } from './rules-nav-helpers';

const FILE = '/ws/rules/output_brackets_rules.yaml';
const findings = (source: string, falcoVersion: string): string[] => findingsAt(FILE, source, falcoVersion);

/** A rule as users write them, with the given output (and skip-if-unknown-filter, source, condition, exceptions). */
function rule(output: string, options: { skip?: boolean; source?: string; condition?: string; exceptions?: string } = {}): string {
  return `- rule: Shell In Payments Pod
  desc: An interactive shell starts in a pod of the payments team.
  condition: ${options.condition ?? 'evt.type in (execve, execveat) and proc.name in (bash, sh, zsh) and container.id != host'}
  output: ${output}
  priority: WARNING
${options.source ? `  source: ${options.source}\n` : ''}${options.skip ? '  skip-if-unknown-filter: true\n' : ''}${options.exceptions ?? ''}  tags: [container, shell, mitre_execution]
`;
}

// The notes quote the output, so they are escaped Markdown: compared here as read.
const hoverAt = (marked: string, falcoVersion: string): string => hoverMarkdownAt(marked, falcoVersion).replace(/\\(.)/g, '$1');
const note = (hover: string): string | undefined => /\*\*In this output:\*\* (.*)$/m.exec(hover)?.[1];

const OLDER = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42'];
const nameOnly = (target: string, written: string) => `2 field-argument proc.aname: In an output Falco ${target} prints %proc.aname with its argument unset and then the text '${written}': its thread check reads 'proc.aname' without a valid argument only at the very end of the output (fixed in Falco 0.42.1, libs 0.22.2).`;

test("%proc.aname[A B]: Falco 0.37-0.42's thread check reads no number there and so nothing, 0.43-0.44 read the field and print the bracket", () => {
  const source = rule('"Shell in pod (ancestor=%proc.aname[A B] shell=%proc.name)"');
  const latest = `2 field-argument [A B]: '[A B]' is no argument libsinsp can read (expected ']' to close the field argument): in an output Falco prints %proc.aname followed by the text '[A B]'. Quote it if it is the argument: %proc.aname["A B"].`;
  for (const target of OLDER) assert.deepEqual(findings(source, target), [nameOnly(target, 'proc.aname[A B]')], target);
  for (const target of ['0.43', '0.44']) assert.deepEqual(findings(source, target), [latest], target);
  // sinsp_numparser::parsed32 reads ' 2' (a blank before the number) and refuses '2 ' (sscanf "%d%c" reads the blank).
  const lead = rule('"Shell in pod (ancestor=%proc.aname[ 2] shell=%proc.name)"');
  for (const target of ['0.37', '0.42', '0.43']) assert.deepEqual(findings(lead, target), [], target);
  assert.equal(findings(lead, '0.44').length, 1);
  assert.deepEqual(findings(rule('"Shell in pod (ancestor=%proc.aname[2 ] shell=%proc.name)"'), '0.40'), [nameOnly('0.40', 'proc.aname[2 ]')]);
  // The hover says what the diagnostics say, per target.
  const marked = rule('"Shell in pod (ancestor=%proc.an<|>ame[A B] shell=%proc.name)"');
  assert.equal(note(hoverAt(marked, '0.40')), nameOnly('0.40', 'proc.aname[A B]').replace(/^2 field-argument proc\.aname: /, ''));
  assert.equal(note(hoverAt(marked, '0.44')), latest.replace(/^2 field-argument \[A B\]: /, ''));
});

test('%k8s.pod.label[team name]: Falco 0.37-0.40 read the label up to the \']\', 0.41-0.43 fail once on the plugin\'s word, 0.44 finds no field', () => {
  const source = (skip: boolean) => rule('"Shell in pod (team=%k8s.pod.label[team name] shell=%proc.name)"', { skip });
  for (const target of ['0.37', '0.40']) {
    assert.deepEqual(findings(source(false), target), [], target);
    assert.deepEqual(findings(source(true), target), [], target);
  }
  // One failure, one finding: the container plugin's check throws on 'k8s.pod.label[team' (no "needs an argument" besides).
  for (const target of ['0.41', '0.42', '0.43']) {
    assert.deepEqual(findings(source(true), target), [`1 field-argument [team: The container plugin's field check of Falco ${target} reads the output up to the first space, 'k8s.pod.label[team', and finds no ']' closing the argument ('has unbalanced argument brackets'): the rule fails to load whatever skip-if-unknown-filter says. (LOAD_ERR_COMPILE_OUTPUT)`], target);
  }
  const needs = "Field 'k8s.pod.label' needs an argument, e.g. k8s.pod.label[app.kubernetes.io/name].";
  assert.deepEqual(findings(source(false), '0.44'), [`1 field-argument k8s.pod.label: ${needs} (LOAD_ERR_COMPILE_OUTPUT)`]);
  assert.deepEqual(findings(source(true), '0.44'), [`2 field-argument k8s.pod.label: ${needs} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`]);
  // No ']' anywhere after the '[': libsinsp's k8s check of Falco 0.37-0.40 throws, whatever the key says.
  const open = rule('"Shell in pod (team=%k8s.pod.label[team name shell=%proc.name"', { skip: true });
  assert.deepEqual(findings(open, '0.40'), [`1 field-argument [team name shell=: Falco 0.40 reads %k8s.pod.label with libsinsp's own check, which takes the text from '[' to the next ']' as the argument and finds no ']' in the rest of the output: the check's error ("requires an argument but ']' is not found") fails the load whatever skip-if-unknown-filter says. (LOAD_ERR_COMPILE_OUTPUT)`]);
  // The hover: nothing at 0.40 (the label is read), the one failure at 0.43, the missing argument at 0.44.
  const marked = rule('"Shell in pod (team=%k8s.pod.la<|>bel[team name] shell=%proc.name)"');
  assert.equal(note(hoverAt(marked, '0.40')), undefined);
  assert.match(note(hoverAt(marked, '0.43')) ?? '', /^The container plugin's field check of Falco 0\.43 reads the output up to the first space/);
  assert.equal(note(hoverAt(marked, '0.44')), needs);
});

test("a ']' past the next '%': proc.env (0.37-0.43) and k8s.pod.label (0.37-0.40) read it all as the argument, proc.aname (0.37-0.42) prints the text up to the '%'", () => {
  // fd.ip inside the bracket is no field at 0.37-0.43 (its filter-only failure is not theirs); 0.44 reads it.
  const env = rule('"Shell in pod (home=%proc.env[HOME %fd.ip] shell=%proc.name)"');
  for (const target of ['0.37', '0.41', '0.43']) {
    assert.deepEqual(findings(env, target), [`2 field-argument [HOME %fd.ip]: Falco ${target} reads 'HOME %fd.ip' as the argument of %proc.env: its check takes the text up to the first ']', past the next '%', so what follows that '%' up to the ']' is part of the argument, not a field (Falco 0.44 prints %proc.env, the text up to the '%' and the next field).`], target);
  }
  assert.deepEqual(findings(env, '0.44').map((f) => f.split(':')[0]), ['2 field-argument [HOME', '2 unknown-field fd.ip']);
  const label = rule('"Shell in pod (team=%k8s.pod.label[a %proc.name] shell=%proc.name)"');
  assert.deepEqual(findings(label, '0.40').map((f) => f.split(':')[0]), ['2 field-argument [a %proc.name]']);
  assert.deepEqual(findings(label, '0.41').map((f) => f.split(':')[0]), ['1 field-argument [a']);
  assert.deepEqual(findings(label, '0.44').map((f) => f.split(':')[0]), ['1 field-argument k8s.pod.label']);
  // proc.aname reads no number and so nothing: the formatter prints 'proc.aname[' and reads %proc.name as a field.
  const aname = rule('"Shell in pod (ancestor=%proc.aname[%proc.name] shell=%proc.name)"');
  assert.deepEqual(findings(aname, '0.37'), [nameOnly('0.37', 'proc.aname[')]);
  // The hover of the swallowed field says it is none at those targets.
  const marked = rule('"Shell in pod (home=%proc.env[HOME %fd.i<|>p] shell=%proc.name)"');
  assert.equal(note(hoverAt(marked, '0.43')), "Falco 0.43 reads no field here: this text is part of the argument it reads for %proc.env, 'HOME %fd.ip' (its check takes the text up to the first ']').");
  assert.match(note(hoverAt(marked, '0.44')) ?? '', /^Field 'fd\.ip' is meant for conditions/);
});

test('a field of another source in a condition: no check of the source reads it ("nonexistent field"), which skip-if-unknown-filter skips at every release', () => {
  const syscall = (skip: boolean) => rule('"Shell in pod (shell=%proc.name)"', { skip, condition: 'evt.type = execve and ka.verb = create' });
  const audit = (skip: boolean) => rule('"Exec into pod (user=%ka.user.name)"', { skip, source: 'k8s_audit', condition: 'ka.verb = create and proc.name = bash' });
  const own = (f: string) => f.includes('field-not-for-source');
  for (const target of ['0.37', '0.41', '0.44']) {
    assert.deepEqual(findings(syscall(false), target).filter(own), ["1 field-not-for-source ka.verb: Field 'ka.verb' is not available for source 'syscall' (it belongs to k8s_audit). (LOAD_ERR_COMPILE_CONDITION)"], target);
    assert.deepEqual(findings(syscall(true), target).filter(own), ["2 field-not-for-source ka.verb: Field 'ka.verb' is not available for source 'syscall' (it belongs to k8s_audit). The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)"], target);
    assert.deepEqual(findings(audit(true), target).filter(own), ["2 field-not-for-source proc.name: Field 'proc.name' is not available for source 'k8s_audit' (it belongs to syscall). The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)"], target);
  }
  // An exception field is checked against the rule's source as the rule is read: LOAD_ERR_VALIDATE whatever the key says.
  const exceptions = '  exceptions:\n    - name: admins\n      fields: [ka.user.name]\n      values: [[admin]]\n';
  assert.deepEqual(findings(rule('"Shell in pod (shell=%proc.name)"', { skip: true, exceptions }), '0.44').filter(own),
    ["1 field-not-for-source ka.user.name: Field 'ka.user.name' is not available for source 'syscall' (it belongs to k8s_audit). Exception fields are checked as the rule is read: the file fails to load. (LOAD_ERR_VALIDATE)"]);
});
