// Activation: makes the LanguageClient of the bundled server's process; activation.ts does the rest.
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { activateWith, type FalcoLensApi } from './activation';
import type { FalcoLanguageClient } from './languageClient';

export type { FalcoLensApi } from './activation';

let client: FalcoLanguageClient | undefined;

/** The LanguageClient of a new process of the bundled server (dist/server.js), over IPC. */
function serverClient(context: vscode.ExtensionContext, options: LanguageClientOptions): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  return new LanguageClient('falcoLens', 'Falco Lens', serverOptions, options);
}

export async function activate(context: vscode.ExtensionContext): Promise<FalcoLensApi> {
  const api = await activateWith(context, (options) => serverClient(context, options));
  client = api.client;
  return api;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
