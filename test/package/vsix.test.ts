// Builds the VSIX offline with vsce (npm run package) and checks what it holds: the three bundles, the grammars,
// README and LICENSE — and nothing from node_modules, sources or tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** The text of one entry of a zip file (stored or deflated), found by its local header. */
function zipText(file: string, name: string): string {
  const buf = fs.readFileSync(file);
  for (let at = 0; at + 30 <= buf.length;) {
    if (buf.readUInt32LE(at) !== 0x04034b50) break;
    const method = buf.readUInt16LE(at + 8);
    const size = buf.readUInt32LE(at + 18);
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    const data = buf.subarray(at + 30 + nameLength + extraLength, at + 30 + nameLength + extraLength + size);
    if (buf.toString('utf8', at + 30, at + 30 + nameLength) === name) return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    at += 30 + nameLength + extraLength + size;
  }
  assert.fail(`${name} is in ${file}`);
}

/** A PNG's size and colour type, after checking its signature, every chunk's CRC and that its pixels inflate. */
function pngInfo(bytes: Buffer): { width: number; height: number; colourType: number } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('ascii', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    assert.equal(bytes.readUInt32BE(at + 8 + length), zlib.crc32(bytes.subarray(at + 4, at + 8 + length)), `${type} CRC`);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  assert.ok(header, 'IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const channels = ({ 2: 3, 6: 4 } as Record<number, number>)[header[9]] ?? 1;
  assert.equal(zlib.inflateSync(Buffer.concat(idat)).length, height * (1 + width * channels * (header[8] / 8)), 'pixels');
  return { width, height, colourType: header[9] };
}

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
  // The Marketplace's page (session 24): the icon (a PNG of at least 128x128: vsce refuses SVG) and the banner. The
  // project has no public home yet, so the manifest names none: no Source, Support or Learn link that leads nowhere.
  assert.ok(entries.includes('extension/media/icon.png'), 'the icon is packaged');
  const icon = pngInfo(fs.readFileSync(path.join(process.cwd(), 'media', 'icon.png')));
  assert.ok(icon.width >= 128 && icon.width === icon.height, `a square icon of 128 pixels at least: ${icon.width}x${icon.height}`);
  const vsixManifest = zipText(vsix, 'extension.vsixmanifest');
  for (const property of ['Branding.Color', 'Branding.Theme']) {
    assert.match(vsixManifest, new RegExp(`Id="Microsoft\\.VisualStudio\\.Services\\.${property.replace('.', '\\.')}" Value="[^"]+"`), property);
  }
  assert.doesNotMatch(vsixManifest, /example\.(com|org|net)/, 'no placeholder address on the Marketplace page');
  assert.match(vsixManifest, /<Asset Type="Microsoft\.VisualStudio\.Services\.Icons\.Default" Path="extension\/media\/icon\.png"/);
  assert.match(vsixManifest, /<DisplayName>Falco Lens<\/DisplayName>/, 'the localized name (package.nls.json)');
  const forbidden = entries.filter((e) => /node_modules\/|(^|\/)(src|test|e2e|bench|scripts)\/|\.ts$|\.map$/.test(e));
  assert.deepEqual(forbidden, [], 'nothing from node_modules, sources, tests or source maps');
  // The packaged server runs standalone with plain node (fully bundled).
  const server = fs.readFileSync(path.join(process.cwd(), 'dist', 'server.js'), 'utf8');
  assert.ok(!/require\("(yaml|vscode-languageserver[^"]*)"\)/.test(server), 'server dependencies are bundled');
});
