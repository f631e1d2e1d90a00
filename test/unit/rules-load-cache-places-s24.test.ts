// The rules workspace reuses its last load result while the files' models are the same (workspace.ts sameModels).
// It compared the models alone, but the result's files carry more that messages and related locations read: where
// falco.yaml names a configured path (entry, entryAt), the file's label, whether it is configured. After falco.yaml
// was edited and saved (a line added above rules_files), the rules files' texts unchanged, the finding of a file
// loaded twice still pointed at the old lines of falco.yaml. The cached result now holds only while each file is
// named and placed the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { OUTPUT } from './config-service-helpers';
import { FileLinkHost, rulesDoc } from './rules-host';

const BASE = '- list: shells\n  items: [bash]\n';
const CONFIG = '/etc/falco/falco.yaml';
const RULES = '/etc/falco/falco_rules.yaml';

test('the loaded-again finding follows falco.yaml when it changes and the rules files do not', () => {
  const config = `${OUTPUT}rules_files:\n  - ${RULES}\n  - ${RULES}\n`;
  const host = new FileLinkHost({ [RULES]: BASE, [CONFIG]: config }, {}, { folders: [] });
  host.config = { ...host.config, falcoVersion: '0.44', falcoConfigFile: CONFIG, rules: { ...host.config.rules, files: undefined } };
  const service = new FalcoLanguageService(host);
  const rules = rulesDoc(RULES, BASE);
  service.rules.didOpenOrChange?.(rules);
  const entryLines = () => service.rules.diagnostics(rules).filter((d) => d.code === 'rules-file-loaded-again')
    .flatMap((d) => d.relatedInformation?.map((r) => r.location.range.start.line) ?? []);
  const first = config.split('\n').indexOf(`  - ${RULES}`);
  assert.deepEqual(entryLines(), [first + 1, first]);
  // A comment line above, saved: the watcher reports falco.yaml.
  host.files.set(CONFIG, `# reviewed\n${config}`);
  service.didChangeWatchedFiles([`file://${CONFIG}`]);
  assert.deepEqual(entryLines(), [first + 2, first + 1]);
});
