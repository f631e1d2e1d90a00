// Unused macros and lists: a use in text that a later definition drops (a redefinition, or 'override: condition:
// replace' / 'exceptions: replace') is no use for Falco, which compiles after each file only the texts that stand then
// (rule_loader_collector.cpp define_info and selective_replace; rule_loader_compiler.cpp compile, LOAD_UNUSED_MACRO /
// LOAD_UNUSED_LIST after each compile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, findingsOfFiles as findings } from './rules-host';

const FILE = '/ws/rules.yaml';
const A = '/ws/a.yaml';
const B = '/ws/b.yaml';
const RELEASES = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44'];
const rule = (condition: string, extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;
const DEFS = '- list: l\n  items: [a]\n- macro: m\n  condition: proc.name = x\n';
const USES = 'evt.type = open and m and proc.name in (l)';
const unused = (f: string[]) => f.filter((x) => x.includes(' unused-'));

test('a macro and a list used only in a rule condition a later item of the file replaces are unused', () => {
  const said = (kind: string, name: string, by: string) => `3 unused-${kind.toLowerCase()} ${name}: ${kind} '${name}' is referred to only in text dropped before Falco compiles it: the condition of rule 'r' (line 5), which the ${by} at line 10 replaces. Falco compiles the rules from the texts that stand after each file, so it warns that the ${kind.toLowerCase()} is unused. (LOAD_UNUSED_${kind.toUpperCase()})`;
  for (const target of RELEASES) {
    const redefined = DEFS + rule(USES) + rule('evt.type = open');
    assert.deepEqual(unused(findingsAt(FILE, redefined, target)), [said('List', 'l', 'definition'), said('Macro', 'm', 'definition')], target);
    const replaced = DEFS + rule(USES) + '- rule: r\n  condition: evt.type = open\n  override:\n    condition: replace\n';
    assert.deepEqual(unused(findingsAt(FILE, replaced, target)), [said('List', 'l', 'override'), said('Macro', 'm', 'override')], target);
    // Still named by the text that stands (the replacing condition, an append, another rule): used.
    assert.deepEqual(unused(findingsAt(FILE, DEFS + rule(USES) + rule(USES), target)), [], target);
    assert.deepEqual(unused(findingsAt(FILE, DEFS + rule('evt.type = open') + '- rule: r\n  condition: and m and proc.name in (l)\n  override:\n    condition: append\n', target)), [], target);
  }
});

test('a list in exception values an override replaces, and a list in macro text a redefinition replaces, are unused', () => {
  for (const target of ['0.37', '0.44']) {
    const exceptions = '  exceptions:\n    - name: e\n      fields: proc.name\n      comps: in\n      values: [l]\n';
    const replaced = '- list: l\n  items: [a]\n' + rule('evt.type = open', exceptions) + '- rule: r\n  exceptions:\n    - name: e\n      fields: proc.name\n      comps: in\n      values: [x]\n  override:\n    exceptions: replace\n';
    assert.match(unused(findingsAt(FILE, replaced, target)).join('\n'), /^3 unused-list l: List 'l' is referred to only in text dropped before Falco compiles it: the exceptions of rule 'r' \(line 3\), which the override at line 13 replaces\./, target);
    const macro = '- list: l\n  items: [a]\n- macro: n\n  condition: proc.name in (l)\n- macro: n\n  condition: proc.name = y\n' + rule('evt.type = open and n');
    assert.match(unused(findingsAt(FILE, macro, target)).join('\n'), /^3 unused-list l: List 'l' is referred to only in text dropped before Falco compiles it: the condition of macro 'n' \(line 3\), which the definition at line 5 replaces\./, target);
  }
});

test('a later file that redefines the rule: Falco warns when it compiles the rules after that file', () => {
  const said = (kind: string, name: string) => `3 unused-${kind.toLowerCase()} ${name}: ${kind} '${name}' is referred to, up to b.yaml, only in text dropped before Falco compiles it: the condition of rule 'r' (line 5), which the definition at line 1 of b.yaml replaces. Falco compiles the rules from the texts that stand after each file, so it warns when it loads b.yaml that the ${kind.toLowerCase()} is unused. (LOAD_UNUSED_${kind.toUpperCase()})`;
  for (const target of RELEASES) {
    const found = findings({ [A]: DEFS + rule(USES), [B]: rule('evt.type = open') }, target);
    assert.deepEqual(unused(found[A]), [said('List', 'l'), said('Macro', 'm')], target);
    assert.deepEqual(found[B], [], target);
    const condition = findings({ [A]: DEFS + rule(USES), [B]: '- rule: r\n  condition: evt.type = open\n  override:\n    condition: replace\n' }, target);
    assert.equal(unused(condition[A]).length, 2, target);
    // The replacing file uses them itself: used.
    assert.deepEqual(unused(findings({ [A]: DEFS + rule(USES), [B]: rule(USES) }, target)[A]), [], target);
  }
});

test('a use in a file after the one that drops the text counts only from that file\'s compile on', () => {
  const C = '/ws/c.yaml';
  for (const target of ['0.37', '0.44']) {
    const found = findings({ [A]: DEFS + rule(USES), [B]: rule('evt.type = open'), [C]: rule(USES).replace('rule: r', 'rule: q') }, target);
    assert.deepEqual(unused(found[A]).map((f) => f.split(':')[0]), ['3 unused-list l', '3 unused-macro m'], target);
    assert.match(unused(found[A])[1], /^3 unused-macro m: Macro 'm' is referred to, up to b\.yaml, only in text dropped before Falco compiles it: .* it warns when it loads b\.yaml that the macro is unused\./, target);
  }
});

// From 0.38 a rule skipped at its output under skip-if-unknown-filter is not parsed either (compile_condition, which
// marks the macros and lists used, runs after is_format_valid: rule_loader_compiler.cpp 0.38.0:515-546,
// 0.44.0:496-536); at 0.37 parse_condition and resolve_macros ran first (0.37.0:442-443, output check :463).
test('a name used once in dropped text and once by a rule skipped at its output is unused from 0.38', () => {
  const skipped = rule(USES, '  skip-if-unknown-filter: true\n').replace('rule: r', 'rule: s').replace('output: o', 'output: o %proc.nosuch');
  for (const target of RELEASES) {
    const own = unused(findingsAt(FILE, DEFS + rule(USES) + skipped + rule('evt.type = open'), target));
    const later = findings({ [A]: DEFS + rule(USES) + skipped, [B]: rule('evt.type = open') }, target);
    if (target === '0.37') {
      assert.deepEqual(own, [], target);
      assert.deepEqual(unused(later[A]), [], target);
      continue;
    }
    assert.deepEqual(own, ['List', 'Macro'].map((kind) => `3 unused-${kind.toLowerCase()} ${kind === 'List' ? 'l' : 'm'}: ${kind} '${kind === 'List' ? 'l' : 'm'}' is referred to only in text dropped before Falco compiles it: the condition of rule 'r' (line 5), which the definition at line 16 replaces; and by rule 's', which Falco skips at %proc.nosuch in its output under skip-if-unknown-filter before it parses the condition (from Falco 0.38). Falco compiles the rules from the texts that stand after each file, so it warns that the ${kind.toLowerCase()} is unused. (LOAD_UNUSED_${kind.toUpperCase()})`), target);
    assert.deepEqual(unused(later[A]).map((f) => f.split(':')[0]), ['3 unused-list l', '3 unused-macro m'], target);
    assert.match(unused(later[A])[1], /, up to b\.yaml, only in text dropped .* replaces; and by rule 's', which Falco skips at %proc\.nosuch in its output .* it warns when it loads b\.yaml that the macro is unused\./, target);
    // Another use that stands: used.
    assert.deepEqual(unused(findingsAt(FILE, DEFS + rule(USES) + skipped + rule(USES), target)), [], target);
    // The later file changes the skipped rule's output: its skip there is not assumed.
    const fixed = findings({ [A]: DEFS + rule(USES) + skipped, [B]: rule('evt.type = open') + '- rule: s\n  output: o\n  override:\n    output: replace\n' }, target);
    assert.deepEqual(unused(fixed[A]), [], target);
  }
});
