// Truth checks over every playbook (issue 3): each names a real rule of the official or plugin rules files, every
// such rule has one, MITRE ids have names, fields exist for the rule's source, and every tuning snippet is Falco YAML
// that Falco 0.44 loads after the official rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { allPlaybooks, lookupField, mitreForTag, mitreName } from '../../server/src/knowledge';
import type { Playbook } from '../../server/src/knowledge';
import { placeholdersIn } from '../../server/src/knowledge/placeholders';
import { corpusDir, loadMacrosAndLists, loadRules, loadYamlItems, officialRulesFiles, pluginRulesFiles } from '../helpers/corpus';
import type { CorpusRule, RulesFileRef } from '../helpers/corpus';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc, summarize } from './rules-host';

const corpusPresent = corpusDir() !== undefined;
const skip = !corpusPresent && 'corpus absent (../shared/corpus)';
const playbooks = allPlaybooks();

const ruleFiles: RulesFileRef[] = corpusPresent ? [...officialRulesFiles(), ...pluginRulesFiles()].filter((f) => fs.existsSync(f.path)) : [];
const rulesByFile = new Map<string, CorpusRule[]>(ruleFiles.map((f) => [f.file, loadRules(f)]));
const macrosAndLists = new Map<string, ReturnType<typeof loadMacrosAndLists>>();
/** Macros and lists of a rules file, parsed once per test run. */
function definitionsOf(file: string): ReturnType<typeof loadMacrosAndLists> {
  let found = macrosAndLists.get(file);
  if (!found) { found = loadMacrosAndLists(file); macrosAndLists.set(file, found); }
  return found;
}
const corpusRule = (p: Playbook) => rulesByFile.get(p.file)?.find((r) => r.name === p.rule);

// ---------------------------------------------------------------------------------------------------------------
// Tuning snippets. validateTuningSnippet is the one hook to switch to the rules validator once it exists: it returns
// the problems of one snippet (empty when Falco would load it after the official rules without error or warning).

const RULE_KEYS = new Set(['rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'capture', 'capture_duration',
  'warn_evttypes', 'skip-if-unknown-filter', 'tags', 'exceptions', 'override', 'append']);
const APPENDABLE = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
const REPLACEABLE = new Set(['condition', 'output', 'desc', 'priority', 'capture', 'capture_duration', 'tags', 'exceptions', 'enabled',
  'warn_evttypes', 'skip-if-unknown-filter']);
const COMPARISONS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith',
  'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch']);
const MODIFIED = /^(contains|icontains|bcontains|startswith|bstartswith|endswith|glob|iglob|regex|=|==|!=) (oneof|anyof|allof)$/;

/** Problems of a tuning snippet: the rules validator's errors and warnings when the snippet is loaded as
 *  falco_rules.local.yaml after the rules files of the playbook's source, plus the shape checks below. */
export function validateTuningSnippet(yaml: string, playbook: Playbook): string[] {
  const shape = tuningShapeProblems(yaml, playbook);
  if (!corpusPresent || shape.some((p) => p.startsWith('YAML error'))) return shape;
  return [...shape, ...validatorProblems(yaml, playbook)];
}

const LOCAL_RULES = '/falco-lens-test/falco_rules.local.yaml';
const validators = new Map<string, { svc: ReturnType<typeof createRulesService>; version: number }>();

/** Loads the snippet after the rules files that define the playbook's source, as Falco would with a local file. */
function validatorProblems(yaml: string, playbook: Playbook): string[] {
  let validator = validators.get(playbook.source);
  if (!validator) {
    const files = playbook.source === 'syscall'
      ? officialRulesFiles()
      : pluginRulesFiles().filter((f) => f.defaultSource === playbook.source);
    const paths = files.map((f) => f.path).filter((p) => fs.existsSync(p));
    const host = new MemoryHost({}, { ruleFiles: [...paths, LOCAL_RULES] });
    for (const p of paths) host.files.set(p, fs.readFileSync(p, 'utf8'));
    host.files.set(LOCAL_RULES, '');
    validator = { svc: createRulesService(host), version: 1 };
    validators.set(playbook.source, validator);
  }
  validator.version++;
  const diagnostics = validator.svc.diagnostics(rulesDoc(LOCAL_RULES, yaml, validator.version));
  // A field placeholder (`<fd.sip>`) is filled with the alert's value before the snippet is used; as written, Falco
  // would reject it as a number or an address (invalid-value), which says nothing about the snippet.
  const placeholderValue = (d: (typeof diagnostics)[number]) => d.code === 'invalid-value' && /^'<[\w.[\]]+>'/.test(String(d.message));
  return diagnostics.filter((d) => (d.severity ?? 1) <= 2 && !placeholderValue(d)).map((d) => `rules validator: ${summarize(d)}`);
}

/** Shape checks of Falco 0.44 loader semantics (falco-reference.md §b) that do not need the rules validator. */
function tuningShapeProblems(yaml: string, playbook: Playbook): string[] {
  const problems: string[] = [];
  const docs = parseAllDocuments(yaml);
  const items: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) return [`YAML error: ${doc.errors[0].message}`];
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) return ['a rules file is a YAML sequence of items'];
    items.push(...value);
  }
  if (items.length === 0) return ['no item'];
  const existing = corpusRule(playbook);
  const exceptionNames = new Set<string>(((existing?.item.exceptions as { name?: string }[] | undefined) ?? []).map((e) => String(e.name)));
  const { macros, lists } = corpusPresent ? definitionsOf(fileOf(playbook)) : { macros: new Map(), lists: new Map() };
  for (const raw of items) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) { problems.push('each item is a map'); continue; }
    const item = raw as Record<string, unknown>;
    const keys = Object.keys(item);
    const nameKey = ['rule', 'macro', 'list'].find((k) => k in item);
    if (!nameKey) { problems.push(`item without rule, macro or list: ${keys.join(', ')}`); continue; }
    const override = item.override;
    if ('append' in item) problems.push(`'append' is deprecated; use override`);
    if (!override || typeof override !== 'object' || Array.isArray(override)) { problems.push(`${nameKey} ${String(item[nameKey])}: no override map (the item would redefine the ${nameKey})`); continue; }
    const ops = override as Record<string, unknown>;
    const others = keys.filter((k) => k !== nameKey && k !== 'override');
    for (const k of others) if (!(k in ops)) problems.push(`Unexpected key '${k}': no corresponding entry under 'override'`);
    for (const [k, op] of Object.entries(ops)) {
      if (!others.includes(k)) problems.push(`override of '${k}' without a '${k}' key in the item`);
      if (op !== 'append' && op !== 'replace') problems.push(`Invalid override operation for key '${k}': '${String(op)}'`);
    }
    if (nameKey === 'rule') {
      if (item.rule !== playbook.rule) problems.push(`rule '${String(item.rule)}' is not the playbook's rule '${playbook.rule}'`);
      for (const k of others) if (!RULE_KEYS.has(k)) problems.push(`Unknown key '${k}'`);
      for (const [k, op] of Object.entries(ops)) {
        if (op === 'append' && !APPENDABLE.has(k)) problems.push(`Key '${k}' cannot be appended to, use 'replace' instead`);
        if (op === 'replace' && !REPLACEABLE.has(k)) problems.push(`Key '${k}' cannot be replaced`);
      }
      if ('enabled' in item && typeof item.enabled !== 'boolean') problems.push('enabled must be a boolean');
      if ('exceptions' in item) problems.push(...validateExceptions(item.exceptions, playbook, exceptionNames));
    } else if (nameKey === 'list') {
      if (!lists.has(String(item.list))) problems.push(`list '${String(item.list)}' is not defined by ${fileOf(playbook)}`);
      if (!Array.isArray(item.items)) problems.push('list items must be a sequence');
      for (const [k, op] of Object.entries(ops)) if (k !== 'items' || (op !== 'append' && op !== 'replace')) problems.push(`a list can only override items`);
    } else {
      if (!macros.has(String(item.macro))) problems.push(`macro '${String(item.macro)}' is not defined by ${fileOf(playbook)}`);
      for (const k of Object.keys(ops)) if (k !== 'condition') problems.push(`a macro can only override condition`);
    }
  }
  return problems;
}

function fileOf(p: Playbook): string {
  return ruleFiles.find((f) => f.file === p.file)?.path ?? p.file;
}

function validateExceptions(value: unknown, playbook: Playbook, names: Set<string>): string[] {
  if (!Array.isArray(value)) return ['Rule exceptions must be a sequence'];
  const problems: string[] = [];
  for (const raw of value) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) { problems.push('Rule exception must be a mapping'); continue; }
    const e = raw as Record<string, unknown>;
    const name = typeof e.name === 'string' ? e.name : undefined;
    if (!name) { problems.push('exception without a name'); continue; }
    if (names.has(name)) problems.push(`exception name '${name}' is not unique (LOAD_EXCEPTION_NAME_NOT_UNIQUE)`);
    names.add(name);
    for (const k of Object.keys(e)) if (!['name', 'fields', 'comps', 'values'].includes(k)) problems.push(`exception ${name}: unknown key '${k}'`);
    const fieldList = Array.isArray(e.fields) ? e.fields.map(String) : typeof e.fields === 'string' ? [e.fields] : undefined;
    if (!fieldList || fieldList.length === 0) { problems.push(`exception ${name}: fields must be a field or a list of fields`); continue; }
    for (const f of fieldList) {
      const match = lookupField(f);
      if (!match) problems.push(`exception ${name}: field ${f} is not in the catalog`);
      else if (!(match.field.sources as string[]).includes(playbook.source)) problems.push(`exception ${name}: field ${f} is not a field of source ${playbook.source}`);
    }
    // Syscall exceptions pair a program with its image, parent or file; a plugin event's actor (ka.user.name,
    // ct.user) is narrow on its own.
    if (fieldList.length < 2 && playbook.source === 'syscall') problems.push(`exception ${name}: a single-field exception is not narrow; pair the program with its image, parent or file`);
    if (Array.isArray(e.fields)) {
      const comps = e.comps === undefined ? fieldList.map(() => '=') : Array.isArray(e.comps) ? e.comps.map(String) : undefined;
      if (!comps) problems.push(`exception ${name}: comps must be a list when fields is a list`);
      else {
        if (comps.length !== fieldList.length) problems.push(`exception ${name}: Fields and comps lists must have equal length`);
        for (const c of comps) if (!COMPARISONS.has(c) && !MODIFIED.test(c)) problems.push(`exception ${name}: '${c}' is not a supported comparison operator`);
      }
      if (!Array.isArray(e.values) || e.values.length === 0) problems.push(`exception ${name}: values must be a non-empty sequence of tuples`);
      else for (const row of e.values) {
        if (!Array.isArray(row) || row.length !== fieldList.length) problems.push(`exception ${name}: value ${JSON.stringify(row)} must be a tuple of ${fieldList.length} values`);
        else for (const v of row) if (v === null || v === '' || (typeof v === 'object' && !Array.isArray(v))) problems.push(`exception ${name}: empty or map value in ${JSON.stringify(row)}`);
      }
    } else {
      const comp = e.comps === undefined ? 'in' : String(e.comps);
      if (!['in', 'pmatch', 'intersects'].includes(comp) && !MODIFIED.test(comp)) problems.push(`exception ${name}: When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator`);
      if (!Array.isArray(e.values) || e.values.length === 0) problems.push(`exception ${name}: values must be a non-empty sequence`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Fields a rule can show: those of its output and condition (macros expanded), plus the container plugin's
// suggested output fields that Falco >= 0.41 appends to syscall alerts.

const SUGGESTED_OUTPUT: Record<string, string[]> = {
  syscall: ['container.id', 'container.name', 'container.image.repository', 'container.image.tag', 'k8s.pod.name', 'k8s.ns.name'],
};
const FIELD_REF = /(?<![\w.%])%?([a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_]+)+(?:\[[^\]\s]*\])?)/g;

function referencedFields(rule: CorpusRule, playbook: Playbook): Set<string> {
  const files = rule.source === 'syscall' ? officialRulesFiles().map((f) => f.path) : [fileOf(playbook)];
  const macros = new Map<string, string>();
  for (const f of files) for (const [k, v] of definitionsOf(f).macros) macros.set(k, v);
  const seen = new Set<string>();
  const fields = new Set<string>(SUGGESTED_OUTPUT[rule.source] ?? []);
  const walk = (text: string) => {
    const cleaned = text.replace(/"[^"]*"|'[^']*'/g, ' ');
    for (const m of cleaned.matchAll(FIELD_REF)) fields.add(m[1]);
    for (const word of cleaned.match(/\b[a-z_][a-z0-9_]*\b/g) ?? []) {
      if (macros.has(word) && !seen.has(word)) { seen.add(word); walk(macros.get(word) as string); }
    }
  };
  walk(rule.condition ?? '');
  for (const m of (rule.output ?? '').matchAll(/%([a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_]+)+(?:\[[^\]\s]*\])?)/g)) fields.add(m[1]);
  return fields;
}

/** A field and its forms that a condition may have used (`evt.arg.flags` = `evt.arg[flags]`). */
function fieldForms(field: string): string[] {
  const forms = [field];
  const bracket = /^(.*)\[([^\]]*)\]$/.exec(field);
  if (bracket) forms.push(`${bracket[1]}.${bracket[2]}`);
  const dot = /^(evt\.arg|evt\.rawarg)\.(.+)$/.exec(field);
  if (dot) forms.push(`${dot[1]}[${dot[2]}]`);
  return forms;
}

// ---------------------------------------------------------------------------------------------------------------

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
/** The longest run of words that `a` shares with `b`: long runs mean a description was copied, not written. */
function longestSharedRun(a: string, b: string): string {
  const bw = words(b);
  const grams = new Set<string>();
  const n = 7;
  for (let i = 0; i + n <= bw.length; i++) grams.add(bw.slice(i, i + n).join(' '));
  const aw = words(a);
  for (let i = 0; i + n <= aw.length; i++) { const g = aw.slice(i, i + n).join(' '); if (grams.has(g)) return g; }
  return '';
}

test('every playbook names a rule of the official or plugin rules files, with its source and file', { skip }, () => {
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const p of playbooks) {
    const key = `${p.source}/${p.rule}`;
    if (seen.has(key)) failures.push(`${p.rule}: more than one playbook`);
    seen.add(key);
    if (!rulesByFile.has(p.file)) { failures.push(`${p.rule}: file ${p.file} is not an official or plugin rules file`); continue; }
    const rule = corpusRule(p);
    if (!rule) failures.push(`${p.rule}: no such rule in ${p.file}`);
    else if (rule.source !== p.source) failures.push(`${p.rule}: source is ${rule.source}, playbook says ${p.source}`);
  }
  assert.deepEqual(failures, []);
});

for (const ref of corpusPresent ? ruleFiles.filter((f) => f.needsPlaybooks) : [{ file: 'rules files' }]) {
  test(`every rule of ${ref.file} has a playbook`, { skip }, () => {
    const missing = (rulesByFile.get(ref.file) ?? []).filter((r) => !playbooks.some((p) => p.rule === r.name && p.file === ref.file)).map((r) => r.name);
    assert.deepEqual(missing, [], `${missing.length} rules of ${ref.file} have no playbook`);
  });
}

/** Plugin debugging rules that match every event of their source (their macros keep them silent by default). */
const CATCH_ALL_RULES = new Set(['All K8s Audit Events', 'All Cloudtrail Events']);

test('every playbook is complete and within the agreed sizes', () => {
  const failures: string[] = [];
  for (const p of playbooks) {
    const at = (what: string) => failures.push(`${p.rule}: ${what}`);
    const catchAll = CATCH_ALL_RULES.has(p.rule);
    if (p.detects.trim().length < 30 || p.detects.length > 700) at('detects must be 1-3 sentences');
    if (p.attackerGoal.trim().length < 20 || p.attackerGoal.length > 500) at('attackerGoal must be 1-2 sentences');
    if (p.keyFields.length === 0) at('no keyFields');
    if ((p.benignCauses.length < (catchAll ? 1 : 2)) || p.benignCauses.length > 4) at(`${p.benignCauses.length} benign causes (2-4)`);
    if ((p.investigate.length < (catchAll ? 1 : 3)) || p.investigate.length > 6) at(`${p.investigate.length} investigation commands (3-6)`);
    // A rule that is off by default, or a catch-all that only checks the event feed, has nothing to mitigate.
    const offByDefault = (corpusPresent && corpusRule(p)?.enabled === false) || catchAll;
    if ((p.mitigations.length < 1 && !offByDefault) || p.mitigations.length > 3) at(`${p.mitigations.length} mitigations (1-3)`);
    for (const c of [...p.investigate, ...p.mitigations.flatMap((m) => m.commands ?? [])]) {
      if (c.command.trim() === '' || c.purpose.trim() === '') at(`empty command or purpose: ${c.command}`);
    }
    p.mitigations.forEach((m, i) => {
      if (!m.summary.trim()) at(`mitigations[${i}] has no summary`);
      if ((m.commands?.length ?? 0) === 0 && !m.config) at(`mitigations[${i}] has neither commands nor config`);
      if (m.config?.language === 'yaml') {
        const errors = parseAllDocuments(m.config.text).flatMap((d) => d.errors);
        if (errors.length > 0) at(`mitigations[${i}].config is not valid YAML: ${errors[0].message}`);
      }
      if (m.config && /^\s*[{[]/.test(m.config.text) && m.config.language === 'text') {
        try { JSON.parse(m.config.text); } catch (e) { at(`mitigations[${i}].config looks like JSON but does not parse: ${(e as Error).message}`); }
      }
    });
    if (!p.tuning.summary.trim()) at('tuning has no summary');
    for (const id of p.mitre) if (!/^TA?\d{4}(\.\d{3})?$/.test(id)) at(`mitre id ${id} is not a technique or tactic id`);
  }
  assert.deepEqual(failures, []);
});

test('playbook text is written for Falco Lens, not copied from the rule description', { skip }, () => {
  const failures: string[] = [];
  for (const p of playbooks) {
    const desc = String(corpusRule(p)?.item.desc ?? '');
    for (const [what, text] of [['detects', p.detects], ['attackerGoal', p.attackerGoal]] as const) {
      const run = longestSharedRun(text, desc);
      if (run) failures.push(`${p.rule}: ${what} shares "${run}" with the rule's desc`);
    }
  }
  assert.deepEqual(failures, []);
});

test('every tuning snippet is valid Falco 0.44 override YAML for its rule', { skip }, () => {
  const failures: string[] = [];
  for (const p of playbooks) for (const problem of validateTuningSnippet(p.tuning.yaml, p)) failures.push(`${p.rule}: ${problem}`);
  assert.deepEqual(failures, []);
});

test('every MITRE id of the playbooks and of the rules tags has a name', { skip }, () => {
  const failures: string[] = [];
  for (const p of playbooks) {
    for (const id of p.mitre) if (!mitreName(id)) failures.push(`${p.rule}: ${id} has no name in allMitre()`);
    const rule = corpusRule(p);
    const tagIds = (rule?.tags ?? []).filter((t) => /^TA?\d{4}(\.\d{3})?$/.test(t));
    for (const id of tagIds) if (!p.mitre.includes(id)) failures.push(`${p.rule}: the rule is tagged ${id} but the playbook's mitre omits it`);
  }
  for (const [file, rules] of rulesByFile) {
    for (const rule of rules) {
      for (const tag of rule.tags) {
        const id = /^(TA?\d{4}(?:\.\d{3})?)(?:-|$)/.exec(tag)?.[1];
        if (id && !mitreName(id)) failures.push(`${file} ${rule.name}: tag ${tag} has no name in allMitre()`);
        const needs = ruleFiles.find((f) => f.file === file)?.needsPlaybooks;
        if (needs && tag.startsWith('mitre_') && !mitreForTag(tag)) failures.push(`${file} ${rule.name}: tag ${tag} maps to no tactic`);
      }
    }
  }
  assert.deepEqual([...new Set(failures)], []);
});

test('every field a playbook mentions is in the catalog for its source', () => {
  const failures: string[] = [];
  const check = (p: Playbook, field: string, where: string) => {
    const match = lookupField(field);
    if (!match) failures.push(`${p.rule} ${where}: ${field} is not in the field catalog`);
    else if (!(match.field.sources as string[]).includes(p.source)) failures.push(`${p.rule} ${where}: ${field} is not a field of source ${p.source}`);
  };
  for (const p of playbooks) {
    for (const k of p.keyFields) check(p, k.field, 'keyFields');
    const texts = [...p.investigate.map((c) => c.command), ...p.mitigations.flatMap((m) => [...(m.commands ?? []).map((c) => c.command), m.config?.text ?? '']), p.tuning.yaml];
    for (const text of texts) for (const f of placeholdersIn(text).fields) check(p, f, 'placeholder');
  }
  assert.deepEqual([...new Set(failures)], []);
});

test('key fields are fields the rule prints or tests', { skip }, () => {
  const failures: string[] = [];
  for (const p of playbooks) {
    const rule = corpusRule(p);
    if (!rule) continue;
    const fields = referencedFields(rule, p);
    for (const k of p.keyFields) {
      if (!fieldForms(k.field).some((f) => fields.has(f))) failures.push(`${p.rule}: key field ${k.field} is neither in the rule's output nor in its condition`);
      if (k.meaning.trim().length < 10) failures.push(`${p.rule}: key field ${k.field} has no meaning`);
    }
  }
  assert.deepEqual(failures, []);
});

test('validateTuningSnippet accepts a narrow exception and rejects malformed ones', { skip }, () => {
  const fake: Playbook = {
    rule: 'Read sensitive file untrusted', source: 'syscall', file: 'falco_rules.yaml', detects: '', attackerGoal: '', mitre: [],
    keyFields: [], benignCauses: [], investigate: [], mitigations: [], tuning: { summary: '', yaml: '' },
  };
  const good = [
    '- rule: Read sensitive file untrusted',
    '  exceptions:',
    '    - name: allow_backup_agent',
    '      fields: [proc.name, fd.name]',
    '      values:',
    '        - [<proc.name>, <fd.name>]',
    '  override:',
    '    exceptions: append',
  ].join('\n');
  assert.deepEqual(validateTuningSnippet(good, fake), []);
  assert.ok(validateTuningSnippet(good.replace('fields: [proc.name, fd.name]', 'fields: [proc.name, fd.nmae]'), fake).some((p) => p.startsWith('rules validator:')), 'the rules validator sees an unknown field');
  assert.ok(validateTuningSnippet(good.replace('    exceptions: append', '    exceptions: merge'), fake).some((p) => p.includes('Invalid override operation')));
  assert.ok(validateTuningSnippet(good.replace('  override:\n    exceptions: append', ''), fake).some((p) => p.includes('no override map')));
  assert.ok(validateTuningSnippet(good.replace('[<proc.name>, <fd.name>]', '[<proc.name>]'), fake).some((p) => p.includes('tuple of 2')));
  assert.ok(validateTuningSnippet(good.replace('Read sensitive file untrusted', 'Read sensitive file'), fake).some((p) => p.includes("is not the playbook's rule")));
  assert.ok(validateTuningSnippet(good + '\n  priority: DEBUG', fake).some((p) => p.includes("Unexpected key 'priority'")));
  assert.ok(validateTuningSnippet(good.replace('fields: [proc.name, fd.name]', 'fields: [proc.name, fd.name]\n      comps: [=, sortof]'), fake).some((p) => p.includes("'sortof' is not a supported")));
  assert.ok(validateTuningSnippet('rule: x', fake).length > 0);
  assert.ok(validateTuningSnippet('- rule: [', fake).some((p) => p.startsWith('YAML error')));
});

test('corpus helper loads the three official files and the plugin files with their sources', { skip }, () => {
  const official = officialRulesFiles();
  assert.deepEqual(official.map((f) => f.file), ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml']);
  assert.equal(rulesByFile.get('falco_rules.yaml')?.length, 25);
  assert.equal((rulesByFile.get('falco_rules.yaml')?.length ?? 0) + (rulesByFile.get('falco-incubating_rules.yaml')?.length ?? 0) + (rulesByFile.get('falco-sandbox_rules.yaml')?.length ?? 0), 93);
  assert.equal(rulesByFile.get('k8s_audit_rules.yaml')?.every((r) => r.source === 'k8s_audit'), true);
  assert.equal(rulesByFile.get('aws_cloudtrail_rules.yaml')?.every((r) => r.source === 'aws_cloudtrail'), true);
  assert.ok(loadYamlItems(official[0].path).some((i) => i.required_engine_version !== undefined));
  assert.ok(pluginRulesFiles().every((f) => fs.existsSync(f.path)), 'plugin rules files present');
});
