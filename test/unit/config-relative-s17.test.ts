// Session 17: a relative config_files or rules_files path is read from Falco's working directory, which is '/'
// where Falco runs as shipped (its packages' systemd units, its container images, the Helm chart's and the Falco
// Operator's pods): loadChecks.ts relativePathMessage.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { at, check, message, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';

test('a relative rules_files path is Falco\'s working directory\'s: \'/\' as Falco is shipped', () => {
  const files = {
    [MAIN]: `stdout_output: {enabled: true}\nrules_files:\n  - /etc/falco/falco_rules.yaml\n  - rules.d/web.yaml\n  - ./local.yaml\n`,
    '/etc/falco/falco_rules.yaml': '- list: l\n  items: [a]\n',
    '/etc/falco/rules.d/web.yaml': '- list: w\n  items: [a]\n',
  };
  const found = check(files, MAIN).filter((d) => d.code === 'config-relative-path');
  assert.deepEqual(at(found).map(([code, line]) => [code, line]), [['config-relative-path', 3], ['config-relative-path', 4]], show(found));
  assert.equal(message(found[0]), 'Falco reads the relative path \'rules.d/web.yaml\' from its working directory, not from this file\'s folder: \'/rules.d/web.yaml\' where Falco runs from its packages\' systemd units or its container images (the Helm chart\'s and the Falco Operator\'s pods included), which start it in \'/\'; the directory it is started in when run by hand. A path that does not exist there is skipped without a word. \'/etc/falco/rules.d/web.yaml\' exists beside this file; write it as an absolute path.');
  assert.match(message(found[1]), /^Falco reads the relative path '\.\/local\.yaml' from its working directory, not from this file's folder: '\/local\.yaml' where .* Write an absolute path\.$/);
});
