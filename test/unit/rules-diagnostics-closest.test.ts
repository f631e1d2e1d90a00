// "Did you mean" suggestions: the NameIndex (length buckets, lower-case names computed once) must answer exactly as
// closestNames over the same names, for any typo limit, including names whose lower case is longer (İ).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestNames, editDistance, NameIndex } from '../../server/src/service/rules/closest';
import { seededRandom } from './condition-mutations';

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
