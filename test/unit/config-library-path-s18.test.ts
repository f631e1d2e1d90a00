// Session 18: a relative plugin library_path is read from Falco's plugins folder (configuration.h convert<plugin_config>,
// FALCO_ENGINE_PLUGINS_DIR, /usr/share/falco/plugins/ with the packages' prefix), never from the working directory, so
// it gets no relative-path finding (pinned); from 0.44.0 one that leaves the folder stops Falco, with a quick fix
// writing the absolute path 0.43 loaded.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { STARTS, check, doc, message, service, show } from './config-service-helpers';
import { applyEdits, editsFor } from './rules-host';

const MAIN = '/etc/falco/falco.yaml';
const plugin = (path: string) => `${STARTS}plugins:\n  - name: json\n    library_path: ${path}\nload_plugins: [json]\n`;

test('a relative library_path is the plugins folder\'s: no relative-path finding', () => {
  for (const path of ['libjson.so', './libjson.so', 'sub/libjson.so', 'sub/../libjson.so']) {
    assert.deepEqual(check({}, MAIN, { text: plugin(path) }).map((d) => d.code), [], path);
  }
});

test('from 0.44 a library_path leaving the plugins folder stops Falco; the fix writes what 0.43 loaded', () => {
  const text = plugin('../lib/libjson.so');
  assert.deepEqual(check({}, MAIN, { text, falcoVersion: '0.43' }), []);
  const { service: s } = service({});
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d);
  assert.deepEqual(found.map((x) => [x.code, x.range.start.line, x.range.start.character]), [['config-start-fails', 4, 18]], show(found));
  assert.match(message(found[0]), /^Falco refuses to start: plugin library_path '\.\.\/lib\/libjson\.so' resolves outside the plugins directory \(\/usr\/share\/falco\/plugins\/\)/);
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  assert.deepEqual(actions.map((a) => a.title), ['Write the absolute path \'/usr/share/falco/lib/libjson.so\'']);
  const after = applyEdits(text, editsFor(actions[0].edit!, d.uri));
  assert.equal(after, plugin('/usr/share/falco/lib/libjson.so'));
  assert.deepEqual(s.config.diagnostics(doc(MAIN, after, 2)), []);
  assert.deepEqual(check({}, MAIN, { text: plugin('a/../../libjson.so') }).map((x) => x.code), ['config-start-fails']);
});
