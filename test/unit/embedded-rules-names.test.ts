// Which customRules entries Falco loads: the chart mounts each entry as a file of /etc/falco/rules.d, and Falco reads
// that folder as any rules folder (config/rulesFiles.ts loadsRulesPath), at the target release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { MemoryHost } from './rules-host';

const VALUES = [
  'customRules:',
  '  my-rules: |-',
  '    - list: a',
  '      items: [x]',
  '  twice.yaml.yaml: |-',
  '    - list: b',
  '      items: [y]',
  '  fine.yml.yaml: |-',
  '    - list: c',
  '      items: [z]',
  'falco:',
  '  rules_files:',
  '    - /etc/falco/falco_rules.yaml',
  '',
].join('\n');

function holderProblems(falcoVersion: string): string[][] {
  const host = new MemoryHost({}, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion };
  const service = new FalcoLanguageService(host);
  const doc = TextDocument.create('file:///ws/values.yaml', 'yaml', 1, VALUES);
  service.embedded.didOpenOrChange?.(doc);
  const key = (d: Diagnostic) => VALUES.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character);
  return service.embedded.diagnostics(doc).filter((d) => String(d.code).startsWith('embedded-')).map((d) => [String(d.code), key(d), String((d.data as { replacement?: string } | undefined)?.replacement ?? '')]);
}

test('customRules names Falco skips, judged as the target release reads rules.d', () => {
  // 0.41 and later: a path matching *.yaml or *.yml as matches_wildcard matches it (configuration.cpp:731-742 at
  // 0.44.1): the first '.yaml' of the path must end it, so twice.yaml.yaml is skipped; fine.yml.yaml is read.
  assert.deepEqual(holderProblems('0.44'), [
    ['embedded-not-yaml-name', 'my-rules', 'my-rules.yaml'],
    ['embedded-not-yaml-name', 'twice.yaml.yaml', 'twice.yaml'],
    ['embedded-rules-dir-not-loaded', 'fine.yml.yaml', ''],
  ]);
  // 0.40: every file of the folder is read (configuration.cpp:722 at 0.40.0): no name is skipped, and every entry is
  // one that falco.rules_files without rules.d never loads.
  assert.deepEqual(holderProblems('0.40'), [
    ['embedded-rules-dir-not-loaded', 'fine.yml.yaml', ''],
    ['embedded-rules-dir-not-loaded', 'my-rules', ''],
    ['embedded-rules-dir-not-loaded', 'twice.yaml.yaml', ''],
  ]);
  // The proposed names are read.
  const renamed = VALUES.replace('my-rules:', 'my-rules.yaml:').replace('twice.yaml.yaml:', 'twice.yaml:');
  assert.deepEqual(analyzeHost(renamed, '0.44').problems.filter((p) => p.code === 'embedded-not-yaml-name'), []);
});
