// Session 18: a rules file the configuration loads twice replaces its own items with the same items (the second load
// redefines each rule, macro and list, rule_loader_collector.cpp define at 0.44.0), and Falco compiles the rules that
// stand after each file, marking a macro used by the rules it compiles then (rule_loader_compiler.cpp). A macro whose
// only use is dropped later is unused at that file's load; the finding names the text once, not once per load.
// (The repeating entry itself is flagged in falco.yaml: config-rules-loaded-again-s16.)
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost, rulesDoc, summarize } from './rules-host';

const F = '- macro: m\n  condition: proc.name = x\n- rule: R\n  desc: d\n  condition: evt.type = execve and m\n  output: "o"\n  priority: INFO\n';
const G = '- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: "o"\n  priority: INFO\n';

function unused(files: string[]): string[] {
  const host = new MemoryHost({ '/r/f.yaml': F, '/r/g.yaml': G }, { ruleFiles: files });
  const s = new FalcoLanguageService(host);
  const d = rulesDoc('/r/f.yaml', F);
  s.rules.didOpenOrChange?.(d);
  return s.rules.diagnostics(d).filter((x) => x.code === 'unused-macro').map(summarize);
}

test('a file loaded twice: its own repeat keeps the macro used; a later file dropping the use is named once', () => {
  assert.deepEqual(unused(['/r/f.yaml', '/r/f.yaml']), []);
  const once = unused(['/r/f.yaml', '/r/g.yaml']);
  const twice = unused(['/r/f.yaml', '/r/f.yaml', '/r/g.yaml']);
  assert.equal(once.length, 1);
  assert.deepEqual(twice, [once[0].replace("rule 'R' (line 3)", "rule 'R' (line 3, in each load of this file)")]);
  assert.match(twice[0], /only in text dropped before Falco compiles it: the condition of rule 'R' \(line 3, in each load of this file\), which the definition at line 1 of g\.yaml replaces\. Falco/);
});
