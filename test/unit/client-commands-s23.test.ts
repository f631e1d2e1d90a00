// client/src/commands.ts under the stand-in for VS Code's API (test/helpers/vscodeFake.ts) (session 23's audit of the
// client): a command that fails says what failed. A rejected command is only logged by VS Code when a code action
// runs it (the report of an alert's quick fix), and named without its reason from the Command Palette.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { fake, commands } from '../helpers/vscodeFake';
import { registerCommands } from '../../client/src/commands';
import type { FalcoLanguageClient } from '../../client/src/languageClient';

function scene(client: { restart?: () => Promise<void>; sendRequest?: () => Promise<unknown> }) {
  fake.reset();
  let outputShown = 0;
  const falco = {
    restart: client.restart ?? (() => Promise.resolve()),
    languageClient: { sendRequest: client.sendRequest ?? (() => Promise.resolve({ markdown: '# Report\n' })) },
    output: { show: () => { outputShown++; } },
  };
  const subscriptions: { dispose(): unknown }[] = [];
  registerCommands({ subscriptions } as unknown as vscode.ExtensionContext, falco as unknown as FalcoLanguageClient);
  return { outputShown: () => outputShown };
}

test('an incident report asked by a code action that the server fails to make is an error message, not a silent rejection', async () => {
  scene({ sendRequest: () => Promise.reject(new Error('Request falcoLens/report failed with message: the log is gone')) });
  const result = await commands.executeCommand('falcoLens.generateReport', 'file:///var/log/falco.log', 3, 9);
  assert.equal(result, undefined);
  assert.deepEqual(fake.messages, ['error: Falco Lens: the incident report could not be made (Request falcoLens/report failed with message: the log is gone).']);
});

test('a restart whose server does not start says so, and nothing says it restarted', async () => {
  const { outputShown } = scene({ restart: () => Promise.reject(new Error('Connection to server got closed. Server will not be restarted.')) });
  await commands.executeCommand('falcoLens.restartServer');
  assert.deepEqual(fake.messages, ['error: Falco Lens: the language server did not start (Connection to server got closed. Server will not be restarted.).']);
  assert.equal(outputShown(), 0, 'the output is shown only when asked (the stand-in answers no button)');
});

test('a restart that works says so in the status bar', async () => {
  scene({});
  await commands.executeCommand('falcoLens.restartServer');
  assert.deepEqual(fake.messages, ['status: Falco Lens: language server restarted']);
});
