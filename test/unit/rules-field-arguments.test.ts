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
