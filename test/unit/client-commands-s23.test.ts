// client/src/commands.ts under the stand-in for VS Code's API (test/helpers/vscodeFake.ts) (session 23's audit of the
// client): a command that fails says what failed, once. A rejected command is only logged by VS Code when a code
// action runs it (the report of an alert's quick fix), and named without its reason from the Command Palette.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { fake, commands } from '../helpers/vscodeFake';
import { registerCommands } from '../../client/src/commands';
import type { FalcoLanguageClient } from '../../client/src/languageClient';

function scene(client: { restart?: () => Promise<void>; sendRequest?: () => Promise<unknown> }) {
  fake.reset();
  const falco = {
    restart: client.restart ?? (() => Promise.resolve()),
    languageClient: { sendRequest: client.sendRequest ?? (() => Promise.resolve({ markdown: '# Report\n' })) },
    output: { show: () => undefined },
  };
  const subscriptions: { dispose(): unknown }[] = [];
  registerCommands({ subscriptions } as unknown as vscode.ExtensionContext, falco as unknown as FalcoLanguageClient);
}

test('an incident report asked by a code action that the server fails to make is an error message, not a silent rejection', async () => {
  scene({ sendRequest: () => Promise.reject(new Error('Request falcoLens/report failed with message: the log is gone')) });
  const result = await commands.executeCommand('falcoLens.generateReport', 'file:///var/log/falco.log', 3, 9);
  assert.equal(result, undefined);
  assert.deepEqual(fake.messages, ['error: Falco Lens: the incident report could not be made (Request falcoLens/report failed with message: the log is gone).']);
});

test('a restart whose server does not start adds nothing to the language client\'s own error, and does not say it restarted', async () => {
  scene({ restart: () => Promise.reject(new Error('Connection to server got closed. Server will not be restarted.')) });
  // vscode-languageclient shows its error when the server does not start (client.js start: "couldn't create
  // connection to server", forced); a rejected command would add VS Code's "Running the contributed command failed".
  await commands.executeCommand('falcoLens.restartServer');
  assert.deepEqual(fake.messages, []);
});

test('a restart that works says so in the status bar', async () => {
  scene({});
  await commands.executeCommand('falcoLens.restartServer');
  assert.deepEqual(fake.messages, ['status: Falco Lens: language server restarted']);
});
