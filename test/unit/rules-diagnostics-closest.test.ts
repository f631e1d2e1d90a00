// "Did you mean" suggestions: the NameIndex (length buckets, lower-case names computed once) must answer exactly as
// closestNames over the same names, for any typo limit, including names whose lower case is longer (İ). Its
// character-mask bound (a candidate skipped before its edit distance is computed) must never exceed the distance.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { characterMask, closestNames, editDistance, maskDistance, NameIndex } from '../../server/src/service/rules/closest';
import { seededRandom } from './condition-mutations';
import { CORPUS_RULES, corpusExists } from './rules-host';

test('NameIndex gives the same suggestions as closestNames', () => {
  const random = seededRandom(20261123);
  const alphabet = 'abcab_.İxyz';
  const word = () => Array.from({ length: Math.floor(random() * 10) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  for (let round = 0; round < 20; round++) {
    const names = Array.from({ length: 150 }, word);
    const index = new NameIndex(names);
    for (let i = 0; i < 300; i++) {
      const name = random() < 0.3 ? names[Math.floor(random() * names.length)] + word().slice(0, 1) : word();
      const limit = [undefined, 0, 1, 2, 3, 2.5, 9][Math.floor(random() * 7)];
      assert.deepEqual(index.closest(name, 3, limit), closestNames(name, names, 3, limit), `${name} (limit ${limit})`);
    }
  }
});

test('edit distance counts a swap of neighbours as one edit and stops past the limit', () => {
  assert.equal(editDistance('proc.nmae', 'proc.name'), 1);
  assert.equal(editDistance('spawned_proces', 'spawned_process'), 1);
  assert.equal(editDistance('abc', 'xyz'), 3);
  assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
  assert.equal(editDistance('', 'abc'), 3);
});

test('the character-mask bound never exceeds the edit distance', () => {
  const random = seededRandom(7);
  // Characters that share a mask bit (n and '.', p and 0) and non-ASCII ones among them.
  const alphabet = 'anp._0-İé😀z';
  const word = () => Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  for (let i = 0; i < 20000; i++) {
    const a = word();
    const b = random() < 0.5 ? word() : a.slice(0, Math.floor(random() * a.length)) + word().slice(0, 2) + a.slice(Math.floor(random() * a.length));
    assert.ok(maskDistance(characterMask(a), characterMask(b)) <= editDistance(a, b), `${a} / ${b}`);
  }
  assert.equal(maskDistance(characterMask('abc'), characterMask('xyz')), 3);
  assert.equal(maskDistance(characterMask('abc'), characterMask('cba')), 0);
});

test('NameIndex equals closestNames on the corpus names and typos of them', { skip: !corpusExists && 'corpus absent' }, () => {
  // The macro and list names of the official and plugin rules files, asked for with the typo limits the checks use.
  const names: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry.name)) for (const m of fs.readFileSync(p, 'utf8').matchAll(/^- (?:macro|list): *([^\s#]+)/gm)) names.push(m[1]);
    }
  };
  walk(CORPUS_RULES);
  assert.ok(names.length > 300, `${names.length} names`);
  const unique = [...new Set(names)];
  const index = new NameIndex(unique);
  const random = seededRandom(11);
  const letters = 'abcdefghijklmnopqrstuvwxyz_.0';
  for (let i = 0; i < 3000; i++) {
    let name = unique[Math.floor(random() * unique.length)];
    for (let edits = Math.floor(random() * 4); edits > 0; edits--) {
      const at = Math.floor(random() * (name.length + 1));
      const kind = Math.floor(random() * 3);
      const letter = letters[Math.floor(random() * letters.length)];
      name = kind === 0 ? name.slice(0, at) + letter + name.slice(at) : kind === 1 ? name.slice(0, at) + name.slice(at + 1) : name.slice(0, at) + letter + name.slice(at + 1);
    }
    for (const limit of [undefined, 2]) assert.deepEqual(index.closest(name, 3, limit), closestNames(name, unique, 3, limit), `${name} (limit ${limit})`);
  }
});
