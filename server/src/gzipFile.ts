// Rotated Falco logs are often gzip-compressed (logrotate's `compress`): the CLI and the Alert Explorer read them as
// the logs they hold. A file is taken for gzip by its magic bytes, whatever its name. The Explorer decompresses into a
// copy on disk, in the extension's storage folder (the client names it; the OS temp folder only for a client that
// names none), within a budget of disk (CopyRoom); the copies of servers that were killed are removed by the next
// server (below).
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

// ---- decompressed copies (the Alert Explorer indexes a gzip log through one) ----
//
// Why a copy on disk, not a stream: the Explorer's index keeps only byte offsets (the text stays in the file), and
// every text filter, grouping by namespace, report, alert text and "open at line" reads the alerts back at those
// offsets. A gzip stream cannot be entered at an offset: each read would decompress from the file's start (about 2 s
// for a gigabyte), and zlib as Node gives it cannot resume a deflate stream at a bit position (zran-style access
// points need inflatePrime), so the copy is the one way to read an alert at its offset.
// Why not the OS temp folder: where /tmp is a tmpfs (many distributions), a file there is memory: a 1 GB log took a
// gigabyte of RAM. The client gives the extension's global storage folder (initializationOptions.storageFolder, under
// VS Code's user data, never a workspace folder); the copies go to its `decompressed` folder.
//
// Each copy lives in a folder of its own in that folder, named falco-lens-log-<pidns>-<pid>-<random>: the
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
  fs.mkdirSync(tempDir, { recursive: true });
  const folder = fs.mkdtempSync(path.join(tempDir, copyFolderPrefix()));
  const owner: Owner = { boot: bootId(), start: processStart('self') };
  fs.writeFileSync(path.join(folder, OWNER_FILE), JSON.stringify(owner));
  return folder;
}

/**
 * The storage folder the client gave, when it is an absolute path out of every workspace folder: the Explorer's
 * decompressed copies never go into the user's workspace (a source-controlled folder, synced elsewhere).
 */
export function usableStorageFolder(given: unknown, workspaceFolders: readonly string[]): string | undefined {
  if (typeof given !== 'string' || given === '' || !path.isAbsolute(given)) return undefined;
  const folder = path.resolve(given);
  const inside = (parent: string) => { const rel = path.relative(path.resolve(parent), folder); return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)); };
  return workspaceFolders.some(inside) ? undefined : folder;
}

/** Where the copies go: the storage folder's `decompressed` folder, or the OS temp folder without one. */
export function copiesRoot(storageFolder: string | undefined): string {
  return storageFolder ? path.join(storageFolder, 'decompressed') : os.tmpdir();
}

/** The most bytes of decompressed copies a server keeps at once (every log it has open). */
export const MAX_COPIES_BYTES = 4 * 1024 * 1024 * 1024;
/** Decompressing stops before the copies' disk would have less than this free. */
export const MIN_FREE_BYTES = 1024 * 1024 * 1024;
/** Bytes a decompression writes between two looks at the room left. */
const ROOM_CHECK_BYTES = 16 * 1024 * 1024;

/**
 * The disk a server's decompressed copies may take: together at most `maxBytes` (its copy folders in `root`, measured
 * as they are: a copy removed gives its room back), and never so much that the disk keeps less than `minFree`
 * (fs.statfs). A decompression asks at each 16 MB written; the answer is the reason it stops, in words, or undefined.
 */
export class CopyRoom {
  private sinceLook = Infinity;
  constructor(readonly root: string, readonly maxBytes = MAX_COPIES_BYTES, readonly minFree = MIN_FREE_BYTES) {}

  /** Whether `bytes` more may be written now (asked before they are); the reason they may not, or undefined. */
  refuse(bytes: number): string | undefined {
    this.sinceLook += bytes;
    if (this.sinceLook < ROOM_CHECK_BYTES) return undefined;
    this.sinceLook = 0;
    const ahead = ROOM_CHECK_BYTES + bytes;
    if (this.used() + ahead > this.maxBytes) {
      return `the Alert Explorer keeps at most ${formatBytes(this.maxBytes)} of decompressed logs on disk (in ${this.root}); close other compressed logs to read more`;
    }
    try {
      const disk = fs.statfsSync(this.root);
      if (disk.bavail * disk.bsize - ahead < this.minFree) {
        return `the disk of ${this.root}, where the Alert Explorer decompresses logs, would have less than ${formatBytes(this.minFree)} free`;
      }
    } catch {
      // statfs unavailable: the cap of the copies alone holds.
    }
    return undefined;
  }

  /** Bytes in this server's copy folders now. */
  private used(): number {
    const prefix = copyFolderPrefix();
    let total = 0;
    let names: string[];
    try { names = fs.readdirSync(this.root); } catch { return 0; }
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const folder = path.join(this.root, name);
      let files: string[];
      try { files = fs.readdirSync(folder); } catch { continue; }
      for (const file of files) total += fs.statSync(path.join(folder, file), { throwIfNoEntry: false })?.size ?? 0;
    }
    return total;
  }
}

const formatBytes = (n: number) => (n >= 2 ** 30 ? `${+(n / 2 ** 30).toFixed(1)} GiB` : `${Math.round(n / 2 ** 20)} MiB`);

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
