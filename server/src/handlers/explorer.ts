// Custom requests of the Alert Explorer: the client's tree view asks, the alert stores answer. Logs are read from
// disk in slices between which the event loop turns, so hovers and diagnostics stay responsive while a large log is
// indexed; progress and growth (follow mode) are pushed to the client as notifications.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FalcoLanguageService } from '../service/languageService';
import type { ServiceHost } from '../service/host';
import { AlertStore, SourceChangedError, queryProblem, type QuerySteps, type TextRuleIdentifier } from '../service/explorer/alertStore';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST,
  EXPLORER_FOLLOW_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST, EXPLORER_REPORT_REQUEST, EXPLORER_ROTATED_FILES_REQUEST,
  type ExplorerAlertItem, type ExplorerRotatedFilesParams, type ExplorerRotatedFilesResult,
  type ExplorerAlertTextParams, type ExplorerAlertTextResult, type ExplorerAlertsParams, type ExplorerAlertsResult,
  type ExplorerCloseParams, type ExplorerFollowParams, type ExplorerGroupsParams, type ExplorerGroupsResult,
  type ExplorerLogInfo, type ExplorerOpenParams, type ExplorerReportParams, type ExplorerReportResult, type ExplorerGroupBy,
  emptyGroupLabel, undatedText,
} from '../protocol';
import { codeSpan, escapeMarkdown } from '../service/markdown';
import { displayPath, revealAll } from '../service/displayPath';
import { PRIORITY_NAMES } from '../service/alerts/priority';
import { CopyRoom, copiesRoot, isGzipFile, makeCopyFolder, removeStaleCopies } from '../gzipFile';
import { SetSource, decompressInto, rotatedFiles, rotatedProblem, type SetChange } from './rotatedSet';
import { compareRotation, rotationName } from '../service/explorer/logSet';

export interface ExplorerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: FalcoLanguageService;
  host: ServiceHost;
  guarded<T>(what: string, fallback: T, run: () => T): T;
  pathToUri(path: string): string;
  /** How many messages have come in from the client, and been handed to their handlers, so far (see Pacer.turn). */
  messagesReceived(): number;
  messagesHandled(): number;
  /**
   * The folder the client gave for the extension's files (initializationOptions.storageFolder: VS Code's global
   * storage of the extension), where decompressed copies of gzip logs go; undefined before initialize or without one.
   */
  storageFolder?(): string | undefined;
}

/** Bytes a compressed log's decompression writes between two calls for indexing them. */
const SLICE_BYTES = 8 * 1024 * 1024;
/** The most time between two progress notifications while a log is indexed, in ms. */
const PROGRESS_MS = 100;
const MAX_PAGE = 1000;
/** The most alerts an Explorer report reads (the latest of the selection): a report is read by a person. */
const MAX_REPORT_ALERTS = 5000;
/**
 * The longest a report, a query or a slice of indexing works before the event loop turns, in ms: a report of 5,000
 * alerts takes about half a second, a text filter's first query on a gigabyte log about half a second, indexing it
 * several seconds, and hovers, diagnostics and the Explorer's other requests are answered between their turns.
 */
const TURN_MS = 15;
/**
 * TURN_MS for queries and reports (Pacer). The protocol tests of what happens between a query's turns (a log closed
 * meanwhile) set FALCO_LENS_QUERY_TURN_MS=0, so that a query turns after each step: on an idle machine a query over
 * their log ends within one TURN_MS, and a close sent after it would find no turn to arrive at.
 */
const QUERY_TURN_MS = ((v) => (Number.isFinite(v) && v >= 0 ? v : TURN_MS))(Number(process.env.FALCO_LENS_QUERY_TURN_MS ?? Number.NaN));
/** How many times a query is asked again when the log's live file was emptied in place under it (paced). */
const MAX_QUERY_ATTEMPTS = 3;
/** The most turns of the event loop a long request lets go by at once while messages come in and are handled. */
const MAX_TURNS = 16;
const GROUP_NAMES: Record<ExplorerGroupBy, string> = {
  rule: 'rule', priority: 'priority', hostname: 'host', source: 'source', container: 'container', namespace: 'namespace', pod: 'pod', image: 'image', tag: 'tag',
};

interface OpenLog {
  id: string;
  path: string;
  /** What it was opened with: the path, and the older files of a rotated set asked for (sorted). */
  key: string;
  /**
   * Its files read as one log: the file opened (a gzip file's decompressed copy), after the older files of its rotated
   * set when they were asked for, and the files a followed log's path named after a rotation.
   */
  source: SetSource;
  /** The store's resets seen (a truncated live file makes it read the log again from its start). */
  resets: number;
  store: AlertStore;
  /**
   * Names the rule of a text alert through the loaded rules' templates. Renewed before each slice of indexing, so
   * that whether the rules changed is asked once per slice, not once per alert (that question was a fifth of the
   * time spent on a text alert).
   */
  textRules: { identify: TextRuleIdentifier };
  done: boolean;
  following: boolean;
  /** While following: the file's own watcher (writes to it), renewed when the path names another file. */
  fileWatcher?: fs.FSWatcher;
  /** A log with gzip files opened as such: their decompression into copies, while and after it runs. */
  decompression?: { finished: boolean; abort: AbortController };
  /**
   * The temporary folder of its decompressed copies (gzip files opened, and those the set decompresses later: a copy
   * logrotate compressed), made when the first is needed and removed on close.
   */
  copies: { folder?: string };
  fileWatcherGeneration?: number;
  /** While following: its folder's watcher, which sees the file renamed, deleted and created again. */
  folderWatcher?: fs.FSWatcher;
  indexing?: Promise<void>;
  rerun: boolean;
}

export function registerExplorerHandlers(context: ExplorerContext): { initialized(): void } {
  const { connection } = context;
  const logs = new Map<string, OpenLog>();
  let nextId = 1;
  /** Where this server's decompressed copies go, and the disk they may take (gzipFile.ts CopyRoom): fixed at the first. */
  let room: CopyRoom | undefined;
  const copyRoom = () => (room ??= new CopyRoom(copiesRoot(context.storageFolder?.())));

  const info = (log: OpenLog): ExplorerLogInfo => ({
    logId: log.id, path: log.path, total: log.store.total, indexedBytes: log.store.indexedBytes, totalBytes: log.source.size(),
    done: log.done, following: log.following, unparsed: log.store.unparsed, ...(log.decompression ? { compressed: true } : {}),
    // After totalBytes: size() is what looks at the path.
    ...(log.source.missing ? { missing: true } : {}),
    ...(log.source.isSet ? { parts: log.source.parts(), ...(log.source.leftOut.length ? { leftOut: log.source.leftOut } : {}) } : {}),
  });
  /** What the file watcher's renewal follows: the file at the path changed (a file added by a rotation). */
  const watchGeneration = (log: OpenLog) => log.source.rotations;
  /** The file and its line of an alert: of a set of files, the part's (its index in the info's parts). */
  const placeOf = (log: OpenLog, id: number): { line: number; part?: number } => {
    const place = log.source.place(log.store.byteSpan(id).offset, log.store.lineOf(id));
    return log.source.isSet ? place : { line: place.line };
  };
  const decompressing = (log: OpenLog) => !!log.decompression && !log.decompression.finished;

  // The decompressed copies that servers killed without shutdown left in the storage folder, and in the temp folder
  // (where earlier releases, and servers given no storage folder, put them): gzipFile.ts says which are safe to remove
  // while other windows' servers use theirs. In the background once initialized: a folder may be slow to list.
  const removeLeftCopies = () => {
    const roots = [...new Set([copiesRoot(context.storageFolder?.()), copiesRoot(undefined)])];
    void Promise.all(roots.map((root) => removeStaleCopies(root))).then((lists) => {
      const removed = lists.flat();
      if (removed.length) connection.console.log(`Alert Explorer: removed ${removed.length} decompressed log cop${removed.length === 1 ? 'y' : 'ies'} left by stopped servers: ${removed.join(', ')}`);
    });
  };
  // A server that exits without shutdown (its client gone: stdin closed, the parent process dead) removes its copies
  // on its way out too, where it can. Taken off at shutdown, which forgets every log: a process that registers the
  // handlers more than once (the tests) keeps no listener, nor the logs it reaches, per registration.
  const removeCopiesOnExit = () => { for (const log of logs.values()) removeCopies(log); };
  process.on('exit', removeCopiesOnExit);


  /**
   * Indexes what is new in the file, a slice of TURN_MS per turn of the event loop, as a query is paced (a slice of
   * 8 MB, in fact 12 MB, took 50-60 ms on the bench's 1M log, and a hover sent meanwhile waited for the next one too);
   * coalesces concurrent calls.
   */
  function indexLog(log: OpenLog): Promise<void> {
    if (log.indexing) { log.rerun = true; return log.indexing; }
    log.indexing = (async () => {
      let notified = -Infinity;
      do {
        log.rerun = false;
        let finished = false;
        while (!finished && logs.has(log.id)) {
          // The live file's bytes compared with gzip files (logrotate's copytruncate and compress): the store waits.
          const settled = log.source.settled;
          if (settled) { await settled; continue; }
          finished = context.guarded('explorer indexing', true, () => {
            log.textRules.identify = context.service.alerts.textRuleIdentifier();
            // Followed for days, a set drops the files logrotate deleted rather than hold them open (their disk space).
            if (log.following && log.source.dropDeleted()) { log.store.startOver(); log.resets = log.store.resets; }
            const end = log.store.indexMore(Infinity, !log.following && !decompressing(log), performance.now() + TURN_MS);
            log.source.indexed(log.store.indexedBytes);
            return end;
          });
          const changes = log.source.takeChanges();
          if (changes.length > 0 || log.store.resets !== log.resets) tell(log, changes);
          if (log.following && log.fileWatcherGeneration !== watchGeneration(log)) watchFile(log);
          log.done = finished && !decompressing(log) && !log.source.settled;
          // A last line still being written: nothing to index until the file grows, which the file's watcher (or the
          // decompression) reports; indexing on meanwhile read the same bytes every turn, a core busy for nothing.
          const waiting = !finished && log.store.awaitingLineEnd;
          if (finished || waiting || performance.now() - notified >= PROGRESS_MS) {
            notified = performance.now();
            void connection.sendNotification(EXPLORER_CHANGED_NOTIFICATION, info(log));
          }
          if (waiting) break;
          if (!finished) await turnForMessages(context);
        }
      } while (log.rerun && logs.has(log.id));
    })().finally(() => {
      log.indexing = undefined;
      // A call between the last pass's check of `rerun` and here found the log still indexing and only asked for one
      // more pass (a gzip part decompressed to its end, a write to a followed file): that pass is run now.
      if (log.rerun && logs.has(log.id)) void indexLog(log);
    });
    return log.indexing;
  }

  /**
   * Says what happened to a log's files (SetSource.changes). The live file emptied in place with a copy of it in its
   * set (logrotate's `copytruncate`) loses nothing: the log's info names the copy among its files, and the output
   * channel says so. Emptied with no copy (`: > falco.log`), the alerts of its lines leave (their bytes are gone) and
   * it is read again from its start; deleted files of a followed set leave with their alerts: the user is told both.
   */
  function tell(log: OpenLog, changes: SetChange[]): void {
    const emptiedBefore = log.store.resets !== log.resets;
    log.resets = log.store.resets;
    const shown = (file: string) => displayPath(file, context.host.workspaceFolders());
    const count = (n: number) => `${n.toLocaleString('en-US')} alert${n === 1 ? '' : 's'}`;
    for (const change of changes) {
      if (change.kind === 'copied') {
        connection.console.info(`Alert Explorer: ${change.live} was emptied in place (logrotate's copytruncate); ${change.copy} starts with the bytes read from it${change.compressed ? ' once decompressed' : ''}, and its ${count(change.alerts)} are read from there; the live file is read again from its start`);
      } else if (change.kind === 'moved') {
        // logrotate's delaycompress: a normal rotation, nothing lost, nothing to tell the user.
        connection.console.info(`Alert Explorer: ${change.file} was compressed to ${change.compressed} (logrotate's delaycompress); its alerts are read from the gzip file now, and the deleted plain file is no longer held open`);
      } else if (change.kind === 'cut') {
        connection.console.error(`Alert Explorer: ${change.file} could not be decompressed to its end (${change.why}); showing the alerts before that point`);
        void connection.window.showWarningMessage(`Falco Lens: ${shown(change.file)} could not be decompressed to its end (${revealAll(change.why)}).`);
      } else if (change.kind === 'emptied') {
        const unreadable = change.unreadable ?? [];
        connection.console.info(`Alert Explorer: ${change.live} was emptied in place and no file of its set starts with the bytes read from it; reading it again from its start${
          unreadable.map((u) => `; ${u.file} could not be decompressed to compare (${u.why})`).join('')}`);
        void connection.window.showInformationMessage(`Falco Lens: ${shown(change.live)} was emptied in place, and no file of its rotated set starts with the lines read from it (logrotate's copytruncate would have copied them first): the ${count(change.alerts)} read from those lines ${change.alerts === 1 ? 'is' : 'are'} no longer shown, and its new lines are read.${
          unreadable.map((u) => ` ${shown(u.file)} could not be decompressed to compare (${revealAll(u.why)}).`).join('')}`);
      } else {
        const names = change.files.map(shown).join(', ');
        connection.console.info(`Alert Explorer: ${change.files.join(', ')} deleted while followed; no longer held open, their ${count(change.alerts)} left`);
        const one = change.files.length === 1;
        void connection.window.showInformationMessage(`Falco Lens: ${names} ${one ? 'was' : 'were'} deleted: the ${count(change.alerts)} read from ${one ? 'it' : 'them'} ${change.alerts === 1 ? 'is' : 'are'} no longer shown, and the Alert Explorer no longer holds ${one ? 'it' : 'them'} open.`);
      }
    }
    // The stream shrank where no file change was seen (a file that is no live file, a compressed one's copy).
    if (emptiedBefore && !changes.some((c) => c.kind === 'emptied')) {
      connection.console.info(`Alert Explorer: ${log.path} became shorter than the bytes read from it; reading it again from its start`);
      void connection.window.showInformationMessage(`Falco Lens: ${shown(log.path)} became shorter than the lines read from it: the alerts read from them are no longer shown, and it is read again from its start.`);
    }
  }

  function stopWatching(log: OpenLog): void {
    log.fileWatcher?.close();
    log.folderWatcher?.close();
    log.fileWatcher = log.folderWatcher = log.fileWatcherGeneration = undefined;
  }

  /** Watches the file now at the log's path (inotify-backed: a write is seen within milliseconds). */
  function watchFile(log: OpenLog): void {
    log.fileWatcher?.close();
    log.fileWatcher = undefined;
    log.fileWatcherGeneration = watchGeneration(log);
    try {
      log.fileWatcher = fs.watch(log.path, { persistent: false }, () => { void indexLog(log); });
      log.fileWatcher.on('error', () => { log.fileWatcher?.close(); log.fileWatcher = undefined; });
    } catch {
      // No file at the path right now (rotated away, not yet created again): the folder's watcher sees it come back.
    }
  }

  function setFollow(log: OpenLog, follow: boolean): void {
    stopWatching(log);
    if (follow && log.source.files[log.source.files.length - 1].copy) {
      connection.console.warn(`Alert Explorer does not follow ${log.path}: a compressed log does not grow`);
      // Said to the user too: the Follow button did nothing visible.
      void connection.window.showInformationMessage(`Falco Lens: ${displayPath(log.path, context.host.workspaceFolders())} is compressed, and a compressed log does not grow: there is nothing to follow.`);
      follow = false;
    }
    log.following = follow;
    log.source.following = follow;
    if (!follow) { void indexLog(log); return; }
    watchFile(log);
    // A watcher of the file follows its inode: renamed by logrotate, it would go on watching the old log. The folder's
    // watcher names the entries that change, so it sees writes to the file, its renaming and a new file at the path
    // (the file's own watcher stays for a path that is a link into another folder), and the other files of its set
    // renamed, compressed (`delaycompress`: falco.log.1 becomes falco.log.2.gz after the next rotation) or removed:
    // the info sent then names each file where it is now.
    const name = path.basename(log.path);
    const base = rotationName(name).base;
    try {
      log.folderWatcher = fs.watch(path.dirname(log.path), { persistent: false }, (event, changed) => {
        if (!changed || changed === name || (event === 'rename' && log.source.isSet && rotationName(changed).base === base)) void indexLog(log);
      });
      log.folderWatcher.on('error', (e) => connection.console.warn(`Alert Explorer no longer sees ${log.path} rotated or created again: ${e}`));
    } catch (e) {
      connection.console.warn(`Alert Explorer cannot see ${log.path} rotated or created again (its folder cannot be watched): ${e}`);
    }
    if (!log.fileWatcher && !log.folderWatcher) {
      connection.console.warn(`Alert Explorer cannot follow ${log.path}`);
      log.following = false;
    }
  }

  /** A log's gzip files, one after another, oldest first: each is indexed as its copy grows. */
  async function decompressSet(log: OpenLog, set: SetSource): Promise<void> {
    const state = log.decompression!;
    // The gzip files opened, taken now: files deleted while followed leave the set's list meanwhile, and a plain file
    // compressed since gets a copy of its own (SetSource).
    for (const file of set.files.filter((f) => f.copy)) {
      await decompressFile(log, file.origin, file.copy!);
      file.pinned.done = true;
      if (state.abort.signal.aborted || !logs.has(log.id)) return;
      void indexLog(log);
    }
    state.finished = true;
    void indexLog(log);
  }

  /** Writes the decompressed text of the gzip file `from` to `target`, indexing it as it grows; never rejects. */
  async function decompressFile(log: OpenLog, from: string, target: string): Promise<void> {
    let indexedAt = 0;
    const result = await decompressInto(from, target, {
      signal: log.decompression!.abort.signal,
      room: copyRoom(),
      chunk: (bytes, at) => { if (at + bytes.length - indexedAt >= SLICE_BYTES) { indexedAt = at + bytes.length; void indexLog(log); } },
    });
    if (result.error === undefined) return;
    // What was decompressed before the error (a log cut while it was compressed, a bomb) is still shown.
    connection.console.error(`Alert Explorer: ${from} could not be decompressed to its end (${result.error}); showing the alerts before that point`);
    void connection.window.showWarningMessage(`Falco Lens: ${displayPath(from, context.host.workspaceFolders())} could not be decompressed to its end (${revealAll(result.error)}).`);
  }

  /** Stops watching and reading a log, and removes the decompressed copy of a compressed one. */
  function forget(log: OpenLog): void {
    stopWatching(log);
    log.source.close();
    log.decompression?.abort.abort();
    removeCopies(log);
  }

  function removeCopies(log: OpenLog): void {
    if (!log.copies.folder) return;
    try { fs.rmSync(log.copies.folder, { recursive: true, force: true }); } catch { /* removed by the next server */ }
  }

  /** Refuses a request whose grouping or filter is not one the store reads, saying what is wrong. */
  const checkQuery = (groupBy: unknown, filter: unknown): void => {
    const problem = queryProblem(groupBy, filter);
    if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `Alert Explorer: ${problem}.`);
  };

  const get = (id: string): OpenLog => {
    const log = logs.get(id);
    if (!log) throw new Error(`No log is open with id ${id}`);
    return log;
  };

  /**
   * The log once its set compares no gzip file with the bytes of its live file emptied in place (a second or two for a
   * gigabyte): meanwhile those bytes are gone and no copy is taken, so its alerts' text cannot be read.
   */
  const settledLog = async (id: string): Promise<OpenLog> => {
    for (let log = get(id); ; log = get(id)) {
      const settled = log.source.settled;
      if (!settled) return log;
      await settled;
    }
  };

  connection.onRequest(EXPLORER_ROTATED_FILES_REQUEST, (p: ExplorerRotatedFilesParams): ExplorerRotatedFilesResult => {
    if (typeof p?.path !== 'string' || p.path === '') throw new ResponseError(ErrorCodes.InvalidParams, 'Alert Explorer: path is not a file path.');
    if (!fs.statSync(p.path, { throwIfNoEntry: false })?.isFile()) throw new Error(`Not a readable file: ${p.path}`);
    return rotatedFiles(p.path);
  });

  connection.onRequest(EXPLORER_OPEN_REQUEST, async (p: ExplorerOpenParams): Promise<ExplorerLogInfo> => {
    if (typeof p?.path !== 'string' || p.path === '') throw new ResponseError(ErrorCodes.InvalidParams, 'Alert Explorer: path is not a file path.');
    if (p.follow !== undefined && typeof p.follow !== 'boolean') throw new ResponseError(ErrorCodes.InvalidParams, 'Alert Explorer: follow is not true or false.');
    const stat = fs.statSync(p.path, { throwIfNoEntry: false });
    if (!stat || !stat.isFile()) throw new Error(`Not a readable file: ${p.path}`);
    const problem = p.rotated !== undefined ? rotatedProblem(p.path, p.rotated) : undefined;
    if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `Alert Explorer: ${problem}.`);
    // Oldest first (a plain file before a gzip one of the same rotation), the path last.
    const rotated = [...p.rotated ?? []].sort((a, b) => compareRotation(rotationName(path.basename(a)), rotationName(path.basename(b))) || Number(isGzipFile(a)) - Number(isGzipFile(b)));
    const key = JSON.stringify([p.path, ...rotated]);
    for (const existing of logs.values()) {
      if (existing.key === key) {
        if (p.follow !== undefined && p.follow !== existing.following) setFollow(existing, p.follow);
        return info(existing);
      }
    }
    const ordered = [...rotated, p.path];
    const copies: { folder?: string } = {};
    let source: SetSource;
    try {
      source = new SetSource(p.path, ordered, (i) => path.join(copies.folder ??= makeCopyFolder(copyRoom().root), `part-${i}.log`), copyRoom());
    } catch (e) {
      // A file of the set gone between the check and the open.
      if (copies.folder) fs.rmSync(copies.folder, { recursive: true, force: true });
      throw e;
    }
    const textRules = { identify: context.service.alerts.textRuleIdentifier() };
    const store = new AlertStore(source, (output) => textRules.identify(output));
    source.countAlerts = (from, to) => store.countBetween(from, to);
    const log: OpenLog = { id: String(nextId++), path: p.path, key, source, store, resets: 0, textRules, done: false, following: false, rerun: false, copies };
    source.onChange = () => { if (logs.get(log.id) === log) void indexLog(log); };
    if (source.files.some((f) => f.copy)) log.decompression = { finished: false, abort: new AbortController() };
    logs.set(log.id, log);
    if (log.decompression) void decompressSet(log, source);
    if (p.follow) setFollow(log, true);
    // Answer at once: the client sees progress through notifications and queries whatever is indexed so far.
    void indexLog(log);
    return info(log);
  });

  connection.onRequest(EXPLORER_CLOSE_REQUEST, (p: ExplorerCloseParams): void => {
    const log = logs.get(p.logId);
    if (!log) return;
    forget(log);
    logs.delete(p.logId);
  });

  connection.onRequest(EXPLORER_FOLLOW_REQUEST, (p: ExplorerFollowParams): ExplorerLogInfo => {
    const log = get(p.logId);
    setFollow(log, p.follow);
    return info(log);
  });

  /**
   * Runs a query's steps, letting the event loop turn whenever it has worked TURN_MS (a query that takes less answers
   * at once, as before). At each turn a cancelled request answers RequestCancelled, and a log closed meanwhile fails
   * the query; the steps are dropped.
   */
  async function paced<T>(log: OpenLog, query: () => QuerySteps<T>, pace: Pacer): Promise<T> {
    // The live file emptied in place while the query read it, and its copy is being compared: the query is asked
    // again once the comparison is over (its answer then reads the copy, or the log started over). A few times at
    // most: each time needs the live file emptied again.
    for (let attempt = 1; ; attempt++) {
      const steps = query();
      try {
        for (;;) {
          const step = steps.next();
          if (step.done) return step.value;
          if (pace.due()) {
            await pace.turn();
            if (logs.get(log.id) !== log) throw new Error(`${log.path} was closed while it was queried`);
          }
        }
      } catch (e) {
        if (!(e instanceof SourceChangedError) || attempt >= MAX_QUERY_ATTEMPTS) {
          if (e instanceof SourceChangedError) throw new Error(`${displayPath(log.path, context.host.workspaceFolders())} was emptied in place ${attempt} times while it was queried: ask again`);
          throw e;
        }
      }
      await settledLog(log.id);
      if (logs.get(log.id) !== log) throw new Error(`${log.path} was closed while it was queried`);
      pace.check();
    }
  }

  // Groups and pages of alerts scan every alert of the log (a tenth of a second for a million; a page with folded
  // duplicates more), and the first query of a text filter reads the whole file (about half a second for a gigabyte):
  // they run in steps, and the client cancels a query the tree no longer waits for.
  connection.onRequest(EXPLORER_GROUPS_REQUEST, async (p: ExplorerGroupsParams, token: CancellationToken): Promise<ExplorerGroupsResult> => {
    const log = await settledLog(p.logId);
    checkQuery(p.groupBy ?? null, p.filter);
    const pace = new Pacer(token, 'query', context);
    pace.check();
    return paced(log, () => log.store.groupsSteps(p.groupBy, p.filter, Math.min(p.limit ?? 500, 5000)), pace);
  });

  connection.onRequest(EXPLORER_ALERTS_REQUEST, async (p: ExplorerAlertsParams, token: CancellationToken): Promise<ExplorerAlertsResult> => {
    const log = await settledLog(p.logId);
    checkQuery(p.groupBy ?? null, p.filter);
    const pace = new Pacer(token, 'query', context);
    pace.check();
    const result = await paced(log, () => log.store.alertsSteps(p.groupBy, p.group, p.filter, p.dedupe ?? false, Math.max(0, p.offset ?? 0), Math.min(Math.max(1, p.limit ?? 200), MAX_PAGE)), pace);
    const generation = log.store.resets;
    result.items = result.items.map((item): ExplorerAlertItem => ({ ...item, ...(log.source.isSet ? placeOf(log, item.id) : {}), generation }));
    return result;
  });

  connection.onRequest(EXPLORER_REPORT_REQUEST, async (p: ExplorerReportParams, token: CancellationToken): Promise<ExplorerReportResult> => {
    const log = await settledLog(p.logId);
    checkQuery(p.groupBy, p.filter);
    const pace = new Pacer(token, 'report', context);
    pace.check();
    const limit = Math.min(Math.max(1, Math.floor(Number(p.limit ?? MAX_REPORT_ALERTS)) || 1), MAX_REPORT_ALERTS);
    // Which alerts: a scan of the log, and with a text filter's first use a reading of the whole file.
    const { ids, total, undated } = await paced(log, () => log.store.latestMatchingSteps(p.groupBy, p.groupBy === undefined ? undefined : String(p.group ?? ''), p.filter, limit), pace);
    // The alerts one after another, a blank line between two that are not next to each other in the file (so that
    // none is read as the continuation of another), and the file's line of each line of that text for the report.
    // Padding with the file's other lines as blank lines would cost more than the alerts for a group spread over a
    // large log (a million blank lines take a third of a second to index). The alerts are read from the file while
    // the log stays as it was: between two turns it may be closed, or start over.
    const resets = log.store.resets;
    const parts: string[] = [];
    const fileLines: number[] = [];
    // Of a rotated set: the name of the file of each line.
    const fileNames: (string | undefined)[] = [];
    const names = log.source.isSet ? log.source.parts().map((part) => path.basename(part.path)) : undefined;
    let next = -1;
    for (const id of ids) {
      if (pace.due()) {
        await pace.turn();
        if (logs.get(log.id) !== log) throw new Error(`${log.path} was closed while its report was read`);
        // The live file emptied in place meanwhile: its alerts are read once their copy is taken (or they left).
        await settledLog(log.id);
        if (logs.get(log.id) !== log) throw new Error(`${log.path} was closed while its report was read`);
        if (log.store.resets !== resets) throw new Error(`${log.path} was truncated while its report was read: ask for the report again`);
      }
      const at = log.store.lineOf(id);
      const place = placeOf(log, id);
      const name = place.part !== undefined ? names?.[place.part] : undefined;
      if (next >= 0 && at !== next) { parts.push(''); fileLines.push(place.line - 1); fileNames.push(name); }
      const alert = log.store.alertText(id);
      parts.push(alert);
      const lines = 1 + countLineBreaks(alert);
      for (let k = 0; k < lines; k++) { fileLines.push(place.line + k); fileNames.push(name); }
      next = at + lines;
    }
    // The rest works on the text read: the log may close meanwhile.
    const steps = context.service.alerts.reportSteps(parts.length ? `${parts.join('\n')}\n` : '', context.pathToUri(log.path), fileLines, names ? fileNames : undefined);
    let markdown: string;
    for (;;) {
      const step = steps.next();
      if (step.done) { markdown = step.value; break; }
      if (pace.due()) await pace.turn();
    }
    const scope: string[] = [];
    if (p.groupBy !== undefined) {
      const label = p.groupBy === 'priority' ? PRIORITY_NAMES[Number(p.group)] ?? String(p.group) : String(p.group ?? '') || emptyGroupLabel(p.groupBy);
      scope.push(`the ${GROUP_NAMES[p.groupBy] ?? 'group'} ${codeSpan(label)}`);
    }
    if (p.filter && Object.keys(p.filter).length > 0) scope.push('the Explorer\'s filter');
    const what = ids.length < total ? `the latest ${ids.length.toLocaleString('en-US')} of the ${total.toLocaleString('en-US')} alerts` : `the ${total.toLocaleString('en-US')} alert${total === 1 ? '' : 's'}`;
    const leftOut = undated ? ` ${escapeMarkdown(undatedText(undated))}.` : '';
    const setNote = names ? ` The log is a rotated set read as one, oldest first: ${names.map((n) => codeSpan(n)).join(', ')}${log.source.leftOut.length ? ` (${log.source.leftOut.length} older file${log.source.leftOut.length === 1 ? '' : 's'} left out: ${log.source.leftOut.map((f) => codeSpan(path.basename(f))).join(', ')})` : ''}.` : '';
    const note = `> Alert Explorer: ${escapeMarkdown(what)}${scope.length ? ` of ${scope.join(' and ')}` : names ? ' of the set' : ' of the log'}.${leftOut}${setNote}`;
    const heading = markdown.indexOf('\n');
    return {
      markdown: heading >= 0 ? `${markdown.slice(0, heading)}\n\n${note}\n${markdown.slice(heading)}` : `${note}\n\n${markdown}`, alerts: ids.length, total,
      ...(undated !== undefined ? { undated } : {}),
    };
  });

  connection.onRequest(EXPLORER_ALERT_TEXT_REQUEST, async (p: ExplorerAlertTextParams): Promise<ExplorerAlertTextResult> => {
    const log = await settledLog(p.logId);
    // An alert of a list drawn before the log was indexed again: its id names another alert now, or none.
    if (p.generation !== undefined && p.generation !== log.store.resets) {
      throw new Error(`The Alert Explorer read ${displayPath(log.path, context.host.workspaceFolders())} again from its start since this alert was listed (a file of it was emptied or deleted): pick the alert again in the list as it is now`);
    }
    if (!Number.isInteger(p.id) || p.id < 0 || p.id >= log.store.total) throw new Error(`No alert ${p.id} in ${log.path}`);
    const place = log.source.place(log.store.byteSpan(p.id).offset, log.store.lineOf(p.id));
    // Where its file is now, compressed or gone since included: the parts the tree was drawn with may be older.
    const file = log.source.parts()[place.part];
    return { text: log.store.alertText(p.id), line: place.line, ...(log.source.isSet ? { part: place.part } : {}), file };
  });

  connection.onShutdown(() => {
    for (const log of logs.values()) forget(log);
    logs.clear();
    process.off('exit', removeCopiesOnExit);
  });
  return { initialized: () => setImmediate(removeLeftCopies) };
}

/**
 * Paces a long request: `due` says when it has worked for TURN_MS (QUERY_TURN_MS) since the event loop last turned; `turn` lets the
 * loop turn (messages that came in meanwhile are handled) and then answers a cancellation of the request with LSP's
 * RequestCancelled error, as `check` does at once. Exported for tests.
 */
export class Pacer {
  private since = performance.now();
  constructor(private readonly token: CancellationToken, private readonly what: 'report' | 'query',
    private readonly messages: Pick<ExplorerContext, 'messagesReceived' | 'messagesHandled'>) {}
  due(): boolean { return performance.now() - this.since >= QUERY_TURN_MS; }
  check(): void {
    if (this.token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, `The Alert Explorer ${this.what} was cancelled`);
  }
  async turn(): Promise<void> {
    await turnForMessages(this.messages);
    this.check();
    this.since = performance.now();
  }
}

/**
 * Lets the event loop turn between two slices of a long piece of work (a query, a report, indexing). Messages that
 * came in while it worked (a hover) are read in the next turn of the loop, and over stdio vscode-jsonrpc decodes one
 * in a turn and hands it over in the next, each time after the work's own continuation: one turn let the work go on
 * for one or two more slices before the hover was answered. The loop turns until the latest message has had two turns
 * to be handed over and the last turn handed none over (at most MAX_TURNS); with no message, once.
 */
async function turnForMessages(messages: Pick<ExplorerContext, 'messagesReceived' | 'messagesHandled'>): Promise<void> {
  let received = messages.messagesReceived();
  let handled = messages.messagesHandled();
  let receivedAt = -Infinity;
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    await nextTurn();
    const nowReceived = messages.messagesReceived();
    const nowHandled = messages.messagesHandled();
    if (nowReceived !== received) { received = nowReceived; receivedAt = turn; }
    const quiet = nowHandled === handled;
    handled = nowHandled;
    if (quiet && turn - receivedAt >= 2) break;
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
