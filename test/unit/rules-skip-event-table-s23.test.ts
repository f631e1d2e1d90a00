// An earlier file's skips are found at the target's event table, as that file's own validation finds them: at Falco
// 0.38 'mseal' is no event (libs 0.17.1's table; added in 0.39), so a rule with skip-if-unknown-filter whose condition
// compares evt.type with it is skipped there (rule_loader_compiler.cpp 0.38.0:445-458, err_is_unknown_type_or_field).
// A later file's append to that condition is compiled after that point and is not where Falco skips the rule. The
// earlier file's skip memo (ruleSkips.ts fileSkips) counted names in Falco 0.44's table, where mseal is an event, and
// said the later file's unknown field was the skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

const FILES: Record<string, string> = {
  '/ws/a.yaml': '- rule: r\n  desc: d\n  condition: evt.type = mseal and proc.name = x\n  output: o\n  priority: INFO\n  skip-if-unknown-filter: true\n',
  '/ws/b.yaml': '- rule: r\n  condition: and proc.nosuch = 1\n  override:\n    condition: append\n',
};

function laterFileFinding(target: string) {
  const host = new MemoryHost(FILES, { folders: ['/ws'], ruleFiles: Object.keys(FILES) });
  host.config = { ...host.config, falcoVersion: target };
  const svc = createRulesService(host);
  const doc = rulesDoc('/ws/b.yaml', FILES['/ws/b.yaml']);
  svc.didOpenOrChange?.(doc);
  const found = svc.diagnostics(doc).filter((d) => d.code === 'unknown-field');
  assert.equal(found.length, 1, target);
  return found[0];
}

test('at 0.38 the earlier file\'s evt.type = mseal is the skip; the appended unknown field comes after it', () => {
  const d = laterFileFinding('0.38');
  assert.match(String(d.message), /skips the rule at mseal \(line 3 of a\.yaml\)/);
  assert.doesNotMatch(String(d.message), /The rule is skipped because of skip-if-unknown-filter/);
});

test('at 0.44 mseal is an event: the appended unknown field is the skip', () => {
  const d = laterFileFinding('0.44');
  assert.match(String(d.message), /The rule is skipped because of skip-if-unknown-filter/);
});
