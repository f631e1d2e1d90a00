// Session 18: the quick fix of a relative rules_files or config_files path writes the path beside the configuration
// file, which changes the file Falco loads (Falco reads a relative path from its working directory, '/' as shipped:
// loadChecks.ts relativePathMessage): its title says which file it loads in place of which (and whether that one is
// missing on this machine), within the 80 characters a title keeps.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { doc, service } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';

function titles(files: Record<string, string>): string[] {
  const { service: s } = service(files);
  const d = doc(MAIN, files[MAIN]);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-relative-path');
  return found.flatMap((x) => s.config.codeActions!(d, x.range, { diagnostics: [x] }).map((a) => a.title));
}

test('the relative path fix says it changes the loaded file, and what Falco reads today', () => {
  const files = {
    [MAIN]: 'stdout_output: {enabled: true}\nrules_files:\n  - /etc/falco/falco_rules.yaml\n  - rules.d/web.yaml\nconfig_files:\n  - config.d/extra.yaml\n',
    '/etc/falco/rules.d/web.yaml': '- list: w\n  items: [a]\n',
    '/etc/falco/config.d/extra.yaml': 'json_output: true\n',
  };
  assert.deepEqual(titles(files), [
    'Load \'/etc/falco/config.d/extra.yaml\', not \'/config.d/extra.yaml\' (missing)',
    'Load \'/etc/falco/rules.d/web.yaml\', not \'/rules.d/web.yaml\' (missing)',
  ]);
  // A file at the path read from '/' is what Falco loads today: the title names it alone.
  const both = { ...files, '/rules.d/web.yaml': '- list: v\n  items: [b]\n' };
  assert.equal(titles(both)[1], 'Load \'/etc/falco/rules.d/web.yaml\', not \'/rules.d/web.yaml\'');
});
