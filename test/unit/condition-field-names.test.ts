// Field names in conditions as libsinsp's filter parser lexes them (RGX_FIELDNAME, the same in libs 0.14.2-0.25.4,
// Falco 0.37-0.44): letters, digits and '_' in dot-separated parts that start with a letter. `k8s.ns.label.app-tier`
// is the field `k8s.ns.label.app` followed by `-tier`, where an operator must follow: a syntax error at the '-'. The
// field read keeps its hover and colour; exception fields are pasted into the condition, so they fail there too
// where the collector of Falco 0.37-0.40 accepts them (its k8s check reads `/_-.` after the dot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { parseCondition } from '../../server/src/service/rules/condition';
import { analyzeFile } from '../../server/src/service/rules/semanticTokens';
import { parseRulesFile } from '../../server/src/service/rules/model';
import { MemoryHost, rulesDoc } from './rules-host';
import { openAt, workspace } from './rules-nav-helpers';
import { FIELD_NAME_SHAPES } from './condition-field-shapes';

test('field names: every shape fails where libsinsp\'s filter parser fails (or compiles where it does)', () => {
  for (const { text, libsinsp } of FIELD_NAME_SHAPES) {
    const first = parseCondition(text).errors[0];
    if (libsinsp === null) {
      assert.equal(first, undefined, `${text}: libsinsp's parser accepts it, ours says ${first?.message}`);
      continue;
    }
    assert.ok(first, `${text}: libsinsp's parser fails at ${libsinsp}, ours accepts it`);
    assert.ok(first.span.start <= libsinsp && libsinsp <= first.span.end,
      `${text}: libsinsp's parser fails at ${libsinsp}, ours at ${first.span.start}-${first.span.end} (${first.message})`);
  }
});

test('field names: the parse keeps the field read before the glued text, and the error says what Falco read', () => {
  const parse = parseCondition('proc.name = x and k8s.ns.label.app-tier = x');
  assert.deepEqual(parse.errors.map((e) => [e.span, e.fieldCut]), [[{ start: 34, end: 39 }, { field: 'k8s.ns.label.app', glued: '-tier' }]]);
  assert.equal(parse.errors[0]!.message, "'k8s.ns.label.app-tier' is not a field name to Falco: its parser reads the field 'k8s.ns.label.app' (a field name is letters, digits and '_', in dot-separated parts that start with a letter) and then expects an operator, not '-tier'");
  const ast = parse.ast!;
  assert.ok(ast.kind === 'and');
  const failed = ast.operands[1]!;
  assert.ok(failed.kind === 'error' && failed.field?.kind === 'field');
  assert.equal(failed.field.name, 'k8s.ns.label.app');
  assert.deepEqual(failed.glued, { start: 34, end: 39 });
  // Inside val() and a transformer the same: the ')' was expected there.
  assert.match(parseCondition('proc.name = val(k8s.ns.label.app-tier)').errors[0]!.message, /reads the field 'k8s\.ns\.label\.app' .* expects '\)' closing 'val\(', not '-tier'$/);
  assert.deepEqual(parseCondition('proc.name = val(proc.pname x)').errors[0]!.span, { start: 27, end: 28 });
  assert.match(parseCondition('tolower(k8s.pod.label.app.kubernetes.io/name) = x').errors[0]!.message, /reads the field 'k8s\.pod\.label\.app\.kubernetes\.io' .* expects '\)' closing 'tolower\(', not '\/name'$/);
  // A blank is no glued text: the word after it is an unknown operator, as before.
  assert.match(parseCondition('k8s.ns.label.app -tier = x').errors[0]!.message, /^unknown operator '-tier'/);
});

function hoverAt(marked: string, falcoVersion?: string): { value: string; range: string } {
  const { service, host } = workspace({});
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const { doc, position, text } = openAt(service, '/ws/rules.yaml', marked);
  const h = service.hover!(doc, position);
  assert.ok(h, `expected a hover in ${marked}`);
  const range = h.range ? text.slice(doc.offsetAt(h.range.start), doc.offsetAt(h.range.end)) : '';
  return { value: (h.contents as MarkupContent).value, range };
}

const CUT_NOTE = '**Falco\'s condition parser ends the field name before `-tier`**: it reads `k8s.ns.label.app`, the argument `app`, then expects an operator and fails there (a field name is letters, digits and `_`, in dot-separated parts that start with a letter). In brackets the whole argument is read, at every release: `k8s.ns.label[app-tier]`.';

test('hover on k8s.ns.label.app-tier in a condition: the field, the label Falco reads, where its parser stops', () => {
  const at044 = hoverAt('- macro: m\n  condition: k8s.ns.lab<|>el.app-tier = x\n');
  assert.equal(at044.range, 'k8s.ns.label.app-tier');
  const paragraphs = at044.value.split('\n\n');
  assert.equal(paragraphs[0], '**Field** `k8s.ns.label`');
  assert.equal(paragraphs[1], 'Namespace label (deprecated, empty).');
  assert.equal(paragraphs[2], CUT_NOTE);
  // Falco 0.44 refuses the dot form too: the bracket form named is the whole label's.
  assert.equal(paragraphs[3], '**Not in Falco 0.44** (the target release) in the dot form: Falco 0.40 and older read it, later releases take the argument in brackets only: `k8s.ns.label[app-tier]`.');
  assert.match(at044.value, /\n- Argument here: `app`\n/);
  // Asked on the glued text: the same hover.
  assert.deepEqual(hoverAt('- macro: m\n  condition: k8s.ns.label.app-ti<|>er = x\n'), at044);
  // Falco 0.40 reads the dot form, but not past the '-': no "reads the dot form" sentence.
  const at040 = hoverAt('- macro: m\n  condition: k8s.ns.lab<|>el.app-tier = x\n', '0.40');
  assert.equal(at040.value.split('\n\n')[2], CUT_NOTE);
  assert.doesNotMatch(at040.value, /reads the dot form/);
  // k8s.pod.label.app.kubernetes.io/name: the dots belong to the label, the '/' ends the name.
  const pod = hoverAt('- macro: m\n  condition: k8s.pod.label.app.kuber<|>netes.io/name = x\n', '0.40');
  assert.equal(pod.range, 'k8s.pod.label.app.kubernetes.io/name');
  assert.match(pod.value, /it reads `k8s\.pod\.label\.app\.kubernetes\.io`, the argument `app\.kubernetes\.io`, then expects an operator .* at every release: `k8s\.pod\.label\[app\.kubernetes\.io\/name\]`\./);
});

test('hover on an exception field with glued text: pasted into the condition, read as there', () => {
  const rule = (field: string) => `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: [${field}]\n      values: [[a]]\n`;
  const { value, range } = hoverAt(rule('k8s.ns.la<|>bel.app-tier'), '0.40');
  assert.equal(range, 'k8s.ns.label.app-tier');
  assert.match(value, /^\*\*Field\*\* `k8s\.ns\.label`\n\n/);
  assert.match(value, /\*\*Falco pastes exception fields into the rule's condition, whose parser ends the field name before `-tier`\*\*: it reads `k8s\.ns\.label\.app`, the argument `app`,/);
});

/** `severity code covered-text: message (LOAD)` of each finding. */
function findingsOf(text: string, falcoVersion?: string): string[] {
  const host = new MemoryHost({ '/ws/rules.yaml': text }, { folders: ['/ws'] });
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const svc = createRulesService(host);
  const doc = rulesDoc('/ws/rules.yaml', text);
  svc.didOpenOrChange?.(doc);
  return svc.diagnostics(doc).map((d: Diagnostic) => `${d.severity} ${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}: ${d.message}`);
}

test('diagnostics: the condition error is on the glued text and names the bracket form', () => {
  const text = '- rule: r\n  desc: d\n  condition: evt.type = open and k8s.ns.label.app-tier = x\n  output: o\n  priority: INFO\n';
  for (const target of ['0.37', '0.40', '0.41', undefined]) {
    assert.deepEqual(findingsOf(text, target), [
      "1 condition-syntax -tier: Condition syntax: 'k8s.ns.label.app-tier' is not a field name to Falco: its parser reads the field 'k8s.ns.label.app' (a field name is letters, digits and '_', in dot-separated parts that start with a letter) and then expects an operator, not '-tier'. In brackets Falco reads the whole argument: k8s.ns.label[app-tier]. (LOAD_ERR_COMPILE_CONDITION)",
    ], `target ${target}`);
  }
});

test('diagnostics: exception fields in the dot form, per release (collector, then the pasted condition)', () => {
  const rule = (field: string) => `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: [${field}]\n      values: [[a]]\n`;
  // 0.37-0.40: the k8s check reads the whole label, the collector accepts it; the condition it is pasted into fails.
  for (const target of ['0.37', '0.40']) {
    assert.deepEqual(findingsOf(rule('k8s.ns.label.app-tier'), target), [
      `1 condition-syntax -tier: Falco ${target} accepts the exception field 'k8s.ns.label.app-tier' (the label 'app-tier') and pastes it into the rule's condition, where its filter parser reads the field 'k8s.ns.label.app' and then fails at '-tier': the rule does not compile. In brackets Falco reads the whole argument: k8s.ns.label[app-tier]. (LOAD_ERR_COMPILE_CONDITION)`,
    ]);
    assert.deepEqual(findingsOf(rule('k8s.pod.label.app.kubernetes.io/name'), target).map((f) => f.split(':')[0]), ['1 condition-syntax /name']);
    // The k8s check stops at ':': the name is longer than what it read, the collector refuses it.
    assert.deepEqual(findingsOf(rule('k8s.ns.label.app:x'), target), [
      `1 unknown-field :x: 'k8s.ns.label.app:x' is not a supported filter field: Falco ${target}'s k8s check reads the label after the dot up to ':' (letters, digits and /_-.), which leaves the name longer than the field. Exception fields are checked as the rule is read: the file fails to load. (LOAD_ERR_VALIDATE)`,
    ]);
    // Letters, digits and '_' only: the label is read, nothing to say.
    assert.deepEqual(findingsOf(rule('k8s.ns.label.app_tier'), target), []);
  }
  // From 0.41 the container plugin's field takes brackets only: the collector refuses the dot form (unchanged).
  assert.deepEqual(findingsOf(rule('k8s.ns.label.app-tier'), '0.41').map((f) => f.replace(/: .*\((LOAD_\w+)\)$/, ' $1')), ['1 field-argument k8s.ns.label LOAD_ERR_VALIDATE']);
});

test('semantic tokens: the field a failed comparison read is coloured as a field', () => {
  const text = '- macro: m\n  condition: k8s.ns.label.app-tier = x\n';
  const tokens = analyzeFile(parseRulesFile('file:///ws/rules.yaml', text)).items[0]!.tokens;
  const field = tokens.find((t) => t.kind === 'field');
  assert.ok(field && field.kind === 'field');
  assert.equal(text.slice(field.span.start, field.span.end), 'k8s.ns.label.app');
  assert.equal(field.glued, '-tier');
});

// The same shapes asked of the 2022 libsinsp (Debian's sysdig, ../shared/tools/filter-oracle). Its compiler is the
// older hand-written one (filter.cpp sinsp_filter_compiler::next_operand, libs e5c53d64): it reads the first operand up
// to a blank or an operator character and gives the whole word to the field lookup, so `k8s.ns.label.app-tier` is a
// label there while Falco's parser stops at '-'. Each disagreement must be that one.
const oracle = path.join(process.cwd(), '..', 'shared', 'tools', 'filter-oracle');
const sysdigPresent = spawnSync('sh', ['-c', 'command -v sysdig'], { encoding: 'utf8' }).status === 0;
const oracleSkip = !existsSync(oracle) ? 'filter-oracle absent' : !sysdigPresent ? 'sysdig absent (apt-get install -y sysdig)' : false;

test('field names: the 2022 libsinsp (filter-oracle) agrees, or disagrees for the reason the shape records', { skip: oracleSkip }, () => {
  for (const { text, gap } of FIELD_NAME_SHAPES) {
    const answer = spawnSync(oracle, [text], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
    const ours = parseCondition(text).errors.length === 0;
    if ((answer === 'ok') === ours) {
      assert.equal(gap, undefined, `${text}: the oracle agrees now (${answer}); the recorded gap is stale`);
      continue;
    }
    assert.ok(gap, `${text}: the oracle says ${answer}, the parser ${ours ? 'accepts' : 'rejects'} it, and no gap explains it`);
    if (gap.oracle === 'ok') assert.equal(answer, 'ok', text);
    else assert.match(answer, gap.oracle, text);
    // The whole-word class is the glued text of a field name: our error says so.
    if (gap.oracle === 'ok' && !text.includes('<')) assert.ok(parseCondition(text).errors[0]?.fieldCut, text);
  }
});
