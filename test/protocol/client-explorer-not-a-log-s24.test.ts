// The Alert Explorer (client/src/explorer/alertExplorer.ts) under the stand-in for VS Code's API, against the real
// server (session 24): a file that is not an alert log. The explorer's context menu offered "Open in Alert Explorer" on
// every `.gz`; it now offers it on alert logs' names only (test/unit/manifest-client-s24), but the Command Palette's
// file dialog opens any file. A source tarball of Falco opened so showed "0 alerts" and nothing else; it now says, once,
// that the file holds no Falco alert and does not look like an alert log, and the view's message says so too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startServer } from '../helpers/lspClient';
import { fake, EventEmitter } from '../helpers/vscodeFake';
import { AlertExplorer } from '../../client/src/explorer/alertExplorer';
import type { FalcoLanguageClient } from '../../client/src/languageClient';

/** A ustar archive (POSIX.1-1988) of one file: its 512-byte header, its content padded to 512 bytes, two zero blocks. */
function tarOf(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, text: string) => header.write(text, offset, 'ascii');
  const body = Buffer.from(content);
  field(0, name);
  field(100, '0000644\0');
  field(108, '0000000\0');
  field(116, '0000000\0');
  field(124, `${body.length.toString(8).padStart(11, '0')}\0`);
  field(136, `${Math.floor(Date.UTC(2026, 0, 2) / 1000).toString(8).padStart(11, '0')}\0`);
  field(156, '0');
  field(257, 'ustar\0');
  field(263, '00');
  // The checksum is computed with its own field as eight blanks.
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

const RULES = '- rule: Shell in a container\n  desc: A shell in a container.\n  condition: evt.type = execve and proc.name = bash\n  output: Shell (command=%proc.cmdline)\n  priority: NOTICE\n';
const ALERT = JSON.stringify({ hostname: 'node-1', output: '12:00:01.000000000: Notice Shell (command=bash)', priority: 'Notice', rule: 'Shell in a container', source: 'syscall', time: '2026-01-02T12:00:01.000000000Z', output_fields: { 'proc.cmdline': 'bash' } });

async function scene(t: import('node:test').TestContext) {
  fake.reset();
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-not-a-log-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  const server = await startServer({ rootDir: ws, settings: { rules: { files: [] } } });
  t.after(() => server.stop());
  const client = {
    languageClient: {
      sendRequest: (method: string, params: unknown, token?: unknown) => server.connection.sendRequest(method, params, token as never),
      onNotification: (method: string, handler: (params: unknown) => void) => server.connection.onNotification(method, handler),
    },
    onDidStartServer: new EventEmitter<void>().event,
    // The server runs already: start() has nothing to do.
    start: () => Promise.resolve(),
  } as unknown as FalcoLanguageClient;
  const explorer = new AlertExplorer(client);
  t.after(() => explorer.dispose());
  const indexed = () => new Promise<void>((resolve, reject) => {
    if (explorer.current?.done) { resolve(); return; }
    const timer = setTimeout(() => reject(new Error('not indexed')), 20_000);
    const d = explorer.onDidUpdateLog((info) => { if (info.done) { clearTimeout(timer); d.dispose(); resolve(); } });
  });
  return { ws, explorer, indexed };
}

test('a .tar.gz opened in the Alert Explorer is said, once, to hold no Falco alert', async (t) => {
  const { ws, explorer, indexed } = await scene(t);
  const tarball = path.join(ws, 'falco-0.44.0-x86_64.tar.gz');
  fs.writeFileSync(tarball, zlib.gzipSync(tarOf('falco-0.44.0-x86_64/etc/falco/falco_rules.yaml', RULES)));
  await explorer.open(tarball);
  await indexed();
  assert.equal(explorer.current?.total, 0);
  const warnings = fake.messages.filter((m) => m.startsWith('warning: '));
  assert.equal(warnings.length, 1, `one warning: ${JSON.stringify(fake.messages)}`);
  assert.match(warnings[0], /^warning: Falco Alert Explorer: falco-0\.44\.0-x86_64\.tar\.gz holds no Falco alert: .* \(read decompressed\)\. It does not look like a Falco alert log\.$/);
  // The view redraws a few times a second: at once here.
  explorer.refresh();
  assert.match(fake.views[0].message ?? '', /^no Falco alert in \d+ lines?: not an alert log/);
  // Later updates of the same log (the server's notifications, a redraw) do not say it again.
  await explorer.setFollow(false);
  explorer.refresh();
  assert.equal(fake.messages.filter((m) => m.startsWith('warning: ')).length, 1);
});

test('a gzip alert log, and an alert log with no alert yet, get no such warning', async (t) => {
  const { ws, explorer, indexed } = await scene(t);
  const rotated = path.join(ws, 'falco.log.2.gz');
  fs.writeFileSync(rotated, zlib.gzipSync(`${ALERT}\n`));
  await explorer.open(rotated);
  await indexed();
  assert.equal(explorer.current?.total, 1);
  // Falco's start banner only: an alert log before its first alert.
  const fresh = path.join(ws, 'falco.log');
  fs.writeFileSync(fresh, '2026-01-02T12:00:00+0000: Falco version: 0.44.0 (x86_64)\n');
  await explorer.open(fresh);
  await indexed();
  assert.equal(explorer.current?.total, 0);
  assert.deepEqual(fake.messages, []);
  explorer.refresh();
  assert.match(fake.views[0].message ?? '', /^0 alerts/);
});
