// YAML aliases in the rules model, session 16: aliases inside an aliased node are read as yaml-cpp reads them, edits
// of files with aliases are incremental where that is exact, and the findings made through aliases say what Falco
// does for each reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAt, rulesDoc } from './rules-host';

const FILE = '/ws/falco_rules.local.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';
const said = (text: string, code?: string, version = '0.44') => {
  const doc = rulesDoc(FILE, text);
  return diagnoseAt(FILE, text, version).filter((d) => code === undefined || d.code === code)
    .map((d) => `${d.range.start.line} ${d.severity} ${d.code} ${doc.getText(d.range)}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
};
/** A rule's lines; `condition:` among `rest` replaces the default one. */
const RULE = (name: string, ...rest: string[]) => ['- rule: ' + name, '  desc: d', ...(rest.some((l) => l.startsWith('  condition:')) ? [] : ['  condition: evt.type = open']), '  output: o', '  priority: INFO', ...rest];

test('an alias inside an aliased node is read as the anchored node, and its findings name the outer reader', () => {
  // A's anchored exceptions name their fields through *f (Z's text); B reads A's exceptions through *e, and with them
  // *f: yaml-cpp's node for *e holds the node of *f, so Falco validates proc.namex for B too.
  const text = lines(
    ...RULE('Z', '  exceptions:', '    - name: z', '      fields: &f [proc.namex, proc.pname]', '      values: [[x, y]]'),
    ...RULE('A', '  exceptions: &e', '    - name: two', '      fields: *f', '      values: [[a, b]]'),
    ...RULE('B', '  exceptions: *e'),
  );
  assert.deepEqual(said(text), [
    "7 1 unknown-field proc.namex: 'proc.namex' is no filter field of source 'syscall'. Did you mean 'proc.name'? (LOAD_ERR_VALIDATE) Also for rule 'A' (*f, line 17) and rule 'B' (*e, line 24), which read this text through aliases.",
  ]);
  // Deeper: C reads B's anchored exceptions, which read A's through *e2, which read *f.
  const deeper = lines(
    ...RULE('Z', '  exceptions:', '    - name: z', '      fields: &f [proc.namex]', '      values: [[x]]'),
    ...RULE('A', '  exceptions: &e', '    - name: two', '      fields: *f', '      values: [[a]]'),
    ...RULE('B', '  exceptions: &e2', '    - name: three', '      fields: [proc.name]', '      values: [[b]]', '    - name: four', '      fields: *f', '      values: [[c]]'),
    ...RULE('C', '  exceptions: *e2'),
  );
  const found = said(deeper, 'unknown-field');
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /Also for rule 'A' \(\*f, line 17\), rule 'B' \(\*f, line 29\) and rule 'C' \(\*e2, line 36\), which read this text through aliases\.$/);
  assert.deepEqual(said(deeper, 'exception-invalid'), []);
});

// ---------------------------------------------------------------------------------------------------------------
// Case 1: edits of a file with aliases are read chunk by chunk, exactly.

const ALIASED = lines(
  '- list: shells', '  items: &sh [bash, sh, zsh]',
  '- macro: spawned', '  condition: &spawn evt.type = execve and proc.name in (shells)',
  ...RULE('Uses Spawn', '  condition: *spawn', '  exceptions: &ex', '    - name: known', '      fields: &ff [proc.pname, user.name]', '      values: [[cron, root]]'),
  ...RULE('Reads Exceptions', '  exceptions: *ex', '  tags: *sh'),
  '- list: more_shells', '  items: *sh',
  ...RULE('Nested', '  exceptions: &nest', '    - name: n', '      fields: *ff', '      values: [[a, b]]', '    - name: m', '      fields: [proc.name]', '      comps: [in]', '      values: [[*sh]]'),
  ...RULE('Reads Nested', '  exceptions: *nest', '  source: k8s_audit'),
  '- macro: plain', '  condition: proc.pname = x',
  ...RULE('Plain', '  condition: plain and proc.name = y'),
  '- rule: Uses Spawn', '  condition: *spawn', '  override:', '    condition: append',
);
const ALIAS_SNIPPETS = [
  '- macro: other\n  condition: &spawn proc.name = redefined\n',
  '- rule: Late Reader\n  desc: d\n  condition: *spawn\n  output: o\n  priority: INFO\n',
  '- rule: Late Exceptions\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  exceptions: *nest\n',
  '- list: anchored\n  items: &sh [fish]\n',
  '- rule: Dangling\n  desc: d\n  condition: *nowhere\n  output: o\n  priority: INFO\n',
];
const ALIAS_EDITS: [RegExp, string][] = [
  [/&spawn /, ''], [/\*spawn/, '*sh'], [/&ex\n/, '\n'], [/\*ff/, '[proc.namex]'], [/proc\.pname, user\.name/, 'proc.pnamex, user.name'],
  [/evt\.type = execve/, 'evt.type = execve and proc.nme = x'], [/\[\[\*sh\]\]/, '[[*sh, x]]'], [/&sh \[/, '&ex ['], [/&nest/, '&spawn'],
];

/** A random edit of a file with aliases: mostly typing and item moves (randomEdit), some of its anchors and aliases. */
async function aliasEdit(text: string, random: () => number): Promise<string> {
  const { randomEdit } = await import('./rules-random-edits');
  const roll = random();
  if (roll < 0.6) return randomEdit(text, ALIASED, random);
  const starts = [...text.matchAll(/^- /gm)].map((m) => m.index!);
  if (roll < 0.75) {
    const at = starts.length ? starts[Math.floor(random() * starts.length)] : text.length;
    return text.slice(0, at) + ALIAS_SNIPPETS[Math.floor(random() * ALIAS_SNIPPETS.length)] + text.slice(at);
  }
  const [pattern, replacement] = ALIAS_EDITS[Math.floor(random() * ALIAS_EDITS.length)];
  const from = Math.floor(random() * text.length);
  const found = text.slice(from).search(pattern);
  const at = found >= 0 ? from + found : text.search(pattern);
  if (at < 0) return text;
  const m = pattern.exec(text.slice(at))!;
  return text.slice(0, at) + replacement + text.slice(at + m[0].length);
}

test('a file with aliases is read chunk by chunk after an edit, equal to a reading from nothing and to the whole text read in one piece', async () => {
  const { prng, incrementalChange } = await import('./rules-random-edits');
  const { canonicalNodes } = await import('./model-canonical');
  const { parseRulesFile, parseWholeText } = await import('../../server/src/service/rules/model');
  const { RulesWorkspaceIndex } = await import('../../server/src/service/rules/workspace');
  const { MemoryHost } = await import('./rules-host');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  type Model = ReturnType<typeof parseRulesFile>;
  const data = (m: Model) => JSON.stringify(canonicalNodes({ items: m.items, aliases: m.aliases, yamlErrors: m.yamlErrors, notSequence: m.notSequence, chunks: m.chunks?.map((c) => ({ start: c.start, text: c.text, errors: c.errors, key: c.key })) }));
  const reading = (m: Model) => JSON.stringify(canonicalNodes({ items: m.items, aliases: m.aliases, yamlErrors: m.yamlErrors }));
  let chunked = 0, withAliases = 0, crossChunk = 0, unknownAnchors = 0;
  for (const seed of [1, 2, 3]) {
    const random = prng(seed);
    const uri = `file:///tmp/aliases-${seed}/rules.yaml`;
    const index = new RulesWorkspaceIndex(new MemoryHost({}, { ruleFiles: [] }));
    let doc = rulesDoc(uri, ALIASED, 1);
    index.didOpenOrChange(doc);
    index.modelOf(uri, ALIASED);
    let clean = ALIASED;
    for (let step = 0; step < 150; step++) {
      const before = doc.getText();
      const after = await aliasEdit(random() < 0.1 ? clean : before, random);
      const change = incrementalChange(before, after);
      doc = TextDocument.update(doc, [change], doc.version + 1);
      index.didOpenOrChange(doc, [change]);
      const incremental = index.modelOf(uri, after);
      const scratch = parseRulesFile(uri, after);
      if (data(incremental) !== data(scratch)) assert.deepEqual(JSON.parse(data(incremental)), JSON.parse(data(scratch)), `seed ${seed}, step ${step}`);
      if (scratch.yamlErrors.length === 0) clean = after;
      if (scratch.yamlErrors.every((e) => e.code === 'UNKNOWN_ANCHOR')) {
        // The aliases read across chunks are the whole text's reading (yaml-cpp's: the last anchor before the alias),
        // the aliases naming no anchor before them the same errors.
        const whole = parseWholeText(uri, after);
        if (scratch.yamlErrors.length > 0 && scratch.chunks) unknownAnchors++;
        if (reading(scratch) !== reading(whole)) assert.deepEqual(JSON.parse(reading(scratch)), JSON.parse(reading(whole)), `seed ${seed}, step ${step}: whole`);
      }
      if (scratch.aliases) {
        withAliases++;
        if (scratch.chunks) chunked++;
        if (scratch.chunks?.some((c) => c.key !== undefined)) crossChunk++;
      }
    }
  }
  // Most texts with aliases were read chunk by chunk, most of them with an item reading another's text.
  assert.ok(withAliases > 300 && chunked > withAliases * 0.8 && crossChunk > chunked * 0.5 && unknownAnchors > 50, JSON.stringify({ withAliases, chunked, crossChunk, unknownAnchors }));
});

test('incremental diagnostics of a file with aliases equal a fresh service\'s along random edits', async () => {
  const { prng, incrementalChange } = await import('./rules-random-edits');
  const { MemoryHost } = await import('./rules-host');
  const { createRulesService } = await import('../../server/src/service/rules/index');
  const { clearCheckMemos } = await import('../../server/src/service/rules/conditionChecks');
  const { clearChunkCache } = await import('../../server/src/service/rules/model');
  const { clearLoadMemos } = await import('../../server/src/service/rules/workspace');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const service = () => createRulesService(new MemoryHost({}, { folders: ['/ws'] }));
  const fresh = (text: string) => {
    clearCheckMemos(); clearChunkCache(); clearLoadMemos();
    return JSON.stringify(service().diagnostics(rulesDoc(FILE, text)));
  };
  const codes = new Set<string>();
  for (const seed of [4, 5]) {
    const random = prng(seed);
    const s = service();
    let doc = rulesDoc(FILE, ALIASED, 1);
    s.didOpenOrChange!(doc);
    s.diagnostics(doc);
    let clean = ALIASED;
    for (let step = 0; step < 80; step++) {
      const before = doc.getText();
      const after = await aliasEdit(random() < 0.15 ? clean : before, random);
      const change = incrementalChange(before, after);
      doc = TextDocument.update(doc, [change], doc.version + 1);
      s.didOpenOrChange!(doc, [change]);
      const incremental = s.diagnostics(doc);
      const expected = fresh(after);
      if (JSON.stringify(incremental) !== expected) assert.deepEqual(incremental, JSON.parse(expected), `seed ${seed}, step ${step}`);
      if (!incremental.some((d) => d.code === 'yaml-syntax')) clean = after;
      for (const d of incremental) codes.add(String(d.code));
    }
  }
  for (const code of ['unknown-field', 'field-not-for-source', 'exception-arity', 'undefined-macro']) assert.ok(codes.has(code), `edits produced ${code}: ${[...codes].join(', ')}`);
});

test('an edit of a file with aliases checks again the items it touched and those reading their text, not every item', async () => {
  const { ItemCheckCache, diagnoseFile } = await import('../../server/src/service/rules/diagnose');
  const { UsageIndex } = await import('../../server/src/service/rules/conditionChecks');
  const { RulesWorkspaceIndex } = await import('../../server/src/service/rules/workspace');
  const { MemoryHost } = await import('./rules-host');
  const index = new RulesWorkspaceIndex(new MemoryHost({}, { ruleFiles: [FILE] }));
  const cache = new ItemCheckCache();
  let version = 1;
  const validate = (text: string) => {
    index.didOpenOrChange(rulesDoc(FILE, text, version++));
    const load = index.load();
    const file = load.files.find((f) => f.uri.endsWith('falco_rules.local.yaml'))!;
    assert.ok(file.model.chunks && file.model.aliases, 'read chunk by chunk, with its aliases');
    diagnoseFile(file, load, new UsageIndex(load), undefined, cache);
    return cache.findings.lastChecked;
  };
  assert.equal(validate(ALIASED), 8, 'the first validation checks every rule and macro');
  // A rule reading no alias: it alone. The edit moves the anchored texts other items read, not what they read: they
  // replay, those whose findings lie in another item's text (Reads Nested's in Nested's; Uses Spawn's append, whose
  // *spawn does not start with and/or) at that text's new place (session 17: they were checked again, 3).
  assert.equal(validate(ALIASED.replace('plain and proc.name = y', 'plain and proc.name = yy')), 1);
  // The anchored exceptions of Uses Spawn: that rule's two items, the rules reading them (Reads Exceptions, Nested
  // through *ff, Reads Nested through *nest and *ff), and Plain, edited back.
  assert.equal(validate(ALIASED.replace('[[cron, root]]', '[[cron, rot]]')), 6);
  // The macro's anchored condition: a macro changed, every item again.
  assert.equal(validate(ALIASED.replace('execve and', 'execveat and')), 8);
});

// ---------------------------------------------------------------------------------------------------------------
// Case 5: data.sharedText only where a quick fix reads it.

test('data.sharedText is set only on findings with a quick fix that edits the shared text', async () => {
  const { MemoryHost } = await import('./rules-host');
  const { createRulesService } = await import('../../server/src/service/rules/index');
  // A k8s_audit rule holds the text, a syscall rule reads it: B's no-evttype fix (an evt.type restriction in A's text) is
  // greyed out and needs the readers; the plugin requirement (a new item at the top) and the exception field's
  // source finding (no fix) do not.
  const text = lines(
    '- rule: A', '  desc: d', '  condition: &c ka.user.name = x and evt.arg.linkpath = y', '  output: o', '  priority: INFO', '  source: k8s_audit',
    '  exceptions: &e', '    - name: one', '      fields: [proc.name]', '      values: [[x]]',
    '- rule: B', '  desc: d', '  condition: *c', '  output: o', '  priority: INFO',
  );
  const service = createRulesService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = rulesDoc(FILE, text);
  const found = service.diagnostics(doc);
  const shared = found.filter((d) => (d.data as { sharedText?: unknown } | undefined)?.sharedText !== undefined).map((d) => d.code);
  assert.deepEqual(shared, ['no-evttype'], JSON.stringify(found.map((d) => [d.code, d.data])));
  assert.ok(found.some((d) => d.code === 'missing-plugin-requirement'), found.map((d) => d.code).join(', '));
  const evttype = found.find((d) => d.code === 'no-evttype')!;
  const actions = service.codeActions!(doc, evttype.range, { diagnostics: [evttype], only: ['quickfix'] });
  assert.match(actions[0].disabled?.reason ?? '', /would also change rule 'A', which this finding is not about/);
});

// ---------------------------------------------------------------------------------------------------------------
// Case 3: the same-item pointer.

test('a finding in text its item reads again through its own alias points to that alias, whichever reading made it', () => {
  // Exception two reads one's values through *v with its fields swapped: only that reading gives proc.pid 'x'.
  const once = lines(...RULE('A', '  exceptions:', '    - name: one', '      fields: [proc.pid, proc.name]', '      values: &v [[1, x]]', '    - name: two', '      fields: [proc.name, proc.pid]', '      values: *v'));
  assert.deepEqual(said(once, 'invalid-value'), [
    "8 1 invalid-value x: 'x' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION) Rule 'A' reads this text again through *v (line 12).",
  ]);
  // Both readings find it: one diagnostic, the same pointer (as in session 15).
  const twice = lines(...RULE('A', '  exceptions:', '    - name: one', '      fields: &f [proc.namex]', '      values: [[x]]', '    - name: two', '      fields: *f', '      values: [[y]]'));
  assert.deepEqual(said(twice, 'unknown-field').map((m) => m.replace(/^.*\(LOAD_ERR_VALIDATE\) /, '')), ["Rule 'A' reads this text again through *f (line 11)."]);
});
