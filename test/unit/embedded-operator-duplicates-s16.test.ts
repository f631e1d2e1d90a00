// A key written twice in a Falco Operator resource's inlineRules or config: kubectl (go-yaml v2 into a Go map) keeps
// the last pair, the operator writes back that one, and Falco never sees the earlier one. The checks read what Falco
// receives, and the dropped key says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { openHost, operatorConfig, operatorRulesfile, textAt } from './embedded-helpers';
import { service } from './operator-tuning-helpers';

const DROPPED = 'embedded-kubectl-dropped-key';
const dropped = (doc: string) => analyzeHost(doc).problems.filter((p) => p.code === DROPPED).sort((a, b) => a.span[0] - b.span[0]).map((p) => [p.severity, doc.slice(p.span[0], p.span[1]), p.message] as const);
const checked = (manifest: string, uri: string) => {
  const { service: s } = service({});
  const doc = openHost(s, manifest, uri);
  return s.embedded.diagnostics(doc).filter((d) => d.code !== 'embedded-kubectl-scalar').map((d) => [String(d.code), textAt(manifest, d)]);
};

test('inlineRules: the last pair of a key is what Falco receives; the earlier one is said never to reach Falco', () => {
  const manifest = operatorRulesfile('x', [
    'inlineRules:',
    '  - rule: first',
    '    desc: d',
    '    condition: evt.type = opn',
    '    output: o',
    '    priority: WARNING',
    '    condition: evt.type = open',
    '  - rule: dropped',
    '    rule: second',
    '    desc: d',
    '    condition: evt.type = execve',
    '    exceptions:',
    '      - name: e',
    '        fields: proc.name',
    '        values: [x]',
    '    output: o',
    '    exceptions:',
    '      - name: e2',
    '        fields: proc.name',
    '    priority: WARNING',
    '',
  ].join('\n'));
  // Falco gets `condition: evt.type = open`, the rule 'second' (no 'dropped' rule, not a list too) and the exception e2.
  assert.deepEqual(checked(manifest, 'file:///ws/deploy/rules.yaml'), [
    [DROPPED, 'condition'], [DROPPED, 'rule'], [DROPPED, 'exceptions'],
  ]);
  assert.deepEqual(dropped(manifest).map(([severity, text]) => [severity, text]), [['warning', 'condition'], ['warning', 'rule'], ['warning', 'exceptions']]);
  assert.equal(dropped(manifest)[0][2], 'This condition never reaches Falco: a later pair of this mapping has the key condition again, and kubectl keeps the last value of a key (go-yaml decodes the mapping into a map, each pair replacing the one before). The operator writes only the later one into /etc/falco/rules.d. Keep one.');
});

test('keys kubectl reads the same are one key: on and true, 0777 and 511, a and "a"', () => {
  const config = operatorConfig('c', 60, [
    'plugins:',
    '  - name: p',
    '    library_path: libp.so',
    '    init_config:',
    '      on: 1',
    '      true: 2',
    '      0777: x',
    '      511: y',
    '      a: 1',
    '      "a": 2',
    'buffered_outputs: maybe',
    'buffered_outputs: true',
  ].join('\n'));
  assert.deepEqual(dropped(config).map(([, text, message]) => [text, /has (.*?), and kubectl/.exec(message)?.[1]]), [
    ['on', 'true, which kubectl reads as the same key, the boolean true (YAML 1.1, as Kubernetes\' clients read a manifest)'],
    ['0777', '511, which kubectl reads as the same key, the number 511 (YAML 1.1, as Kubernetes\' clients read a manifest)'],
    ['a', '"a", which kubectl reads as the same key, the string \'a\' (YAML 1.1, as Kubernetes\' clients read a manifest)'],
    ['buffered_outputs', 'the key buffered_outputs again'],
  ]);
  // No config-duplicate-key (yaml-cpp's first pair) and no wrong type for 'maybe': Falco gets true.
  assert.deepEqual(checked(config, 'file:///ws/deploy/config.yaml').filter(([code]) => code !== DROPPED), []);
});

test('a dropped pair in a flow mapping, and a dropped first key of an item, leave what Falco reads', () => {
  const manifest = operatorRulesfile('x', [
    'inlineRules:',
    '  - {list: a, items: [x], list: b}',
    '  - rule: gone',
    '    desc: d',
    '    condition: evt.type = open',
    '    output: o',
    '    priority: WARNING',
    '    rule: kept',
    '  - rule: kept',
    '    enabled: false',
    '    override: {enabled: replace}',
    '  - list: c',
    '    items: [a, b]',
    '    override: {items: append}',
    '',
  ].join('\n'));
  // Falco gets the list 'b' only (unused), the append to 'c' has no definition; the override of 'kept' finds it.
  const found = checked(manifest, 'file:///ws/deploy/rules.yaml');
  assert.deepEqual(found.filter(([code]) => code !== DROPPED), [['no-previous-definition', 'c'], ['unused-list', 'b']]);
  assert.deepEqual(found.filter(([code]) => code === DROPPED).map(([, text]) => text), ['list', 'rule']);
});

test('keys that kubectl reads as two but JSON writes as one: which reaches Falco is Go\'s map order; the later one is checked', () => {
  const config = operatorConfig('c', 60, [
    'plugins:',
    '  - name: p',
    '    library_path: libp.so',
    '    init_config:',
    '      "true": 1',
    '      on: 2',
    '      1e3: x',
    '      1000: y',
    '      .nan: a',
    '      .NaN: b',
    '      "511": q',
    '      0777: r',
    '      0777: s',
    'metrics:',
    '  "false": 1',
    '  off: 2',
  ].join('\n'));
  assert.deepEqual(dropped(config).map(([severity, text, message]) => [severity, text, /^kubectl reads .*? JSON key '[^']*'|^This \S+ never reaches Falco/.exec(message)?.[0]]), [
    ['warning', '"true"', 'kubectl reads "true" as the string \'true\' and the later on as the boolean true (YAML 1.1, as Kubernetes\' clients read a manifest): two keys of its map, which both become the JSON key \'true\''],
    ['warning', '1e3', 'kubectl reads 1e3 as the number 1000 and the later 1000 as the number 1000 (YAML 1.1, as Kubernetes\' clients read a manifest): two keys of its map, which both become the JSON key \'1000\''],
    ['warning', '.nan', 'kubectl reads .nan as the number NaN and the later .NaN as the number NaN (YAML 1.1, as Kubernetes\' clients read a manifest): two keys of its map, which both become the JSON key \'.nan\''],
    ['warning', '"511"', 'kubectl reads "511" as the string \'511\' and the later 0777 as the number 511 (YAML 1.1, as Kubernetes\' clients read a manifest): two keys of its map, which both become the JSON key \'511\''],
    ['warning', '0777', 'This 0777 never reaches Falco'],
    ['warning', '"false"', 'kubectl reads "false" as the string \'false\' and the later off as the boolean false (YAML 1.1, as Kubernetes\' clients read a manifest): two keys of its map, which both become the JSON key \'false\''],
  ]);
  assert.match(dropped(config)[0][2], /Which of them reaches Falco changes from one kubectl run to the next; Falco Lens checks the later one\. Keep one\.$/);
  // Falco gets one metrics key 'false' (the later, 2): no duplicate key, and 'false' is still unknown to Falco.
  assert.deepEqual(checked(config, 'file:///ws/deploy/config.yaml').filter(([code]) => code !== DROPPED && code !== 'embedded-kubectl-scalar').map(([code]) => code).filter((c) => c.includes('duplicate')), []);
});
