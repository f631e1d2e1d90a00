// Bundles and runs the rules service benchmark (test/perf/rules-bench.ts); node flags such as --cpu-prof pass through.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
const main = `import { runBench } from './rules-bench';
import { createRulesService } from '../../server/src/service/rules';
const only = process.env.BENCH_ONLY;
runBench({ live: createRulesService }, only ? { only, steps: 1000 } : {});`;
await build({
  stdin: { contents: main, resolveDir: 'test/perf', sourcefile: 'bench-main.ts', loader: 'ts' },
  outfile: 'out/perf/rules-bench.js', bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--enable-source-maps', ...process.argv.slice(2), 'out/perf/rules-bench.js'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
