// Activation: creates the one object that owns the language client, the Alert Explorer, and the commands.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { FalcoLanguageClient } from './languageClient';
import { registerCommands } from './commands';
import { registerAlertExplorer, type AlertExplorer } from './explorer/alertExplorer';

/** What activate() returns: used by the editor tests. */
export interface FalcoLensApi { client: FalcoLanguageClient; explorer: AlertExplorer }

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
  client = new FalcoLanguageClient(context, (options) => serverClient(context, options));
  context.subscriptions.push(client);
  registerCommands(context, client);
  const explorer = registerAlertExplorer(context, client);
  await client.start();
  return { client, explorer };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
