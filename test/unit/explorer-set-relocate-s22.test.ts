// Session 22: a rotated set's files are found again by identity when the folder changes (SetSource's relocate). A
// look at the folder is no snapshot: logrotate renames the files one after another, so a name read before a rename
// can be stat'ed after it and a file be under none of the names read. Such a file was taken for deleted, for good:
// the followed log's renamed live file was then shown under its old name, the new live file's (seen under load in
// explorer-delaycompress-s22). Only a file with no name left is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SetSource } from '../../server/src/handlers/rotatedSet';

test('a file under none of the set\'s names at one look, but not deleted, is found at its next name; a deleted one is gone', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-relocate-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const live = path.join(dir, 'falco.log');
  fs.writeFileSync(`${live}.1`, 'older\n');
  fs.writeFileSync(live, 'live\n');
  const set = new SetSource(live, [`${live}.1`, live], (i) => path.join(dir, `copy-${i}`));
  t.after(() => set.close());
  const named = () => set.parts().map((p) => [path.basename(p.path), p.gone ?? false]);
  assert.deepEqual(named(), [['falco.log.1', false], ['falco.log', false]]);
  // Between two renames, as a look during logrotate's may see it: the file has a name out of the set's.
  fs.renameSync(`${live}.1`, path.join(dir, 'moving'));
  assert.deepEqual(named(), [['falco.log.1', false], ['falco.log', false]], 'kept at its last name, not gone');
  fs.renameSync(path.join(dir, 'moving'), `${live}.2`);
  assert.deepEqual(named(), [['falco.log.2', false], ['falco.log', false]], 'found at its name now');
  fs.rmSync(`${live}.2`);
  assert.deepEqual(named(), [['falco.log.2', true], ['falco.log', false]], 'deleted: gone');
  fs.writeFileSync(`${live}.2`, 'another file\n');
  assert.deepEqual(named(), [['falco.log.2', true], ['falco.log', false]], 'a new file of its old name is not it');
});
