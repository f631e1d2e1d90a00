// What the checks read from a condition: conditionParts (one walk) must give exactly macroRefsOf, listRefsOf,
// fieldsOf and comparisonsOf (one walk each) on the corpus conditions and seeded mutations of them. And bare list
// items that may name a list: every unquoted item whose first character is not a digit, '+' or '-' (a character test
// that replaced a regular expression per item; same answers, non-ASCII included).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonsOf, conditionParts, fieldsOf, listRefsOf, macroRefsOf, parseCondition } from '../../server/src/service/rules/condition';
import { entryOf, parseRulesFile, scalarText } from '../../server/src/service/rules/model';
import { MUTATION_KINDS, mutate, seededRandom } from './condition-mutations';
import { CORPUS_RULES, corpusExists } from './rules-host';

// Falco expands a list wherever its name stands between delimiters, whatever the name (rule_loader_compiler.cpp
// resolve_list, 0.37.0:180-251, 0.44.0:182-238): a number or a signed word may name a list too (s21).
test('list items that may name a list: any unquoted item, numbers and signed words too', () => {
  const refs = listRefsOf(parseCondition('proc.name in (shell_binaries, +x, -y, 7z, "quoted_list", é_list, _under, .dot) and fd.name in allowed_files').ast);
  assert.deepEqual(refs.map((r) => r.text), ['shell_binaries', '+x', '-y', '7z', 'é_list', '_under', '.dot', 'allowed_files']);
  for (const item of ['a', 'Z9', '9a', '+', '-', '0', '😀x', '%x', 'x y']) {
    const condition = `proc.name in (${item.includes(' ') ? `"${item}"` : item})`;
    const expected = !item.includes(' ');
    assert.equal(listRefsOf(parseCondition(condition).ast).length === 1, expected, item);
  }
});

test('conditionParts equals the four walks on corpus conditions and mutations', { skip: !corpusExists && 'corpus absent' }, () => {
  const conditions: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry.name)) {
        for (const item of parseRulesFile('file:///x.yaml', fs.readFileSync(p, 'utf8')).items) {
          const c = scalarText(entryOf(item, 'condition')?.value);
          if (c) conditions.push(c);
        }
      }
    }
  };
  walk(CORPUS_RULES);
  assert.ok(conditions.length > 1000, `${conditions.length} conditions`);
  const random = seededRandom(3);
  let compared = 0;
  for (const c of conditions) {
    const variants = [c, `proc.name in (+a, -b, 7c, "q", é) and (${c})`];
    for (let k = 0; k < 3; k++) {
      const v = mutate(c, MUTATION_KINDS[Math.floor(random() * MUTATION_KINDS.length)], random);
      if (v !== undefined) variants.push(v);
    }
    for (const v of variants) {
      const ast = parseCondition(v).ast;
      const parts = conditionParts(ast);
      // Identity of the elements, not only equal shapes: the checks key memos by these objects.
      const same = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
      assert.ok(same(parts.macroRefs, macroRefsOf(ast)), `macros of ${v}`);
      assert.ok(same(parts.listRefs, listRefsOf(ast)), `lists of ${v}`);
      assert.ok(same(parts.fields, fieldsOf(ast)), `fields of ${v}`);
      assert.ok(same(parts.compares, comparisonsOf(ast)), `comparisons of ${v}`);
      compared++;
    }
  }
  assert.ok(compared > 3000);
  assert.deepEqual(conditionParts(undefined), { macroRefs: [], listRefs: [], fields: [], compares: [], valueRefs: [] });
});
