// Session 25: a gzip log's decompressed copy went to the OS temp folder, which is memory where /tmp is a tmpfs (a 1 GB
// log took a gigabyte of RAM). The client now gives the extension's storage folder (initializationOptions
// .storageFolder: VS Code's global storage, never a workspace folder) and the copy goes to its `decompressed` folder,
// removed when the log is closed and when the server shuts down; a server started later removes the copies killed
// servers left there. A storage folder inside the workspace is refused (the temp folder is used, and the server says so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import { copyFolderPrefix } from '../../server/src/gzipFile';
import {
  EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST, type ExplorerGroupsResult, type ExplorerLogInfo,
} from '../../server/src/protocol';

const alerts = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({
  hostname: 'node-1', output: `12:00:00.000000000: Warning Shell in container (n=${i})`, priority: 'Warning', rule: 'Shell in container',
  source: 'syscall', tags: [], time: new Date(Date.UTC(2026, 10, 25, 2) + i * 1000).toISOString().replace('Z', '000000Z'),
})).join('\n') + '\n';

/** A workspace with a gzip log, the server's own temp folder and a storage folder out of the workspace. */
function folders(t: { after(fn: () => void): void }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hF-storage-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const workspace = path.join(root, 'workspace');
  const tmp = path.join(root, 'tmp');
  const storage = path.join(root, 'user-data', 'globalStorage', 'falco-lens');
  for (const folder of [workspace, tmp]) fs.mkdirSync(folder, { recursive: true });
  const log = path.join(workspace, 'falco.log.1.gz');
  fs.writeFileSync(log, zlib.gzipSync(alerts(2000)));
  return { workspace, tmp, storage, log };
}

async function openUntilDone(server: ServerUnderTest, file: string): Promise<ExplorerLogInfo> {
  const done = new Promise<ExplorerLogInfo>((resolve) => {
    server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (info: ExplorerLogInfo) => { if (info.path === file && info.done) resolve(info); });
  });
  await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file });
  return done;
}

const copiesIn = (folder: string) => (fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => n.startsWith('falco-lens-log-')) : []);

test('a gzip log is decompressed into the storage folder the client gives, not the temp folder, and removed on close and shutdown', { timeout: 60_000 }, async (t) => {
  const { workspace, tmp, storage, log } = folders(t);
  // A copy a killed server left in the storage folder: the server removes it once initialized.
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
  const stale = path.join(storage, 'decompressed', `${copyFolderPrefix(deadPid)}a1b2c3`);
  fs.mkdirSync(stale, { recursive: true });
  fs.writeFileSync(path.join(stale, 'part-0.log'), alerts(3));
  const server = await startServer({ rootDir: workspace, env: { TMPDIR: tmp }, initializationOptions: { storageFolder: storage } });
  let stopped = false;
  t.after(async () => { if (!stopped) await server.stop(); });

  const info = await openUntilDone(server, log);
  assert.equal(info.total, 2000);
  const groups = await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId: info.logId, groupBy: 'rule' }) as ExplorerGroupsResult;
  assert.deepEqual(groups.groups.map((g) => [g.key, g.count]), [['Shell in container', 2000]]);
  const decompressed = path.join(storage, 'decompressed');
  const own = copiesIn(decompressed).filter((n) => n.startsWith(copyFolderPrefix(server.process.pid!)));
  assert.equal(own.length, 1, `the copy is in the storage folder: ${copiesIn(decompressed)}`);
  assert.deepEqual(copiesIn(tmp), [], 'nothing in the temp folder');
  assert.deepEqual(copiesIn(workspace), [], 'nothing in the workspace');
  await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: info.logId });
  assert.ok(!fs.existsSync(path.join(decompressed, own[0])), 'closing removes the copy');

  const again = await openUntilDone(server, log);
  assert.equal(again.total, 2000);
  const reopened = copiesIn(decompressed).filter((n) => n.startsWith(copyFolderPrefix(server.process.pid!)));
  assert.equal(reopened.length, 1);
  // Removed at start (before the first open answered: the sweep runs once the server is initialized).
  assert.ok(!fs.existsSync(stale), 'the killed server\'s copy in the storage folder is removed');
  stopped = true;
  await server.stop();
  assert.ok(!fs.existsSync(path.join(decompressed, reopened[0])), 'a shutdown removes the copies of the logs still open');
});

test('a storage folder inside the workspace is not used: the copy goes to the temp folder, and the server says why', { timeout: 60_000 }, async (t) => {
  const { workspace, tmp, log } = folders(t);
  const inside = path.join(workspace, '.vscode', 'storage');
  const server = await startServer({ rootDir: workspace, env: { TMPDIR: tmp }, initializationOptions: { storageFolder: inside } });
  t.after(() => server.stop());
  const info = await openUntilDone(server, log);
  assert.equal(info.total, 2000);
  assert.equal(copiesIn(tmp).length, 1);
  assert.ok(!fs.existsSync(inside), 'nothing is written into the workspace');
  assert.ok(server.logs.some((m) => m.includes('is not an absolute path out of the workspace folders')), server.logs.join('\n'));
  await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: info.logId });
});
