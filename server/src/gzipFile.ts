// Rotated Falco logs are often gzip-compressed (logrotate's `compress`): the CLI and the Alert Explorer read them as
// the logs they hold. A file is taken for gzip by its magic bytes, whatever its name. The Explorer decompresses into a
// temporary copy; the copies of servers that were killed are removed by the next server (below).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Whether a file starts with gzip's magic bytes (1f 8b); false for an unreadable file. */
export function isGzipFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

// ---- temporary decompressed copies (the Alert Explorer indexes a gzip log through one) ----
//
// Each copy lives in a folder of its own in the OS temp folder, named falco-lens-log-<pidns>-<pid>-<random>: the
// owning server's pid, and its pid namespace (the inode of /proc/self/ns/pid on Linux, 0 elsewhere), since a pid
// means one process only within its namespace. A server removes its copies when a log is closed and at shutdown; a
// server that was killed leaves them behind, and the next server to start removes them. Other windows' servers may be
// using their copies, so a folder is removed at start only when its owner cannot be using it:
//   - its namespace is this server's and its pid names no process (process.kill(pid, 0) fails with ESRCH): the owner
//     is gone, and no other server reads a copy it did not make; or
//   - nothing in it was modified since the machine booted: the owner died before the boot, whatever process now has
//     its pid (a pid is reused after a reboot, so a live pid alone does not keep a copy from an earlier boot).
// Anything else stays: a live pid (EPERM included: another user's process), another namespace's copy from this boot,
// a name of another shape.

const COPY_PREFIX = 'falco-lens-log-';

/** This process's pid namespace: the inode of its /proc/self/ns/pid link, or '0' where there is none. */
function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
  } catch {
    return '0';
  }
}

/** The start of a copy folder's name for a server process (this one by default). */
export function copyFolderPrefix(pid = process.pid): string {
  return `${COPY_PREFIX}${pidNamespace()}-${pid}-`;
}

/** Makes a new, empty folder for a decompressed copy, owned by this server (see above). */
export function makeCopyFolder(tempDir = os.tmpdir()): string {
  return fs.mkdtempSync(path.join(tempDir, copyFolderPrefix()));
}

/** Whether a process with this pid exists (in this pid namespace); EPERM means it does, under another user. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The newest modification time of a folder and its entries, in ms (0 when it cannot be read). */
async function newestChange(folder: string): Promise<number> {
  let newest = 0;
  try {
    newest = (await fs.promises.stat(folder)).mtimeMs;
    for (const name of await fs.promises.readdir(folder)) {
      const stat = await fs.promises.lstat(path.join(folder, name)).catch(() => undefined);
      if (stat && stat.mtimeMs > newest) newest = stat.mtimeMs;
    }
  } catch {
    return Number.POSITIVE_INFINITY; // unreadable: never taken for old
  }
  return newest;
}

/**
 * Removes the copy folders that killed servers left in `tempDir` (the rule is at the top of this section); returns
 * the folders removed. Never throws: a folder that cannot be read or removed is left.
 */
export async function removeStaleCopies(tempDir = os.tmpdir(), bootTimeMs = Date.now() - os.uptime() * 1000): Promise<string[]> {
  const namespace = pidNamespace();
  const removed: string[] = [];
  let names: string[];
  try { names = await fs.promises.readdir(tempDir); } catch { return removed; }
  for (const name of names) {
    if (!name.startsWith(COPY_PREFIX)) continue;
    const folder = path.join(tempDir, name);
    const owner = /^(\d+)-(\d+)-[^/]+$/.exec(name.slice(COPY_PREFIX.length));
    const pid = owner ? Number(owner[2]) : NaN;
    let stat: fs.Stats;
    try { stat = await fs.promises.lstat(folder); } catch { continue; }
    if (!stat.isDirectory()) continue;
    const ownerGone = !!owner && owner[1] === namespace && Number.isSafeInteger(pid) && pid > 0 && !processExists(pid);
    if (!ownerGone && (await newestChange(folder)) >= bootTimeMs) continue;
    try {
      await fs.promises.rm(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Another user's folder, or removed meanwhile: left.
    }
  }
  return removed;
}
