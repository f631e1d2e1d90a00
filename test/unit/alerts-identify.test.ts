// AlertsService.identifyTextRule: the rule of a text alert named from its rendered output, as the Alert Explorer's
// disk index asks for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { AlertStore, type ByteSource } from '../../server/src/service/explorer/alertStore';
import type { RuleSummary } from '../../server/src/service/features';
import { TestHost, fakeRules, fixture, ruleSummaries, corpusExists, STABLE_RULES } from '../fixtures/alerts/helpers';

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
