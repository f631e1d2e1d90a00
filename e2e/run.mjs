// `npm run test:e2e`: runs the editor suite (e2e/suite) inside the Node extension host of VS Code server (from the npm
// package code-server@4.100.3, pinned: its last release for Node 20), opened in Debian's chromium via playwright-core.
// Everything runs in fresh scratch folders on a fresh port; the server's process group is ended afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const e2eDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(e2eDir, '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT_MS = 240_000;

function fail(message) { console.error(`test:e2e: ${message}`); process.exit(1); }

const scratch = mkdtempSync(join(process.env.E2E_SCRATCH ?? tmpdir(), 'falco-lens-e2e-'));
const dirs = Object.fromEntries(['home', 'tmp', 'user-data', 'server-data', 'extensions', 'browser'].map((d) => [d, join(scratch, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });

// 1. The VS Code server, installed from e2e/package-lock.json on first use.
const serverMain = join(e2eDir, 'node_modules/code-server/lib/vscode/out/server-main.js');
if (!existsSync(serverMain)) {
  console.log('test:e2e: installing code-server (first run)…');
  const cache = join(dirs.tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(cache, { recursive: true });
  // @vscode/ripgrep downloads from GitHub in its postinstall unless its cache already holds the archive: seed it with Debian's rg.
  const rg = spawnSync('tar', ['-czf', join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', '/usr/bin', 'rg'], { stdio: 'inherit' });
  if (rg.status !== 0) fail('could not seed the ripgrep cache from /usr/bin/rg (apt-get install -y ripgrep)');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: e2eDir, stdio: 'inherit',
    env: { ...process.env, TMPDIR: dirs.tmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (install.status !== 0 || !existsSync(serverMain)) fail('npm ci in e2e/ failed');
}
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} not found (apt-get install -y chromium)`);

// 2. The extension bundles and the suite.
const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) fail('build failed');
const suiteOut = join(root, 'out', 'e2e');
rmSync(suiteOut, { recursive: true, force: true });
await build({
  entryPoints: [join(e2eDir, 'suite/index.ts'), join(e2eDir, 'suite/extension.test.ts')], outdir: suiteOut, bundle: true,
  platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'mocha'], logLevel: 'warning',
});
const workspace = join(scratch, 'workspace');
cpSync(join(e2eDir, 'workspace'), workspace, { recursive: true });

// 3. A fresh port, then the server; wait for the line that says it listens.
const port = await new Promise((res) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const env = { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, VSCODE_AGENT_FOLDER: dirs['server-data'] };
const server = spawn(process.execPath, [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
  '--accept-server-license-terms', '--enable-smoke-test-driver', '--disable-telemetry', '--user-data-dir', dirs['user-data'],
  '--server-data-dir', dirs['server-data'], '--extensions-dir', dirs.extensions], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
const stopServer = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ } };
process.on('exit', stopServer);
await new Promise((res, rej) => {
  const timer = setTimeout(() => rej(new Error(`VS Code server did not start:\n${serverLog}`)), 60_000);
  const onData = (d) => { serverLog += String(d); if (/listening on|Extension host agent started/i.test(serverLog)) { clearTimeout(timer); res(); } };
  server.stdout.on('data', onData); server.stderr.on('data', onData);
  server.once('exit', (code) => { clearTimeout(timer); rej(new Error(`VS Code server exited (${code}):\n${serverLog}`)); });
}).catch((e) => fail(e.message));

// 4. The browser: open the workbench with the extension under development and the suite; the smoke-test driver
// reports Mocha's output through codeAutomationLog and the exit code through codeAutomationExit.
const require = createRequire(join(e2eDir, 'package.json'));
const { chromium } = require('playwright-core');
const base = `http://127.0.0.1:${port}`;
const context = await chromium.launchPersistentContext(dirs.browser, {
  executablePath: CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? await context.newPage();
const exitCode = new Promise((res) => { void page.exposeFunction('codeAutomationExit', (code) => res(code)); });
await page.exposeFunction('codeAutomationLog', (_type, args) => { console.log(...(Array.isArray(args) ? args : [args])); });
const authority = `127.0.0.1:${port}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', `vscode-remote://${authority}${root}`],
  ['extensionTestsPath', `vscode-remote://${authority}${join(suiteOut, 'index.js')}`],
  ['skipWelcome', 'true'],
]);
const timer = setTimeout(() => { console.error(`test:e2e: no result within ${TIMEOUT_MS / 1000} s\n${serverLog.slice(-4000)}`); stopServer(); process.exit(2); }, TIMEOUT_MS);
await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
const code = await exitCode;
clearTimeout(timer);
await context.close().catch(() => undefined);
stopServer();
writeFileSync(join(scratch, 'server.log'), serverLog);
if (code === 0) rmSync(scratch, { recursive: true, force: true });
else console.error(`test:e2e: editor tests failed (exit code ${code}); server log kept in ${join(scratch, 'server.log')}`);
process.exit(code);
