// Session 25: the Alert Explorer's decompressed copies of gzip logs take disk (the extension's storage folder), so
// they have a budget (gzipFile.ts CopyRoom): this server's copies together at most maxBytes, and never so many that
// the disk keeps less than minFree. A decompression past it stops, keeps the text before, and says why in words the
// Explorer's warning shows ("… could not be decompressed to its end (<why>)").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { CopyRoom, copiesRoot, makeCopyFolder, usableStorageFolder } from '../../server/src/gzipFile';
import { decompressInto } from '../../server/src/handlers/rotatedSet';

const text = (mb: number) => Array.from({ length: mb * 4096 }, (_, i) => `${String(i).padStart(10, '0')} ${'a'.repeat(244)}`).join('\n') + '\n';

function setUp(t: { after(fn: () => void): void }, mb: number) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hF-room-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const gz = path.join(root, 'falco.log.1.gz');
  const plain = text(mb);
  fs.writeFileSync(gz, zlib.gzipSync(plain));
  const storage = path.join(root, 'storage');
  return { root, gz, plain, storage };
}

test('copies past the server\'s budget stop with the reason, the text before kept', async (t) => {
  const { gz, plain, storage } = setUp(t, 48);
  const room = new CopyRoom(copiesRoot(storage), 40 * 1024 * 1024, 0);
  const folder = makeCopyFolder(room.root);
  const copy = path.join(folder, 'part-0.log');
  const result = await decompressInto(gz, copy, { signal: new AbortController().signal, room });
  assert.match(result.error ?? '', /^the Alert Explorer keeps at most 40 MiB of decompressed logs on disk \(in .*decompressed\); close other compressed logs to read more$/);
  const kept = fs.readFileSync(copy);
  assert.ok(kept.length > 0 && kept.length <= 40 * 1024 * 1024, `${kept.length} bytes kept`);
  assert.ok(Buffer.from(plain).subarray(0, kept.length).equals(kept), 'the bytes before the stop are the log\'s');

  // Within the budget (a smaller log, the first copy removed): decompressed whole.
  fs.rmSync(folder, { recursive: true });
  const small = setUp(t, 8);
  const again = path.join(makeCopyFolder(room.root), 'part-0.log');
  const whole = await decompressInto(small.gz, again, { signal: new AbortController().signal, room });
  assert.equal(whole.error, undefined);
  assert.equal(fs.readFileSync(again, 'utf8'), small.plain);
});

test('a copy that would leave the disk with less than the free space kept stops with the reason', async (t) => {
  const { gz, storage } = setUp(t, 1);
  const free = fs.statfsSync(os.tmpdir());
  const room = new CopyRoom(copiesRoot(storage), Infinity, free.bavail * free.bsize + 1024 ** 3);
  const copy = path.join(makeCopyFolder(room.root), 'part-0.log');
  const result = await decompressInto(gz, copy, { signal: new AbortController().signal, room });
  assert.match(result.error ?? '', /^the disk of .*decompressed, where the Alert Explorer decompresses logs, would have less than \d+(\.\d)? GiB free$/);
  assert.equal(fs.statSync(copy).size, 0);
});

test('the storage folder is used only when absolute and out of every workspace folder', () => {
  assert.equal(usableStorageFolder('/home/u/.config/Code/User/globalStorage/falco-lens', ['/work/project']), '/home/u/.config/Code/User/globalStorage/falco-lens');
  assert.equal(usableStorageFolder('/work/project/.vscode/s', ['/work/project']), undefined);
  assert.equal(usableStorageFolder('/work/project', ['/work/project']), undefined);
  assert.equal(usableStorageFolder('/work/project-2/s', ['/work/project']), '/work/project-2/s');
  assert.equal(usableStorageFolder('relative/s', []), undefined);
  assert.equal(usableStorageFolder(42, []), undefined);
  assert.equal(usableStorageFolder(undefined, []), undefined);
  assert.equal(copiesRoot(undefined), os.tmpdir());
});
