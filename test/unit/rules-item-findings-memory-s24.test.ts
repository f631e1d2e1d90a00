// What the condition checks' memo (itemFindings.ts) holds between validations: the models of the load are told apart
// by a stamp per model, not through WeakRefs. With the official files open, each validation of a file made one WeakRef
// per other file, and the models they named went on to old space: 240 edits of the bench left about 4 MB more there
// (bench/README.md, session 24). The memo's results stay those of a validation from nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { ItemCheckCache, diagnoseFile } from '../../server/src/service/rules/diagnose';
import { clearCheckMemos, UsageIndex } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache } from '../../server/src/service/rules/model';
import { clearLoadMemos, RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, rulesDoc, summarize } from './rules-host';

const FILE = '/etc/falco/falco_rules.yaml';
const LOCAL = '/etc/falco/falco_rules.local.yaml';

const BASE = `- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.dir = <)
- list: shell_binaries
  items: [bash, sh, zsh]
- rule: Shell Spawned
  desc: a shell
  condition: spawned_process and proc.name in (shell_binaries)
  output: "shell %proc.name"
  priority: WARNING
- rule: Wide Open
  desc: no event type
  condition: proc.name = nc and fd.sport = 4444
  output: "%proc.name"
  priority: NOTICE
`;

const LOCAL_TEXT = `- rule: Shell Spawned
  condition: and not proc.pname = sshd
  override:
    condition: append
- macro: local_shell
  condition: spawned_process and proc.name = fish
- rule: Local Shell
  desc: local
  condition: local_shell and proc.nmae = x
  output: "%proc.name"
  priority: INFO
`;

/** Two rules files validated with one cache, as the service does after each edit of the first. */
class Workspace {
  readonly host = new MemoryHost({}, { ruleFiles: [FILE, LOCAL] });
  readonly index: RulesWorkspaceIndex;
  readonly cache = new ItemCheckCache();
  private version = 1;
  readonly texts = new Map<string, string>([[FILE, BASE], [LOCAL, LOCAL_TEXT]]);

  constructor() {
    for (const [p, text] of this.texts) this.host.files.set(p, text);
    this.index = new RulesWorkspaceIndex(this.host);
  }

  edit(p: string, text: string): void {
    this.texts.set(p, text);
    this.index.didOpenOrChange(rulesDoc(p, text, ++this.version));
  }

  diagnostics(p: string): Diagnostic[] {
    const uri = pathToUri(p);
    const load = this.index.load({ uri, text: this.texts.get(p)! });
    return diagnoseFile(this.index.fileOf(load, uri)!, load, new UsageIndex(load), undefined, this.cache);
  }
}

function fromNothing(texts: Map<string, string>, p: string): string[] {
  clearCheckMemos();
  clearChunkCache();
  clearLoadMemos();
  const host = new MemoryHost({}, { ruleFiles: [FILE, LOCAL] });
  for (const [q, text] of texts) host.files.set(q, text);
  const index = new RulesWorkspaceIndex(host);
  const load = index.load();
  return diagnoseFile(index.fileOf(load, pathToUri(p))!, load, new UsageIndex(load)).map(summarize);
}

/** Runs `f` with every WeakRef made counted. */
function countingWeakRefs(f: () => void): number {
  const Original = globalThis.WeakRef;
  let made = 0;
  globalThis.WeakRef = class<T extends WeakKey> extends Original<T> {
    constructor(target: T) {
      super(target);
      made++;
    }
  } as WeakRefConstructor;
  try {
    f();
  } finally {
    globalThis.WeakRef = Original;
  }
  return made;
}

test('validating the files of a load after edits of the first makes no WeakRef, and each result is a validation from nothing', () => {
  const ws = new Workspace();
  const steps: [string, string][] = [
    ['a rule\'s condition', BASE.replace('proc.name = nc', 'proc.name = ncx')],
    ['back', BASE],
    ['a macro', BASE.replace('execveat', 'execveatx')],
    ['back', BASE],
    ['an appended rule', `${BASE}- rule: Added\n  desc: d\n  condition: evt.type = open and proc.name in (shell_binaries)\n  output: "%proc.name"\n  priority: INFO\n`],
  ];
  const made = countingWeakRefs(() => {
    ws.diagnostics(FILE);
    ws.diagnostics(LOCAL);
    for (const [what, text] of steps) {
      ws.edit(FILE, text);
      // The edited file first, then the other open file, as server.ts validates them.
      const edited = ws.diagnostics(FILE).map(summarize);
      const other = ws.diagnostics(LOCAL).map(summarize);
      // A second validation of the unchanged file replays everything.
      const again = ws.diagnostics(LOCAL).map(summarize);
      assert.equal(ws.cache.findings.lastChecked, 0, what);
      assert.deepEqual(again, other, what);
      const texts = new Map(ws.texts);
      assert.deepEqual(edited, fromNothing(texts, FILE), what);
      assert.deepEqual(other, fromNothing(texts, LOCAL), what);
    }
  });
  assert.equal(made, 0);
});

test('a file validated again after another file changed checks every item again; with nothing changed, none', () => {
  const ws = new Workspace();
  ws.diagnostics(FILE);
  ws.diagnostics(LOCAL);
  ws.diagnostics(LOCAL);
  assert.equal(ws.cache.findings.lastChecked, 0);
  ws.edit(FILE, BASE.replace('desc: a shell', 'desc: a shell!'));
  ws.diagnostics(FILE);
  const got = ws.diagnostics(LOCAL);
  assert.equal(ws.cache.findings.lastChecked, 3, 'the local file\'s two rules and its macro');
  assert.ok(got.some((d) => d.code === 'unknown-field' && d.range.start.line === 8), got.map(summarize).join('\n'));
  ws.diagnostics(LOCAL);
  assert.equal(ws.cache.findings.lastChecked, 0);
});
