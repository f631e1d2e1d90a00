// A file with an alias naming no anchor before it (session 17, helper C): Falco refuses the whole file there
// (LOAD_ERR_YAML_PARSE, model.ts unknownAnchorProblem), as it does for any YAML error. Falco Lens treats every YAML
// error the same way (README: "reported in their item; the rest of the file is still checked"): the error is said
// where it is, the file's items are still read, checked and loaded for the files after it, so that a key being typed
// does not blank the file's other findings nor those of the files loading after it. An unknown anchor is no exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost, rulesDoc } from './rules-host';
import { createRulesService } from '../../server/src/service/rules';

const lines = (...l: string[]) => l.join('\n') + '\n';
const A = '/ws/a_rules.yaml';
const B = '/ws/b_rules.yaml';
const later = lines(
  '- rule: B', '  desc: d', '  condition: m and fd.name in (l)', '  output: o', '  priority: INFO',
  '- rule: R', '  output: changed', '  override:', '    output: replace',
  '- macro: never_defined_here', '  condition: and evt.type = open', '  override:', '    condition: append',
);
const fileA = (desc: string, tail = '') => lines(
  '- macro: m', '  condition: evt.type = open', '- macro: unused', '  condition: evt.type = close', '- list: l', '  items: [a]',
  '- rule: R', '  condition: evt.type = open and m', '  output: o', '  priority: INFO', `  desc: ${desc}`,
) + tail;

/** Each file's findings, YAML errors apart: `line:character code`. */
function findings(a: string): { yaml: string[]; a: string[]; b: string[] } {
  const host = new MemoryHost({ [A]: a, [B]: later }, { folders: ['/ws'], ruleFiles: [A, B] });
  const svc = createRulesService(host);
  const out: string[][] = [];
  for (const [p, t] of [[A, a], [B, later]]) {
    const doc = rulesDoc(p, t);
    svc.didOpenOrChange?.(doc);
    out.push(svc.diagnostics(doc).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`));
  }
  return { yaml: out[0].filter((d) => d.endsWith('yaml-syntax')), a: out[0].filter((d) => !d.endsWith('yaml-syntax')), b: out[1] };
}

test('an unknown anchor, like any YAML error, leaves the file\'s items checked and loaded for the later files', () => {
  const clean = findings(fileA('d'));
  assert.deepEqual(clean.yaml, []);
  // The later file sees the macro, the list and the rule R (no undefined-macro, no override of nothing).
  assert.deepEqual(clean.b.filter((d) => !d.endsWith('no-previous-definition')), []);
  const unknown = findings(fileA('*nowhere'));
  assert.deepEqual(unknown.yaml, ['10:8 yaml-syntax']);
  // Another YAML error Falco refuses the file on (an unclosed flow sequence in a last item being typed).
  const other = findings(fileA('d', '- list: typing\n  items: [a, b\n'));
  assert.ok(other.yaml.length > 0);
  for (const [what, got] of [['unknown anchor', unknown], ['unclosed flow sequence', other]] as const) {
    assert.deepEqual(got.a.filter((d) => !d.startsWith('11:') && !d.startsWith('12:')), clean.a, `${what}: this file's other findings`);
    assert.deepEqual(got.b, clean.b, `${what}: the later file's findings`);
  }
});
