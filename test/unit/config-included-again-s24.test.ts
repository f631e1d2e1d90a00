// Session 24: a config_files path listed twice. Falco merges each entry in turn without looking for repeats
// (configuration.cpp merge_config_files, 0.38.0:111-160, 0.44.0:163-213), so the file is merged again: with append
// (the default from 0.41) its lists are appended twice, with override (every entry up to 0.40) its keys are set again,
// undoing the files merged between; add-only changes nothing. loadChecks.ts checkIncludedAgain, with a fix taking the
// later entry out.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, editsFor } from './rules-host';
import { STARTS, doc, message, service } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const EXTRA = '/etc/falco/extra.yaml';

function findings(snippet: string, version = '0.44', files: Record<string, string> = { [EXTRA]: 'buffered_outputs: true\n' }) {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text, ...files }, version);
  const d = doc(MAIN, text);
  return s.config.diagnostics(d).map((f) => {
    const actions = s.config.codeActions!(d, f.range, { diagnostics: [f] });
    const after = actions[0]?.edit ? applyEdits(text, editsFor(actions[0].edit, d.uri)).slice(STARTS.length) : undefined;
    return { code: String(f.code), line: f.range.start.line, text: text.slice(d.offsetAt(f.range.start), d.offsetAt(f.range.end)), message: message(f), fixes: actions.map((a) => a.title), after };
  });
}

test('a config_files path listed twice is merged twice', () => {
  const block = findings(`config_files:\n  - ${EXTRA}\n  - /etc/falco/other.yaml\n  - ${EXTRA}\n`, '0.44', { [EXTRA]: 'buffered_outputs: true\n', '/etc/falco/other.yaml': 'buffered_outputs: false\n' });
  assert.deepEqual(block.map((f) => [f.code, f.line, f.text, f.fixes, f.after]), [['config-duplicate-key', 5, EXTRA, [`Take out this second '${EXTRA}' of config_files`], `config_files:\n  - ${EXTRA}\n  - /etc/falco/other.yaml\n`]]);
  assert.equal(block[0].message, `config_files lists '${EXTRA}' already (line 4): Falco merges it again, and its lists are appended a second time (its rules files loaded twice, its plugins entries repeated) and its other keys set again.`);
  // Up to 0.40 every entry overrides.
  const old = findings(`config_files: [${EXTRA}, ${EXTRA}]\n`, '0.40');
  assert.deepEqual(old.map((f) => [f.code, f.text, f.after]), [['config-duplicate-key', EXTRA, `config_files: [${EXTRA}]\n`]]);
  assert.match(old[0].message, /its keys are set again, undoing what the files merged between set for them\.$/);
  // {path, strategy} entries from 0.41: add-only changes nothing; a path that does not exist is skipped both times.
  assert.deepEqual(findings(`config_files:\n  - ${EXTRA}\n  - {path: ${EXTRA}, strategy: add-only}\n`), []);
  assert.deepEqual(findings(`config_files:\n  - ${EXTRA}\n  - {path: ${EXTRA}, strategy: override}\n`).map((f) => f.line), [4]);
  assert.deepEqual(findings('config_files: [/etc/falco/none.yaml, /etc/falco/none.yaml]\n').filter((f) => f.code === 'config-duplicate-key'), []);
});

// Session 25: a folder and a file in it. Falco merges every regular file of a folder entry (no name filter) and the file
// entry as well, without looking for repeats (configuration.cpp merge_config_files 0.38.0:111-160, 0.44.1:174-213): the
// file is merged twice, in either order. Said at the later entry, its exact range.
test('a config_files folder and a file in it: the file is merged twice, said at the later entry', () => {
  const D = '/etc/falco/config.d';
  const files = { [`${D}/a.yaml`]: 'buffered_outputs: true\n', [`${D}/b.conf`]: 'json_output: true\n' };
  // The folder first: the file entry merges a.yaml again; a fix takes the file entry out.
  const fileLater = findings(`config_files:\n  - ${D}\n  - ${D}/a.yaml\n`, '0.44', files);
  assert.deepEqual(fileLater.map((f) => [f.code, f.line, f.text, f.fixes, f.after]), [['config-duplicate-key', 4, `${D}/a.yaml`,
    [`Take out '${D}/a.yaml' of config_files`], `config_files:\n  - ${D}\n`]]);
  assert.equal(fileLater[0].message, `config_files lists the folder '${D}' already (line 4), and Falco merges every file in it, '${D}/a.yaml' among them: Falco merges it again, and its lists are appended a second time (its rules files loaded twice, its plugins entries repeated) and its other keys set again.`);
  // The file first: the folder merges it again (and its other files once); no fix (taking the folder out loses b.conf).
  const folderLater = findings(`config_files: [${D}/b.conf, ${D}/]\n`, '0.40', files);
  assert.deepEqual(folderLater.map((f) => [f.code, f.line, f.text, f.fixes]), [['config-duplicate-key', 2, `${D}/`, []]]);
  assert.equal(folderLater[0].message, `The folder '${D}/' holds '${D}/b.conf', which config_files lists already (line 3): Falco merges every file of the folder, that one again, and its keys are set again, undoing what the files merged between set for them.`);
  // Two files listed before their folder: both named, with their lines.
  const two = findings(`config_files:\n  - ${D}/a.yaml\n  - ${D}/b.conf\n  - ${D}\n`, '0.44', files);
  assert.deepEqual(two.map((f) => [f.line, f.text]), [[5, D]]);
  assert.match(two[0].message, new RegExp(`holds 2 files config_files merges already \\('${D}/a\\.yaml', line 4; '${D}/b\\.conf', line 5\\): Falco merges every file of the folder, those again, and their lists are appended a second time`));
  // add-only merges nothing again; a file of another folder is no repeat.
  assert.deepEqual(findings(`config_files:\n  - ${D}\n  - {path: ${D}/a.yaml, strategy: add-only}\n`, '0.44', files), []);
  assert.deepEqual(findings(`config_files:\n  - ${D}\n  - ${EXTRA}\n`, '0.44', { ...files, [EXTRA]: 'buffered_outputs: true\n' }), []);
});
