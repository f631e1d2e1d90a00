// The alerts grammar (syntaxes/falco-alerts.tmLanguage.json) on real alert lines: Falco's text alerts (both time
// formats, syslog-wrapped), JSON alerts (Falco and falcosidekick, bare or behind a container-runtime prefix), Falco's
// lifecycle lines and its end-of-run summary. Priorities are coloured by severity and only where Falco writes one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusExists, expectNoScope, expectScope, expectScopeAfter, expectScopeAnywhere, expectWholeToken, findLine, tokenize, type TokenizedLine } from './grammar-helpers';

const ALERTS = 'source.falco-alerts';
const TIMESTAMP = 'constant.numeric.timestamp.falco';
const RULE = 'entity.name.function.rule.falco';
const KEY = 'variable.other.property.falco';
const VALUE = 'string.unquoted.value.falco';
const FIELD_KEY = 'support.variable.field.falco';
const alertsDir = join(corpusDir, 'alerts');
const noCorpus = !corpusExists && 'corpus absent';

/** Falco's priorities (falco_common.h order) and the scope of their severity class. */
const SEVERITY_SCOPE: Record<string, string> = {
  emergency: 'invalid.illegal.priority.critical.falco', alert: 'invalid.illegal.priority.critical.falco',
  critical: 'invalid.illegal.priority.critical.falco', error: 'invalid.illegal.priority.critical.falco',
  warning: 'markup.changed.priority.warning.falco',
  notice: 'markup.inserted.priority.notice.falco', informational: 'markup.inserted.priority.notice.falco', info: 'markup.inserted.priority.notice.falco',
  debug: 'comment.priority.debug.falco',
};
const ALL_SEVERITY_SCOPES = [...new Set(Object.values(SEVERITY_SCOPE))];

const exampleLog = readFileSync(join(process.cwd(), 'examples', 'falco.log'), 'utf8');
const exampleJson = readFileSync(join(process.cwd(), 'examples', 'falco_events.json'), 'utf8');

function corpusFiles(): string[] {
  return readdirSync(alertsDir).flatMap((d) => readdirSync(join(alertsDir, d)).map((f) => join(alertsDir, d, f)));
}

test('text alert (examples/falco.log): time, priority, key=value pairs', async () => {
  const lines = await tokenize(ALERTS, exampleLog);
  const warning = findLine(lines, ': Warning Sensitive file opened for reading');
  const time = warning.text.slice(0, warning.text.indexOf(': '));
  assert.match(time, /^\d{2}:\d{2}:\d{2}\.\d{9}$/);
  expectScope(warning, time, TIMESTAMP);
  expectWholeToken(warning, time);
  expectScope(warning, 'Warning', SEVERITY_SCOPE.warning);
  expectScope(warning, 'user_loginuid', KEY);
  expectScopeAfter(warning, 'user_loginuid', '=', 'keyword.operator.assignment.falco');
  expectScope(warning, '-1', VALUE);
  expectWholeToken(warning, '-1');
  expectScope(warning, '/etc/shadow', VALUE);
  expectScope(warning, '<NA>', VALUE);
  expectNoScope(warning, 'Sensitive file opened', KEY);
  expectScope(findLine(lines, ': Notice A shell was spawned'), 'Notice', SEVERITY_SCOPE.notice);
  expectScope(findLine(lines, ': Critical Executing binary'), 'Critical', SEVERITY_SCOPE.critical);
  // exe_flags=EXE_WRITABLE|EXE_LOWER_LAYER: the flag set is one value.
  expectScope(findLine(lines, 'EXE_LOWER_LAYER'), 'EXE_WRITABLE|EXE_LOWER_LAYER', VALUE);
});

test("Falco's lifecycle lines: ctime timestamp, no priority colour", async () => {
  const lines = await tokenize(ALERTS, exampleLog);
  const version = findLine(lines, 'Falco version:');
  const ctime = version.text.slice(0, version.text.indexOf(': Falco'));
  assert.match(ctime, /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/);
  expectScope(version, ctime, TIMESTAMP);
  for (const scope of ALL_SEVERITY_SCOPES) expectNoScope(version, 'Falco version', scope);
});

test('priority words inside an output are not priorities', async () => {
  const [line] = await tokenize(ALERTS, '09:12:44.118430112: Notice Alert raised by an Error handler at Debug level (user=root)');
  expectScope(line, 'Notice', SEVERITY_SCOPE.notice);
  for (const word of ['Alert', 'Error', 'Debug']) for (const scope of ALL_SEVERITY_SCOPES) expectNoScope(line, word, scope);
});

test('every priority is coloured by its severity, in text and JSON alerts', async () => {
  const names = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
  const text = names.map((p) => `2026-03-02T09:12:51.500021876+0000: ${p} x (k=v)`).join('\n');
  const json = names.map((p) => `{"priority":"${p}","rule":"R ${p}","time":"2026-03-02T09:12:51.500021876Z"}`).join('\n');
  const lines = await tokenize(ALERTS, `${text}\n${json}`);
  names.forEach((p, i) => {
    expectScope(lines[i], p, SEVERITY_SCOPE[p.toLowerCase()]);
    expectScope(lines[i], '2026-03-02T09:12:51.500021876+0000', TIMESTAMP);
    const jsonLine = lines[names.length + i];
    expectScope(jsonLine, p, SEVERITY_SCOPE[p.toLowerCase()]);
    expectScope(jsonLine, `R ${p}`, RULE);
  });
});

test('JSON alert (examples/falco_events.json): rule, priority, times, field keys, values', async () => {
  const lines = await tokenize(ALERTS, exampleJson);
  const line = findLine(lines, '"rule":"Terminal shell in container"');
  const alert = JSON.parse(line.text) as { time: string; output: string };
  expectScope(line, 'Terminal shell in container', RULE);
  expectWholeToken(line, 'Terminal shell in container');
  expectScope(line, '"Notice"', 'string.quoted.double.json');
  expectScopeAfter(line, '"priority":', 'Notice', SEVERITY_SCOPE.notice);
  expectScope(line, `"${alert.time}"`, TIMESTAMP);
  // The rendered output line keeps its own time and priority colours inside the JSON string.
  const outputTime = alert.output.slice(0, alert.output.indexOf(': '));
  expectScope(line, outputTime, TIMESTAMP);
  expectScope(line, 'Notice', SEVERITY_SCOPE.notice, 0);
  expectScope(line, 'A shell was spawned', 'string.quoted.double.json');
  // output_fields: keys are Falco fields, values strings or numbers; evt.time.iso8601 is a time.
  expectScope(line, '"user.loginuid"', FIELD_KEY);
  expectScope(line, '"proc.cmdline"', FIELD_KEY);
  expectScope(line, '"hostname"', 'support.type.property-name.json');
  expectNoScope(line, '"hostname"', FIELD_KEY);
  // 19-digit nanosecond times do not survive JSON.parse: read the digits from the text.
  const nanos = /"evt\.time\.iso8601":(\d+)/.exec(line.text)![1];
  assert.equal(nanos.length, 19);
  expectScope(line, nanos, TIMESTAMP);
  expectScope(line, '"bash -i"', 'string.quoted.double.json');
  expectScopeAfter(line, '"user.loginuid":', '-1', 'constant.numeric.json');
  expectScopeAfter(line, '"proc.tty":', '34816', 'constant.numeric.json');
});

test('corpus JSON alerts (Falco and falcosidekick): every rule and priority scoped', { skip: noCorpus }, async () => {
  let checked = 0;
  for (const file of corpusFiles().filter((f) => /\.jsonl?$/.test(f))) {
    const lines = await tokenize(ALERTS, readFileSync(file, 'utf8'));
    for (const line of lines.filter((l) => l.text.trim().startsWith('{'))) {
      const alert = JSON.parse(line.text) as { rule: string; priority: string; time: string; output_fields?: Record<string, unknown> };
      expectScope(line, JSON.stringify(alert.rule).slice(1, -1), RULE);
      expectScopeAfter(line, '"priority":', alert.priority, SEVERITY_SCOPE[alert.priority.toLowerCase()]);
      expectScope(line, `"${alert.time}"`, TIMESTAMP);
      for (const key of Object.keys(alert.output_fields ?? {})) {
        // Only field-shaped keys: one corpus sample has keys with a trailing blank ("gcp.user ").
        if (/^[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]+)+(\[[^\]]*\])?$/.test(key) && !key.startsWith('evt.time')) expectScope(line, JSON.stringify(key), FIELD_KEY);
      }
      checked++;
    }
  }
  assert.ok(checked >= 6, `${checked} JSON alerts`);
});

test('corpus text alerts: time and priority of every alert line, summaries, syslog prefix', { skip: noCorpus }, async () => {
  let checked = 0;
  for (const file of corpusFiles().filter((f) => f.endsWith('.txt'))) {
    const lines = await tokenize(ALERTS, readFileSync(file, 'utf8'));
    for (const line of lines) {
      const m = /(?:^|: )(\d{2}:\d{2}:\d{2}\.\d{9}): (\w+) /.exec(line.text);
      if (!m) continue;
      expectScope(line, m[1], TIMESTAMP);
      expectScope(line, m[2], SEVERITY_SCOPE[m[2].toLowerCase()]);
      checked++;
    }
  }
  assert.ok(checked >= 8, `${checked} text alerts`);

  const syslog = await tokenize(ALERTS, readFileSync(join(alertsDir, 'falcosecurity__plugins', 'gcpaudit_walkthrough_syslog.txt'), 'utf8'));
  const wrapped = findLine(syslog, 'falco falco: ');
  expectScope(wrapped, wrapped.text.slice(0, 15), TIMESTAMP);
  expectScope(wrapped, 'falco falco:', 'comment.syslog-prefix.falco');
  expectScope(wrapped, 'user_loginuid', KEY);

  const summary = await tokenize(ALERTS, readFileSync(join(alertsDir, 'falcosecurity__plugins', 'k8saudit_README_console.txt'), 'utf8'));
  expectScope(findLine(summary, '   WARNING: 1'), 'WARNING', SEVERITY_SCOPE.warning);
  const ruleCount = findLine(summary, '   Create Privileged Pod: 1');
  expectScope(ruleCount, 'Create Privileged Pod', RULE);
  expectScope(ruleCount, '1', 'constant.numeric.falco');
  // The list of rule names ends with the summary's next heading.
  expectNoScope(findLine(summary, 'Syscall event drop monitoring:'), 'Syscall event drop monitoring', RULE);
  expectNoScope(findLine(summary, 'event drop detected'), 'event drop detected', RULE);
});

test('JSON behind a container-runtime prefix (kubectl logs / CRI files)', { skip: noCorpus }, async () => {
  const json = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').trim();
  const alert = JSON.parse(json) as { rule: string; priority: string };
  const lines: TokenizedLine[] = await tokenize(ALERTS, `2026-03-02T09:12:51.500021876Z stdout F ${json}`);
  expectScope(lines[0], '2026-03-02T09:12:51.500021876Z', TIMESTAMP);
  expectScope(lines[0], 'stdout F', 'comment.runtime-prefix.falco');
  expectScope(lines[0], alert.rule, RULE);
  expectScope(lines[0], '"proc.aname[2]"', FIELD_KEY);
  expectScope(lines[0], '"evt.time"', 'support.type.property-name.json');
});

// Session 18: `kubectl logs --timestamps` and `docker logs --timestamps` put the runtime's RFC 3339 time and a blank
// before each line Falco wrote (alerts/parse.ts TIMESTAMP_PREFIX); the prefix had no colour, nor the text alert's own
// time and priority after it (alert-head starts a line or follows ': ').
test('a kubectl/docker --timestamps prefix: its time, then the text alert\'s time and priority, or the JSON alert', { skip: noCorpus }, async () => {
  const text = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'k8saudit_README_console.txt'), 'utf8').split('\n').find((l) => /^\d{2}:\d{2}:\d{2}\.\d{9}: \w+ /.test(l))!;
  const [, time, priority] = /^(\S+): (\w+) /.exec(text)!;
  for (const stamp of ['2026-03-02T09:12:51.500021876Z', '2026-03-02T10:12:51.500021876+01:00']) {
    const [line] = await tokenize(ALERTS, `${stamp} ${text}`);
    expectScope(line, stamp, TIMESTAMP);
    expectWholeToken(line, stamp);
    expectScope(line, time, TIMESTAMP);
    expectWholeToken(line, time);
    expectScope(line, priority, SEVERITY_SCOPE[priority.toLowerCase()]);
  }
  const json = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').trim();
  const [jsonLine] = await tokenize(ALERTS, `2026-03-02T09:12:51.500021876Z ${json}`);
  expectScope(jsonLine, '2026-03-02T09:12:51.500021876Z', TIMESTAMP);
  expectScope(jsonLine, (JSON.parse(json) as { rule: string }).rule, RULE);
  // Not a --timestamps prefix: an ISO time followed by a word (rsyslog's host) or by the runtime's stream.
  const [other] = await tokenize(ALERTS, '2026-03-02T09:12:51.500021876Z worker-1 something happened');
  expectNoScope(other, '2026-03-02T09:12:51.500021876Z', TIMESTAMP);
});

// Session 22: `kubectl logs --prefix` (`[pod/<pod>/<container>] `) and `docker compose logs` (`<container> | `) put a
// prefix before each line, with --timestamps the runtime's time after it (alerts/parse.ts KUBECTL_PREFIX,
// COMPOSE_PREFIX): the prefix is a comment, then the text alert's time and priority, or the JSON alert.
test('a kubectl --prefix or docker compose prefix: then the text alert\'s time and priority, or the JSON alert', { skip: noCorpus }, async () => {
  const text = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'k8saudit_README_console.txt'), 'utf8').split('\n').find((l) => /^\d{2}:\d{2}:\d{2}\.\d{9}: \w+ /.test(l))!;
  const [, time, priority] = /^(\S+): (\w+) /.exec(text)!;
  for (const prefix of ['[pod/falco-7xk2p/falco]', 'falco-1  |']) {
    for (const stamp of ['', '2026-03-02T09:12:51.500021876Z ']) {
      const [line] = await tokenize(ALERTS, `${prefix} ${stamp}${text}`);
      expectScope(line, prefix, 'comment.log-prefix.falco');
      if (stamp) expectScope(line, stamp.trim(), TIMESTAMP);
      expectScope(line, time, TIMESTAMP);
      expectScope(line, priority, SEVERITY_SCOPE[priority.toLowerCase()]);
    }
  }
  const json = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').trim();
  const [jsonLine] = await tokenize(ALERTS, `[pod/falco-7xk2p/falco] ${json}`);
  expectScope(jsonLine, '[pod/falco-7xk2p/falco]', 'comment.log-prefix.falco');
  expectScope(jsonLine, (JSON.parse(json) as { rule: string }).rule, RULE);
  const [other] = await tokenize(ALERTS, 'falco-1  | Falco version: 0.41.0');
  expectNoScope(other, 'falco-1', 'comment.log-prefix.falco');
});

// Session 23: stern's prefix (`[<namespace> ]<pod> <container> `, alerts/parse.ts STERN_PREFIX) and the time its
// --timestamps puts after it (RFC 3339 as kubectl's, or `01-02 15:04:05` with --timestamps=short) had no colour, nor
// the text alert's time and priority after them (alert-head starts a line or follows ': ').
test('a stern prefix, with or without its --timestamps time: then the text alert\'s time and priority, or the JSON alert', { skip: noCorpus }, async () => {
  const text = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'k8saudit_README_console.txt'), 'utf8').split('\n').find((l) => /^\d{2}:\d{2}:\d{2}\.\d{9}: \w+ /.test(l))!;
  const [, time, priority] = /^(\S+): (\w+) /.exec(text)!;
  for (const prefix of ['falco-7xk2p falco', 'falco falco-7xk2p falco']) {
    for (const stamp of ['', '2026-03-02T10:12:51.500021876+01:00 ', '2026-03-02T09:12:51.500021876Z ', '03-02 09:12:51 ']) {
      const [line] = await tokenize(ALERTS, `${prefix} ${stamp}${text}`);
      expectScope(line, prefix, 'comment.log-prefix.falco');
      expectWholeToken(line, prefix);
      if (stamp) { expectScope(line, stamp.trim(), TIMESTAMP); expectWholeToken(line, stamp.trim()); }
      expectScope(line, time, TIMESTAMP);
      expectWholeToken(line, time);
      expectScope(line, priority, SEVERITY_SCOPE[priority.toLowerCase()]);
    }
  }
  const json = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').trim();
  const [jsonLine] = await tokenize(ALERTS, `falco-7xk2p falco 03-02 09:12:51 ${json}`);
  expectScope(jsonLine, 'falco-7xk2p falco', 'comment.log-prefix.falco');
  expectScope(jsonLine, '03-02 09:12:51', TIMESTAMP);
  expectScope(jsonLine, (JSON.parse(json) as { rule: string }).rule, RULE);
  // Words before something that is no Falco line are no stern prefix (as the parser reads them).
  for (const other of ['level info msg 14:50:34 started', 'a b c d {"rule":"x"}', 'Falco falco-7xk2p falco {"rule":"x"}']) {
    const [line] = await tokenize(ALERTS, other);
    expectNoScope(line, other.split(' ')[0], 'comment.log-prefix.falco');
  }
});

// Session 24: coloured lines (read by the parser since session 23, alerts/parse.ts withoutColours) had no prefix scope:
// stern --color always writes each name between SGR escapes (fatih/color v1.19.0 color.go wrap), docker compose logs on
// a terminal `name | ` (cmd/formatter/colors.go ansiColor), and journalctl the message in its priority's colour (systemd
// logs-show.c print_multiline), so the text alert's time and priority after the syslog prefix were not coloured either.
test('coloured stern, docker compose and journalctl lines: the prefix, its time, and the alert\'s time and priority', { skip: noCorpus }, async () => {
  const json = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').trim();
  const rule = (JSON.parse(json) as { rule: string }).rule;
  const text = readFileSync(join(alertsDir, 'falcosecurity__plugins', 'k8saudit_README_console.txt'), 'utf8').split('\n').find((l) => /^\d{2}:\d{2}:\d{2}\.\d{9}: \w+ /.test(l))!;
  const [, time, priority] = /^(\S+): (\w+) /.exec(text)!;
  const [stern] = await tokenize(ALERTS, `\x1b[96mfalco-7xk2p\x1b[0m \x1b[36mfalco\x1b[0m ${json.replaceAll('/etc/shadow', '\x1b[31;1m/etc/shadow\x1b[0;22m')}`);
  expectScopeAnywhere(stern, 'falco-7xk2p', 'comment.log-prefix.falco');
  expectScopeAnywhere(stern, '\x1b[36mfalco\x1b[0m', 'comment.log-prefix.falco');
  expectScopeAnywhere(stern, rule, RULE);
  const [sternText] = await tokenize(ALERTS, `\x1b[96mfalco-7xk2p\x1b[0m \x1b[36mfalco\x1b[0m 03-02 09:12:51 ${text}`);
  expectScopeAnywhere(sternText, 'falco-7xk2p', 'comment.log-prefix.falco');
  expectScopeAnywhere(sternText, '03-02 09:12:51', TIMESTAMP);
  expectScopeAnywhere(sternText, time, TIMESTAMP);
  expectScopeAnywhere(sternText, priority, SEVERITY_SCOPE[priority.toLowerCase()]);
  const [compose] = await tokenize(ALERTS, `\x1b[36;1mfalco | \x1b[0m2025-05-07T12:50:34.512345678Z ${json}`);
  expectScopeAnywhere(compose, 'falco |', 'comment.log-prefix.falco');
  expectScopeAnywhere(compose, '2025-05-07T12:50:34.512345678Z', TIMESTAMP);
  expectScopeAnywhere(compose, rule, RULE);
  const [composeText] = await tokenize(ALERTS, `\x1b[36mfalco  | \x1b[0m${text}`);
  expectScopeAnywhere(composeText, 'falco  |', 'comment.log-prefix.falco');
  expectScopeAnywhere(composeText, time, TIMESTAMP);
  expectScopeAnywhere(composeText, priority, SEVERITY_SCOPE[priority.toLowerCase()]);
  for (const colour of ['\x1b[0;1;38;5;185m', '\x1b[0;1;38:5:185m']) {
    const [journal] = await tokenize(ALERTS, `May 07 14:50:34 node-1 falco[812]: ${colour}${text}\x1b[0m`);
    expectScopeAnywhere(journal, 'node-1 falco[812]:', 'comment.syslog-prefix.falco');
    expectScopeAnywhere(journal, time, TIMESTAMP);
    expectScopeAnywhere(journal, priority, SEVERITY_SCOPE[priority.toLowerCase()]);
  }
});
