// Localization (session 24): the manifest's strings are package.nls.json entries (`%key%`), the client's runtime
// strings go through vscode.l10n.t and are listed in l10n/bundle.l10n.json, which package.json's `l10n` names. The
// server's messages (diagnostics, hovers, reports) stay English (README).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLACEHOLDER, manifest, manifestStrings, nlsEntries, rawManifest } from '../helpers/manifest';

test('every %key% of package.json has its package.nls.json entry, and every entry is used', () => {
  const used = new Set<string>();
  for (const [at, value] of manifestStrings()) {
    const key = PLACEHOLDER.exec(value)?.[1];
    if (key === undefined) {
      assert.ok(!/%[\w.-]+%/.test(value), `${at}: a placeholder VS Code replaces only as the whole value: ${value}`);
      continue;
    }
    assert.ok(Object.hasOwn(nlsEntries, key), `${at}: ${value} has no entry in package.nls.json`);
    assert.ok(nlsEntries[key].trim() !== '', `${key} is not empty`);
    used.add(key);
  }
  assert.deepEqual(Object.keys(nlsEntries).filter((k) => !used.has(k)), [], 'entries no string of package.json names');
});

test('what VS Code shows of the manifest is localizable: command titles, settings\' descriptions, the view\'s name and welcome', () => {
  const c = rawManifest.contributes;
  const shown: [string, string | undefined][] = [
    ['description', rawManifest.description],
    ...c.commands.map((cmd: { command: string; title: string }) => [cmd.command, cmd.title] as [string, string]),
    ...Object.entries(c.configuration.properties as Record<string, { description?: string; markdownDescription?: string; enumDescriptions?: string[] }>)
      .flatMap(([key, s]) => [[key, s.markdownDescription ?? s.description], ...(s.enumDescriptions ?? []).map((d) => [`${key} enum`, d])] as [string, string][]),
    ...c.views.falcoLens.map((v: { id: string; name: string }) => [v.id, v.name] as [string, string]),
    ...c.viewsWelcome.map((w: { view: string; contents: string }) => [`${w.view} welcome`, w.contents] as [string, string]),
    ['untrusted workspaces', rawManifest.capabilities.untrustedWorkspaces.description],
  ];
  for (const [what, value] of shown) assert.match(value ?? '', PLACEHOLDER, `${what}: ${value}`);
  assert.match(manifest.contributes.commands[0].title, /^[A-Z]/, 'localized as VS Code shows it');
});

test('runtime strings: the l10n bundle is wired, lists every vscode.l10n.t message of the client, and the client shows no bare string', () => {
  // vscode.l10n is VS Code 1.73's; the manifest's engine is at least that.
  const [major, minor] = /(\d+)\.(\d+)/.exec(rawManifest.engines.vscode)!.slice(1).map(Number);
  assert.ok(major > 1 || minor >= 73, rawManifest.engines.vscode);
  assert.equal(rawManifest.l10n, './l10n');
  assert.ok(fs.existsSync(path.join(process.cwd(), 'l10n', 'bundle.l10n.json')));
  const check = spawnSync(process.execPath, ['scripts/l10n-bundle.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  // A message, a pick's placeholder or title, a prompt, written as a bare literal is not translated.
  const bare = /\b(show(Information|Warning|Error)Message|setStatusBarMessage)\(\s*['"`]|\b(placeHolder|prompt|openLabel|title):\s*['"`]/;
  const walk = (dir: string): string[] => fs.readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return fs.statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
  for (const file of walk(path.join(process.cwd(), 'client', 'src'))) {
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => assert.ok(!bare.test(line), `${path.relative(process.cwd(), file)}:${i + 1}: ${line.trim()}`));
  }
});
