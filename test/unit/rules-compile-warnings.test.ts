// The warnings of libsinsp's filter compiler (LOAD_COMPILE_CONDITION) and the exception without values of an appending
// rule (LOAD_APPEND_NO_VALUES): where they are reported, where they are not, their quick fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { Code } from '../../server/src/service/rules/diagnosticCodes';
import { clearCompileWarningMemos, regexNeedsNoRegex, valueFacts } from '../../server/src/service/rules/compileWarnings';
import { seededRandom } from './condition-mutations';
import { MemoryHost, applyEdits, editsFor, rulesDoc, summarize } from './rules-host';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const BASE_TEXT = `- list: shell_binaries
  items: [bash, sh, zsh]

- macro: spawned_process
  condition: evt.type in (execve, execveat)
`;

const COMPILE_CODES: string[] = [Code.RegexSimplerOperator, Code.FieldAsValue, Code.TransformerAsValue];

function service(local: string, base = BASE_TEXT) {
  const host = new MemoryHost({ [BASE]: base, [LOCAL]: local }, { folders: ['/ws'] });
  return createRulesService(host);
}

function diagnose(local: string, base = BASE_TEXT): { diags: Diagnostic[]; svc: ReturnType<typeof service> } {
  const svc = service(local, base);
  const doc = rulesDoc(LOCAL, local);
  svc.didOpenOrChange?.(doc);
  return { diags: svc.diagnostics(doc), svc };
}

/** The text each diagnostic's range covers, with its code. */
function covered(text: string, diags: Diagnostic[], codes = COMPILE_CODES): string[] {
  const doc = rulesDoc(LOCAL, text);
  return diags.filter((d) => codes.includes(String(d.code))).map((d) => `${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}`);
}

const rule = (condition: string, extra = '') => `- rule: R\n  desc: d\n  condition: spawned_process and ${condition}\n  output: "x %proc.name"\n  priority: INFO\n${extra}`;

test('a regex without regex syntax is reported on its value, with the LOAD name and a warning severity', () => {
  const text = rule('proc.name regex "^bash$"');
  const { diags } = diagnose(text);
  assert.deepEqual(covered(text, diags), ['regex-simpler-operator "^bash$"']);
  const d = diags.find((x) => x.code === Code.RegexSimplerOperator)!;
  assert.equal(d.severity, 2);
  assert.match(String(d.message), /'= bash'.*\(LOAD_COMPILE_CONDITION\)$/);
});

test('regex shapes: anchors and a leading or trailing wildcard warn; anything else in the middle does not', () => {
  const warned = ['foo', '"^foo$"', '".*foo"', '"foo.*"', '".*foo.*"', '".+foo"', '"foo.?"', '".*"', '"^.*"', '"^"', '""', '/usr/bin/x'];
  const silent = ['"^.*foo"', '"foo.*$"', '"fo+o"', '"a|b"', '"ba(sh|zsh)"', '"[ab]"', '"a\\\\.b"', '"x{2}"', '"."', '"a.b"'];
  for (const v of warned) assert.equal(covered(rule(`proc.name regex ${v}`), diagnose(rule(`proc.name regex ${v}`)).diags).length, 1, v);
  for (const v of silent) assert.deepEqual(covered(rule(`proc.name regex ${v}`), diagnose(rule(`proc.name regex ${v}`)).diags), [], v);
  // The same values with another operator are not looked at as regexes.
  assert.deepEqual(covered(rule('proc.name startswith foo'), diagnose(rule('proc.name startswith foo')).diags), []);
});

test('each value of a regex oneof list is checked, on the item', () => {
  const text = rule('proc.name regex oneof ("^a", "b|c", "d.*")');
  assert.deepEqual(covered(text, diagnose(text).diags), ['regex-simpler-operator "^a"', 'regex-simpler-operator "d.*"']);
});

test('the scan is the regular expression it stands for (seeded strings)', () => {
  // Warned: an optional ^ or .X first, an optional $ or .X last (X one of + * ?), no special character in between.
  const shape = /^(?:\^|\.[+*?])?[^.+*?^$()[\]{}|\\\u0000]*(?:\$|\.[+*?])?$/;
  const next = seededRandom(20261123);
  const int = (n: number) => Math.floor(next() * n);
  const alphabet = ['a', 'b', '.', '*', '+', '?', '^', '$', '|', '\\', '(', '['];
  for (let n = 0; n < 20000; n++) {
    let v = '';
    const len = int(7);
    for (let i = 0; i < len; i++) v += alphabet[int(alphabet.length)];
    assert.equal(regexNeedsNoRegex(v), shape.test(v), JSON.stringify(v));
  }
});

test('the rewrite of a warned regex matches what the regex matches (seeded strings without line breaks)', () => {
  const next = seededRandom(7);
  const subjects = ['', 'a', 'ab', 'ba', 'abab', 'bab', 'aab', 'abb', 'b', 'xabx'];
  for (let n = 0; n < 2000; n++) subjects.push(Array.from({ length: Math.floor(next() * 6) }, () => 'abx'[Math.floor(next() * 3)]).join(''));
  const values = ['ab', '^ab$', '^ab', 'ab$', '.*ab', 'ab.*', '.*ab.*', '.*ab$', '^ab.*', 'a', '.*b', '^a.*'];
  for (const v of values) {
    const rewrite = valueFacts(v, true)?.regex;
    assert.ok(rewrite?.op, v);
    const re = new RegExp(`^(?:${v})$`);
    const value = rewrite.value!;
    const test = (s: string) => rewrite.op === '=' ? s === value : rewrite.op === 'startswith' ? s.startsWith(value) : rewrite.op === 'endswith' ? s.endsWith(value) : s.includes(value);
    for (const s of subjects) assert.equal(test(s), re.test(s), `${v} ${rewrite.op} ${value} on ${JSON.stringify(s)}`);
  }
});

test('regex quick fix: = is preferred and exact; a wildcard form is offered, not preferred; the result is clean', () => {
  for (const [value, fixed, preferred] of [
    ['"^bash$"', 'proc.name = "bash"', true],
    ['bash', 'proc.name = bash', true],
    ["'.*sh'", "proc.name endswith 'sh'", false],
    ['"/usr/.*"', 'proc.name startswith "/usr/"', false],
    ['".*ss.*"', 'proc.name contains "ss"', false],
  ] as const) {
    const text = rule(`proc.name regex ${value}`);
    const { diags, svc } = diagnose(text);
    const d = diags.find((x) => x.code === Code.RegexSimplerOperator)!;
    const doc = rulesDoc(LOCAL, text);
    const actions = svc.codeActions!(doc, d.range, { diagnostics: [d], only: ['quickfix'] });
    assert.equal(actions.length, 1, value);
    assert.equal(actions[0].isPreferred === true, preferred, value);
    const after = applyEdits(text, editsFor(actions[0].edit, doc.uri));
    assert.ok(after.includes(fixed), after);
    const again = diagnose(after).diags;
    assert.deepEqual(again.filter((x) => x.severity !== 3).map(summarize), [], after);
  }
  // `.+` has no operator equivalent: reported, no fix.
  const text = rule('proc.name regex ".+sh"');
  const { diags, svc } = diagnose(text);
  const d = diags.find((x) => x.code === Code.RegexSimplerOperator)!;
  assert.deepEqual(svc.codeActions!(rulesDoc(LOCAL, text), d.range, { diagnostics: [d], only: ['quickfix'] }), []);
});

test('the regex fix finds the operator across a folded line break and keeps the rest of the condition', () => {
  const text = '- rule: R\n  desc: d\n  condition: >\n    spawned_process and proc.name regex\n      "^bash$" and proc.pname = sshd\n  output: "x %proc.name"\n  priority: INFO\n';
  const { diags, svc } = diagnose(text);
  assert.deepEqual(covered(text, diags), ['regex-simpler-operator "^bash$"']);
  const d = diags.find((x) => x.code === Code.RegexSimplerOperator)!;
  const doc = rulesDoc(LOCAL, text);
  const [action] = svc.codeActions!(doc, d.range, { diagnostics: [d], only: ['quickfix'] });
  const after = applyEdits(text, editsFor(action.edit, doc.uri));
  assert.equal(after, text.replace('regex\n      "^bash$"', '=\n      "bash"'));
});

test('a value that is a field name: reported on the value, unquoted or quoted, blanks ignored; val() fix not preferred', () => {
  const text = rule('proc.name = proc.pname');
  const { diags, svc } = diagnose(text);
  assert.deepEqual(covered(text, diags), ['field-as-value proc.pname']);
  const d = diags.find((x) => x.code === Code.FieldAsValue)!;
  assert.equal(d.severity, 2);
  assert.match(String(d.message), /val\(proc\.pname\).*\(LOAD_COMPILE_CONDITION\)$/);
  const doc = rulesDoc(LOCAL, text);
  const actions = svc.codeActions!(doc, d.range, { diagnostics: [d], only: ['quickfix'] });
  assert.equal(actions.length, 1);
  assert.notEqual(actions[0].isPreferred, true);
  const after = applyEdits(text, editsFor(actions[0].edit, doc.uri));
  assert.ok(after.includes('proc.name = val(proc.pname)'));
  assert.deepEqual(diagnose(after).diags.map(summarize), []);

  for (const [condition, at] of [
    ['proc.name = "proc.pname"', '"proc.pname"'],
    ["proc.name != 'proc. pname'", "'proc. pname'"],
    ['proc.name in (bash, proc.pname)', 'proc.pname'],
    ['proc.cmdline contains proc.aname[2]', 'proc.aname[2]'],
    ['proc.name = evt.arg.flags', 'evt.arg.flags'],
    ['proc.name = thread.cgroup.cpu', 'thread.cgroup.cpu'],
  ]) {
    const t = rule(condition);
    const found = diagnose(t);
    assert.deepEqual(covered(t, found.diags), [`field-as-value ${at}`], condition);
    // A fix only where the rewrite is certain: one bare value of a single-value operator.
    const fd = found.diags.find((x) => x.code === Code.FieldAsValue)!;
    assert.deepEqual(found.svc.codeActions!(rulesDoc(LOCAL, t), fd.range, { diagnostics: [fd], only: ['quickfix'] }).map((a: CodeAction) => a.title), /^proc\.\w+ (=|contains) [a-z]/.test(condition) ? [`Compare with the value of the field: val(${at})`] : [], condition);
  }
});

test('values that are not fields the factory accepts are not reported', () => {
  for (const condition of [
    'proc.name = bash', 'proc.name = proc.nmae', 'proc.name = proc.name.x', 'proc.name = evt.arg', 'proc.name = evt.arg[abc]',
    'proc.name = val(proc.pname)', 'proc.name = tolower(proc.pname)', 'proc.name = ka.verb', 'fd.name startswith /etc/proc.d',
    'proc.name in (shell_binaries)', 'proc.pid = 1', 'container.image.repository = docker.io/library/alpine',
    'proc.name = thread.cgroup[cpu]',
  ]) {
    const text = rule(condition);
    const { diags } = diagnose(text);
    assert.deepEqual(covered(text, diags), [], `${condition}: ${diags.map(summarize).join('; ')}`);
  }
});

test('a field of the rule\'s source only; a rule of an unknown source gets no compile warning', () => {
  const audit = '- rule: A\n  desc: d\n  condition: ka.verb = create and ka.user.name = ka.target.name\n  output: "x %ka.verb"\n  priority: INFO\n  source: k8s_audit\n- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n';
  assert.deepEqual(covered(audit, diagnose(audit).diags), ['field-as-value ka.target.name']);
  const auditSyscallValue = audit.replace('ka.target.name', 'proc.name');
  assert.deepEqual(covered(auditSyscallValue, diagnose(auditSyscallValue).diags), []);
  const unknown = '- rule: P\n  desc: d\n  condition: my.field = proc.name and my.other regex foo\n  output: "x"\n  priority: INFO\n  source: mysource\n';
  assert.deepEqual(covered(unknown, diagnose(unknown).diags), []);
});

test('the transformer fix unquotes the call (not preferred); the result is clean', () => {
  const text = rule('proc.name = "tolower(proc.pname)"');
  const { diags, svc } = diagnose(text);
  const d = diags.find((x) => x.code === Code.TransformerAsValue)!;
  const doc = rulesDoc(LOCAL, text);
  const actions = svc.codeActions!(doc, d.range, { diagnostics: [d], only: ['quickfix'] });
  assert.deepEqual(actions.map((a: CodeAction) => [a.title, a.isPreferred === true]), [['Compare with the transformed field: tolower(proc.pname)', false]]);
  const after = applyEdits(text, editsFor(actions[0].edit, doc.uri));
  assert.ok(after.includes('proc.name = tolower(proc.pname)'), after);
  assert.deepEqual(diagnose(after).diags.map(summarize), []);
  // With blanks inside, or in a list, no fix.
  for (const condition of ['proc.name = "tolower( proc.pname)"', 'proc.name in ("tolower(proc.pname)", a)']) {
    const t = rule(condition);
    const found = diagnose(t);
    const w = found.diags.find((x) => x.code === Code.TransformerAsValue)!;
    assert.deepEqual(found.svc.codeActions!(rulesDoc(LOCAL, t), w.range, { diagnostics: [w], only: ['quickfix'] }), [], condition);
  }
});

test('a quoted transformer call is a constant: reported on the value', () => {
  const text = rule('proc.name = "tolower(proc.pname)" and proc.pname = " basename( proc.exe )"');
  assert.deepEqual(covered(text, diagnose(text).diags), ['transformer-as-value "tolower(proc.pname)"', 'transformer-as-value " basename( proc.exe )"']);
  const quotedVal = rule('proc.name = "val(proc.pname)"');
  assert.deepEqual(covered(quotedVal, diagnose(quotedVal).diags), ['transformer-as-value "val(proc.pname)"']);
  const notCall = rule('proc.name = "tolower(x" and proc.name = "tolowerx(y)"');
  assert.deepEqual(covered(notCall, diagnose(notCall).diags), []);
});

test('a list\'s items are checked where the list is used, naming the item; the list itself is not', () => {
  const base = `${BASE_TEXT}\n- list: parent_fields\n  items: [bash, proc.pname, "tolower( proc.name)", "toupper(proc.name)"]\n- list: nested\n  items: [parent_fields, zsh]\n- list: patterns\n  items: ["^sshd$", "a|b"]\n`;
  const text = rule('proc.name in (nested, sh) and proc.name regex oneof (patterns)');
  const { diags } = diagnose(text, base);
  assert.deepEqual(covered(text, diags), ['field-as-value nested', 'transformer-as-value nested', 'regex-simpler-operator patterns']);
  // A bare item with parentheses (toupper(proc.name)) is pasted as it is and breaks the condition: not a value.
  const messages = diags.filter((d) => COMPILE_CODES.includes(String(d.code))).map((d) => d.message);
  assert.match(String(messages[0]), /'proc\.pname' \(an item of the list 'nested'\)/);
  assert.match(String(messages[2]), /'\^sshd\$' \(an item of the list 'patterns'\)/);
  // The base file's lists are not warned on their own.
  const svc = service(text, base);
  assert.deepEqual(covered(base, svc.diagnostics(rulesDoc(BASE, base))), []);
});

test('a value in a macro is reported once, on the macro, not on the rules that use it', () => {
  const text = `- macro: parent_is_self\n  condition: proc.pname = proc.name\n- rule: R1\n  desc: d\n  condition: spawned_process and parent_is_self\n  output: "x %proc.name"\n  priority: INFO\n- rule: R2\n  desc: d\n  condition: spawned_process and not parent_is_self\n  output: "x %proc.name"\n  priority: INFO\n`;
  const { diags } = diagnose(text);
  const mine = diags.filter((d) => d.code === Code.FieldAsValue);
  assert.deepEqual(mine.map((d) => d.range.start.line), [1]);
  assert.deepEqual(covered(text, diags), ['field-as-value proc.name']);
});

test('an appended condition is checked at its own text', () => {
  const text = '- rule: Shell\n  condition: and not proc.pname regex "sshd"\n  override:\n    condition: append\n';
  const base = `${BASE_TEXT}\n- rule: Shell\n  desc: d\n  condition: spawned_process and proc.name in (shell_binaries)\n  output: "x %proc.name"\n  priority: INFO\n`;
  assert.deepEqual(covered(text, diagnose(text, base).diags), ['regex-simpler-operator "sshd"']);
});

test('a change of a list in another file re-checks its uses (not replayed from the per-item cache)', () => {
  const text = rule('proc.name in (shell_binaries)');
  const host = new MemoryHost({ [BASE]: BASE_TEXT, [LOCAL]: text }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const doc = rulesDoc(LOCAL, text);
  svc.didOpenOrChange?.(doc);
  assert.deepEqual(covered(text, svc.diagnostics(doc)), []);
  const base2 = BASE_TEXT.replace('[bash, sh, zsh]', '[bash, sh, proc.exe]');
  svc.didOpenOrChange?.(rulesDoc(BASE, base2, 2));
  assert.deepEqual(covered(text, svc.diagnostics(doc)), ['field-as-value shell_binaries']);
  svc.didOpenOrChange?.(rulesDoc(BASE, BASE_TEXT, 3));
  assert.deepEqual(covered(text, svc.diagnostics(doc)), []);
});

// ---------------------------------------------------------------------------------------------------------------
// LOAD_APPEND_NO_VALUES and exception values

const SHELL_RULE = `${BASE_TEXT}\n- rule: Shell\n  desc: d\n  condition: spawned_process and proc.name in (shell_binaries)\n  output: "x %proc.name"\n  priority: INFO\n`;

test('an exception appended without values is a warning on its name (override append and append: true)', () => {
  const over = '- rule: Shell\n  exceptions:\n    - name: no_vals\n      fields: [proc.pname]\n      comps: [=]\n    - name: with_vals\n      fields: [proc.pname]\n      comps: [=]\n      values: [[sshd]]\n  override:\n    exceptions: append\n';
  const { diags } = diagnose(over, SHELL_RULE);
  assert.deepEqual(covered(over, diags, [Code.AppendNoValues]), ['append-no-values no_vals']);
  const d = diags.find((x) => x.code === Code.AppendNoValues)!;
  assert.equal(d.severity, 2);
  assert.match(String(d.message), /\(LOAD_APPEND_NO_VALUES\)$/);

  const legacy = '- rule: Shell\n  exceptions:\n    - name: no_vals\n      fields: [proc.pname]\n  append: true\n';
  assert.deepEqual(covered(legacy, diagnose(legacy, SHELL_RULE).diags, [Code.AppendNoValues]), ['append-no-values no_vals']);
});

test('no LOAD_APPEND_NO_VALUES for exceptions: replace, a new rule, or an exception with values', () => {
  const replace = '- rule: Shell\n  exceptions:\n    - name: no_vals\n      fields: [proc.pname]\n      comps: [=]\n  override:\n    exceptions: replace\n';
  assert.deepEqual(covered(replace, diagnose(replace, SHELL_RULE).diags, [Code.AppendNoValues]), []);
  const fresh = '- rule: New\n  desc: d\n  condition: spawned_process\n  output: "x %proc.name"\n  priority: INFO\n  exceptions:\n    - name: no_vals\n      fields: [proc.pname]\n      comps: [=]\n';
  assert.deepEqual(covered(fresh, diagnose(fresh, SHELL_RULE).diags, [Code.AppendNoValues]), []);
});

test('an exception with an empty values key is invalid (Falco: not a sequence)', () => {
  for (const empty of ['values:', 'values: null', 'values: ~']) {
    const text = `- rule: Shell\n  exceptions:\n    - name: e\n      fields: [proc.pname]\n      comps: [=]\n      ${empty}\n  override:\n    exceptions: append\n`;
    const { diags } = diagnose(text, SHELL_RULE);
    assert.deepEqual(covered(text, diags, [Code.ExceptionInvalid, Code.AppendNoValues]), ['exception-invalid values'], empty);
  }
});

test('exception values are compiled with the rule: the same warnings, on the value in the exception', () => {
  const base = `${SHELL_RULE}\n- list: parent_fields\n  items: [sshd, proc.pname]\n`;
  const text = `- rule: Shell
  exceptions:
    - name: pairs
      fields: [proc.pname, fd.name, proc.cmdline]
      comps: [=, regex, in]
      values:
        - [proc.exe, "^/etc/x$", [a, "proc.aname[2]"]]
        - [val(proc.exe), "/etc/(a|b)", [a b]]
    - name: single
      fields: proc.pname
      values: [bash, proc.name, "tolower( proc.name)", parent_fields]
    - name: single_regex
      fields: proc.pname
      comps: regex oneof
      values: [".*sh", "a|b"]
  override:
    exceptions: append
`;
  const { diags } = diagnose(text, base);
  assert.deepEqual(covered(text, diags), [
    'field-as-value proc.exe', 'regex-simpler-operator "^/etc/x$"', 'field-as-value "proc.aname[2]"',
    'field-as-value proc.name', 'transformer-as-value "tolower( proc.name)"', 'field-as-value parent_fields',
    'regex-simpler-operator ".*sh"',
  ]);
  const fromList = diags.find((d) => d.code === Code.FieldAsValue && String(d.message).includes("list 'parent_fields'"));
  assert.ok(fromList);
  // No quick fix on exception values: the rewrite would change what the exception compares.
  const d = diags.find((x) => x.code === Code.FieldAsValue)!;
  const svc = service(text, base);
  assert.deepEqual(svc.codeActions!(rulesDoc(LOCAL, text), d.range, { diagnostics: [d], only: ['quickfix'] }), []);
});

test('exception values of a rule of an unknown source, or with a list operator and commas, are not checked', () => {
  const text = '- rule: P\n  desc: d\n  condition: my.field = x\n  output: "x"\n  priority: INFO\n  source: mysource\n  exceptions:\n    - name: e\n      fields: [my.field]\n      values: [[proc.name]]\n';
  assert.deepEqual(covered(text, diagnose(text).diags), []);
  const commas = '- rule: Shell\n  exceptions:\n    - name: e\n      fields: [proc.pname]\n      comps: [in]\n      values: [["proc.name, bash"]]\n  override:\n    exceptions: append\n';
  assert.deepEqual(covered(commas, diagnose(commas, SHELL_RULE).diags), []);
});

test('list memos: incremental results equal fresh ones while a list changes (seeded edits)', () => {
  const next = seededRandom(4242);
  const pool = ['bash', 'proc.pname', '"^sshd$"', 'sshd', 'fd.name', 'a b', 'proc.aname[2]', 'x.y', 'nested_names', '"tolower( proc.name)"'];
  const local = rule('proc.name in (my_names, zsh) and proc.name regex oneof (my_names)', '  exceptions:\n    - name: e\n      fields: [proc.pname, fd.name]\n      comps: [in, regex]\n      values:\n        - [[my_names], "^/etc/(a|b)$"]\n');
  const host = new MemoryHost({ [BASE]: BASE_TEXT, [LOCAL]: local }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const doc = rulesDoc(LOCAL, local);
  let withWarnings = 0;
  for (let step = 0; step < 40; step++) {
    const items = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pool[Math.floor(next() * pool.length)]);
    const nested = Array.from({ length: Math.floor(next() * 3) }, () => pool[Math.floor(next() * pool.length)]);
    const base = `${BASE_TEXT}\n- list: nested_names\n  items: [${nested.join(', ')}]\n- list: my_names\n  items: [${items.join(', ')}]\n`;
    svc.didOpenOrChange?.(rulesDoc(BASE, base, step + 2));
    const incremental = svc.diagnostics(doc).map(summarize);
    clearCompileWarningMemos();
    const fresh = diagnose(local, base).diags.map(summarize);
    assert.deepEqual(incremental, fresh, base);
    if (incremental.some((d) => / (field-as-value|regex-simpler-operator|transformer-as-value) /.test(d))) withWarnings++;
  }
  assert.ok(withWarnings >= 10 && withWarnings < 40, `${withWarnings} steps with warnings`);
});

// ---------------------------------------------------------------------------------------------------------------
// The reader's and collector's other exception findings (audit of rule_loader_reader.cpp / rule_loader_collector.cpp)

const RULE_WITH_EXCEPTION = `${BASE_TEXT}\n- rule: Shell\n  desc: d\n  condition: spawned_process and proc.name = bash\n  output: "x %proc.name"\n  priority: INFO\n  exceptions:\n    - name: known\n      fields: [proc.pname]\n      values: [[sshd]]\n`;

function exceptionFindings(local: string, base = RULE_WITH_EXCEPTION): string[] {
  const { diags } = diagnose(local, base);
  const doc = rulesDoc(LOCAL, local);
  return diags.filter((d) => d.code === Code.ExceptionInvalid || d.code === Code.AppendNoValues)
    .map((d) => `${local.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))} ${String(d.message).match(/\((LOAD_[A-Z_]+)\)$/)?.[1]}`);
}

test('an appended exception with a name the rule has may add values only', () => {
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: known\n      values: [[b]]\n  override:\n    exceptions: append\n'), []);
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: known\n      fields: [proc.pname]\n      comps: [=]\n      values: [[b]]\n  override:\n    exceptions: append\n'),
    ['fields LOAD_ERR_VALIDATE', 'comps LOAD_ERR_VALIDATE']);
  // The same name without values: the reader's warning only (nothing is added).
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: known\n  append: true\n'), ['known LOAD_APPEND_NO_VALUES']);
});

test('an appended exception with a new name needs fields and at least one value', () => {
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: fresh\n      values: [[a]]\n  override:\n    exceptions: append\n'), ['fresh LOAD_ERR_VALIDATE']);
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: fresh\n      fields: [proc.pname]\n      values: []\n  override:\n    exceptions: append\n'), ['values LOAD_ERR_VALIDATE']);
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: fresh\n      fields: [proc.pname]\n  override:\n    exceptions: append\n'), ['fresh LOAD_APPEND_NO_VALUES', 'fresh LOAD_ERR_VALIDATE']);
  // Two appended exceptions of one new name: the second one appends to the first.
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: fresh\n      fields: [proc.pname]\n      values: [[a]]\n    - name: fresh\n      fields: [proc.pname]\n      values: [[b]]\n  override:\n    exceptions: append\n'),
    ['fields LOAD_ERR_VALIDATE']);
});

test('a new exception list (a new rule, exceptions: replace) needs fields in each exception', () => {
  assert.deepEqual(exceptionFindings('- rule: New\n  desc: d\n  condition: spawned_process\n  output: "x %proc.name"\n  priority: INFO\n  exceptions:\n    - name: nofields\n      values: [[a]]\n'), ['nofields LOAD_ERR_YAML_VALIDATE']);
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: nofields\n      values: [[a]]\n  override:\n    exceptions: replace\n'), ['nofields LOAD_ERR_YAML_VALIDATE']);
  // Exceptions not read at all (no override entry for them): nothing about their content.
  assert.deepEqual(exceptionFindings('- rule: Shell\n  priority: ERROR\n  exceptions:\n    - name: nofields\n  override:\n    priority: replace\n'), []);
});

test('exception values as Falco\'s own loader tests read them (test_rule_loader.cpp, exceptions_values_*)', () => {
  const ruleText = (value: string) => `- rule: test_rule\n  desc: test rule\n  condition: evt.type = open\n  output: command=%proc.cmdline\n  priority: INFO\n  exceptions:\n    - name: test_exception\n      fields: [proc.name]\n      comps: [=]\n      values:\n        - [${value}]\n`;
  for (const [value, expected] of [
    ['proc.pname', ['field-as-value proc.pname']],
    ['"proc.pname"', ['field-as-value "proc.pname"']],
    ['"proc.pname "', ['field-as-value "proc.pname "']],
    ['toupper(proc.pname)', []],
    ['"toupper(proc.pname)"', []],
    ['toupper( proc.pname)', ['transformer-as-value toupper( proc.pname)']],
    ['"toupper( proc.pname)"', ['transformer-as-value "toupper( proc.pname)"']],
  ] as const) {
    const text = ruleText(value);
    const { diags } = diagnose(text);
    assert.deepEqual(covered(text, diags), expected, value);
    if (expected.length) assert.match(String(diags.find((d) => COMPILE_CODES.includes(String(d.code)))!.message), new RegExp(`^'${value.replace(/"/g, '').replace(/[()]/g, '\\$&')}'`), value);
  }
});

test('an empty string among an exception\'s fields or values, and a list as a value of a single-field exception, are errors', () => {
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: known\n      values: [[""]]\n  override:\n    exceptions: append\n'), ['"" LOAD_ERR_YAML_VALIDATE']);
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: e\n      fields: [proc.pname, \'\']\n      values: [[a, b]]\n  override:\n    exceptions: append\n'), ["'' LOAD_ERR_YAML_VALIDATE"]);
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: e\n      fields: proc.pname\n      values: [a, [b, c]]\n  override:\n    exceptions: append\n'), ['[b, c] LOAD_ERR_VALIDATE']);
  assert.deepEqual(exceptionFindings('- rule: Shell\n  exceptions:\n    - name: e\n      fields: proc.pname\n      comps: pmatch\n      values: [/a, /b]\n  override:\n    exceptions: append\n'), []);
});

test('a plugin requirement and its alternatives name different plugins', () => {
  const text = '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n    alternatives:\n      - name: k8saudit-eks\n        version: 0.4.0\n      - name: k8saudit\n        version: 0.8.0\n';
  const { diags } = diagnose(text);
  assert.deepEqual(covered(text, diags, [Code.InvalidPluginVersions]), ['invalid-plugin-versions k8saudit']);
  assert.equal(diags.find((d) => d.code === Code.InvalidPluginVersions)!.range.start.line, 6);
  const ok = text.replace('      - name: k8saudit\n        version: 0.8.0\n', '');
  assert.deepEqual(covered(ok, diagnose(ok).diags, [Code.InvalidPluginVersions]), []);
});

test('a macro sees only the macros defined before it (Falco fails with "Undefined macro"); rules see every macro', () => {
  const late = '- macro: a\n  condition: b and proc.name = x\n- macro: b\n  condition: proc.pname = y\n- rule: R\n  desc: d\n  condition: spawned_process and a and later\n  output: "x %proc.name"\n  priority: INFO\n- macro: later\n  condition: proc.exe = z\n';
  const { diags } = diagnose(late);
  const mine = diags.filter((d) => d.code === Code.UndefinedMacro);
  assert.deepEqual(covered(late, mine, [Code.UndefinedMacro]), ['undefined-macro b']);
  assert.match(String(mine[0].message), /'b' is defined after macro 'a' \(line 3\).*\(LOAD_ERR_VALIDATE\)$/);
  const self = '- macro: a\n  condition: a or proc.name = x\n- rule: R\n  desc: d\n  condition: spawned_process and a\n  output: "x %proc.name"\n  priority: INFO\n';
  const selfDiags = diagnose(self).diags.filter((d) => d.code === Code.UndefinedMacro);
  assert.deepEqual(covered(self, selfDiags, [Code.UndefinedMacro]), ['undefined-macro a']);
  assert.match(String(selfDiags[0].message), /^Macro 'a' uses itself/);
  // Defined first: nothing. Appended after the used macro's definition: the macro then sees it.
  const ordered = '- macro: b\n  condition: proc.pname = y\n- macro: a\n  condition: b and proc.name = x\n- rule: R\n  desc: d\n  condition: spawned_process and a\n  output: "x %proc.name"\n  priority: INFO\n';
  assert.deepEqual(diagnose(ordered).diags.map(summarize), []);
  const appended = '- macro: a\n  condition: proc.name = x\n- macro: b\n  condition: proc.pname = y\n- macro: a\n  condition: or b\n  override:\n    condition: append\n- rule: R\n  desc: d\n  condition: spawned_process and a\n  output: "x %proc.name"\n  priority: INFO\n';
  assert.deepEqual(diagnose(appended).diags.map(summarize), []);
  // A macro of an earlier file uses one the local file defines: undefined where that file is checked (as before).
  const base = `${BASE_TEXT}\n- macro: uses_local\n  condition: local_one\n`;
  const local = '- macro: local_one\n  condition: proc.name = x\n- rule: R\n  desc: d\n  condition: spawned_process and uses_local and local_one\n  output: "x %proc.name"\n  priority: INFO\n';
  const svc = service(local, base);
  const undefinedInBase = svc.diagnostics(rulesDoc(BASE, base)).filter((d) => d.code === Code.UndefinedMacro);
  assert.equal(undefinedInBase.length, 1);
  assert.match(String(undefinedInBase[0].message), /^Undefined macro 'local_one' used in filter\./);
});
