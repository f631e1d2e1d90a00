// Session 18: Falco reads its configuration with yaml-cpp, which gives an alias the node its anchor names
// (NodeBuilder::OnAlias pushes the node registered for the anchor), as the rules side reads aliases (rules/model.ts).
// A value an alias gives is checked as that value: its findings are placed in the anchored text (or at the alias, when
// about the whole value) with the alias as related location; an alias naming no anchor before it makes yaml-cpp refuse
// the file (singledocparser.cpp LookupAnchor, UNKNOWN_ANCHOR); a quick fix never writes through an alias into the
// anchored text without saying so. In falco.yaml, a config_files file, the chart's falco values, a ConfigMap's
// falco.yaml and a Falco Operator Config.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { RULES_FILE, doc, message, service } from './config-service-helpers';
import { openHost, operatorConfig, textAt } from './embedded-helpers';

const MAIN = '/etc/falco/falco.yaml';
const INCLUDED = '/etc/falco/config.d/outputs.yaml';
const RULES = `rules_files: [${RULES_FILE}]\n`;

function checked(text: string, files: Record<string, string> = {}, path = MAIN) {
  const { service: s } = service({ [path]: text, ...files });
  const d = doc(path, text);
  const list = s.config.diagnostics(d);
  return { s, d, list, found: list.map((x) => [String(x.code), textAt(text, x)]) };
}

function related(text: string, d: Diagnostic): [string, string][] {
  return (d.relatedInformation ?? []).map((r) => [textAt(text, r.location), r.message]);
}

test('an alias is the node its anchor names: no "should be a mapping", in falco.yaml and in a config_files file', () => {
  const main = `${RULES}stdout_output: &o {enabled: true}\nsyslog_output: *o\nfile_output:\n  <<: *o\n`;
  // yaml-cpp has no merge keys: `<<` stays an unknown key of file_output, but the aliases themselves are read.
  assert.deepEqual(checked(main).found, [['config-unknown-key', '<<']]);
  const block = `${RULES}stdout_output: &o\n  enabled: true\nsyslog_output: *o\nlog_level: &l info\nlibs_logger:\n  enabled: true\n  severity: *l\n`;
  assert.deepEqual(checked(block).found, []);
  // A file of config_files: its own aliases, and the merge reads the values they give (an output enabled there).
  const files = { [INCLUDED]: 'json_output: &t true\nstdout_output: {enabled: *t}\n' };
  const including = `${RULES}config_files: [${INCLUDED}]\n`;
  assert.deepEqual(checked(including, files).found, []);
  assert.deepEqual(checked(files[INCLUDED], { [MAIN]: including }, INCLUDED).found, []);
});

test('a finding in text read through an alias is placed in the anchored text, or at the alias for the whole value', () => {
  const inside = `${RULES}stdout_output: &o {enabled: true}\nx_outputs: &x {enabled: maybe}\nsyslog_output: *x\n`;
  const { list } = checked(inside);
  const wrong = list.find((d) => d.code === 'config-wrong-type')!;
  assert.equal(textAt(inside, wrong), 'maybe');
  assert.match(message(wrong), /^syslog_output\.enabled should be true or false, not a string\. .* Read through the alias \*x \(line 4\)\.$/);
  assert.deepEqual(related(inside, wrong), [['*x', 'read here through *x']]);
  // The whole value: at the alias, its anchor's node a related location.
  const whole = `${RULES}stdout_output: {enabled: true}\nlists: &l [a]\nsyslog_output: *l\n`;
  const [, shape] = checked(whole).list;
  assert.equal(textAt(whole, shape), '*l');
  assert.match(message(shape), /^syslog_output should be a mapping, not a list\. .* This is the value of the alias \*l: the node of its anchor &l \(line 3\), which yaml-cpp gives in its place\.$/);
  assert.deepEqual(related(whole, shape), [['[a]', 'the node of &l, which *l gives']]);
  // An alias inside anchored text read through another alias: both named, the inner one where the value is.
  const nested = `${RULES}stdout_output: {enabled: true}\np: &p maybe\nx: &a {enabled: *p}\nsyslog_output: *a\n`;
  const wrongNested = checked(nested).list.find((d) => d.code === 'config-wrong-type')!;
  assert.equal(textAt(nested, wrongNested), '*p');
  assert.match(message(wrongNested), /the node of its anchor &p \(line 3\), which yaml-cpp gives in its place\. It is read through the alias \*a \(line 5\)\.$/);
  assert.deepEqual(related(nested, wrongNested), [['maybe', 'the node of &p, which *p gives'], ['*a', 'read here through *a']]);
  // A start check of the merged value (file_output enabled without a filename) through an alias.
  const start = `${RULES}stdout_output: &o\n  enabled: true\nfile_output: *o\n`;
  const [refused] = checked(start).list;
  assert.equal(refused.code, 'config-start-fails');
  assert.equal(textAt(start, refused), 'enabled');
  assert.match(message(refused), /no filename in file_output\. Read through the alias \*o \(line 4\)\.$/);
});

test('an alias naming no anchor before it: yaml-cpp refuses the file, as the rules side says it', () => {
  const text = `${RULES}stdout_output: {enabled: *t}\nsyslog_output: {enabled: &t true}\n`;
  const { list, found } = checked(text);
  assert.deepEqual(found, [['config-yaml-syntax', '*t']]);
  assert.equal(message(list[0]), 'YAML: the alias *t names no anchor: its anchor &t comes only later (line 3), and YAML reads an anchor before its aliases. Falco\'s YAML reader refuses the file here ("yaml-cpp: error at line 2, column 26: the referenced anchor is not defined: t"; Falco 0.37 does not print the name). Falco cannot read this file and refuses to start.');
  // In a file of config_files: the main file is told Falco refuses it.
  const including = `${RULES}stdout_output: {enabled: true}\nconfig_files: [${INCLUDED}]\n`;
  const main = checked(including, { [INCLUDED]: 'syslog_output: *nowhere\n' });
  assert.deepEqual(main.found, [['config-start-fails', INCLUDED]]);
  assert.match(message(main.list[0]), /is not valid YAML \(the alias \*nowhere names no anchor: no anchor &nowhere comes before it in the document\./);
});

test('quick fixes never write through an alias silently', () => {
  // A finding read through the alias: its fixes are offered greyed out, saying why.
  const through = `${RULES}stdout_output: {enabled: true}\nlog_level: &l info\nx: &s infoo\nlibs_logger: {enabled: true, severity: *s}\n`;
  const t = checked(through);
  const severity = t.list.find((d) => d.code === 'config-start-fails')!;
  assert.equal(textAt(through, severity), '*s');
  const refused = t.s.config.codeActions!(t.d, severity.range, { diagnostics: [severity] });
  assert.deepEqual(refused.map((a) => [a.title, !!a.edit, a.disabled?.reason]), [["Change to 'info'", false,
    'Not offered: the value is read through *s, and editing the text of &s changes every key that reads it. Edit it by hand, or write this value in place of the alias.']]);
  // A finding of the anchor's own place, whose text an alias reads too: the fix's title says what else it changes.
  const direct = `${RULES}stdout_output: {enabled: true}\nlog_level: &l infoo\nlibs_logger: {enabled: true, severity: *l}\n`;
  const o = checked(direct);
  const level = o.list.find((d) => textAt(direct, d) === 'infoo')!;
  const actions = o.s.config.codeActions!(o.d, level.range, { diagnostics: [level] });
  assert.deepEqual(actions.map((a) => [a.title, !!a.edit, a.disabled]), [["Change to 'info' (also changes what *l (line 4) reads)", true, undefined]]);
  // A key written twice inside anchored text read through an alias: its removal is refused too.
  const twice = `${RULES}stdout_output: {enabled: true}\nx: &o\n  enabled: true\n  enabled: false\nsyslog_output: *o\n`;
  const w = checked(twice);
  const dupes = w.list.filter((d) => d.code === 'config-duplicate-key');
  assert.deepEqual(dupes.map((d) => textAt(twice, d)), ['enabled']);
  const removal = w.s.config.codeActions!(w.d, dupes[0].range, { diagnostics: dupes });
  assert.deepEqual(removal.map((a) => [!!a.edit, !!a.disabled]), [[false, true]]);
});

test('the outline: a key whose value an alias gives ends at the alias', () => {
  const text = `${RULES}stdout_output: &o\n  enabled: true\nsyslog_output: *o\n`;
  const { s, d } = checked(text);
  const symbols = s.config.documentSymbols!(d);
  const syslog = symbols.find((x) => x.name === 'syslog_output')!;
  assert.equal(textAt(text, syslog), 'syslog_output: *o');
  assert.equal(syslog.children, undefined);
  assert.deepEqual(symbols.find((x) => x.name === 'stdout_output')!.children!.map((c) => c.name), ['enabled']);
});

test('the chart\'s falco values, a ConfigMap\'s falco.yaml and an operator Config read aliases in their text as Falco does', () => {
  const s = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const of = (text: string, uri: string) => s.embedded.diagnostics(openHost(s, text, uri)).map((d) => [String(d.code), textAt(text, d)]);
  const values = 'falco:\n  stdout_output: &o\n    enabled: true\n  syslog_output: *o\n  log_level: &l infoo\n  libs_logger: {enabled: true, severity: *l}\n';
  assert.deepEqual(of(values, 'file:///ws/values.yaml'), [['config-start-fails', 'infoo'], ['config-start-fails', '*l']]);
  const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: |\n    stdout_output: &o {enabled: true}\n    syslog_output: *o\n    rules_files: [/etc/falco/falco_rules.yaml]\n`;
  assert.deepEqual(of(cm, 'file:///ws/cm.yaml'), []);
  const config = operatorConfig('outputs', 50, 'stdout_output: &o\n  enabled: true\nsyslog_output: *o');
  assert.deepEqual(of(config, 'file:///ws/config.yaml'), []);
});

test('a fix built from a value an alias gives is not offered (it would write at the wrong place)', () => {
  // rules_files read through an alias of an empty value: Falco names no rules file; the fix adding one to the value
  // would have to write into the anchor's text, so none is offered.
  const empty = 'stdout_output: {enabled: true}\nx: &e\nrules_files: *e\n';
  const e = checked(empty);
  const none = e.list.find((d) => d.code === 'config-no-rules-file')!;
  assert.equal(textAt(empty, none), 'rules_files');
  assert.deepEqual(e.s.config.codeActions!(e.d, none.range, { diagnostics: [none] }), []);
});
