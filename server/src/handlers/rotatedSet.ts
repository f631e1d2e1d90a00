// The files of a rotated log set on disk, for the Alert Explorer (explorer.ts): the siblings of a file by name
// (service/explorer/logSet.ts says which names), the budget of a set, and the set read as one stream. Each file is
// held open by its descriptor from the start: logrotate renaming, compressing or deleting it while the set is shown
// (following the live file) does not change what its alerts' offsets read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyCheck, PartsSource, PrefixDigest, PrefixPrint, rotatedSet, rotationName, compareRotation, type SetPart } from '../service/explorer/logSet';
import { isGzipFile, type CopyRoom } from '../gzipFile';
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
  /** The descriptor (a gzip file is decompressed from it: the file it was opened as, whatever its name now). */
  get descriptor(): number | undefined { return this.fd; }
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

/**
 * A compressed log (a rotated `falco.log.1.gz`) is decompressed into a temporary file; a file that decompresses to more
 * than this is cut there (a gzip bomb must not fill the disk).
 */
export const MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024;

/** The most bytes of a plain copy compared with the bytes read at once (more are read a megabyte per turn). */
const COMPARE_AT_ONCE_BYTES = 8 * 1024 * 1024;
/** Bytes a copy being decompressed grows by between two calls for indexing them. */
const GROWTH_BYTES = 8 * 1024 * 1024;

/** How a decompression ended: `bytes` written; `error` (in words) when the gzip file is cut short, corrupt or too large. */
export interface Decompressed { bytes: number; error?: string; stopped?: boolean; aborted?: boolean }

/**
 * Writes the decompressed text of a gzip file (a path, or a descriptor read from its start) to `target`, a stream:
 * no more than a chunk is held. `chunk` is told each chunk once it is written, with its offset; returning false stops
 * the decompression there (`stopped`: a copy found to differ needs no more bytes). Never rejects.
 */
export async function decompressInto(from: string | number, target: string, options: {
  signal: AbortSignal; chunk?: (bytes: Buffer, at: number) => boolean | void;
  /** The disk the copies may take: a decompression stops with its reason past it (the text before is kept). */
  room?: CopyRoom;
}): Promise<Decompressed> {
  let written = 0;
  let stopped = false;
  let out: number | undefined;
  try {
    out = fs.openSync(target, 'w');
    const fd = out;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (written + chunk.length > MAX_DECOMPRESSED_BYTES) { done(new Error(`it decompresses to more than ${MAX_DECOMPRESSED_BYTES / 2 ** 30} GiB`)); return; }
        const refused = options.room?.refuse(chunk.length);
        if (refused) { done(new Error(refused)); return; }
        try {
          for (let at = 0; at < chunk.length;) at += fs.writeSync(fd, chunk, at, chunk.length - at, written + at);
        } catch (e) { done(e as Error); return; }
        const at = written;
        written += chunk.length;
        if (options.chunk?.(chunk, at) === false) { stopped = true; done(new Error('stopped')); return; }
        done();
      },
    });
    const input = typeof from === 'string' ? fs.createReadStream(from) : fs.createReadStream('', { fd: from, autoClose: false, start: 0 });
    await pipeline(input, zlib.createGunzip({ chunkSize: 64 * 1024 }), sink, { signal: options.signal });
    return { bytes: written };
  } catch (e) {
    if (options.signal.aborted) return { bytes: written, aborted: true };
    if (stopped) return { bytes: written, stopped: true };
    return { bytes: written, error: e instanceof Error ? e.message : String(e) };
  } finally {
    if (out !== undefined) fs.closeSync(out);
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
   * rotation): `now` is the gzip file, and `identity` its; the stream reads the plain file's descriptor until the gzip
   * file's decompressed copy is found equal (moveOntoCompressed), then `copy` is set and the plain file closed.
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
  /** A plain file compressed since whose gzip file is being decompressed, to be read from instead (SetSource.moveOntoCompressed). */
  moving?: AbortController;
}

/** What happened to the set's files that the Explorer tells the user (SetSource.changes). */
export type SetChange =
  /**
   * The live file was emptied in place and `copy` starts with every byte read from it: its alerts are the copy's now.
   * `compressed`: the copy is a gzip file (logrotate's `compress` without `delaycompress`), read from its decompressed copy.
   */
  | { kind: 'copied'; live: string; copy: string; alerts: number; compressed?: true }
  /**
   * The live file was emptied in place and no file of the set holds the bytes read from it: their `alerts` leave.
   * `unreadable`: gzip files of the set that could not be decompressed to compare (cut short, corrupt), and why.
   */
  | { kind: 'emptied'; live: string; alerts: number; unreadable?: { file: string; why: string }[] }
  /**
   * A plain file of the set that logrotate compressed (`delaycompress`: falco.log.1 became falco.log.2.gz) is read
   * from the gzip file's decompressed copy now, every byte compared, and the deleted plain file closed.
   */
  | { kind: 'moved'; file: string; compressed: string }
  /** A gzip copy taken for the live file's bytes could not be decompressed to its end: the text before `why` is read. */
  | { kind: 'cut'; file: string; why: string }
  /** Files of the set deleted (by logrotate's `rotate N`) while followed: left out with their `alerts`. */
  | { kind: 'deleted'; files: string[]; alerts: number };

/**
 * A log's files read as one: the older files of its rotated set asked for, oldest first, then the file opened (a log
 * opened alone is a set of one). While followed, a new file at the live path (logrotate's `create`: the live file
 * renamed to `.1`; or a file deleted and created again) is added after the others, and the files are found again by
 * identity under their new names; the renamed file stays what it was in the stream, so no alert moves. The live file
 * emptied in place (`copytruncate`) is replaced by its copy when a file of the set starts with the bytes read from it
 * (the PrefixPrint and PrefixDigest of them; a gzip file decompressed to compare), so no alert moves either; a plain
 * file logrotate compressed since is read from its gzip file once equal; and the files deleted while followed are
 * left out (`dropDeleted`), which closes them.
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
  /** The CRC-32 of the live file's bytes read in order by the store (read): what its copy's first bytes must give. */
  private digest = new PrefixDigest();
  /** The live file's size when last looked at for a truncation. */
  private liveSize = -1;
  /** The stream's position the store was last told to have indexed (indexed). */
  private indexedAt = 0;
  /**
   * While gzip files of the set are decompressed to compare with the bytes of the live file emptied in place: the
   * stream's size stays `size` (the store waits, its alerts as they were), and `settled` resolves once a copy was
   * taken or none holds them.
   */
  private comparison?: { size: number; settled: Promise<void> };
  /**
   * Times the live file was found emptied in place, copy or not (generation): what the stream's offsets read of it
   * may have been the emptied file's bytes since the last time.
   */
  private truncations = 0;
  /** Times the live file was found emptied with no copy of the bytes read (ByteSource.rewrites: the store starts over). */
  private emptied = 0;
  /** What happened to the files since the caller last took them (takeChanges). */
  private changes: SetChange[] = [];
  /** Copies made (each gets a path of its own from copyFor). */
  private copies = 0;
  /** Stops the decompressions under way when the set is closed. */
  private readonly closing = new AbortController();
  /** Counts the store's alerts between two offsets of the stream (set by the caller, which owns the store). */
  countAlerts: (from: number, to: number) => number = () => 0;
  /** Told when work of the set's own (a decompression) changed the stream: the caller indexes, and takes the changes. */
  onChange: () => void = () => {};

  /** Whether it is read as several files (shown as a set): older files asked for, or a rotation while followed. */
  get isSet(): boolean { return this.files.length > 1 || this.leftOut.length > 0; }

  /**
   * `ordered`: the set's files oldest first, the live one last. `copyFor` gives the path a gzip file's copy is
   * decompressed into, a new one for each index: those of the files opened as gzip files are created empty here and
   * written by the caller; those the set decompresses later (a copy compressed by logrotate) are written here.
   */
  constructor(readonly live: string, ordered: readonly string[], private readonly copyFor: (index: number) => string, private readonly room?: CopyRoom) {
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
    this.files = ordered.slice(first).map((file) => {
      if (!isGzipFile(file)) {
        const pinned = new PinnedFile(file, file !== live);
        return { origin: file, now: file, gone: false, identity: pinned.identity, pinned };
      }
      const copy = copyFor(this.copies++);
      fs.writeFileSync(copy, '');
      const held = new PinnedFile(file, true);
      return { origin: file, now: file, gone: false, identity: held.identity, held, pinned: new PinnedFile(copy, false), copy };
    });
    this.stream = new PartsSource(this.files.map((f) => f.pinned));
  }

  /** Looks at the live path (while followed, a new file there is added to the set), then gives the stream's size. */
  size(): number {
    if (this.comparison) return this.comparison.size;
    const stat = fs.statSync(this.live, { throwIfNoEntry: false });
    this.missing = !stat;
    const last = this.files[this.files.length - 1];
    if (this.following && stat?.isFile() && identityOf(stat) !== last.identity && !last.copy) this.rotated();
    const size = this.stream.size();
    if (!this.checkTruncation()) return size;
    // checkTruncation may have started comparing the live file's bytes with gzip files.
    return this.waitingSize() ?? this.stream.size();
  }

  private waitingSize(): number | undefined { return this.comparison?.size; }

  /**
   * How many times the bytes read were found gone with no copy (the live file emptied in place): the store starts
   * over when this changes, even where the file was written again past what was read before the look.
   */
  rewrites(): number { return this.emptied; }

  /**
   * Looks at the live file (size) and says how many times it was found emptied in place (ByteSource.generation): a
   * query that read the stream under an earlier count may have read the emptied file where the index has the bytes
   * now read from a copy, and keeps nothing of it.
   */
  generation(): number {
    this.size();
    return this.truncations;
  }

  /** Whether the bytes of the live file emptied in place are being compared with copies (ByteSource.settling). */
  settling(): boolean { return this.comparison !== undefined; }

  /**
   * Resolves once no gzip file is being compared with the live file's bytes (a request reading the log's text waits
   * for it: meanwhile the live file's old bytes are gone and no copy is taken yet). Never rejects.
   */
  get settled(): Promise<void> | undefined { return this.comparison?.settled; }

  /**
   * Tells the set how far the stream was indexed: the live file's bytes up to there are what a copy must start with
   * (PrefixPrint: a few samples are read, the last one again as the log grows).
   */
  indexed(position: number): void {
    if (this.comparison) return;
    this.indexedAt = position;
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
    this.truncations++;
    // Found by whoever looked (the indexer, the log's info, a query reading the file: generation): the caller indexes
    // the new state and tells the change, also for a log not followed, which no watcher wakes. After the current work
    // (a microtask): a query's step or a slice of indexing is not interrupted by another.
    queueMicrotask(() => this.onChange());
    const { start } = this.stream.extent(index);
    // The copy must hold every byte the store read of the live file (the digest's), not only those it indexed: a
    // chunk it stopped in is taken up from memory. logrotate loses the lines written between its copy and the
    // truncation; the alerts of those the store read have no copy to move to.
    const needed = Math.max(this.print.length, this.digest.length);
    const check = () => new CopyCheck(this.print, this.digest, needed);
    const found = this.findCopy(needed, check);
    const alerts = this.countAlerts(start, Infinity);
    if (found.copy) {
      this.takeCopy(found.copy.path, found.copy.pinned, { kind: 'copied', live: this.live, copy: found.copy.path, alerts });
    } else if (found.later.length > 0) {
      // A large plain copy (read a megabyte at a time), or gzip files (logrotate's `compress` without `delaycompress`
      // compressed the copy before this look, decompressed to compare), newest first, while the store waits.
      const { print, digest } = this;
      // Set before the comparison starts: it may end before its first turn (no candidate can be opened).
      const waiting = { size: this.indexedAt, settled: Promise.resolve() };
      this.comparison = waiting;
      waiting.settled = this.compareLater(found.later, () => new CopyCheck(print, digest, needed), alerts);
    } else {
      this.noCopy(alerts, []);
    }
    this.print = new PrefixPrint();
    this.digest = new PrefixDigest();
    this.liveSize = -1;
    return true;
  }

  /** The copy takes the live file's place in the stream, and the live file is read again after it from its start. */
  private takeCopy(file: string, pinned: PinnedFile, change: SetChange, gzip?: { held: PinnedFile; copy: string }): void {
    const index = this.files.length - 1;
    const live = this.files[index];
    this.stream.replaceNewest(pinned, live.pinned);
    this.files[index] = gzip
      ? { origin: file, now: file, gone: false, identity: gzip.held.identity, held: gzip.held, pinned, copy: gzip.copy }
      : { origin: file, now: file, gone: false, identity: pinned.identity, pinned };
    this.files.push({ origin: this.live, now: this.live, gone: false, identity: live.identity, pinned: live.pinned });
    this.changes.push(change);
  }

  /** No copy holds the live file's bytes read: their alerts leave, and the store starts over (rewrites). */
  private noCopy(alerts: number, unreadable: { file: string; why: string }[]): void {
    this.emptied++;
    this.changes.push({ kind: 'emptied', live: this.live, alerts, ...(unreadable.length ? { unreadable } : {}) });
  }

  /**
   * Compares the candidates (newest first) with the live file's bytes read, a chunk at a time between which the event
   * loop turns (CopyCheck: stopped at the first difference): a plain file read a megabyte at a time, a gzip file
   * decompressed into a copy of its own. The first that holds them takes the live file's place (a gzip file's as soon
   * as those bytes are written: its copy grows on, indexed as it does); with none, the store starts over. A gzip file
   * cut short or corrupt before the bytes compared is no copy, and named to the user.
   */
  private async compareLater(candidates: { file: string; gzip: boolean }[], check: () => CopyCheck, alerts: number): Promise<void> {
    const unreadable: { file: string; why: string }[] = [];
    for (const { file, gzip } of candidates) {
      if (this.closing.signal.aborted) return;
      let held: PinnedFile;
      try { held = new PinnedFile(file, true); } catch { continue; }
      if (!gzip) {
        if (await this.holdsBytesRead(held, check())) {
          this.comparison = undefined;
          this.takeCopy(file, held, { kind: 'copied', live: this.live, copy: file, alerts });
          this.onChange();
          return;
        }
        held.close();
        continue;
      }
      const copy = this.copyFor(this.copies++);
      const compared = check();
      let taken: PinnedFile | undefined;
      let toldAt = 0;
      const result = await decompressInto(held.descriptor!, copy, {
        signal: this.closing.signal,
        room: this.room,
        chunk: (bytes, at) => {
          if (taken) {
            // The copy's lines past those read are indexed as it grows, a few megabytes at a time.
            if (at + bytes.length - toldAt >= GROWTH_BYTES) { toldAt = at + bytes.length; this.onChange(); }
            return true;
          }
          const verdict = compared.feed(bytes);
          if (verdict === 'differs') return false;
          if (verdict === 'same') {
            // Written up to here: the stream's offsets read the same bytes from the copy at once.
            taken = new PinnedFile(copy, false);
            toldAt = at + bytes.length;
            this.comparison = undefined;
            this.takeCopy(file, taken, { kind: 'copied', live: this.live, copy: file, alerts, compressed: true }, { held, copy });
            this.onChange();
          }
          return true;
        },
      });
      if (taken) {
        taken.done = true;
        if (result.error) this.changes.push({ kind: 'cut', file, why: result.error });
        this.onChange();
        return;
      }
      held.close();
      fs.rmSync(copy, { force: true });
      if (result.aborted) return;
      if (result.error) unreadable.push({ file, why: result.error });
    }
    if (this.closing.signal.aborted) return;
    this.comparison = undefined;
    this.noCopy(alerts, unreadable);
    this.onChange();
  }

  /** Whether a plain file starts with the bytes read (CopyCheck), read a megabyte at a time, the event loop turning between. */
  private async holdsBytesRead(file: PinnedFile, check: CopyCheck): Promise<boolean> {
    const buffer = Buffer.alloc(1 << 20);
    for (;;) {
      const fd = file.descriptor;
      if (fd === undefined || this.closing.signal.aborted) return false;
      let got: number;
      try {
        got = await new Promise<number>((resolve, reject) => fs.read(fd, buffer, 0, buffer.length, check.position, (e, n) => (e ? reject(e) : resolve(n))));
      } catch { return false; }
      if (got <= 0) return false;
      const verdict = check.feed(buffer.subarray(0, got));
      if (verdict !== 'more') return verdict === 'same';
    }
  }

  /**
   * The plain file of the live file's set (newest name first) that is none of the log's and starts with the bytes
   * read (`needed` of them at least, equal at every sample, then every byte the digest covers), held open, when they
   * are few enough to compare at once; and the candidates to compare later, newest first: plain files equal at every
   * sample with more bytes to compare, and gzip files.
   */
  private findCopy(needed: number, check: () => CopyCheck): { copy?: { path: string; pinned: PinnedFile }; later: { file: string; gzip: boolean }[] } {
    const folder = path.dirname(this.live);
    const later: { file: string; gzip: boolean }[] = [];
    let names: string[];
    try { names = rotatedSet(path.basename(this.live), fs.readdirSync(folder)).reverse(); } catch { return { later }; }
    const own = new Set(this.files.flatMap((f) => [f.identity, f.pinned.identity]));
    for (const name of names) {
      const file = path.join(folder, name);
      if (file === this.live) continue;
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile() || own.has(identityOf(stat))) continue;
      if (isGzipFile(file)) { later.push({ file, gzip: true }); continue; }
      if (stat.size < needed) continue;
      let pinned: PinnedFile;
      try { pinned = new PinnedFile(file, true); } catch { continue; }
      const read = pinned.read.bind(pinned);
      // The samples first (a few reads tell another file), then every byte the digest covers: at once for a few
      // megabytes, else read later (a gigabyte takes about half a second).
      if (pinned.identity === identityOf(stat) && this.print.matches(read, pinned.size())) {
        if (needed > COMPARE_AT_ONCE_BYTES) later.push({ file, gzip: false });
        else if (check().run(read)) return { copy: { path: file, pinned }, later };
      }
      pinned.close();
    }
    return { later };
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
    this.digest = new PrefixDigest();
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
      this.moveOntoCompressed(f);
    }
  }

  /**
   * A plain file compressed by logrotate since (`compressedSince`; deleted once its gzip file was written) is read
   * from the gzip file's decompressed copy once it is written and found equal byte for byte (the plain file is still
   * read through its descriptor): then the plain file is closed, which gives its disk space back. The stream's offsets
   * read the same bytes, so no alert moves and nothing is indexed again. A gzip file that differs from it is not it:
   * the plain file is then gone (deleted), as with no gzip file.
   */
  private moveOntoCompressed(f: SetFile): void {
    if (f.copy || f.moving || !f.held || this.closing.signal.aborted) return;
    const plain = f.pinned;
    const size = plain.size();
    const held = f.held;
    const copy = this.copyFor(this.copies++);
    const moving = new AbortController();
    f.moving = moving;
    const stop = () => moving.abort();
    this.closing.signal.addEventListener('abort', stop);
    const own = Buffer.alloc(64 * 1024);
    let differs = false;
    void decompressInto(held.descriptor!, copy, {
      signal: moving.signal,
      room: this.room,
      chunk: (bytes, at) => {
        for (let done = 0; done < bytes.length && !differs;) {
          const length = Math.min(own.length, bytes.length - done);
          const got = at + done + length > size ? 0 : plain.read(own, 0, length, at + done);
          differs = got !== length || !own.subarray(0, got).equals(bytes.subarray(done, done + got));
          done += length;
        }
        return !differs;
      },
    }).then((result) => {
      this.closing.signal.removeEventListener('abort', stop);
      f.moving = undefined;
      const index = this.files.indexOf(f);
      if (result.aborted || index < 0 || f.held !== held) { fs.rmSync(copy, { force: true }); return; }
      if (!differs && !result.error && result.bytes === size) {
        const pinned = new PinnedFile(copy, true);
        this.stream.replacePart(index, pinned);
        plain.close();
        f.pinned = pinned;
        f.copy = copy;
        this.changes.push({ kind: 'moved', file: f.origin, compressed: f.now });
      } else {
        fs.rmSync(copy, { force: true });
        held.close();
        f.held = undefined;
        f.compressedSince = false;
        f.gone = true;
      }
      this.onChange();
    });
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
    // While the live file's bytes are compared with gzip files, the stream stays as it was.
    if (this.comparison) return false;
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
      f.moving?.abort();
      f.pinned.close();
      f.held?.close();
      if (f.copy) fs.rmSync(f.copy, { force: true });
    }
    this.stream.remove(dropped);
    // The store starts over: nothing of the stream as it is now is indexed yet.
    this.indexedAt = 0;
    this.changes.push({ kind: 'deleted', files, alerts });
    return true;
  }

  /** Whether the file at a path is one of the set's files (by identity, whatever its name now). */
  holds(file: string): boolean {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return !!stat && this.files.some((f) => f.identity === identityOf(stat));
  }

  read(buffer: Buffer, offset: number, length: number, position: number): number {
    const got = this.stream.read(buffer, offset, length, position);
    // The live file's bytes as the store reads them while indexing, one chunk after another: their digest.
    const index = this.files.length - 1;
    if (got > 0 && !this.comparison && !this.files[index].copy) {
      const at = this.stream.fileOffset(index, position);
      if (at !== undefined) {
        // A byte order mark left out of the stream is part of the file's bytes.
        if (this.digest.length === 0 && at > 0 && at <= 3) {
          const skipped = Buffer.alloc(at);
          if (this.files[index].pinned.read(skipped, 0, at, 0) === at) this.digest.add(skipped, 0);
        }
        this.digest.add(buffer.subarray(offset, offset + got), at);
      }
    }
    return got;
  }
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

  close(): void {
    this.closing.abort();
    for (const f of this.files) { f.pinned.close(); f.held?.close(); }
  }
}
