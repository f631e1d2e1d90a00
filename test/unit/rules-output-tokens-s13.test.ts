// Output tokens as Falco's formatter reads and prints them, per target release (falcoLens.falcoVersion). Falco 0.37-0.43
// (libs 0.14.2-0.23.1) hand the rest of the output to the first filter check that reads a prefix of it and print what
// the check did not read as text; Falco 0.44 (libs 0.25.2) compiles ever shorter text until a field compiles. Both read
// `%proc.namex` as proc.name then `x`; they differ where a check throws, and the thread check of libs 0.14.2-0.22.1
// read proc.aname, proc.env, proc.args... without a valid argument only at the very end of the output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';
import { hoverMarkdownAt } from './rules-nav-helpers';

const FILE = '/ws/rules/output_tokens_rules.yaml';

/** `severity code covered-text: message` of every finding of the rules file at the target release. */
const findings = (source: string, falcoVersion: string): string[] => findingsAt(FILE, source, falcoVersion);

/** A rule as users write them, with the given output (and skip-if-unknown-filter when asked). */
function rule(output: string, options: { skip?: boolean; source?: string; condition?: string } = {}): string {
  return `- rule: Shell Spawned By Web Server
  desc: A shell runs under a web server process, as a web shell would start one.
  condition: ${options.condition ?? 'evt.type in (execve, execveat) and proc.name in (bash, sh) and proc.pname in (nginx, httpd)'}
  output: ${output}
  priority: WARNING
${options.source ? `  source: ${options.source}\n` : ''}${options.skip ? '  skip-if-unknown-filter: true\n' : ''}  tags: [host, container, mitre_execution]
`;
}

test('%proc.namex: Falco prints the process name and then the text x, at every release (a warning, no load failure)', () => {
  const source = rule('Shell under web server (shell=%proc.namex parent=%proc.pname.old cmd=%proc.cmdline)');
  for (const target of ['0.37', '0.40', '0.43', '0.44']) {
    assert.deepEqual(findings(source, target), [
      "2 output-syntax x: 'proc.namex' is no field: Falco reads %proc.name and prints the text 'x' right after its value.",
      "2 output-syntax .old: 'proc.pname.old' is no field: Falco reads %proc.pname and prints the text '.old' right after its value.",
    ], target);
  }
  // skip-if-unknown-filter changes nothing: Falco loads the rule.
  assert.deepEqual(findings(rule('Shell under web server (shell=%proc.namex)', { skip: true }), '0.44'),
    ["2 output-syntax x: 'proc.namex' is no field: Falco reads %proc.name and prints the text 'x' right after its value."]);
  // A field that needs its argument is still that problem (%evt.argx is evt.arg without an argument, no text).
  assert.deepEqual(findings(rule('Shell (flags=%evt.argx)'), '0.44').map((f) => f.split(':')[0]), ['1 field-argument evt.arg']);
  // Text that is not part of a field name is plain text: a sentence's full stop, a number after a dot.
  assert.deepEqual(findings(rule('Shell spawned by %proc.pname. Version %proc.name.1'), '0.44'), []);
});

test("'%%', '%(' and '%' before a blank: Falco finds no field there, which skip-if-unknown-filter skips at every release; a '%' at the end fails whatever the key says", () => {
  const source = rule('"Shell (load=90%% shell=%proc.name)"');
  for (const target of ['0.37', '0.42', '0.44']) {
    assert.deepEqual(findings(source, target), ["1 output-syntax %%: Output: '%%' is not an escape in Falco outputs: '%' must be followed by a field name. (LOAD_ERR_COMPILE_OUTPUT)"], target);
    assert.deepEqual(findings(rule('"Shell (load=90%% shell=%proc.name)"', { skip: true }), target),
      ["2 output-syntax %%: Output: '%%' is not an escape in Falco outputs: '%' must be followed by a field name. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)"], target);
  }
  assert.deepEqual(findings(rule('"Shell (shell=%(proc.name))"', { skip: true }), '0.40').map((f) => f.split(':')[0]), ['2 output-syntax %(']);
  // "formatting cannot end with a %" is no unknown field: the load fails.
  assert.deepEqual(findings(rule('"Shell at 100%"', { skip: true }), '0.44'), ["1 output-syntax %: Output: an output cannot end with '%'. (LOAD_ERR_COMPILE_OUTPUT)"]);
});

test('a transformer newer than the target in an output: no field at the \'%\', so skip-if-unknown-filter skips the rule (Falco 0.37)', () => {
  const output = 'Shell (shell=%tolower(proc.name) cmd=%proc.cmdline)';
  assert.deepEqual(findings(rule(output), '0.37'), ["1 output-syntax tolower: Transformer 'tolower()' was added in Falco 0.38: the output formatter of Falco 0.37 does not know it. (LOAD_ERR_COMPILE_OUTPUT)"]);
  assert.deepEqual(findings(rule(output, { skip: true }), '0.37'), ["2 output-syntax tolower: Transformer 'tolower()' was added in Falco 0.38: the output formatter of Falco 0.37 does not know it. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)"]);
  assert.deepEqual(findings(rule(output), '0.38'), []);
});

test('%proc.args and %proc.aname mid-output: Falco 0.41 and 0.42 (proc.args) and 0.37 to 0.42 (proc.aname) print the field name as text', () => {
  const source = rule('Shell under web server (args=%proc.args parent=%proc.aname gparent=%proc.aname[2] ancestor=%proc.aname[x] cmd=%proc.cmdline)');
  const atEnd = (target: string) => `In an output Falco ${target} prints`;
  const at41 = findings(source, '0.41');
  assert.deepEqual(at41, [
    `2 field-argument proc.args: ${atEnd('0.41')} %proc.args with its argument unset and then the text 'proc.args': its thread check reads 'proc.args' without a valid argument only at the very end of the output (fixed in Falco 0.42.1, libs 0.22.2).`,
    `2 field-argument proc.aname: ${atEnd('0.41')} %proc.aname with its argument unset and then the text 'proc.aname': its thread check reads 'proc.aname' without a valid argument only at the very end of the output (fixed in Falco 0.42.1, libs 0.22.2).`,
    `2 field-argument proc.aname: ${atEnd('0.41')} %proc.aname with its argument unset and then the text 'proc.aname[x]': its thread check reads 'proc.aname' without a valid argument only at the very end of the output (fixed in Falco 0.42.1, libs 0.22.2).`,
  ]);
  assert.deepEqual(findings(source, '0.42'), at41.map((f) => f.replace(/Falco 0\.41 prints/, 'Falco 0.42 prints')));
  // Before 0.41 proc.args is a plain field (no argument parse): only proc.aname is read so.
  assert.deepEqual(findings(source, '0.37'), at41.slice(1).map((f) => f.replace(/Falco 0\.41 prints/, 'Falco 0.37 prints')));
  // From 0.43 (libs 0.23.1) the check reads the name anywhere: a bad position is the field and then the text.
  const fixed = ["2 field-argument proc.aname: Field 'proc.aname' takes a number in brackets, not 'x': in an output Falco prints %proc.aname followed by the text '[x]'."];
  assert.deepEqual(findings(source, '0.43'), fixed);
  assert.deepEqual(findings(source, '0.44'), fixed);
  // At the very end of the output (Falco trims it) every release reads the name.
  assert.deepEqual(findings(rule('"Shell under web server, args: %proc.args "'), '0.41'), []);
});

test('thread.cgroup[1] in an output: the check throws on the bracket; Falco 0.37-0.43 fail whatever skip-if-unknown-filter says, 0.44 skips', () => {
  const source = rule('Shell (cgroup=%thread.cgroup[cpuacct] cmd=%proc.cmdline)', { skip: true });
  const message = "Field 'thread.cgroup' takes its argument after a dot only, as in thread.cgroup.cpuacct: Falco rejects the bracket form. Write 'thread.cgroup.cpuacct'.";
  assert.deepEqual(findings(source, '0.44'), [`2 field-argument cpuacct: ${message} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`]);
  for (const target of ['0.37', '0.40', '0.43']) {
    assert.deepEqual(findings(source, target), [`1 field-argument cpuacct: ${message} Falco ${target} fails to load whatever skip-if-unknown-filter says: its output formatter passes the field check's own error on, which the key does not cover before Falco 0.44. (LOAD_ERR_COMPILE_OUTPUT)`], target);
  }
});

test('a plugin field with an argument it refuses, in an output: Falco 0.41-0.43 fail to load (the plugin check throws), 0.44 prints it as text; libsinsp had the container fields up to 0.40', () => {
  const source = rule('Shell in container (container=%container.name[0] image=%container.image.repository)', { skip: true });
  const prints = "2 field-argument 0: Field 'container.name' takes no argument: in an output Falco prints %container.name followed by the text '[0]'. Remove '[0]'.";
  assert.deepEqual(findings(source, '0.44'), [prints]);
  assert.deepEqual(findings(source, '0.40'), [prints]);
  assert.deepEqual(findings(source, '0.37'), [prints]);
  for (const target of ['0.41', '0.43']) {
    assert.deepEqual(findings(source, target), [`1 field-argument 0: Field 'container.name' takes no argument: Falco rejects '[0]' (the field does not allow nor require an argument). Falco ${target} fails to load whatever skip-if-unknown-filter says: the container plugin's field check refuses the argument as the output formatter looks the field up (Falco 0.44 prints the field and the bracket as text instead). (LOAD_ERR_COMPILE_OUTPUT)`], target);
  }
  // The k8saudit plugin's fields were a plugin's at every release.
  const audit = rule('K8s exec (user=%ka.user.name[1] pod=%ka.target.name)', { source: 'k8s_audit', condition: 'ka.verb = create and ka.target.subresource = exec' });
  assert.deepEqual(findings(audit, '0.44').filter((f) => f.includes('field-argument')).map((f) => f.split(':')[0]), ['2 field-argument 1']);
  assert.deepEqual(findings(audit, '0.37').filter((f) => f.includes('field-argument')).map((f) => f.split(':')[0]), ['1 field-argument 1']);
});

// The notes quote the output, so they are escaped Markdown: compared here as read.
const hoverAt = (marked: string, falcoVersion: string): string => hoverMarkdownAt(marked, falcoVersion).replace(/\\(.)/g, '$1');

test('hovers of output fields say what the diagnostics say Falco prints', () => {
  const namex = hoverAt(rule('Shell (shell=%proc.na<|>mex)'), '0.44');
  assert.match(namex, /^\*\*Field\*\* `proc\.name`/);
  assert.match(namex, /\*\*In this output:\*\* 'proc\.namex' is no field: Falco reads %proc\.name and prints the text 'x' right after its value\./);
  const args = rule('Shell (args=%proc.ar<|>gs cmd=%proc.cmdline)');
  assert.match(hoverAt(args, '0.41'), /\*\*In this output:\*\* In an output Falco 0\.41 prints %proc\.args with its argument unset and then the text 'proc\.args': its thread check reads 'proc\.args' without a valid argument only at the very end of the output \(fixed in Falco 0\.42\.1, libs 0\.22\.2\)\./);
  assert.doesNotMatch(hoverAt(args, '0.44'), /In this output/);
  assert.doesNotMatch(hoverAt(rule('Shell, cmd=%proc.cmdline args=%proc.ar<|>gs'), '0.41'), /In this output/);
});
