// Aliases inside the node their anchor names, and aliases standing for a whole document or item (session 17, helper
// C). yaml-cpp (0.7.0 in Falco 0.37, 0.8.0 in 0.38-0.39, c2bec4c in 0.40-0.44: cmake/modules/yaml-cpp.cmake) reads
// `&a [x, *a]` as a list holding itself: SingleDocParser registers the anchor before the node's content and
// NodeBuilder::OnAlias pushes the very node being built (nodebuilder.cpp, unchanged across the three). Falco's reader
// looks one level into most values ("sequence value is not scalar", "Value is not a scalar value"), but reads an
// exception's fields, comps and values at any depth of lists (rule_loader_reader.cpp decode_exception_info_entry,
// 0.37-0.44): there a list holding itself through lists alone is read without end, and Falco crashes. A document that
// is an alias names no anchor (none comes before its root): ParserException UNKNOWN_ANCHOR. An item that is an alias
// of another item is that mapping read again (Falco's messages mark it at the anchored text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, MemoryHost, rulesDoc } from './rules-host';
import { ALIAS_NODE_BUDGET, parseRulesFile, parseWholeText, type ModelNode } from '../../server/src/service/rules/model';
import { createRulesService } from '../../server/src/service/rules';

const lines = (...l: string[]) => l.join('\n') + '\n';
const R = ['  desc: d', '  condition: evt.type = open', '  output: o', '  priority: INFO'];
const said = (text: string, version = '0.44') => findingsAt('/ws/a_rules.yaml', text, version).map((f) => f.replace(/ \(LOAD_\w+\)$/, ''));

test('a list holding itself is read as yaml-cpp reads it: a list where Falco looks for a string', () => {
  const list = lines('- list: l', '  items: &a [x, *a]', '- rule: X', '  desc: d', '  condition: evt.type = open and fd.name in (l)', '  output: o', '  priority: INFO');
  assert.deepEqual(said(list), ['1 invalid-value-type *a: Each list item must be a string or a number, not a list (the list holding this alias, which its alias gives).']);
  const tags = lines('- rule: X', '  tags: &t [a, *t]', ...R);
  assert.deepEqual(said(tags), ['1 invalid-value-type *t: Each tag must be a string, not a list (the list holding this alias, which its alias gives).']);
  // A mapping holding itself under `condition`: a mapping, not a string.
  const cond = lines('- macro: m', '  condition: &c {a: *c}', '- rule: X', '  desc: d', '  condition: evt.type = open and m', '  output: o', '  priority: INFO');
  assert.deepEqual(said(cond), ["1 invalid-value-type {a: *c}: 'condition' must be a string, not a mapping."]);
  // The exceptions list given as the values of one of its exceptions: a list, of mappings.
  const values = lines('- rule: X', '  exceptions: &e [{name: n, fields: [proc.name], values: *e}]', ...R);
  assert.match(said(values).join('\n'), /^1 exception-invalid \*e: An exception's 'values' here is the list holding this alias/);
});

test('an exception\'s fields, comps or values holding themselves through lists: Falco reads them without end and crashes', () => {
  const crash = /^1 exception-invalid \*(\w+): This alias gives the list holding it, .* Falco crashes \(stack overflow\) while loading the file\./;
  const texts = [
    lines('- rule: X', '  exceptions: [{name: n, fields: &f [proc.name, *f], values: [[a, b]]}]', ...R),
    lines('- rule: X', '  exceptions: [{name: n, fields: [proc.name], comps: &c [=, [*c]], values: [[a]]}]', ...R),
    lines('- rule: X', '  exceptions: [{name: n, fields: [proc.name], values: &v [[a], &w [*v]]}]', ...R),
    // Reached through an alias of another item's list, at every release.
    lines('- list: l', '  items: &a [x, [*a]]', '- rule: X', '  exceptions: [{name: n, fields: proc.name, comps: in, values: *a}]', ...R),
  ];
  // The last one is said in the list's text, for the rule reading it through its alias.
  assert.match(said(texts[3]).join('\n'), /while loading the file\. For rule 'X' \(\*a, line 4\), which reads this text through an alias\./);
  for (const [k, text] of texts.entries()) {
    for (const version of ['0.37', '0.44']) {
      const got = said(text, version).filter((f) => f.includes('exception-invalid'));
      assert.equal(got.length, 1, `text ${k} at ${version}: ${got.join('\n')}`);
      assert.match(got[0], crash, `text ${k}`);
    }
  }
  // A mapping between the list and its alias stops Falco's walk: no crash said.
  const stopped = lines('- rule: X', '  exceptions: [{name: n, fields: &f [proc.name, {k: *f}], values: [[a, b]]}]', ...R);
  assert.ok(!said(stopped).some((f) => f.includes('crashes')), said(stopped).join('\n'));
});

test('a document that is an alias is yaml-cpp\'s unknown anchor; an item that is an alias is its mapping read again', () => {
  assert.deepEqual(said('*a\n').map((f) => f.split(': YAML: ')[0]), ['1 yaml-syntax *a']);
  assert.match(said('*a\n')[0], /"yaml-cpp: error at line 1, column 1: the referenced anchor is not defined: a"/);
  const second = lines('- rule: X', ...R, '---', '*a');
  assert.deepEqual(said(second).map((f) => f.split(': YAML: ')[0]), ['1 yaml-syntax *a']);
  // The root list holding itself: an item that is a list.
  const root = lines('&a', '- rule: X', ...R, '- *a');
  assert.deepEqual(said(root).map((f) => f.split(':')[0]), ['1 item-not-a-mapping *a']);
  // `- *r`: the rule's mapping again, a redefinition said at the anchored text (where Falco's context marks it).
  const item = lines('- &r', '  rule: X', ...R, '- *r');
  const model = parseRulesFile('file:///ws/a_rules.yaml', item);
  assert.deepEqual(model.items.map((i) => `${i.kind} ${i.name} ${i.span.start}`), ['rule X 7', 'rule X 7']);
  assert.deepEqual(said(item).map((f) => f.split(':')[0]), ['3 redefinition X']);
});

/** The nodes of `node` read as a tree (an alias's node each time it is read), counted up to just past `cap`. */
function treeSize(node: ModelNode | undefined, cap: number): number {
  let n = 0;
  const walk = (x: ModelNode | undefined): void => {
    if (!x || n > cap) return;
    n++;
    if (x.kind === 'seq') for (const i of x.items) walk(i);
    else if (x.kind === 'map') for (const e of x.entries) walk(e.value);
  };
  walk(node);
  return n;
}

/** A seeded generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('self and mutual references, item aliases and alias bombs: read the same chunked and whole, checked without end', () => {
  const next = random(17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const names = ['a', 'b', 'c'];
  const value = (): string => {
    const [n, m] = [pick(names), pick(names)];
    return pick([
      `&${n} [x, *${n}]`, `&${n} [x, *${m}]`, `[*${n}, *${m}]`, `&${n} [*${m}, [*${n}]]`, `*${n}`, `&${n} {k: *${n}}`,
      `&${n} [[*${n}]]`, `&${n} [*${m}, *${m}, *${m}, *${m}]`, `&${n} [proc.name, fd.name]`, `&${n} x`,
    ]);
  };
  const item = (i: number): string[] => pick([
    () => ['- list: l' + i, `  items: ${value()}`],
    () => ['- macro: m' + i, `  condition: ${value()}`],
    () => ['- rule: r' + i, `  exceptions: [{name: n, fields: ${value()}, comps: ${value()}, values: ${value()}}]`, ...R],
    () => ['- rule: r' + i, `  tags: ${value()}`, `  exceptions: [{name: n, fields: [proc.name], values: [${value()}]}]`, ...R],
    () => [`- &${pick(names)}`, '  macro: m' + i, `  condition: ${pick(['evt.type = open', value()])}`],
    () => [`- *${pick(names)}`],
  ])();
  let checked = 0;
  for (let k = 0; k < 250; k++) {
    const body: string[] = [];
    const count = 2 + Math.floor(next() * 5);
    for (let i = 0; i < count; i++) body.push(...item(i));
    const text = (next() < 0.1 ? `&${pick(names)}\n` : '') + lines(...body);
    const chunked = parseRulesFile('file:///ws/a_rules.yaml', text);
    const whole = parseWholeText('file:///ws/a_rules.yaml', text);
    const shape = (m: typeof whole) => ({
      errors: m.yamlErrors.map((e) => `${e.code} ${e.span.start}-${e.span.end}`),
      items: m.items.map((i) => `${i.kind} ${i.name} ${i.span.start}-${i.span.end}`),
    });
    assert.deepEqual(shape(chunked), shape(whole), text);
    const host = new MemoryHost({ '/ws/a_rules.yaml': text }, { folders: ['/ws'] });
    const svc = createRulesService(host);
    const doc = rulesDoc('/ws/a_rules.yaml', text);
    svc.didOpenOrChange?.(doc);
    // What the checks walk is bounded by the text and the alias budget, not by the machine's speed (the alias bomb
    // sized to take minutes unbounded is hardening-rules'): every item read as a tree, each alias as the node it gives.
    const bound = text.length + ALIAS_NODE_BUDGET;
    assert.ok(chunked.items.reduce((n, i) => n + treeSize(i.node, bound), 0) <= bound, text);
    checked += svc.diagnostics(doc).length;
  }
  assert.ok(checked > 0);
});
