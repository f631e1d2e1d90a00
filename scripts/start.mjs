// `npm start`: builds the extension, then serves it in browser VS Code (VS Code server from code-server) on
// 127.0.0.1 over the examples/ workspace, and prints the URL to open. Ctrl+C stops the server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled, freePort, startVSCodeServer, workbenchUrl } from '../e2e/vscodeServer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const state = join(root, '.scratch', 'start');
const dirs = Object.fromEntries(['home', 'tmp', 'user-data', 'server-data', 'extensions'].map((d) => [d, join(state, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });

// The examples use macros of Falco's official rules: load them from the shared corpus when it is next to the project
// (a Falco host has them in /etc/falco, the default).
const official = resolve(root, '..', 'shared', 'corpus', 'rules', 'falcosecurity__rules', 'falco_rules.yaml');
const settings = { 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false };
if (existsSync(official)) settings['falcoLens.rules.files'] = [official, '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d'];
mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
writeFileSync(join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify(settings, null, 2));

ensureInstalled(dirs.tmp);
if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const port = Number(process.env.PORT) || await freePort();
const server = await startVSCodeServer({ port, dirs });
const stop = () => { server.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.once('exit', (code) => { console.log(`VS Code server exited (${code})`); process.exit(code ?? 1); });
console.log(`\nFalco Lens is served in browser VS Code. Open:\n\n  ${workbenchUrl({ port, folder: join(root, 'examples'), extensionPath: root })}\n\nCtrl+C stops it.`);
