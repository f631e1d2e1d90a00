// An item Falco's reader refuses stops the file before anything is compiled (rule_loader_reader.cpp reader::read
// returns at the first error, and falco_engine.cpp load_rules compiles only after a successful read; the same at
// 0.37.0-0.44.1): a `condition: and ...` of such an item is checked as the append its author meant, so Falco's one
// error is said once, without a syntax error at its leading 'and' that Falco never reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;
const BASE = rule('evt.type = open');
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);

test('a refused override: only Falco\'s error, not a syntax error at the appended text\'s leading and/or', () => {
  const refused: Record<string, [string, string]> = {
    'a misspelt operation': ['  override:\n    condition: appned\n', '1 invalid-override appned'],
    'an operation written as a list': ['  override:\n    condition: [append]\n', '1 invalid-override [append]'],
    'an override written as a list': ['  override:\n    - condition: append\n', '1 invalid-override - condition'],
    'no entry for the condition': ['  output: more\n  override:\n    output: append\n', '1 missing-override-entry condition'],
  };
  for (const target of ['0.37', '0.40', '0.44']) {
    for (const [what, [override, said]] of Object.entries(refused)) {
      for (const joint of ['and', 'or']) {
        const found = findingsAt(FILE, BASE + `- rule: r\n  condition: ${joint} proc.name = x\n${override}`, target);
        assert.deepEqual(codes(found), [said], `${what} ${joint} ${target}`);
      }
    }
    // A new rule without output and priority: Falco says the missing keys ("Item has no mapping for key"), and the
    // item redefines nothing (s21: the reader throws before collector.define).
    assert.deepEqual(codes(findingsAt(FILE, BASE + '- rule: r\n  desc: d\n  condition: and proc.name = x\n', target)),
      ['1 missing-required-key rule'], target);
  }
});

test('the appended text of a refused override is still checked as an append', () => {
  const found = findingsAt(FILE, BASE + '- rule: r\n  condition: and proc.nosuch = x\n  override:\n    condition: appned\n', '0.44');
  assert.deepEqual(codes(found), ['1 invalid-override appned', '1 unknown-field proc.nosuch']);
});

test('a macro whose override Falco refuses is no redefinition of the macro', () => {
  // Read as a redefinition, the macro became `or proc.name = x` and the rule lost its event type (no-evttype).
  const text = '- macro: m\n  condition: evt.type = open\n' + rule('m') + '- macro: m\n  condition: or proc.name = x\n  override:\n    condition: appendd\n';
  for (const target of ['0.37', '0.44']) assert.deepEqual(codes(findingsAt(FILE, text, target)), ['1 invalid-override appendd'], target);
  // With no earlier macro of its name it stands as the definition it would otherwise be: no 'no previous definition'
  // and no undefined macro besides Falco's one error.
  const alone = '- macro: m\n  condition: or proc.name = x\n  override:\n    condition: appned\n' + rule('evt.type = open and m');
  for (const target of ['0.37', '0.44']) assert.deepEqual(codes(findingsAt(FILE, alone, target)), ['1 invalid-override appned'], target);
});

test('a condition Falco compiles whole keeps its syntax error', () => {
  for (const target of ['0.37', '0.44']) {
    // Replaced, or a whole new rule: Falco parses the text as written.
    assert.deepEqual(codes(findingsAt(FILE, BASE + '- rule: r\n  condition: and proc.name = x\n  override:\n    condition: replace\n', target)), ['1 condition-syntax and'], target);
    assert.deepEqual(codes(findingsAt(FILE, rule('and proc.name = x'), target)), ['1 condition-syntax and'], target);
    // A word that only starts with 'and' is a macro name.
    assert.deepEqual(codes(findingsAt(FILE, BASE + '- macro: android\n  condition: proc.name = x\n- rule: r\n  condition: android\n  override:\n    condition: appned\n', target)), ['1 invalid-override appned'], target);
  }
});

// A rule's override with no earlier rule of its name. The reader refuses some before its collector looks for the
// earlier rule (decode_overrides; `append: true` beside an override; an appended key the item lacks), and the
// collector throws 'no previous rule' before the reader finds the rest (a replaced key missing beside an append, a key
// with no entry under override): rule_loader_reader.cpp read_item, 0.37.0:532-652, 0.44.0:691-858.
test('a refused rule override with no earlier rule: the reader\'s error only, no \'no previous definition\'', () => {
  const refused: Record<string, [string, string]> = {
    'a misspelt operation': ['  condition: and proc.name = x\n  override:\n    condition: appned\n', '1 invalid-override appned'],
    'an operation written as a list': ['  condition: and proc.name = x\n  override:\n    condition: [append]\n', '1 invalid-override [append]'],
    'an override written as a list': ['  condition: and proc.name = x\n  override:\n    - condition: append\n', '1 invalid-override - condition'],
    'a key that cannot be appended to': ['  enabled: false\n  override:\n    enabled: append\n', '1 cannot-append append'],
    'append: true beside an override': ['  output: more\n  append: true\n  override:\n    output: append\n', '1 append-with-override append'],
    'an appended key the item lacks': ['  output: more\n  override:\n    output: append\n    desc: append\n', '1 override-without-key desc'],
    'a replaced key the item lacks, nothing appended': ['  output: more\n  override:\n    output: replace\n    priority: replace\n', '1 override-without-key priority'],
  };
  for (const target of ['0.37', '0.44']) {
    for (const [what, [body, said]] of Object.entries(refused)) {
      assert.deepEqual(codes(findingsAt(FILE, `- rule: r\n${body}`, target)), [said], `${what} ${target}`);
    }
  }
});

test('a rule override the collector refuses first: \'no previous definition\' only; after an earlier rule, the reader\'s error', () => {
  const later: Record<string, [string, string]> = {
    'a key with no entry under override': ['  output: more\n  condition: and proc.name = x\n  override:\n    output: append\n', '1 missing-override-entry condition'],
    'a replaced key missing beside an append': ['  output: more\n  override:\n    output: append\n    priority: replace\n', '1 override-without-key priority'],
  };
  for (const target of ['0.37', '0.44']) {
    for (const [what, [body, said]] of Object.entries(later)) {
      assert.deepEqual(codes(findingsAt(FILE, `- rule: r\n${body}`, target)), ['1 no-previous-definition r'], `${what} ${target}`);
      assert.deepEqual(codes(findingsAt(FILE, BASE + `- rule: r\n${body}`, target)), [said], `${what} after a rule ${target}`);
    }
  }
});
