// `npm run test:electron`: the editor suite (e2e/suite) in Electron VS Code through @vscode/test-electron, where VS Code
// can be downloaded. Where it cannot (no route to update.code.visualstudio.com), say so in one line and exit 0.
import { request } from 'node:https';
import { spawnSync } from 'node:child_process';
import { resolve, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function reachable(url, timeoutMs = 5000) {
  return new Promise((res) => {
    const req = request(url, { method: 'HEAD', timeout: timeoutMs }, (r) => { r.resume(); res(true); });
    req.on('timeout', () => { req.destroy(); res(false); });
    req.on('error', () => res(false));
    req.end();
  });
}

if (!(await reachable('https://update.code.visualstudio.com/api/releases/stable'))) {
  console.log('test:electron: skipped — VS Code cannot be downloaded from this machine (use npm run test:e2e).');
  process.exit(0);
}
const { runTests } = await import('@vscode/test-electron');
if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const out = join(root, 'out', 'e2e');
await build({ entryPoints: [join(root, 'e2e/suite/index.ts'), join(root, 'e2e/suite/extension.test.ts')], outdir: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'mocha'], logLevel: 'warning' });
try {
  await runTests({ extensionDevelopmentPath: root, extensionTestsPath: join(out, 'index.js'), launchArgs: [join(root, 'e2e/workspace'), '--disable-extensions'] });
} catch (e) {
  console.error(`test:electron: ${e}`);
  process.exit(1);
}
