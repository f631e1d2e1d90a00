// Completion of an exception's `values:` (a tuple of one value per field, each field's fixed values as a choice,
// written as YAML reads them back) and of block-style `comps:` and `values:` (a `- ` item per field or per tuple).
// Falco pairs the values of a tuple with the fields in order and compares each with its comp (rule_loader_compiler.cpp
// build_rule_exception_infos); a single field takes a list of values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver-types';
import { openAt, workspace } from './rules-nav-helpers';
import { applyEdits } from './rules-host';

const R = (extra: string) => `- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n${extra}`;
const EX = (fields: string, rest: string) => R(`  exceptions:\n    - name: e\n      fields: ${fields}\n${rest}`);

function complete(marked: string) {
  const { service } = workspace({});
  const { doc, position, text } = openAt(service, '/ws/rules.yaml', marked);
  const result = service.completion!(doc, position) as CompletionList | null;
  return { result, text, labels: (result?.items ?? []).map((i) => i.label) };
}

function item(result: CompletionList | null, label: string): CompletionItem {
  const found = result?.items.find((i) => i.label === label);
  assert.ok(found, `no '${label}' among ${result?.items.map((i) => i.label).join(', ')}`);
  return found;
}

/** The text after accepting a snippet with each placeholder's default (a choice's first option), the next lines
 *  indented like the line the completion starts on, as the editor does. */
function accept(text: string, i: CompletionItem): string {
  const edit = i.textEdit as TextEdit;
  const lineStart = text.lastIndexOf('\n', applyEdits(text, [{ ...edit, newText: '\u0000' }]).indexOf('\u0000') - 1) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  const body = edit.newText.replace(/\$\{\d+\|((?:\\.|[^,|\\])*)[,|][^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\\(.)/g, '$1').replace(/\n/g, `\n${indent}`);
  return applyEdits(text, [{ ...edit, newText: body }]);
}

const exceptionOf = (text: string) => parse(text)[0].exceptions[0];

test('values: a tuple of one value per field, fixed values as a choice quoted as YAML needs', () => {
  const { result, text } = complete(EX('[proc.name, fd.l4proto, evt.dir]', '      comps: [=, =, =]\n      values: <|>\n'));
  const flow = item(result, '[[proc.name, fd.l4proto, evt.dir]]');
  assert.equal((flow.textEdit as TextEdit).newText, '[[${1:proc.name}, ${2|tcp,udp,icmp,raw|}, ${3|"<",">"|}]]');
  assert.deepEqual(exceptionOf(accept(text, flow)).values, [['proc.name', 'tcp', '<']]);
  const block = item(result, '- [proc.name, fd.l4proto, evt.dir]');
  assert.deepEqual(exceptionOf(accept(text, block)).values, [['proc.name', 'tcp', '<']]);
  // A single field takes a list of its values; `4` and `n` are quoted (yaml-cpp reads n as a boolean).
  const single = complete(EX('fd.typechar', '      values: <|>\n'));
  const choice = (item(single.result, '[fd.typechar]').textEdit as TextEdit).newText;
  assert.match(choice, /^\[\$\{1\|f,d,"4","6",u,p,e,s,l,i,t,"n",b,r,m,P,o,X\|\}\]$/);
  assert.deepEqual(exceptionOf(accept(single.text, item(single.result, '[fd.typechar]'))).values, ['f']);
});

test('comps: a flow list or a block list with one comparison per field', () => {
  const { result, text } = complete(EX('[proc.name, fd.l4proto]', '      comps: <|>\n'));
  assert.deepEqual(exceptionOf(accept(text, item(result, '[=, =]'))).comps, ['=', '=']);
  const block = item(result, '- = (2 lines)');
  assert.deepEqual(exceptionOf(accept(text, block)).comps, ['=', '=']);
  assert.match(accept(text, block), /\n {6}comps: \n {8}- =\n {8}- =\n/);
});

test('a `- ` line of a block comps or values list: the comparison of the field at its place, a tuple of values', () => {
  // proc.pid is a number: no string operator at the second place.
  const comps = complete(EX('[proc.name, proc.pid]', '      comps:\n        - startswith\n        - <|>\n')).labels;
  assert.ok(comps.includes('<=') && !comps.includes('startswith'), comps.join());
  const first = complete(EX('[proc.name, proc.pid]', '      comps:\n        - <|>\n')).labels;
  assert.ok(first.includes('startswith'), first.join());
  const { result } = complete(EX('[proc.name, fd.l4proto]', '      values:\n        - [bash, tcp]\n        - <|>\n'));
  assert.equal((item(result, '[proc.name, fd.l4proto]').textEdit as TextEdit).newText, '[${1:proc.name}, ${2|tcp,udp,icmp,raw|}]');
  // A new exception's `- ` is still offered the exception keys.
  assert.deepEqual(complete(EX('[proc.name, fd.l4proto]', '    - <|>\n')).labels, ['name', 'fields', 'comps', 'values']);
});

test('a value typed in a tuple: the fixed values of the field at its place, quoted as YAML needs, then list names', () => {
  // List names only after a comp that takes a list (rules-completion-audit-s22): the default comps are `=`.
  const { result } = complete('- list: l\n  items: [a]\n' + EX('[proc.name, evt.dir]', '      values: [[bash, <|>]]\n'));
  assert.deepEqual(result!.items.map((i) => [i.label, (i.textEdit as TextEdit).newText]), [['<', '"<"'], ['>', '">"']]);
  const listed = complete('- list: l\n  items: [a]\n' + EX('[proc.name, evt.dir]', '      comps: [in, in]\n      values: [[bash, <|>]]\n'));
  assert.deepEqual(listed.result!.items.map((i) => [i.label, (i.textEdit as TextEdit).newText]), [['<', '"<"'], ['>', '">"'], ['l', 'l']]);
  // The first place, proc.name, has no fixed values.
  assert.deepEqual(complete('- list: l\n  items: [a]\n' + EX('[proc.name, evt.dir]', '      comps: [in, in]\n      values: [[<|>]]\n')).labels, ['l']);
  assert.deepEqual(complete(EX('fd.l4proto', '      values: [tcp, <|>]\n')).labels.slice(0, 2), ['tcp', 'udp']);
});
