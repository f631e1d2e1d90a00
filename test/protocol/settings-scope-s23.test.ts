// A setting's scope says where VS Code lets the user set it: `resource` offers a value per workspace folder. The server
// pulls the falcoLens section once for the whole window (server.ts refreshSettings: no scopeUri), so VS Code answers
// with the workspace's value and a folder's own value is never read. Until settings are read per folder, no setting
// declares a scope the server does not honour (session 23: alerts.problems, alerts.maxProblems and embeddedRules
// were `resource`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../helpers/lspClient';

test('the server asks for its settings without a scope URI, and no setting is declared per folder', async (t) => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-scope-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  const asked: { section?: string; scopeUri?: string }[] = [];
  const settings = { rules: { files: [] }, alerts: { problems: 'warning', maxProblems: 5 } };
  const server = await startServer({
    rootDir: ws, initializationOptions: { validationDelayMs: 0, settings },
    configuration: (section, scopeUri) => { asked.push({ section, scopeUri }); return settings; },
  });
  t.after(() => server.stop());
  const log = `file://${path.join(ws, 'falco.log')}`;
  const diagnostics = server.nextDiagnostics(log);
  server.open(log, 'falco-alerts', '{"output":"10:00:00.000000000: Warning A shell","priority":"Warning","rule":"Terminal shell in container","time":"2026-01-02T10:00:00.000000000Z","output_fields":{}}\n');
  // The Warning alert is shown: the pulled settings (problems: warning) are the ones in use.
  assert.equal((await diagnostics).diagnostics.length, 1);
  assert.ok(asked.length > 0, 'the server pulled its settings');
  assert.deepEqual(asked.filter((a) => a.scopeUri !== undefined), [], 'no pull names a resource');
  const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));
  const perResource = Object.entries(manifest.contributes.configuration.properties as Record<string, { scope?: string }>)
    .filter(([, s]) => s.scope === 'resource' || s.scope === 'language-overridable').map(([key]) => key);
  assert.deepEqual(perResource, [], 'settings declared per folder that the server reads for the whole window');
});
