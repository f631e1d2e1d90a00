// Session 21 (helper C): the merge keys and aliases of a Falco Operator Rulesfile's inlineRules that session 20 left
// unchecked. kubectl reads the manifest with go-yaml v2 (sigs.k8s.io/yaml v1.6.0 imports go.yaml.in/yaml/v2):
// decoder.mapping (decode.go:661-665 at v2.4.0) decodes a mapping's pairs in order into one Go map, a `<<` through
// decoder.merge (:786-811) into that same map, so the last writer of a key stands: a `<<` replaces an own pair before
// it and an earlier `<<`'s keys, a later pair replaces its keys; a list `<<: [*a, *b]` is decoded from its last to its
// first, so `*a` stands. (go-yaml v3 differs: own keys win and only a mapping's last `<<` counts; kubectl does not use
// it.) An alias is a copy of the anchored node, wherever in the YAML document its anchor is. Falco receives that, as
// the operator writes it back; these blocks were not checked at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { openHost, operatorRulesfile, positionOf, textAt } from './embedded-helpers';
import { service } from './operator-tuning-helpers';

const URI = 'file:///ws/deploy/falco/rulesfiles.yaml';
const rulesfile = (inline: string[], metadata = '') => operatorRulesfile('x', ['inlineRules:', ...inline.map((l) => `  ${l}`), 'priority: 60', ''].join('\n'))
  .replace('metadata:\n', `metadata:\n${metadata}`);
const inlineText = (host: string) => analyzeHost(host).files.map((f) => f.text);
const expanded = (host: string) => analyzeHost(host).problems.filter((p) => p.code === 'embedded-kubectl-expanded').map((p) => [p.severity, host.slice(p.span[0], p.span[1]), p.message]);

// Two rules whose own pairs are anchored: `*a` and `*b` below name nodes in text the expansion writes over, so they
// are replaced by their copies too.
const BASES = [
  '- macro: opens',
  '  condition: evt.type = open',
  '- rule: ra',
  '  <<: &a {desc: from a, priority: WARNING}',
  '  condition: opens',
  '  output: o',
  '- rule: rb',
  '  <<: &b {desc: from b, output: o %fd.name, priority: INFO}',
  '  condition: opens',
];
const BASES_MERGED = [
  '- macro: opens',
  '  condition: evt.type = open',
  '- rule: ra',
  '  "desc": "from a"',
  '  "priority": "WARNING"',
  '  condition: opens',
  '  output: o',
  '- rule: rb',
  '  "desc": "from b"',
  '  "output": "o %fd.name"',
  '  "priority": "INFO"',
  '  condition: opens',
];

test('two merge keys in one block mapping: each replaces what was set before it, the later one standing', () => {
  const host = rulesfile([...BASES, '- rule: r', '  priority: ERROR', '  <<: *a', '  <<: *b', '  condition: opens']);
  assert.deepEqual(inlineText(host), [[
    ...BASES_MERGED,
    '- rule: r',
    `  ${' '.repeat('priority: ERROR'.length)}`,
    '',
    '  "desc": "from b"',
    '  "output": "o %fd.name"',
    '  "priority": "INFO"',
    '  condition: opens',
    '',
  ].join('\n')]);
  assert.deepEqual(expanded(host).map(([severity, text]) => [severity, text]), [['information', '<<'], ['information', '<<'], ['information', '<<'], ['information', '<<']]);
  assert.match(String(expanded(host)[0][2]), /Falco Lens checks inlineRules merged so: a finding in the merged keys is shown on this line\.$/);
  const { service: s } = service({});
  assert.deepEqual(s.embedded.diagnostics(openHost(s, host, URI)).filter((d) => d.code !== 'embedded-kubectl-expanded').map((d) => d.code), []);
});

test('a list of aliases: decoded from the last, so the first stands; an own pair after the merge stands over both', () => {
  const host = rulesfile([...BASES, '- rule: r', '  <<: [*a, *b]', '  output: mine %fd.name', '  condition: opens']);
  assert.deepEqual(inlineText(host), [[
    ...BASES_MERGED,
    '- rule: r',
    '  "desc": "from a"',
    '  "priority": "WARNING"',
    '  output: mine %fd.name',
    '  condition: opens',
    '',
  ].join('\n')]);
});

test('a merge key in a flow mapping: the pair is written over by the pairs it merges, on its line; findings sit on it', () => {
  const host = rulesfile([...BASES, '- {rule: r, <<: *a, output: o, condition: opens and nope}', '- {rule: r2, <<: [*b, {x: 1}], condition: opens}']);
  assert.deepEqual(inlineText(host), [[
    ...BASES_MERGED,
    '- {rule: r, "desc": "from a", "priority": "WARNING", output: o, condition: opens and nope}',
    '- {rule: r2, "x": 1, "desc": "from b", "output": "o %fd.name", "priority": "INFO", condition: opens}',
    '',
  ].join('\n')]);
  // An own pair before the merge that it replaces is blanked with its comma; a merge whose keys all come again later
  // goes with its comma.
  const replaced = rulesfile([...BASES, '- {rule: r, priority: ERROR, <<: *a, condition: opens, output: o}', '- {<<: {rule: z}, rule: r3, desc: d, condition: opens, output: o, priority: INFO}']);
  assert.deepEqual(inlineText(replaced)[0].split('\n').slice(-3), [
    `- {rule: r, ${' '.repeat('priority: ERROR, '.length)}"desc": "from a", "priority": "WARNING", condition: opens, output: o}`,
    '- {rule: r3, desc: d, condition: opens, output: o, priority: INFO}',
    '',
  ]);
  const { service: s } = service({});
  const doc = openHost(s, host, URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code !== 'embedded-kubectl-expanded');
  assert.deepEqual(found.map((d) => [d.code, textAt(host, d)]), [
    ['unknown-key', '<<: [*b, {x: 1}]'],
    ['undefined-macro', 'nope'],
  ]);
  assert.match(String(expanded(host)[2][2]), /a finding in the merged keys is shown on this pair\.$/);
});

test('an alias of an anchor outside inlineRules: the copy kubectl sends in its place, findings on the alias', () => {
  const host = rulesfile(['- list: shells', '  items: [*shell, sh]', '- macro: m', '  condition: *cond', '- rule: r', '  desc: d', '  condition: evt.type = open and m and proc.name in (shells)', '  output: o', '  priority: INFO'],
    '  annotations:\n    shell: &shell bash\n    cond: &cond proc.nmae = x\n');
  assert.deepEqual(inlineText(host), [[
    '- list: shells',
    '  items: ["bash", sh]',
    '- macro: m',
    '  condition: "proc.nmae = x"',
    '- rule: r',
    '  desc: d',
    '  condition: evt.type = open and m and proc.name in (shells)',
    '  output: o',
    '  priority: INFO',
    '',
  ].join('\n')]);
  assert.deepEqual(expanded(host), [
    ['information', '*shell', 'kubectl replaces *shell with a copy of the node its anchor names (line 5), outside inlineRules, and the operator writes that copy for Falco. Falco Lens checks inlineRules with that copy in place of the alias: a finding in it is shown on the alias.'],
    ['information', '*cond', 'kubectl replaces *cond with a copy of the node its anchor names (line 6), outside inlineRules, and the operator writes that copy for Falco. Falco Lens checks inlineRules with that copy in place of the alias: a finding in it is shown on the alias.'],
  ]);
  const { service: s } = service({});
  const doc = openHost(s, host, URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code !== 'embedded-kubectl-expanded');
  assert.deepEqual(found.map((d) => [d.code, d.range.start.line, textAt(host, d)]), [['unknown-field', positionOf(host, '*cond').line, '*cond']]);
});
