// Session 24 audit: every tuning quick fix offered on the corpus's alerts (PROVENANCE.md), at every target release,
// applied to a real local rules file, gives a file that the rules service checks clean at that release, and is not
// offered again once applied (applying it again would change nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { FALCO_TARGETS } from '../../server/src/knowledge/falcoVersions';
import { CORPUS, TestHost, alertDoc, corpusExists } from '../fixtures/alerts/helpers';

class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}

const RULES = path.join(CORPUS, 'rules');
/** The official rules a release bundles (falco-rules 3.0.0 with 0.37, 5.0.0 with 0.42 and 0.43), the newest otherwise,
 *  and the plugins' rules files. */
function rulesFilesAt(target: string): string[] {
  const tag = target === '0.37' ? 'tags/falco-rules-3.0.0/' : target === '0.42' || target === '0.43' ? 'tags/falco-rules-5.0.0/' : '';
  return [
    path.join(RULES, 'falcosecurity__rules', `${tag}falco_rules.yaml`),
    ...['k8saudit/k8s_audit_rules.yaml', 'cloudtrail/aws_cloudtrail_rules.yaml', 'gcpaudit/gcp_auditlog_rules.yaml', 'okta/okta_rules.yaml', 'github/github.yaml']
      .map((f) => path.join(RULES, 'falcosecurity__plugins', f)),
  ];
}

const LOCAL = '/work/ws/falco_rules.local.yaml';
/** A local rules file as a user keeps one: a list and a macro of their own. */
const LOCAL_TEXT = '# Site tuning\n- list: site_backup_tools\n  items: [restic, borg]\n\n- macro: site_backup\n  condition: (proc.name in (site_backup_tools))\n';

function alertFiles(): string[] {
  const dir = path.join(CORPUS, 'alerts');
  return fs.readdirSync(dir).flatMap((d) => fs.readdirSync(path.join(dir, d)).map((f) => path.join(dir, d, f))).sort();
}

function localEdit(action: CodeAction): TextDocumentEdit | undefined {
  return action.edit?.documentChanges?.find((c): c is TextDocumentEdit => 'edits' in c && c.textDocument.uri === pathToUri(LOCAL));
}

const problemsOf = (rules: ReturnType<typeof createRulesService>, text: string) =>
  rules.validateText(pathToUri(LOCAL), text).filter((d) => (d.severity ?? DiagnosticSeverity.Error) <= DiagnosticSeverity.Warning).map((d) => `${d.range.start.line + 1}: ${String(d.message)}`);

test('every tuning quick fix on the corpus alerts loads clean at every target and is offered once', { skip: !corpusExists && 'corpus absent' }, () => {
  let applied = 0;
  const failures: string[] = [];
  const titles = new Set<string>();
  for (const target of FALCO_TARGETS) {
    const host = new DiskHost();
    host.config = { ...host.config, falcoVersion: target, rules: { ...host.config.rules, files: rulesFilesAt(target) } };
    host.files.set(LOCAL, LOCAL_TEXT);
    const rules = createRulesService(host);
    const alerts = createAlertsService(host, rules);
    const baseline = new Set(problemsOf(rules, LOCAL_TEXT));
    for (const file of alertFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const name = path.basename(file);
      const doc = alertDoc(name.endsWith('.json') || name.endsWith('.jsonl') ? name.replace(/\.jsonl?$/, '.json') : `${name}.log`, text);
      alerts.didOpenOrChange?.(doc);
      text.split('\n').forEach((_, line) => {
        const actions = alerts.codeActions!(doc, { start: { line, character: 0 }, end: { line, character: 0 } }, { diagnostics: [] });
        for (const action of actions) {
          const change = localEdit(action);
          if (!change) continue;
          const after = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, LOCAL_TEXT), change.edits as TextEdit[]);
          applied++;
          const where = `${target} ${name}:${line + 1} ${action.title}`;
          if (!after.startsWith(LOCAL_TEXT.trimEnd())) failures.push(`${where}: the file's own text changed`);
          const added = problemsOf(rules, after).filter((p) => !baseline.has(p));
          // A rule Falco Lens has not loaded is still offered, titled so: Falco refuses the override unless a file it
          // loads earlier defines the rule, which is the one finding allowed then.
          const expected = action.title.includes('rule not loaded') ? added.filter((p) => !/overrides a rule that no file loaded before defines/.test(p)) : added;
          if (expected.length) failures.push(`${where}: ${expected.join(' | ')}`);
          titles.add(`${name}: ${action.title.replace(/ to falco_rules\.local\.yaml.*$/, '')}`);
          host.files.set(LOCAL, after);
          const again = alerts.codeActions!(doc, { start: { line, character: 0 }, end: { line, character: 0 } }, { diagnostics: [] });
          if (again.some((a) => a.title === action.title && localEdit(a))) failures.push(`${where}: offered again once applied`);
          host.files.set(LOCAL, LOCAL_TEXT);
        }
      });
    }
  }
  if (process.env.FALCO_LENS_AUDIT_TITLES) console.log([...titles].join('\n'));
  assert.ok(applied > 0);
  assert.deepEqual(failures, []);
});

/**
 * Alerts of the rules the event-generator suite fires (corpus evtgen_suite: each test's rule and the outputFields Falco
 * gives it, its first case's values), over the fields of the corpus's Falco alert (collector_README_example_payload:
 * the process, its user, the host), with a parent of its own or cron, so that every exception shape is written.
 */
function evtgenAlerts(): { name: string; text: string }[] {
  const base = JSON.parse(fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8')) as { output_fields: Record<string, unknown> };
  const dir = path.join(CORPUS, 'evtgen_suite', 'falcosecurity__falco');
  const out: { name: string; text: string }[] = [];
  const seen = new Set<string>();
  for (const file of fs.readdirSync(dir).sort()) {
    // Two files hold an unquoted `%{ item.runIf }` that only the suite's templating makes YAML.
    const doc = parseYaml(fs.readFileSync(path.join(dir, file), 'utf8').replace(/: %\{ item\.runIf \}/g, ': {}')) as { tests?: { rule: string; expectedOutcome?: { outputFields?: Record<string, unknown> }; cases?: { values?: Record<string, unknown> }[] }[] };
    for (const t of doc.tests ?? []) {
      // One alert per rule and set of fields (a rule's tests differ in the system call made, not in what is written).
      const key = `${t.rule} ${Object.keys(t.expectedOutcome?.outputFields ?? {}).join(' ')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const values = t.cases?.[0]?.values ?? {};
      const first = (key: string) => { const v = values[key]; return String(Array.isArray(v) ? v[0] : v); };
      const fields = Object.fromEntries(Object.entries(t.expectedOutcome?.outputFields ?? {}).map(([k, v]) => [k, String(v).replace(/%\{ item\.(\w+) \}/g, (_, key: string) => first(key))]));
      const places: Record<string, unknown>[] = [{ 'proc.pname': 'backup-agent' }, { 'proc.pname': 'cron', 'proc.cmdline': 'cat /etc/shadow' },
        { 'proc.pname': 'runc', 'container.id': '3f2a9c1d7e4b', 'container.name': 'web', 'container.image.repository': 'docker.io/library/nginx' }];
      for (const place of places) {
        const output_fields = { ...base.output_fields, ...place, ...fields };
        out.push({
          name: `${file.replace(/\.yaml$/, '')}-${String(place['proc.pname'])}.json`,
          text: `${JSON.stringify({ hostname: 'x86', output: `14:50:34.502309868: Warning ${t.rule}`, output_fields, priority: 'Warning', rule: t.rule, source: 'syscall', tags: [], time: '2025-05-07T12:50:34.502309868Z' })}\n`,
        });
      }
    }
  }
  return out;
}

/** The text Falco appends for each exception of the file's rule items, `not (f1 = v1 and f2 = v2)`, a value with a blank
 *  in double quotes unless it starts with one (rule_loader_compiler.cpp build_rule_exception_infos, quote_item): for
 *  the filter oracle (FALCO_LENS_AUDIT_CONDITIONS=<file>, then /work/shared/tools/filter-oracle --jsonl < file). */
function exceptionConditions(text: string): string[] {
  const items = parseYaml(text) as { exceptions?: { fields: string[]; comps?: string[]; values: string[][] }[] }[];
  const quote = (v: string) => (v.includes(' ') && !v.startsWith('"') ? `"${v}"` : v);
  return items.flatMap((i) => i.exceptions ?? []).map((e) => `not (${e.values.map((row) => `(${e.fields.map((f, k) => `${f} ${e.comps?.[k] ?? '='} ${quote(row[k])}`).join(' and ')})`).join(' or ')})`);
}

test('every tuning quick fix on the evtgen suite\'s rules, over the corpus alert\'s fields, loads clean at every target and is offered once', { skip: !corpusExists && 'corpus absent' }, () => {
  const failures: string[] = [];
  const shapes = new Set<string>();
  const conditions: string[] = [];
  const alertsOf = evtgenAlerts();
  for (const target of FALCO_TARGETS) {
    const host = new DiskHost();
    host.config = { ...host.config, falcoVersion: target, rules: { ...host.config.rules, files: rulesFilesAt(target) } };
    host.files.set(LOCAL, LOCAL_TEXT);
    const rules = createRulesService(host);
    const alerts = createAlertsService(host, rules);
    const baseline = new Set(problemsOf(rules, LOCAL_TEXT));
    const audited = new Set<string>();
    for (const { name, text } of alertsOf) {
      const doc = alertDoc(name, text);
      const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      for (const action of alerts.codeActions!(doc, at, { diagnostics: [] })) {
        const change = localEdit(action);
        // The same fix of another alert (disabling the rule, the file and process under another parent) is the same edit.
        if (!change || audited.has(action.title)) continue;
        audited.add(action.title);
        const after = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, LOCAL_TEXT), change.edits as TextEdit[]);
        const where = `${target} ${name} ${action.title}`;
        shapes.add(action.title.replace(/ \(.*$/, ''));
        if (process.env.FALCO_LENS_AUDIT_CONDITIONS) conditions.push(...exceptionConditions(after));
        const added = problemsOf(rules, after).filter((p) => !baseline.has(p));
        const expected = action.title.includes('rule not loaded') ? added.filter((p) => !/overrides a rule that no file loaded before defines/.test(p)) : added;
        if (expected.length) failures.push(`${where}: ${expected.join(' | ')}`);
        host.files.set(LOCAL, after);
        if (alerts.codeActions!(doc, at, { diagnostics: [] }).some((a) => a.title === action.title && localEdit(a))) failures.push(`${where}: offered again once applied`);
        host.files.set(LOCAL, LOCAL_TEXT);
      }
    }
  }
  if (process.env.FALCO_LENS_AUDIT_TITLES) console.log([...shapes].join('\n'));
  if (process.env.FALCO_LENS_AUDIT_CONDITIONS) fs.writeFileSync(process.env.FALCO_LENS_AUDIT_CONDITIONS, [...new Set(conditions)].map((c) => JSON.stringify(c)).join('\n') + '\n');
  assert.deepEqual(failures, []);
});

test('all the exception fixes of an alert applied one after another: each step loads clean, and none is offered again', { skip: !corpusExists && 'corpus absent' }, () => {
  const failures: string[] = [];
  const alertsOf = evtgenAlerts();
  for (const target of ['0.37', '0.44']) {
    const host = new DiskHost();
    host.config = { ...host.config, falcoVersion: target, rules: { ...host.config.rules, files: rulesFilesAt(target) } };
    const rules = createRulesService(host);
    const alerts = createAlertsService(host, rules);
    const baseline = new Set(problemsOf(rules, LOCAL_TEXT));
    for (const { name, text } of alertsOf) {
      const doc = alertDoc(name, text);
      const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      let local = LOCAL_TEXT;
      host.files.set(LOCAL, local);
      const applied: string[] = [];
      for (let step = 0; step < 20; step++) {
        const next = alerts.codeActions!(doc, at, { diagnostics: [] }).find((a) => a.title.startsWith('Add exception') && localEdit(a));
        if (!next) break;
        if (applied.includes(next.title)) { failures.push(`${target} ${name}: offered again: ${next.title}`); break; }
        applied.push(next.title);
        local = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, local), localEdit(next)!.edits as TextEdit[]);
        host.files.set(LOCAL, local);
        const added = problemsOf(rules, local).filter((p) => !baseline.has(p));
        if (added.length) failures.push(`${target} ${name} after ${applied.length}: ${added.join(' | ')}`);
      }
    }
    host.files.set(LOCAL, LOCAL_TEXT);
  }
  assert.deepEqual(failures, []);
});
