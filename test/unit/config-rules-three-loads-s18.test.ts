// Session 18: a rules file listed three times is loaded three times (load_rules_files.cpp 0.44.0:45-49 keeps every
// path, :64 loads each; configuration.cpp:701-742 appends without looking for repeats): each repeat is said for what
// it is. The third listing is the third load, the second repeat, in the configuration's finding and in the rules
// file's own, each pointing at the loads before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { doc, message, OUTPUT } from './config-service-helpers';
import { FileLinkHost, rulesDoc } from './rules-host';

const BASE = '- list: shells\n  items: [bash]\n';
const TEAM = '- list: shells\n  items: [zsh]\n  override:\n    items: append\n';
const CONFIG = '/etc/falco/falco.yaml';
const FILES = { '/etc/falco/falco_rules.yaml': BASE, '/etc/falco/team.yaml': TEAM };

function setup(config: string) {
  const host = new FileLinkHost({ ...FILES, [CONFIG]: config }, {}, { folders: [] });
  host.config = { ...host.config, falcoVersion: '0.44', falcoConfigFile: CONFIG, rules: { ...host.config.rules, files: undefined } };
  return new FalcoLanguageService(host);
}

const lineOf = (d: { range: Diagnostic['range'] }) => d.range.start.line;
const textOf = (text: string, d: { range: Diagnostic['range'] }) => {
  const t = TextDocument.create('file:///x', 'yaml', 1, text);
  return text.slice(t.offsetAt(d.range.start), t.offsetAt(d.range.end));
};

test('a path listed three times: the second listing loads it twice, the third a third time', () => {
  const config = `${OUTPUT}rules_files:\n  - /etc/falco/falco_rules.yaml\n  - /etc/falco/team.yaml\n  - /etc/falco/falco_rules.yaml\n  - /etc/falco/falco_rules.yaml\n`;
  const service = setup(config);
  const found = service.config.diagnostics(doc(CONFIG, config)).filter((d) => d.code === 'config-rules-file-loaded-again');
  assert.deepEqual(found.map(lineOf), [5, 6]);
  assert.equal(message(found[0]), 'Falco loads \'/etc/falco/falco_rules.yaml\' twice: \'/etc/falco/falco_rules.yaml\' (line 4) loads it already. The second load replaces each rule, macro and list it defines without a message, undoing what the files loaded between did to them, and applies its appends again.');
  assert.equal(message(found[1]), 'Falco loads \'/etc/falco/falco_rules.yaml\' a third time: \'/etc/falco/falco_rules.yaml\' (line 4) and \'/etc/falco/falco_rules.yaml\' (line 6) load it already. The third load replaces each rule, macro and list it defines without a message, undoing what the files loaded between did to them, and applies its appends again.');
  assert.deepEqual(found[1].relatedInformation?.map((r) => [r.location.range.start.line, r.message]),
    [[3, '\'/etc/falco/falco_rules.yaml\' loads it first'], [5, '\'/etc/falco/falco_rules.yaml\' loads it the second time']]);

  // The rules file's own findings: one per repeat, the files loaded between named for the repeat they precede.
  const rules = rulesDoc('/etc/falco/falco_rules.yaml', BASE);
  service.rules.didOpenOrChange?.(rules);
  const said = service.rules.diagnostics(rules).filter((d) => d.code === 'rules-file-loaded-again');
  assert.deepEqual(said.map((d) => message(d)), [
    'Falco loads this file twice: the configured rules path \'/etc/falco/falco_rules.yaml\' is listed twice. The second load replaces each rule, macro and list it defines without a message, undoing what team.yaml (loaded between) did to them, and applies its appends again.',
    'Falco loads this file a third time: the configured rules path \'/etc/falco/falco_rules.yaml\' is listed a third time. The third load replaces each rule, macro and list it defines without a message, and applies its appends again.',
  ]);
  assert.deepEqual(said[1].relatedInformation?.map((r) => [r.location.range.start.line, textOf(config, r.location), r.message]), [
    [6, '/etc/falco/falco_rules.yaml', 'Falco loads it again here: \'/etc/falco/falco_rules.yaml\''],
    [3, '/etc/falco/falco_rules.yaml', 'Falco loads it first here: \'/etc/falco/falco_rules.yaml\''],
    [5, '/etc/falco/falco_rules.yaml', 'Falco loads it the second time here: \'/etc/falco/falco_rules.yaml\''],
  ]);
});
