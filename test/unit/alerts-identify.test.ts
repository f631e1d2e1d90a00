// AlertsService.identifyTextRule: the rule of a text alert named from its rendered output, as the Alert Explorer's
// disk index asks for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { AlertStore, type ByteSource } from '../../server/src/service/explorer/alertStore';
import type { RuleSummary } from '../../server/src/service/features';
import { TestHost, fakeRules, fixture, ruleSummaries, corpusExists, STABLE_RULES } from '../fixtures/alerts/helpers';
import { TemplateLibrary } from '../../server/src/service/alerts/templates';
import { NASTY_PIECES, Random, corpusFiles } from '../fixtures/hardening/random';

const outputOf = (line: string) => line.slice(line.indexOf(': ') + 2).replace(/^\S+ /, '');

test('identifyTextRule names the rule of a text alert through the loaded rules\' output templates', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES)));
  const [symlink, drop] = fixture('falco-rules4.log').split('\n');
  assert.equal(s.identifyTextRule(outputOf(symlink)), 'Create Symlink Over Sensitive Files');
  assert.equal(s.identifyTextRule(outputOf(drop)), 'Drop and execute new binary in container');
  assert.equal(s.identifyTextRule('Something no rule prints | a=b'), undefined);
  assert.equal(s.identifyTextRule(''), undefined);
});

test('identifyTextRule follows the loaded rules as they change', () => {
  let rules: RuleSummary[] = [];
  const workspace = { ...fakeRules([]), allRules: () => rules, findRule: (n: string) => rules.find((r) => r.name === n) };
  const s = createAlertsService(new TestHost(), workspace);
  assert.equal(s.identifyTextRule('Odd file touched | file=/etc/x proc=cat'), undefined);
  rules = [{ name: 'My odd rule', source: 'syscall', output: 'Odd file touched | file=%fd.name proc=%proc.name', priority: 'WARNING', tags: [], enabled: true }];
  assert.equal(s.identifyTextRule('Odd file touched | file=/etc/x proc=cat'), 'My odd rule');
});

test('the Alert Explorer\'s store groups text alerts under the rule identifyTextRule gives', () => {
  const rules: RuleSummary[] = [{ name: 'My odd rule', source: 'syscall', output: 'Odd file touched | file=%fd.name proc=%proc.name', priority: 'WARNING', tags: [], enabled: true }];
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const data = Buffer.from('10:00:00.000000001: Warning Odd file touched | file=/etc/x proc=cat\n10:00:01.000000001: Warning Unknown thing | a=b\n');
  const source: ByteSource = { size: () => data.length, read: (b, o, l, p) => data.copy(b, o, p, Math.min(data.length, p + l)) };
  const store = new AlertStore(source, (output) => s.identifyTextRule(output));
  store.indexMore();
  const groups = store.groups('rule').groups;
  assert.deepEqual(groups.map((g) => [g.key, g.identified]).sort(), [['My odd rule', true], ['Unknown thing', false]]);
});

test('identifyRule (no values built) names the rule identify names, on rendered templates of the official and plugin rules and seeded mutations (seed 808)', { skip: !corpusExists && 'corpus absent' }, () => {
  const files = [
    ...corpusFiles('rules/falcosecurity__rules', /_rules\.yaml$/),
    ...corpusFiles('rules/falcosecurity__plugins', /\.ya?ml$/),
  ];
  const rules = files.flatMap((f) => { try { return ruleSummaries(f); } catch { return []; } });
  assert.ok(rules.length > 100, `${rules.length} rules`);
  const library = new TemplateLibrary();
  library.refresh(rules);
  const random = new Random(808);
  const values = ['x', '', 'a b', '/usr/bin/sh', '<NA>', '12', 'k=v', ' container_id=', ')', 'value with container_name=c'];
  const outputs: string[] = [];
  for (const rule of rules) {
    if (!rule.output) continue;
    const rendered = rule.output.trim().replace(/%[A-Za-z_][\w.]*(?:\[[^\]]*\])?/g, () => random.pick(values));
    outputs.push(rendered, `${rendered} container_id=abc123 container_name=web`);
    for (let k = 0; k < 3; k++) {
      const at = random.int(rendered.length + 1);
      const roll = random.next();
      outputs.push(roll < 0.4 ? rendered.slice(0, at) : roll < 0.7 ? rendered.slice(0, at) + random.pick(NASTY_PIECES) + rendered.slice(at) : rendered.slice(0, at) + rendered.slice(at + 1 + random.int(6)));
    }
  }
  let named = 0;
  for (const output of outputs) {
    for (const priority of [-1, 4]) {
      const expected = library.identify(output, priority)?.rule;
      assert.equal(library.identifyRule(output, priority), expected, JSON.stringify(output));
      if (expected) named++;
    }
  }
  assert.ok(named > outputs.length, `${named} of ${outputs.length * 2} named`);
});

test('textRuleIdentifier names what identifyTextRule names, with the rules loaded when it was made (renewed per slice by the explorer)', () => {
  let rules: RuleSummary[] = [];
  const workspace = { ...fakeRules([]), allRules: () => rules, findRule: (n: string) => rules.find((r) => r.name === n) };
  const s = createAlertsService(new TestHost(), workspace);
  const output = 'Odd file touched | file=/etc/x proc=cat';
  const before = s.textRuleIdentifier();
  assert.equal(before(output), undefined);
  rules = [{ name: 'My odd rule', source: 'syscall', output: 'Odd file touched | file=%fd.name proc=%proc.name', priority: 'WARNING', tags: [], enabled: true }];
  const after = s.textRuleIdentifier();
  assert.equal(after(output), 'My odd rule');
  assert.equal(after(output), s.identifyTextRule(output));
  assert.equal(after('Unknown thing | a=b'), s.identifyTextRule('Unknown thing | a=b'));
});
