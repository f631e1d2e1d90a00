// Session 17: merge keys and aliases in a Rulesfile's inlineRules or a Config's config, which kubectl expands before
// the API server stores them (go-yaml v2: operatorScalars.ts expansionProblems), so Falco receives no alias and no `<<`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { kubectlPlain, operatorWrittenBack } from '../../server/src/service/kubectlYaml';
import { openHost, operatorConfig, operatorRulesfile, textAt } from './embedded-helpers';
import { service } from './operator-tuning-helpers';

const CODE = 'embedded-kubectl-expanded';
const expanded = (doc: string) => analyzeHost(doc).problems.filter((p) => p.code === CODE).map((p) => [p.severity, doc.slice(p.span[0], p.span[1]), p.message] as const);
const inline = (doc: string) => analyzeHost(doc).files.map((f) => f.text);

test('a merge key in inlineRules or config: kubectl merges it, and the block is not checked as yaml-cpp would read it (inlineRules: checked merged since session 20)', () => {
  const rules = operatorRulesfile('x', [
    'inlineRules:',
    '  - rule: r',
    '    <<: &common',
    '      desc: d',
    '      output: o',
    '      priority: WARNING',
    '    condition: evt.type = open',
    '  - rule: r2',
    '    <<: *common',
    '    condition: evt.type = close',
    'priority: 60',
    '',
  ].join('\n'));
  assert.deepEqual(expanded(rules).map(([severity, text]) => [severity, text]), [['information', '<<'], ['information', '<<']]);
  // Session 20: inlineRules is checked with the keys merged (embedded-operator-merge-s20).
  assert.equal(expanded(rules)[0][2], 'kubectl merges the mapping of this \'<<\' into the one holding it (the pairs take its place: a later pair of the same key replaces them, and they replace an earlier one), so Falco receives the keys merged and no \'<<\' (Falco\'s own YAML reader, yaml-cpp, has no merge keys). Falco Lens checks inlineRules merged so: a finding in the merged keys is shown on this line.');
  assert.equal(inline(rules).length, 1);
  // No finding of the rules checks (it said '<<' is an unknown key, and the rules lack desc, output and priority).
  const { service: s } = service({});
  const uri = 'file:///ws/deploy/falco/rulesfiles.yaml';
  const doc = openHost(s, rules, uri);
  assert.deepEqual(s.embedded.diagnostics(doc).map((d) => [d.code, textAt(rules, d)]), [[CODE, '<<'], [CODE, '<<']]);

  const config = operatorConfig('c', 60, ['defaults: &d', '  enabled: true', 'stdout_output:', '  !!merge <<: *d', 'syslog_output: {<<: [*d, {enabled: false}]}'].join('\n'));
  assert.deepEqual(expanded(config).map(([severity, text]) => [severity, text]), [['information', '<<'], ['information', '<<']]);
  // Session 21: a Config's config is checked as kubectl expands it too (embedded-operator-config-merge-s21).
  assert.deepEqual(inline(config), ['defaults: &d\n  enabled: true\nstdout_output:\n  "enabled": true\nsyslog_output: {"enabled": true}\n']);
  // A merge of no mapping: kubectl refuses the manifest. A quoted '<<' is a key like any other (Falco receives it).
  const refused = operatorConfig('c', 60, ['stdout_output:', '  <<: [a]', '  "<<": x'].join('\n'));
  assert.deepEqual(expanded(refused), [['error', '<<', 'kubectl refuses this manifest: the value of a \'<<\' merge key must be a mapping, an alias of one, or a list of them (\'map merge requires map or sequence of maps as the value\').']]);
});

test('an alias: read as written when its anchor is in the block; an anchor outside it is not read, none is kubectl\'s error', () => {
  const within = operatorRulesfile('x', ['inlineRules:', '  - list: shells', '    items: &sh [bash, sh]', '  - list: more', '    items: *sh', 'priority: 60', ''].join('\n'));
  assert.deepEqual(expanded(within), []);
  assert.deepEqual(inline(within), ['- list: shells\n  items: &sh [bash, sh]\n- list: more\n  items: *sh\n']);
  const outside = operatorRulesfile('x', ['inlineRules:', '  - list: shells', '    items: *names', 'priority: 60', 'names: &names [bash]', ''].join('\n')).replace('metadata:\n', 'metadata:\n  labels: {shells: &names [bash, sh]}\n');
  // Session 21: checked with the copy kubectl sends in place of the alias (embedded-operator-merge-s21).
  assert.deepEqual(expanded(outside), [['information', '*names', 'kubectl replaces *names with a copy of the node its anchor names (line 4), outside inlineRules, and the operator writes that copy for Falco. Falco Lens checks inlineRules with that copy in place of the alias: a finding in it is shown on the alias.']]);
  assert.deepEqual(inline(outside), ['- list: shells\n  items: ["bash", "sh"]\n']);
  const none = operatorRulesfile('x', ['inlineRules:', '  - list: shells', '    items: *nowhere', 'priority: 60', ''].join('\n'));
  assert.deepEqual(expanded(none), [['error', '*nowhere', 'kubectl refuses this manifest: no anchor &nowhere comes before this alias in its YAML document (\'yaml: unknown anchor \'nowhere\' referenced\').']]);
});

test('a number through kubectl, the API server and the operator, at the edges of encoding/json and go-yaml\'s floats', () => {
  // kubectl's encoding/json writes a float64 as JavaScript does ('e' form below 1e-6 and from 1e21 on); the API server
  // reads a text without '.' that is a base-10 int64 as an int64 (-0 too), any other as a float64; go-yaml writes a
  // float with FormatFloat 'g' (e form below 1e-4 and from 1e6 on, two exponent digits at least).
  const cases: [string, string | undefined][] = [
    ['-0.0', '0'], ['0.000001', '1e-06'], ['1e-7', '1e-07'], ['0.0001', '0.0001'], ['1e20', '1e+20'], ['1.5e300', '1.5e+300'],
    ['999999.5', '999999.5'], ['1000000.5', '1.0000005e+06'], ['-1e21', '-1e+21'],
  ];
  assert.deepEqual(cases.map(([text]) => [text, operatorWrittenBack(kubectlPlain(text))]), cases);
});
