// Builds the VSIX offline with vsce (npm run package) and checks what it holds: the three bundles, the grammars,
// README and LICENSE — and nothing from node_modules, sources or tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Names of the entries of a zip file, read from its central directory (no unzip tool needed). */
function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'the VSIX is a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(offset), 0x02014b50, 'central directory entry');
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    names.push(buf.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

test('npm run package makes a VSIX with the bundles, grammars, README and LICENSE only', { timeout: 180000 }, () => {
  const vsix = path.join(process.cwd(), 'dist-vsix', 'falco-lens.vsix');
  fs.rmSync(vsix, { force: true });
  const result = spawnSync('npm', ['run', 'package', '--silent'], { encoding: 'utf8' });
  assert.equal(result.status, 0, `vsce package failed:\n${result.stdout}\n${result.stderr}`);
  const entries = zipEntries(vsix);
  for (const required of ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/cli.js',
    'extension/syntaxes/falco-rules.tmLanguage.json', 'extension/syntaxes/falco-alerts.tmLanguage.json',
    'extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt',
    // The manifest's strings (%key%) and the client's runtime strings' bundle (session 24).
    'extension/package.nls.json', 'extension/l10n/bundle.l10n.json']) {
    assert.ok(entries.some((e) => e.toLowerCase() === required.toLowerCase()), `${required} is packaged (entries: ${entries.join(', ')})`);
  }
  const forbidden = entries.filter((e) => /node_modules\/|(^|\/)(src|test|e2e|bench|scripts)\/|\.ts$|\.map$/.test(e));
  assert.deepEqual(forbidden, [], 'nothing from node_modules, sources, tests or source maps');
  // The packaged server runs standalone with plain node (fully bundled).
  const server = fs.readFileSync(path.join(process.cwd(), 'dist', 'server.js'), 'utf8');
  assert.ok(!/require\("(yaml|vscode-languageserver[^"]*)"\)/.test(server), 'server dependencies are bundled');
});
