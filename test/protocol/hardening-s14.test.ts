// Untrusted workspace files through the bundled server and CLI: a workspace folder holding a real link loop
// (`a/loop -> ..`) loads each rules file once; an alert log saved with a UTF-8 byte order mark (plain JSON, text, and
// gzip) keeps its first alert in the Alert Explorer and in `falco-lens report`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { ReferencesRequest } from 'vscode-languageserver-protocol/node';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import {
  EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST,
  type ExplorerAlertTextResult, type ExplorerGroupsResult, type ExplorerLogInfo,
} from '../../server/src/protocol';

const BASE = '- list: shells\n  items: [bash]\n- macro: shell_proc\n  condition: proc.name in (shells)\n'
  + '- rule: Shell\n  desc: d\n  condition: evt.type = execve and shell_proc\n  output: "o | p=%proc.name"\n  priority: INFO\n';
const LOCAL = '- list: shells\n  items: [zsh]\n  override:\n    items: append\n';

test('a workspace folder with a link loop (a/loop -> ..) loads each rules file once', { timeout: 60_000 }, async (t) => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-loop-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.mkdirSync(path.join(ws, 'a'));
  fs.mkdirSync(path.join(ws, 'b'));
  fs.writeFileSync(path.join(ws, 'a', 'falco_rules.yaml'), BASE);
  fs.writeFileSync(path.join(ws, 'b', 'falco_rules.local.yaml'), LOCAL);
  fs.symlinkSync('..', path.join(ws, 'a', 'loop'));
  assert.ok(fs.existsSync(path.join(ws, 'a', 'loop', 'a', 'loop', 'b', 'falco_rules.local.yaml')), 'the link loops');
  const server = await startServer({ rootDir: ws });
  t.after(() => server.stop());
  const uri = `file://${ws}/a/falco_rules.yaml`;
  const published = server.nextDiagnostics(uri);
  server.open(uri, 'falco-rules', BASE);
  assert.deepEqual((await published).diagnostics.map((d) => d.code), []);
  const refs = await server.connection.sendRequest(ReferencesRequest.type, {
    textDocument: { uri }, position: { line: 3, character: BASE.split('\n')[3].indexOf('shells') + 2 }, context: { includeDeclaration: true },
  });
  // The list's definition and use in the base file, and the local file's append: not once more per path of the loop.
  assert.deepEqual(refs?.map((r) => r.uri.slice(`file://${ws}/`.length)).sort(), ['a/falco_rules.yaml', 'a/falco_rules.yaml', 'b/falco_rules.local.yaml']);
});

const JSON_ALERTS = ['Terminal shell in container', 'Read sensitive file untrusted', 'Terminal shell in container'].map((rule, i) => JSON.stringify({
  hostname: 'node-1', output: `12:00:0${i}.000000000: Warning ${rule} | n=${i}`, priority: 'Warning', rule, source: 'syscall', tags: [],
  time: `2026-01-02T12:00:0${i}.000000000Z`, output_fields: { n: i },
}));
const TEXT_ALERTS = ['Terminal shell in container', 'Read sensitive file untrusted', 'Terminal shell in container']
  .map((rule, i) => `12:00:0${i}.000000000: Warning ${rule} (user=root n=${i})`);

async function openUntilDone(server: ServerUnderTest, file: string): Promise<ExplorerLogInfo> {
  let logId: string | undefined;
  const done = new Promise<ExplorerLogInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} not indexed`)), 30_000);
    server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (info: ExplorerLogInfo) => {
      if ((logId === undefined || info.logId === logId) && info.path === file && info.done) { clearTimeout(timer); resolve(info); }
    });
  });
  logId = ((await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file })) as ExplorerLogInfo).logId;
  return done;
}

test('the Alert Explorer reads the first alert of a log saved with a byte order mark: JSON, text and gzip', { timeout: 90_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-bom-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const json = `\ufeff${JSON_ALERTS.join('\n')}\n`;
  const logs: [string, string[]][] = [['events.json', JSON_ALERTS], ['falco.log', TEXT_ALERTS], ['events.json.1.gz', JSON_ALERTS], ['unterminated.json', JSON_ALERTS.slice(0, 1)]];
  fs.writeFileSync(path.join(dir, 'events.json'), json);
  fs.writeFileSync(path.join(dir, 'falco.log'), `\ufeff${TEXT_ALERTS.join('\r\n')}\r\n`);
  fs.writeFileSync(path.join(dir, 'events.json.1.gz'), zlib.gzipSync(json));
  // One alert and no line break: the first line is also the file's last.
  fs.writeFileSync(path.join(dir, 'unterminated.json'), `\ufeff${JSON_ALERTS[0]}`);
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  for (const [name, alerts] of logs) {
    const info = await openUntilDone(server, path.join(dir, name));
    assert.equal(info.total, alerts.length, `${name}: every alert`);
    assert.equal(info.unparsed, 0, `${name}: no line left unread`);
    const first = await server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId: info.logId, id: 0 }) as ExplorerAlertTextResult;
    assert.equal(first.text, alerts[0], `${name}: the first alert's text, without the mark`);
    assert.equal(first.line, 0);
    const groups = await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId: info.logId, groupBy: 'rule' }) as ExplorerGroupsResult;
    assert.deepEqual(groups.groups.map((g) => [g.key, g.count]).sort(), alerts.length === 1 ? [['Terminal shell in container', 1]]
      : [['Read sensitive file untrusted', 1], ['Terminal shell in container', 2]], name);
    await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: info.logId });
  }
});

test('falco-lens report reads the first alert of a gzip log saved with a byte order mark', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-bom-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'falco.log.1.gz'), zlib.gzipSync(`\ufeff${JSON_ALERTS.join('\n')}\n`));
    const report = spawnSync(process.execPath, [path.join(process.cwd(), 'dist', 'cli.js'), 'report', 'falco.log.1.gz'], { cwd: dir, encoding: 'utf8' });
    assert.equal(report.status, 0, report.stderr);
    assert.match(report.stdout, /^3 alerts from /m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
