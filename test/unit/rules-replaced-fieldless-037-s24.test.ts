// An exception without 'fields' that an 'override: exceptions: replace' brings. Falco 0.38 and later read such
// exceptions as new ones and refuse one without fields (rule_loader_reader.cpp 0.38.0:653 read_rule_exceptions(...,
// false): "Item has no mapping for key 'fields'"). Falco 0.37 reads them as appended ones, whose fields are optional
// (0.37.0:603, read_rule_exceptions(..., true)); selective_replace takes them unchecked, and build_rule_exception_infos
// (rule_loader_compiler.cpp 0.37.0:74-153) pastes one with values into the condition with an empty field, which then
// fails to parse, or names undefined macros. At 0.37 the latest release's refusal was said; now 0.37's own outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOfFiles } from './rules-host';

const BASE = `- macro: known
  condition: proc.name = x
- rule: R
  desc: d
  condition: evt.type = execve and known
  output: o
  priority: INFO
  exceptions:
    - name: e
      fields: proc.name
      values: [a]
`;
const replace = (exception: string) => `- rule: R\n  exceptions:\n    - name: e\n${exception}  override:\n    exceptions: replace\n`;
/** b.yaml's findings at the target, as `severity code message`. */
const at = (exception: string, target: string) => findingsOfFiles({ '/ws/a.yaml': BASE, '/ws/b.yaml': replace(exception) }, target)['/ws/b.yaml']
  .map((f) => `${f.split(' ').slice(0, 2).join(' ')} ${f.slice(f.indexOf(': ') + 2)}`);
const READ = "Falco 0.37 reads exception 'e' without 'fields' (it reads the exceptions of 'override: exceptions: replace' as appended ones, whose fields are optional; from 0.38 it refuses them)";

test('at 0.38 and later: refused by the reader', () => {
  for (const target of ['0.38', '0.44']) {
    assert.deepEqual(at('      values: [sshd]\n', target), ["1 exception-invalid Exception 'e' has no 'fields': an exception needs the fields it compares. (LOAD_ERR_YAML_VALIDATE)"], target);
  }
});

test('at 0.37: what the compile makes of the pasted values', () => {
  assert.deepEqual(at('      values: [sshd]\n', '0.37'), [`1 undefined-macro ${READ}, and pastes its values into the rule's condition with no field, \`… and not (  (sshd))\`, where 'sshd' reads as a macro's name: Falco fails to load the rule ("Undefined macro 'sshd' used in filter"). (LOAD_ERR_COMPILE_CONDITION)`]);
  assert.deepEqual(at('      values: [a, b]\n', '0.37'), [`1 condition-syntax ${READ}, and pastes its values into the rule's condition with no field, \`… and not (  (a, b))\`, which does not parse (unexpected ',': expected 'and', 'or' or ')'): Falco fails to load the rule. (LOAD_ERR_COMPILE_CONDITION)`]);
  assert.match(at('      values: [[a]]\n', '0.37')[0], /^1 exception-invalid .* a value that is a list makes it fail to load the rule .*"Expected values array to contain a list of strings"\)\. \(LOAD_ERR_COMPILE_CONDITION\)$/);
  // A defined macro's name compiles: a warning, the exception excepting what the macro matches.
  assert.match(at('      values: [known]\n', '0.37')[0], /^2 exception-invalid .*`… and not \( {2}\(known\)\)`: it compiles, the values read as macros' names/);
  // No values: nothing pasted, the replace leaves the rule excepting nothing.
  assert.deepEqual(at('', '0.37'), [`2 exception-invalid ${READ}, and with no values adds nothing to the rule's condition: after this replace, rule 'R' excepts nothing.`]);
});
