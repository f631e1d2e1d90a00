// A list whose name is a number: Falco expands lists by searching the condition's text for the list's name between
// delimiters (rule_loader_compiler.cpp resolve_list: blanks, '(', ')', ',', '='; 0.37.0:180-251, 0.44.0:182-238,
// called by parse_condition for every list before libsinsp parses the text), whatever the name: `in (1000)` reads the
// list named 1000 and marks it used (no LOAD_UNUSED_LIST). A list's items naming a list are expanded by name too
// (compile_list_infos, col.lists().at(item), 0.44.0:300-323).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, findingsAt, rulesDoc } from './rules-host';

const FILE = '/ws/rules.yaml';
const RULE = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);

test('a list named 1000 is used, and read, in (1000)', () => {
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(findingsAt(FILE, `- list: 1000\n  items: [2000, 3000]\n${RULE('evt.type = connect and fd.sport in (1000)')}`, target), [], target);
    assert.deepEqual(findingsAt(FILE, `- list: -1\n  items: [bash]\n${RULE('evt.type = execve and proc.name in (sh, -1)')}`, target), [], target);
    // Its items are what Falco compares with: a port over 65535 wraps.
    assert.deepEqual(codes(findingsAt(FILE, `- list: 1000\n  items: [99999]\n${RULE('evt.type = connect and fd.sport in (1000)')}`, target)), ['2 port-wraps 1000'], target);
    // A quoted "1000" is a string, no list; an unused numbered list is still unused.
    assert.deepEqual(codes(findingsAt(FILE, `- list: 1000\n  items: [2000]\n${RULE('evt.type = connect and fd.sport in ("1000")')}`, target)), ['3 unused-list 1000'], target);
    // A list's items naming it, as before.
    assert.deepEqual(findingsAt(FILE, `- list: 1000\n  items: [2000]\n- list: ports\n  items: [1000, 22]\n${RULE('evt.type = connect and fd.sport in (ports)')}`, target), [], target);
  }
});

test('go to definition on 1000 in (1000) leads to the list', () => {
  const text = `- list: 1000\n  items: [2000]\n${RULE('evt.type = connect and fd.sport in (1000)')}`;
  const host = new MemoryHost({ [FILE]: text }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const doc = rulesDoc(FILE, text);
  svc.didOpenOrChange?.(doc);
  const at = doc.positionAt(text.indexOf('(1000)') + 2);
  const found = svc.definition!(doc, at);
  assert.equal(found.length, 1);
  assert.equal(found[0].range.start.line, 0);
});
