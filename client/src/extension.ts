// Activation: creates the one object that owns the language client, the Alert Explorer, and the commands.
import * as vscode from 'vscode';
import { FalcoLanguageClient } from './languageClient';
import { registerCommands } from './commands';
import { registerAlertExplorer, type AlertExplorer } from './explorer/alertExplorer';

/** What activate() returns: used by the editor tests. */
export interface FalcoLensApi { client: FalcoLanguageClient; explorer: AlertExplorer }

let client: FalcoLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FalcoLensApi> {
  client = new FalcoLanguageClient(context);
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
