// Session 17's audit of the rules side against Falco's and libs' sources: operator facts in hovers, exception comps
// and values as Falco's collector and compiler read them at each release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverMarkdownAt, openAt, workspace } from './rules-nav-helpers';
import { applyEdits, editsFor, findingsAt, MemoryHost, rulesDoc } from './rules-host';
import { createRulesService } from '../../server/src/service/rules';

const rule = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

test('operator hover: no "since 0.37.0" for an operator every release has; a newer one names its release', () => {
  for (const [op, marked] of [['in', 'evt.type i<|>n (execve)'], ['startswith', 'evt.type = execve and proc.name start<|>swith a'], ['pmatch', 'evt.type = open and fd.name pma<|>tch (/etc)']]) {
    const md = hoverMarkdownAt(rule(marked), '0.44');
    assert.ok(md.includes(`**Operator** \`${op}\``), md);
    assert.ok(!/0\.37/.test(md), md);
  }
  assert.match(hoverMarkdownAt(rule('evt.type = execve and proc.name reg<|>ex a'), '0.44'), /Available since Falco 0\.39\.0\./);
});

test('operator hover: = == != take oneof/anyof/allof at Falco 0.44 (libs 0.25.2 parser s_binary_str_ops); < does not', () => {
  for (const op of ['=', '==', '!=']) {
    const md = hoverMarkdownAt(rule(`evt.type = execve and proc.name <|>${op} a`), '0.44');
    assert.ok(md.includes(`**Operator** \`${op}\``), md);
    assert.match(md, /Accepts `oneof`, `anyof` and `allof`/);
  }
  assert.doesNotMatch(hoverMarkdownAt(rule('evt.type = execve and proc.pid <|>< 3'), '0.44'), /oneof/);
});

const withException = (lines: string) => `${rule('evt.type = execve')}  exceptions:\n    - name: e1\n${lines}`;

test('exception comps: a modifier before Falco 0.44 is refused by the collector, as Falco 0.43 does (no is_str_operator_with_modifier)', () => {
  const text = withException('      fields: [proc.name, proc.pname]\n      comps: [=, startswith oneof]\n      values:\n        - [a, [b, c]]\n');
  assert.deepEqual(findingsAt('/ws/r.yaml', text, '0.44'), []);
  assert.deepEqual(findingsAt('/ws/r.yaml', text, '0.43'), [
    "1 exception-comps startswith oneof: 'startswith oneof' is not a supported comparison operator at Falco 0.43: modifier 'oneof' was added in Falco 0.44. (LOAD_ERR_VALIDATE)",
  ]);
  const single = withException('      fields: proc.name\n      comps: startswith oneof\n      values: [a, b]\n');
  assert.deepEqual(findingsAt('/ws/r.yaml', single, '0.44'), []);
  assert.deepEqual(findingsAt('/ws/r.yaml', single, '0.37').map((f) => f.split(':')[0]), ['1 exception-comps startswith oneof']);
});

test('exception comps: a modifier only after an operator that takes one, written with one space (Falco 0.44 rule_loader_cmpop.h)', () => {
  for (const comp of ['in oneof', '< anyof', 'pmatch allof', 'startswith  oneof', 'startswith someof']) {
    const text = withException(`      fields: [proc.name]\n      comps: [${comp}]\n      values:\n        - [[a, b]]\n`);
    assert.deepEqual(findingsAt('/ws/r.yaml', text, '0.44'), [`1 exception-comps ${comp}: '${comp}' is not a supported comparison operator. (LOAD_ERR_VALIDATE)`], comp);
  }
  for (const comp of ['= oneof', '== allof', 'glob anyof', 'regex oneof']) {
    const text = withException(`      fields: [proc.name]\n      comps: [${comp}]\n      values:\n        - [[a.c, b+]]\n`);
    assert.deepEqual(findingsAt('/ws/r.yaml', text, '0.44'), [], comp);
  }
});

test('exception comps with a single field: the message names modifiers as a Falco 0.44 form, true at every target', () => {
  const text = withException('      fields: proc.name\n      comps: startswith\n      values: [a]\n');
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(findingsAt('/ws/r.yaml', text, target), [
      "1 exception-comps startswith: When fields is a single field, comps must be one of (in, pmatch, intersects), or from Falco 0.44 a string operator with a modifier (e.g. startswith oneof), not 'startswith'. (LOAD_ERR_VALIDATE)",
    ]);
  }
});

test('exception values: with a list of one field each value is a list too; a bare value is refused, as Falco\'s compiler does', () => {
  const text = withException('      fields: [proc.name]\n      comps: [=]\n      values: [a, [b]]\n');
  assert.deepEqual(findingsAt('/ws/r.yaml', text, '0.44'), ['1 exception-arity a: Each value must be a list with one item per field (1). (LOAD_ERR_VALIDATE)']);
  assert.deepEqual(findingsAt('/ws/r.yaml', withException('      fields: [proc.name]\n      values: [[a], [b]]\n'), '0.44'), []);
});

test('key hover: capture and capture_duration at a target before Falco 0.42 say that release ignores them and cannot override them', () => {
  const item = (key: string) => `${rule('evt.type = execve')}  ${key}: true\n`;
  const at37 = hoverMarkdownAt(item('captu<|>re'), '0.37');
  assert.match(at37, /Added in Falco 0\.42: Falco 0\.37 ignores this key and cannot override it\./);
  assert.doesNotMatch(at37, /Can be replaced/);
  assert.match(hoverMarkdownAt(item('capture_dur<|>ation'), '0.41'), /Added in Falco 0\.42: Falco 0\.41 ignores/);
  const at42 = hoverMarkdownAt(item('captu<|>re'), '0.42');
  assert.match(at42, /Can be replaced with `override:`\./);
  assert.doesNotMatch(at42, /Added in/);
  const override = `${rule('evt.type = execve')}  capture: true\n  override:\n    capt<|>ure: replace\n`;
  assert.match(hoverMarkdownAt(override, '0.37'), /Added in Falco 0\.42: Falco 0\.37 ignores/);
  assert.match(hoverMarkdownAt(override, '0.44'), /This rule key accepts `replace`\./);
});

test('a transformer on the right of a comparison before Falco 0.38 is reported as the transformer, not as a val() the text does not hold', () => {
  assert.deepEqual(findingsAt('/ws/r.yaml', rule('evt.type = execve and proc.name = tolower(proc.pname)'), '0.37'), [
    "1 condition-syntax tolower: Transformer 'tolower()' was added in Falco 0.38: the condition parser of Falco 0.37 does not know it. (LOAD_ERR_COMPILE_CONDITION)",
  ]);
  assert.deepEqual(findingsAt('/ws/r.yaml', rule('evt.type = execve and proc.name = val(proc.pname)'), '0.37'), [
    '1 condition-syntax val: val() was added in Falco 0.38: the condition parser of Falco 0.37 does not know it. (LOAD_ERR_COMPILE_CONDITION)',
  ]);
});

test('modifiers: oneof holds for exactly one listed value (libs 0.25.2 matches_one_rhs), anyof for at least one', () => {
  const oneof = hoverMarkdownAt(rule('evt.type = execve and proc.name contains on<|>eof (a, b)'), '0.44');
  assert.match(oneof, /exactly one listed value/);
  assert.doesNotMatch(oneof, /at least one listed value\./);
  const anyof = hoverMarkdownAt(rule('evt.type = execve and proc.name contains an<|>yof (a, b)'), '0.44');
  assert.match(anyof, /at least one listed value/);
  assert.doesNotMatch(anyof, /same as oneof/);
});

test('modifiers on IP address fields: = and != take them (libs 0.25.2 flt_is_comparable, filter_op_net_compare.ut.cpp); startswith stays refused', () => {
  for (const c of ['fd.sip = oneof (1.2.3.4, 5.6.7.8)', 'fd.sip == anyof (1.2.3.4)', 'fd.sip != allof (1.2.3.4)', 'fd.net = anyof (10.0.0.0/8)']) {
    assert.deepEqual(findingsAt('/ws/r.yaml', rule(`evt.type = connect and ${c}`), '0.44'), [], c);
  }
  assert.deepEqual(findingsAt('/ws/r.yaml', rule('evt.type = connect and fd.sip startswith oneof (1.2.3.4)'), '0.44').map((f) => f.split(':')[0]), ['1 operator-type startswith']);
});

test('field hover: container fields are libsinsp\'s own before Falco 0.41, the container plugin\'s from 0.41 on', () => {
  const marked = rule('evt.type = execve and container.na<|>me = x');
  const at40 = hoverMarkdownAt(marked, '0.40');
  assert.match(at40, /built into libsinsp in Falco 0\.40 \(the `container` plugin provides it from Falco 0\.41 on\)/);
  assert.doesNotMatch(at40, /provided by the `container` plugin/);
  assert.match(hoverMarkdownAt(marked, '0.41'), /Sources: `syscall` — provided by the `container` plugin/);
  // A field the plugin added is not in Falco 0.37 at all: no libsinsp claim.
  const label = hoverMarkdownAt(rule('evt.type = execve and container.lab<|>el[app] = x'), '0.37');
  assert.doesNotMatch(label, /libsinsp/);
  assert.match(label, /Not in Falco 0\.37/);
});

/**
 * The quick fixes of the first finding `code` of a local rules file loaded after a base file defining
 * spawned_process: their titles, the text after the first one, and the errors left after it.
 */
function fixAfterBase(text: string, code: string) {
  const base = '/ws/falco_rules.yaml';
  const local = '/ws/local.yaml';
  const baseText = '- macro: spawned_process\n  condition: evt.type = execve\n';
  const host = new MemoryHost({ [base]: baseText, [local]: text }, { folders: ['/ws'], ruleFiles: [base, local] });
  const service = createRulesService(host);
  const doc = rulesDoc(local, text);
  service.didOpenOrChange?.(doc);
  const d = service.diagnostics(doc).find((x) => x.code === code);
  assert.ok(d, `no ${code}`);
  const actions = service.codeActions!(doc, d.range, { diagnostics: [d] });
  const fixed = actions.length ? applyEdits(text, editsFor(actions[0].edit, doc.uri)) : text;
  const again = rulesDoc(local, fixed, 2);
  service.didOpenOrChange?.(again);
  return { message: String(d.message), titles: actions.map((a) => a.title), fixed, errorsAfter: service.diagnostics(again).filter((x) => x.severity === 1) };
}

test('a misspelt override operation gets the allowed one it is closest to as a quick fix; the fixed item is clean', () => {
  const text = '- macro: spawned_process\n  condition: and proc.name = x   # keep\n  override:\n    condition: appned  # keep too\n';
  const { message, titles, fixed, errorsAfter } = fixAfterBase(text, 'invalid-override');
  assert.match(message, /Allowed values are: append, replace\. Did you mean 'append'\?/);
  assert.deepEqual(titles, ["Change to operation 'append'"]);
  assert.equal(fixed, text.replace('appned', 'append'));
  assert.deepEqual(errorsAfter, []);
  // An operation the key does not allow at all has no guess: `items: prepend` in a list.
  const list = '- list: l\n  items: [a]\n  override:\n    items: prepend\n';
  assert.deepEqual(findingsAt('/ws/r.yaml', list, '0.44').filter((f) => f.includes('invalid-override')).map((f) => f.includes('Did you mean')), [false]);
});

test('an unknown key inside an exception or a plugin requirement is no LOAD_UNKNOWN_KEY: Falco 0.44 checks the keys of items only', () => {
  const exception = withException('      feilds: [proc.name]\n      values: [[a]]\n');
  const found = findingsAt('/ws/r.yaml', exception, '0.44').filter((f) => f.includes('unknown-key'));
  assert.deepEqual(found, ["2 unknown-key feilds: Unknown key 'feilds' in an exception: Falco ignores it without a word. Did you mean 'fields'?"]);
  const plugin = '- required_plugin_versions:\n    - name: k8saudit\n      version: 0.1.0\n      verison: 0.2.0\n';
  assert.deepEqual(findingsAt('/ws/r.yaml', plugin, '0.44'), ["2 unknown-key verison: Unknown key 'verison' in a plugin requirement: Falco ignores it without a word. The requirement has 'version' already."]);
  // An item's own unknown key stays Falco 0.44's warning.
  assert.match(findingsAt('/ws/r.yaml', `${rule('evt.type = execve')}  tgas: [a]\n`, '0.44')[0], /\(LOAD_UNKNOWN_KEY\)$/);
});

test('tags key hover: falco.yaml\'s rules selection is named as a Falco 0.38 feature at 0.37', () => {
  const marked = `${rule('evt.type = execve')}  ta<|>gs: [a]\n`;
  assert.match(hoverMarkdownAt(marked, '0.37'), /`-T`\/`-t`; falco\.yaml's `rules` selection from Falco 0\.38, not in 0\.37/);
  assert.match(hoverMarkdownAt(marked, '0.38'), /falco\.yaml `rules` selection, `-T`\/`-t`/);
});

test('a macro redefined with a condition starting with "and" gets the override that appends it; applied, the file is clean and the fix is not offered again', () => {
  const text = '# mine\n- macro: spawned_process\n  condition: and proc.name = x  # keep\n';
  const { titles, fixed, errorsAfter } = fixAfterBase(text, 'condition-syntax');
  assert.deepEqual(titles, ["Change the earlier macro instead: add 'override: condition: append'"]);
  assert.equal(fixed, `${text}  override:\n    condition: append\n`);
  assert.deepEqual(errorsAfter, []);
  // A macro no earlier file defines: no earlier one to append to.
  assert.deepEqual(findingsAt('/ws/r.yaml', '- macro: mine\n  condition: and proc.name = x\n', '0.44').map((f) => f.split(':')[0]), ['1 condition-syntax and', '3 unused-macro mine']);
});

// From Falco 0.44 a single field also takes a string operator with a modifier (rules-completion-audit-s22), offered after.
test('exception comps completion: with a single field only in, pmatch and intersects, which Falco takes there', () => {
  const labels = (marked: string) => {
    const { service } = workspace({});
    const { doc, position } = openAt(service, '/ws/r.yaml', marked);
    return (service.completion!(doc, position)?.items ?? []).map((i) => i.label);
  };
  const single = `${rule('evt.type = execve')}  exceptions:\n    - name: x\n      fields: proc.name\n      comps: <|>\n`;
  assert.deepEqual(labels(single).filter((l) => !/ (oneof|anyof|allof)$/.test(l)), ['in', 'pmatch', 'intersects']);
  const listed = `${rule('evt.type = execve')}  exceptions:\n    - name: x\n      fields: [proc.name]\n      comps: [<|>]\n`;
  assert.ok(labels(listed).includes('startswith'));
  // The second exception is judged by its own fields.
  const second = `${rule('evt.type = execve')}  exceptions:\n    - name: x\n      fields: [proc.name]\n    - name: y\n      fields: proc.name\n      comps: <|>\n`;
  assert.deepEqual(labels(second).filter((l) => !/ (oneof|anyof|allof)$/.test(l)), ['in', 'pmatch', 'intersects']);
});
