// Field arguments that libs 0.25.2 rejects: an argument on a field that takes none (`proc.name[0]`: "filter_check
// called with nonexistent field"; a plugin field "does not allow nor require an argument"), the bracket form of a
// field read after a dot only (`thread.cgroup[cpu]`), and a plugin index that is not plain digits
// (`ka.req.pod.containers.image[foo]`, `[01]`). An output falls back to the field without its argument where that
// field compiles (the formatter retries shorter text), so there it is a warning about the printed text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';
import { openAt, workspace } from './rules-nav-helpers';

const K8S_TAIL = '  source: k8s_audit\n- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n';

function diagnose(text: string): Diagnostic[] {
  const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
  return service.diagnostics(rulesDoc('/ws/falco_rules.local.yaml', text)).filter((d) => d.code === 'field-argument');
}

function syscallRule(condition: string, output = 'x %proc.name', extra = ''): string {
  return `- rule: Args\n  desc: d\n  condition: evt.type = execve and ${condition}\n  output: ${output}\n  priority: WARNING\n${extra}`;
}

function k8sRule(condition: string, output = 'x %ka.user.name', extra = ''): string {
  return `- rule: Audit\n  desc: d\n  condition: ka.verb = create and ${condition}\n  output: ${output}\n  priority: INFO\n${extra}${K8S_TAIL}`;
}

/** The one field-argument finding of `text`, with its range as the text it covers. */
function only(text: string): { d: Diagnostic; covered: string; line: string } {
  const found = diagnose(text);
  assert.equal(found.length, 1, `${text}\n${JSON.stringify(found, null, 1)}`);
  const d = found[0];
  const lines = text.split('\n');
  assert.equal(d.range.start.line, d.range.end.line);
  const line = lines[d.range.start.line];
  return { d, covered: line.slice(d.range.start.character, d.range.end.character), line };
}

test('an argument on a libsinsp field that takes none is an error on the argument (nonexistent field)', () => {
  const { d, covered } = only(syscallRule('proc.name[0] = bash'));
  assert.equal(covered, '0');
  assert.equal(d.severity, 1);
  assert.match(String(d.message), /'proc\.name' takes no argument.*nonexistent field.*\(LOAD_ERR_COMPILE_CONDITION\)$/);
  assert.deepEqual(d.data, { argument: '0', replaceWith: '' });
});

test('evt.type takes no argument either', () => {
  const { d, covered } = only(syscallRule('evt.type[0] = open'));
  assert.equal(covered, '0');
  assert.equal(d.severity, 1);
});

test('with skip-if-unknown-filter, the nonexistent field skips the rule (LOAD_UNKNOWN_FILTER warning)', () => {
  const { d, covered } = only(syscallRule('proc.name[0] = bash', 'x %proc.name', '  skip-if-unknown-filter: true\n'));
  assert.equal(covered, '0');
  assert.equal(d.severity, 2);
  assert.match(String(d.message), /skip-if-unknown-filter\. \(LOAD_UNKNOWN_FILTER\)$/);
});

test('an argument on a plugin field that takes none is an error that skip-if-unknown-filter does not soften', () => {
  for (const extra of ['', '  skip-if-unknown-filter: true\n']) {
    const { d, covered } = only(k8sRule('ka.user.name[admin] = x', 'x %ka.user.name', extra));
    assert.equal(covered, 'admin');
    assert.equal(d.severity, 1);
    assert.match(String(d.message), /'ka\.user\.name' takes no argument.*does not allow nor require.*\(LOAD_ERR_COMPILE_CONDITION\)$/);
  }
  // The container plugin's fields are plugin fields too.
  assert.match(String(only(syscallRule('container.id[1] = x')).d.message), /does not allow nor require/);
});

test('in an output, Falco prints the field without the argument and the brackets as text: a warning', () => {
  const { d, covered } = only(syscallRule('proc.name = bash', 'x %proc.pname[1] y'));
  assert.equal(covered, '1');
  assert.equal(d.severity, 2);
  assert.match(String(d.message), /takes no argument: in an output Falco prints %proc\.pname followed by the text '\[1\]'\. Remove '\[1\]'\.$/);
  assert.doesNotMatch(String(d.message), /nonexistent/, 'an output does not fail: no "nonexistent field" there');
  const plugin = only(k8sRule('ka.user.name = x', 'x %ka.user.name[1]'));
  assert.equal(plugin.d.severity, 2);
  // A libsinsp position that is not a number falls back the same way.
  assert.equal(only(syscallRule('proc.name = bash', 'x %proc.aname[foo]')).d.severity, 2);
});

test('in an output, a bracket argument with no field to fall back to is an error (LOAD_ERR_COMPILE_OUTPUT)', () => {
  const { d, covered } = only(syscallRule('proc.name = bash', 'x %thread.cgroup[cpu]'));
  assert.equal(covered, 'cpu');
  assert.equal(d.severity, 1);
  assert.match(String(d.message), /\(LOAD_ERR_COMPILE_OUTPUT\)$/);
  const skipped = only(syscallRule('proc.name = bash', 'x %thread.cgroup[cpu]', '  skip-if-unknown-filter: true\n')).d;
  assert.equal(skipped.severity, 2);
  assert.match(String(skipped.message), /\(LOAD_UNKNOWN_FILTER\)$/);
  // evt.type.is[5] prints evt.type and then '.is[5]'.
  const typeIs = only(syscallRule('proc.name = bash', 'x %evt.type.is[5]')).d;
  assert.equal(typeIs.severity, 2);
  assert.match(String(typeIs.message), /prints %evt\.type followed by the text '\.is\[5\]'/);
});

test('the bracket form of a field read after a dot only is an error, with the dot form to write', () => {
  const cases: [string, string, number, string][] = [
    ['thread.cgroup[cpu] = x', 'cpu', 1, 'LOAD_ERR_COMPILE_CONDITION'],
    ['evt.rawarg[res] < 0', 'res', 1, 'LOAD_ERR_COMPILE_CONDITION'],
    ['evt.type.is[open] = 1', 'open', 1, 'LOAD_ERR_COMPILE_CONDITION'],
    ['evt.abspath[src] = /x', 'src', 1, 'LOAD_ERR_COMPILE_CONDITION'],
  ];
  for (const [condition, argument, severity, load] of cases) {
    const { d, covered } = only(syscallRule(condition));
    assert.equal(covered, argument, condition);
    assert.equal(d.severity, severity, condition);
    assert.ok(String(d.message).endsWith(`(${load})`), String(d.message));
    assert.match(String(d.message), /after a dot only/);
    assert.deepEqual(d.data, { argument, replaceWith: `.${argument}` });
  }
  // Only evt.abspath's libsinsp error reads "nonexistent field", which skip-if-unknown-filter turns into a skip.
  const skip = '  skip-if-unknown-filter: true\n';
  assert.equal(only(syscallRule('evt.abspath[src] = /x', 'x', skip)).d.severity, 2);
  assert.equal(only(syscallRule('thread.cgroup[cpu] = x', 'x', skip)).d.severity, 1);
  // An argument that the dot form cannot hold gets no replacement.
  assert.deepEqual(only(syscallRule('thread.cgroup["a b"] = x')).d.data, undefined);
});

test('a plugin index-only argument must be digits without a leading zero', () => {
  for (const bad of ['foo', '01', '-1', '+1', '1.0', '18446744073709551616']) {
    const { d, covered } = only(k8sRule(`ka.req.pod.containers.image[${bad}] = x`));
    assert.equal(covered, bad);
    assert.equal(d.severity, 1);
    assert.match(String(d.message), /takes a position in brackets.*\(LOAD_ERR_COMPILE_CONDITION\)$/);
  }
  for (const good of ['0', '7', '10', '18446744073709551615']) {
    assert.deepEqual(diagnose(k8sRule(`ka.req.pod.containers.image[${good}] = x`)), [], good);
  }
});

test('accepted arguments: optional ones, keys, positions, dot forms, plugin keys', () => {
  const syscall = ['proc.aname[2] = bash', 'proc.aname = bash', 'evt.arg.flags contains X', 'evt.arg[1] = x', 'evt.rawarg.size > 0',
    'evt.type.is.open = 1', 'thread.cgroup.cpu = x', 'evt.abspath.src = /x', 'evt.abspath = /x', 'proc.env[HOME] = /root',
    'proc.aenv[PATH] = x', 'container.label[app] = web', 'container.mount.source[/var/run/docker.sock] = x', 'proc.name = bash'];
  for (const condition of syscall) assert.deepEqual(diagnose(syscallRule(condition)).map((d) => String(d.message)), [], condition);
  assert.deepEqual(diagnose(syscallRule('proc.name = bash', 'x %proc.aname[2] %evt.arg.flags %proc.env[HOME]')).map((d) => String(d.message)), []);
  for (const condition of ['ka.req.pod.containers.image[0] = x', 'ka.req.pod.containers.image = x', 'jevt.value[/user/name] = x', 'ka.uri.param[pretty] = x']) {
    assert.deepEqual(diagnose(k8sRule(condition)).map((d) => String(d.message)), [], condition);
  }
});

test('exception fields are checked like condition fields, on the argument', () => {
  const text = syscallRule('proc.name = bash', 'x', '  exceptions:\n    - name: e\n      fields:\n        - proc.pname[1]\n      values: [[a]]\n');
  const { d, covered } = only(text);
  assert.equal(covered, '1');
  assert.equal(d.severity, 1);
});

test('quick fixes: remove the argument, or move it after a dot', () => {
  const apply = (text: string) => {
    const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
    const doc = rulesDoc('/ws/falco_rules.local.yaml', text);
    const d = service.diagnostics(doc).filter((x) => x.code === 'field-argument');
    assert.equal(d.length, 1);
    const actions = service.codeActions!(doc, d[0].range, { diagnostics: d }).filter((a) => a.kind === 'quickfix');
    assert.equal(actions.length, 1);
    const edits = actions[0].edit!.changes![doc.uri];
    assert.equal(edits.length, 1);
    const lines = text.split('\n');
    const line = lines[edits[0].range.start.line];
    lines[edits[0].range.start.line] = line.slice(0, edits[0].range.start.character) + edits[0].newText + line.slice(edits[0].range.end.character);
    return { title: actions[0].title, text: lines.join('\n') };
  };
  const removed = apply(syscallRule('proc.name[0] = bash'));
  assert.equal(removed.title, "Remove the argument '[0]'");
  assert.equal(removed.text, syscallRule('proc.name = bash'));
  const dotted = apply(syscallRule('thread.cgroup[cpu] = x'));
  assert.equal(dotted.text, syscallRule('thread.cgroup.cpu = x'));
  assert.deepEqual(diagnose(dotted.text), []);
});

test('the hover of a field read after a dot only says the dot form is the only one', () => {
  const { service } = workspace({});
  const hoverOf = (marked: string) => {
    const { doc, position } = openAt(service, '/ws/falco_rules.local.yaml', marked);
    return String((service.hover!(doc, position)?.contents as { value: string }).value);
  };
  const cgroup = hoverOf('- macro: m\n  condition: thread.cg<|>roup.cpu = x\n');
  assert.match(cgroup, /the dot form only: Falco rejects the argument in brackets/);
  assert.doesNotMatch(cgroup, /works too/);
  assert.match(hoverOf('- macro: m\n  condition: evt.ar<|>g.flags = x\n'), /works too/);
});

test('an exception field may be a transformer, as in Falco (exceptions_fields_transformer); the fields inside are checked', () => {
  const exceptionRule = (field: string) => syscallRule('proc.name = bash', 'x', `  exceptions:\n    - name: e\n      fields: [${field}]\n      comps: [=]\n      values:\n        - [test]\n`);
  const all = (text: string) => {
    const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
    return service.diagnostics(rulesDoc('/ws/falco_rules.local.yaml', text)).map((d) => `${d.code} ${d.message}`);
  };
  for (const field of ['tolower(proc.name)', '"tolower(proc.name)"', '"tolower( proc.name)"', 'toupper(basename(proc.exepath))']) {
    assert.deepEqual(all(exceptionRule(field)), [], field);
  }
  const typo = exceptionRule('tolower(proc.nmae)');
  const found = all(typo);
  assert.equal(found.length, 1);
  assert.match(found[0], /^unknown-field 'proc\.nmae' is no filter field of source 'syscall'/);
  const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
  const d = service.diagnostics(rulesDoc('/ws/falco_rules.local.yaml', typo)).find((x) => x.code === 'unknown-field')!;
  const line = typo.split('\n')[d.range.start.line];
  assert.equal(line.slice(d.range.start.character, d.range.end.character), 'proc.nmae');
  assert.equal(only(exceptionRule('"tolower(proc.pname[1])"')).covered, '1');
});
