// The bundled server over stdio: initialize and capabilities, diagnostics on open, hover, shutdown and exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

test('server answers initialize, publishes diagnostics, answers hover, and exits cleanly', async () => {
  const server = await startServer();
  try {
    const caps = server.initializeResult.capabilities;
    assert.equal(server.initializeResult.serverInfo?.name, 'falco-lens');
    assert.ok(caps.textDocumentSync, 'document sync advertised');

    const rulesUri = 'file:///tmp/protocol-test/falco_rules.local.yaml';
    const pending = server.nextDiagnostics(rulesUri);
    server.open(rulesUri, 'falco-rules', '- rule: broken\n  desc: [unclosed\n');
    const diagnostics = await pending;
    assert.ok(diagnostics.diagnostics.length > 0, 'a YAML error is reported');
    assert.ok(diagnostics.diagnostics.every((d) => d.source === 'falco'));

    const logUri = 'file:///tmp/protocol-test/falco.log';
    const alert = '{"hostname":"node-1","output":"12:00:00.000000000: Warning Sensitive file opened","priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall","tags":["T1555"],"time":"2026-01-02T12:00:00.000000000Z","output_fields":{"evt.time":1767355200000000000,"user.loginuid":-1}}';
    const alertDiagnostics = server.nextDiagnostics(logUri);
    server.open(logUri, 'falco-alerts', alert + '\n{"rule": "x", "priority": \n');
    const published = await alertDiagnostics;
    assert.ok(published.diagnostics.some((d) => d.range.start.line === 1), 'the truncated JSON line is flagged');

    assert.ok(caps.hoverProvider, 'hover is advertised');
    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: logUri }, position: { line: 0, character: alert.indexOf('Warning",') + 2 } });
    assert.ok(hover, 'hover answers on the priority');
    assert.match(JSON.stringify(hover.contents), /Warning/);
    const onRule = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: logUri }, position: { line: 0, character: alert.indexOf('Read sensitive') + 3 } });
    assert.match(JSON.stringify(onRule?.contents), /Read sensitive file untrusted/);
  } finally {
    const code = await server.stop();
    assert.equal(code, 0, 'exit after shutdown returns 0');
  }
  assert.equal(server.stderr().includes('Error'), false, `no errors on stderr: ${server.stderr()}`);
});

test('server keeps serving after a request on an unknown document', async () => {
  const server = await startServer();
  try {
    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nowhere.yaml' }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
    const uri = 'file:///tmp/protocol-test/second_rules.yaml';
    const pending = server.nextDiagnostics(uri);
    server.open(uri, 'falco-rules', '- list: shells\n  items: [bash, sh]\n');
    const d = await pending;
    assert.ok(Array.isArray(d.diagnostics));
  } finally {
    await server.stop();
  }
});

test('a refused rename answers with an error the user can read; an allowed one edits every use', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { PrepareRenameRequest, RenameRequest } = await import('vscode-languageserver-protocol/node');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-rename-'));
  const server = await startServer({ rootDir: root });
  try {
    const uri = `file://${root}/web_rules.yaml`;
    const text = '- macro: web_shell\n  condition: proc.name in (bash, sh)\n\n- macro: db_shell\n  condition: proc.name = psql\n\n- rule: Web shell\n  desc: d\n  condition: evt.type = execve and web_shell and not db_shell\n  output: shell %proc.name\n  priority: WARNING\n';
    const published = server.nextDiagnostics(uri);
    server.open(uri, 'falco-rules', text);
    await published;
    const position = { line: 8, character: text.split('\n')[8].indexOf('web_shell') + 2 };
    const prepared = await server.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position });
    assert.ok(prepared, 'the macro can be renamed');
    await assert.rejects(server.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName: 'db_shell' }), (e: Error) => /db_shell/.test(e.message));
    const edit = await server.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName: 'web_server_shell' });
    const edits = edit?.changes?.[uri] ?? [];
    assert.equal(edits.length, 2, 'the definition and the use');
    assert.ok(edits.every((e) => e.newText === 'web_server_shell'));
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a rules change publishes the edited file first, then re-checks the files that depend on it (with and without debounce)', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  for (const validationDelayMs of [0, 20]) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-dependents-'));
    const base = `file://${root}/a_rules.yaml`;
    const user = `file://${root}/b_rules.yaml`;
    const baseText = '- macro: web_shell\n  condition: proc.name in (bash, sh)\n';
    const userText = '- rule: Web shell\n  desc: d\n  condition: evt.type = execve and web_shell\n  output: shell %proc.name\n  priority: WARNING\n';
    fs.writeFileSync(path.join(root, 'a_rules.yaml'), baseText);
    fs.writeFileSync(path.join(root, 'b_rules.yaml'), userText);
    // The same settings at initialization and when pulled, so that nothing re-checks the files on its own.
    const settings = { rules: { files: [] } };
    const server = await startServer({ rootDir: root, settings, initializationOptions: { validationDelayMs, settings } });
    try {
      const opened = [server.nextDiagnostics(base, 1), server.nextDiagnostics(user, 1)];
      server.open(base, 'falco-rules', baseText);
      server.open(user, 'falco-rules', userText);
      const [, userFirst] = await Promise.all(opened);
      assert.deepEqual(userFirst.diagnostics.map((d) => d.code), [], 'the macro is defined');
      const order: string[] = [];
      const edited = server.nextDiagnostics(base, 2).then((p) => { order.push('edited'); return p; });
      const dependent = server.nextDiagnostics(user).then((p) => { order.push('dependent'); return p; });
      server.changeRanges(base, 2, [{ range: { start: { line: 0, character: 9 }, end: { line: 0, character: 18 } }, text: 'web_server_shell' }]);
      const [, after] = await Promise.all([edited, dependent]);
      assert.deepEqual(order, ['edited', 'dependent'], `delay ${validationDelayMs}`);
      assert.ok(after.diagnostics.some((d) => d.code === 'undefined-macro'), `delay ${validationDelayMs}: the rule's macro is gone`);
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
});

test('files opened together are validated once each, against every open text (not the disk), also when a message arrives in pieces', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { PublishDiagnosticsNotification, HoverRequest: Hover } = await import('vscode-languageserver-protocol/node');
  // On disk the macro and the list are missing: only the open texts define them.
  const texts: Record<string, string> = {
    'a_rules.yaml': '- macro: web_shell\n  condition: proc.name in (bash, sh)\n',
    'b_rules.yaml': '- list: web_users\n  items: [www-data, nginx]\n',
    'c_rules.yaml': '- rule: Web shell\n  desc: d\n  condition: evt.type = execve and web_shell and user.name in (web_users) and missing_macro\n  output: shell %proc.name\n  priority: WARNING\n',
  };
  for (const validationDelayMs of [0, 150]) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-batch-open-'));
    for (const name of Object.keys(texts)) fs.writeFileSync(path.join(root, name), '- list: other\n  items: []\n');
    const settings = { rules: { files: [] } };
    const server = await startServer({ rootDir: root, settings, initializationOptions: { validationDelayMs, settings } });
    try {
      const uris = Object.keys(texts).map((name) => `file://${root}/${name}`);
      // Every publication per file, and the first one of each.
      const published = new Map<string, unknown[][]>(uris.map((uri) => [uri, []]));
      const resolvers = new Map<string, (codes: unknown[]) => void>();
      const firsts = uris.map((uri) => new Promise<unknown[]>((resolve) => resolvers.set(uri, resolve)));
      server.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
        const codes = p.diagnostics.map((d) => d.code);
        published.get(p.uri)?.push(codes);
        resolvers.get(p.uri)?.(codes);
      });
      // The three didOpen notifications as one write, the way they leave a client that sends them back to back; with
      // the delay 150 the bytes come in two writes, the first ending inside the last message.
      // The rule that needs the others is opened first.
      const frames = Buffer.concat(Object.keys(texts).reverse().map((name) => {
        const uri = `file://${root}/${name}`;
        const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'falco-rules', version: 1, text: texts[name] } } }));
        return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
      }));
      if (validationDelayMs === 0) server.process.stdin!.write(frames);
      else {
        const cut = frames.length - 40;
        server.process.stdin!.write(frames.subarray(0, cut));
        await new Promise((resolve) => setImmediate(resolve));
        server.process.stdin!.write(frames.subarray(cut));
      }
      const first = await Promise.all(firsts);
      // The macro and the list are used only by c_rules.yaml, loaded after their files: Falco warns about them when it
      // loads a_rules.yaml and b_rules.yaml (unused per loaded file).
      assert.deepEqual(first, [['unused-macro'], ['unused-list'], ['undefined-macro']], `delay ${validationDelayMs}: the open texts define the macro and the list`);
      if (validationDelayMs === 0) {
        // Anything scheduled would run before these requests are answered (no debounce).
        for (let i = 0; i < 3; i++) await server.connection.sendRequest(Hover.type, { textDocument: { uri: 'file:///nowhere.yaml' }, position: { line: 0, character: 0 } });
        assert.deepEqual(uris.map((uri) => published.get(uri)!.length), [1, 1, 1], 'one publication per file');
      }
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
});
