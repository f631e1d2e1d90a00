// Hardening of session 5's rules checks: hostile values (regexes, ports, IP addresses, long texts), long event
// argument names, huge exceptions, deep macro chains (the reach walk) and a large file with one YAML error, all through
// the real rules service. Each test asserts the finding expected (code and range); a hang shows as the runner's timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { re2PosixError } from '../../server/src/service/rules/constantValues';
import { MemoryHost, rulesDoc } from './rules-host';

const LOCAL = '/ws/falco_rules.local.yaml';

function service() {
  return createRulesService(new MemoryHost({}, { ruleFiles: [] }));
}

function diagnose(text: string): Diagnostic[] {
  return service().diagnostics(rulesDoc(LOCAL, text));
}

function rule(condition: string, extra = '', name = 'Hostile'): string {
  return `- rule: ${name}\n  desc: d\n  condition: >-\n    ${condition}\n  output: x %proc.name\n  priority: WARNING\n${extra}`;
}

/** Findings as [code, covered text, severity], the covered text cut to 40 characters. */
function findings(text: string): [string, string, number][] {
  const lines = text.split('\n');
  return diagnose(text).map((d) => {
    assert.ok(d.range.start.line < lines.length && d.range.end.line < lines.length, 'range inside the document');
    const covered = d.range.start.line === d.range.end.line
      ? lines[d.range.start.line].slice(d.range.start.character, d.range.end.character) : '<multi-line>';
    return [String(d.code), covered.slice(0, 40), d.severity ?? 0];
  });
}

const ERR = 1, WARN = 2;

test('re2PosixError on pathological patterns answers without throwing', () => {
  const deep = 5000;
  assert.equal(re2PosixError('('.repeat(deep) + 'a' + ')'.repeat(deep)), undefined);
  assert.equal(re2PosixError('('.repeat(deep) + 'a'), 'missing )');
  assert.equal(re2PosixError('a' + ')'.repeat(deep)), 'unexpected )');
  assert.equal(re2PosixError('a{1000}{1000}{1000}'), 'invalid repetition size (nested counts over 1000)');
  assert.equal(re2PosixError('a{99999999999999999999}'), undefined); // too large a number: a literal '{' for RE2
  assert.equal(re2PosixError('a{1001}'), 'invalid repetition size');
  assert.equal(re2PosixError('(' + 'a{2}'.repeat(3000) + ')'), undefined); // each count on its own atom
  assert.equal(re2PosixError('('.repeat(10) + 'a' + '){2}'.repeat(10)), 'invalid repetition size (nested counts over 1000)');
  assert.equal(re2PosixError('[' + 'a-z'.repeat(30000) + ']'), undefined);
  assert.equal(re2PosixError('[' + 'a-z'.repeat(30000)), 'missing ]');
  assert.equal(re2PosixError('[[:' + 'x'.repeat(30000)), 'missing ]');
  assert.equal(re2PosixError('\ud800x\udc00'), undefined);
  assert.equal(re2PosixError('a\u0000b'), undefined);
  assert.equal(re2PosixError('\\x{' + 'f'.repeat(10000) + '}'), 'invalid escape sequence \\x{...}');
  assert.equal(re2PosixError('a'.repeat(100000) + '\\'), 'trailing \\');
});

test('hostile regex, port and IP values in a rule: the value error is on the value', () => {
  const longRegex = '('.repeat(120) + 'a' + ')'.repeat(120) + '[[:nope:]]';
  const cases: [string, string][] = [
    [`proc.name regex '${longRegex}'`, `'${longRegex}'`],
    [`proc.name regex 'a{1000}{1000}{1000}'`, `'a{1000}{1000}{1000}'`],
    [`fd.sport = ${'9'.repeat(5000)}`, '9'.repeat(40)],
    [`fd.ip = ${':'.repeat(5000)}`, ':'.repeat(40)],
    [`fd.ip = ${'::'.repeat(2000)}1`, ':'.repeat(40)],
    [`fd.net = ${'1:'.repeat(3000)}/64`, '1:'.repeat(20)],
    [`proc.name = ${'x'.repeat(100000)}`, 'x'.repeat(40)],
  ];
  for (const [condition, covered] of cases) {
    const got = findings(rule(`evt.type = execve and ${condition}`)).filter(([code]) => code === 'invalid-value');
    const all = findings(rule(`evt.type = execve and ${condition}`));
    assert.deepEqual(got, [['invalid-value', covered.slice(0, 40), ERR]], condition.slice(0, 60) + JSON.stringify(all));
  }
});
