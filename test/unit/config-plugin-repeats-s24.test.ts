// Session 24: plugins entries and load_plugins names Falco reads twice (loadChecks.ts checkPluginRepeats). With
// load_plugins Falco loads the first plugins entry of each name it gives (configuration.cpp:682-690 at 0.44.0, the
// loop breaks there), so a later entry of that name is never used; without it every entry loads. Each loaded plugin
// is registered (app/actions/load_plugins.cpp register_plugin), and libsinsp refuses a second plugin of one name
// (plugin_manager.h add: "found another plugin with name …"): a name load_plugins gives twice, two entries of one
// library file (through an alias too).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, editsFor } from './rules-host';
import { STARTS, doc, message, service } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';

function findings(snippet: string, version = '0.44', files: Record<string, string> = {}) {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text, ...files }, version);
  const d = doc(MAIN, text);
  const all = s.config.diagnostics(d);
  return all.map((f) => {
    const actions = s.config.codeActions!(d, f.range, { diagnostics: [f] });
    const after = actions[0]?.edit ? applyEdits(text, editsFor(actions[0].edit, d.uri)).slice(STARTS.length) : undefined;
    return { code: String(f.code), line: f.range.start.line, text: text.slice(d.offsetAt(f.range.start), d.offsetAt(f.range.end)), message: message(f), fixes: actions.map((a) => a.title), ...(after !== undefined ? { after } : {}) };
  });
}

test('with load_plugins, a later plugins entry of a name it loads is never used', () => {
  const two = 'plugins:\n  - name: json\n    library_path: libjson.so\n  - name: json\n    library_path: /opt/libjson.so\n';
  assert.deepEqual(findings(`${two}load_plugins: [json]\n`), [{
    code: 'config-duplicate-key', line: 5, text: 'json', fixes: [],
    message: 'Falco never uses this plugins entry: the entry named \'json\' at line 4 comes first, and load_plugins loads the first entry of a name.',
  }]);
  // Not loaded at all (load_plugins names neither), or loaded with another library each (no load_plugins): no finding.
  assert.deepEqual(findings(`${two}load_plugins: []\n`), []);
  assert.deepEqual(findings(two), []);
});

test('a plugin Falco would load twice: libsinsp refuses it', () => {
  const one = 'plugins:\n  - name: json\n    library_path: libjson.so\n';
  const twice = findings(`${one}load_plugins:\n  - json\n  - json\n`);
  assert.deepEqual(twice.map((f) => [f.code, f.line, f.text, f.fixes]), [['config-start-fails', 7, 'json', ['Take out this second \'json\' of load_plugins']]]);
  assert.equal(twice[0].message, 'Falco refuses to start: load_plugins names \'json\' twice, so Falco loads its plugin twice and libsinsp refuses the second ("cannot register plugin /usr/share/falco/plugins/libjson.so in inspector: found another plugin with name …").');
  assert.equal(twice[0].after, `${one}load_plugins:\n  - json\n`);
  assert.equal(findings(`${one}load_plugins: [json, json]\n`)[0].after, `${one}load_plugins: [json]\n`);
  // Two entries of one library file, written apart ('./' resolved) or through an alias: the later one.
  const library = findings('plugins:\n  - name: json\n    library_path: libjson.so\n  - name: json2\n    library_path: ./libjson.so\n');
  assert.deepEqual(library.map((f) => [f.code, f.line, f.text]), [['config-start-fails', 6, './libjson.so']]);
  assert.match(library[0].message, /^Falco refuses to start: this plugins entry loads '\/usr\/share\/falco\/plugins\/libjson\.so', which the entry 'json' at line 5 loads already/);
  const alias = findings('plugins:\n  - &json\n    name: json\n    library_path: libjson.so\n  - *json\n');
  assert.deepEqual(alias.map((f) => [f.code, f.line, f.text]), [['config-start-fails', 6, '*json']]);
  // With load_plugins naming both entries of one library.
  assert.deepEqual(findings('plugins:\n  - name: a\n    library_path: /usr/lib/libx.so\n  - name: b\n    library_path: /usr/lib/libx.so\nload_plugins: [a, b]\n').map((f) => [f.code, f.line]), [['config-start-fails', 6]]);
  assert.deepEqual(findings('plugins:\n  - name: a\n    library_path: /usr/lib/libx.so\n  - name: b\n    library_path: /usr/lib/libx.so\nload_plugins: [b]\n'), []);
});
