// Owns the LanguageClient's whole lifecycle (start, stop, restart) and the output channel it logs to.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export const RULES_SELECTOR = [{ language: 'falco-rules' }];
export const ALERTS_SELECTOR = [{ language: 'falco-alerts' }];

export class FalcoLanguageClient implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Falco Lens', { log: true });
  }

  get languageClient(): LanguageClient | undefined { return this.client; }

  async start(): Promise<void> {
    if (this.client) return;
    if (this.starting) return this.starting;
    this.starting = this.doStart().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...RULES_SELECTOR, ...ALERTS_SELECTOR],
      outputChannel: this.output,
      traceOutputChannel: this.output,
      synchronize: {
        configurationSection: 'falcoLens',
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
      },
      initializationOptions: { settings: vscode.workspace.getConfiguration('falcoLens') },
      markdown: { isTrusted: false, supportHtml: false },
    };
    const client = new LanguageClient('falcoLens', 'Falco Lens', serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
      this.output.info('Falco Lens language server started');
    } catch (e) {
      this.client = undefined;
      this.output.error(`The Falco Lens language server failed to start: ${e}`);
      throw e;
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try { await client.stop(); } catch (e) { this.output.warn(`Stopping the language server: ${e}`); }
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  dispose(): void {
    void this.stop();
    this.output.dispose();
  }
}
