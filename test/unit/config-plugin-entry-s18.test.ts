// Session 18: a load_plugins name no plugins entry has gets a quick fix adding the entry only where it is certain to
// load: the container plugin from 0.41 (Falco's packages install libcontainer.so in /usr/share/falco/plugins,
// CMakeLists.txt:276-296 at 0.41.0) or a plugin whose lib<name>.so is in this machine's plugins folder.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { STARTS, doc, service, show } from './config-service-helpers';
import { applyEdits, editsFor } from './rules-host';

const MAIN = '/etc/falco/falco.yaml';

function fixedText(text: string, options: { version?: string; files?: Record<string, string>; path?: string } = {}): string | undefined {
  const path = options.path ?? MAIN;
  const files = { [path]: text, ...options.files };
  const { service: s } = service(files, options.version ?? '0.44');
  const d = doc(path, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-start-fails');
  assert.equal(found.length, 1, show(found));
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found }).filter((a) => a.title.startsWith('Add a plugins entry'));
  if (actions.length === 0) return undefined;
  assert.equal(actions.length, 1);
  const after = applyEdits(text, editsFor(actions[0].edit!, d.uri));
  const again = s.config.diagnostics(doc(path, after, 2));
  assert.deepEqual(again, [], `${after}\n${show(again)}`);
  return after;
}

test('the container plugin from 0.41: the entry goes into this file\'s plugins list, or a new key', () => {
  assert.equal(fixedText(`${STARTS}load_plugins: [container]\n`), `${STARTS}load_plugins: [container]\nplugins:\n  - name: container\n    library_path: libcontainer.so\n`);
  assert.equal(fixedText(`${STARTS}load_plugins: [container]`), `${STARTS}load_plugins: [container]\nplugins:\n  - name: container\n    library_path: libcontainer.so\n`);
  const block = `${STARTS}load_plugins: [container]\nplugins:\n    -   name: json\n        library_path: libjson.so # parses JSON\n\n# the end\n`;
  assert.equal(fixedText(block), `${STARTS}load_plugins: [container]\nplugins:\n    -   name: json\n        library_path: libjson.so # parses JSON\n    -   name: container\n        library_path: libcontainer.so\n\n# the end\n`);
  assert.equal(fixedText(`${STARTS}load_plugins: [container]\nplugins: []\n`), `${STARTS}load_plugins: [container]\nplugins: [{name: container, library_path: libcontainer.so}]\n`);
  assert.equal(fixedText(`${STARTS}load_plugins: [container]\nplugins: [{name: json, library_path: libjson.so}]\n`),
    `${STARTS}load_plugins: [container]\nplugins: [{name: json, library_path: libjson.so}, {name: container, library_path: libcontainer.so}]\n`);
  assert.equal(fixedText(`${STARTS}load_plugins: [container]\nplugins:\nlog_level: info\n`), `${STARTS}load_plugins: [container]\nplugins:\n  - name: container\n    library_path: libcontainer.so\nlog_level: info\n`);
  // CRLF kept.
  assert.equal(fixedText(`${STARTS}load_plugins: [container]\r\n`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r')),
    `${STARTS}load_plugins: [container]\nplugins:\n  - name: container\n    library_path: libcontainer.so\n`.replace(/\n/g, '\r\n'));
});

test('no entry where the library is not certain, or another file sets plugins', () => {
  // Before 0.41 the packages install no plugin; k8saudit's library is falcoctl's to install.
  assert.equal(fixedText(`${STARTS}load_plugins: [container]\n`, { version: '0.40' }), undefined);
  assert.equal(fixedText(`${STARTS}load_plugins: [k8saudit]\n`), undefined);
  // A library in this machine's plugins folder is certain.
  assert.equal(fixedText(`${STARTS}load_plugins: [k8saudit]\n`, { files: { '/usr/share/falco/plugins/libk8saudit.so': 'ELF' } }),
    `${STARTS}load_plugins: [k8saudit]\nplugins:\n  - name: k8saudit\n    library_path: libk8saudit.so\n`);
  // The main file's plugins list would be replaced by a config.d file's new key before 0.41 (and by override after).
  const include = '/etc/falco/config.d/plugins.yaml';
  const main = `${STARTS}config_files: [${include}]\nplugins:\n  - name: json\n    library_path: libjson.so\n`;
  assert.equal(fixedText('load_plugins: [container]\n', { path: include, files: { [MAIN]: main } }), undefined);
});
