// The mid-output reading of Falco 0.37-0.42's thread check (a field without a valid argument is read only at the very
// end of the output) is judged on the output Falco builds, field by field as that output parses: the rule's text,
// then what later `override: output: append` items add (rule_loader_collector.cpp selective_append, output += ' ' +
// text, 0.37.0:267-270) and falco.yaml's append_output (rule_loader_compiler.cpp compile_rule_infos, extra_output from
// 0.39.0). A bracket the rule's text leaves open and the appended text closes is an argument there: the formatter
// hands the thread check the rest of the output (libs 0.14.2 eventformatter.cpp:151-167), which reads from '[' to the
// first ']' (sinsp_filtercheck_thread.cpp extract_arg, libs 0.14.2:177-200; parse_field_name reads nothing when it
// throws, 350-369), so `%proc.env[X` and an appended `y]` is `%proc.env[X y]`, read. The check judged the rule's
// text alone and said the argument was unset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost, rulesDoc } from './rules-host';
import { createRulesService } from '../../server/src/service/rules';

const A = '/ws/a.yaml';
const rule = (output: string) => `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: ${output}\n  priority: INFO\n  tags: [t1]\n`;
const append = (text: string) => `- rule: r\n  output: ${text}\n  override:\n    output: append\n`;
const OPEN = rule('"o %proc.env[X"');

function serviceAt(text: string, target: string, config?: string) {
  const host = new MemoryHost({ [A]: text, ...(config ? { '/etc/falco/falco.yaml': config } : {}) }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion: target, rules: { ...host.config.rules, files: [A] } };
  const svc = createRulesService(host);
  const doc = rulesDoc(A, text);
  svc.didOpenOrChange?.(doc);
  return { svc, doc };
}

const notes = (text: string, target: string, config?: string) => {
  const { svc, doc } = serviceAt(text, target, config);
  return svc.diagnostics(doc).filter((d) => d.code === 'field-argument').map((d) => `${d.range.start.line} ${String(d.message)}`);
};

function outputHover(text: string, target: string, config?: string): string {
  const { svc, doc } = serviceAt(text, target, config);
  const contents = svc.hover!(doc, { line: 3, character: text.split('\n')[3].indexOf('%proc') + 3 })?.contents;
  return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
}

test('an open bracket at the end of the rule\'s text: read alone at the end, mid-output; closed by an override\'s text, read', () => {
  for (const target of ['0.37', '0.40', '0.42']) {
    // The rule's text alone is the output: the note stands (what it said before).
    assert.match(notes(OPEN, target).join('\n'), /^3 In an output Falco 0\.\d+ prints %proc\.env with its argument unset/, target);
    // The override's 'y]' closes the bracket: Falco reads 'X y' as the argument, as in the same output written whole.
    assert.deepEqual(notes(OPEN + append('"y]"'), target), [], target);
    assert.deepEqual(notes(rule('"o %proc.env[X y]"'), target), [], target);
    assert.ok(!outputHover(OPEN + append('"y]"'), target).includes('In this output'), target);
  }
});

test('closed by falco.yaml\'s append_output (extra_output, Falco 0.39 and later)', () => {
  const config = 'append_output:\n  - match:\n      tags: [t1]\n    extra_output: "y]"\n';
  for (const target of ['0.39', '0.42']) assert.deepEqual(notes(OPEN, target, config), [], target);
  // Falco 0.38 reads no append_output: the rule's text is the output.
  assert.equal(notes(OPEN, '0.38', config).length, 1);
});

test('an edit of the appended text changes the verdict (the check\'s findings are kept by the text that follows too)', () => {
  const { svc } = serviceAt(OPEN + append('"y]"'), '0.37');
  let version = 1;
  for (const [text, count] of [[OPEN + append('more'), 1], [OPEN + append('"y]"'), 0], [OPEN, 1]] as const) {
    const doc = rulesDoc(A, text, ++version);
    svc.didOpenOrChange?.(doc);
    assert.equal(svc.diagnostics(doc).filter((d) => d.code === 'field-argument' && d.range.start.line === 3).length, count, text);
  }
});

test('the readings up to the first \']\' go on into the appended text too (Falco 0.37-0.43)', () => {
  // Falco 0.43's thread check reads 'X y' as the argument (0.44 would print the bracket as text): nothing to say.
  assert.deepEqual(notes(OPEN + append('"y]"'), '0.43'), []);
  // The argument read up to the ']' in the appended text holds '%proc.nosuch', which is then no field.
  const swallowed = rule('"o %proc.env[a %proc.nosuch"') + append('"b]"');
  for (const target of ['0.37', '0.40', '0.43']) {
    const { svc, doc } = serviceAt(swallowed, target);
    const found = svc.diagnostics(doc).filter((d) => d.range.start.line === 3);
    assert.deepEqual(found.map((d) => d.code), ['field-argument'], target);
    assert.match(String(found[0].message), /reads 'a %proc\.nosuch b' as the argument of %proc\.env/, target);
  }
});
