// A rules file that Falco's configuration loads twice (the same path listed twice, a folder and a file in it, a file
// and a link to it, or a path of falco.yaml named again by a file of its config_files) is said where the repeat is
// written: on the rules_files entry of the configuration file that loads it again, with an exact range, and the rules
// file's own finding (rules-file-loaded-again, on its first item) points there. Falco loads every path each entry
// gives, repeats included (load_rules_files.cpp 0.44.0:45-49, 64; configuration.cpp:701-742), only paths that exist
// (configuration.cpp:312-318).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { doc, message, OUTPUT } from './config-service-helpers';
import { FileLinkHost, rulesDoc } from './rules-host';

const BASE = '- list: shells\n  items: [bash]\n- rule: Shell\n  desc: d\n  condition: evt.type = execve and proc.name in (shells)\n  output: "o | p=%proc.name"\n  priority: INFO\n';
const TEAM = '- list: shells\n  items: [zsh]\n  override:\n    items: append\n';
const FILES = {
  '/etc/falco/falco_rules.yaml': BASE,
  '/etc/falco/rules.d/team.yaml': TEAM,
  '/etc/falco/team_rules.yaml': TEAM,
};
const CONFIG = '/etc/falco/falco.yaml';

function setup(config: string, extra: Record<string, string> = {}, links: Record<string, string> = {}) {
  const host = new FileLinkHost({ ...FILES, [CONFIG]: config, ...extra }, links, { folders: [] });
  host.config = { ...host.config, falcoVersion: '0.44', falcoConfigFile: CONFIG, rules: { ...host.config.rules, files: undefined } };
  return new FalcoLanguageService(host);
}

const again = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'config-rules-file-loaded-again');
/** The text a range covers. */
const textOf = (text: string, d: { range: Diagnostic['range'] }) => {
  const t = TextDocument.create('file:///x', 'yaml', 1, text);
  return text.slice(t.offsetAt(d.range.start), t.offsetAt(d.range.end));
};

test('falco.yaml: the repeating entry is flagged, exactly, pointing at the entry that loads the file first', () => {
  const config = `${OUTPUT}rules_files:\n  - /etc/falco/falco_rules.yaml\n  - /etc/falco/rules.d\n  - "/etc/falco/falco_rules.yaml"\n`;
  const service = setup(config);
  const found = again(service.config.diagnostics(doc(CONFIG, config)));
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 3);
  assert.equal(textOf(config, found[0]), '"/etc/falco/falco_rules.yaml"');
  assert.match(message(found[0]), /^Falco loads '\/etc\/falco\/falco_rules\.yaml' twice: '\/etc\/falco\/falco_rules\.yaml' \(line 4\) loads it already\. The second load replaces/);
  const related = found[0].relatedInformation ?? [];
  assert.equal(related.length, 1);
  assert.equal(related[0].location.uri, pathToUri(CONFIG));
  assert.equal(textOf(config, related[0].location), '/etc/falco/falco_rules.yaml');
  assert.equal(related[0].location.range.start.line, 3);

  // The rules file's own finding points at both entries of falco.yaml, the repeating one first.
  const rules = rulesDoc('/etc/falco/falco_rules.yaml', BASE);
  service.rules.didOpenOrChange?.(rules);
  const said = service.rules.diagnostics(rules).filter((d) => d.code === 'rules-file-loaded-again');
  assert.equal(said.length, 1);
  assert.deepEqual(said[0].relatedInformation?.map((r) => `${r.location.uri}:${r.location.range.start.line}:${textOf(config, r.location)}`),
    [`${pathToUri(CONFIG)}:5:"/etc/falco/falco_rules.yaml"`, `${pathToUri(CONFIG)}:3:/etc/falco/falco_rules.yaml`]);
});

test('a folder and a file in it, and a file and a link to it: flagged at the later entry, naming the files', () => {
  const config = `${OUTPUT}rules_files: [/etc/falco/falco_rules.yaml, /etc/falco/rules.d, /etc/falco/rules.d/team.yaml, /etc/falco/team_rules.yaml]\n`;
  const service = setup(config, {}, { '/etc/falco/rules.d/local.yaml': '/etc/falco/team_rules.yaml' });
  const found = again(service.config.diagnostics(doc(CONFIG, config)));
  assert.deepEqual(found.map((d) => textOf(config, d)), ['/etc/falco/rules.d/team.yaml', '/etc/falco/team_rules.yaml']);
  assert.match(message(found[0]), /^Falco loads '\/etc\/falco\/rules\.d\/team\.yaml' twice: '\/etc\/falco\/rules\.d' \(line 3\) loads it already/);
  assert.match(message(found[1]), /^Falco loads '\/etc\/falco\/team_rules\.yaml' \(the same file as '\/etc\/falco\/rules\.d\/local\.yaml', through a link\) twice: '\/etc\/falco\/rules\.d' \(line 3\)/);
});

test('a path of falco.yaml named again by a file of its config_files: said in that file, naming falco.yaml', () => {
  const config = `${OUTPUT}config_files:\n  - /etc/falco/config.d\nrules_files:\n  - /etc/falco/falco_rules.yaml\n`;
  const extra = { '/etc/falco/config.d/team.yaml': 'rules_files:\n  - /etc/falco/rules.d\n  - /etc/falco/falco_rules.yaml\n' };
  const service = setup(config, extra);
  // Falco 0.41+ appends a list of config_files to the main file's (merge.ts): falco_rules.yaml is loaded twice.
  assert.deepEqual(again(service.config.diagnostics(doc(CONFIG, config))), [], 'falco.yaml names it once');
  const included = extra['/etc/falco/config.d/team.yaml'];
  const found = again(service.config.diagnostics(doc('/etc/falco/config.d/team.yaml', included)));
  assert.equal(found.length, 1);
  assert.equal(textOf(included, found[0]), '/etc/falco/falco_rules.yaml');
  assert.match(message(found[0]), /'\/etc\/falco\/falco_rules\.yaml' \(\/etc\/falco\/falco\.yaml\) loads it already/);
  assert.equal(found[0].relatedInformation?.[0].location.uri, pathToUri(CONFIG));
});

test('nothing for paths loaded once, a repeated path that does not exist, or the setting falcoLens.rules.files', () => {
  const once = `${OUTPUT}rules_files: [/etc/falco/falco_rules.yaml, /etc/falco/rules.d]\n`;
  assert.deepEqual(again(setup(once).config.diagnostics(doc(CONFIG, once))), []);
  const missing = `${OUTPUT}rules_files: [/etc/falco/falco_rules.yaml, /etc/falco/none.yaml, /etc/falco/none.yaml]\n`;
  assert.deepEqual(again(setup(missing).config.diagnostics(doc(CONFIG, missing))), []);
  // The repeat comes from the setting: the rules file says so, with no configuration entry to point at.
  const host = new FileLinkHost(FILES, {}, { folders: [], ruleFiles: ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.yaml'] });
  const service = new FalcoLanguageService(host);
  const rules = rulesDoc('/etc/falco/falco_rules.yaml', BASE);
  service.rules.didOpenOrChange?.(rules);
  const said = service.rules.diagnostics(rules).filter((d) => d.code === 'rules-file-loaded-again');
  assert.equal(said.length, 1);
  assert.equal(said[0].relatedInformation, undefined);
});
