// What activation does, given how to make the server process's LanguageClient (extension.ts passes it): apart from
// extension.ts, which imports vscode-languageclient's runtime, so that it runs in tests against a stand-in for VS Code.
import type * as vscode from 'vscode';
import { FalcoLanguageClient, type LanguageClientFactory } from './languageClient';
import { registerCommands } from './commands';
import { registerAlertExplorer, type AlertExplorer } from './explorer/alertExplorer';

/** What activate() returns: used by the editor tests. */
export interface FalcoLensApi { client: FalcoLanguageClient; explorer: AlertExplorer }

export async function activateWith(context: vscode.ExtensionContext, createClient: LanguageClientFactory): Promise<FalcoLensApi> {
  const client = new FalcoLanguageClient(context, createClient);
  context.subscriptions.push(client);
  registerCommands(context, client);
  const explorer = registerAlertExplorer(context, client);
  // The server starts when a document needs it (languageClient.ts startWhenNeeded). A server that does not start: vscode-languageclient has said so (its forced error, with Go to Output), and the
  // output channel has the reason. The extension stays active: a rejection here would add VS Code's "Activating
  // extension failed" and leave no API; Falco: Restart Language Server tries again.
  await client.startWhenNeeded().catch(() => undefined);
  return { client, explorer };
}
