// Entry of `npm run bench` (after `npm run build`): bundles bench/bench.ts with esbuild into a per-run folder and
// runs it with the same arguments (`--quick`, `--only alerts,explorer,rules`, `--profile`, `--strict`).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const outDir = join('out', `bench-${process.pid}`);
await build({
  entryPoints: ['bench/bench.ts'], outdir: outDir, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  sourcemap: 'inline', logLevel: 'warning', external: ['vscode-languageserver-protocol', 'vscode-jsonrpc'],
});
const result = spawnSync(process.execPath, ['--enable-source-maps', '--max-old-space-size=4096', join(outDir, 'bench.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
rmSync(outDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
