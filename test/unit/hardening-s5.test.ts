// Hardening of session 5's rules checks: hostile values (regexes, ports, IP addresses, long texts), long event
// argument names, huge exceptions, deep macro chains (the reach walk) and a large file with one YAML error, all through
// the real rules service. Each test asserts the finding expected (code and range); a hang shows as the runner's timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { re2PosixError } from '../../server/src/service/rules/constantValues';
import type { MarkupContent } from 'vscode-languageserver-types';
import { MemoryHost, rulesDoc } from './rules-host';
import { openAt, workspace } from './rules-nav-helpers';

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

test('an evt.rawarg name of 10,000 characters: one unknown-field on the whole field', () => {
  const name = 'q'.repeat(10000);
  const got = findings(rule(`evt.type = open and evt.rawarg.${name} = 1`));
  assert.deepEqual(got, [['unknown-field', `evt.rawarg.${name}`.slice(0, 40), ERR]]);
  // A known prefix followed by 10,000 characters: still one finding on the field.
  assert.deepEqual(findings(rule(`evt.type = open and evt.arg.res${name} = 1`)).map(([code, covered]) => [code, covered]),
    [['unknown-field', `evt.arg.res${name}`.slice(0, 40)]]);
});

test('an exception with 900 fields, comps and values, and one with 20,000 values', () => {
  const count = 900; // under the 1,000 diagnostics a file keeps
  const fields = Array.from({ length: count }, () => 'proc.pid').join(', ');
  const comps = Array.from({ length: count }, () => 'startswith').join(', ');
  const values = Array.from({ length: count }, (_, k) => String(k)).join(', ');
  const text = rule('evt.type = execve', `  exceptions:\n    - name: wide\n      fields: [${fields}]\n      comps: [${comps}]\n      values:\n        - [${values}]\n`);
  const got = findings(text).filter(([code]) => code === 'operator-type');
  assert.equal(got.length, count);
  assert.deepEqual(got[0], ['operator-type', 'startswith', ERR]);
  const many = Array.from({ length: 20000 }, (_, k) => `        - ${k === 19999 ? 99999999999 : k}`).join('\n');
  const tall = rule('evt.type = execve', `  exceptions:\n    - name: tall\n      fields: fd.sport\n      values:\n${many}\n`);
  const errors = findings(tall).filter(([code]) => code === 'invalid-value');
  assert.deepEqual(errors, [['invalid-value', '99999999999', ERR]]);
});

test('a chain of 5,000 macros each using the next (defined before use), reached by a rule or not', () => {
  const depth = 5000;
  const macros = Array.from({ length: depth }, (_, k) =>
    `- macro: m${k}\n  condition: ${k + 1 < depth ? `m${k + 1}` : 'fd.sport = 70000'}\n`).reverse().join('');
  // Reached: the port that wraps is a warning at the end of the chain.
  const reached = findings(macros + rule('evt.type = connect and m0'));
  assert.deepEqual(reached.filter(([code]) => code !== 'unused-macro'), [['port-wraps', '70000', WARN]]);
  // Not reached: the same chain without the rule; the finding is information, and every macro but the first is used.
  const unreached = diagnose(macros);
  const wraps = unreached.filter((d) => d.code === 'port-wraps');
  assert.equal(wraps.length, 1);
  assert.equal(wraps[0].severity, 3);
  assert.deepEqual(unreached.filter((d) => d.code === 'unused-macro').map((d) => d.range.start.line), [2 * (depth - 1)]);
});

test('a file of 5,000 rules, one with a YAML error: the error is in its item and the others are read', () => {
  const items = Array.from({ length: 5000 }, (_, k) => rule(k === 2500 ? 'evt.type = execve and\n  bad key here\n  foo' : 'evt.type = execve', '', `R${k}`));
  const text = items.join('');
  const got = diagnose(text);
  assert.ok(got.length > 0);
  const lines = text.split('\n');
  const yamlErrors = got.filter((d) => d.code === 'yaml-syntax');
  assert.ok(yamlErrors.length >= 1);
  const item2500 = lines.indexOf('- rule: R2500');
  const item2501 = lines.indexOf('- rule: R2501');
  for (const d of yamlErrors) assert.ok(d.range.start.line >= item2500 && d.range.end.line < item2501, `YAML error at line ${d.range.start.line}`);
  // An error elsewhere is still found: an unknown field in the last rule.
  const withField = text.replace('- rule: R4999\n  desc: d\n  condition: >-\n    evt.type = execve', '- rule: R4999\n  desc: d\n  condition: >-\n    evt.type = execve and proc.nope = 1');
  assert.ok(diagnose(withField).some((d) => d.code === 'unknown-field' && d.range.start.line === lines.indexOf('- rule: R4999') + 3));
});

/** The hover's Markdown with its code spans removed: what is left is rendered as Markdown. */
function outsideCode(value: string): string {
  return value.replace(/(`+)[\s\S]*?\1/g, '');
}

test('hovers of the new paths keep hostile names in code spans (removed field with a dot argument, evt.rawarg, unknown field)', () => {
  const hostile = '[`x`<img/src=x/onerror=alert(1)>javascript:alert(1)]'; // a field argument: the only place a field name holds such text
  let answered = 0;
  for (const [marked, falcoVersion] of [
    [`- macro: m\n  condition: mesos.task.label.te<|>am${hostile} = a\n`, undefined],
    [`- macro: m\n  condition: mesos.task.label.te<|>am${hostile} = a\n`, '0.41'],
    [`- macro: m\n  condition: evt.rawarg.na<|>me${hostile} = a\n`, undefined],
    [`- macro: m\n  condition: proc.na<|>mex${hostile} = a\n`, '0.40'],
  ] as [string, string | undefined][]) {
    const { service, host } = workspace({});
    if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
    const { doc, position } = openAt(service, '/ws/rules.yaml', marked);
    const h = service.hover!(doc, position);
    if (!h) continue;
    answered++;
    const rest = outsideCode((h.contents as MarkupContent).value);
    assert.ok(!/javascript:|<img|onerror/.test(rest), `${marked.slice(0, 50)}: ${rest}`);
  }
  assert.ok(answered >= 3, `${answered} hovers`);
});

test('review: an unknown exception field in a rule of an unknown source is not an error (Falco skips the check)', () => {
  // rule_loader_collector.cpp 0.44.0 define: cfg.sources.at(source) is null for an unknown source, and
  // validate_exception_info checks fields only with a source. With source syscall the error stays.
  const withSource = (source: string) => rule('evt.type = execve', `  source: ${source}\n  exceptions:\n    - name: e\n      fields: [proc.nosuch]\n      values:\n        - [a]\n`);
  assert.deepEqual(findings(withSource('nosuchsource')).map(([code]) => code), ['unknown-source']);
  assert.deepEqual(findings(withSource('syscall')), [['unknown-field', 'proc.nosuch', ERR]]);
});
