// The temporary decompressed copies of gzip logs (server/src/gzipFile.ts): a server killed without shutdown leaves
// its copy behind, and the next server removes it, but never a copy another live server may be reading. Each case of
// the rule on real folders in a temp folder of the test's own: a dead owner, a live owner, another pid namespace, a
// copy from an earlier boot (its pid reused since), a pid reused in this boot, a name of another shape; and (session
// 22) a live owner's copy whose times read as before the boot after the clock jumped forward.
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

/** Writes a copy folder's owner file as makeCopyFolder does, with the given boot id and process start. */
function ownedBy(folder: string, boot: string | undefined, start: string | undefined): string {
  fs.writeFileSync(path.join(folder, 'owner'), JSON.stringify({ boot, start }));
  return folder;
}

const procStart = (pid: number | 'self') => { const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]; };
const hasProc = fs.existsSync('/proc/sys/kernel/random/boot_id');

test('removeStaleCopies removes the copies of dead owners and of earlier boots, and nothing a live server may use', { skip: !hasProc && 'no /proc' }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-copies-'));
  try {
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const dead = deadPid();
    const stale = copyFolder(tmp, `${copyFolderPrefix(dead)}aaaaaa`);
    const staleOwned = ownedBy(copyFolder(tmp, `${copyFolderPrefix(dead)}abcdef`), boot, '12345');
    const live = makeCopyFolder(tmp);
    fs.writeFileSync(path.join(live, 'decompressed.log'), '{"output":"x"}\n');
    const parent = copyFolder(tmp, `${copyFolderPrefix(process.ppid)}cccccc`);
    // Another pid namespace's server: its pid means nothing here, so a pid without a process here does not make it dead.
    const namespace = /^falco-lens-log-(\d+)-/.exec(copyFolderPrefix())![1];
    const other = namespace === '1' ? 2 : 1;
    const otherNamespace = ownedBy(copyFolder(tmp, `falco-lens-log-${other}-${dead}-dddddd`), boot, '1');
    // Made in an earlier boot under a pid a live process has now (reused): its owner died with the boot.
    const earlierBoot = ownedBy(copyFolder(tmp, `${copyFolderPrefix(process.pid)}eeeeee`), 'an-earlier-boot', procStart('self'));
    const earlierBootOtherNamespace = ownedBy(copyFolder(tmp, `falco-lens-log-${other}-1-ffffff`), 'an-earlier-boot', '1');
    // This boot, this pid, another start: the pid was reused by this process after the owner exited.
    const reused = ownedBy(copyFolder(tmp, `${copyFolderPrefix(process.pid)}jjjjjj`), boot, String(Number(procStart('self')) + 1));
    // The parent's, with its own start: live.
    const parentOwned = ownedBy(copyFolder(tmp, `${copyFolderPrefix(process.ppid)}kkkkkk`), boot, procStart(process.ppid));
    // Names of earlier releases (no pid): left, whatever their age.
    const legacy = copyFolder(tmp, 'falco-lens-log-gggggg', 0);
    // Not a copy folder: a file with the prefix, and another tool's folder.
    fs.writeFileSync(path.join(tmp, `${copyFolderPrefix(dead)}file`), 'x');
    const tool = copyFolder(tmp, 'other-tool-123', 0);

    const removed = await removeStaleCopies(tmp);
    assert.deepEqual(removed.sort(), [stale, staleOwned, earlierBoot, earlierBootOtherNamespace, reused].sort());
    for (const f of removed) assert.ok(!fs.existsSync(f), f);
    for (const f of [live, parent, otherNamespace, parentOwned, legacy, tool]) assert.ok(fs.existsSync(path.join(f, 'decompressed.log')), f);
    assert.ok(fs.existsSync(path.join(tmp, `${copyFolderPrefix(dead)}file`)));
    // A second sweep finds nothing more, and a missing temp folder is no error.
    assert.deepEqual(await removeStaleCopies(tmp), []);
    assert.deepEqual(await removeStaleCopies(path.join(tmp, 'missing')), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a live server\'s copy stays whatever the clock says: written before the time of day jumped forward', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-copies-'));
  try {
    const live = makeCopyFolder(tmp);
    const file = path.join(live, 'decompressed.log');
    fs.writeFileSync(file, '{"output":"x"}\n');
    // Modified "before the boot" by today's clock: the clock was set forward by a day after the copy was written (NTP
    // on a machine whose clock was late, a suspended laptop): boot time reckoned as now minus uptime moved past it.
    const dayAgo = (Date.now() - os.uptime() * 1000 - 86_400_000) / 1000;
    for (const f of [...fs.readdirSync(live).map((n) => path.join(live, n)), live]) fs.utimesSync(f, dayAgo, dayAgo);
    assert.deepEqual(await removeStaleCopies(tmp), []);
    assert.ok(fs.existsSync(file));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
