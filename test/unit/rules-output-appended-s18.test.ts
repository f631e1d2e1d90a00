// The mid-output reading of Falco 0.37-0.43 (a thread field without a valid argument, or %evt.type.is.<name>, read
// only at the very end of the output) on the output as Falco builds it: the rule's own text, then the text of each
// later `override: output: append` (rule_loader_collector.cpp selective_append), then what falco.yaml's
// append_output adds (rule_loader_compiler.cpp compile_rule_infos: extra_output from 0.39, suggested_output from 0.41).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryHost, rulesDoc } from './rules-host';
import { createRulesService } from '../../server/src/service/rules';
import { SUGGESTED_OUTPUT_FIELDS } from '../../server/src/knowledge/suggestedOutput';

const A = '/ws/a.yaml';
const B = '/ws/b.yaml';
const rule = (output: string, extra = '') => `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: ${output}\n  priority: INFO\n  tags: [t1]\n${extra}`;
const APPEND = '- rule: r\n  output: more\n  override:\n    output: append\n';

function notes(files: Record<string, string>, target: string, config?: string): Record<string, string[]> {
  const host = new MemoryHost({ ...files, ...(config ? { '/etc/falco/falco.yaml': config } : {}) }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion: target, rules: { ...host.config.rules, files: Object.keys(files) } };
  const svc = createRulesService(host);
  const out: Record<string, string[]> = {};
  for (const [p, text] of Object.entries(files)) {
    const doc = rulesDoc(p, text);
    svc.didOpenOrChange?.(doc);
    out[p] = svc.diagnostics(doc).filter((d) => d.code === 'field-argument').map((d) => `${d.severity} ${String(d.message)}`);
  }
  return out;
}

test('%proc.aname at the end of the rule\'s text, with a later override appending to the output: Falco 0.37-0.42 read it mid-output', () => {
  for (const target of ['0.37', '0.40', '0.42']) {
    const found = notes({ [A]: rule('"o %proc.aname"') + APPEND }, target)[A];
    assert.equal(found.length, 1, target);
    assert.match(found[0], new RegExp(`^2 In an output Falco ${target} prints %proc\\.aname with its argument unset .* Here the output goes on after this text: the text the override at line 7 appends to the rule's output\\.$`), target);
    // In a later file.
    assert.match(notes({ [A]: rule('"o %proc.aname"'), [B]: APPEND }, target)[A].join('\n'), /the override at line 1 of b\.yaml appends/, target);
    // An empty append adds nothing (selective_append skips an empty output); a replace drops the text.
    assert.deepEqual(notes({ [A]: rule('"o %proc.aname"') + APPEND.replace('more', '""') }, target)[A], [], target);
    assert.deepEqual(notes({ [A]: rule('"o %proc.aname"') + APPEND.replace('append\n', 'replace\n') }, target)[A], [], target);
  }
  for (const target of ['0.43', '0.44']) assert.deepEqual(notes({ [A]: rule('"o %proc.aname"') + APPEND }, target)[A], [], target);
});

test('%evt.type.is.open at the end of the rule\'s output, with falco.yaml\'s append_output adding text after it', () => {
  const extra = 'append_output:\n  - match:\n      tags: [t1]\n      source: syscall\n    extra_output: "x=%proc.name"\n';
  for (const target of ['0.39', '0.41', '0.43']) {
    assert.match(notes({ [A]: rule('"o %evt.type.is.open"') }, target, extra)[A].join('\n'), /^2 In an output Falco .* for %evt\.type\.is\.open, and then the text 'evt\.type\.is\.open x=': .* the text falco\.yaml's append_output adds to the rule's output \(extra_output\)\.$/, target);
    // An entry for another tag, source or rule adds nothing.
    for (const other of [extra.replace('[t1]', '[t2]'), extra.replace('syscall', 'k8s_audit'), extra.replace('tags: [t1]', 'rule: other')]) {
      assert.deepEqual(notes({ [A]: rule('"o %evt.type.is.open"') }, target, other)[A], [], target);
    }
  }
  // Before 0.39 Falco reads no append_output; at 0.44 the event check reads the name anywhere.
  for (const target of ['0.38', '0.44']) assert.deepEqual(notes({ [A]: rule('"o %evt.type.is.open"') }, target, extra)[A], [], target);
  // suggested_output (0.41 and later) appends the container plugin's suggested fields where falco.yaml loads it.
  const suggested = 'load_plugins: [container]\nappend_output:\n  - suggested_output: true\n';
  for (const target of ['0.41', '0.43']) assert.match(notes({ [A]: rule('"o %evt.type.is.open"') }, target, suggested)[A].join('\n'), /then the text 'evt\.type\.is\.open container_id=': .*\(suggested_output\)\.$/, target);
  assert.deepEqual(notes({ [A]: rule('"o %evt.type.is.open"') }, '0.40', suggested)[A], []);
  assert.deepEqual(notes({ [A]: rule('"o %evt.type.is.open"') }, '0.43', suggested.replace('[container]', '[]'))[A], []);
});

test('the suggested output fields are those the plugins\' field tables mark so', () => {
  const tables = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'test/fixtures/field-tables.json'), 'utf8')) as { providers: { name: string; fields: { name: string; suggestedOutput?: boolean }[] }[] };
  const marked = Object.fromEntries(tables.providers.map((p) => [p.name, p.fields.filter((f) => f.suggestedOutput).map((f) => f.name)]).filter(([, f]) => f.length > 0));
  assert.deepEqual(Object.fromEntries(Object.entries(SUGGESTED_OUTPUT_FIELDS).map(([k, v]) => [k, [...v.fields]])), marked);
});

test('the field hover says the same of a field the output goes on after', () => {
  const text = rule('"o %proc.aname"') + APPEND;
  const host = new MemoryHost({ [A]: text }, { folders: ['/ws'] });
  host.config = { ...host.config, rules: { ...host.config.rules, files: [A] } };
  const svc = createRulesService(host);
  const doc = rulesDoc(A, text);
  svc.didOpenOrChange?.(doc);
  const at = doc.positionAt(text.indexOf('proc.aname') + 3);
  const hover = (target: string) => {
    host.config = { ...host.config, falcoVersion: target };
    const h = svc.hover!(doc, at);
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value.replace(/\\(.)/g, '$1') : '';
  };
  assert.match(hover('0.40'), /\*\*In this output:\*\* In an output Falco 0\.40 prints %proc\.aname with its argument unset .* Here the output goes on after this text: the text the override at line 7 appends to the rule's output\./);
  assert.ok(!hover('0.44').includes('**In this output:**'));
});
