// Session 23: a load_plugins name no plugins entry has stops Falco ("Cannot load plugin": configuration.cpp:686-695
// at 0.44.0); besides adding the entry where it is certain (config-plugin-entry-s18), a quick fix takes the name out
// of load_plugins (model.ts listItemRemoval): Falco then loads the other names' plugins, none where the list is left
// empty (load_plugins defined, even empty, loads only what it names), which the title says. The list is left `[]`,
// not empty (the schema wants a list); a line with a comment is commented out; a name an alias gives is not touched.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { STARTS, doc, service, show } from './config-service-helpers';
import { applyEdits, editsFor } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

const MAIN = '/etc/falco/falco.yaml';
const JSON_PLUGIN = 'plugins:\n  - name: json\n    library_path: libjson.so\n';

/** The actions on the one start refusal of a snippet, each with the snippet after it (checked clean). */
function actions(snippet: string): { title: string; preferred: boolean; after: string }[] {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-start-fails');
  assert.equal(found.length, 1, show(found));
  return s.config.codeActions!(d, found[0].range, { diagnostics: found }).map((a: CodeAction) => {
    const after = applyEdits(text, editsFor(a.edit!, d.uri));
    const again = s.config.diagnostics(doc(MAIN, after, 2));
    assert.deepEqual(again, [], `${after}\n${show(again)}`);
    return { title: a.title, preferred: a.isPreferred === true, after: after.slice(STARTS.length) };
  });
}

function takenOut(snippet: string): string {
  const found = actions(snippet).filter((a) => /out of load_plugins/.test(a.title));
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0].after;
}

test('a flow list loses the name and its comma; the last name leaves []', () => {
  assert.deepEqual(actions(`load_plugins: [k8saudit, json]\n${JSON_PLUGIN}`), [{ title: 'Take \'k8saudit\' out of load_plugins', preferred: true, after: `load_plugins: [json]\n${JSON_PLUGIN}` }]);
  assert.equal(takenOut(`load_plugins: [json, k8saudit]\n${JSON_PLUGIN}`), `load_plugins: [json]\n${JSON_PLUGIN}`);
  // (A name given twice is refused on its own: config-plugin-repeats-s24.)
  const DUMMY = '  - name: dummy\n    library_path: libdummy.so\n';
  assert.equal(takenOut(`load_plugins: [json, k8saudit, dummy]\n${JSON_PLUGIN}${DUMMY}`), `load_plugins: [json, dummy]\n${JSON_PLUGIN}${DUMMY}`);
  assert.deepEqual(actions(`load_plugins: [k8saudit]\n${JSON_PLUGIN}`).map((a) => [a.title, a.after]),
    [['Take \'k8saudit\' out of load_plugins (then no plugin is loaded)', `load_plugins: []\n${JSON_PLUGIN}`]]);
  // A lone value is a one-item list to Falco.
  assert.equal(takenOut(`load_plugins: k8saudit # audit\n${JSON_PLUGIN}`), `load_plugins: [] # audit\n${JSON_PLUGIN}`);
});

test('a block list loses the name\'s line, or comments it out where it holds a comment', () => {
  assert.equal(takenOut(`load_plugins:\n  - k8saudit\n  - json\n${JSON_PLUGIN}`), `load_plugins:\n  - json\n${JSON_PLUGIN}`);
  assert.equal(takenOut(`load_plugins:\r\n- json\r\n- k8saudit\r\nlog_level: info\r\n${JSON_PLUGIN}`), `load_plugins:\r\n- json\r\nlog_level: info\r\n${JSON_PLUGIN}`);
  assert.equal(takenOut(`load_plugins:\n  - json\n  - k8saudit # the audit logs\n${JSON_PLUGIN}`), `load_plugins:\n  - json\n  # - k8saudit # the audit logs\n${JSON_PLUGIN}`);
  assert.equal(takenOut(`load_plugins: # in order\n  - k8saudit\n${JSON_PLUGIN}`), `load_plugins: [] # in order\n${JSON_PLUGIN}`);
  assert.equal(takenOut(`load_plugins:\n  - k8saudit # soon\n${JSON_PLUGIN}`), `load_plugins: []\n  # - k8saudit # soon\n${JSON_PLUGIN}`);
});

test('beside the entry fix where one is certain, second; none for a name an alias gives', () => {
  assert.deepEqual(actions('load_plugins: [container]\n').map((a) => [a.title, a.preferred]), [
    ['Add a plugins entry for \'container\' (library_path: libcontainer.so)', true],
    ['Take \'container\' out of load_plugins (then no plugin is loaded)', false],
  ]);
  const text = `${STARTS}names:\n  audit: &audit k8saudit\nload_plugins: [*audit, json]\n${JSON_PLUGIN}`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-start-fails');
  assert.equal(found.length, 1, show(found));
  assert.deepEqual(s.config.codeActions!(d, found[0].range, { diagnostics: found }).map((a) => a.title), []);
});

test('in a ConfigMap\'s falco.yaml the edit lands on the host\'s lines', () => {
  const host = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: |\n'
    + `${STARTS}load_plugins:\n  - k8saudit\n  - json\n${JSON_PLUGIN}`.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  const { service: s } = service({});
  const d = openHost(s, host, 'file:///ws/falco-cm.yaml');
  const found = s.embedded.diagnostics(d).filter((x) => x.code === 'config-start-fails');
  assert.deepEqual(found.map((x) => textAt(host, x)), ['k8saudit']);
  const [action] = s.embedded.codeActions!(d, found[0].range, { diagnostics: found });
  assert.equal(action.title, 'Take \'k8saudit\' out of load_plugins');
  const after = applyEdits(host, editsFor(action.edit!, d.uri));
  assert.equal(after, host.replace('      - k8saudit\n', ''));
  assert.deepEqual(s.embedded.diagnostics(openHost(s, after, d.uri)).map((x) => x.code), []);
});
