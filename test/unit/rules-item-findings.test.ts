// The condition checks' findings kept per item between validations of a file (itemFindings.ts): an edit that changes
// one rule checks that rule (and the items of its name) again, everything else replays; every result equals a
// validation from nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { ItemCheckCache, diagnoseFile } from '../../server/src/service/rules/diagnose';
import { clearCheckMemos, UsageIndex } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache } from '../../server/src/service/rules/model';
import { clearLoadMemos, RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { CORPUS_RULES, corpusExists, MemoryHost, rulesDoc, summarize } from './rules-host';
import { prng } from './rules-random-edits';

/** A workspace of rules files validated with one cache, as the service does, file `edited` being typed in. */
class Workspace {
  readonly host: MemoryHost;
  readonly index: RulesWorkspaceIndex;
  readonly cache = new ItemCheckCache();

  constructor(readonly paths: string[], texts: string[]) {
    this.host = new MemoryHost({}, { ruleFiles: paths });
    paths.forEach((p, i) => this.host.files.set(p, texts[i]));
    this.index = new RulesWorkspaceIndex(this.host);
  }

  private version = 1;

  /** The file's diagnostics with `text` as its open document's text (the other files as last opened or on disk). */
  diagnostics(p: string, text: string): Diagnostic[] {
    this.index.didOpenOrChange(rulesDoc(p, text, ++this.version));
    const uri = pathToUri(p);
    const load = this.index.load({ uri, text });
    return diagnoseFile(this.index.fileOf(load, uri)!, load, new UsageIndex(load), undefined, this.cache);
  }
}

/** The same file's diagnostics from a new index without any cache, every memo forgotten. */
function fromNothing(paths: string[], texts: string[], p: string): Diagnostic[] {
  clearCheckMemos();
  clearChunkCache();
  clearLoadMemos();
  const host = new MemoryHost({}, { ruleFiles: paths });
  paths.forEach((q, i) => host.files.set(q, texts[i]));
  const index = new RulesWorkspaceIndex(host);
  const uri = pathToUri(p);
  const load = index.load();
  return diagnoseFile(index.fileOf(load, uri)!, load, new UsageIndex(load));
}

const BASE = `- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.dir = <)
- list: shell_binaries
  items: [bash, sh, zsh]
- rule: Shell Spawned
  desc: a shell
  condition: spawned_process and proc.name in (shell_binaries)
  output: "shell %proc.name"
  priority: WARNING
- rule: Audit Create
  desc: audit
  condition: ka.verb = create
  output: "%ka.verb"
  priority: INFO
  source: k8s_audit
- rule: Audit Create
  condition: and ka.user.name = alice
  override:
    condition: append
- rule: Wide Open
  desc: no event type
  condition: proc.name = nc and fd.sport = 4444
  output: "%proc.name"
  priority: NOTICE
`;

const FILE = '/etc/falco/falco_rules.yaml';

function codes(ds: Diagnostic[]): string[] {
  return ds.map(summarize);
}

test('typing in a rule\'s condition checks that rule alone again; the other items replay at their new places', () => {
  const ws = new Workspace([FILE], [BASE]);
  ws.diagnostics(FILE, BASE);
  assert.equal(ws.cache.findings.lastChecked, 5, 'the first validation checks every rule and macro');
  // Shell Spawned gets a typo: an undefined macro; Wide Open (its no-evttype finding) moves down by one character.
  const edited = BASE.replace('condition: spawned_process and', 'condition: spawned_processx and');
  const got = ws.diagnostics(FILE, edited);
  assert.equal(ws.cache.findings.lastChecked, 1);
  assert.deepEqual(codes(got), codes(fromNothing([FILE], [edited], FILE)));
  assert.ok(got.some((d) => d.code === 'undefined-macro'), codes(got).join('\n'));
  assert.ok(got.some((d) => d.code === 'no-evttype' && d.range.start.line === 21), codes(got).join('\n'));
});

test('a rule changed by an edit is checked again with every item of its name (an append reads the rule\'s source)', () => {
  const ws = new Workspace([FILE], [BASE]);
  const first = ws.diagnostics(FILE, BASE);
  assert.ok(!first.some((d) => d.code === 'field-not-for-source'), codes(first).join('\n'));
  // The audit rule becomes a syscall rule: the append's ka.user.name no longer fits its source.
  const edited = BASE.replace('  source: k8s_audit\n', '');
  const got = ws.diagnostics(FILE, edited);
  assert.equal(ws.cache.findings.lastChecked, 2, 'the definition and the append');
  assert.deepEqual(codes(got), codes(fromNothing([FILE], [edited], FILE)));
  assert.ok(got.some((d) => d.code === 'field-not-for-source' && d.range.start.line === 15), codes(got).join('\n'));
});

test('an edit of a macro or list, of another file, or of the names checks every item again', () => {
  const local = '/etc/falco/falco_rules.local.yaml';
  const localText = '- list: shell_binaries\n  items: [fish]\n  append: true\n';
  const ws = new Workspace([FILE, local], [BASE, localText]);
  ws.diagnostics(FILE, BASE);
  ws.diagnostics(FILE, BASE);
  assert.equal(ws.cache.findings.lastChecked, 0, 'nothing changed: everything replays');
  const cases: [string, string][] = [
    ['a macro', BASE.replace('execveat', 'execveatx')],
    ['a list', BASE.replace('[bash, sh, zsh]', '[bash, sh]')],
    ['a new macro', `${BASE}- macro: extra\n  condition: proc.name = x\n`],
  ];
  for (const [what, text] of cases) {
    ws.diagnostics(FILE, BASE);
    const got = ws.diagnostics(FILE, text);
    assert.equal(ws.cache.findings.lastChecked, text.includes('- macro: extra') ? 6 : 5, what);
    assert.deepEqual(codes(got), codes(fromNothing([FILE, local], [text, localText], FILE)), what);
  }
  // Another file changes (the local file appends to the list): every item is checked again.
  ws.diagnostics(FILE, BASE);
  const otherLocal = '- list: shell_binaries\n  items: [fish, ksh]\n  append: true\n';
  ws.diagnostics(local, otherLocal);
  const got = ws.diagnostics(FILE, BASE);
  assert.equal(ws.cache.findings.lastChecked, 5);
  assert.deepEqual(codes(got), codes(fromNothing([FILE, local], [BASE, otherLocal], FILE)));
});

test('a rule added at the end is checked alone; one added above a list makes every item be checked (lists are ordered by place)', () => {
  const ws = new Workspace([FILE], [BASE]);
  ws.diagnostics(FILE, BASE);
  const rule = '- rule: Added\n  desc: d\n  condition: evt.type = open and proc.name in (shell_binaries)\n  output: "%proc.name"\n  priority: INFO\n';
  const appended = `${BASE}${rule}`;
  assert.deepEqual(codes(ws.diagnostics(FILE, appended)), codes(fromNothing([FILE], [appended], FILE)));
  assert.equal(ws.cache.findings.lastChecked, 1);
  ws.diagnostics(FILE, BASE);
  const above = BASE.replace('- list: shell_binaries', `${rule}- list: shell_binaries`);
  assert.deepEqual(codes(ws.diagnostics(FILE, above)), codes(fromNothing([FILE], [above], FILE)));
  assert.equal(ws.cache.findings.lastChecked, 6);
  // Removing it again: the list moves back up.
  ws.diagnostics(FILE, BASE);
  assert.equal(ws.cache.findings.lastChecked, 5);
});

test('a rule defined twice with the same text keeps the findings of each occurrence apart', () => {
  const twice = `${BASE}- rule: Wide Open\n  desc: no event type\n  condition: proc.name = nc and fd.sport = 4444\n  output: "%proc.name"\n  priority: NOTICE\n`;
  const ws = new Workspace([FILE], [twice]);
  ws.diagnostics(FILE, twice);
  const edited = twice.replace('desc: a shell', 'desc: a shell!');
  const got = ws.diagnostics(FILE, edited);
  assert.equal(ws.cache.findings.lastChecked, 1);
  assert.deepEqual(codes(got), codes(fromNothing([FILE], [edited], FILE)));
});

/**
 * Offsets inside the values of rule items' condition, output and desc keys (where typing changes one rule): the middle
 * of a one-line value, and of each line of a block value (the official conditions are folded blocks).
 */
function ruleValueOffsets(text: string): number[] {
  const offsets: number[] = [];
  const re = /^- rule: .*\n((?: .*\n|\n)*)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m.index + m[0].indexOf(m[1]);
    let inBlock = false;
    const lines = /^(.*)$/gm;
    for (let l = lines.exec(m[1]); l && l[0] !== undefined && l.index < m[1].length; l = lines.exec(m[1])) {
      const line = l[1];
      const key = /^ {2}(condition|output|desc): ?(.*)$/.exec(line);
      if (key) {
        inBlock = /^[>|][-+]?$/.test(key[2]);
        if (!inBlock && key[2].length > 2) offsets.push(body + l.index + line.length - Math.ceil(key[2].length / 2));
      } else if (inBlock && /^ {4}\S/.test(line) && line.length > 6) {
        offsets.push(body + l.index + Math.ceil(line.length / 2));
      } else if (/^ {2}\S/.test(line)) inBlock = false;
      if (l[0] === '') lines.lastIndex++;
    }
  }
  return offsets;
}

const official = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((n) => path.join(CORPUS_RULES, 'falcosecurity__rules', n));

test('typing in rules of the official files: every validation equals one from nothing, and most items replay', { skip: !corpusExists && 'corpus absent' }, () => {
  const originals = official.map((p) => fs.readFileSync(p, 'utf8'));
  const ws = new Workspace(official, originals);
  const random = prng(31);
  const texts = [...originals];
  for (let i = 0; i < official.length; i++) ws.diagnostics(official[i], texts[i]);
  const typed = ['x', ' ', ')', '(', 'and ', ' or not ', '%', '_', '"', 'proc.nmae', 'evt.type=open '];
  let replayedSteps = 0;
  for (let step = 0; step < 24; step++) {
    const k = Math.floor(random() * official.length);
    const offsets = ruleValueOffsets(texts[k]);
    const at = offsets[Math.floor(random() * offsets.length)];
    texts[k] = texts[k].slice(0, at) + typed[Math.floor(random() * typed.length)] + texts[k].slice(at);
    // The edited file first, then the files it may change, as the server validates them.
    for (const i of [k, ...official.keys()].filter((i, n) => n === 0 || i !== k)) {
      const got = ws.diagnostics(official[i], texts[i]);
      if (i === k && ws.cache.findings.lastChecked <= 2) replayedSteps++;
      const expected = fromNothing(official, texts, official[i]);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        assert.deepEqual(codes(got), codes(expected), `step ${step}, ${path.basename(official[i])} (${path.basename(official[k])} edited)`);
        assert.deepEqual(got, expected, `step ${step}: data`);
      }
    }
  }
  // Typing that breaks the YAML, or a rule's name, makes a validation check everything; most steps replay.
  assert.ok(replayedSteps >= 16, `steps that replayed: ${replayedSteps} of 24`);
});
