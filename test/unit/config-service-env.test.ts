// Values written with ${VAR}: Falco expands them from its environment when it reads a configuration file
// (yaml_helper.h pre_process_env_vars), so Falco Lens does not judge them, and says so in the hover.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { envReading } from '../../server/src/service/config/model';
import { RULES_FILE, STARTS, at, check, doc, message, service, show } from './config-service-helpers';

test('${VAR} is what Falco expands: $${ is an escape, a lone $ stops the scan, keys are never expanded', () => {
  assert.deepEqual(envReading('${HOME}/x'), { vars: ['HOME'] });
  assert.deepEqual(envReading('http://${HOST}:${PORT}/'), { vars: ['HOST', 'PORT'] });
  assert.deepEqual(envReading('$${HOME}'), { vars: [], text: '${HOME}' });
  assert.deepEqual(envReading('a$b ${X}'), { vars: [], text: 'a$b ${X}' }, 'the scan jumps to the end at a $ not followed by {');
  assert.deepEqual(envReading('${UNCLOSED'), { vars: [], text: '${UNCLOSED' });
  assert.deepEqual(envReading('$${A} ${B}'), { vars: ['B'] });
  // An escaped value is judged as the text Falco reads; an expanded one is not judged.
  const escaped = check({}, '/work/falco.yaml', { text: `${STARTS}json_output: $\${JSON}\npriority: $\${P}\n` });
  assert.deepEqual(at(escaped), [['config-wrong-type', 2, 13], ['config-start-fails', 3, 10]], show(escaped));
  assert.match(message(escaped[1]), /unknown priority '\$\{P\}'/);
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: `${STARTS}json_output: \${JSON}\npriority: \${P}\nengine:\n  kind: \${KIND}\n` })), []);
  const stopped = check({}, '/work/falco.yaml', { text: `${STARTS}engine:\n  kind: a$b \${KIND}\n` });
  assert.deepEqual(at(stopped), [['config-start-fails', 3, 8]], show(stopped));
  // A plugin whose name Falco reads from the environment may be the one load_plugins names.
  const plugins = `${STARTS}load_plugins: [k8saudit]\nplugins:\n  - name: \${PLUGIN}\n    library_path: lib.so\n`;
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: plugins })), []);
  // Outputs turned on from the environment: maybe on, so no refusal for having none.
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: `stdout_output:\n  enabled: \${STDOUT}\nrules_files: [${RULES_FILE}]\n` })), []);
});

test('the hover of a ${VAR} value says Falco expands it when it reads the file', () => {
  const { service: s } = service({});
  const d = doc('/work/falco.yaml', `${STARTS}http_output:\n  url: "http://\${HOST}:\${PORT}/"\npriority: $\${P}\n`);
  const hover = s.config.hover!(d, { line: 3, character: 12 });
  const text = (hover?.contents as MarkupContent).value;
  assert.match(text, /`\$\{HOST\}`, `\$\{PORT\}` are replaced when Falco reads this file, at start and at each reload/);
  assert.match(text, /environment variables `HOST`, `PORT` of Falco's process/);
  assert.match(text, /http\\_output\\\.url|http_output\.url/, 'the key\'s own description follows');
  const escaped = s.config.hover!(d, { line: 4, character: 12 });
  assert.ok(!/replaced when Falco reads/.test((escaped?.contents as MarkupContent | undefined)?.value ?? ''), 'an escape is not expanded');
});
