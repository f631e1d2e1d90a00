// The Alert Explorer's logs as a protocol test sees them: opened through the server, and their latest info from the
// changed notifications. Waits on those notifications, never on sleeps.
import type { ServerUnderTest } from './lspClient';
import { EXPLORER_CHANGED_NOTIFICATION, EXPLORER_OPEN_REQUEST, type ExplorerLogInfo } from '../../server/src/protocol';

/** Opens a log and resolves with its info once indexed (and `accept` holds), from the changed notifications. */
export class Logs {
  private latest = new Map<string, ExplorerLogInfo>();
  private waiters: { logId: string; accept: (i: ExplorerLogInfo) => boolean; resolve: (i: ExplorerLogInfo) => void }[] = [];
  constructor(private readonly server: ServerUnderTest) {
    server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (info: ExplorerLogInfo) => {
      this.latest.set(info.logId, info);
      for (const w of [...this.waiters]) if (w.logId === info.logId && info.done && w.accept(info)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(info); }
    });
  }
  async open(params: object): Promise<ExplorerLogInfo> {
    const opened = await this.server.connection.sendRequest(EXPLORER_OPEN_REQUEST, params) as ExplorerLogInfo;
    return this.until(opened.logId, () => true, 'indexed');
  }
  until(logId: string, accept: (i: ExplorerLogInfo) => boolean, what: string): Promise<ExplorerLogInfo> {
    const now = this.latest.get(logId);
    if (now?.done && accept(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(this.latest.get(logId))}`)), 30_000);
      this.waiters.push({ logId, accept, resolve: (i) => { clearTimeout(timer); resolve(i); } });
    });
  }
}
