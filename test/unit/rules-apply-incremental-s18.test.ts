// A load after edits must equal applying every file's definitions from nothing (workspace.ts applyDefinitions, which
// takes over what an earlier load derived from the files before the first changed one): the same names in the same
// order in every table after every file, the same definitions pointing at the same items and files, the same loader
// findings. Compared along random edits of the official files, the plugins' files and synthetic sets (with snippet
// loads in between), and along scripted edits of earlier files that change what later files override, append to,
// enable, redefine and replace: what any incremental application of the definitions has to keep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelItem } from '../../server/src/service/rules/model';
import { applyDefinitions, RulesWorkspaceIndex, type Contribution, type Definition, type Definitions, type LoadedFile, type LoadResult } from '../../server/src/service/rules/workspace';
import { CORPUS_RULES, MemoryHost, corpusExists, rulesDoc } from './rules-host';
import { EditSession, incrementalChange, prng, TWO_FILE_BASE, TWO_FILE_LOCAL } from './rules-random-edits';

/** A load as plain data: items and files named by their place in the load's files (a stale one says so). */
function loadData(load: LoadResult): unknown {
  const itemIds = new Map<ModelItem, string>();
  load.files.forEach((f, i) => f.model.items.forEach((item, k) => itemIds.set(item, `${i}:${k}`)));
  const item = (x: ModelItem) => itemIds.get(x) ?? `stale item ${x.kind} ${x.name}`;
  const file = (f: LoadedFile) => (load.files[f.order] === f ? f.order : `stale file ${f.uri}`);
  const contribution = (c: Contribution) => [file(c.file), item(c.item), c.mode];
  const definition = (d: Definition) => {
    const { contributions, ...rest } = d;
    const data: Record<string, unknown> = { ...rest, contributions: contributions.map(contribution) };
    if (d.kind === 'rule') data.exceptionItems = d.exceptionItems.map(item);
    return data;
  };
  const tables = (defs: Definitions) => ({
    macros: [...defs.macros].map(([n, d]) => [n, definition(d)]),
    lists: [...defs.lists].map(([n, d]) => [n, definition(d)]),
    rules: [...defs.rules].map(([n, d]) => [n, definition(d)]),
  });
  const findings: unknown[] = [];
  for (const f of load.files) {
    for (const x of f.model.items) {
      const list = load.findings.get(x);
      if (list) findings.push([item(x), list.map((g) => [g.code, item(g.item), g.previous && contribution(g.previous)])]);
    }
  }
  let held = 0;
  for (const f of load.files) for (const x of f.model.items) if (load.findings.has(x)) held++;
  return { after: load.after.map(tables), final: tables(load.final), findings, strayFindings: load.findings.size - held };
}

/** The load equals one from nothing over the same files. */
function assertFresh(load: LoadResult, where: string): void {
  const got = loadData(load);
  const want = loadData(applyDefinitions(load.files));
  if (JSON.stringify(got) !== JSON.stringify(want)) assert.deepEqual(got, want, where);
}

/** A set of files edited in turn through the workspace index, as an editor sends the changes. */
class EditedSet {
  readonly index: RulesWorkspaceIndex;
  readonly texts: string[];
  private readonly versions: number[];

  constructor(readonly paths: string[], originals: string[]) {
    const host = new MemoryHost({}, { ruleFiles: paths });
    paths.forEach((p, i) => host.files.set(p, originals[i]));
    this.index = new RulesWorkspaceIndex(host);
    this.texts = [...originals];
    this.versions = paths.map(() => 1);
    paths.forEach((p, i) => this.index.didOpenOrChange(rulesDoc(p, originals[i], 1)));
  }

  edit(k: number, text: string): void {
    const before = this.texts[k];
    const change = incrementalChange(before, text);
    const doc = TextDocument.update(rulesDoc(this.paths[k], before, this.versions[k]), [change], ++this.versions[k]);
    this.texts[k] = text;
    this.index.didOpenOrChange(doc, [change]);
  }
}

/** Random edits, mostly of the files before the last (those that make later files be applied again). */
function compareAlongRandomEdits(paths: string[], originals: string[], seed: number, steps: number): void {
  const set = new EditedSet(paths, originals);
  const random = prng(seed);
  const sessions = originals.map((t) => new EditSession(t, t, random));
  assertFresh(set.index.load(), `seed ${seed}: first load`);
  for (let step = 1; step <= steps; step++) {
    const k = random() < 0.8 ? Math.floor(random() * Math.max(1, paths.length - 1)) : paths.length - 1;
    set.edit(k, sessions[k].next(false));
    assertFresh(set.index.load(), `seed ${seed}, step ${step} (file ${k})`);
    // Now and then a snippet checked after every file (a hypothetical load, cached apart).
    if (random() < 0.15) assertFresh(set.index.load({ uri: 'file:///tmp/snippet_rules.yaml', text: SNIPPET, last: true }), `seed ${seed}, step ${step}: snippet`);
  }
}

const SNIPPET = '- macro: spawned_process\n  condition: and proc.pid > 1\n  override:\n    condition: append\n- rule: Snippet Rule\n  desc: d\n  condition: spawned_process\n  output: o\n  priority: INFO\n';

// Three files: the two-file fixture's base with exceptions and one more macro, a middle file that redefines, replaces
// and appends, and a local file that adds to the two-file fixture's local file definitions before and after it.
const BASE = TWO_FILE_BASE
  .replace('  tags: [container, shell, mitre_execution]\n', '  tags: [container, shell]\n  exceptions:\n    - name: base_known\n      fields: [proc.name]\n      values: [[bash]]\n')
  .replace('- rule: Shell In Container', '- macro: never_true\n  condition: (evt.num=0)\n- rule: Shell In Container');

const MIDDLE = `- macro: container
  condition: container.id != host and container.id != ""
- list: middle_only
  items: [a, b]
- rule: Write Below Etc
  desc: replaced here
  condition: evt.type = openat and fd.name startswith /etc and never_true
  output: "%fd.name"
  priority: CRITICAL
- macro: container
  condition: container.id exists
- rule: Audit Create
  condition: and ka.user.name = <NA>
  append: true
- macro: middle_macro
  condition: proc.name = middle and spawned_process
`;

const LOCAL = `- list: local_first
  items: [x]
- macro: never_true
  condition: (evt.num=1)
- macro: new_macro
  condition: or proc.name = y
  override:
    condition: append
${TWO_FILE_LOCAL}- macro: local_between
  condition: proc.name = z
- rule: Write Below Etc
  enabled: false
- rule: Shell In Container
  priority: ERROR
  override:
    priority: replace
- list: local_last
  items: [shell_binaries, middle_only]
`;

const SYNTHETIC = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco-middle_rules.yaml', '/etc/falco/falco_rules.local.yaml'];

test('scripted edits of earlier files that change what later files override, append to, enable, redefine and replace load as from nothing', () => {
  const set = new EditedSet(SYNTHETIC, [BASE, MIDDLE, LOCAL]);
  const codes = () => {
    const load = set.index.load();
    return [...load.findings.values()].flat().map((f) => `${f.code} ${f.item.name}`).sort();
  };
  assertFresh(set.index.load(), 'first load');
  assert.deepEqual(codes(), ['no-previous-definition new_macro', 'redefinition container']);
  // Each step: the file edited, the edit, what it does, and the loader's findings after it where they change.
  const steps: [number, (t: string) => string, string, string[]?][] = [
    // A character typed above every item: every item of the file moves.
    [0, (t) => `# edited\n${t}`, 'a comment above every item'],
    // A macro a later file appends to is renamed, then named back.
    [0, (t) => t.replace('- macro: spawned_process', '- macro: spawned_proces'), 'the appended macro renamed',
      ['no-previous-definition new_macro', 'no-previous-definition spawned_process', 'redefinition container']],
    [0, (t) => t.replace('- macro: spawned_proces\n', '- macro: spawned_process\n'), 'renamed back', ['no-previous-definition new_macro', 'redefinition container']],
    // The macro a later file's failed append names is defined: it takes its place in the table at the base's item.
    [0, (t) => t.replace('- macro: never_true', '- macro: new_macro\n  condition: proc.name = w\n- macro: never_true'), 'a macro a later append lacked', ['redefinition container']],
    // A macro the middle file redefines (twice) is edited in the base.
    [0, (t) => t.replace('container.id != host', 'container.id != host and container.id != ""'), 'a macro a later file redefines'],
    // The rule the middle file replaces becomes a k8s_audit rule (source mismatch there), the rule it appends to
    // loses its source, the rule a later file enables is renamed.
    [0, (t) => t.replace('  priority: ERROR\n', '  priority: ERROR\n  source: k8s_audit\n'), 'a replaced rule changes its source',
      ['redefinition container', 'source-mismatch Write Below Etc']],
    [0, (t) => t.replace('  source: k8s_audit\n', ''), 'the first source removed'],
    [0, (t) => t.replace('- rule: Write Below Etc', '- rule: Write Below Etc Renamed'), 'a rule a later file enables renamed', ['redefinition container']],
    // The exceptions a later file appends to are replaced, then removed.
    [0, (t) => t.replace('values: [[bash]]', 'values: [[sh]]'), 'exceptions edited'],
    [0, (t) => t.replace(/ {2}exceptions:\n(?: {4}.*\n)+/, ''), 'exceptions removed'],
    // The middle file: its redefinition dropped, a list the local file names moved, a macro removed.
    [1, (t) => t.replace('- macro: container\n  condition: container.id exists\n', ''), 'a redefinition dropped'],
    [1, (t) => `- macro: container\n  condition: container.id exists\n${t}`, 'a macro the base defines redefined first'],
    [1, (t) => t.replace('- list: middle_only\n  items: [a, b]\n', ''), 'a list a later list names removed'],
    [1, (t) => t.replace('- macro: middle_macro', '- macro: spawned_process'), 'a macro a later file appends to redefined'],
    // The base's list a later file appends to is removed, and a list of a later file's name is added before it.
    [0, (t) => t.replace('- list: shell_binaries\n  items: [bash, sh, zsh]\n', '- list: local_last\n  items: [q]\n'), 'lists removed and added'],
    [0, (t) => t.replace('- macro: new_macro\n  condition: proc.name = w\n', ''), 'the added macro removed again'],
    // A macro the local file redefines before its own new macro is removed from the base: the local file's
    // definition becomes the table's first (before local_between, as a load from nothing has it), then back.
    [0, (t) => t.replace('- macro: never_true\n  condition: (evt.num=0)\n', ''), 'a macro a later file redefines removed'],
    [0, (t) => `${t}- macro: never_true\n  condition: (evt.num=0)\n`, 'and defined again, last'],
  ];
  for (const [k, change, what, expected] of steps) {
    const text = change(set.texts[k]);
    assert.notEqual(text, set.texts[k], `${what}: the edit changes the text`);
    set.edit(k, text);
    assertFresh(set.index.load(), what);
    if (expected) assert.deepEqual(codes(), expected, what);
  }
  assert.deepEqual(codes(), ['no-previous-definition new_macro', 'no-previous-definition shell_binaries', 'redefinition container']);
});

test('a load after random edits of the synthetic sets equals a load from nothing', () => {
  for (const seed of [1, 2, 3]) compareAlongRandomEdits(SYNTHETIC, [BASE, MIDDLE, LOCAL], seed, 80);
  compareAlongRandomEdits([SYNTHETIC[0], SYNTHETIC[2]], [TWO_FILE_BASE, TWO_FILE_LOCAL], 4, 80);
});

const OFFICIAL = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((n) => path.join(CORPUS_RULES, 'falcosecurity__rules', n));
const PLUGINS = ['k8saudit/k8s_audit_rules.yaml', 'k8saudit-gke/k8s_audit_rules_gke.yaml', 'cloudtrail/aws_cloudtrail_rules.yaml', 'gcpaudit/gcp_auditlog_rules.yaml', 'github/github.yaml', 'okta/okta_rules.yaml']
  .map((r) => path.join(CORPUS_RULES, 'falcosecurity__plugins', r));

test('a load after random edits of the official files equals a load from nothing', { skip: !corpusExists && 'corpus absent' }, () => {
  compareAlongRandomEdits(OFFICIAL, OFFICIAL.map((p) => fs.readFileSync(p, 'utf8')), 18, 60);
});

test('a load after random edits of the plugins\' rules files equals a load from nothing', { skip: !corpusExists && 'corpus absent' }, () => {
  compareAlongRandomEdits(PLUGINS, PLUGINS.map((p) => fs.readFileSync(p, 'utf8')), 19, 60);
});
