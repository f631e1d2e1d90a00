// The client's contributions read as VS Code reads them (session 24).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rotationName } from '../../server/src/service/explorer/logSet';
import { detectLanguage } from '../../server/src/service/features';

interface MenuEntry { command: string; when?: string; group?: string }
const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));
const menus = manifest.contributes.menus as Record<string, MenuEntry[]>;

/**
 * Evaluates a when clause of `a || b` terms, each `key == value` or `key =~ /regex/flags` (VS Code's when-clause
 * syntax: the regex literal is read as JavaScript's), over context values.
 */
function holds(when: string, context: Record<string, string>): boolean {
  return when.split(/\s+\|\|\s+/).some((term) => {
    const eq = /^(\S+)\s*==\s*(\S+)$/.exec(term.trim());
    if (eq) return context[eq[1]] === eq[2];
    const match = /^(\S+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(term.trim());
    assert.ok(match, `a term this test reads: ${term}`);
    return new RegExp(match[2], match[3]).test(context[match[1]] ?? '');
  });
}

/** Whether the explorer's context menu offers a command on a file of this name that VS Code gave no language. */
function offered(command: string, name: string): boolean {
  const entry = menus['explorer/context'].find((e) => e.command === command);
  assert.ok(entry?.when, command);
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
  return holds(entry.when, { resourceFilename: name, resourceExtname: ext, resourceLangId: detectLanguage(`/ws/${name}`, '') ?? 'plaintext' });
}

test('"Open in Alert Explorer" is on the context menu of alert logs and their rotated files, not of every .gz', () => {
  // logrotate's names (numbered, compressed, dateext with its common dateformats) of the names Falco Lens reads as alert
  // logs, and of Falco's default file_output (./events.txt, falco.yaml).
  const logs = ['falco.log', 'falco.log.1', 'falco.log.2.gz', 'falco.log-20261123', 'falco.log-20261123.gz', 'falco.log-2026112310.gz',
    'falco.log-2026-11-23.gz', 'falco.log-20261123-1763856000.gz', 'falco_events.json.1.gz', 'falco-node-1.json.3.gz', 'node.falco.jsonl.gz',
    'events.txt', 'events.txt.1', 'events.txt.4.gz', 'k8s-falco.log.7.gz', 'FALCO.LOG.2.GZ'];
  const others = ['falco-0.44.0-x86_64.tar.gz', 'falco-0.44.0.tgz', 'backup.sql.gz', 'syslog.2.gz', 'access.log.1.gz', 'falco_rules.yaml.gz',
    'falco.yaml.gz', 'falcoctl.tar.gz', 'events.json.gz'];
  for (const command of ['falcoLens.explorer.open', 'falcoLens.explorer.openRotated']) {
    for (const name of logs) assert.ok(offered(command, name), `${command} on ${name}`);
    for (const name of others) assert.ok(!offered(command, name), `no ${command} on ${name}`);
  }
  // Every such rotated name is one the Explorer reads as a member of its set (explorer/logSet.ts rotationName).
  for (const name of logs.filter((n) => n !== n.toUpperCase())) {
    const { base } = rotationName(name);
    assert.ok(/falco|^events\.txt$/.test(base) && !base.endsWith('.gz'), `${name}: set of ${base}`);
  }
});
