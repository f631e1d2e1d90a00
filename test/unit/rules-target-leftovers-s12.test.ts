// Session 12's leftovers of the target-release checks: skip-if-unknown-filter of the rules that use a macro, the load
// code of exception fields, field-argument forms in completion, and output hovers of field arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, Diagnostic, MarkupContent } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { clearCheckMemos } from '../../server/src/service/rules/conditionChecks';
import { resolveCompletionItem } from '../../server/src/service/completionDocs';
import { MemoryHost, rulesDoc } from './rules-host';
import { openAt, workspace } from './rules-nav-helpers';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';

/** `severity code covered-text: message` of each finding of `path`, the other files loaded as Falco orders them. */
function findingsOf(files: Record<string, string>, path: string, falcoVersion = '0.44'): string[] {
  const host = new MemoryHost(files, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion };
  const svc = createRulesService(host);
  const doc = rulesDoc(path, files[path]);
  svc.didOpenOrChange?.(doc);
  return svc.diagnostics(doc).map((d) => line(files[path], d));
}

function line(text: string, d: Diagnostic): string {
  const doc = rulesDoc('/x.yaml', text);
  return `${d.severity} ${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}: ${d.message}`;
}

const only = (findings: string[], pattern: RegExp) => findings.filter((f) => pattern.test(f));

// A macro with three failures Falco words as unknown (a field, a field newer than 0.40, an event type) and one it
// does not (an event argument no event has: "unknown event argument", never skipped).
const MACRO = `- macro: payments_shell
  condition: proc.nmae = bash and proc.aargs = x and evt.type = no_such_event and evt.arg.nosuchparam = 1
`;
const rule = (name: string, skip?: boolean, condition = 'evt.type = execve and payments_shell') =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: "shell (%proc.name)"\n  priority: NOTICE\n${skip === undefined ? '' : `  skip-if-unknown-filter: ${skip}\n`}`;
const UNKNOWN = /(proc\.nmae|proc\.aargs|no_such_event|evt\.arg\.nosuchparam):/;

test('a macro used only by rules with skip-if-unknown-filter: its unknown fields skip those rules (warnings naming them), on the macro text', () => {
  const text = MACRO + rule('Shell A', true) + rule('Shell B', true, 'evt.type = execve and (payments_shell or proc.name = zsh)');
  assert.deepEqual(only(findingsOf({ [BASE]: text }, BASE, '0.40'), UNKNOWN), [
    "2 unknown-field proc.nmae: 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? Falco skips rules 'Shell A' and 'Shell B', which use macro 'payments_shell', because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)",
    // The compile of each rule stops at proc.nmae, the first of them (session 17: the skip order runs through macros).
    "2 unknown-field evt.arg.nosuchparam: Unknown event argument 'nosuchparam': no event has a parameter of that name. Falco does not compile this text: under skip-if-unknown-filter it skips rules 'Shell A' and 'Shell B' at proc.nmae (line 2, in macro 'payments_shell'), before it comes to this text; where Falco knows proc.nmae, it fails to load here (LOAD_ERR_COMPILE_CONDITION).",
    "3 unknown-evttype no_such_event: Unknown event type 'no_such_event': Falco rejects the condition unless a loaded plugin defines an event of that name. Falco does not check this: under skip-if-unknown-filter it skips rules 'Shell A' and 'Shell B' at proc.nmae (line 2, in macro 'payments_shell'), before it comes to this text, and warns once per rule.",
    "3 unknown-field proc.aargs: 'proc.aargs' is not a supported filter field in Falco 0.40: it was added in Falco 0.41. Falco does not check this: under skip-if-unknown-filter it skips rules 'Shell A' and 'Shell B' at proc.nmae (line 2, in macro 'payments_shell'), before it comes to this text, and warns once per rule.",
  ]);
  // libsinsp's "unknown event argument" is no unknown field for Falco (err_is_unknown_type_or_field): met first, the load fails.
  const first = text.replace('proc.nmae = bash and proc.aargs = x and evt.type = no_such_event and evt.arg.nosuchparam = 1', 'evt.arg.nosuchparam = 1 and proc.nmae = bash');
  assert.deepEqual(only(findingsOf({ [BASE]: first }, BASE, '0.40'), UNKNOWN)[0],
    "1 unknown-field evt.arg.nosuchparam: Unknown event argument 'nosuchparam': no event has a parameter of that name. (LOAD_ERR_COMPILE_CONDITION)");
});

test('a macro reached through another macro by a skipping rule is skipped with it; one rule without the key fails the load', () => {
  const outer = '- macro: outer_shell\n  condition: payments_shell and proc.tty != 0\n';
  const skipping = only(findingsOf({ [BASE]: MACRO + outer + rule('Shell A', true, 'evt.type = execve and outer_shell') }, BASE), /proc\.nmae:/);
  assert.deepEqual(skipping, ["2 unknown-field proc.nmae: 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? Falco skips rule 'Shell A', which uses macro 'payments_shell', because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)"]);
  // A second rule without skip-if-unknown-filter (written false, or absent) fails the load: Falco compiles it too.
  for (const skip of [false, undefined]) {
    const mixed = only(findingsOf({ [BASE]: MACRO + outer + rule('Shell A', true, 'evt.type = execve and outer_shell') + rule('Shell C', skip) }, BASE), /proc\.nmae:/);
    assert.deepEqual(mixed, ["1 unknown-field proc.nmae: 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? Rule 'Shell A' has skip-if-unknown-filter, but rule 'Shell C', which uses macro 'payments_shell' too, does not: Falco fails to load. (LOAD_ERR_COMPILE_CONDITION)"], String(skip));
  }
  // Only rules without it: the finding as before.
  assert.deepEqual(only(findingsOf({ [BASE]: MACRO + rule('Shell C') }, BASE), /proc\.nmae:/),
    ["1 unknown-field proc.nmae: 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? (LOAD_ERR_COMPILE_CONDITION)"]);
  // A macro no rule uses: not checked by Falco yet, as before.
  assert.match(only(findingsOf({ [BASE]: MACRO }, BASE), /proc\.nmae:/)[0], /^2 unknown-field proc\.nmae: .*Not checked by Falco until a rule uses macro 'payments_shell' \(no rule of the loaded files does\)/);
});

test('a later file\'s rule without skip-if-unknown-filter that uses the macro fails the load when Falco compiles after that file', () => {
  const files = { [BASE]: MACRO + rule('Shell A', true), [LOCAL]: rule('Local Shell', undefined) };
  assert.deepEqual(only(findingsOf(files, BASE), /proc\.nmae:/),
    ["1 unknown-field proc.nmae: 'proc.nmae' is not a supported filter field. Did you mean 'proc.name'? Rule 'Shell A' has skip-if-unknown-filter, but rule 'Local Shell', which uses macro 'payments_shell' too, does not: Falco fails to load. (LOAD_ERR_COMPILE_CONDITION)"]);
  // The local file turning the key on for the base rule (override replace) and a skipping local rule: skipped.
  const local = `- rule: Shell C\n  skip-if-unknown-filter: true\n  override:\n    skip-if-unknown-filter: replace\n${rule('Local Shell', true)}`;
  const skipped = only(findingsOf({ [BASE]: MACRO + rule('Shell A', true) + rule('Shell C'), [LOCAL]: local }, BASE), /proc\.nmae:/);
  // Falco compiles the base file alone first, where Shell C has no key yet: the load fails there.
  assert.match(skipped[0], /^1 unknown-field proc\.nmae: .*but rule 'Shell C', which uses macro 'payments_shell' too, does not: Falco fails to load\./);
  assert.match(only(findingsOf({ [BASE]: MACRO + rule('Shell A', true), [LOCAL]: rule('Local Shell', true) }, BASE), /proc\.nmae:/)[0],
    /^2 unknown-field proc\.nmae: .*Falco skips rules 'Shell A' and 'Local Shell', which use macro 'payments_shell', because of skip-if-unknown-filter\. \(LOAD_UNKNOWN_FILTER\)$/);
});

test('editing only the rule\'s skip-if-unknown-filter re-judges the macro, as a fresh service does', () => {
  const before = MACRO + rule('Shell A', true);
  const after = MACRO + rule('Shell A', false);
  const host = new MemoryHost({ [BASE]: before }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  svc.didOpenOrChange?.(rulesDoc(BASE, before, 1));
  assert.match(only(svc.diagnostics(rulesDoc(BASE, before, 1)).map((d) => line(before, d)), /proc\.nmae:/)[0], /^2 .*Falco skips rule 'Shell A'/);
  const edited = rulesDoc(BASE, after, 2);
  svc.didOpenOrChange?.(edited);
  const incremental = svc.diagnostics(edited).map((d) => line(after, d));
  assert.match(only(incremental, /proc\.nmae:/)[0], /^1 unknown-field proc\.nmae: .*\(LOAD_ERR_COMPILE_CONDITION\)$/);
  clearCheckMemos();
  assert.deepEqual(incremental, findingsOf({ [BASE]: after }, BASE));
});

// An exception on a field newer than Falco 0.40 (proc.aargs, 0.41) and a transformer newer than 0.38 (basename, 0.39).
const exceptionRule = (skip: boolean, field = 'proc.aargs') => `- rule: Dump To Stdout
  desc: d
  condition: evt.type = execve and proc.name = mysqldump
  output: "dump (%proc.cmdline)"
  priority: WARNING
  skip-if-unknown-filter: ${skip}
  exceptions:
    - name: backup_jobs
      fields: [proc.pname, ${field}]
      values:
        - [backup.sh, --all-databases]
`;

test('an exception field newer than the target fails the load as the collector reads the rule (LOAD_ERR_VALIDATE), whatever skip-if-unknown-filter says', () => {
  for (const skip of [false, true]) {
    assert.deepEqual(only(findingsOf({ [BASE]: exceptionRule(skip) }, BASE, '0.40'), /proc\.aargs:/),
      ["1 unknown-field proc.aargs: In Falco 0.40, 'proc.aargs' is no filter field of the rule's source: it was added in Falco 0.41. (LOAD_ERR_VALIDATE)"], String(skip));
  }
  // A transformer is checked the same way (is_valid_lhs_field compiles `<field> exists`, Falco 0.38 on).
  assert.deepEqual(only(findingsOf({ [BASE]: exceptionRule(true, 'basename(proc.exepath)') }, BASE, '0.38'), /basename:/),
    ["1 condition-syntax basename: Transformer 'basename()' was added in Falco 0.39: the condition parser of Falco 0.38 does not know it. (LOAD_ERR_VALIDATE)"]);
  // Read when the item is read: an override of the same file replacing the exceptions later does not hide it.
  const replaced = `${exceptionRule(false)}- rule: Dump To Stdout\n  exceptions:\n    - name: ci\n      fields: proc.pname\n      values: [ci.sh]\n  override:\n    exceptions: replace\n`;
  assert.deepEqual(only(findingsOf({ [BASE]: replaced }, BASE, '0.40'), /proc\.aargs:/),
    ["1 unknown-field proc.aargs: In Falco 0.40, 'proc.aargs' is no filter field of the rule's source: it was added in Falco 0.41. (LOAD_ERR_VALIDATE)"]);
});

test('an exception that override: exceptions: replace brings is judged in the condition it is pasted into, as at the latest release', () => {
  const base = exceptionRule(true, 'proc.pname');
  const replacing = (values: string) => `- rule: Dump To Stdout\n  exceptions:\n    - name: ci\n      fields: [proc.aargs]\n${values}  override:\n    exceptions: replace\n`;
  const pasted = only(findingsOf({ [BASE]: base, [LOCAL]: replacing('      values: [[--single-transaction]]\n') }, LOCAL, '0.40'), /proc\.aargs:/);
  assert.deepEqual(pasted, ["2 unknown-field proc.aargs: 'proc.aargs' is not a supported filter field in Falco 0.40: it was added in Falco 0.41. The rule is skipped because of skip-if-unknown-filter. Falco does not check the fields of exceptions an 'override: exceptions: replace' brings when it reads them; it fails on this one when it pastes the exception's values into the rule's condition. (LOAD_UNKNOWN_FILTER)"]);
  const unpasted = only(findingsOf({ [BASE]: base, [LOCAL]: replacing('') }, LOCAL, '0.40'), /proc\.aargs:/);
  assert.equal(unpasted.length, 1);
  assert.match(unpasted[0], /^2 unknown-field proc\.aargs: .*Not checked by Falco yet: .*It will reject the condition then\.$/);
  // The latest release says the same of an unknown field there.
  const latest = only(findingsOf({ [BASE]: base, [LOCAL]: replacing('      values: [[--single-transaction]]\n').replace('proc.aargs', 'proc.nmae') }, LOCAL), /proc\.nmae:/);
  assert.match(latest[0], /^2 unknown-field proc\.nmae: .*The rule is skipped because of skip-if-unknown-filter\. Falco does not check the fields of exceptions an 'override: exceptions: replace' brings/);
});

function complete(marked: string, falcoVersion: string): CompletionItem[] {
  const { service, host } = workspace({});
  host.config = { ...host.config, falcoVersion };
  const { doc, position } = openAt(service, '/ws/rules.yaml', marked);
  return service.completion!(doc, position)?.items ?? [];
}

function hoverText(marked: string, falcoVersion: string): { value: string; covered: string } {
  const { service, host } = workspace({});
  host.config = { ...host.config, falcoVersion };
  const { doc, position, text } = openAt(service, '/ws/rules.yaml', marked);
  const h = service.hover!(doc, position);
  assert.ok(h, 'expected a hover');
  return { value: (h.contents as MarkupContent).value, covered: text.slice(doc.offsetAt(h.range!.start), doc.offsetAt(h.range!.end)) };
}

const inCondition = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: "o %proc.name"\n  priority: INFO\n`;

test('completion: a field whose argument the target lacks says so (proc.args before 0.41), in its detail and documentation', () => {
  const NO_INDEX = "Falco 0.40 (the target release) reads `proc.args` without an argument only, which came with Falco 0.41: a condition reads `proc.args[0]` as a nonexistent field, an output prints `%proc.args` followed by the text `[0]`.";
  const at40 = complete(inCondition('evt.type = execve and proc.ar<|>'), '0.40').find((i) => i.label === 'proc.args')!;
  // Offered as usual (it works without an argument), not sorted last.
  assert.equal(at40.detail, 'CHARBUF — argument: Falco ≥ 0.41');
  assert.equal(at40.sortText, undefined);
  assert.ok((resolveCompletionItem(at40).documentation as MarkupContent).value.includes(NO_INDEX));
  // The hover of the field written without an argument says the same.
  assert.ok(hoverText(inCondition('evt.type = execve and proc.ar<|>gs contains x'), '0.40').value.includes(NO_INDEX));
  // Exception fields are offered the same way.
  const exceptionField = complete(`${inCondition('evt.type = execve')}  exceptions:\n    - name: e\n      fields: [proc.ar<|>]\n`, '0.40').find((i) => i.label === 'proc.args');
  assert.equal(exceptionField?.detail, 'CHARBUF — argument: Falco ≥ 0.41');
  for (const target of ['0.41', '0.44']) {
    const item = complete(inCondition('evt.type = execve and proc.ar<|>'), target).find((i) => i.label === 'proc.args')!;
    assert.equal(item.detail, 'CHARBUF', target);
    assert.ok(!(resolveCompletionItem(item).documentation as MarkupContent).value.includes('without an argument only'), target);
  }
});

test('completion inside a field\'s bracket argument offers no field, at any target', () => {
  for (const target of ['0.40', '0.44']) {
    for (const typed of ['proc.args[<|>', 'proc.args[1<|>', 'proc.env["HO<|>', 'k8s.pod.label[<|>', '(proc.args[<|>', 'proc.env["a[b<|>', 'proc.name in (a, b) and proc.env["X<|>']) {
      assert.deepEqual(complete(inCondition(`evt.type = execve and ${typed}`), target).map((i) => i.label), [], `${target} ${typed}`);
    }
    // After the closing bracket, operators again; after `and`, fields.
    assert.ok(complete(inCondition('evt.type = execve and proc.args[1] <|>'), target).some((i) => i.label === 'contains'), target);
    assert.ok(complete(inCondition('evt.type = execve and proc.args[1] = x and proc.na<|>'), target).some((i) => i.label === 'proc.name'), target);
  }
});

const inOutput = (output: string) => `- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: "o ${output}"\n  priority: INFO\n`;

test('output hovers of a k8s label in the dot form or in brackets say what the target reads, as condition hovers do', () => {
  for (const target of ['0.37', '0.40', '0.41', '0.44']) {
    for (const ref of ['k8s.pod.label.team', 'k8s.pod.label[team]', 'k8s.ns.label.tier']) {
      const condition = hoverText(inCondition(`evt.type = execve and <|>${ref} = payments`), target);
      const name = hoverText(inOutput(`%<|>${ref} pod=%k8s.pod.name`), target);
      assert.equal(name.value, condition.value, `${target} ${ref}`);
      // On the argument: the same text, over the whole reference from its '%' (a bracket argument ends at ']').
      const onArgument = hoverText(inOutput(`%${ref.replace(/(team|tier)\]?$/, (m) => `${m.slice(0, 2)}<|>${m.slice(2)}`)} pod=%k8s.pod.name`), target);
      assert.deepEqual(onArgument, { value: condition.value, covered: `%${ref}` }, `${target} ${ref}`);
      if (!ref.includes('[')) assert.equal(name.covered, `%${ref}`, `${target} ${ref}`);
    }
  }
  const at40 = hoverText(inOutput('%k8s.pod.lab<|>el.team'), '0.40').value;
  assert.match(at40, /Falco 0\.40 \(the target release\) reads the dot form; from Falco 0\.41 on only `k8s\.pod\.label\[team\]` works\./);
  assert.match(at40, /- Argument here: `team`/);
  assert.match(hoverText(inOutput('%k8s.pod.lab<|>el.team'), '0.44').value, /\*\*Not in Falco 0\.44\*\* \(the target release\) in the dot form: Falco 0\.40 and older read it/);
  // The label runs over what libsinsp's k8s check read after the dot (letters, digits, '/', '_', '-', '.').
  const slashed = hoverText(inOutput('%k8s.pod.label.app.kubernetes.io/na<|>me pod=%k8s.pod.name'), '0.40');
  assert.equal(slashed.covered, '%k8s.pod.label.app.kubernetes.io/name');
  assert.match(slashed.value, /- Argument here: `app\.kubernetes\.io\/name`/);
  // A field without a dot form keeps its own name: what follows is the output's text.
  assert.equal(hoverText(inOutput('%proc.na<|>me.team'), '0.40').covered, '%proc.name');
});

test('output hover of proc.args[N] before Falco 0.41: the formatter prints the field and then the text, as the diagnostic says', () => {
  const output = hoverText(inOutput('%proc.ar<|>gs[0]'), '0.40');
  assert.equal(output.covered, '%proc.args');
  assert.match(output.value, /\*\*Not in Falco 0\.40\*\* \(the target release\): the argument was added in Falco 0\.41; Falco 0\.40 in an output prints `%proc\.args` followed by the text `\[0\]`\./);
  assert.doesNotMatch(output.value, /nonexistent field/);
  assert.match(hoverText(inCondition('proc.ar<|>gs[0] = x'), '0.40').value, /Falco 0\.40 reads `proc\.args\[0\]` as a nonexistent field\./);
  assert.doesNotMatch(hoverText(inOutput('%proc.ar<|>gs[0]'), '0.41').value, /Not in Falco/);
});
