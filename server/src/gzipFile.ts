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
// means one process only within its namespace. The folder's `owner` file says which process instance made it: the
// kernel's boot id (/proc/sys/kernel/random/boot_id, new at each boot) and the process's start time in clock ticks
// since the boot (field 22 of /proc/<pid>/stat), which with the pid name one process of one boot. A server removes its
// copies when a log is closed and at shutdown; a server that was killed leaves them behind, and the next server to
// start removes them. Other windows' servers may be using their copies, so a folder is removed at start only when its
// owner cannot be using it:
//   - its owner file names another boot: the owner died before this boot, whatever process now has its pid; or
//   - its namespace is this server's and its pid names no process (process.kill(pid, 0) fails with ESRCH), or a
//     process started at another time than its owner file says (the pid was reused): the owner is gone, and no other
//     server reads a copy it did not make.
// No wall clock is read: the time of day can jump (NTP, a suspended machine, a user), and a rule by modification times
// and the boot time took a live server's copy for one of an earlier boot after a jump forward. Anything else stays: a
// live owner (EPERM included: another user's process), another namespace's copy from this boot, a folder whose owner
// file is missing or unreadable (an earlier release's, or where /proc is absent: its pid alone decides), a name of
// another shape.

const COPY_PREFIX = 'falco-lens-log-';
const OWNER_FILE = 'owner';

/** This process's pid namespace: the inode of its /proc/self/ns/pid link, or '0' where there is none. */
function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
  } catch {
    return '0';
  }
}

/** The kernel's id of this boot, or undefined where there is none (not Linux). */
function bootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** When a process started, in clock ticks since the boot (/proc/<pid>/stat field 22), or undefined. */
function processStart(pid: number | 'self'): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces and parentheses: count from the last one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** What a copy folder's owner file holds. */
interface Owner { boot?: string; start?: string }

/** The start of a copy folder's name for a server process (this one by default). */
export function copyFolderPrefix(pid = process.pid): string {
  return `${COPY_PREFIX}${pidNamespace()}-${pid}-`;
}

/** Makes a new, empty folder for a decompressed copy, owned by this server (see above). */
export function makeCopyFolder(tempDir = os.tmpdir()): string {
  const folder = fs.mkdtempSync(path.join(tempDir, copyFolderPrefix()));
  const owner: Owner = { boot: bootId(), start: processStart('self') };
  fs.writeFileSync(path.join(folder, OWNER_FILE), JSON.stringify(owner));
  return folder;
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

/** A copy folder's owner file, or undefined when it is missing or not one. */
async function readOwner(folder: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await fs.promises.readFile(path.join(folder, OWNER_FILE), 'utf8')) as unknown;
    if (!owner || typeof owner !== 'object') return undefined;
    const { boot, start } = owner as Record<string, unknown>;
    return { ...(typeof boot === 'string' ? { boot } : {}), ...(typeof start === 'string' ? { start } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Removes the copy folders that killed servers left in `tempDir` (the rule is at the top of this section); returns
 * the folders removed. Never throws: a folder that cannot be read or removed is left.
 */
export async function removeStaleCopies(tempDir = os.tmpdir()): Promise<string[]> {
  const namespace = pidNamespace();
  const boot = bootId();
  const removed: string[] = [];
  let names: string[];
  try { names = await fs.promises.readdir(tempDir); } catch { return removed; }
  for (const name of names) {
    if (!name.startsWith(COPY_PREFIX)) continue;
    const folder = path.join(tempDir, name);
    const named = /^(\d+)-(\d+)-[^/]+$/.exec(name.slice(COPY_PREFIX.length));
    if (!named) continue;
    let stat: fs.Stats;
    try { stat = await fs.promises.lstat(folder); } catch { continue; }
    if (!stat.isDirectory()) continue;
    const pid = Number(named[2]);
    const owner = await readOwner(folder);
    const earlierBoot = owner?.boot !== undefined && boot !== undefined && owner.boot !== boot;
    const here = named[1] === namespace && Number.isSafeInteger(pid) && pid > 0;
    // The pid's process now: another one than the owner when it started at another time (same boot).
    const reused = () => { const start = processStart(pid); return owner?.start !== undefined && owner.boot === boot && start !== undefined && start !== owner.start; };
    const ownerGone = here && (!processExists(pid) || reused());
    if (!earlierBoot && !ownerGone) continue;
    try {
      await fs.promises.rm(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Another user's folder, or removed meanwhile: left.
    }
  }
  return removed;
}
