// The files of a rotated log set on disk, for the Alert Explorer (explorer.ts): the siblings of a file by name
// (service/explorer/logSet.ts says which names), the budget of a set, and the set read as one stream. Each file is
// held open by its descriptor from the start: logrotate renaming, compressing or deleting it while the set is shown
// (following the live file) does not change what its alerts' offsets read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PartsSource, PrefixPrint, rotatedSet, rotationName, compareRotation, type SetPart } from '../service/explorer/logSet';
import { isGzipFile } from '../gzipFile';
import { MAX_SET_BYTES, MAX_SET_FILES, type ExplorerLogPart, type ExplorerRotatedFilesResult } from '../protocol';

const identityOf = (stat: fs.Stats) => `${stat.dev}:${stat.ino}`;

/** A file read through a descriptor opened once: renamed, compressed away or deleted, it is still the same file. */
export class PinnedFile implements SetPart {
  private fd: number | undefined;
  readonly identity: string;
  /** Whether no byte will be added (an older rotated file, a decompression finished). */
  done: boolean;
  constructor(file: string, done: boolean) {
    this.fd = fs.openSync(file, 'r');
    this.identity = identityOf(fs.fstatSync(this.fd));
    this.done = done;
  }
  size(): number { return this.fd === undefined ? 0 : fs.fstatSync(this.fd).size; }
  read(buffer: Buffer, offset: number, length: number, position: number): number {
    return this.fd === undefined ? 0 : fs.readSync(this.fd, buffer, offset, length, position);
  }
  complete(): boolean { return this.done; }
  /** Whether the file still has a name somewhere (a deleted file read through its descriptor has none). */
  linked(): boolean { return this.fd !== undefined && fs.fstatSync(this.fd).nlink > 0; }
  close(): void { if (this.fd !== undefined) { fs.closeSync(this.fd); this.fd = undefined; } }
}

/**
 * The uncompressed size of a file of a set: a gzip file's from its trailer (ISIZE, the size modulo 4 GiB: RFC 1952
 * 2.3.1; a single-member file as gzip and logrotate write it), at least its compressed size.
 */
function textBytes(file: string, stat: fs.Stats): number {
  if (!isGzipFile(file) || stat.size < 18) return stat.size;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const trailer = Buffer.alloc(4);
    fs.readSync(fd, trailer, 0, 4, stat.size - 4);
    return Math.max(stat.size, trailer.readUInt32LE(0));
  } catch {
    return stat.size;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Whether the gzip file `gz` holds the text of `file` (read through its descriptor): its trailer's size (modulo 4 GiB)
 * is the file's, and its first 4 KB decompress to the file's first bytes. A gzip file cut short or being written
 * holds no text of it yet.
 */
function holdsText(gz: string, file: PinnedFile): boolean {
  const size = file.size();
  let fd: number | undefined;
  try {
    fd = fs.openSync(gz, 'r');
    const gzSize = fs.fstatSync(fd).size;
    if (size === 0 || gzSize < 18) return false;
    const trailer = Buffer.alloc(4);
    fs.readSync(fd, trailer, 0, 4, gzSize - 4);
    if (trailer.readUInt32LE(0) !== size % 2 ** 32) return false;
    const head = Buffer.alloc(Math.min(gzSize, 4096));
    const got = fs.readSync(fd, head, 0, head.length, 0);
    // The start of the stream only: what 4 KB of it decompress to (at most a few MB).
    const text = zlib.gunzipSync(head.subarray(0, got), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const compared = Math.min(text.length, size, 4096);
    if (compared < Math.min(size, 1024)) return false;
    const own = Buffer.alloc(compared);
    return file.read(own, 0, compared, 0) === compared && own.equals(text.subarray(0, compared));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The chosen file's rotated set, oldest first, from its folder's entries (regular files only). */
export function rotatedFiles(chosen: string): ExplorerRotatedFilesResult {
  const folder = path.dirname(chosen);
  const names = rotatedSet(path.basename(chosen), fs.readdirSync(folder));
  const files: ExplorerRotatedFilesResult['files'] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    files.push({ path: file, bytes: stat.size, ...(isGzipFile(file) ? { compressed: true } : {}) });
  }
  return { base: rotationName(path.basename(chosen)).base, files };
}

/** What is wrong with the older files asked for with `path` as one set, in a sentence, or undefined. */
export function rotatedProblem(live: string, rotated: unknown): string | undefined {
  if (!Array.isArray(rotated) || !rotated.every((f) => typeof f === 'string')) return 'rotated is not a list of file paths';
  if (rotated.length + 1 > MAX_SET_FILES) return `a rotated set of more than ${MAX_SET_FILES} files is not opened as one log`;
  const folder = path.dirname(path.resolve(live));
  const liveName = rotationName(path.basename(live));
  const seen = new Set<string>([path.resolve(live)]);
  for (const file of rotated as string[]) {
    const name = path.basename(file);
    const rotation = rotationName(name);
    if (path.dirname(path.resolve(file)) !== folder || rotation.base !== liveName.base || (rotation.kind === 'live' && rotation.gzip)) {
      return `${JSON.stringify(file)} is not a rotated file of ${JSON.stringify(liveName.base)} in ${JSON.stringify(folder)}`;
    }
    if (compareRotation(rotation, liveName) >= 0) return `${JSON.stringify(file)} is not older than ${JSON.stringify(path.basename(live))}`;
    if (seen.has(path.resolve(file))) return `${JSON.stringify(file)} is named twice`;
    seen.add(path.resolve(file));
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) return `not a readable file: ${JSON.stringify(file)}`;
  }
  return undefined;
}

/** One file of the set as the stream reads it. */
export interface SetFile {
  /** The path it was opened at. */
  origin: string;
  /** Where it is now (updated after a rotation), or where it was last seen. */
  now: string;
  /** No file of the folder is it any more (deleted by logrotate), for good: read from the descriptor held open. */
  gone: boolean;
  /**
   * A plain file that logrotate compressed since (`delaycompress`: `falco.log.1` became `falco.log.2.gz` at the next
   * rotation): `now` is the gzip file, and `identity` its; the stream still reads the plain file's descriptor.
   */
  compressedSince?: boolean;
  /** The identity of the file at `origin` when opened (of the gzip file, for a compressed one), or of `now`'s file. */
  identity: string;
  /**
   * The gzip file that `identity` is of (opened as one, or compressed since), held open while the set is: a removed
   * file's inode number could otherwise be given to a new file, which would be taken for it.
   */
  held?: PinnedFile;
  /** What the stream reads: the file, or the decompressed copy of a gzip file. */
  pinned: PinnedFile;
  /** A gzip file: the copy it is decompressed into. */
  copy?: string;
}

/** What happened to the set's files that the Explorer tells the user (SetSource.changes). */
export type SetChange =
  /** The live file was emptied in place and `copy` starts with every byte read from it: its alerts are the copy's now. */
  | { kind: 'copied'; live: string; copy: string; alerts: number }
  /**
   * The live file was emptied in place and no file of the set holds the bytes read from it: their `alerts` leave.
   * `compressed`: the newest gzip file of the set that is none of the log's (logrotate's `compress` may have
   * compressed the copy before it was looked for; a gzip file is not read to compare).
   */
  | { kind: 'emptied'; live: string; alerts: number; compressed?: string }
  /** Files of the set deleted (by logrotate's `rotate N`) while followed: left out with their `alerts`. */
  | { kind: 'deleted'; files: string[]; alerts: number };

/**
 * A log's files read as one: the older files of its rotated set asked for, oldest first, then the file opened (a log
 * opened alone is a set of one). While followed, a new file at the live path (logrotate's `create`: the live file
 * renamed to `.1`; or a file deleted and created again) is added after the others, and the files are found again by
 * identity under their new names; the renamed file stays what it was in the stream, so no alert moves. The live file
 * emptied in place (`copytruncate`) is replaced by its copy when a file of the set starts with the bytes read from it
 * (the PrefixPrint of them), so no alert moves either; and the files deleted while followed are left out
 * (`dropDeleted`), which closes them.
 */
export class SetSource {
  private stream: PartsSource;
  readonly files: SetFile[];
  /** Older files asked for and not read, past MAX_SET_BYTES. */
  readonly leftOut: string[];
  /** Whether the live path named no file when last looked at. */
  missing = false;
  /** Files added by rotations. */
  rotations = 0;
  /** The folder's modification time when its names were last read (relocate): a rename, creation or removal changes it. */
  private listedAt: bigint | undefined;
  following = false;
  /** The live file's bytes indexed, as far as the store went (indexed): what its copy must start with. */
  private print = new PrefixPrint();
  /** The live file's size when last looked at for a truncation. */
  private liveSize = -1;
  /** What happened to the files since the caller last took them (takeChanges). */
  private changes: SetChange[] = [];
  /** Counts the store's alerts between two offsets of the stream (set by the caller, which owns the store). */
  countAlerts: (from: number, to: number) => number = () => 0;

  /** Whether it is read as several files (shown as a set): older files asked for, or a rotation while followed. */
  get isSet(): boolean { return this.files.length > 1 || this.leftOut.length > 0; }

  /**
   * `ordered`: the set's files oldest first, the live one last. `copyFor` gives the path a gzip file's copy is
   * decompressed into (created empty here, written by the caller).
   */
  constructor(readonly live: string, ordered: readonly string[], copyFor: (index: number) => string) {
    // The newest files first, while the set stays within its budget; the live file whatever its size.
    let budget = MAX_SET_BYTES;
    let first = ordered.length - 1;
    for (let i = ordered.length - 1; i >= 0; i--) {
      const stat = fs.statSync(ordered[i]);
      const bytes = textBytes(ordered[i], stat);
      if (i < ordered.length - 1 && bytes > budget) break;
      budget -= bytes;
      first = i;
    }
    this.leftOut = ordered.slice(0, first);
    this.files = ordered.slice(first).map((file, i) => {
      if (!isGzipFile(file)) {
        const pinned = new PinnedFile(file, file !== live);
        return { origin: file, now: file, gone: false, identity: pinned.identity, pinned };
      }
      const copy = copyFor(i);
      fs.writeFileSync(copy, '');
      const held = new PinnedFile(file, true);
      return { origin: file, now: file, gone: false, identity: held.identity, held, pinned: new PinnedFile(copy, false), copy };
    });
    this.stream = new PartsSource(this.files.map((f) => f.pinned));
  }

  /** Looks at the live path (while followed, a new file there is added to the set), then gives the stream's size. */
  size(): number {
    const stat = fs.statSync(this.live, { throwIfNoEntry: false });
    this.missing = !stat;
    const last = this.files[this.files.length - 1];
    if (this.following && stat?.isFile() && identityOf(stat) !== last.identity && !last.copy) this.rotated();
    const size = this.stream.size();
    return this.checkTruncation() ? this.stream.size() : size;
  }

  /**
   * Tells the set how far the stream was indexed: the live file's bytes up to there are what a copy must start with
   * (PrefixPrint: a few samples are read, the last one again as the log grows).
   */
  indexed(position: number): void {
    const index = this.files.length - 1;
    const live = this.files[index];
    if (live.copy) return;
    const within = this.stream.fileOffset(index, position);
    if (within === undefined || within <= this.print.length) return;
    const read = live.pinned.read.bind(live.pinned);
    if (this.print.extend(read, within)) this.liveSize = live.pinned.size();
  }

  /**
   * Whether the live file was found emptied in place since the bytes indexed (shorter than them, or other bytes where
   * their last ones were: written again before this look). Then a file of the set that starts with those bytes (the
   * copy logrotate's `copytruncate` made before it truncated: copyTruncate in logrotate.c copies, syncs the copy,
   * then truncates) takes the live file's place in the stream, and the live file is read again after it from its
   * start; with none, the stream shrinks and the store indexes it again from its start.
   */
  private checkTruncation(): boolean {
    const index = this.files.length - 1;
    const live = this.files[index];
    if (live.copy || this.print.length === 0) return false;
    const size = live.pinned.size();
    if (size === this.liveSize) return false;
    this.liveSize = size;
    const read = live.pinned.read.bind(live.pinned);
    if (this.print.holdsEnd(read, size)) return false;
    const { start } = this.stream.extent(index);
    // The copy must hold every byte the store read of the live file, not only those it indexed: a chunk it stopped
    // in is taken up from memory. logrotate loses the lines written between its copy and the truncation; the alerts
    // of those the store read have no copy to move to.
    const needed = Math.max(this.print.length, this.stream.readEnd(index));
    const found = this.findCopy(needed);
    const alerts = this.countAlerts(start, Infinity);
    this.print = new PrefixPrint();
    this.liveSize = -1;
    if (found.copy) {
      this.stream.replaceNewest(found.copy.pinned);
      this.files[index] = { origin: found.copy.path, now: found.copy.path, gone: false, identity: found.copy.pinned.identity, pinned: found.copy.pinned };
      this.files.push({ origin: this.live, now: this.live, gone: false, identity: live.identity, pinned: live.pinned });
      this.stream.add(live.pinned);
      this.changes.push({ kind: 'copied', live: this.live, copy: found.copy.path, alerts });
    } else {
      this.changes.push({ kind: 'emptied', live: this.live, alerts, ...(found.compressed ? { compressed: found.compressed } : {}) });
    }
    return true;
  }

  /**
   * The file of the live file's set (newest name first) that is none of the log's and starts with the bytes read
   * (`needed` of them at least, equal at every sample), held open; and the newest gzip file that is none of the log's.
   */
  private findCopy(needed: number): { copy?: { path: string; pinned: PinnedFile }; compressed?: string } {
    const folder = path.dirname(this.live);
    let names: string[];
    try { names = rotatedSet(path.basename(this.live), fs.readdirSync(folder)).reverse(); } catch { return {}; }
    const own = new Set(this.files.flatMap((f) => [f.identity, f.pinned.identity]));
    let compressed: string | undefined;
    for (const name of names) {
      const file = path.join(folder, name);
      if (file === this.live) continue;
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile() || own.has(identityOf(stat))) continue;
      if (isGzipFile(file)) { compressed ??= file; continue; }
      if (stat.size < needed) continue;
      let pinned: PinnedFile;
      try { pinned = new PinnedFile(file, true); } catch { continue; }
      if (pinned.identity === identityOf(stat) && this.print.matches(pinned.read.bind(pinned), pinned.size())) return { copy: { path: file, pinned } };
      pinned.close();
    }
    return { compressed };
  }

  /** What happened to the files since the last call (copies taken, truncations, deletions), oldest first. */
  takeChanges(): SetChange[] {
    const changes = this.changes;
    this.changes = [];
    return changes;
  }

  private rotated(): void {
    let pinned: PinnedFile;
    try { pinned = new PinnedFile(this.live, false); } catch { return; }
    // The file before it is complete once the new one has bytes (PartsSource.add): a writer that still holds it open
    // (Falco's file_output with keep_alive: true, until SIGUSR1 reopens it: falco.yaml, outputs_file.cpp) may add
    // lines to it until then.
    this.files.push({ origin: this.live, now: this.live, gone: false, identity: pinned.identity, pinned });
    this.stream.add(pinned);
    this.rotations++;
    // The new live file's bytes are what a copy of it must hold, not the renamed one's.
    this.print = new PrefixPrint();
    this.liveSize = -1;
    this.relocate(true);
  }

  /**
   * Finds each file of the set under its name now, by identity among the folder's names of the set; a plain file no
   * name is any more may have been compressed (logrotate writes `name.gz` and removes the plain file): a gzip file of
   * the set that holds the same text is it now (`compressedSince`). Only when the folder changed since the last look.
   */
  private relocate(force = false): void {
    const folder = path.dirname(this.live);
    let changed: bigint;
    try { changed = fs.statSync(folder, { bigint: true }).mtimeNs; } catch { return; }
    // A file no longer at its name is looked for too where the folder's time did not change (a file system that keeps
    // it to the second).
    const moved = () => this.files.some((f) => {
      if (f.gone) return false;
      const stat = fs.statSync(f.now, { throwIfNoEntry: false });
      return !stat || identityOf(stat) !== f.identity;
    });
    if (!force && changed === this.listedAt && !moved()) return;
    this.listedAt = changed;
    const byIdentity = new Map<string, string>();
    try {
      for (const name of rotatedSet(path.basename(this.live), fs.readdirSync(folder))) {
        const file = path.join(folder, name);
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (stat?.isFile()) byIdentity.set(identityOf(stat), file);
      }
    } catch {
      // The folder cannot be listed: the names stay as they were.
      this.listedAt = undefined;
      return;
    }
    const unplaced: SetFile[] = [];
    for (const f of this.files) {
      // Gone for good: it had no name left when last looked for (deleted), and no gzip file of the set held its text
      // (logrotate removes a compressed file's plain one once the gzip file is written).
      if (f.gone) continue;
      const now = byIdentity.get(f.identity);
      if (now === undefined) { unplaced.push(f); continue; }
      f.now = now;
      f.gone = false;
      byIdentity.delete(f.identity);
    }
    for (const f of unplaced) {
      // Not under a name of the set at this look, but not deleted: renamed while the folder was read (logrotate renames
      // the files one after another: a name read before a rename is stat'ed after it), or to a name out of the set.
      // It keeps its last name and is looked for again at the next look; only a file with no name left is gone.
      if ((f.held ?? f.pinned).linked()) { this.listedAt = undefined; continue; }
      // Its own name with `.gz` first (logrotate's compressext), then the set's other gzip files nothing is yet.
      const candidates = [...byIdentity].filter(([, file]) => file.endsWith('.gz'))
        .sort(([, a], [, b]) => Number(b === `${f.now}.gz`) - Number(a === `${f.now}.gz`));
      const found = f.copy ? undefined : candidates.find(([, file]) => holdsText(file, f.pinned));
      f.gone = found === undefined;
      if (!found) {
        // A removed gzip file needs not be held: its text is in the copy (or the plain file) the stream reads.
        f.held?.close();
        f.held = undefined;
        continue;
      }
      let held: PinnedFile;
      try { held = new PinnedFile(found[1], true); } catch { f.gone = true; continue; }
      if (held.identity !== found[0]) { held.close(); f.gone = true; continue; }
      f.now = found[1];
      f.identity = held.identity;
      f.held = held;
      f.compressedSince = true;
      byIdentity.delete(found[0]);
    }
  }

  /**
   * Leaves out of the stream the files of the set that were deleted (`gone`: logrotate's `rotate N` removed them, and
   * no gzip file of the set holds their text), and closes them: held open, each kept its disk space taken until the
   * log was closed, and a log followed for days held one more file each rotation. Their alerts leave (their text could
   * no longer be read for a report, a text filter or a jump to their line); the store must index the stream again from
   * its start (returns true then). The newest file stays (the stream ends with it: a live file deleted is `missing`
   * until another takes its path), and so does a gzip file whose copy is still being decompressed.
   */
  dropDeleted(): boolean {
    this.relocate();
    const newest = this.files.length - 1;
    const dropped = new Set<number>();
    this.files.forEach((f, i) => { if (f.gone && i < newest && (!f.copy || f.pinned.done)) dropped.add(i); });
    if (dropped.size === 0) return false;
    this.stream.size();
    let alerts = 0;
    for (const i of dropped) {
      const { start, end } = this.stream.extent(i);
      if (start !== Infinity) alerts += this.countAlerts(start, end);
    }
    const files: string[] = [];
    for (const i of [...dropped].sort((a, b) => b - a)) {
      const [f] = this.files.splice(i, 1);
      files.unshift(f.now);
      f.pinned.close();
      f.held?.close();
      if (f.copy) fs.rmSync(f.copy, { force: true });
    }
    this.stream.remove(dropped);
    this.changes.push({ kind: 'deleted', files, alerts });
    return true;
  }

  /** Whether the file at a path is one of the set's files (by identity, whatever its name now). */
  holds(file: string): boolean {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return !!stat && this.files.some((f) => f.identity === identityOf(stat));
  }

  read(buffer: Buffer, offset: number, length: number, position: number): number { return this.stream.read(buffer, offset, length, position); }
  lineAt(position: number, line: number): void { this.stream.lineAt(position, line); }

  /** The file (index in `files`) and its line of an alert at a stream offset and line. */
  place(offset: number, line: number): { part: number; line: number } { return this.stream.place(offset, line); }

  /** The files as they are now: each under its name now (looked for again when the folder changed since). */
  parts(): ExplorerLogPart[] {
    this.relocate();
    return this.files.map((f) => ({
      path: f.now, bytes: f.pinned.size(), ...(f.copy || f.compressedSince ? { compressed: true } : {}), ...(f.gone ? { gone: true } : {}),
    }));
  }

  close(): void { for (const f of this.files) { f.pinned.close(); f.held?.close(); } }
}
