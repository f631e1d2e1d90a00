// rules_files entries written with ${VAR}: Falco expands environment variables in every scalar of a configuration
// file when it reads it (yaml_helper.h pre_process_env_vars, 0.37.0:162, 0.38.0:201, userspace/engine/yaml_helper.h
// :319 from 0.41), an unset variable giving nothing. Falco Lens does not know that environment: such a path is never
// "not found", the hover says it depends on the environment, and a chart's customRules are not judged against it.
// Pinned as they were already right (session 16, case 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { check, doc, service, show } from './config-service-helpers';

const MAIN = 'stdout_output: {enabled: true}\nrules_files:\n  - ${RULES_DIR}/custom.yaml\n  - /etc/falco/missing.yaml\n';

test('a ${VAR} rules path is not reported missing, and its hover says Falco expands it', () => {
  const found = check({ '/etc/falco/other.yaml': '- list: l\n  items: [a]\n' }, '/etc/falco/falco.yaml', { text: MAIN });
  assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [['config-rules-path-missing', 3]], show(found));
  const { service: s } = service({});
  const hover = s.config.hover!(doc('/etc/falco/falco.yaml', MAIN), { line: 2, character: 8 });
  assert.match((hover?.contents as MarkupContent).value, /`\$\{RULES_DIR\}` is replaced when Falco reads this file/);
});

test('a chart\'s falco.rules_files through ${VAR}: its customRules are neither ordered nor reported unloaded', () => {
  const values = 'customRules:\n  team.yaml: |-\n    - list: l\n      items: [a]\nfalco:\n  rules_files:\n    - ${RULES}/rules.d\n';
  const { files, problems } = analyzeHost(values);
  assert.deepEqual(files.filter((f) => f.kind === 'rules').map((f) => [f.key, f.chartLoad]), [['team.yaml', null]]);
  assert.deepEqual(problems, []);
});
