// `npm test`: bundles every test file under test/unit, test/protocol and test/package with esbuild into out/test,
// then runs them with node:test. Arguments filter test files by substring: `npm test -- condition`.
// A full run (no filter) type-checks first and builds dist/ (the protocol and package tests use the bundles);
// a filtered run only builds, so one area's tests run while another area is mid-edit.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const step = (args) => { const r = spawnSync(npm, args, { stdio: 'inherit' }); if (r.status !== 0) process.exit(r.status ?? 1); };
if (filters.length === 0) step(['run', 'typecheck']);
const tiers = ['test/unit', 'test/protocol', 'test/package'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts') && (filters.length === 0 || filters.some((f) => path.includes(f)))) files.push(path);
  }
};
for (const tier of tiers) walk(tier);
if (files.some((f) => !f.startsWith(join('test', 'unit')))) step(['run', 'build', '--silent']);
// A folder per run: several test runs (other terminals, CI steps) never delete each other's bundles.
const outDir = join('out', `test-${process.pid}`);
rmSync(outDir, { recursive: true, force: true });
await build({
  entryPoints: files, outdir: outDir, outbase: 'test', bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  sourcemap: 'inline', logLevel: 'warning', external: ['vscode-languageserver-protocol', 'vscode-languageserver/node', 'vscode-jsonrpc'],
  // Client code (client/src) runs here against a stand-in for VS Code's API (test/helpers/vscodeFake.ts).
  alias: { vscode: './test/helpers/vscodeFake.ts' },
});
const outputs = files.map((f) => join(outDir, f.slice('test/'.length)).replace(/\.ts$/, '.js'));
// The package tier rebuilds dist/ (minified) while packaging, so it runs after the tiers that spawn dist/server.js.
const packaging = outputs.filter((f) => f.includes(`${join(outDir, 'package')}/`));
const others = outputs.filter((f) => !packaging.includes(f));
let status = 0;
for (const batch of [others, packaging]) {
  if (batch.length === 0) continue;
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...batch], { stdio: 'inherit' });
  if (result.status !== 0) status = result.status ?? 1;
}
rmSync(outDir, { recursive: true, force: true });
process.exit(status);
