// Properties of everything the alerts service writes or shows, over alerts of every official rule (syscall and plugin
// rules: k8s_audit, aws_cloudtrail, gcp_auditlog, okta, github) with seeded
// hostile values: the rules come from the corpus's official files (their output templates name the fields), the
// values from a pool of what breaks YAML, Falco's condition, Markdown and the shell. For each alert:
// - every tuning quick fix inserts text only (nothing the user wrote is changed or lost), the result is YAML that the
//   rules service loads with no error, each exception it adds holds the alert's values exactly as the alert printed
//   them, and asking again offers the same fix no more;
// - hovers on every value and the incident report render hostile values inert;
// - the investigation script keeps the playbook's shell structure: a value is one word, never an operator, a
//   command substitution or a second command (a step that cannot be filled safely is left commented out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, isMap, isSeq } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { COPY_TO_CLIPBOARD_COMMAND } from '../../server/src/protocol';
import { pathToUri } from '../../server/src/service/uri';
import { lookupField } from '../../server/src/knowledge';
import { TestHost, alertDoc, hostileProblems, corpusExists, CORPUS } from '../fixtures/alerts/helpers';
import { prng } from './rules-random-edits';
import { exceptionValueText } from '../../server/src/service/alerts/tuning';

const OFFICIAL = path.join(CORPUS, 'rules', 'falcosecurity__rules');
const PLUGINS = path.join(CORPUS, 'rules', 'falcosecurity__plugins');
const RULE_FILES = [
  ...['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => path.join(OFFICIAL, f)),
  ...['k8saudit/k8s_audit_rules.yaml', 'cloudtrail/aws_cloudtrail_rules.yaml', 'gcpaudit/gcp_auditlog_rules.yaml', 'okta/okta_rules.yaml', 'github/github.yaml'].map((f) => path.join(PLUGINS, f)),
];
const LOCAL = '/work/ws/falco_rules.local.yaml';
/** A local rules file a user already keeps: comments, a list, an exception of their own. */
const USER_LOCAL = [
  '# Site tuning, reviewed by the SOC',
  '- list: site_admin_tools',
  '  items: [ansible, "salt-minion"]   # keep quoted',
  '',
  '- rule: Terminal shell in container',
  '  exceptions:',
  '    - name: site_debug_shells',
  '      fields: [container.image.repository]',
  '      values:',
  '        - [registry.example.com/debug]',
  '  override:',
  '    exceptions: append',
  '',
].join('\n');

class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}

/** Strings that break YAML, Falco's condition (quotes, blanks, parentheses, list syntax), Markdown and the shell. */
const HOSTILE = [
  'a b', 'x: y', '#c', '- z', '"q"', "'s'", 'a,b', '(p)', '[x]', '{y}', '*x', '&a', '!tag', '|', '>', '%x', '@home',
  '`id`', 'yes', 'no', 'null', '~', 'true', '0x10', '1e3', '010', ' lead', 'trail ', 'tab\there', 'new\nline',
  'back\\slash', 'ünï 中文', 'emoji 😀', '<img src=x onerror=alert(1)>', '[x](command:falcoLens.evil)',
  '$(touch /tmp/pwned)', 'a and b or not c', 'in (x)', '=', '${HOME}', ';reboot', 'x|y&z', "it's", '"\'"', 'k\\"q',
  'x'.repeat(300), '-rf', '<b>bold</b>', 'C:\\Windows',
  // Text that a text alert's template has between its values: where does the value end?
  'a parent=b', 'x user=root', 'sh | evt_type=open', 'y command=z', 'p container_id=host', 'n process=cron', 'q)', 'f file=/etc/shadow',
];

/** A value for a field of the rule's template: realistic mostly, hostile often. Numbers stay numbers. */
function valueFor(field: string, random: () => number, format: Format): string | number {
  const info = lookupField(field)?.field;
  const type = info?.type ?? 'charbuf';
  if (/^u?int|^relt|^abst|^errno|^fd$|^pid$|^port$|^mode$|^bool$|^flags/i.test(type)) return Math.floor(random() * 70000);
  // A text alert is one line: Falco writes a value's line break as it is, which starts another line of the log.
  const pool = format === 'text' ? HOSTILE.filter((h) => !h.includes('\n')) : HOSTILE;
  const hostile = pool[Math.floor(random() * pool.length)];
  const r = random();
  if (r < 0.35) return hostile;
  if (field.includes('name') || field.includes('path') || field.includes('exe') || field.includes('dir')) return r < 0.7 ? `/usr/bin/${hostile}` : `/tmp/x${Math.floor(r * 1000)}`;
  return r < 0.7 ? `v ${hostile}` : `value${Math.floor(r * 1000)}`;
}

interface OfficialRule { name: string; output: string; priority: string; source: string }

function officialRules(): OfficialRule[] {
  const rules: OfficialRule[] = [];
  for (const file of RULE_FILES) {
    const doc = parseDocument(fs.readFileSync(file, 'utf8'));
    if (!isSeq(doc.contents)) continue;
    for (const item of doc.contents.items) {
      if (!isMap(item)) continue;
      const json = item.toJSON() as Record<string, unknown>;
      if (typeof json.rule !== 'string' || typeof json.output !== 'string' || json.override || json.append) continue;
      rules.push({ name: json.rule, output: json.output.trim(), priority: String(json.priority ?? 'WARNING'), source: String(json.source ?? 'syscall') });
    }
  }
  return rules;
}

/** The value inside double quotes of Falco's condition, for the escapes the quick fixes write (tuning.ts
 *  CONDITION_ESCAPES: a backslash before \, ", b, f, n, r or t). */
function conditionUnescape(text: string): string {
  const named: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  return text.replace(/\\(.)/gs, (_, c: string) => named[c] ?? c);
}

const TEMPLATE_FIELD = /%([a-z0-9_]+(?:\.[a-z0-9_]+)+(?:\[[^\]\s]*\])?)/g;

type Format = 'json' | 'text';

/** One alert of a rule as Falco writes it, a JSON line or a text line: the template's fields filled with `value`, in
 *  the output and in output_fields alike. */
function alertOf(rule: OfficialRule, value: (field: string) => string | number, format: Format = 'json'): { line: string; fields: Record<string, string | number> } {
  const fields: Record<string, string | number> = {};
  for (const m of rule.output.matchAll(TEMPLATE_FIELD)) if (!(m[1] in fields)) fields[m[1]] = value(m[1]);
  const priority = rule.priority.charAt(0).toUpperCase() + rule.priority.slice(1).toLowerCase();
  const body = rule.output.replace(/\s+/g, ' ').replace(TEMPLATE_FIELD, (_, f: string) => String(fields[f]));
  if (format === 'text') return { line: `10:20:30.123456789: ${priority} ${body}`, fields };
  const line = JSON.stringify({
    hostname: 'node-1', output: `10:20:30.123456789: ${priority} ${body}`, output_fields: { 'evt.time': 1746613230123456789, ...fields },
    priority, rule: rule.name, source: rule.source, tags: [], time: '2025-05-07T10:20:30.123456789Z',
  });
  return { line, fields };
}

/** The edits of a quick fix to the local rules file (a create and one text edit, or the text edit alone). */
function localEdits(action: CodeAction): TextEdit[] {
  const changes = action.edit?.documentChanges ?? [];
  const edits = changes.filter((c): c is TextDocumentEdit => 'edits' in c);
  assert.equal(edits.length, 1, `${action.title}: one file edited`);
  assert.equal(edits[0].textDocument.uri, pathToUri(LOCAL), action.title);
  return edits[0].edits as TextEdit[];
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), edits);
}

/** Tokens of a POSIX shell text as far as its structure goes: words (quoting removed from view), operators, comments
 *  and expansions ($, backquotes outside single quotes). Two scripts with the same kinds in the same order have the
 *  same structure, whatever their words hold. */
function shellStructure(script: string): string[] {
  const out: string[] = [];
  let i = 0;
  let inWord = false;
  const endWord = () => { if (inWord) { out.push('word'); inWord = false; } };
  while (i < script.length) {
    const c = script[i];
    if (c === '\n') { endWord(); out.push('newline'); i++; continue; }
    if (c === ' ' || c === '\t') { endWord(); i++; continue; }
    if (c === '#' && !inWord) { const end = script.indexOf('\n', i); out.push('comment'); i = end < 0 ? script.length : end; continue; }
    if (c === '\\') { inWord = true; i += 2; continue; }
    if (c === "'") { inWord = true; const end = script.indexOf("'", i + 1); assert.ok(end > 0, `unterminated single quote in:\n${script}`); i = end + 1; continue; }
    if (c === '"') {
      inWord = true; i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\') i += 2;
        else { if (script[i] === '$' || script[i] === '`') out.push('expansion'); i++; }
      }
      assert.ok(i < script.length, `unterminated double quote in:\n${script}`);
      i++; continue;
    }
    if (c === '$' || c === '`') { out.push('expansion'); inWord = true; i++; continue; }
    if ('|&;<>()'.includes(c)) { endWord(); out.push(`op ${c}`); i++; continue; }
    inWord = true; i++;
  }
  endWord();
  return out;
}

function checkEveryRule(format: Format, seed: number) {
  const rules = officialRules();
  assert.ok(rules.length >= 90, `the official files have their rules (${rules.length})`);
  const random = prng(seed);
  let fixesChecked = 0;
  let scriptsChecked = 0;
  let hovers = 0;
  // One workspace per starting local file, as an editor keeps it: the local file is read again at each request.
  const workspaces = ['', USER_LOCAL].map((local) => {
    const host = new DiskHost();
    host.config = { ...host.config, rules: { ...host.config.rules, files: RULE_FILES } };
    if (local) host.files.set(LOCAL, local);
    const service = createRulesService(host);
    return { local, host, service, alerts: createAlertsService(host, service) };
  });
  for (const [n, rule] of rules.entries()) {
    for (const { local, host, service, alerts } of workspaces) {
      const { line, fields } = alertOf(rule, (f) => valueFor(f, random, format), format);
      const name = `r${n}.${format === 'json' ? 'json' : 'log'}`;
      const doc = alertDoc(name, `${line}\n`);
      const where = `${rule.name} (${line.slice(0, 400)})`;

      alerts.diagnostics(doc);
      // Hovers along the whole line (every value, key and the output's words): hostile text inert.
      for (let at = 0; at < line.length; at += 7) {
        const hover = alerts.hover!(doc, { line: 0, character: at });
        const markdown = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
        assert.deepEqual(hostileProblems(markdown), [], `hover at ${at} of ${where}`);
        if (hover) hovers++;
      }
      assert.deepEqual(hostileProblems(alerts.report(doc, doc.uri)), [], `report of ${where}`);

      const actions = alerts.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
      // The investigation script: the same shell structure as with plain values, step by step.
      const copy = actions.find((a) => a.command?.command === COPY_TO_CLIPBOARD_COMMAND);
      if (copy && local === '') {
        const plain = alerts.codeActions!(alertDoc(`p${n}.${format === 'json' ? 'json' : 'log'}`, `${alertOf(rule, (f) => (typeof fields[f] === 'number' ? 7 : `plain${f.length}`), format).line}\n`),
          { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).find((a) => a.command?.command === COPY_TO_CLIPBOARD_COMMAND)!;
        const steps = String(copy.command!.arguments![0]).split('\n\n');
        const plainSteps = String(plain.command!.arguments![0]).split('\n\n');
        assert.equal(steps.length, plainSteps.length, `script steps of ${where}`);
        for (const [k, step] of steps.entries()) {
          const commented = step.split('\n').every((l) => l.startsWith('#'));
          if (commented && !plainSteps[k].split('\n').every((l) => l.startsWith('#'))) {
            assert.match(step, /^# .*\n# (?:Skipped|Fill in)/, `a step left out says why (${where})`);
            continue;
          }
          assert.deepEqual(shellStructure(step), shellStructure(plainSteps[k]), `step ${k + 1} of ${where}:\n${step}\nagainst\n${plainSteps[k]}`);
          scriptsChecked++;
        }
      }

      for (const action of actions.filter((a) => a.edit && !a.disabled)) {
        const edits = localEdits(action);
        // Insertions only, so every byte of the user's file is kept.
        for (const e of edits) assert.deepEqual(e.range.start, e.range.end, `${action.title}: an insertion`);
        const after = applyEdits(local, edits);
        // Removing the inserted text gives back the user's file.
        const original = TextDocument.create('file:///x', 'yaml', 1, local);
        const inserted = edits.map((e) => ({ at: original.offsetAt(e.range.start), length: e.newText.length })).sort((a, b) => a.at - b.at);
        let rest = after;
        // Left to right: once an insertion is taken out, the text before the next one is the original's again.
        for (const { at, length } of inserted) rest = rest.slice(0, at) + rest.slice(at + length);
        assert.equal(rest, local, `${action.title}: the user's text is kept`);
        const parsed = parseDocument(after);
        assert.deepEqual(parsed.errors.map((e) => e.message), [], `${action.title}: YAML\n${after}`);
        const errors = service.validateText(pathToUri(LOCAL), after).filter((d) => d.severity === DiagnosticSeverity.Error);
        assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`), [], `${action.title} (${where}) loads with no error:\n${after}`);
        const items = parsed.toJSON() as Record<string, unknown>[];
        const mine = items.filter((i) => i.rule === rule.name);
        assert.ok(mine.length >= 1, `${action.title}: an item for the rule`);
        if (action.title.startsWith('Add exception')) {
          // Each value written is the alert's value as Falco printed it.
          const exceptions = mine.flatMap((i) => (i.exceptions as { name: string; fields: string[]; values: unknown[][] }[] | undefined) ?? []);
          const added = exceptions.filter((e) => e.name.startsWith('falco_lens_'));
          assert.equal(added.length, 1, `${action.title}: one exception added`);
          const [exception] = added;
          const row = exception.values[exception.values.length - 1];
          for (const [k, field] of exception.fields.entries()) {
            if (!(field in fields)) continue;
            const expected = String(fields[field]);
            const written = String(row[k]);
            // Falco's condition reads a value with blanks or syntax inside its quotes: the YAML holds them.
            const unquoted = written.length >= 2 && (written[0] === '"' || written[0] === "'") && written.endsWith(written[0]) ? written.slice(1, -1) : written;
            assert.ok(written === expected || conditionUnescape(unquoted) === expected || unquoted === expected,
              `${action.title}: ${field} written ${JSON.stringify(written)} for the alert's ${JSON.stringify(expected)}`);
          }
        } else {
          assert.ok(mine.some((i) => i.enabled === false), `${action.title}: the rule is disabled`);
        }
        fixesChecked++;
        // Asked again with the fix applied, the same fix is not offered.
        host.files.set(LOCAL, after);
        const again = alerts.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
        assert.ok(!again.some((a) => a.title === action.title && a.edit), `${action.title}: offered again after it was applied`);
        if (local) host.files.set(LOCAL, local); else host.files.delete(LOCAL);
      }
    }
  }
  assert.ok(fixesChecked > 150, `quick fixes checked: ${fixesChecked}`);
  assert.ok(hovers > 5000, `hovers checked: ${hovers}`);
  assert.ok(scriptsChecked > 50, `script steps checked: ${scriptsChecked}`);
}

const SEED = Number(process.env.FALCO_LENS_SEED ?? 2311);

test('JSON alerts of every official rule with hostile values: quick fixes, hovers, reports and scripts stay correct and inert', { skip: !corpusExists && 'corpus absent' }, () => {
  checkEveryRule('json', SEED);
});

test('text alerts of every official rule with hostile values: a value the quick fixes write is the one Falco printed', { skip: !corpusExists && 'corpus absent' }, () => {
  checkEveryRule('text', SEED + 1);
});

test('an exception value over 255 bytes is refused with why: libsinsp would refuse the condition and Falco not start', () => {
  const path255 = `/${'a'.repeat(254)}`;
  assert.deepEqual(exceptionValueText(path255), { text: path255, quoted: false });
  const over = exceptionValueText(`${path255}b`);
  assert.ok('refused' in over && /256 bytes long.*over 255 bytes/.test(over.refused), JSON.stringify(over));
  // Bytes as UTF-8 counts them, not UTF-16 units: 128 × 'é' is 256 bytes in 128 units.
  const accents = exceptionValueText('é'.repeat(128));
  assert.ok('refused' in accents && accents.refused.includes('256 bytes'), JSON.stringify(accents));
  // The quotes and escapes of the condition's text are not counted: Falco keeps the value they stand for.
  const quoted = `${'a b'.repeat(84)}"`;
  assert.equal(quoted.length, 253);
  const written = exceptionValueText(quoted);
  assert.ok('text' in written && written.quoted, JSON.stringify(written));
});

test('a text alert whose values hold the text that follows them in the template: those values are uncertain, hovered so, and no exception is written on them', () => {
  const rulesFile = '/work/ws/shell_rules.yaml';
  const host = new DiskHost();
  host.files.set(rulesFile, [
    '- rule: Shell run by service', '  desc: A shell started by a service', '  condition: evt.type = execve and proc.name = bash',
    '  output: Shell run by service (command=%proc.cmdline parent=%proc.pname exe=%proc.exepath process=%proc.name user=%user.name)', '  priority: WARNING', '',
  ].join('\n'));
  host.config = { ...host.config, rules: { ...host.config.rules, files: [rulesFile] } };
  const alerts = createAlertsService(host, createRulesService(host));
  // The command line holds ' parent=': "bash -c x parent=cron" then parent "sshd", or "bash -c x" then parent "cron parent=sshd".
  const line = '10:20:30.123456789: Warning Shell run by service (command=bash -c x parent=cron parent=sshd exe=/usr/bin/bash process=bash user=root)';
  const doc = alertDoc('shell.log', `${line}\n`);
  const hoverAt = (text: string) => {
    const hover = alerts.hover!(doc, { line: 0, character: line.indexOf(text) + 1 });
    return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
  };
  assert.match(hoverAt('bash -c'), /Where this value ends is uncertain: the text that follows it in the rule's output template also appears/);
  assert.match(hoverAt('cron parent'), /Where this value ends is uncertain/);
  // The values after the ambiguous part read one way only.
  assert.doesNotMatch(hoverAt('/usr/bin/bash'), /uncertain/);
  assert.doesNotMatch(hoverAt('root'), /uncertain/);
  const actions = alerts.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  const titles = actions.map((a) => `${a.title}${a.disabled ? ` [disabled: ${a.disabled.reason}]` : ''}`);
  // No exception on the misread command line or parent: the shape is greyed out, saying why.
  assert.ok(!actions.some((a) => a.edit && /Add exception/.test(a.title)), titles.join('\n'));
  const greyed = actions.find((a) => a.disabled && /command line \+ parent \+ user: not offered, where proc\.cmdline ends in the text is uncertain/.test(a.title));
  assert.ok(greyed, titles.join('\n'));
  assert.match(greyed!.disabled!.reason, /reads it in more than one way/);

  // The same alert with a command line that reads one way: every value certain, the parent's exception offered.
  const plain = '10:20:30.123456789: Warning Shell run by service (command=bash -c x parent=backup-agent exe=/usr/bin/bash process=bash user=root)';
  const plainActions = alerts.codeActions!(alertDoc('plain.log', `${plain}\n`), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.ok(plainActions.some((a) => a.edit && a.title.startsWith('Add exception for this command line + parent + user (bash -c x, backup-agent, root)')), plainActions.map((a) => a.title).join('\n'));
});
