// Drives the bundled server (dist/server.js --stdio) over the real protocol, as an editor does. Used by the protocol
// tests and the benchmarks. Waits on events (diagnostics published), never on fixed sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, PublishDiagnosticsNotification, ShutdownRequest,
  ExitNotification, ConfigurationRequest, type ProtocolConnection, type InitializeResult, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export interface ServerUnderTest {
  connection: ProtocolConnection;
  process: ChildProcess;
  initializeResult: InitializeResult;
  stderr: () => string;
  logs: string[];
  /** Resolves with the next diagnostics published for `uri` (optionally for a given version). */
  nextDiagnostics(uri: string, version?: number, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  open(uri: string, languageId: string, text: string, version?: number): void;
  change(uri: string, version: number, text: string): void;
  stop(): Promise<number | null>;
}

export async function startServer(options: { rootDir?: string; settings?: unknown; serverPath?: string } = {}): Promise<ServerUnderTest> {
  const serverPath = options.serverPath ?? path.join(process.cwd(), 'dist', 'server.js');
  const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const logs: string[] = [];
  const waiters: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification('window/logMessage', (p: { message: string }) => { logs.push(p.message); });
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i];
      if (w.uri === p.uri && (w.version === undefined || w.version === p.version)) { waiters.splice(i, 1); w.resolve(p); return; }
    }
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => options.settings ?? null));
  connection.listen();
  const rootUri = options.rootDir ? `file://${options.rootDir}` : null;
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri, capabilities: { workspace: { configuration: true } },
    workspaceFolders: options.rootDir ? [{ uri: rootUri!, name: 'ws' }] : null,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection, process: child, initializeResult, logs, stderr: () => stderr,
    nextDiagnostics(uri, version, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ uri, version, resolve: (p) => { clearTimeout(timer); resolve(p); } });
      });
    },
    open(uri, languageId, text, version = 1) {
      void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    },
    change(uri, version, text) {
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    async stop() {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}
