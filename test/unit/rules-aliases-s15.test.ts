// YAML aliases under `condition` and `exceptions` (session 15). Falco's YAML reader (yaml-cpp) gives an alias the
// anchored node, so `condition: *shared` compiles the anchored text as this rule's condition: in this rule's context
// (source, macros, lists, exceptions, skip-if-unknown-filter). Falco Lens checks it so: a finding lands on the anchored
// text, where the user fixes it, and says which item found it through which alias when that item is not the anchor's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules/index';
import { MemoryHost, rulesDoc } from './rules-host';

const service = () => createRulesService(new MemoryHost({}, { folders: ['/ws'] }));
const FILE = '/ws/falco_rules.local.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';
const at = (doc: ReturnType<typeof rulesDoc>, d: Diagnostic) => `${d.code}@${doc.getText(d.range)}`;

test('a condition written as an alias is compiled as the rule\'s own: the finding lands on the anchored text and names the rule', () => {
  const text = lines(
    '- macro: spawned', '  condition: &spawn evt.type = execve and proc.pnamex != cron',
    '- rule: Second', '  desc: d', '  condition: *spawn', '  output: o', '  priority: INFO',
  );
  const doc = rulesDoc(FILE, text);
  const diagnostics = service().diagnostics(doc);
  assert.deepEqual(diagnostics.filter((d) => d.code === 'alias-not-checked'), []);
  // Falco compiles rule Second's condition (the anchored text) and fails on the field; macro spawned is not used by name.
  const unknown = diagnostics.filter((d) => d.code === 'unknown-field');
  assert.deepEqual(unknown.map((d) => [doc.getText(d.range), d.severity]), [['proc.pnamex', 2], ['proc.pnamex', 1]], JSON.stringify(unknown, null, 1));
  // The macro's own finding: not compiled until a rule uses macro 'spawned' (no rule names it).
  assert.match(String(unknown[0].message), /until a rule uses macro 'spawned'/);
  assert.doesNotMatch(String(unknown[0].message), /Second/);
  // Rule Second's: an error, naming the rule and the alias, with the alias as a related location.
  assert.match(String(unknown[1].message), /For rule 'Second' \(\*spawn, line 5\), which reads this text through an alias\.$/);
  assert.deepEqual(unknown[1].relatedInformation?.map((r) => [doc.getText(r.location.range), r.location.uri]), [['*spawn', doc.uri]]);
  assert.ok(diagnostics.some((d) => d.code === 'unused-macro'), 'the macro is still unused by name');
});

test('two rules sharing an anchored condition with an error: one diagnostic naming both; a finding that differs per rule stays apart', () => {
  const text = lines(
    '- rule: First', '  desc: d', '  condition: &c evt.type = execve and proc.pnamex = cron', '  output: o', '  priority: INFO',
    '- rule: Second', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO',
    '- rule: Third', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO',
  );
  const doc = rulesDoc(FILE, text);
  const unknown = service().diagnostics(doc).filter((d) => d.code === 'unknown-field');
  assert.equal(unknown.length, 1, JSON.stringify(unknown, null, 1));
  assert.equal(doc.getText(unknown[0].range), 'proc.pnamex');
  assert.match(String(unknown[0].message), /\(LOAD_ERR_COMPILE_CONDITION\) Also for rule 'Second' \(\*c, line 8\) and rule 'Third' \(\*c, line 13\), which read this text through aliases\.$/);
  assert.deepEqual(unknown[0].relatedInformation?.map((r) => doc.getText(r.location.range)), ['*c', '*c']);
  // A rule of another source reads the same text otherwise: its own finding.
  const k8s = text.replace("- rule: Third\n  desc: d\n", "- rule: Third\n  desc: d\n  source: k8s_audit\n");
  const doc2 = rulesDoc(FILE, k8s, 2);
  const found = service().diagnostics(doc2).filter((d) => doc2.getText(d.range).startsWith('proc.') || doc2.getText(d.range) === 'evt.type');
  assert.ok(found.some((d) => /For rule 'Third'/.test(String(d.message)) && d.code === 'field-not-for-source'), JSON.stringify(found.map((d) => [d.code, d.message]), null, 1));
  assert.ok(found.some((d) => d.code === 'unknown-field' && /Also for rule 'Second' \(\*c, line 8\)/.test(String(d.message))), JSON.stringify(found.map((d) => [d.code, d.message]), null, 1));
});

test('a rule\'s aliased condition is judged with the rule\'s macros, lists and event codes, not as the anchor\'s item', () => {
  const text = lines(
    '- list: shells', '  items: [bash, sh]',
    // An item Falco ignores (with a warning) holding the shared text: the anchor's own item checks nothing.
    '- shared: &cond spawned_shell and proc.name in (shells) and not known_parent',
    '- macro: spawned_shell', '  condition: evt.type = execve',
    '- rule: Shell', '  desc: d', '  condition: *cond', '  output: o', '  priority: INFO',
  );
  const doc = rulesDoc(FILE, text);
  const diagnostics = service().diagnostics(doc);
  assert.deepEqual(diagnostics.map((d) => at(doc, d)), ['unknown-item@shared', 'undefined-macro@known_parent']);
  assert.match(String(diagnostics[1].message), /^Undefined macro 'known_parent' used in filter\..* For rule 'Shell' \(\*cond, line 8\)/);
  // The macro and list used only through the alias are used: no unused-macro or unused-list.
});

test('exceptions written as an alias are checked with each rule that reads them', () => {
  const text = lines(
    '- rule: First', '  desc: d', '  condition: evt.type = execve', '  output: o', '  priority: INFO',
    '  exceptions: &ex', '    - name: known', '      fields: [proc.namex]', '      values: [[cron]]',
    '- rule: Second', '  desc: d', '  condition: evt.type = open', '  output: o', '  priority: INFO', '  exceptions: *ex',
  );
  const doc = rulesDoc(FILE, text);
  const diagnostics = service().diagnostics(doc);
  const unknown = diagnostics.filter((d) => d.code === 'unknown-field');
  assert.deepEqual(unknown.map((d) => doc.getText(d.range)), ['proc.namex'], JSON.stringify(diagnostics, null, 1));
  assert.match(String(unknown[0].message), /Also for rule 'Second' \(\*ex, line 15\)/);
  assert.deepEqual(diagnostics.filter((d) => d.code === 'alias-not-checked'), []);
});

test('hovers, highlights, references, rename and semantic tokens in anchored text: a macro used only through an alias is found once', async () => {
  const { openWorkspace } = await import('./rules-nav-helpers');
  const text = lines(
    '- shared: &cond evt.type = execve and spawned and proc.name = bash',
    '- macro: spawned', '  condition: proc.pname = cron',
    '- rule: One', '  desc: d', '  condition: *cond', '  output: o', '  priority: INFO',
    '- rule: Two', '  desc: d', '  condition: *cond', '  output: o', '  priority: INFO',
  );
  const { service, docs, at } = openWorkspace({ [FILE]: text });
  const doc = docs[FILE];
  // References of macro spawned: its definition and the one use, in the anchored text (read by two rules), once.
  const defAt = at(FILE, 'spawned', 1);
  const refs = service.references!(defAt.doc, defAt.position, true);
  assert.deepEqual(refs.map((l) => `${l.range.start.line}:${doc.getText(l.range)}`), ['0:spawned', '1:spawned']);
  // From the use: definition, highlights, rename (one edit per place).
  const use = at(FILE, 'spawned', 0);
  assert.deepEqual(service.definition!(use.doc, use.position)?.map?.((l: { range: import('vscode-languageserver-types').Range }) => l.range.start.line), [1]);
  assert.equal(service.documentHighlights!(use.doc, use.position)?.length, 2);
  const edit = service.rename!(use.doc, use.position, 'spawned_proc');
  const lines_: number[] = [];
  for (const e of Object.values(edit?.changes ?? {}).flat()) lines_.push(e.range.start.line);
  for (const c of edit?.documentChanges ?? []) if ('edits' in c) for (const e of c.edits) lines_.push(e.range.start.line);
  assert.deepEqual(lines_.sort(), [0, 1]);
  // A hover on a field of the anchored text.
  const field = at(FILE, 'proc.name');
  const hover = service.hover!(field.doc, field.position);
  assert.match(JSON.stringify(hover?.contents ?? ''), /proc\.name/);
  // Semantic tokens: one per place, in order (LSP's relative encoding would break on a repeat).
  const data = service.semanticTokens!(doc).data;
  let line = 0; let char = 0; const places = new Set<string>();
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]; char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    assert.ok(data[i] > 0 || data[i + 1] > 0 || i === 0, `token ${i / 5} repeats the previous place`);
    places.add(`${line}:${char}`);
  }
  assert.ok(places.has(`0:${text.indexOf('spawned')}`), 'the macro use in the anchored text is a token');
  // No unused-macro: the macro is used through the alias.
  assert.deepEqual(service.diagnostics(doc).filter((d) => d.code === 'unused-macro'), []);
});

test('edits of anchored text re-check every item that reads it: incremental diagnostics equal a fresh service\'s', async () => {
  const { clearCheckMemos } = await import('../../server/src/service/rules/conditionChecks');
  const { clearChunkCache } = await import('../../server/src/service/rules/model');
  const { clearLoadMemos } = await import('../../server/src/service/rules/workspace');
  const { incrementalChange } = await import('./rules-random-edits');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.severity} ${d.message} ${JSON.stringify(d.relatedInformation ?? [])}`);
  const fresh = (text: string) => {
    clearCheckMemos(); clearChunkCache(); clearLoadMemos();
    return summary(service().diagnostics(rulesDoc(FILE, text)));
  };
  const base = lines(
    '- list: shells', '  items: [bash, sh]',
    '- macro: spawned', '  condition: &spawn evt.type = execve and proc.name in (shells)',
    '- rule: One', '  desc: d', '  condition: spawned and proc.pname = cron', '  output: o', '  priority: INFO',
    '- rule: Two', '  desc: d', '  condition: spawned', '  output: o', '  priority: INFO',
    '- rule: Three', '  desc: d', '  condition: proc.name = x', '  output: o', '  priority: INFO', '  source: k8s_audit',
  );
  const steps = [
    base,
    // Two and Three read the macro's text through aliases (the file is read whole from here).
    base.replace('  condition: spawned\n', '  condition: *spawn\n').replace('  condition: proc.name = x\n', '  condition: *spawn\n'),
  ];
  const withAliases = steps[1];
  steps.push(
    withAliases.replace('proc.name in (shells)', 'proc.nme in (shells)'), // a typo in the anchored text: found for each reader
    withAliases.replace('proc.name in (shells)', 'proc.nme in (shellz)'),
    withAliases.replace('proc.name in (shells)', 'proc.name in (shells) and fd.name = x'), // fixed, another field
    withAliases.replace('  condition: *spawn\n  output: o\n  priority: INFO\n  source', '  condition: proc.name = x\n  output: o\n  priority: INFO\n  source'),
    base.replace('proc.name in (shells)', 'proc.nme in (shells)'), // no alias any more: read chunk by chunk again
    base,
  );
  const s = service();
  let before = steps[0];
  assert.deepEqual(summary(s.diagnostics(rulesDoc(FILE, before, 1))), fresh(before));
  for (let i = 1; i < steps.length; i++) {
    const after = steps[i];
    const change = incrementalChange(before, after);
    const doc = TextDocument.update(rulesDoc(FILE, before, i), [change], i + 1);
    assert.equal(doc.getText(), after);
    s.didOpenOrChange!(doc, [change]);
    const incremental = summary(s.diagnostics(doc));
    assert.deepEqual(incremental, fresh(after), `step ${i}`);
    if (i === 2) {
      assert.ok(incremental.some((m) => /unknown-field .*Also for rule 'Two' \(\*spawn, line 12\) and rule 'Three' \(\*spawn, line 17\)/.test(m)), incremental.join('\n'));
      assert.ok(incremental.some((m) => /^3:20 field-not-for-source .*For rule 'Three'/.test(m)), incremental.join('\n'));
    }
    before = after;
  }
});

test('the quick fix of a finding made through an alias edits the anchored text once, never the alias', async () => {
  const { applyEdits, editsFor } = await import('./rules-host');
  const text = lines(
    '- macro: spawned', '  condition: &spawn evt.type = execve and proc.pnamex != cron',
    '- rule: Two', '  desc: d', '  condition: *spawn', '  output: o', '  priority: INFO',
    '- rule: Three', '  desc: d', '  condition: *spawn', '  output: o', '  priority: INFO',
  );
  const s = service();
  const doc = rulesDoc(FILE, text);
  const ruleFinding = s.diagnostics(doc).filter((d) => d.code === 'unknown-field' && d.severity === 1);
  assert.equal(ruleFinding.length, 1);
  assert.match(String(ruleFinding[0].message), /For rule 'Two' \(\*spawn, line 5\) and rule 'Three' \(\*spawn, line 10\)/);
  const actions = s.codeActions!(doc, ruleFinding[0].range, { diagnostics: ruleFinding, only: ['quickfix'] });
  const preferred = actions.find((a) => a.isPreferred);
  assert.ok(preferred, JSON.stringify(actions));
  const edits = editsFor(preferred.edit, doc.uri);
  assert.deepEqual(edits.map((e) => [e.range.start.line, doc.getText(e.range), e.newText]), [[1, 'proc.pnamex', 'proc.pname']]);
  const fixed = applyEdits(text, edits);
  assert.ok(fixed.includes('condition: *spawn\n') && !fixed.includes('pnamex'));
  assert.deepEqual(s.diagnostics(rulesDoc(FILE, fixed, 2)).filter((d) => d.code === 'unknown-field'), []);
});
