// Session 22: a key written twice whose unused pair holds a comment got a greyed-out fix ("it holds a comment, which
// removing it would lose"). Now the pair is commented out: `# ` before the first character of each of its lines, so
// nothing the user wrote is lost, the YAML no longer has the key, and the finding goes. Which pair Falco does not use
// is as before (config-duplicate-fix-s18: the later one in a file, yaml-cpp's lookup finding the first; the earlier
// one of init_config; an included file's pair replaced by the merge).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { applyEdits, editsFor } from './rules-host';
import { STARTS, doc, service, show } from './config-service-helpers';
import { openHost, textAt } from './embedded-helpers';

const MAIN = '/etc/falco/falco.yaml';

function commentedOut(text: string): string {
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-duplicate-key');
  assert.equal(found.length, 1, show(found));
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  assert.deepEqual(actions.map((a) => [a.title, a.disabled]), [[actions[0].title, undefined]]);
  assert.match(actions[0].title, /^Comment out '.+, which Falco does not use$/);
  const after = applyEdits(text, editsFor(actions[0].edit!, d.uri));
  assert.deepEqual(s.config.diagnostics(doc(MAIN, after, 2)), [], after);
  // Nothing written is lost: the new text is the old one with '# ' inserted.
  assert.equal(after.replace(/# /g, ''), text.replace(/# /g, ''));
  return after;
}

test('a pair holding a comment is commented out, line by line, at each line\'s indentation', () => {
  assert.equal(commentedOut(`${STARTS}log_level: info\nlog_level: debug # while testing\n`), `${STARTS}log_level: info\n# log_level: debug # while testing\n`);
  const nested = `${STARTS}engine:\n  kind: modern_ebpf\n  modern_ebpf:\n    cpus_for_each_buffer: 2\n  modern_ebpf:\n    # one per CPU\n    cpus_for_each_buffer: 1\n\n    buf_size_preset: 4\nlog_level: info\n`;
  const after = commentedOut(nested);
  assert.equal(after, `${STARTS}engine:\n  kind: modern_ebpf\n  modern_ebpf:\n    cpus_for_each_buffer: 2\n  # modern_ebpf:\n    # # one per CPU\n    # cpus_for_each_buffer: 1\n\n    # buf_size_preset: 4\nlog_level: info\n`);
  assert.deepEqual(parseDocument(after).toJS().engine, { kind: 'modern_ebpf', modern_ebpf: { cpus_for_each_buffer: 2 } });
  // init_config: the earlier pair is the unused one; CRLF kept.
  const plugin = `${STARTS}plugins:\r\n  - name: k8saudit\r\n    library_path: libk8saudit.so\r\n    init_config:\r\n      maxEventSize: 100 # the old limit\r\n      maxEventSize: 200\r\n`;
  assert.equal(commentedOut(plugin), plugin.replace('      maxEventSize: 100', '      # maxEventSize: 100'));
});

test('in a ConfigMap\'s falco.yaml the comment marks land on the host\'s lines', () => {
  const { service: s } = service({});
  const host = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: |\n'
    + `${STARTS}log_level: info\nlog_level: debug # loud\njson_output: false\n`.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  const d = openHost(s, host, 'file:///ws/cm.yaml');
  const found = s.embedded.diagnostics(d).filter((x) => x.code === 'config-duplicate-key');
  assert.deepEqual(found.map((x) => textAt(host, x)), ['log_level']);
  const actions = s.embedded.codeActions!(d, found[0].range, { diagnostics: found });
  assert.deepEqual(actions.map((a) => a.title), ['Comment out \'log_level: debug\', which Falco does not use']);
  assert.equal(applyEdits(host, editsFor(actions[0].edit!, d.uri)), host.replace('    log_level: debug # loud', '    # log_level: debug # loud'));
});
