// Incremental validation must equal validation from scratch. A long-lived service sees a seeded sequence of random
// edits (typing, broken and repaired YAML, moved and deleted items, typos, overrides and appends); after every step
// the diagnostics of every file of the set are compared with those of a new service over the same texts, computed
// after every module memo has been cleared. No timings are asserted here (test/perf measures them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService, UsageCounter, type RulesService } from '../../server/src/service/rules';
import { clearCheckMemos, UsageIndex } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache } from '../../server/src/service/rules/model';
import { clearLoadMemos, RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { CORPUS_RULES, MemoryHost, corpusExists, rulesDoc, summarize } from './rules-host';
import { EditSession, incrementalChange, prng, randomEdit, TWO_FILE_BASE as BASE, TWO_FILE_LOCAL as LOCAL } from './rules-random-edits';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToUri } from '../../server/src/service/uri';
import { parseRulesFile, type RulesFileModel } from '../../server/src/service/rules/model';
import { canonicalNodes } from './model-canonical';

/** Diagnostics of every file, from a new service after every memo is forgotten; `rules` gets its rule summaries. */
function fromScratch(paths: string[], texts: string[], rules?: (svc: RulesService) => void): Diagnostic[][] {
  clearCheckMemos();
  clearChunkCache();
  clearLoadMemos();
  const host = new MemoryHost({}, { ruleFiles: paths });
  paths.forEach((p, i) => host.files.set(p, texts[i]));
  const svc = createRulesService(host);
  const result = paths.map((p, i) => svc.diagnostics(rulesDoc(p, texts[i])));
  rules?.(svc);
  return result;
}

function diagnosticsOf(svc: RulesService, paths: string[], texts: string[], versions: number[]): Diagnostic[][] {
  return paths.map((p, i) => svc.diagnostics(rulesDoc(p, texts[i], versions[i])));
}

/** Runs `steps` random edits over the files and compares after each; returns how many steps had YAML errors. */
function compareAlongEdits(paths: string[], originals: string[], seed: number, steps: number): { broken: number; codes: Set<string> } {
  const host = new MemoryHost({}, { ruleFiles: paths });
  paths.forEach((p, i) => host.files.set(p, originals[i]));
  const svc = createRulesService(host);
  const random = prng(seed);
  const texts = [...originals];
  const versions = paths.map(() => 1);
  const sessions = texts.map((t, i) => new EditSession(t, originals[i], random));
  let current = diagnosticsOf(svc, paths, texts, versions);
  let broken = 0;
  const codes = new Set<string>();
  for (let step = 1; step <= steps; step++) {
    const k = Math.floor(random() * paths.length);
    const before = texts[k];
    texts[k] = sessions[k].next(current[k].some((d) => d.code === 'yaml-syntax'));
    versions[k]++;
    // As an editor sends it: one incremental change (the service narrows its work to the changed region).
    const change = incrementalChange(before, texts[k]);
    const doc = TextDocument.update(rulesDoc(paths[k], before, versions[k] - 1), [change], versions[k]);
    assert.equal(doc.getText(), texts[k]);
    svc.didOpenOrChange!(doc, [change]);
    current = diagnosticsOf(svc, paths, texts, versions);
    let expectedRules = '';
    const expected = fromScratch(paths, texts, (fresh) => { expectedRules = JSON.stringify(fresh.allRules()); });
    // The definitions after loading (rebuilt from remembered item recipes) equal a fresh load's.
    if (JSON.stringify(svc.allRules()) !== expectedRules) assert.deepEqual(svc.allRules(), JSON.parse(expectedRules), `seed ${seed}, step ${step}: rules`);
    for (let i = 0; i < paths.length; i++) {
      // Compare everything a client sees (ranges, codes, messages, data); the summary makes a failure readable.
      if (JSON.stringify(current[i]) !== JSON.stringify(expected[i])) {
        assert.deepEqual(current[i].map(summarize), expected[i].map(summarize), `seed ${seed}, step ${step}, ${path.basename(paths[i])}`);
        assert.deepEqual(current[i], expected[i], `seed ${seed}, step ${step}, ${path.basename(paths[i])}: data`);
      }
    }
    if (current.some((ds) => ds.some((d) => d.code === 'yaml-syntax'))) broken++;
    for (const ds of current) for (const d of ds) codes.add(String(d.code));
  }
  return { broken, codes };
}

test('incremental diagnostics equal diagnostics from scratch along random edits (synthetic base and local file)', () => {
  const paths = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml'];
  const seen = new Set<string>();
  for (const seed of [1, 2, 3, 4]) for (const c of compareAlongEdits(paths, [BASE, LOCAL], seed, 120).codes) seen.add(c);
  // The edits reach the checks that read other items and other files, not only the single-item ones.
  for (const code of ['yaml-syntax', 'condition-syntax', 'undefined-macro', 'no-previous-definition', 'unknown-key', 'no-evttype', 'unused-macro']) {
    assert.ok(seen.has(code), `edits produced ${code}: ${[...seen].join(', ')}`);
  }
});

test('an override follows the source of the rule it changes when that rule is edited in another file', () => {
  const paths = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml'];
  const host = new MemoryHost({}, { ruleFiles: paths });
  host.files.set(paths[0], BASE);
  host.files.set(paths[1], LOCAL);
  const svc = createRulesService(host);
  const local = () => svc.diagnostics(rulesDoc(paths[1], LOCAL)).map((d) => d.code);
  assert.ok(!local().includes('field-not-for-source'));
  // The audit rule becomes a syscall rule: the appended ka.* comparison no longer fits its source.
  const edited = BASE.replace('  source: k8s_audit\n', '');
  svc.didOpenOrChange!(rulesDoc(paths[0], edited, 2));
  svc.diagnostics(rulesDoc(paths[0], edited, 2));
  assert.ok(local().includes('field-not-for-source'));
  svc.didOpenOrChange!(rulesDoc(paths[0], BASE, 3));
  assert.ok(!local().includes('field-not-for-source'));
});

const official = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((n) => path.join(CORPUS_RULES, 'falcosecurity__rules', n));

test('incremental diagnostics equal diagnostics from scratch along random edits (the three official files)', { skip: !corpusExists && 'corpus absent' }, () => {
  const originals = official.map((p) => fs.readFileSync(p, 'utf8'));
  const { broken } = compareAlongEdits(official, originals, 7, 30);
  // Most steps validate well-formed YAML (the cached path); some validate broken YAML (the whole-file path).
  assert.ok(broken > 0 && broken < 20, `steps with YAML errors: ${broken}`);
});

test('incremental diagnostics equal diagnostics from scratch along random edits (k8s audit plugin rules)', { skip: !corpusExists && 'corpus absent' }, () => {
  const paths = ['falcosecurity__plugins/k8saudit/k8s_audit_rules.yaml', 'falcosecurity__plugins/k8saudit-gke/k8s_audit_rules_gke.yaml'].map((r) => path.join(CORPUS_RULES, r));
  compareAlongEdits(paths, paths.map((p) => fs.readFileSync(p, 'utf8')), 11, 40);
});

test('incremental diagnostics equal diagnostics from scratch along random edits (the six plugin rules files)', { skip: !corpusExists && 'corpus absent' }, () => {
  const paths = ['k8saudit/k8s_audit_rules.yaml', 'k8saudit-gke/k8s_audit_rules_gke.yaml', 'cloudtrail/aws_cloudtrail_rules.yaml', 'gcpaudit/gcp_auditlog_rules.yaml', 'github/github.yaml', 'okta/okta_rules.yaml']
    .map((r) => path.join(CORPUS_RULES, 'falcosecurity__plugins', r));
  compareAlongEdits(paths, paths.map((p) => fs.readFileSync(p, 'utf8')), 23, 30);
});

test('allRules is the same array while the loaded files are unchanged (snippet checks do not reset it), a new one after an edit', () => {
  const paths = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml'];
  const host = new MemoryHost({}, { ruleFiles: paths });
  host.files.set(paths[0], BASE);
  host.files.set(paths[1], LOCAL);
  const svc = createRulesService(host);
  const first = svc.allRules();
  svc.diagnostics(rulesDoc(paths[1], LOCAL));
  svc.validateText('file:///tmp/snippet.yaml', '- rule: Local Rule\n  enabled: false\n  override:\n    enabled: replace\n');
  assert.equal(svc.allRules(), first);
  const edited = LOCAL.replace('priority: info', 'priority: ERROR');
  svc.didOpenOrChange!(rulesDoc(paths[1], edited, 2));
  const after = svc.allRules();
  assert.notEqual(after, first);
  assert.equal(after.find((r) => r.name === 'Local Rule')?.priority, 'ERROR');
});

test('running usage counts equal UsageIndex along random edits of several files, with snippet loads in between', { skip: !corpusExists && 'corpus absent' }, () => {
  const paths = [...official, path.join(CORPUS_RULES, 'falcosecurity__plugins', 'k8saudit', 'k8s_audit_rules.yaml')];
  const originals = paths.map((p) => fs.readFileSync(p, 'utf8'));
  const host = new MemoryHost({}, { ruleFiles: paths });
  paths.forEach((p, i) => host.files.set(p, originals[i]));
  const index = new RulesWorkspaceIndex(host);
  const counter = new UsageCounter();
  const random = prng(5);
  const sessions = originals.map((t, i) => new EditSession(t, originals[i], random));
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let step = 0; step < 60; step++) {
    const k = Math.floor(random() * paths.length);
    const text = sessions[k].next(false);
    index.didOpenOrChange(rulesDoc(paths[k], text, step + 2));
    // Now and then a snippet checked after every file (the quick-fix path), between two ordinary loads.
    const load = random() < 0.2 ? index.load({ uri: 'file:///tmp/snippet_rules.yaml', text: '- macro: m\n  condition: spawned_process\n', last: true }) : index.load();
    const got = counter.usage(load);
    const want = new UsageIndex(load);
    assert.deepEqual(sorted(got.macroUses), sorted(want.macroUses), `step ${step}: macros`);
    assert.deepEqual(sorted(got.listUses), sorted(want.listUses), `step ${step}: lists`);
  }
});

test('running usage counts equal UsageIndex when whole files are reopened with new item texts, mixed with edits', { skip: !corpusExists && 'corpus absent' }, () => {
  // A reopen makes every item new (the counter then counts afresh instead of exchanging); an edit changes one item
  // (exchanged); files dropping out of and back into the load order change the pairing by position.
  const paths = [...official, path.join(CORPUS_RULES, 'falcosecurity__plugins', 'k8saudit', 'k8s_audit_rules.yaml')];
  const originals = paths.map((p) => fs.readFileSync(p, 'utf8'));
  const host = new MemoryHost({}, { ruleFiles: paths });
  paths.forEach((p, i) => host.files.set(p, originals[i]));
  const index = new RulesWorkspaceIndex(host);
  const counter = new UsageCounter();
  const random = prng(17);
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const texts = [...originals];
  for (let step = 0; step < 40; step++) {
    const k = Math.floor(random() * paths.length);
    const what = random();
    if (what < 0.15) {
      // Every file reopened at once (as the bench does): counted afresh.
      paths.forEach((p, i) => {
        if (!host.files.has(p)) return;
        texts[i] = originals[i].replace(/^- /gm, `# all ${step}\n- `);
        host.files.set(p, texts[i]);
        index.didOpenOrChange(rulesDoc(p, texts[i], step + 2));
      });
    } else if (what < 0.3) texts[k] = originals[k].replace(/^- /gm, `# reopen ${step}\n- `);
    else if (what < 0.6) texts[k] = texts[k].replace(/^(  condition: .*)$/m, `$1 and not proc.name = step${step}`);
    else if (what < 0.75) texts[k] = texts[k].replace(/^- macro: [^\n]*\n/m, '');
    else if (what < 0.85) host.files.delete(paths[k]);
    else host.files.set(paths[k], texts[k]);
    if (host.files.has(paths[k])) {
      host.files.set(paths[k], texts[k]);
      index.didOpenOrChange(rulesDoc(paths[k], texts[k], step + 2));
    } else index.didClose(pathToUri(paths[k]));
    index.didChangeWatchedFiles([]);
    const load = index.load();
    const got = counter.usage(load);
    const want = new UsageIndex(load);
    assert.deepEqual(sorted(got.macroUses), sorted(want.macroUses), `step ${step}: macros`);
    assert.deepEqual(sorted(got.listUses), sorted(want.listUses), `step ${step}: lists`);
  }
});

/** A model as plain data (its items and problems), for comparing two parses. */
function modelData(model: RulesFileModel): string {
  return JSON.stringify({ items: canonicalNodes(model.items), yamlErrors: model.yamlErrors, notSequence: model.notSequence, chunks: model.chunks });
}

test('a file parsed from its content changes (changed region only) equals a parse from nothing, along random edits of the corpus and synthetic texts', { skip: !corpusExists && 'corpus absent' }, () => {
  const files = [...official, path.join(CORPUS_RULES, 'falcosecurity__plugins', 'k8saudit', 'k8s_audit_rules.yaml')].map((p) => fs.readFileSync(p, 'utf8'));
  // Shapes at the edges: comments and blank lines before the first item, CR line breaks, a '-' on the last line.
  files.push('# header\n\n- macro: a\n  condition: x\n- list: b\n  items: [c]\n', '- macro: a\r\n  condition: x\r\n- list: b\r\n  items: [c]\r\n-', '- list: b\r  items: [c]\r- macro: m\r  condition: y\r');
  let seed = 11;
  for (const original of files) {
    const random = prng(seed++);
    const uri = `file:///tmp/region-${seed}/rules.yaml`;
    const index = new RulesWorkspaceIndex(new MemoryHost({}, { ruleFiles: [] }));
    let doc = rulesDoc(uri, original, 1);
    index.didOpenOrChange(doc);
    index.modelOf(uri, original);
    const session = new EditSession(original, original, random);
    let broken = false;
    for (let step = 0; step < 50; step++) {
      // One to three changes before the file is read again (a debounce gathers several keystrokes).
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const before = doc.getText();
        const after = random() < 0.2 ? randomEdit(before, original, random) : session.next(broken);
        const change = incrementalChange(before, after);
        // Now and then the editor's range is wider than needed (a whole-line replacement).
        if (random() < 0.2 && change.range.start.character > 0) {
          const lineStart = doc.offsetAt({ line: change.range.start.line, character: 0 });
          change.text = before.slice(lineStart, doc.offsetAt(change.range.start)) + change.text;
          change.range = { start: { line: change.range.start.line, character: 0 }, end: change.range.end };
        }
        doc = TextDocument.update(doc, [change], doc.version + 1);
        assert.equal(doc.getText(), after, JSON.stringify({ before, change }));
        session.text = after;
        index.didOpenOrChange(doc, [change]);
      }
      const text = doc.getText();
      const incremental = index.modelOf(uri, text);
      const scratch = parseRulesFile(uri, text);
      broken = scratch.yamlErrors.length > 0;
      if (modelData(incremental) !== modelData(scratch)) assert.deepEqual(JSON.parse(modelData(incremental)), JSON.parse(modelData(scratch)), `seed ${seed}, step ${step}`);
    }
  }
});
