// Activation: creates the one object that owns the language client, and registers the commands.
import * as vscode from 'vscode';
import { FalcoLanguageClient } from './languageClient';
import { registerCommands } from './commands';

let client: FalcoLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FalcoLanguageClient> {
  client = new FalcoLanguageClient(context);
  context.subscriptions.push(client);
  registerCommands(context, client);
  await client.start();
  return client;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
