// An alert value holding a lone UTF-16 surrogate (a JSON `\ud800` escape without its pair). Falco never prints one:
// its JSON output is UTF-8 written by nlohmann's dump with error_handler_t::replace (formats.cpp:161, 0.44.0), so bytes
// that are not valid UTF-8 (an encoded surrogate too) come out as U+FFFD. Such a line was changed or written by another
// tool, and no event or rules file holds the value: Falco Lens wrote it into an exception as U+FFFD (yamlText.ts),
// which never matches. Now the tuning actions, the investigation command and the report leave such a value out and
// say why, and offer the values that are exact; an unloaded rule whose name has one gets no override at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { inexactValue } from '../../server/src/service/alerts/tuning';
import { STABLE_RULES, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

function actionsOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

/** Whether a text holds a lone surrogate or U+FFFD (what a lone surrogate is written as in YAML). */
const inexact = (text: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\ufffd/.test(text);

/** A Falco 0.44 JSON alert of 'Read sensitive file untrusted' (the corpus collector payload's fields), with `fields` changed. */
function jsonAlert(fields: Record<string, unknown>, rule = 'Read sensitive file untrusted'): string {
  return JSON.stringify({
    hostname: 'x86',
    output: '14:50:34.502309868: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=cat parent=backup-agent',
    output_fields: {
      'evt.time': 1746622234502309868, 'evt.type': 'openat', 'fd.name': '/etc/shadow', 'proc.aname[2]': 'bash', 'proc.cmdline': 'cat /etc/shadow',
      'proc.exepath': '/usr/bin/cat', 'proc.name': 'cat', 'proc.pname': 'backup-agent', 'proc.tty': 0, 'user.loginuid': 1000, 'user.name': 'root', 'user.uid': 0,
      'container.id': 'host', ...fields,
    },
    priority: 'Warning', rule, source: 'syscall', tags: ['filesystem', 'maturity_stable'], time: '2025-05-07T12:50:34.502309868Z',
  });
}

test('inexactValue: a lone surrogate of either half, U+FFFD; a surrogate pair is exact', () => {
  assert.equal(inexactValue('/etc/sha\ud800dow'), 'surrogate');
  assert.equal(inexactValue('\udc00x'), 'surrogate');
  assert.equal(inexactValue('x\ud83d'), 'surrogate');
  assert.equal(inexactValue('caf\ufffd'), 'replaced');
  assert.equal(inexactValue('\ud800\ufffd'), 'surrogate');
  assert.equal(inexactValue('eagle \ud83e\udd85'), undefined);
  assert.equal(inexactValue('plain'), undefined);
  assert.equal(inexactValue(undefined), undefined);
});

test('a lone surrogate in fd.name: no exception on it (greyed out with why), the exact shapes offered, the command and report leave it out', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES)));
  const line = jsonAlert({ 'fd.name': '/etc/sha\ud800dow' });
  assert.ok(line.includes('\\ud800'), 'the log holds the JSON escape');
  const actions = actionsOf(s, `${line}\n`, 'surrogate.json');
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Add exception for this executable path + process name + parent + user (/usr/bin/cat, cat, backup-agent, root, 1000) to falco_rules.local.yaml'), titles.join('\n'));
  assert.ok(!titles.some((t) => t.startsWith('Add exception for this file + executable path + process name, any user (')), titles.join('\n'));
  const greyed = actions.find((a) => a.title.startsWith('Add exception for this file + executable path + process name + user: not offered, fd.name holds a lone surrogate'));
  assert.ok(greyed?.disabled, titles.join('\n'));
  assert.match(greyed.disabled.reason, /fd\.name holds a lone UTF-16 surrogate .* Falco never prints .* would never match/);
  // No edit writes the lone surrogate, or the U+FFFD it would become.
  for (const a of actions) assert.ok(!inexact(JSON.stringify(a.edit ?? {}).replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))), a.title);

  // Copy investigation command: `stat <fd.name>` is kept as a comment with the reason, not filled.
  const copy = actions.find((a) => a.title === 'Copy investigation command');
  const script = copy?.command?.arguments?.[0] as string;
  assert.ok(script && !inexact(script), script);
  assert.match(script, /# Skipped: the value of fd\.name holds a lone UTF-16 surrogate.*\n# stat <fd\.name>/, script);

  const hover = s.hover!(alertDoc('surrogate.json', line), { line: 0, character: line.indexOf('\\ud800') });
  assert.match((hover?.contents as { value: string }).value, /\*\*A lone UTF-16 surrogate\*\* in this value/);

  const report = s.report(`${line}\n`, 'file:///logs/surrogate.json');
  // The value is shown where the report lists the fields; the investigation steps and the tuning leave it out.
  const steps = report.slice(report.indexOf('### Investigation'));
  assert.ok(!inexact(steps), steps);
  assert.match(steps, /Shows the file owner.* not for this alert: the value of fd\\\.name holds a lone UTF\\-16 surrogate/);
  assert.match(steps, /Why not on the file \\\+ executable path \\\+ process name \\\+ user, or the file \\\+ executable path \\\+ process name, any user: the value of `fd\.name` holds a lone UTF-16 surrogate/);
  assert.match(steps, /`fd\.name` is left as a placeholder: the value of fd\\\.name holds a lone UTF\\-16 surrogate/);
});

test('an unloaded rule whose name holds a lone surrogate: no override of any kind, one greyed-out action saying why', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const line = jsonAlert({}, 'Read sensitive file untrusted\ud800');
  const actions = actionsOf(s, `${line}\n`, 'rule-name.json');
  assert.ok(!actions.some((a) => a.edit || a.command?.command === 'falcoLens.applyEdit'), actions.map((a) => a.title).join('\n'));
  const greyed = actions.find((a) => a.title.startsWith('Add exception or disable rule: not offered'));
  assert.match(greyed?.disabled?.reason ?? '', /rule name holds a lone UTF-16 surrogate.* Falco refuses a rules file that overrides a rule no earlier file defines/);
  const report = s.report(`${line}\n`, 'file:///logs/rule-name.json');
  assert.match(report, /No exception and no disable are proposed: the rule name holds a lone UTF\\-16 surrogate/);
  assert.ok(!/^- rule:/m.test(report), 'no override in the report');
});
