// Hardening, security review: every path by which alert or rules-file text reaches Markdown (hovers, reports,
// playbooks, code-action titles), YAML (generated exceptions and overrides) or a shell (investigation and mitigation
// commands) is fed hostile values — links to commands, HTML, long backtick runs, `$(…)`, `|`, newlines, `---`, `: `,
// `#`, leading dashes — and must stay inert: escaped Markdown, YAML that reads back the same value, one shell word
// that is never an option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import type { CodeAction, WorkspaceEdit } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { createAlertsService } from '../../server/src/service/alerts';
import { allPlaybooks } from '../../server/src/knowledge';
import { fillShellPlaceholders, placeholdersIn, shellQuote } from '../../server/src/knowledge/placeholders';
import { codeBlock, codeSpan, escapeMarkdown, plainTitle } from '../../server/src/service/markdown';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, applyEdits, rulesDoc } from './rules-host';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';
import { HOSTILE_VALUES, lspLines } from '../fixtures/hardening/random';
import { activeMarkdown } from '../fixtures/hardening/markdown';

const EXTRA_HOSTILE = ['-d', '--delete', '-', "'", "a'b", '\\', '`', '`'.repeat(7), '| rm -rf ~', '; reboot', '&& id', '\t', ' leading', 'trailing ', '', '\u00a0', '\u202Eevil'];
const ALL_HOSTILE = [...HOSTILE_VALUES, ...EXTRA_HOSTILE];

test('markdown helpers: code spans, code blocks and escaped text stay inert for hostile values', () => {
  for (const v of ALL_HOSTILE) {
    assert.deepEqual(activeMarkdown(`x ${codeSpan(v)} y`), [], `codeSpan(${JSON.stringify(v)})`);
    assert.deepEqual(activeMarkdown(`x\n\n${codeBlock(v, 'sh')}\n\ny`), [], `codeBlock(${JSON.stringify(v)})`);
    assert.deepEqual(activeMarkdown(`x ${escapeMarkdown(v)} y`), [], `escapeMarkdown(${JSON.stringify(v)})`);
    assert.ok(!/[\u0000-\u001f\u007f]/.test(plainTitle(v)), `plainTitle(${JSON.stringify(v)})`);
  }
});

test('shell: a quoted value is one word that bash reads back verbatim', { skip: spawnSync('bash', ['-c', 'true']).status !== 0 && 'bash absent' }, () => {
  for (const v of ALL_HOSTILE) {
    const out = spawnSync('bash', ['-c', `printf '%s' ${shellQuote(v)}`], { encoding: 'utf8' });
    assert.equal(out.stdout, v, `shellQuote(${JSON.stringify(v)})`);
  }
});

test('shell: every playbook command filled with hostile values keeps each value one quoted word and never an option', () => {
  let filled = 0;
  for (const playbook of allPlaybooks()) {
    const commands = [...playbook.investigate, ...playbook.mitigations.flatMap((m) => m.commands ?? [])];
    for (const c of commands) {
      if (placeholdersIn(c.command).fields.length === 0) continue;
      for (const v of ALL_HOSTILE) {
        const { text, missing } = fillShellPlaceholders(c.command, () => v);
        if (missing.length === 0) filled++;
        // Wherever a value went in, it is the quoted form, and a value starting with '-' never goes in.
        if (v.startsWith('-')) assert.deepEqual(text, c.command, `${playbook.rule}: ${JSON.stringify(v)} filled into ${c.command}`);
        else if (missing.length === 0) assert.ok(text.includes(shellQuote(v)), `${playbook.rule}: ${c.command}`);
      }
    }
  }
  assert.ok(filled > 100, 'commands were filled');
});

test('alerts: a user named "-d" is not filled into "passwd -l <user.name>" in reports or copied scripts', () => {
  const service = createAlertsService(new TestHost(), fakeRules([]));
  const alert = (user: string) => JSON.stringify({
    hostname: 'h', output: `12:00:00.000000000: Notice System user interactive | user=${user}`, priority: 'Notice', rule: 'System user interactive',
    source: 'syscall', tags: [], time: '2026-01-02T12:00:00.000000000Z', output_fields: { 'user.name': user, 'proc.pid': 42, 'proc.name': 'sh' },
  });
  for (const user of ['-d', '--delete', '-e']) {
    const text = `${alert(user)}\n`;
    const report = service.report(text, 'file:///logs/falco.log');
    assert.ok(report.includes('passwd'), 'the playbook mitigation is in the report');
    assert.ok(!new RegExp(`(passwd|usermod|crontab|sudo)[^\\n]* ${user.replace(/-/g, '\\-')}(\\s|$)`, 'm').test(report), `report fills ${user} into a command`);
    const doc = alertDoc('falco.log', text);
    for (const a of service.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] })) {
      for (const arg of a.command?.arguments ?? []) if (typeof arg === 'string') assert.ok(!arg.includes(` ${user}\n`) && !arg.endsWith(` ${user}`), `${a.title} fills ${user}`);
    }
  }
});

/** The YAML items of a text (every document), as plain objects. */
function yamlItems(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const doc of parseAllDocuments(text)) {
    assert.deepEqual(doc.errors.map((e) => e.message), [], `generated YAML parses:\n${text}`);
    const v = doc.toJS() as unknown;
    if (Array.isArray(v)) out.push(...(v as Record<string, unknown>[]));
  }
  return out;
}

function editedText(action: CodeAction, uri: string, before: string): string {
  const edit = action.edit as WorkspaceEdit;
  const edits = edit.changes?.[uri] ?? edit.documentChanges?.flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits : [])) ?? [];
  return applyEdits(before, edits as never);
}

test('YAML: exceptions and disables generated from hostile alerts read back the same rule and values, and add one item', () => {
  const local = '/ws/falco_rules.local.yaml';
  const host = new TestHost(['/ws']);
  const existing = '- macro: keep_me\n  condition: proc.name = a\n';
  host.files.set(local, existing);
  const names = [...HOSTILE_VALUES, 'Rule: with colon # and hash', '---', '- rule: x', 'a\nb'];
  for (const rule of names) {
    const service = createAlertsService(host, fakeRules([{ name: rule, source: 'syscall', tags: [], enabled: true }]));
    const json = JSON.stringify({
      hostname: 'h', output: '12:00:00.000000000: Warning x', priority: 'Warning', rule, source: 'syscall', tags: [], time: '2026-01-02T12:00:00.000000000Z',
      output_fields: { 'proc.name': 'sh', 'proc.pname': 'bash', 'fd.name': '/tmp/a: b # c', 'container.id': 'host' },
    });
    const doc = alertDoc('falco.log', `${json}\n`);
    const actions = service.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).filter((a) => a.edit);
    assert.ok(actions.length >= 2, `exception and disable offered for ${JSON.stringify(rule)}`);
    for (const a of actions) {
      assert.ok(!/[\r\n]/.test(a.title), `title ${JSON.stringify(a.title)}`);
      const after = editedText(a, pathToUri(local), existing);
      const items = yamlItems(after);
      assert.equal(items.length, 2, `one item added by ${a.title}:\n${after}`);
      assert.equal(items[1]!.rule, rule, 'the rule name reads back verbatim');
      const exceptions = items[1]!.exceptions as { values: string[][] }[] | undefined;
      if (exceptions) for (const row of exceptions[0]!.values) for (const v of row) assert.ok(['sh', 'bash', '/tmp/a: b # c'].includes(v), `value ${v}`);
    }
  }
});

test('rules files: hostile names, descriptions and items render inert in hovers, titles and generated overrides', () => {
  const quoted = (v: string) => JSON.stringify(v);
  const ruleName = 'Evil [x](command:falcoLens.evil) <img src=x onerror=alert(1)> ```` $(id) | a: b # c';
  const text = [
    `- list: ${quoted('evil_list')}`,
    `  items: [${quoted('[y](command:falcoLens.evil)')}, ${quoted('<script>x</script>')}, ${quoted('$(id)')}]`,
    `- macro: evil_macro`,
    `  condition: proc.name in (evil_list) and proc.cmdline contains ${quoted('<img src=x>')}`,
    `- rule: ${quoted(ruleName)}`,
    `  desc: ${quoted('Desc [z](command:falcoLens.evil) <b>bold</b> ```` $(id)\n---\n- rule: injected')}`,
    `  condition: evil_macro and fd.name = ${quoted('`````')}`,
    `  output: ${quoted('Evil %proc.name [w](command:falcoLens.evil) <img src=y>')}`,
    `  priority: WARNING`,
    `  tags: [${quoted('<img src=z>')}, ${quoted('[t](command:x)')}]`,
    '',
  ].join('\n');
  const file = '/ws/falco_rules.yaml';
  const host = new MemoryHost({ [file]: text }, { folders: ['/ws'] });
  const service = createRulesService(host);
  const doc = rulesDoc(file, text);
  service.didOpenOrChange!(doc);
  const lines = lspLines(text);
  let hovers = 0;
  for (let line = 0; line < lines.length; line++) {
    for (let character = 0; character <= lines[line]!.length; character++) {
      const h = service.hover!(doc, { line, character });
      if (!h) continue;
      hovers++;
      const value = (h.contents as { value: string }).value;
      assert.deepEqual(activeMarkdown(value), [], `hover at ${line}:${character}`);
    }
  }
  assert.ok(hovers > 20, 'hovers answered');
  for (const d of service.diagnostics(doc)) assert.ok(typeof d.message === 'string' && d.message.length > 0, 'diagnostic messages are plain text');
  const at = doc.positionAt(text.indexOf('Evil ['));
  const actions = service.codeActions!(doc, { start: at, end: at }, { diagnostics: [], only: ['source'] });
  assert.ok(actions.length >= 2, 'exception and disable source actions');
  for (const a of actions) {
    assert.ok(!/[\r\n\u0000-\u001f]/.test(a.title), `title ${JSON.stringify(a.title)}`);
    const after = editedText(a, doc.uri, text);
    const items = yamlItems(after);
    assert.equal(items.length, 4, `one item added by ${a.title}`);
    assert.equal(items[3]!.rule, ruleName, 'the rule name reads back verbatim');
  }
});

test('no Markdown is ever trusted, no HTML is enabled, and no command link is built in the server or the client', () => {
  const roots = ['server/src', 'client/src'].map((r) => path.join(process.cwd(), r));
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) { walk(p); continue; }
      if (!/\.ts$/.test(name)) continue;
      fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
        if (/isTrusted\s*[:=]\s*(true|\{)|supportHtml\s*[:=]\s*true|\]\(command:|['"`]command:/.test(line)) offenders.push(`${path.relative(process.cwd(), p)}:${i + 1}: ${line.trim()}`);
      });
    }
  };
  roots.forEach(walk);
  assert.deepEqual(offenders, []);
});
