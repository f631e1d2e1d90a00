// Session 24: where a relative plugin library_path ends, as Falco reads it (loadChecks.ts libraryPathReading).
// 0.37.0-0.43.x prepend the plugins folder to the text (configuration.h convert<plugin_config>: FALCO_ENGINE_PLUGINS_DIR
// + path); 0.44.0 joins and normalizes lexically, and refuses a path whose part relative to the folder has a '..'
// (configuration.h:405-432, lexically_relative). So '../plugins/libjson.so' is inside the folder (0.44 loads it),
// and 'sub/../../libjson.so' is not. The value hover says the path Falco loads, as the check reads it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { STARTS, check, doc, service } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const plugin = (path: string) => `${STARTS}plugins:\n  - name: json\n    library_path: ${path}\nload_plugins: [json]\n`;

function hover(path: string, version: string): string {
  const text = plugin(path);
  const { service: s } = service({}, version);
  const d = doc(MAIN, text);
  const h = s.config.hover!(d, d.positionAt(text.indexOf(`library_path: ${path}`) + 'library_path: '.length + 1));
  return (h?.contents as MarkupContent | undefined)?.value ?? '';
}

test('0.44 refuses a library_path by where the joined path ends, not by how it starts', () => {
  for (const path of ['../plugins/libjson.so', './sub/../libjson.so', 'sub/./libjson.so', '.']) {
    assert.deepEqual(check({}, MAIN, { text: plugin(path) }).map((d) => d.code), [], path);
  }
  for (const path of ['sub/../../libjson.so', '../plugins-old/libjson.so', './../libjson.so']) {
    assert.deepEqual(check({}, MAIN, { text: plugin(path) }).map((d) => d.code), ['config-start-fails'], path);
    assert.deepEqual(check({}, MAIN, { text: plugin(path), falcoVersion: '0.43' }).map((d) => d.code), [], path);
  }
});

test('the library_path hover says what Falco loads, as the check reads it', () => {
  assert.match(hover('sub/libjson.so', '0.44'), /^Falco 0\\\.44 loads `\/usr\/share\/falco\/plugins\/sub\/libjson\.so`: a relative library\\_path is read in its plugins folder `\/usr\/share\/falco\/plugins\/`, not from its working directory\.\n\n\*\*plugins/);
  assert.match(hover('./libjson.so', '0.41'), /^Falco 0\\\.41 loads `\/usr\/share\/falco\/plugins\/libjson\.so`:/);
  assert.match(hover('../plugins/libjson.so', '0.44'), /^Falco 0\\\.44 loads `\/usr\/share\/falco\/plugins\/libjson\.so`:/);
  assert.match(hover('../lib/libjson.so', '0.44'), /^Falco 0\\\.44 refuses to start: the path resolves to `\/usr\/share\/falco\/lib\/libjson\.so`, outside its plugins folder `\/usr\/share\/falco\/plugins\/`\./);
  assert.match(hover('../lib/libjson.so', '0.43'), /^Falco 0\\\.43 loads `\/usr\/share\/falco\/lib\/libjson\.so`, outside its plugins folder `\/usr\/share\/falco\/plugins\/` \(Falco 0\.44 refuses that\)\./);
  // An absolute path: the key's own hover, which now says where a relative one is read.
  assert.match(hover('/opt/plugins/libjson.so', '0.44'), /^\*\*plugins\\\[\\\]\\\.library\\_path\*\* \(Falco configuration\)\n\nThe plugin's shared library\. A relative path is read in Falco's plugins folder/);
});
