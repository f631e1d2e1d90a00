// Falco's alerts as kubelet keeps them on a node (session 25). kubelet writes a container's output to
// /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restarts>.log (pkg/kubelet/kuberuntime buildContainerLogsPath),
// rotates it to `<restarts>.log.<YYYYMMDD-HHMMSS>`, gzips that file at the next rotation (pkg/kubelet/logs
// container_log_manager.go: timestampFormat "20060102-150405", rotateLatestLog, compressLog) and links the live file
// from /var/log/containers/<pod>_<namespace>_<container>-<container id>.log (logSymlink). None of these names was an
// alert log: `0.log` has no `falco` in it, the rotated names were not read as members of `0.log`'s set, and the link
// was one only when the pod's name started with `falco`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectLanguage } from '../../server/src/service/features';
import { rotatedSet, rotationName } from '../../server/src/service/explorer/logSet';

const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));
const alertPatterns = (manifest.contributes.languages as { id: string; filenamePatterns?: string[] }[]).find((l) => l.id === 'falco-alerts')!.filenamePatterns!;

/** A glob of package.json as VS Code reads one against a path: `**` spans folders, `*` stays within one. */
function globMatches(glob: string, file: string): boolean {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('**/', i)) { source += '(?:.*/)?'; i += 2; } else if (glob[i] === '*') source += '[^/]*';
    else source += glob[i].replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(file);
}
const byManifest = (file: string) => alertPatterns.some((g) => globMatches(g, file));

/** Evaluates the `||` terms of a when clause (`key == value`, `key =~ /regex/flags`) over context values. */
function holds(when: string, context: Record<string, string>): boolean {
  return when.split(/\s+\|\|\s+/).some((term) => {
    const eq = /^(\S+)\s*==\s*(\S+)$/.exec(term.trim());
    if (eq) return context[eq[1]] === eq[2];
    const match = /^(\S+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(term.trim());
    assert.ok(match, `a term this test reads: ${term}`);
    return new RegExp(match[2], match[3]).test(context[match[1]] ?? '');
  });
}
/** Whether the Explorer's context menu offers `command` on this file (VS Code's resourcePath is the file's fsPath). */
function offered(command: string, file: string): boolean {
  const entry = (manifest.contributes.menus['explorer/context'] as { command: string; when: string }[]).find((e) => e.command === command)!;
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return holds(entry.when, { resourcePath: file, resourceFilename: name, resourceLangId: detectLanguage(file, '') ?? 'log' });
}

const POD = '/var/log/pods/falco_falco-x7k2p_4f6c2a1e-9b3d-4c1a-8e2f-0d5b7a9c3e11/falco';
const LINK = '/var/log/containers/falco-x7k2p_falco_falco-3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c.log';

test('kubelet\'s files of a container named falco are alert logs (the language and the Explorer\'s menu); other containers\' are not', () => {
  const live = [`${POD}/0.log`, `${POD}/3.log`, LINK,
    // A release named otherwise: the pod's name does not start with falco, its container is still falco.
    '/var/log/containers/security-x7k2p_monitoring_falco-3b2c1d0e9f8a.log',
    // A node's logs copied off it keep kubelet's folders.
    '/home/me/node-1/pods/security_security-falco-x7k2p_4f6c2a1e/falco/0.log'];
  const rotated = [`${POD}/0.log.20261123-101010`];
  const compressed = [`${POD}/0.log.20261122-235959.gz`];
  for (const file of [...live, ...rotated]) {
    assert.equal(detectLanguage(file, ''), 'falco-alerts', file);
    assert.ok(byManifest(file), `package.json gives ${file} to falco-alerts`);
  }
  for (const file of [...live, ...rotated, ...compressed]) {
    for (const command of ['falcoLens.explorer.open', 'falcoLens.explorer.openRotated']) assert.ok(offered(command, file), `${command} on ${file}`);
  }
  // The same folders on Windows, where VS Code's resourcePath has backslashes.
  const windows = 'C:\\support\\node-1\\pods\\falco_falco-x7k2p_4f6c2a1e\\falco\\0.log.20261123-101010.gz';
  assert.ok(offered('falcoLens.explorer.open', windows), windows);
  assert.equal(detectLanguage('C:\\support\\node-1\\pods\\falco_falco-x7k2p_4f6c2a1e\\falco\\0.log', ''), 'falco-alerts');

  const others = [
    '/var/log/pods/falco_falco-x7k2p_4f6c2a1e/falcoctl-artifact-follow/0.log',
    '/var/log/pods/web_web-5d8f_1a2b/nginx/0.log',
    '/var/log/pods/web_web-5d8f_1a2b/nginx/0.log.20261123-101010.gz',
    '/var/log/containers/web-5d8f_web_nginx-3b2c1d0e9f8a.log',
    '/var/log/containers/web-5d8f_web_falcosidekick-3b2c1d0e9f8a.log',
    // Not kubelet's folder of a pod: no namespace_pod_uid.
    '/srv/pods/falco/0.log',
  ];
  for (const file of others) {
    assert.equal(detectLanguage(file, ''), undefined, file);
    assert.ok(!byManifest(file), `package.json leaves ${file}`);
  }
  for (const file of others.filter((f) => !/falco/.test(path.basename(f)))) assert.ok(!offered('falcoLens.explorer.open', file), `no Open in Alert Explorer on ${file}`);
  // Not a kubelet name: a live file's gzip is no rotation of it.
  assert.ok(!offered('falcoLens.explorer.open', `${POD}/0.log.gz`));
});

test('kubelet\'s rotated files are members of the live file\'s set, oldest first; its temporary files and another restart\'s file are not', () => {
  assert.deepEqual(rotationName('0.log.20261123-101010'), { base: '0.log', kind: 'date', rank: '20261123101010-000000000000', gzip: false });
  assert.deepEqual(rotationName('0.log.20261123-101010.gz'), { base: '0.log', kind: 'date', rank: '20261123101010-000000000000', gzip: true });
  const folder = ['1.log', '0.log.20261123-101010', '0.log', '0.log.20261122-235959.gz', '0.log.20261123-090000.gz', '0.log.20261123-090000.gz.tmp', '0.log.20261121-000000.tmp'];
  assert.deepEqual(rotatedSet('0.log', folder), ['0.log.20261122-235959.gz', '0.log.20261123-090000.gz', '0.log.20261123-101010', '0.log']);
  // Chosen from a rotated file: the same set.
  assert.deepEqual(rotatedSet('0.log.20261123-090000.gz', folder), rotatedSet('0.log', folder));
  // kubelet compresses the file meanwhile: its gzip and the plain one at once are one member, the plain one.
  assert.deepEqual(rotatedSet('0.log', ['0.log', '0.log.20261123-101010', '0.log.20261123-101010.gz']), ['0.log.20261123-101010', '0.log']);
});
