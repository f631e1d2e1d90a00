// Session 22: an exception's comp written into YAML by a completion or a quick fix. A plain scalar cannot start with
// `!` (a tag: `[!=]` reads as an empty node tagged `!=`, which Falco reads as '' and refuses, "'' is not a supported
// comparison operator") nor with `>` (a folded scalar's header: a YAML error in a flow list and in a block list), in
// the yaml package as in yaml-cpp. Falco Lens wrote `!=`, `>` and `>=` bare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { CompletionList, TextEdit } from 'vscode-languageserver-types';
import { openAt, workspace } from './rules-nav-helpers';
import { applyEdits, findingsAt, fixesAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const RULE = (exception: string) => `- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n${exception}`;

/** The text after accepting the completion item `label` at `<|>`. */
function accepted(marked: string, label: string): string {
  const { service } = workspace({});
  const { doc, position, text } = openAt(service, FILE, marked);
  const found = (service.completion!(doc, position) as CompletionList).items.find((i) => i.label === label);
  assert.ok(found, `no completion '${label}'`);
  return applyEdits(text, [found.textEdit as TextEdit]);
}

const compsOf = (text: string) => parse(text)[0].exceptions[0].comps;

test('a completed comp reads back as the operator, in a flow list, a block list and inside quotes', () => {
  for (const op of ['!=', '>', '>=', '<=', '=']) {
    const flow = accepted(RULE('      fields: [proc.pid, proc.ppid]\n      comps: [=, <|>]\n      values: [[1, 2]]\n'), op);
    assert.deepEqual(compsOf(flow), ['=', op], flow);
    assert.deepEqual(findingsAt(FILE, flow, '0.44'), [], flow);
    const block = accepted(RULE('      fields: [proc.pid, proc.ppid]\n      comps:\n        - =\n        - <|>\n      values: [[1, 2]]\n'), op);
    assert.deepEqual(compsOf(block), ['=', op], block);
    assert.deepEqual(findingsAt(FILE, block, '0.44'), [], block);
    const quoted = accepted(RULE('      fields: [proc.pid, proc.ppid]\n      comps: [=, "<|>"]\n      values: [[1, 2]]\n'), op);
    assert.deepEqual(compsOf(quoted), ['=', op], quoted);
  }
  // The operators that need no quotes stay plain, as the official rules write them.
  assert.match(accepted(RULE('      fields: [proc.pid, proc.ppid]\n      comps: [=, <|>]\n'), '<='), /comps: \[=, <=\]/);
});

test('the quick fix of a mistyped comp writes the operator so that YAML reads it back', () => {
  const cases: [string, string][] = [['[=!]', '!='], ['["=!"]', '!='], ["['>==']", '>='], ['[=>]', '>'], ['[<>]', '>']];
  for (const [written, op] of cases) {
    const source = RULE(`      fields: [proc.pid]\n      comps: ${written}\n      values: [[1]]\n`);
    const fixes = fixesAt(FILE, source, '0.44', 'exception-comps', new RegExp(`^Change to operator '${op}'$`));
    assert.equal(fixes.length, 1, `${written}: ${JSON.stringify(fixes)}`);
    assert.deepEqual(compsOf(fixes[0].fixed), [op], fixes[0].fixed);
    assert.deepEqual(findingsAt(FILE, fixes[0].fixed, '0.44'), [], fixes[0].fixed);
  }
});
