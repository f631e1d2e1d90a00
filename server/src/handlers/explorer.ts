// Custom requests of the Alert Explorer: the client's tree view asks, the alert stores answer. Logs are read from
// disk in slices between which the event loop turns, so hovers and diagnostics stay responsive while a large log is
// indexed; progress and growth (follow mode) are pushed to the client as notifications.
import * as fs from 'node:fs';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FalcoLanguageService } from '../service/languageService';
import type { ServiceHost } from '../service/host';
import { AlertStore, type ByteSource, type TextRuleIdentifier } from '../service/explorer/alertStore';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST,
  EXPLORER_FOLLOW_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST,
  type ExplorerAlertTextParams, type ExplorerAlertTextResult, type ExplorerAlertsParams, type ExplorerAlertsResult,
  type ExplorerCloseParams, type ExplorerFollowParams, type ExplorerGroupsParams, type ExplorerGroupsResult,
  type ExplorerLogInfo, type ExplorerOpenParams,
} from '../protocol';

export interface ExplorerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: FalcoLanguageService;
  host: ServiceHost;
  guarded<T>(what: string, fallback: T, run: () => T): T;
  pathToUri(path: string): string;
}

/** Bytes indexed per slice before yielding to the event loop. */
const SLICE_BYTES = 8 * 1024 * 1024;
const MAX_PAGE = 1000;

class FileSource implements ByteSource {
  private fd: number | undefined;
  constructor(readonly path: string) {}
  size(): number { try { return fs.statSync(this.path).size; } catch { return 0; } }
  read(buffer: Buffer, offset: number, length: number, position: number): number {
    if (this.fd === undefined) this.fd = fs.openSync(this.path, 'r');
    return fs.readSync(this.fd, buffer, offset, length, position);
  }
  close(): void { if (this.fd !== undefined) { fs.closeSync(this.fd); this.fd = undefined; } }
}

interface OpenLog {
  id: string;
  path: string;
  source: FileSource;
  store: AlertStore;
  /**
   * Names the rule of a text alert through the loaded rules' templates. Renewed before each slice of indexing, so
   * that whether the rules changed is asked once per slice, not once per alert (that question was a fifth of the
   * time spent on a text alert).
   */
  textRules: { identify: TextRuleIdentifier };
  done: boolean;
  following: boolean;
  watcher?: fs.FSWatcher;
  indexing?: Promise<void>;
  rerun: boolean;
}

export function registerExplorerHandlers(context: ExplorerContext): void {
  const { connection } = context;
  const logs = new Map<string, OpenLog>();
  let nextId = 1;

  const info = (log: OpenLog): ExplorerLogInfo => ({
    logId: log.id, path: log.path, total: log.store.total, indexedBytes: log.store.indexedBytes, totalBytes: log.source.size(),
    done: log.done, following: log.following, unparsed: log.store.unparsed,
  });


  /** Indexes what is new in the file, one slice per turn of the event loop; coalesces concurrent calls. */
  function indexLog(log: OpenLog): Promise<void> {
    if (log.indexing) { log.rerun = true; return log.indexing; }
    log.indexing = (async () => {
      do {
        log.rerun = false;
        let finished = false;
        while (!finished && logs.has(log.id)) {
          finished = context.guarded('explorer indexing', true, () => {
            log.textRules.identify = context.service.alerts.textRuleIdentifier();
            return log.store.indexMore(SLICE_BYTES, !log.following);
          });
          log.done = finished;
          void connection.sendNotification(EXPLORER_CHANGED_NOTIFICATION, info(log));
          if (!finished) await new Promise((resolve) => setImmediate(resolve));
        }
      } while (log.rerun && logs.has(log.id));
    })().finally(() => { log.indexing = undefined; });
    return log.indexing;
  }

  function setFollow(log: OpenLog, follow: boolean): void {
    log.following = follow;
    log.watcher?.close();
    log.watcher = undefined;
    if (!follow) { void indexLog(log); return; }
    try {
      // inotify-backed: a write to the file is seen within milliseconds.
      log.watcher = fs.watch(log.path, { persistent: false }, () => { void indexLog(log); });
      log.watcher.on('error', (e) => connection.console.warn(`Alert Explorer stopped following ${log.path}: ${e}`));
    } catch (e) {
      connection.console.warn(`Alert Explorer cannot follow ${log.path}: ${e}`);
      log.following = false;
    }
  }

  const get = (id: string): OpenLog => {
    const log = logs.get(id);
    if (!log) throw new Error(`No log is open with id ${id}`);
    return log;
  };

  connection.onRequest(EXPLORER_OPEN_REQUEST, async (p: ExplorerOpenParams): Promise<ExplorerLogInfo> => {
    const stat = fs.statSync(p.path, { throwIfNoEntry: false });
    if (!stat || !stat.isFile()) throw new Error(`Not a readable file: ${p.path}`);
    for (const existing of logs.values()) {
      if (existing.path === p.path) {
        if (p.follow !== undefined && p.follow !== existing.following) setFollow(existing, p.follow);
        return info(existing);
      }
    }
    const source = new FileSource(p.path);
    const textRules = { identify: context.service.alerts.textRuleIdentifier() };
    const store = new AlertStore(source, (output) => textRules.identify(output));
    const log: OpenLog = { id: String(nextId++), path: p.path, source, store, textRules, done: false, following: false, rerun: false };
    logs.set(log.id, log);
    if (p.follow) setFollow(log, true);
    // Answer at once: the client sees progress through notifications and queries whatever is indexed so far.
    void indexLog(log);
    return info(log);
  });

  connection.onRequest(EXPLORER_CLOSE_REQUEST, (p: ExplorerCloseParams): void => {
    const log = logs.get(p.logId);
    if (!log) return;
    log.watcher?.close();
    log.source.close();
    logs.delete(p.logId);
  });

  connection.onRequest(EXPLORER_FOLLOW_REQUEST, (p: ExplorerFollowParams): ExplorerLogInfo => {
    const log = get(p.logId);
    setFollow(log, p.follow);
    return info(log);
  });

  connection.onRequest(EXPLORER_GROUPS_REQUEST, (p: ExplorerGroupsParams): ExplorerGroupsResult => {
    const log = get(p.logId);
    const result = log.store.groups(p.groupBy, p.filter, Math.min(p.limit ?? 500, 5000));
    return { ...result, total: log.store.total };
  });

  connection.onRequest(EXPLORER_ALERTS_REQUEST, (p: ExplorerAlertsParams): ExplorerAlertsResult => {
    const log = get(p.logId);
    return log.store.alerts(p.groupBy, p.group, p.filter, p.dedupe ?? false, Math.max(0, p.offset ?? 0), Math.min(Math.max(1, p.limit ?? 200), MAX_PAGE));
  });

  connection.onRequest(EXPLORER_ALERT_TEXT_REQUEST, (p: ExplorerAlertTextParams): ExplorerAlertTextResult => {
    const log = get(p.logId);
    if (!Number.isInteger(p.id) || p.id < 0 || p.id >= log.store.total) throw new Error(`No alert ${p.id} in ${log.path}`);
    return { text: log.store.alertText(p.id), line: log.store.lineOf(p.id) };
  });

  connection.onShutdown(() => {
    for (const log of logs.values()) { log.watcher?.close(); log.source.close(); }
    logs.clear();
  });
}
