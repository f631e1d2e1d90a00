// The temporary decompressed copies of gzip logs (server/src/gzipFile.ts): a server killed without shutdown leaves
// its copy behind, and the next server removes it, but never a copy another live server may be reading. Each case of
// the rule on real folders in a temp folder of the test's own: a dead owner, a live owner, another pid namespace, a
// copy from before the boot (its pid reused since), a name of another shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyFolderPrefix, makeCopyFolder, removeStaleCopies } from '../../server/src/gzipFile';

/** A pid that names no process: that of a process that has exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid!;
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  return pid;
}

function copyFolder(tmp: string, name: string, modifiedMs?: number): string {
  const folder = path.join(tmp, name);
  fs.mkdirSync(folder);
  const file = path.join(folder, 'decompressed.log');
  fs.writeFileSync(file, '{"output":"x"}\n');
  if (modifiedMs !== undefined) {
    fs.utimesSync(file, modifiedMs / 1000, modifiedMs / 1000);
    fs.utimesSync(folder, modifiedMs / 1000, modifiedMs / 1000);
  }
  return folder;
}

test('a copy folder is named by its server\'s pid namespace and pid', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-copies-'));
  try {
    const folder = makeCopyFolder(tmp);
    const name = path.basename(folder);
    assert.ok(name.startsWith(copyFolderPrefix()), name);
    assert.match(name, new RegExp(`^falco-lens-log-\\d+-${process.pid}-.{6}$`));
    assert.notEqual(path.basename(makeCopyFolder(tmp)), name, 'unique per copy');
    if (fs.existsSync('/proc/self/ns/pid')) {
      assert.equal(copyFolderPrefix(), `falco-lens-log-${/\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/pid'))![1]}-${process.pid}-`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('removeStaleCopies removes the copies of dead owners and of earlier boots, and nothing a live server may use', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-copies-'));
  try {
    const boot = Date.now() - os.uptime() * 1000;
    const beforeBoot = boot - 3_600_000;
    const dead = deadPid();
    const stale = copyFolder(tmp, `${copyFolderPrefix(dead)}aaaaaa`);
    const live = copyFolder(tmp, `${copyFolderPrefix(process.pid)}bbbbbb`);
    const parent = copyFolder(tmp, `${copyFolderPrefix(process.ppid)}cccccc`);
    // Another pid namespace's server: its pid means nothing here, so a pid without a process here does not make it dead.
    const namespace = /^falco-lens-log-(\d+)-/.exec(copyFolderPrefix())![1];
    const otherNamespace = copyFolder(tmp, `falco-lens-log-${namespace === '1' ? 2 : 1}-${dead}-dddddd`);
    // Written before the boot, under a pid a live process has now (reused): its owner died with the boot.
    const earlierBoot = copyFolder(tmp, `${copyFolderPrefix(process.pid)}eeeeee`, beforeBoot);
    const earlierBootOtherNamespace = copyFolder(tmp, `falco-lens-log-${namespace === '1' ? 2 : 1}-1-ffffff`, beforeBoot);
    // Names of earlier releases (no pid): removed only once they are from an earlier boot.
    const legacy = copyFolder(tmp, 'falco-lens-log-gggggg');
    const legacyOld = copyFolder(tmp, 'falco-lens-log-hhhhhh', beforeBoot);
    // Not a copy folder: a file with the prefix, and another tool's folder.
    fs.writeFileSync(path.join(tmp, `${copyFolderPrefix(dead)}file`), 'x');
    const other = copyFolder(tmp, 'other-tool-123', beforeBoot);

    const removed = await removeStaleCopies(tmp, boot);
    assert.deepEqual(removed.sort(), [stale, earlierBoot, earlierBootOtherNamespace, legacyOld].sort());
    for (const f of removed) assert.ok(!fs.existsSync(f), f);
    for (const f of [live, parent, otherNamespace, legacy, other]) assert.ok(fs.existsSync(path.join(f, 'decompressed.log')), f);
    assert.ok(fs.existsSync(path.join(tmp, `${copyFolderPrefix(dead)}file`)));
    // A copy written to after the boot keeps a live owner's folder even when the folder itself is older.
    const growing = copyFolder(tmp, `${copyFolderPrefix(process.pid)}iiiiii`, beforeBoot);
    fs.writeFileSync(path.join(growing, 'decompressed.log'), 'more\n');
    assert.deepEqual(await removeStaleCopies(tmp, boot), []);
    // A second sweep finds nothing more, and a missing temp folder is no error.
    assert.deepEqual(await removeStaleCopies(path.join(tmp, 'missing'), boot), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
