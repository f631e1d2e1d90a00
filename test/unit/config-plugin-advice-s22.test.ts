// Session 22: a load_plugins name no plugins entry has, where no entry can be written for certain (the plugin's
// library is not known to be on this machine: config-plugin-entry-s18), says what the entry needs, or to take the
// name out; Falco refuses to start either way (configuration.cpp:686-695 at 0.44.0: "Cannot load plugin").
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { STARTS, doc, message, service, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';

function startFails(snippet: string): { message: string; titles: string[] } {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-start-fails');
  assert.equal(found.length, 1, show(found));
  return { message: message(found[0]), titles: s.config.codeActions!(d, found[0].range, { diagnostics: found }).map((a) => a.title) };
}

test('no entry to add: the message says what one needs', () => {
  const k8saudit = startFails('load_plugins: [k8saudit]\n');
  assert.equal(k8saudit.message, 'Falco refuses to start: cannot load plugin \'k8saudit\': no plugins entry has that name. No plugins entry is defined at all. Add a plugins entry with name \'k8saudit\' and the library_path of its library (a relative path is read from /usr/share/falco/plugins/), with the init_config or open_params the plugin needs, or take \'k8saudit\' out of load_plugins.');
  // No entry to add; the name can be taken out (config-load-plugins-removal-s23).
  assert.deepEqual(k8saudit.titles, ['Take \'k8saudit\' out of load_plugins (then no plugin is loaded)']);
  // With a fix (the container plugin from 0.41) or a near name, no advice: the fix or the name says it.
  assert.doesNotMatch(startFails('load_plugins: [container]\n').message, /Add a plugins entry/);
  assert.doesNotMatch(startFails('load_plugins: [jsn]\nplugins:\n  - name: json\n    library_path: libjson.so\n').message, /Add a plugins entry/);
});
