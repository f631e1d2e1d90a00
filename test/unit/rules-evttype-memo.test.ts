// The event-type memo (results kept per condition text with the macro and list lookups they made, shared between the
// files of a workspace and between versions) must give what a fresh service computes. Three files in load order
// share macros and lists on evt.type; seeded edits change event names, lists, macros, negations, exceptions and
// overrides (and type at random); after every step each file's diagnostics are compared with a new service's,
// computed after every module memo is cleared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { clearCheckMemos } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache } from '../../server/src/service/rules/model';
import { clearLoadMemos } from '../../server/src/service/rules/workspace';
import { MemoryHost, rulesDoc, summarize } from './rules-host';
import { incrementalChange, prng, randomEdit } from './rules-random-edits';

const PATHS = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco-incubating_rules.yaml', '/etc/falco/falco_rules.local.yaml'];

const BASE = `- list: open_events
  items: [open, openat, openat2]
- list: exec_events
  items: [execve, execveat]
- list: all_events
  items: [open_events, exec_events, connect]
- macro: open_read
  condition: evt.type in (open_events) and evt.is_open_read = true
- macro: spawned_process
  condition: evt.type in (exec_events)
- macro: not_spawned
  condition: not spawned_process
- macro: outbound
  condition: evt.type = connect and fd.typechar = 4
- rule: Read Sensitive
  desc: d
  condition: open_read and fd.name startswith /etc
  output: "r %fd.name"
  priority: WARNING
- rule: Shell Spawned
  desc: d
  condition: spawned_process and proc.name = bash
  output: "s %proc.name"
  priority: NOTICE
  exceptions:
    - name: known
      fields: [proc.pname]
      values: [[sshd]]
`;
const INCUBATING = `- macro: any_event
  condition: evt.type in (all_events)
- macro: open_or_spawn
  condition: open_read or spawned_process
- rule: Anything
  desc: d
  condition: any_event and proc.name = nc
  output: "a %proc.name"
  priority: INFO
- rule: Not Spawned
  desc: d
  condition: not_spawned and not open_or_spawn and proc.name = x
  output: "n %proc.name"
  priority: INFO
- rule: Outbound
  desc: d
  condition: outbound or open_or_spawn
  output: "o %fd.name"
  priority: INFO
  exceptions:
    - name: opens
      fields: evt.type
      values: [open]
`;
const LOCAL = `- list: open_events
  items: [creat]
  override:
    items: append
- macro: spawned_process
  condition: or evt.type = clone
  override:
    condition: append
- rule: Outbound
  exceptions:
    - name: opens
      values: [openat]
  override:
    exceptions: append
- rule: Local
  desc: d
  condition: evt.type in (all_events) and not evt.type in (exec_events)
  output: "l %proc.name"
  priority: INFO
`;

/** Edits aimed at what event codes depend on; each applies at the first match after a random offset. */
const EDITS: [RegExp, string[]][] = [
  [/\bopenat\b/, ['openat2', 'fsync', 'opne', 'execve', 'EVENT_TYPE']],
  [/\bexecveat\b/, ['execve', 'clone3', 'ptrace']],
  [/\bconnect\b/, ['accept', 'sendto', 'conect']],
  [/evt\.type in/, ['not evt.type in', 'evt.type !=', 'syscall.type in', 'evt.type pmatch', 'tolower(evt.type) in']],
  [/evt\.type = /, ['evt.type != ', 'not evt.type = ', 'evt.type = val(proc.name) or evt.type = ']],
  [/\[open, /, ['[', '[open, open_events, ', '["open", ']],
  [/ and /, [' or ', ' and not ']],
  [/\bspawned_process\b/, ['not_spawned', 'open_read', 'spawned_proces']],
  [/\bopen_events\b/, ['exec_events', 'all_events']],
  [/fields: evt\.type/, ['fields: proc.name', 'fields: syscall.type']],
  [/values: \[open\]/, ['values: [open, openat, openat2]', 'values: [connect, open, openat, openat2, execve, execveat]']],
  [/fields: \[proc\.pname\]/, ['fields: [evt.type]']],
  [/\[\[sshd\]\]/, ['[[execve], [execveat]]', '[[open]]']],
  [/  priority: INFO\n/, ['  priority: INFO\n  warn_evttypes: false\n']],
];

function evtTypeEdit(text: string, random: () => number): string {
  const [pattern, replacements] = EDITS[Math.floor(random() * EDITS.length)];
  const at = Math.floor(random() * text.length);
  for (const from of [at, 0]) {
    const m = pattern.exec(text.slice(from));
    if (!m) continue;
    const start = from + m.index;
    return text.slice(0, start) + replacements[Math.floor(random() * replacements.length)] + text.slice(start + m[0].length);
  }
  return text;
}

function fromScratch(texts: string[]): Diagnostic[][] {
  clearCheckMemos();
  clearChunkCache();
  clearLoadMemos();
  const host = new MemoryHost({}, { ruleFiles: PATHS });
  PATHS.forEach((p, i) => host.files.set(p, texts[i]));
  const service = createRulesService(host);
  return PATHS.map((p, i) => service.diagnostics(rulesDoc(p, texts[i])));
}

test('event-type findings along seeded edits of three files equal a fresh service\'s', () => {
  const originals = [BASE, INCUBATING, LOCAL];
  const seen = new Set<string>();
  for (const seed of [5, 6, 7]) {
    const random = prng(seed);
    const host = new MemoryHost({}, { ruleFiles: PATHS });
    PATHS.forEach((p, i) => host.files.set(p, originals[i]));
    const service = createRulesService(host);
    const texts = [...originals];
    const versions = PATHS.map(() => 1);
    for (const [i, p] of PATHS.entries()) service.diagnostics(rulesDoc(p, texts[i]));
    for (let step = 1; step <= 60; step++) {
      const k = Math.floor(random() * PATHS.length);
      const before = texts[k];
      const roll = random();
      // Mostly edits of what event codes depend on, some typing, and now and then back to the original text.
      texts[k] = roll < 0.7 ? evtTypeEdit(before, random) : roll < 0.9 ? randomEdit(before, originals[k], random) : originals[k];
      versions[k]++;
      const change = incrementalChange(before, texts[k]);
      service.didOpenOrChange!(TextDocument.update(rulesDoc(PATHS[k], before, versions[k] - 1), [change], versions[k]), [change]);
      const current = PATHS.map((p, i) => service.diagnostics(rulesDoc(p, texts[i], versions[i])));
      const expected = fromScratch(texts);
      for (let i = 0; i < PATHS.length; i++) {
        if (JSON.stringify(current[i]) === JSON.stringify(expected[i])) continue;
        assert.deepEqual(current[i].map(summarize), expected[i].map(summarize), `seed ${seed}, step ${step}, ${path.basename(PATHS[i])}`);
        assert.deepEqual(current[i], expected[i], `seed ${seed}, step ${step}, ${path.basename(PATHS[i])}: data`);
      }
      for (const ds of current) for (const d of ds) seen.add(String(d.code));
    }
  }
  // The edits reach every event-type finding.
  for (const code of ['no-evttype', 'unknown-evttype', 'evttype-not-indexable']) assert.ok(seen.has(code), `edits produced ${code}: ${[...seen].join(', ')}`);
});
