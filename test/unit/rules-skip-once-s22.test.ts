// Under skip-if-unknown-filter Falco skips a rule at its first unknown field and warns once (LOAD_UNKNOWN_FILTER):
// every release from 0.37 to 0.44 checks the output (is_format_valid) before it compiles the condition
// (rule_loader_compiler.cpp compile_rule_infos, 0.37.0:463-486, 0.38.0:515-546, 0.44.0:496-536; 0.37 parses the
// condition earlier, :442, but unknown fields are found by the compile). A rule with an unknown field in its output and
// in its condition (its own text, a macro's, an appended condition) gets one warning, at the output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const RELEASES = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44'];
const SKIP = '  skip-if-unknown-filter: true\n';
const CASES: Record<string, string> = {
  'its own condition': `- rule: r\n  desc: d\n  condition: evt.type = execve and proc.nope = 1\n  output: x %proc.nada\n  priority: INFO\n${SKIP}`,
  'a macro': `- macro: m\n  condition: proc.nope = 1\n- rule: r\n  desc: d\n  condition: evt.type = execve and m\n  output: x %proc.nada\n  priority: INFO\n${SKIP}`,
  'an appended condition': `- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: x %proc.nada\n  priority: INFO\n${SKIP}- rule: r\n  condition: and proc.nope = 1\n  override:\n    condition: append\n`,
  'an appended output': `- rule: r\n  desc: d\n  condition: evt.type = execve and proc.nope = 1\n  output: x\n  priority: INFO\n${SKIP}- rule: r\n  output: y %proc.nada\n  override:\n    output: append\n`,
};

test('one skip warning per rule, at the output, at every release', () => {
  for (const [what, text] of Object.entries(CASES)) {
    for (const target of RELEASES) {
      const warnings = findingsAt('/ws/r.yaml', text, target).filter((f) => f.startsWith('2 '));
      assert.deepEqual(warnings.map((f) => f.split(':')[0]), ['2 unknown-field proc.nada'], `${what} at ${target}`);
      assert.match(warnings[0], /skipped because of skip-if-unknown-filter/, `${what} at ${target}`);
    }
  }
});
