// Session 25: the Explorer's handlers add a listener on the process's exit that removes the decompressed copies of the
// logs still open (a server killed without shutdown). It stayed after shutdown, which forgets every log anyway, so a
// process registering the handlers more than once (the tests do) kept one listener per registration, each holding its
// map of logs, until Node warned of a leak. Shutdown now takes it off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerExplorerHandlers, type ExplorerContext } from '../../server/src/handlers/explorer';

function registerOnFakeConnection(): { shutdown: () => void } {
  let shutdown: (() => void) | undefined;
  const connection = {
    onRequest: () => undefined,
    onShutdown: (handler: () => void) => { shutdown = handler; },
    console: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    window: { showWarningMessage: () => Promise.resolve(undefined), showInformationMessage: () => Promise.resolve(undefined) },
    sendNotification: () => Promise.resolve(),
  };
  const context = {
    connection, documents: undefined, host: { workspaceFolders: () => [] },
    service: { alerts: { textRuleIdentifier: () => () => undefined } },
    guarded: <T>(_what: string, _fallback: T, run: () => T) => run(),
    pathToUri: (p: string) => `file://${p}`,
    messagesReceived: () => 0, messagesHandled: () => 0,
  } as unknown as ExplorerContext;
  registerExplorerHandlers(context);
  assert.ok(shutdown, 'the handlers listen for shutdown');
  return { shutdown };
}

test('the exit listener of the Explorer handlers is taken off at shutdown, once per registration', () => {
  const before = process.listenerCount('exit');
  const first = registerOnFakeConnection();
  const second = registerOnFakeConnection();
  assert.equal(process.listenerCount('exit'), before + 2, 'each registration removes its copies at exit until shut down');
  first.shutdown();
  assert.equal(process.listenerCount('exit'), before + 1, 'the first registration\'s listener is gone, the second\'s stays');
  second.shutdown();
  assert.equal(process.listenerCount('exit'), before);
});
