// Operators after a field whose argument is written after a dot: evt.rawarg.<name> takes the operators of its event
// argument's type (operators.ts rawargType, read from libs 0.25.2's event table; the condition checks judge it so),
// evt.arg.<name> those of its text. And the modifiers oneof/anyof/allof, new in Falco 0.44 (libs 0.25.2 parser.cpp
// lex_str_op_modifier), are not offered at 0.37-0.43, where `startswith oneof` compares with the text "oneof", nor
// lists after them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList } from 'vscode-languageserver-types';
import { openAt, workspace } from './rules-nav-helpers';
import { findingsAt } from './rules-host';

const R = (condition: string) => `- list: l\n  items: [a]\n- rule: R\n  desc: d\n  condition: evt.type = open and ${condition}\n  output: o\n  priority: INFO\n`;

function complete(marked: string, target = '0.44') {
  const { service, host } = workspace({});
  host.config = { ...host.config, falcoVersion: target };
  const { doc, position } = openAt(service, '/ws/rules.yaml', marked);
  const result = service.completion!(doc, position) as CompletionList | null;
  return { result, labels: (result?.items ?? []).map((i) => i.label) };
}

test('evt.rawarg.<name>: the operators of the event argument\'s type, each one the checks accept', () => {
  const res = complete(R('evt.rawarg.res <|>'));
  assert.deepEqual(res.labels, ['exists', '=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects']);
  assert.match(res.result!.items[1].detail!, /event argument type ERRNO/);
  assert.deepEqual(complete(R('evt.rawarg.addr <|>')).labels, ['exists']);
  const name = complete(R('evt.rawarg.name <|>')).labels;
  assert.ok(name.includes('startswith') && name.includes('glob') && !name.includes('bcontains'), name.join());
  // Every operator offered compiles without an operator-type error; the one left out does not.
  for (const op of res.labels.filter((o) => o !== 'exists' && o !== 'in' && o !== 'intersects')) {
    assert.deepEqual(findingsAt('/ws/rules.yaml', R(`evt.rawarg.res ${op} 2`), '0.44').filter((f) => f.includes('operator-type')), [], op);
  }
  assert.equal(findingsAt('/ws/rules.yaml', R('evt.rawarg.res contains 2'), '0.44').filter((f) => f.includes('operator-type')).length, 1);
  // evt.arg.<name> is the argument as text.
  const arg = complete(R('evt.arg.fd <|>')).labels;
  assert.ok(arg.includes('contains') && arg.includes('startswith'), arg.join());
});

test('oneof/anyof/allof are not offered before Falco 0.44, nor list names after them', () => {
  for (const target of ['0.37', '0.40', '0.43']) {
    const after = complete(R('proc.name startswith <|>'), target).labels;
    assert.ok(!after.includes('oneof') && !after.includes('anyof') && !after.includes('allof'), `${target}: ${after.join()}`);
    // There the word is the value compared with: the check is complete.
    assert.deepEqual(complete(R('proc.name startswith oneof <|>'), target).labels, ['and', 'or', 'and not'], target);
    assert.deepEqual(complete(R('proc.name startswith oneof (<|>'), target).labels, [], target);
  }
  assert.deepEqual(complete(R('proc.name startswith <|>'), '0.44').labels, ['val()', 'oneof', 'anyof', 'allof']);
  assert.deepEqual(complete(R('proc.name startswith oneof <|>'), '0.44').labels, ['l']);
  assert.deepEqual(complete(R('proc.name startswith oneof (<|>'), '0.44').labels, ['l']);
});
