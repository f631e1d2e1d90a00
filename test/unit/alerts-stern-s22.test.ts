// Session 22: `stern falco` (pods of a DaemonSet at once) prefixes each line with the pod's and the container's names
// (with several namespaces, the namespace's first) and, with --timestamps, a time: cmd.go generateTemplate at stern
// v1.34.0, `{{color .PodColor .PodName}} {{color .ContainerColor .ContainerName}} {{if .Timestamp}}{{.Timestamp}} {{end}}`
// (TimestampFormatDefault `2006-01-02T15:04:05.000000000Z07:00`, TimestampFormatShort `01-02 15:04:05`). Such a log
// was read as no alert at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAlertsService } from '../../server/src/service/alerts';
import { CORPUS, STABLE_RULES, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

test('alerts behind stern\'s prefix are read: two or three names, with either time form', { skip: !corpusExists && 'corpus absent' }, () => {
  const json = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').trim();
  const text = '14:50:34.502309868: Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow process=cat)';
  const lines = [
    `falco-7xk2p falco ${json}`,
    `falco-7xk2p falco 2025-05-07T14:50:34.512345678+02:00 ${json}`,
    `falco falco-7xk2p falco ${text}`,
    `falco-7xk2p falco 05-07 14:50:34 ${text}`,
  ];
  const log = `${lines.join('\n')}\n`;
  const host = new TestHost();
  host.config = { ...host.config, alerts: { problems: 'debug', maxProblems: 500 } };
  const s = createAlertsService(host, fakeRules(ruleSummaries(STABLE_RULES)));
  const doc = alertDoc('stern.log', log);
  const alerts = s.diagnostics(doc).filter((d) => d.code === 'falco-alert');
  assert.deepEqual(alerts.map((d) => `${d.range.start.line} ${d.message}`), [
    '0 Warning: Read sensitive file untrusted', '1 Warning: Read sensitive file untrusted',
    '2 Warning: Read sensitive file untrusted',
    '3 Warning: Read sensitive file untrusted',
  ]);
  const hover = (line: number, needle: string) => ((s.hover!(doc, { line, character: lines[line].indexOf(needle) + 1 })?.contents as { value: string } | undefined)?.value ?? '');
  assert.equal(hover(0, 'falco-7xk2p'), '**stern prefix**: pod `falco-7xk2p`, container `falco`, added by stern, not by Falco; the Falco line follows it.');
  assert.equal(hover(1, '2025-05-07T'), '**stern prefix**: pod `falco-7xk2p`, container `falco`, added by stern, not by Falco; then the time stern gives the line, '
    + '`2025-05-07T14:50:34.512345678+02:00` (--timestamps); the Falco line follows it.');
  assert.equal(hover(2, 'falco-7xk2p'), '**stern prefix**: namespace `falco`, pod `falco-7xk2p`, container `falco`, added by stern, not by Falco; the Falco line follows it.');
  assert.match(hover(3, '05-07'), /then the time stern gives the line, `05-07 14:50:34` \(--timestamps=short: no year and no time zone\)/);
  assert.match(hover(0, '/usr/bin/cat'), /^`proc_exepath` → field `proc\.exepath`/);
  assert.match(hover(3, 'shadow'), /^`file` → field `fd\.name`/);
  assert.match(s.report(log, 'file:///logs/stern.log'), /^4 alerts from `stern\.log`/m);
});

test('a line of words before something else than a Falco line is no stern line', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  for (const line of [
    'level info msg 14:50:34 started', // a time without fractions: no text alert's
    'Falco falco-7xk2p falco {"rule":"x"}', // an uppercase first name: no Kubernetes name
    'falco {"rule":"x","priority":"Warning","output":"x","time":"2026-01-01T00:00:00Z"}', // one name only
    'a b c d {"rule":"x","priority":"Warning","output":"x","time":"2026-01-01T00:00:00Z"}', // four names
  ]) {
    assert.deepEqual(s.diagnostics(alertDoc('plain.log', `${line}\n`)).filter((d) => d.code === 'falco-alert'), [], line);
  }
});
