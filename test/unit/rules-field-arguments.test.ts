// Field arguments as libsinsp reads them: its positional fields take a number in brackets; a name in brackets is
// rejected by Falco (`evt.arg[flags]`: "flags is not a valid number"), the dot form selects by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

function diagnosticsOf(condition: string) {
  const text = `- rule: Args\n  desc: d\n  condition: evt.type = execve and ${condition}\n  output: x %proc.name\n  priority: WARNING\n`;
  const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
  return { text, diagnostics: service.diagnostics(rulesDoc('/ws/falco_rules.local.yaml', text)).filter((d) => d.code === 'field-argument') };
}

test('a name in the brackets of a positional libsinsp field is an error at the field, with the dot form suggested', () => {
  const { text, diagnostics } = diagnosticsOf('evt.arg[flags] contains EXE_WRITABLE');
  assert.equal(diagnostics.length, 1);
  assert.match(String(diagnostics[0].message), /evt\.arg\.flags/);
  assert.equal(diagnostics[0].range.start.character, text.split('\n')[2].indexOf('evt.arg['));
  assert.equal(diagnostics[0].severity, 1);
  assert.equal(diagnosticsOf('proc.aname[parent] = bash').diagnostics.length, 1);
});

test('numbers in brackets, dot forms and key arguments are accepted', () => {
  for (const condition of ['evt.arg[1] contains x', 'evt.arg.flags contains EXE_WRITABLE', 'proc.aname[2] = bash', 'proc.aname = bash', 'k8s.pod.label[app] = web']) {
    assert.deepEqual(diagnosticsOf(condition).diagnostics.map((d) => String(d.message)), [], condition);
  }
});

test('an output bracket libsinsp cannot read as an argument is printed as text, as Falco\'s formatter does: a warning, not an output error', () => {
  const check = (output: string) => {
    const text = `- rule: Args\n  desc: d\n  condition: evt.type = execve\n  output: ${output}\n  priority: WARNING\n`;
    const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
    const line = text.split('\n')[3];
    return { line, diagnostics: service.diagnostics(rulesDoc('/ws/falco_rules.local.yaml', text)).filter((d) => d.range.start.line === 3) };
  };
  const blank = check('env %proc.env[A B] name %proc.name');
  assert.deepEqual(blank.diagnostics.map((d) => [d.code, d.severity]), [['field-argument', 2]], 'no output-syntax error');
  const d = blank.diagnostics[0];
  assert.equal(blank.line.slice(d.range.start.character, d.range.end.character), '[A B]');
  assert.match(String(d.message), /Falco prints %proc\.env followed by the text '\[A B\]'\. Quote it if it is the argument: %proc\.env\["A B"\]\.$/);
  assert.ok(!/LOAD_/.test(String(d.message)), 'Falco loads the rule');
  assert.deepEqual(check('env %proc.env["A B"] name %proc.name').diagnostics, [], 'a quoted argument is read');
  const open = check('name %proc.name[');
  assert.deepEqual(open.diagnostics.map((x) => open.line.slice(x.range.start.character, x.range.end.character)), ['[']);
});
