// Session 23: coloured output is read. Terminal presenters write ANSI escapes around (and inside) the lines they show,
// and keep them when asked to (`stern --color always`, `docker compose logs --ansi always`, a terminal session saved
// with `script`), or when a coloured terminal is copied:
// - stern (cmd.go generateTemplate, v1.34.0) colours the pod and container names through fatih/color v1.19.0
//   (color.go wrap: `\x1b[<attrs>m` text `\x1b[<resets>m`; stern/color.go's first pair, FgHiCyan 96 and FgCyan 36),
//   and its --highlight colours each match inside the Falco line (tail_utils.go colorHighlight, FgRed Bold: `\x1b[31;1m`
//   … `\x1b[0;22m`);
// - docker compose (cmd/formatter/logs.go setPrefix, colors.go ansiColor) colours `name | `: `\x1b[36m` … `\x1b[0m`,
//   the intense ones `\x1b[36;1m`;
// - journalctl (systemd logs-show.c print_multiline, get_log_colors) colours the message by its syslog priority, which
//   for Falco's syslog output is the rule's: a warning `\x1b[0;1;38;5;185m` … `\x1b[0m`, an error `\x1b[0;1;31m`;
// - GNU grep --color writes `\x1b[01;31m\x1b[K` … `\x1b[m\x1b[K` around each match (grep.c sgr_start, sgr_end).
// Such lines were read as no alert (or a text alert with escapes in its values). They are read without the escapes,
// with every range placed exactly on the document's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createAlertsService } from '../../server/src/service/alerts';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import { codeSpan, escapeMarkdown } from '../../server/src/service/markdown';
import { MemorySource } from '../helpers/memorySource';
import { CORPUS, STABLE_RULES, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

const TEXT = '14:50:34.502309868: Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow gparent=sudo ggparent=zsh '
  + 'gggparent=kitty evt_type=openat user=root user_uid=0 user_loginuid=1000 process=cat proc_exepath=/usr/bin/cat parent=sudo command=cat /etc/shadow '
  + 'terminal=34820 container_id=host container_name=host)';

function service() {
  const host = new TestHost();
  host.config = { ...host.config, alerts: { problems: 'debug', maxProblems: 500 } };
  return createAlertsService(host, fakeRules(ruleSummaries(STABLE_RULES)));
}

/** The range of `needle`'s first occurrence after `from` in a line. */
function at(line: number, text: string, needle: string, from = 0): Range {
  const start = text.indexOf(needle, from);
  assert.ok(start >= 0, needle);
  return { start: { line, character: start }, end: { line, character: start + needle.length } };
}

test('coloured lines of stern, docker compose, journalctl and grep are read, their ranges exact on the document', { skip: !corpusExists && 'corpus absent' }, () => {
  const json = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').trim();
  const lines = [
    // stern --color always -H /etc/shadow: the names coloured, each match of the highlight too.
    `\x1b[96mfalco-7xk2p\x1b[0m \x1b[36mfalco\x1b[0m ${json.replaceAll('/etc/shadow', '\x1b[31;1m/etc/shadow\x1b[0;22m')}`,
    // docker compose logs --ansi always (--timestamps): the prefix coloured.
    `\x1b[36;1mfalco | \x1b[0m2025-05-07T12:50:34.512345678Z ${json}`,
    // journalctl: the message in the colour of its priority.
    `May 07 14:50:34 node-1 falco[812]: \x1b[0;1;38;5;185m${TEXT}\x1b[0m`,
    // grep --color=always shadow, over a text log.
    TEXT.replaceAll('shadow', '\x1b[01;31m\x1b[Kshadow\x1b[m\x1b[K'),
    // journalctl of a newer systemd (colon sub-parameters), a priority word cut short: the problem is placed exactly.
    `May 07 14:50:34 node-1 falco[812]: \x1b[0;1;38:5:185m${TEXT.replace('Warning', 'Warnin')}\x1b[0m`,
  ];
  const s = service();
  const doc = alertDoc('coloured.log', `${lines.join('\n')}\n`);
  const diagnostics = s.diagnostics(doc);
  const alerts = diagnostics.filter((d) => d.code === 'falco-alert');
  assert.deepEqual(alerts.map((d) => `${d.range.start.line} ${d.message}`), [
    '0 Warning: Read sensitive file untrusted', '1 Warning: Read sensitive file untrusted',
    '2 Warning: Read sensitive file untrusted',
    '3 Warning: Read sensitive file untrusted',
  ]);
  assert.deepEqual(alerts[0].range, at(0, lines[0], '"Read sensitive file untrusted"'));
  // A text alert's range runs to the end of its output: before the escape that closes the colour.
  assert.deepEqual(alerts[2].range, { start: at(2, lines[2], 'Warning').start, end: { line: 2, character: lines[2].length - '\x1b[0m'.length } });
  const unknown = diagnostics.find((d) => d.code === 'unknown-priority');
  assert.deepEqual(unknown?.range, at(4, lines[4], 'Warnin'));

  const hover = (line: number, needle: string, from = 0) => s.hover!(doc, { line, character: lines[line].indexOf(needle, from) + 1 });
  const text = (h: ReturnType<typeof hover>) => (h?.contents as { value: string } | undefined)?.value ?? '';
  // The wrappers: their hover, over the names' text, the range ending before the escape that follows the prefix.
  const stern = hover(0, 'falco-7xk2p');
  assert.equal(text(stern), '**stern prefix**: pod `falco-7xk2p`, container `falco`, added by stern, not by Falco; the Falco line follows it.');
  assert.deepEqual(stern?.range, { start: { line: 0, character: '\x1b[96m'.length }, end: { line: 0, character: lines[0].indexOf('{') } });
  const compose = hover(1, 'falco');
  assert.match(text(compose), /^\*\*docker compose logs prefix\*\*: container `falco`/);
  assert.match(text(compose), /`2025-05-07T12:50:34\.512345678Z` \(--timestamps, UTC\)/);
  assert.deepEqual(compose?.range, { start: { line: 1, character: '\x1b[36;1m'.length }, end: { line: 1, character: lines[1].indexOf('2025-') + '2025-05-07T12:50:34.512345678Z '.length } });
  // A value coloured inside a JSON string: read as its text, the range the whole string with the escapes in it.
  const field = hover(0, '/etc/shadow', lines[0].indexOf('"fd.name"'));
  assert.match(text(field), /^`fd\.name` → field `fd\.name`[\s\S]*Value: `\/etc\/shadow`\n\n\*\*Terminal escapes\*\* stand inside this value/);
  const valueStart = lines[0].indexOf('"', lines[0].indexOf('"fd.name"') + '"fd.name":'.length);
  assert.deepEqual(field?.range, { start: { line: 0, character: valueStart }, end: { line: 0, character: lines[0].indexOf('",', valueStart) + 1 } });
  // A text value cut by grep's escapes: `file=/etc/shadow`, the range ending right after `shadow`.
  const file = hover(3, '/etc/');
  assert.match(text(file), /^`file` → field `fd\.name`.*`\/etc\/shadow`/s);
  const valueEnd = lines[3].indexOf('shadow') + 'shadow'.length;
  assert.deepEqual(file?.range, { start: { line: 3, character: lines[3].indexOf('/etc/') }, end: { line: 3, character: valueEnd } });
  // Escapes inside a value are said in its hover (a highlight, or the program's own text: the line cannot tell).
  assert.match(text(file), /\*\*Terminal escapes\*\* stand inside this value in the line/);
  assert.doesNotMatch(text(hover(3, 'root')), /Terminal escapes/);
  assert.doesNotMatch(text(hover(2, '/etc/')), /Terminal escapes/);
  // The time of journalctl's coloured text alert.
  assert.match(text(hover(2, '14:50:34.502309868')), /14:50:34\.502309868/);
  for (const l of [0, 1, 2, 3]) for (const needle of ['Warning', 'shadow', 'cat']) assert.doesNotMatch(text(hover(l, needle)), /\x1b/, `${l} ${needle}`);

  // The report reads them too, without a trace of the escapes.
  const report = s.report(doc, doc.uri);
  assert.match(report, /^5 alerts from `coloured\.log`/m);
  assert.doesNotMatch(report, /\x1b/);
});

test('an escape alone is no alert; an edit of a coloured line reads it again, its ranges exact', () => {
  const host = new TestHost();
  host.config = { ...host.config, alerts: { problems: 'debug', maxProblems: 500 } };
  const s = createAlertsService(host, fakeRules([]));
  const one = `\x1b[36mfalco  | \x1b[0m${TEXT}`;
  const doc = alertDoc('compose.log', `\x1b[0m\n${one}\n`);
  const alerts = s.diagnostics(doc).filter((d) => d.code === 'falco-alert');
  assert.deepEqual(alerts.map((d) => d.range), [{ start: at(1, one, 'Warning').start, end: { line: 1, character: one.length } }]);
  assert.deepEqual(s.index(doc).roles.map((r) => r.kind).slice(0, 2), ['blank', 'alert']);
  // Another container's name, one character shorter: the escapes stay, the text after them moves.
  const change = { range: { start: { line: 1, character: 5 }, end: { line: 1, character: 10 } }, text: 'web' };
  const edited = TextDocument.update(doc, [change], 2);
  s.didOpenOrChange!(edited, [change]);
  const moved = edited.getText().split('\n')[1];
  assert.deepEqual(s.diagnostics(edited).filter((d) => d.code === 'falco-alert').map((d) => d.range), [{ start: at(1, moved, 'Warning').start, end: { line: 1, character: moved.length } }]);
  assert.match((s.hover!(edited, { line: 1, character: 6 })?.contents as { value: string }).value, /^\*\*docker compose logs prefix\*\*: container `web`/);
});

test('the Alert Explorer reads coloured lines as alerts, its summaries without escapes', () => {
  const lines = [`\x1b[96mfalco-7xk2p\x1b[0m \x1b[36mfalco\x1b[0m ${TEXT.replaceAll('shadow', '\x1b[31;1mshadow\x1b[0;22m')}`, `\x1b[36mfalco  | \x1b[0m${TEXT}`];
  const store = new AlertStore(new MemorySource(`${lines.join('\n')}\n`));
  while (!store.indexMore()) { /* the end */ }
  const group = store.groups('rule').groups.find((g) => g.key === 'Sensitive file opened for reading by non-trusted program');
  assert.deepEqual([group?.count, group?.distinct], [2, 1]);
  const items = store.alerts('rule', group!.key, undefined, false, 0, 10).items;
  assert.equal(items.length, 2);
  for (const item of items) assert.doesNotMatch(item.summary, /\x1b/);
});

test('control characters in a value are shown as text in Markdown, never handed to the renderer', () => {
  assert.equal(codeSpan('printf \x1b[31mred\x1b[0m\u009b2J'), '`printf \\u001B[31mred\\u001B[0m\\u009B2J`');
  assert.equal(escapeMarkdown('a\x07b\tc'), 'a\\\\u0007b\tc');
});
