// Session 23: the two expansions session 22 left unchecked. A '<<' pair of a flow mapping written over several lines,
// and an alias used as a mapping's key (go-yaml v2 decodes the key node through decoder.alias, decode.go:390-401 and
// :661-673 at v2.4.0, so the key is the anchored scalar; a collection there is refused, 'invalid map key'). Both left a
// Falco Operator Rulesfile's inlineRules, a Config's config or the chart's falco: values unchecked; now the pairs a
// flow '<<' merges take its first line (the rest blanked, line breaks kept), and an alias key whose anchor is outside
// the block is written as the JSON key kubectl sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { openHost, operatorRulesfile, textAt } from './embedded-helpers';

const texts = (host: string) => analyzeHost(host).files.map((f) => f.text);
function findings(host: string, uri: string) {
  const s = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(s, host, uri);
  return s.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(host, d), String(d.message)]);
}
const rulesfile = (inline: string[], metadata = '') => operatorRulesfile('x', ['inlineRules:', ...inline.map((l) => `  ${l}`), 'priority: 60', ''].join('\n'))
  .replace('metadata:\n', `metadata:\n${metadata}`);

test('a flow \'<<\' over several lines: its merged pairs on its first line, the rest blanked; findings on that line', () => {
  const values = 'defaults: &out {enabled: ture}\nfalco:\n  file_output: {<<: [*out,\n      {filename: /var/log/falco.txt}], keep_alive: false}\n  log_level: info\n';
  assert.deepEqual(texts(values), [
    `file_output: {"filename": "/var/log/falco.txt", "enabled": "ture"\n${' '.repeat(35)}, keep_alive: false}\nlog_level: info\n`,
  ]);
  const found = findings(values, 'file:///ws/values.yaml').filter(([code]) => code !== 'embedded-helm-expanded');
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['config-wrong-type', '<<: [*out,']]);
  // A Rulesfile's inlineRules alike.
  const host = rulesfile(['- {rule: r, <<: {desc: d,', '     priority: INFO}, condition: evt.type = open and nope, output: o}']);
  assert.deepEqual(texts(host), [`- {rule: r, "desc": "d", "priority": "INFO"\n${' '.repeat(20)}, condition: evt.type = open and nope, output: o}\n`]);
  assert.deepEqual(findings(host, 'file:///ws/r.yaml').filter(([code]) => code !== 'embedded-kubectl-expanded').map(([code, at]) => [code, at]), [['undefined-macro', 'nope']]);
});

test('an alias as a key: the anchored scalar\'s key, written as kubectl sends it', () => {
  const values = 'names:\n  k: &k log_level\nfalco:\n  *k : bogus\n  stdout_output:\n    enabled: true\n';
  assert.deepEqual(texts(values), ['"log_level" : bogus\nstdout_output:\n  enabled: true\n']);
  assert.deepEqual(findings(values, 'file:///ws/values.yaml').filter(([code]) => code !== 'embedded-helm-expanded').map(([code, at]) => [code, at]), [['config-start-fails', 'bogus']]);
  // A Rulesfile's inlineRules alike.
  const host = rulesfile(['- rule: r', '  *d : a description', '  condition: evt.type = open', '  output: o', '  priority: INFO'], '  annotations:\n    d: &d desc\n');
  assert.deepEqual(texts(host), ['- rule: r\n  "desc" : a description\n  condition: evt.type = open\n  output: o\n  priority: INFO\n']);
});

test('an alias key naming a mapping: refused (\'invalid map key\'), the block left unchecked', () => {
  const values = 'names:\n  k: &k {a: 1}\nfalco:\n  *k : bogus\n  stdout_output:\n    enabled: true\n';
  assert.deepEqual(texts(values), []);
  assert.deepEqual(findings(values, 'file:///ws/values.yaml'), [[
    'embedded-helm-expanded', '*k', 'Helm refuses these values: *k names a mapping (line 2), which cannot be a mapping\'s key (\'invalid map key\').',
  ]]);
});
