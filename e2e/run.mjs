// `npm run test:e2e`: runs the editor suite (e2e/suite) inside the Node extension host of VS Code server, opened in
// Debian's chromium through playwright-core. Fresh scratch folders and a fresh port each run; the server's process
// group is ended afterwards. The smoke-test driver reports Mocha's output through codeAutomationLog and the suite's
// exit code through codeAutomationExit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { e2eDir, ensureInstalled, freePort, startVSCodeServer, workbenchUrl } from './vscodeServer.mjs';

const root = resolve(e2eDir, '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT_MS = 300_000;
const fail = (message) => { console.error(`test:e2e: ${message}`); process.exit(1); };

const scratch = mkdtempSync(join(process.env.E2E_SCRATCH ?? tmpdir(), 'falco-lens-e2e-'));
const dirs = Object.fromEntries(['home', 'tmp', 'user-data', 'server-data', 'extensions', 'browser'].map((d) => [d, join(scratch, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });

try { ensureInstalled(dirs.tmp); } catch (e) { fail(e.message); }
if (process.argv.includes('--install-only')) { rmSync(scratch, { recursive: true, force: true }); process.exit(0); }
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} not found (apt-get install -y chromium)`);

if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0) fail('build failed');
const suiteOut = join(root, 'out', 'e2e');
rmSync(suiteOut, { recursive: true, force: true });
await build({
  entryPoints: [join(e2eDir, 'suite/index.ts'), join(e2eDir, 'suite/extension.test.ts')], outdir: suiteOut, bundle: true,
  platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'mocha'], logLevel: 'warning',
});
const workspace = join(scratch, 'workspace');
cpSync(join(e2eDir, 'workspace'), workspace, { recursive: true });

const port = await freePort();
let server;
try { server = await startVSCodeServer({ port, dirs }); } catch (e) { fail(e.message); }
process.on('exit', () => server.stop());

const require = createRequire(join(e2eDir, 'package.json'));
const { chromium } = require('playwright-core');
const context = await chromium.launchPersistentContext(dirs.browser, {
  executablePath: CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? await context.newPage();
const exitCode = new Promise((res) => { void page.exposeFunction('codeAutomationExit', (code) => res(code)); });
await page.exposeFunction('codeAutomationLog', (_type, args) => { console.log(...(Array.isArray(args) ? args : [args])); });
const timer = setTimeout(() => { console.error(`test:e2e: no result within ${TIMEOUT_MS / 1000} s\n${server.log.slice(-4000)}`); server.stop(); process.exit(2); }, TIMEOUT_MS);
await page.goto(workbenchUrl({ port, folder: workspace, extensionPath: root, testsPath: join(suiteOut, 'index.js') }));
const code = await exitCode;
clearTimeout(timer);
await context.close().catch(() => undefined);
server.stop();
writeFileSync(join(scratch, 'server.log'), server.log);
if (code === 0) rmSync(scratch, { recursive: true, force: true });
else console.error(`test:e2e: editor tests failed (exit code ${code}); server log kept in ${join(scratch, 'server.log')}`);
process.exit(code);
