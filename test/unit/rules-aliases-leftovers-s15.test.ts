// YAML aliases under `condition`, `exceptions` and `output` (session 15, after 7013e5a): a finding made for an item
// through its alias is that item's at every target release, a rule's skip warning is counted per rule, a quick fix of
// shared text does not change rules it does not concern, and hovers in shared text say who reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAt, rulesDoc } from './rules-host';

const FILE = '/ws/falco_rules.local.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';
const said = (text: string, version: string, code?: string) => {
  const doc = rulesDoc(FILE, text);
  return diagnoseAt(FILE, text, version).filter((d) => code === undefined || d.code === code)
    .map((d) => `${d.severity} ${d.code} ${doc.getText(d.range)}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
};

test('at an older target release a finding made through an alias is attributed and judged by the rule that reads it', () => {
  // An output shared through an alias: Falco 0.40 refuses the filter-only field in each rule's output.
  const output = lines(
    '- rule: A', '  desc: d', '  condition: evt.type = open', '  output: &o "x %fd.net"', '  priority: INFO',
    '- rule: B', '  desc: d', '  condition: evt.type = open', '  output: *o', '  priority: INFO',
  );
  for (const version of ['0.40', '0.44']) {
    const found = said(output, version, 'unknown-field');
    assert.equal(found.length, 1, `${version}: ${found.join('\n')}`);
    assert.match(found[0], /Also for rule 'B' \(\*o, line 9\), which reads this text through an alias\.$/, version);
  }
  // syslog.* fields are syscall fields that Falco 0.40 still has: a syscall rule reading them through an alias is
  // told nothing there, whatever the source of the rule holding the text (k8s_audit here, where they are no fields).
  const removed = lines(
    '- rule: A', '  desc: d', '  condition: &c syslog.facility = 1', '  output: o', '  priority: INFO', '  source: k8s_audit',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO',
  );
  assert.deepEqual(said(removed, '0.40').filter((m) => /rule 'B'/.test(m)), []);
  assert.equal(said(removed, '0.44', 'unknown-field').filter((m) => /For rule 'B' \(\*c, line 9\)/.test(m)).length, 1);
  // And the other way round: a k8s_audit rule reading a syscall rule's text keeps its finding at 0.40.
  const reversed = lines(
    '- rule: A', '  desc: d', '  condition: &c syslog.facility = 1', '  output: o', '  priority: INFO',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO', '  source: k8s_audit',
  );
  assert.ok(said(reversed, '0.40').some((m) => /syslog\.facility: .*For rule 'B' \(\*c, line 8\)/.test(m)), said(reversed, '0.40').join('\n'));
});

test('skip-if-unknown-filter: one skip warning per rule, counted for the rule that reads the text through an alias', () => {
  const SKIP = '  skip-if-unknown-filter: true';
  // Rule B reads an unknown field through *c and writes one in its output: Falco checks the output first, skips B
  // there and warns once, so the condition's finding (made for B only) is information.
  const one = lines(
    '- shared: &c evt.type = open and proc.namex = x',
    '- rule: B', '  desc: d', '  condition: *c', '  output: "%proc.bar"', '  priority: INFO', SKIP,
  );
  assert.deepEqual(said(one, '0.44', 'unknown-field'), [
    "3 unknown-field proc.namex: 'proc.namex' is not a supported filter field. Did you mean 'proc.name'? Falco does not check this: under skip-if-unknown-filter it skips the rule at %proc.bar in the output, which it checks before the condition, and warns once. For rule 'B' (*c, line 4), which reads this text through an alias.",
    "2 unknown-field proc.bar: 'proc.bar' is not a supported output field. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)",
  ]);
  // Rules A and B share the condition: A is skipped at its output first, B at the shared condition: B's warning stays,
  // and says that A is skipped before (s16: rules-aliases-skips-s16).
  const two = lines(
    '- rule: A', '  desc: d', '  condition: &c evt.type = open and proc.namex = x', '  output: "%proc.bar"', '  priority: INFO', SKIP,
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO', SKIP,
  );
  assert.deepEqual(said(two, '0.44', 'unknown-field'), [
    "2 unknown-field proc.namex: 'proc.namex' is not a supported filter field. Did you mean 'proc.name'? Falco skips rule 'B' here because of skip-if-unknown-filter (LOAD_UNKNOWN_FILTER). It does not check this for rule 'A': it skips that rule at %proc.bar in the output, which it checks before the condition, and warns once there. Also for rule 'B' (*c, line 9), which reads this text through an alias.",
    "2 unknown-field proc.bar: 'proc.bar' is not a supported output field. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)",
  ]);
  // Both readers skipped earlier, each at its own output.
  const both = lines(
    '- shared: &c evt.type = open and proc.namex = x',
    '- rule: B', '  desc: d', '  condition: *c', '  output: "%proc.bar"', '  priority: INFO', SKIP,
    '- rule: C', '  desc: d', '  condition: *c', '  output: "%proc.baz"', '  priority: INFO', SKIP,
  );
  assert.match(said(both, '0.44', 'unknown-field')[0], /^3 unknown-field proc\.namex: .* it skips rule 'B' at %proc\.bar and rule 'C' at %proc\.baz, each before this, and warns once per rule\. For rule 'B' \(\*c, line 4\) and rule 'C' \(\*c, line 10\), which read this text through aliases\.$/);
});

test('an anchor and an alias in the same rule: the finding said again through the alias is one diagnostic pointing to it', () => {
  const text = lines(
    '- rule: A', '  desc: d', '  condition: evt.type = open', '  output: o', '  priority: INFO',
    '  exceptions:', '    - name: one', '      fields: &f [proc.namex]', '      values: [[x]]', '    - name: two', '      fields: *f', '      values: [[y]]',
  );
  const doc = rulesDoc(FILE, text);
  const found = diagnoseAt(FILE, text, '0.44').filter((d) => d.code === 'unknown-field');
  assert.equal(found.length, 1, JSON.stringify(found, null, 1));
  assert.equal(doc.getText(found[0].range), 'proc.namex');
  assert.match(String(found[0].message), /\(LOAD_ERR_VALIDATE\) Rule 'A' reads this text again through \*f \(line 11\)\.$/);
  assert.deepEqual(found[0].relatedInformation?.map((r) => [doc.getText(r.location.range), r.location.range.start.line, r.message]), [['*f', 10, "rule 'A' reads this text again here, through *f"]]);
});

test('a quick fix of anchored text that other readers do not need is greyed out, naming them; a finding they all share keeps its fix', async () => {
  const { MemoryHost } = await import('./rules-host');
  const { createRulesService } = await import('../../server/src/service/rules/index');
  const fixesOf = (text: string, code: string) => {
    const service = createRulesService(new MemoryHost({}, { folders: ['/ws'] }));
    const doc = rulesDoc(FILE, text);
    return service.diagnostics(doc).filter((d) => d.code === code).map((d) => ({
      line: d.range.start.line,
      actions: service.codeActions!(doc, d.range, { diagnostics: [d], only: ['quickfix'] }).map((a) => ({ title: a.title, edit: a.edit !== undefined, preferred: a.isPreferred === true, disabled: a.disabled?.reason })),
    }));
  };
  // Rule B turns the event-type warning off: the guard A's fix inserts would change B's condition too.
  const quiet = lines(
    '- rule: A', '  desc: d', '  condition: &c proc.name = x', '  output: o', '  priority: INFO',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO', '  warn_evttypes: false',
  );
  const a = fixesOf(quiet, 'no-evttype');
  assert.equal(a.length, 1);
  assert.deepEqual(a[0].actions.map((x) => [x.edit, x.disabled]), [[false, "This text is shared through *c: the edit would also change rule 'B' (*c, line 8), which this finding is not about. Write the text in place of the alias where it should change alone."]]);
  // A k8s_audit rule holds the text, a syscall rule reads it: an evt.type restriction is the syscall rule's fix only
  // (the events carrying evt.arg.linkpath).
  const sources = lines(
    '- rule: A', '  desc: d', '  condition: &c ka.user.nme = x and evt.arg.linkpath = y', '  output: o', '  priority: INFO', '  source: k8s_audit',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO',
  );
  const b = fixesOf(sources, 'no-evttype');
  assert.deepEqual(b.map((x) => [x.line, x.actions.map((y) => [y.edit, /would also change rule 'A', which/.test(y.disabled ?? '')])]), [[8, [[false, true]]]]);
  // The unknown field both rules read: one diagnostic for both, its plain fix offered and preferred.
  const field = fixesOf(sources, 'unknown-field');
  assert.deepEqual(field.map((x) => x.actions.map((y) => [y.title, y.edit, y.preferred, y.disabled])), [[["Change to field 'ka.user.name'", true, true, undefined]]]);
  // Both rules without an event type: the guard is right for both.
  const both = lines(
    '- rule: A', '  desc: d', '  condition: &c proc.name = x', '  output: o', '  priority: INFO',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO',
  );
  assert.deepEqual(fixesOf(both, 'no-evttype').map((x) => x.actions.map((y) => [y.edit, y.disabled])), [[[true, undefined]], [[true, undefined]]]);
});

test('a field hover in text shared by rules of different sources names each rule\'s source, and the rules that cannot use the field', async () => {
  const { openWorkspace } = await import('./rules-nav-helpers');
  const text = lines(
    '- rule: A', '  desc: d', '  condition: &c evt.type = open and proc.name = x', '  output: o', '  priority: INFO',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO', '  source: k8s_audit',
    '- rule: C', '  desc: d', '  condition: &s evt.type = open', '  output: o', '  priority: INFO',
    '- rule: D', '  desc: d', '  condition: *s', '  output: o', '  priority: INFO',
  );
  const { service, at } = openWorkspace({ [FILE]: text });
  const hover = (word: string, nth = 0) => { const p = at(FILE, word, nth); return JSON.stringify(service.hover!(p.doc, p.position)?.contents ?? ''); };
  const shared = hover('proc.name');
  assert.match(shared, /\*\*Field\*\* `proc\.name`/);
  assert.match(shared, /\*\*Shared through YAML aliases by rules of different sources\*\*: rule \\\\'A\\\\' \(`syscall`\), rule \\\\'B\\\\' \(`k8s_audit`, through `\*c`\)\. Falco reads this text in each rule's context\./);
  assert.match(shared, /`proc\.name` is no field of `k8s_audit`: rule \\\\'B\\\\' cannot use it\./);
  // Rules of one source: the hover is the field's alone.
  assert.doesNotMatch(hover('evt.type', 1), /Shared through YAML aliases/);
  // An operator reads the same in every source: no note.
  assert.doesNotMatch(hover('=', 0), /Shared through/);
});
