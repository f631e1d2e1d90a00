// Hardening at the protocol level: the bundled server, spawned over stdio, receives hostile input (a 20 MB log, a
// 200,000-line document, invalid positions, unknown documents and methods, explorer requests on a directory, a missing
// file and a FIFO, a workspace holding a FIFO and a link to a device named like rules files). It answers every request
// (with a result or an error), keeps serving (a hover afterwards still works), and writes nothing but protocol
// frames to stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  CodeActionRequest, CompletionRequest, DefinitionRequest, DocumentSymbolRequest, FoldingRangeRequest, HoverRequest,
  PrepareRenameRequest, ReferencesRequest, RenameRequest, SemanticTokensRequest, WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';

const ALERT = '{"hostname":"node-1","output":"12:00:00.000000000: Warning Sensitive file opened","priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall","tags":["T1555"],"time":"2026-01-02T12:00:00.000000000Z","output_fields":{"evt.time":1767355200000000000,"proc.name":"cat"}}';

/** Collects the raw stdout of the server and checks that it is a sequence of well-formed LSP frames. */
function frameChecker(server: ServerUnderTest): () => string | undefined {
  const chunks: Buffer[] = [];
  server.process.stdout!.on('data', (d: Buffer) => chunks.push(d));
  return () => {
    const all = Buffer.concat(chunks);
    let at = 0;
    while (at < all.length) {
      const headerEnd = all.indexOf('\r\n\r\n', at);
      if (headerEnd < 0) return `stray bytes at ${at}: ${JSON.stringify(all.subarray(at, at + 80).toString())}`;
      const header = all.subarray(at, headerEnd).toString('ascii');
      const m = /^Content-Length: (\d+)(\r\nContent-Type: [^\r\n]+)?$/i.exec(header);
      if (!m) return `not an LSP header at ${at}: ${JSON.stringify(header.slice(0, 80))}`;
      const body = all.subarray(headerEnd + 4, headerEnd + 4 + Number(m[1]));
      try { JSON.parse(body.toString('utf8')); } catch { return `a frame body is not JSON at ${at}`; }
      at = headerEnd + 4 + Number(m[1]);
    }
    return undefined;
  };
}

/** Sends a request and returns 'result' or 'error' (both are answers); a rejected promise for anything else. */
async function answer(server: ServerUnderTest, method: string | { method: string }, params: unknown): Promise<'result' | 'error'> {
  try {
    await server.connection.sendRequest(typeof method === 'string' ? method : method.method, params);
    return 'result';
  } catch (e) {
    if (e && typeof e === 'object' && 'code' in e) return 'error';
    throw e;
  }
}

/** Stops the server; a server that no longer answers (blocked on a read) is killed so that the run cannot hang. */
async function stopOrKill(server: ServerUnderTest): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), 10_000); });
  const outcome = await Promise.race([server.stop().then(() => 'stopped' as const), gaveUp]);
  clearTimeout(timer);
  if (outcome === 'timeout') { server.process.kill('SIGKILL'); server.connection.dispose(); }
}

async function hoverStillWorks(server: ServerUnderTest, uri: string): Promise<void> {
  const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: ALERT.indexOf('Warning",') + 2 } });
  assert.match(JSON.stringify(hover?.contents), /Warning/, 'a hover on the priority still answers');
}

test('huge documents, invalid positions, unknown documents and methods: every request is answered, the server keeps serving', { timeout: 240_000 }, async () => {
  const server = await startServer();
  const frames = frameChecker(server);
  try {
    const probe = 'file:///tmp/hardening/falco_probe.log';
    const probed = server.nextDiagnostics(probe);
    server.open(probe, 'falco-alerts', `${ALERT}\n`);
    await probed;

    // A 20 MB log (about 70,000 alerts, some cut) and a 200,000-line rules file.
    const big = 'file:///tmp/hardening/falco_big.log';
    const lines: string[] = [];
    for (let size = 0, i = 0; size < 20 * 1024 * 1024; i++) {
      const line = i % 97 === 0 ? ALERT.slice(0, 100) : ALERT.replace('"cat"', `"p${i}"`);
      lines.push(line);
      size += line.length + 1;
    }
    const bigDiagnostics = server.nextDiagnostics(big, undefined, 120_000);
    server.open(big, 'falco-alerts', lines.join('\n'));
    const published = await bigDiagnostics;
    assert.ok(published.diagnostics.length > 0 && published.diagnostics.length <= 1001 + 501, `diagnostics are capped (${published.diagnostics.length})`);

    const rules = 'file:///tmp/hardening/falco_rules.local.yaml';
    const rulesText = `- list: big\n  items:\n${Array.from({ length: 200_000 }, (_, i) => `    - item${i}`).join('\n')}\n- macro: uses_big\n  condition: proc.name in (big) and nonexistent_macro\n`;
    const rulesDiagnostics = server.nextDiagnostics(rules, undefined, 120_000);
    server.open(rules, 'falco-rules', rulesText);
    assert.ok(Array.isArray((await rulesDiagnostics).diagnostics));

    const positions = [{ line: -1, character: -1 }, { line: 0, character: -5 }, { line: 1e9, character: 1e9 }, { line: 0, character: 1e9 }, { line: 2 ** 31, character: 0 }];
    for (const uri of [big, rules, 'file:///nowhere/unknown.yaml', 'untitled:Untitled-1', 'not a uri']) {
      for (const position of positions) {
        const at = { textDocument: { uri }, position };
        for (const [method, params] of [
          [HoverRequest.type, at], [CompletionRequest.type, at], [DefinitionRequest.type, at],
          [ReferencesRequest.type, { ...at, context: { includeDeclaration: true } }], [PrepareRenameRequest.type, at],
          [RenameRequest.type, { ...at, newName: 'x' }],
          [CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: { line: -3, character: 0 } }, context: { diagnostics: [] } }],
        ] as const) {
          const got = await answer(server, method, params);
          assert.ok(got === 'result' || got === 'error');
        }
      }
      for (const method of [DocumentSymbolRequest.type, FoldingRangeRequest.type, SemanticTokensRequest.type]) await answer(server, method, { textDocument: { uri } });
    }
    await answer(server, WorkspaceSymbolRequest.type, { query: '\u0000(' });
    assert.equal(await answer(server, 'falcoLens/noSuchRequest', { x: 1 }), 'error', 'an unknown custom request is an error');
    assert.equal(await answer(server, 'falcoLens/report', { uri: 'file:///nowhere/falco.log', startLine: -5, endLine: 1e9 }), 'result');
    assert.equal(await answer(server, 'falcoLens/report', { uri: big, startLine: 5, endLine: 2 }), 'result');
    await answer(server, 'falcoLens/report', null);
    await answer(server, 'textDocument/hover', null);
    await answer(server, 'textDocument/hover', { textDocument: null, position: null });
    server.close(big);
    server.close(rules);
    await hoverStillWorks(server, probe);
  } finally {
    await stopOrKill(server);
  }
  assert.equal(frames(), undefined, 'stdout carries protocol frames only');
});

test('explorer requests on a directory, a missing file, a FIFO and unknown logs are errors; devices and FIFOs named like rules files do not hang the server', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-hardening-'));
  const fifo = path.join(dir, 'falco_fifo.log');
  const mkfifo = spawnSync('mkfifo', [fifo]);
  if (mkfifo.status !== 0) { t.skip('mkfifo unavailable'); return; }
  spawnSync('mkfifo', [path.join(dir, 'fifo_rules.yaml')]);
  // A link to /dev/null stands for the endless devices: a link to /dev/zero would let a regression eat all memory.
  fs.symlinkSync('/dev/null', path.join(dir, 'null_rules.yaml'));
  fs.writeFileSync(path.join(dir, 'falco.log'), `${ALERT}\n`);
  const server = await startServer({ rootDir: dir });
  // A regression blocks the server on a FIFO forever: the watchdog kills it so that the run fails instead of hanging.
  const watchdog = setTimeout(() => server.process.kill('SIGKILL'), 45_000);
  watchdog.unref();
  const frames = frameChecker(server);
  try {
    for (const p of [dir, path.join(dir, 'missing.log'), fifo, '/dev/null', '', '\u0000']) {
      assert.equal(await answer(server, 'falcoLens/explorer/open', { path: p }), 'error', `explorer open ${JSON.stringify(p)} is refused`);
    }
    assert.equal(await answer(server, 'falcoLens/explorer/open', { path: 42 }), 'error');
    for (const method of ['groups', 'alerts', 'alertText', 'follow', 'close']) {
      const got = await answer(server, `falcoLens/explorer/${method}`, { logId: 'nope', groupBy: 'rule', group: 'x', id: -1, follow: true });
      assert.ok(got === 'result' || got === 'error');
    }
    // Reports of, and rules loaded from, special files answer instead of reading forever.
    assert.equal(await answer(server, 'falcoLens/report', { uri: `file://${fifo}` }), 'result');
    assert.equal(await answer(server, 'falcoLens/report', { uri: 'file:///dev/null' }), 'result');
    const uri = `file://${path.join(dir, 'falco_rules.local.yaml')}`;
    const diagnostics = server.nextDiagnostics(uri, undefined, 20_000);
    server.open(uri, 'falco-rules', '- macro: m\n  condition: proc.name = a\n');
    assert.ok(Array.isArray((await diagnostics).diagnostics), 'rules are validated with special files in the workspace');
    const log = `file://${path.join(dir, 'falco.log')}`;
    const logDiagnostics = server.nextDiagnostics(log);
    server.open(log, 'falco-alerts', `${ALERT}\n`);
    await logDiagnostics;
    await hoverStillWorks(server, log);
  } finally {
    clearTimeout(watchdog);
    await stopOrKill(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(frames(), undefined, 'stdout carries protocol frames only');
});
