// An edited item is read from a copy of its own text (model.ts parseAroundChange): read from the document's text,
// every string of its nodes was a slice of that text, which V8 keeps whole while the slice lives, and the caches keyed
// by those strings (item checks, recipes, parsed conditions) kept one whole version of the file per edit. With the
// official files open the bench's 240 edits put about 12 MB of such versions in old space (bench/README.md, session 24).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSnapshot } from 'node:v8';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost } from './rules-host';

const FILE = '/ws/rules/edited_rules.yaml';
const MARKER = `# edited-versions-s24 ${process.pid}`;

/** A rules file of about 60 KB: a macro and 150 rules using it. */
function rulesText(): string {
  const parts = [`${MARKER}\n- macro: shell_procs\n  condition: proc.name in (bash, sh, zsh)\n`];
  for (let i = 0; i < 150; i++) {
    parts.push(`- rule: Rule number ${i}\n  desc: A rule of the test, number ${i}, with a description long enough to count.\n  condition: evt.type = execve and shell_procs and proc.pname = parent_${i}\n  output: "Shell under parent_${i} (user=%user.name command=%proc.cmdline)"\n  priority: WARNING\n`);
  }
  return parts.join('');
}

/** How many strings of the heap are a whole version of the file (at least `length` characters, starting with MARKER). */
async function wholeVersionsAlive(length: number): Promise<number> {
  let json = '';
  for await (const chunk of getHeapSnapshot()) json += chunk;
  const snapshot = JSON.parse(json) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const stringType = snapshot.snapshot.meta.node_types[0].indexOf('string');
  let count = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    if (snapshot.nodes[i + typeAt] !== stringType || snapshot.nodes[i + sizeAt] < length) continue;
    if (snapshot.strings[snapshot.nodes[i + nameAt]].startsWith(MARKER)) count++;
  }
  return count;
}

test('edits of a rule keep no earlier version of the file alive through the strings read from it', async () => {
  const text = rulesText();
  const host = new MemoryHost({ [FILE]: text }, { folders: ['/ws'] });
  const service = createRulesService(host);
  const doc = TextDocument.create(pathToUri(FILE), 'falco-rules', 1, text);
  service.didOpenOrChange!(doc);
  assert.deepEqual(service.diagnostics(doc), []);
  // Six edits, each a new text of one rule's condition (a new parent name), as the editor sends them.
  const at = text.indexOf('proc.pname = parent_75') + 'proc.pname = parent_'.length;
  const position = doc.positionAt(at);
  for (let k = 0; k < 6; k++) {
    const change: TextDocumentContentChangeEvent = { range: { start: position, end: { line: position.line, character: position.character + 2 } }, text: `${k}${k}` };
    TextDocument.update(doc, [change], doc.version + 1);
    service.didOpenOrChange!(doc, [change]);
    const found = service.diagnostics(doc);
    assert.deepEqual(found, [], `edit ${k}`);
    // A turn of the event loop, as between the server's messages.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The first version (the first reading's strings, which the caches keep) and the current one.
  const alive = await wholeVersionsAlive(text.length - 10);
  assert.ok(alive <= 2, `${alive} versions of the file alive`);
});
