// Output tokens as each Falco release reads them, the cases helper A of session 13 left: filter-only fields in outputs
// (Falco 0.44 loads them, 0.37-0.43 do not), bracket arguments the older formatters read up to ']', an unclosed
// transformer, the first '[' of a plugin field's word, fields of another source, and the hovers that say the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAt, findingsAt } from './rules-host';
import { hoverMarkdownAt } from './rules-nav-helpers';

const FILE = '/ws/rules/output_leftovers_rules.yaml';
const findings = (source: string, falcoVersion: string): string[] => findingsAt(FILE, source, falcoVersion);

/** A rule as users write them, with the given output (and skip-if-unknown-filter, source, condition when asked). */
function rule(output: string, options: { skip?: boolean; source?: string; condition?: string } = {}): string {
  return `- rule: Outbound Connection To Rare Port
  desc: A process connects out to a port that the workload does not normally use.
  condition: ${options.condition ?? 'evt.type = connect and fd.typechar = 4 and fd.sport in (4444, 1337)'}
  output: ${output}
  priority: NOTICE
${options.source ? `  source: ${options.source}\n` : ''}${options.skip ? '  skip-if-unknown-filter: true\n' : ''}  tags: [host, container, network, mitre_command_and_control]
`;
}

// The notes quote the output, so they are escaped Markdown: compared here as read.
const hoverAt = (marked: string, falcoVersion: string): string => hoverMarkdownAt(marked, falcoVersion).replace(/\\(.)/g, '$1');

test('filter-only fields in an output: Falco 0.44 loads the rule and prints <NA> (or <IPNET>), 0.37-0.43 fail to load whatever skip-if-unknown-filter says; evt.around loads everywhere', () => {
  const source = rule('"Rare port (connection=%fd.ip:%fd.port net=%fd.cnet proc=%proc.name)"', { skip: true });
  assert.deepEqual(findings(source, '0.44'), [
    "2 unknown-field fd.ip: Field 'fd.ip' is meant for conditions: in an output Falco 0.44 prints <NA> for it (its check only compares, it extracts no value). Print %fd.cip or %fd.sip instead.",
    "2 unknown-field fd.port: Field 'fd.port' is meant for conditions: in an output Falco 0.44 prints <NA> for it (its check only compares, it extracts no value). Print %fd.cport or %fd.sport instead.",
    "2 unknown-field fd.cnet: Field 'fd.cnet' is meant for conditions: in an output Falco 0.44 prints the text <IPNET> for it on a socket (the address it compares, typed as a network, has no printed form) and <NA> elsewhere. Print %fd.cip instead.",
  ]);
  // The fields to print instead are the quick fixes' replacements (unknown-field's data.suggestions).
  assert.deepEqual(diagnoseAt(FILE, source, '0.44').map((d) => (d.data as { suggestions?: string[] }).suggestions), [['fd.cip', 'fd.sip'], ['fd.cport', 'fd.sport'], ['fd.cip']]);
  for (const target of ['0.37', '0.40', '0.43']) {
    const at = findings(source, target);
    assert.deepEqual(at.map((f) => f.split(':')[0]), ['1 unknown-field fd.ip', '1 unknown-field fd.port', '1 unknown-field fd.cnet'], target);
    assert.equal(at[0], `1 unknown-field fd.ip: Field 'fd.ip' can be used in conditions only: the output formatter of Falco ${target} rejects it ('is filter only and cannot be used as a display field') and the rule fails to load whatever skip-if-unknown-filter says (Falco 0.44 loads it and prints <NA>). Print %fd.cip or %fd.sip instead. (LOAD_ERR_COMPILE_OUTPUT)`);
  }
  // evt.around's own check reads it (no filter-only refusal at any release), and prints no value.
  const around = rule('"Rare port (around=%evt.around[1404996934793590564] proc=%proc.name)"');
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(findings(around, target), [`2 unknown-field evt.around: Field 'evt.around' is meant for conditions: in an output Falco ${target} prints <NA> for it (its check only compares, it extracts no value).`], target);
  }
});

test('a filter-only field in an output: the hover says what the target does with it', () => {
  const marked = rule('"Rare port (connection=%fd.i<|>p:%fd.sport)"');
  const at44 = hoverAt(marked, '0.44');
  assert.match(at44, /Meant for conditions: in an output Falco 0\.44 prints <NA>\./);
  assert.match(at44, /\*\*In this output:\*\* Field 'fd\.ip' is meant for conditions: in an output Falco 0\.44 prints <NA> for it/);
  assert.doesNotMatch(at44, /rejects/);
  const at43 = hoverAt(marked, '0.43');
  assert.match(at43, /Conditions only: Falco 0\.43 rejects it in an output\./);
  assert.match(at43, /\*\*In this output:\*\* Field 'fd\.ip' can be used in conditions only: the output formatter of Falco 0\.43 rejects it/);
  // In a condition the field is what it is meant for: no note.
  assert.doesNotMatch(hoverAt(rule('"Rare port (connection=%fd.sport)"', { condition: 'evt.type = connect and fd.i<|>p = 10.0.0.1' }), '0.44'), /In this output/);
});

test("%proc.env[A B]: Falco 0.37-0.43's thread check reads the bracket up to ']' as the variable's name; only 0.44 prints the bracket as text", () => {
  const source = rule('"Rare port (proxy=%proc.env[HTTPS PROXY] proc=%proc.name)"');
  const at44 = `2 field-argument [HTTPS PROXY]: '[HTTPS PROXY]' is no argument libsinsp can read (expected ']' to close the field argument): in an output Falco prints %proc.env followed by the text '[HTTPS PROXY]'. Quote it if it is the argument: %proc.env["HTTPS PROXY"].`;
  assert.deepEqual(findings(source, '0.44'), [at44]);
  for (const target of ['0.37', '0.42', '0.43']) assert.deepEqual(findings(source, target), [], target);
  // Without a ']' the check reads no argument at any release: the field, then the text.
  const open = rule('"Rare port (proxy=%proc.env[HTTPS PROXY"');
  for (const target of ['0.43', '0.44']) assert.equal(findings(open, target).length, 1, target);
});

test("a plugin field at Falco 0.37-0.43: its check reads the output up to the first space and takes that word's first '[' for the argument", () => {
  const audit = (output: string, skip = false) => rule(output, { source: 'k8s_audit', condition: 'ka.verb = create and ka.target.resource = pods', skip });
  const own = (f: string) => !f.includes('missing-plugin-requirement');
  // A '[' further on in the word: the plugin check reads nothing, no field at the '%' ("invalid formatting token").
  const later = audit('"Pod created (by=%ka.user.name/%ka.req.pod.containers.image[0] ns=%ka.target.namespace)"');
  assert.deepEqual(findings(later, '0.44').filter(own), []);
  const unread = (target: string) => `output-syntax ka.user.name: Falco ${target} reads no field at '%ka.user.name': the k8saudit plugin's field check of Falco ${target} reads the output up to the first space, 'ka.user.name/%ka.req.pod.containers.image[0]', and takes its first '[' for the start of the field's argument; it is not right after the name, so the check reads nothing and the output formatter finds no field there ('invalid formatting token'; Falco 0.44 reads %ka.user.name and prints the rest as text).`;
  for (const target of ['0.37', '0.43']) {
    assert.deepEqual(findings(later, target).filter(own), [`1 ${unread(target)} (LOAD_ERR_COMPILE_OUTPUT)`], target);
    assert.deepEqual(findings(audit('"Pod created (by=%ka.user.name/%ka.req.pod.containers.image[0] ns=%ka.target.namespace)"', true), target).filter(own),
      [`2 ${unread(target)} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`], target);
  }
  // A quoted argument with a space: Falco 0.44 reads it, the word ends inside it at 0.41-0.43 (unbalanced brackets).
  const quoted = rule('"Rare port (team=%k8s.pod.label[\\"team name\\"] proc=%proc.name)"', { skip: true });
  assert.deepEqual(findings(quoted, '0.44'), []);
  assert.deepEqual(findings(quoted, '0.43'), [`1 field-argument [\\"team: The container plugin's field check of Falco 0.43 reads the output up to the first space, 'k8s.pod.label["team', and finds no ']' closing the argument ('has unbalanced argument brackets'): the rule fails to load whatever skip-if-unknown-filter says. (LOAD_ERR_COMPILE_OUTPUT)`]);
  // Up to Falco 0.40 libsinsp's own check read the container plugin's fields: the bracket is read whole.
  assert.deepEqual(findings(quoted, '0.40'), []);
  // An unquoted argument with a space: 0.44 prints the bracket as text, 0.41-0.43 fail as above, no warning besides.
  const bare = audit('"Pod created (by=%ka.user.name[a b] ns=%ka.target.namespace)"');
  assert.deepEqual(findings(bare, '0.44').filter(own).map((f) => f.split(':')[0]), ['2 field-argument [a b]']);
  assert.deepEqual(findings(bare, '0.43').filter(own).map((f) => f.split(':')[0]), ['1 field-argument [a']);
  // The argument right after the name, closed in the word: read at every release.
  assert.deepEqual(findings(audit('"Pod created (image=%ka.req.pod.containers.image[0] ns=%ka.target.namespace)"'), '0.43').filter(own), []);
});

test("an unclosed '%tolower(': Falco 0.44 finds no field (skipped under skip-if-unknown-filter), 0.38-0.43 want the ')' and fail whatever the key says, 0.37 has no transformers", () => {
  const output = '"Rare port (proc=%tolower(proc.name cmd=%proc.cmdline)"';
  const message = "Output: expected ')' closing 'tolower(', found 'cmd'.";
  assert.deepEqual(findings(rule(output), '0.44'), [`1 output-syntax %tolower(proc.name cmd: ${message} (LOAD_ERR_COMPILE_OUTPUT)`]);
  const skipped = `2 output-syntax %tolower(proc.name cmd: ${message} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`;
  assert.deepEqual(findings(rule(output, { skip: true }), '0.44'), [skipped]);
  for (const target of ['0.38', '0.43']) {
    assert.deepEqual(findings(rule(output, { skip: true }), target), [`1 output-syntax %tolower(proc.name cmd: ${message} Falco ${target} fails to load whatever skip-if-unknown-filter says: its output formatter reads 'tolower(' and the field, then wants ')' ('missing closing transformer parenthesis'). (LOAD_ERR_COMPILE_OUTPUT)`], target);
  }
  // Falco 0.37 knows no transformer: no check reads 'tolower(...', "invalid formatting token", which the key covers.
  assert.deepEqual(findings(rule(output, { skip: true }), '0.37'), [skipped]);
  // A transformer the target does not know yet (basename, 0.39) stops the chain there: no field is read.
  const chain = rule('"Rare port (exe=%tolower(basename(proc.exe) cmd=%proc.cmdline)"', { skip: true });
  assert.deepEqual(findings(chain, '0.38').map((f) => f.split(' (')[0].slice(0, 1)), ['2']);
  assert.deepEqual(findings(chain, '0.39').map((f) => f.slice(0, 1)), ['1']);
  // No field right after '(' (a space): "invalid formatting token" at 0.38-0.43 too.
  assert.deepEqual(findings(rule('"Rare port (proc=%tolower( proc.name cmd=%proc.cmdline)"', { skip: true }), '0.43').map((f) => f.slice(0, 1)), ['2']);
});

test("an output field of another source: the source's formatter finds no field, LOAD_ERR_COMPILE_OUTPUT or skipped under skip-if-unknown-filter", () => {
  const audit = (skip: boolean) => rule('"Pod exec (user=%ka.user.name proc=%proc.name)"', { source: 'k8s_audit', condition: 'ka.verb = create and ka.target.subresource = exec', skip });
  const own = (f: string) => f.includes('field-not-for-source');
  const message = "Field 'proc.name' is not available for source 'k8s_audit' (it belongs to syscall).";
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(findings(audit(false), target).filter(own), [`1 field-not-for-source proc.name: ${message} (LOAD_ERR_COMPILE_OUTPUT)`], target);
    assert.deepEqual(findings(audit(true), target).filter(own), [`2 field-not-for-source proc.name: ${message} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`], target);
  }
});

test('hovers of plugin fields in outputs say what the diagnostics say: the refused argument, the word read up to a space', () => {
  const marked = rule('"Rare port (container=%container.na<|>me[0] proc=%proc.name)"');
  assert.match(hoverAt(marked, '0.43'), /\*\*In this output:\*\* Field 'container\.name' takes no argument: Falco rejects '\[0\]' \(the field does not allow nor require an argument\)\. Falco 0\.43 fails to load whatever skip-if-unknown-filter says: the container plugin's field check refuses the argument as the output formatter looks the field up \(Falco 0\.44 prints the field and the bracket as text instead\)\./);
  for (const target of ['0.40', '0.44']) assert.doesNotMatch(hoverAt(marked, target), /fails to load/, target);
  const word = rule('"Pod created (by=%ka.user.na<|>me/%ka.req.pod.containers.image[0])"', { source: 'k8s_audit', condition: 'ka.verb = create' });
  assert.match(hoverAt(word, '0.43'), /\*\*In this output:\*\* Falco 0\.43 reads no field at '%ka\.user\.name': the k8saudit plugin's field check of Falco 0\.43 reads the output up to the first space/);
  assert.doesNotMatch(hoverAt(word, '0.44'), /In this output/);
});
