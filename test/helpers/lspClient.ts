// Drives the bundled server (dist/server.js --stdio) over the real protocol, as an editor does. Used by the protocol
// tests and the benchmarks. Waits on events (diagnostics published), never on fixed sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, PublishDiagnosticsNotification, ShutdownRequest,
  ExitNotification, ConfigurationRequest, DidCloseTextDocumentNotification, type ProtocolConnection, type InitializeResult,
  type PublishDiagnosticsParams, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import * as fs from 'node:fs';

export interface ServerUnderTest {
  connection: ProtocolConnection;
  process: ChildProcess;
  initializeResult: InitializeResult;
  stderr: () => string;
  logs: string[];
  /** The messages the server asked the editor to pop up (window/showMessage), in order. */
  shown: string[];
  /** Resolves with the next diagnostics published for `uri` (optionally for a given version). */
  nextDiagnostics(uri: string, version?: number, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  open(uri: string, languageId: string, text: string, version?: number): void;
  change(uri: string, version: number, text: string): void;
  /** Incremental change (ranges), as an editor sends while typing. */
  changeRanges(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void;
  close(uri: string): void;
  /** Peak resident memory of the server process so far (VmHWM), in kilobytes; undefined where /proc is absent. */
  peakRssKb(): number | undefined;
  stop(): Promise<number | null>;
}

export interface StartOptions {
  rootDir?: string;
  settings?: unknown;
  serverPath?: string;
  /** Node options for the server process (e.g. --cpu-prof). */
  execArgv?: string[];
  initializationOptions?: unknown;
  /** Answers workspace/configuration per section; defaults to `settings` for every item. */
  configuration?: (section: string | undefined, scopeUri: string | undefined) => unknown;
  /** Extra client capabilities merged into the initialize request. */
  capabilities?: Record<string, unknown>;
  /** Environment variables set for the server process over this process's (e.g. a TMPDIR of the test's own). */
  env?: Record<string, string>;
}

/**
 * Settings as a test gives them, with no rules files of the machine's: where they do not say `rules.files`, none
 * (the server's default is Falco's configuration, /etc/falco/falco.yaml, else Falco's own list under /etc/falco, which
 * a machine with Falco installed has: its rules were loaded before the test's own).
 */
function hermetic(settings: unknown): unknown {
  const s = (settings && typeof settings === 'object' ? settings : {}) as Record<string, unknown>;
  const rules = (s.rules && typeof s.rules === 'object' ? s.rules : {}) as Record<string, unknown>;
  return 'files' in rules ? s : { ...s, rules: { ...rules, files: [] } };
}

export async function startServer(options: StartOptions = {}): Promise<ServerUnderTest> {
  // The same settings at initialization and when pulled: a difference checks every open document again. A caller
  // answering the configuration itself (the benchmark's other servers) is left as it is.
  const settings = options.configuration ? options.settings : hermetic(options.settings);
  const init = (options.initializationOptions ?? {}) as Record<string, unknown>;
  const initializationOptions = options.configuration ? options.initializationOptions : { ...init, settings: hermetic(init.settings ?? options.settings) };
  const serverPath = options.serverPath ?? path.join(process.cwd(), 'dist', 'server.js');
  const child = spawn(process.execPath, [...(options.execArgv ?? []), serverPath, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const logs: string[] = [];
  const waiters: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification('window/logMessage', (p: { message: string }) => { logs.push(p.message); });
  const shown: string[] = [];
  connection.onNotification('window/showMessage', (p: { message: string }) => { shown.push(p.message); });
  connection.onRequest('window/showMessageRequest', (p: { message: string }) => { shown.push(p.message); return null; });
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i];
      if (w.uri === p.uri && (w.version === undefined || w.version === p.version)) { waiters.splice(i, 1); w.resolve(p); return; }
    }
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) =>
    (options.configuration ? options.configuration(item.section, item.scopeUri) : settings) ?? null));
  connection.listen();
  const rootUri = options.rootDir ? `file://${options.rootDir}` : null;
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri, capabilities: { workspace: { configuration: true }, ...options.capabilities },
    ...(initializationOptions !== undefined ? { initializationOptions } : {}),
    workspaceFolders: options.rootDir ? [{ uri: rootUri!, name: 'ws' }] : null,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection, process: child, initializeResult, logs, shown, stderr: () => stderr,
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
    changeRanges(uri, version, changes) {
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    },
    close(uri) {
      void connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    },
    peakRssKb() {
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) : undefined;
      } catch { return undefined; }
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
