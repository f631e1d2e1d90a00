// VS Code server from the npm package code-server (pinned 4.100.3: its last release for Node 20). Shared by the
// editor tests (e2e/run.mjs) and `npm start` (scripts/start.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const e2eDir = dirname(fileURLToPath(import.meta.url));
export const serverMain = join(e2eDir, 'node_modules/code-server/lib/vscode/out/server-main.js');

/** Installs e2e/ from its lockfile on first use. @vscode/ripgrep's postinstall would download from GitHub unless its
 *  cache already holds the archive, so the cache is seeded with Debian's rg. */
export function ensureInstalled(tmpDir) {
  if (existsSync(serverMain)) return;
  console.log('installing the VS Code server (code-server 4.100.3) into e2e/node_modules (first run)…');
  if (!existsSync('/usr/bin/rg')) throw new Error('/usr/bin/rg is missing (apt-get install -y ripgrep)');
  const cache = join(tmpDir, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(cache, { recursive: true });
  const rg = spawnSync('tar', ['-czf', join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', '/usr/bin', 'rg'], { stdio: 'inherit' });
  if (rg.status !== 0) throw new Error('could not seed the ripgrep cache');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: e2eDir, stdio: 'inherit',
    // code-server's postinstall refuses root without unsafe-perm; node-pty's build calls npx, which must not prompt.
    env: { ...process.env, TMPDIR: tmpDir, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (install.status !== 0 || !existsSync(serverMain)) throw new Error('npm ci in e2e/ failed');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
}

/** Starts the server in its own process group and resolves once it says it listens. */
export async function startVSCodeServer({ port, dirs }) {
  const env = { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp };
  const child = spawn(process.execPath, [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--enable-smoke-test-driver', '--disable-telemetry', '--user-data-dir', dirs['user-data'],
    '--server-data-dir', dirs['server-data'], '--extensions-dir', dirs.extensions], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, log: '', stop() { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } } };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start within 60 s:\n${server.log}`)), 60_000);
    const onData = (d) => { server.log += String(d); if (/Extension host agent listening on|Extension host agent started/i.test(server.log)) { clearTimeout(timer); resolve(); } };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`VS Code server exited (${code}):\n${server.log}`)); });
  });
  return server;
}

/** The workbench URL that opens `folder` with the extension at `extensionPath` under development (and tests, if any). */
export function workbenchUrl({ port, folder, extensionPath, testsPath }) {
  const authority = `127.0.0.1:${port}`;
  const payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`], ['skipWelcome', 'true']];
  if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${testsPath}`]);
  return `http://${authority}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
