// Quick fixes that insert lines write the document's line ending: CRLF in a file that has CRLF, as the rules quick
// fixes and the configuration's rules_files fix already did. Before, the configuration's "no output" and "no key"
// fixes and the alert tuning edits of the local rules file wrote bare LF into CRLF files (mixed line endings).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { planDisable, planException, EXCEPTION_SHAPES, type ExceptionProposal } from '../../server/src/service/alerts/tuning';
import { applyEdits, editsFor } from './rules-host';
import { RULES_FILE, at, doc, service, show } from './config-service-helpers';

/** Whether a text has a line feed without its carriage return. */
const bareLf = (text: string) => /(^|[^\r])\n/.test(text);
const crlf = (text: string) => text.replace(/\n/g, '\r\n');

test('configuration: the "no output" fix writes CRLF into a CRLF falco.yaml, LF into an LF one', () => {
  const { service: s } = service({});
  for (const [text, ending] of [
    [crlf(`rules_files:\n  - ${RULES_FILE}\npriority: warning\n`), '\r\n'],
    [crlf(`rules_files:\n  - ${RULES_FILE}\npriority: warning`), '\r\n'],
    [`rules_files:\n  - ${RULES_FILE}\npriority: warning\n`, '\n'],
  ] as const) {
    const d = doc('/work/falco.yaml', text);
    const found = s.config.diagnostics(d);
    assert.deepEqual(at(found), [['config-start-fails', 0, 0]], show(found));
    const fix = s.config.codeActions!(d, found[0].range, { diagnostics: found }).find((a) => a.title === 'Add stdout_output with enabled: true')!;
    const fixed = applyEdits(text, editsFor(fix.edit, d.uri));
    assert.equal(fixed, `${text}${/\n$/.test(text) ? '' : ending}stdout_output:${ending}  enabled: true${ending}`);
    if (ending === '\r\n') assert.ok(!bareLf(fixed), JSON.stringify(fixed));
    assert.deepEqual(s.config.diagnostics(doc('/work/falco.yaml', fixed, 2)), []);
  }
});

test('configuration: the fix of a falco.yaml with no key writes CRLF after CRLF comments', () => {
  const { service: s } = service({});
  const text = '# Falco configuration\r\n# (to be written)\r\n';
  const d = doc('/work/falco.yaml', text);
  const found = s.config.diagnostics(d);
  const fix = s.config.codeActions!(d, found[0].range, { diagnostics: found }).find((a) => a.title === 'Add rules_files and stdout_output')!;
  const fixed = applyEdits(text, editsFor(fix.edit, d.uri));
  assert.equal(fixed, `${text}rules_files:\r\n  - /etc/falco/falco_rules.yaml\r\nstdout_output:\r\n  enabled: true\r\n`);
  assert.deepEqual(s.config.diagnostics(doc('/work/falco.yaml', fixed, 2)), []);
});

test('alert tuning: items, exceptions and rows added to a CRLF local rules file are CRLF', () => {
  const proposal = (values: string[], name = 'falco_lens_proc_name_and_proc_pname'): ExceptionProposal => ({ rule: 'R', shape: EXCEPTION_SHAPES[1], name, values });
  const apply = (text: string, plan: ReturnType<typeof planException>) => {
    assert.equal(plan.kind, 'insert');
    return plan.kind === 'insert' ? text.slice(0, plan.insertion.offset) + plan.insertion.text + text.slice(plan.insertion.offset) : text;
  };
  const local = '# Local rules\r\n- rule: Other\r\n  enabled: false\r\n  override:\r\n    enabled: replace\r\n';
  // A new item after the file's items, with the blank line between them.
  const item = apply(local, planException(local, proposal(['ln', 'bash']), 'Tuned from an alert'));
  assert.ok(!bareLf(item), JSON.stringify(item));
  assert.ok(item.startsWith(`${local}\r\n# Tuned from an alert\r\n- rule: "R"\r\n`), JSON.stringify(item));
  // A row appended to that exception's values, and another exception appended to its exceptions.
  const row = apply(item, planException(item, proposal(['cp', 'sh'])));
  assert.ok(!bareLf(row), JSON.stringify(row));
  const other = apply(row, planException(row, { rule: 'R', shape: EXCEPTION_SHAPES[0], name: 'falco_lens_other', values: ['x', 'nginx'] }));
  assert.ok(!bareLf(other), JSON.stringify(other));
  const r = parseDocument(other).toJSON().find((i: { rule: string }) => i.rule === 'R');
  assert.deepEqual(r.exceptions.map((e: { name: string; values: string[][] }) => [e.name, e.values.length]), [['falco_lens_proc_name_and_proc_pname', 2], ['falco_lens_other', 1]]);
  // Disabling a rule: a CRLF item; a file ending without a line break gets one of its kind.
  const disabled = apply(local, planDisable(local, 'Shell in container'));
  assert.equal(disabled, `${local}\r\n- rule: "Shell in container"\r\n  enabled: false\r\n  override:\r\n    enabled: replace\r\n`);
  const unterminated = local.replace(/\r\n$/, '');
  assert.ok(!bareLf(apply(unterminated, planDisable(unterminated, 'Shell in container'))));
  // A file of LF lines, or a new file, stays LF.
  assert.ok(!apply('- rule: Other\n  enabled: false\n', planDisable('- rule: Other\n  enabled: false\n', 'X')).includes('\r'));
  assert.ok(!apply('', planDisable('', 'X')).includes('\r'));
});
