// README's Privacy section: Falco Lens sends no telemetry and opens no network connection. The bundles VS Code loads
// (dist/extension.js, dist/server.js) and the CLI (dist/cli.js) hold every dependency but Node's own modules and VS
// Code's API: what they can reach is what they require. `net` is vscode-jsonrpc's pipe between the extension and its
// server (IPC); no HTTP, TLS, DNS or UDP module is in them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const NETWORK = /^(node:)?(http|https|http2|tls|dns|dgram|undici)$/;

test('the bundles require no module that reaches the network', () => {
  for (const bundle of ['extension.js', 'server.js', 'cli.js']) {
    const text = fs.readFileSync(path.join(process.cwd(), 'dist', bundle), 'utf8');
    const required = [...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
    assert.ok(required.length > 0, `${bundle} requires Node's modules`);
    assert.deepEqual(required.filter((m) => NETWORK.test(m)), [], `${bundle}: ${required.join(', ')}`);
    assert.ok(!/\bfetch\(\s*["'`]https?:/.test(text), `${bundle} fetches no URL`);
  }
});
