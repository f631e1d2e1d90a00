// Templates that share their first literal (the 39 gcp_auditlog outputs all start with `project=`) are looked up by
// their second literal: TemplateLibrary walks the occurrences of the group's common start of second literals in the
// output and takes the members whose key characters follow. The lookup must name exactly the rule a plain scan of
// every template names (highest score, the first of equal scores in the library's order), with identifyRule and with
// identify (which also builds the values): checked on every corpus template's own rendering, seeded renderings whose
// values hold the pieces the walk reacts to, and small libraries built to hit its edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateLibrary, matchTemplate, type CompiledTemplate } from '../../server/src/service/alerts/templates';
import type { RuleSummary } from '../../server/src/service/features';
import { ruleSummaries } from '../fixtures/alerts/helpers';
import { referenceScore, templatesInLibraryOrder } from '../fixtures/alerts/templateReference';
import { NASTY_PIECES, Random, corpusExists, corpusFiles } from '../fixtures/hardening/random';

const FIELD = /%[A-Za-z_][\w.]*(?:\[[^\]]*\])?/g;

/** The plain scan: every template matched, the best score wins, the first of equal scores. */
function plainScan(templates: CompiledTemplate[], output: string, priority: number): CompiledTemplate | undefined {
  let best: CompiledTemplate | undefined;
  let bestScore = 0;
  for (const t of templates) {
    if (!matchTemplate(output, t)) continue;
    const score = referenceScore(t, priority);
    if (best === undefined || score > bestScore) { best = t; bestScore = score; }
  }
  return best;
}

/** identifyRule and identify against the plain scan, for one output and priority; whether a rule was named. */
function checkSame(library: TemplateLibrary, templates: CompiledTemplate[], output: string, priority: number): boolean {
  const expected = plainScan(templates, output, priority);
  const label = `${JSON.stringify(output)} priority ${priority}`;
  assert.equal(library.identifyRule(output, priority), expected?.rule, label);
  const match = library.identify(output, priority);
  assert.equal(match?.rule, expected?.rule, label);
  if (expected) {
    const values = matchTemplate(output, expected)!;
    assert.deepEqual(match!.values.slice(0, values.length), values, label);
  }
  return expected !== undefined;
}

const VALUES: readonly string[] = [
  'acme-prod-4411', 'x', '', 'a b', ' ', '  ', 'a  b', '<NA>', 'bob@example.com', '185.196.206.189', 'google-cloud-sdk gcloud/478.0.0',
  ' container_id=', 'k=v', 'user=root', 'project=p', ' A', ' A GCP', ' A GCP VM', 'A GCP VM has been', ' by user=', '😀', '\u00a0',
];
const SUFFIXES: readonly string[] = [' container_id=abc123 container_name=web', ' container_id=host container_name=host', ' container_id=', ')', ' ', ''];

function corpusRules(): RuleSummary[] {
  return [
    ...corpusFiles('rules/falcosecurity__rules', /_rules\.yaml$/),
    ...corpusFiles('rules/falcosecurity__plugins', /\.ya?ml$/),
  ].flatMap((f) => { try { return ruleSummaries(f); } catch { return []; } });
}

/** The library's groups: internal structure, read only to make sure the lookup these tests check is the one taken. */
function groupsOf(library: TemplateLibrary): { first: string; byNext: Map<number, unknown[]> }[] {
  const buckets = (library as unknown as { byPrefix: Map<number, { groups: { first: string; byNext: Map<number, unknown[]> }[] }> }).byPrefix;
  return [...buckets.values()].flatMap((b) => b.groups);
}

test('the corpus gcp_auditlog templates form one group by their shared first literal `project=`', { skip: !corpusExists && 'corpus absent' }, () => {
  const library = new TemplateLibrary();
  library.refresh(corpusRules());
  const groups = groupsOf(library);
  const project = groups.find((g) => g.first === 'project=');
  assert.ok(project, groups.map((g) => g.first).join(', '));
  const members = [...project.byNext.values()].reduce((n, l) => n + l.length, 0);
  assert.equal(members, 39);
  assert.ok(Math.max(...[...project.byNext.values()].map((l) => l.length)) <= 4, 'the key splits the group');
});

test('every corpus template\'s own rendering is named as a plain scan of all templates names it, with and without the container suffix (seed 913)', { skip: !corpusExists && 'corpus absent' }, () => {
  const rules = corpusRules();
  assert.ok(rules.length > 100, `${rules.length} rules`);
  const library = new TemplateLibrary();
  library.refresh(rules);
  const templates = templatesInLibraryOrder(rules);
  const random = new Random(913);
  let named = 0;
  let gcp = 0;
  for (const rule of rules) {
    if (!rule.output) continue;
    // As alerts-identify renders them: each field replaced by a value.
    const rendered = rule.output.trim().replace(FIELD, () => random.pick(['x', '', 'a b', '/usr/bin/sh', '<NA>', '12', 'k=v', ')', 'acme-prod-4411']));
    for (const output of [rendered, `${rendered} container_id=abc123 container_name=web`]) {
      for (const priority of [-1, 4, random.int(8)]) {
        if (checkSame(library, templates, output, priority)) {
          named++;
          if (output.startsWith('project=')) gcp++;
        }
      }
    }
  }
  assert.ok(named > rules.length * 4, `${named} named`);
  assert.ok(gcp >= 39 * 6, `${gcp} gcp named`);
});

test('seeded renderings and mutations of the corpus templates, values holding the group\'s second literals and spaces, are named as the plain scan names them (seed 914)', { skip: !corpusExists && 'corpus absent' }, () => {
  const rules = corpusRules();
  const library = new TemplateLibrary();
  library.refresh(rules);
  const templates = templatesInLibraryOrder(rules);
  const random = new Random(914);
  // Second literals of other templates as values: the walk must not stop at a first occurrence that is not the member's.
  const seconds = templates.filter((t) => t.literals.length > 2).map((t) => t.literals[1]);
  const value = () => {
    const roll = random.next();
    return roll < 0.2 ? random.pick(seconds) : roll < 0.25 ? random.pick(seconds).slice(0, 1 + random.int(12)) : roll < 0.3 ? random.pick(NASTY_PIECES) : random.pick(VALUES);
  };
  const gcpRules = rules.filter((r) => r.output?.trim().startsWith('project='));
  assert.equal(gcpRules.length, 39);
  let named = 0;
  let unnamed = 0;
  for (let n = 0; n < 6000; n++) {
    // Half of the outputs from the gcp group, the rest from every rule.
    const rule = random.next() < 0.5 ? random.pick(gcpRules) : random.pick(rules);
    if (!rule.output) continue;
    let output = rule.output.trim().replace(FIELD, value) + (random.chance(0.4) ? random.pick(SUFFIXES) : '');
    const roll = random.next();
    const at = random.int(output.length + 1);
    if (roll < 0.15) output = output.slice(0, at);
    else if (roll < 0.3) output = output.slice(0, at) + output.slice(Math.min(output.length, at + 1 + random.int(6)));
    else if (roll < 0.45) output = output.slice(0, at) + value() + output.slice(at);
    for (const priority of [-1, random.int(8)]) {
      if (checkSame(library, templates, output, priority)) named++; else unnamed++;
    }
  }
  assert.ok(named > 6000 && unnamed > 500, `${named} named, ${unnamed} not`);
});

test('the group lookup at its edges: overlapping anchors, values with the anchor, colliding keys, short outputs, equal scores, small groups', () => {
  const rule = (name: string, output: string, priority = 'WARNING', enabled = true): RuleSummary => ({ name, source: 'syscall', output, priority, tags: [], enabled });
  const rules = [
    // Equal scores (17 literal characters each): the group member comes first in rule order, so it wins, although
    // the plain template (two adjacent fields: not grouped) is tried before the group's members.
    rule('tie member', 'pname=%a.b Tie one=%c.d'),
    rule('tie plain', 'pname=%a.b%c.d Tie one=%e.f'),
    // A group under `pname=`: second literals start with "  " or " " (anchor " "), one pair only differs late.
    rule('one', 'pname=%a.b  Thing one happened by user=%c.d'),
    rule('two', 'pname=%a.b Thing two happened by user=%c.d'),
    rule('three', 'pname=%a.b Thing three happened by user=%c.d ip=%e.f'),
    rule('three same', 'pname=%a.b Thing three happened by user=%c.d ip=%e.f', 'NOTICE'),
    rule('three disabled', 'pname=%a.b Thing three happened by user=%c.d ip=%e.f', 'WARNING', false),
    // 'Aa' and 'BB' give the same 31-based hash: two keys that collide.
    rule('collide Aa', 'pname=%a.b AaXXXXXX end=%c.d'),
    rule('collide BB', 'pname=%a.b BBXXXXXX end=%c.d'),
    rule('long second', 'pname=%a.b Thing two happened by user=%c.d and more=%e.f'),
    // Too short a second literal for the key, or no field after it: tried one by one.
    rule('short second', 'pname=%a.b ab=%c.d'),
    rule('last literal', 'pname=%a.b Thing one happened'),
    rule('adjacent', 'pname=%a.b%c.d Thing=%e.f'),
    // Only three share `qname=`: below the group size, tried one by one.
    rule('q1', 'qname=%a.b first thing=%c.d'), rule('q2', 'qname=%a.b second thing=%c.d'), rule('q3', 'qname=%a.b third thing=%c.d'),
    rule('unprefixed', 'x=%a.b Thing two happened by user=%c.d'),
  ];
  const library = new TemplateLibrary();
  library.refresh(rules);
  assert.deepEqual(groupsOf(library).map((g) => [g.first, [...g.byNext.values()].reduce((n, l) => n + l.length, 0)]), [['pname=', 9]]);
  const templates = templatesInLibraryOrder(rules);
  const outputs = [
    'pname=acme  Thing one happened by user=bob', 'pname=acme Thing two happened by user=bob', 'pname=a b Thing two happened by user=bob',
    'pname=a  Thing two happened by user=b Thing one happened by user=c', 'pname= Thing three happened by user=x ip=1.2.3.4',
    'pname=acme Thing three happened by user=bob ip=1 container_id=c container_name=n', 'pname=v AaXXXXXX end=1', 'pname=v BBXXXXXX end=2',
    'pname=Thing two happened by user= AaXXXXXX end=3', 'pname=acme Thing two happened by user=bob and more=1', 'pname=acme ab=1',
    'pname=acme Thing one happened', 'pname=acme Thing one happened container_id=x', 'pname=ab Thing=1', 'pname=', 'pname=      ', 'pname= Thing',
    'pname= Thing two happened by user', 'pname=x AaXXXXX', 'qname=1 second thing=2', 'qname=1 first thing=2 second thing=3', 'x=1 Thing two happened by user=2',
    'pname=x Tie one=1', 'pname=x y Tie one=1', 'pname=acme    Thing one happened by user=bob', 'pname=acme   Thing two happened by user=bob',
  ];
  for (const output of outputs) for (const priority of [-1, 4, 5]) checkSame(library, templates, output, priority);
  assert.equal(library.identifyRule('pname=acme Thing three happened by user=bob ip=1', 5)?.name, 'three same');
  assert.equal(library.identifyRule('pname=acme Thing three happened by user=bob ip=1', 4)?.name, 'three');
  assert.equal(library.identifyRule('pname=v BBXXXXXX end=2', -1)?.name, 'collide BB');
  assert.equal(library.identifyRule('pname=x Tie one=1', -1)?.name, 'tie member');
  assert.equal(library.identify('pname=x Tie one=1', -1)?.rule.name, 'tie member');
  assert.equal(library.identifyRule('pname=a  Thing two happened by user=b Thing one happened by user=c', -1)?.name, 'two');
  const random = new Random(915);
  const pieces = [' ', '  ', 'Tie one=', 'Thing ', 'one ', 'two ', 'three ', 'happened ', 'by ', 'user=', 'ip=', 'AaXXXXXX ', 'BBXXXXXX ', 'end=', 'x', 'pname=', ' container_id=c'];
  for (let n = 0; n < 5000; n++) {
    let output = random.pick(['pname=', 'pname=', 'qname=', 'x=']);
    for (let k = random.int(12); k > 0; k--) output += random.pick(pieces);
    checkSame(library, templates, output, random.pick([-1, 4, 5]));
  }
});
