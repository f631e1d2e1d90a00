// A rules file reached through two file links (real symlinks in a fresh temporary folder), through the bundled server
// and CLI: the server loads it once, named by the link the editor has open; `falco-lens check` checks it once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ReferencesRequest } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const BASE = '- list: shells\n  items: [bash]\n- macro: shell_proc\n  condition: proc.name in (shells)\n'
  + '- rule: Shell\n  desc: d\n  condition: evt.type = execve and shell_proc\n  output: "o | p=%proc.name"\n  priority: INFO\n';
const APPEND = '- list: shells\n  items: [zsh]\n  override:\n    items: append\n';
const BROKEN = '- rule: Shell in web container\n  desc: d\n  condition: evt.type = execve and\n  output: o\n  priority: WARNNG\n';

/** A workspace whose a/ and b/ hold links to one rules file kept outside it. */
function linkedWorkspace(t: { after(fn: () => void): void }, team: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-file-links-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const ws = path.join(root, 'ws');
  for (const dir of ['ws/a', 'ws/b', 'shared']) fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.writeFileSync(path.join(ws, 'falco_rules.yaml'), BASE);
  fs.writeFileSync(path.join(root, 'shared', 'team_rules.yaml'), team);
  fs.symlinkSync(path.join(root, 'shared', 'team_rules.yaml'), path.join(ws, 'a', 'team_rules.yaml'));
  fs.symlinkSync('../../shared/team_rules.yaml', path.join(ws, 'b', 'team_rules.yaml'));
  assert.equal(fs.readFileSync(path.join(ws, 'b', 'team_rules.yaml'), 'utf8'), team, 'the links name the file');
  return ws;
}

test('a rules file reached through two file links is loaded once, named by the link the editor has open', { timeout: 60_000 }, async (t) => {
  const ws = linkedWorkspace(t, APPEND);
  const server = await startServer({ rootDir: ws });
  t.after(() => server.stop());
  const team = `file://${ws}/b/team_rules.yaml`;
  const teamPublished = server.nextDiagnostics(team);
  server.open(team, 'falco-rules', APPEND);
  assert.deepEqual((await teamPublished).diagnostics.map((d) => d.code), []);
  const base = `file://${ws}/falco_rules.yaml`;
  const published = server.nextDiagnostics(base);
  server.open(base, 'falco-rules', BASE);
  assert.deepEqual((await published).diagnostics.map((d) => d.code), []);
  const refs = await server.connection.sendRequest(ReferencesRequest.type, {
    textDocument: { uri: base }, position: { line: 3, character: BASE.split('\n')[3].indexOf('shells') + 2 }, context: { includeDeclaration: true },
  });
  // The list's definition and use, and the append once, in the document the user has open.
  assert.deepEqual(refs?.map((r) => r.uri.slice(`file://${ws}/`.length)).sort(), ['b/team_rules.yaml', 'falco_rules.yaml', 'falco_rules.yaml']);
});

test('falco-lens check on a folder checks a file reached through two file links once, and says it skipped the other', (t) => {
  const ws = linkedWorkspace(t, BROKEN);
  const result = spawnSync(process.execPath, [path.join(process.cwd(), 'dist', 'cli.js'), 'check', '--format', 'json', '.'], { cwd: ws, encoding: 'utf8' });
  assert.equal(result.status, 1, result.stdout + result.stderr);
  const findings = JSON.parse(result.stdout) as { file: string; code: string; line: number }[];
  const files = [...new Set(findings.map((f) => f.file.replace(/\\/g, '/')))].sort();
  assert.deepEqual(files, ['a/team_rules.yaml']);
  const keys = findings.map((f) => `${f.line} ${f.code}`);
  assert.equal(new Set(keys).size, keys.length, `each finding once: ${keys.join(', ')}`);
  assert.match(result.stderr, /skipping .*b\/team_rules\.yaml: the same file as .*a\/team_rules\.yaml/);
});
