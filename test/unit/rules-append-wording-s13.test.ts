// The deprecated-append message names the override entries of the item's own kind: a list appends its items, a rule
// its condition and/or exceptions (session 13: a list was told to write 'condition: append').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules/index';
import { MemoryHost, rulesDoc } from './rules-host';

const BASE = '- list: shells\n  items: [bash]\n- macro: m\n  condition: proc.name=a\n- rule: R\n  desc: d\n  condition: evt.type=execve and m and proc.name in (shells)\n  output: o\n  priority: INFO\n';

const appendMessages = (appended: string): string[] => {
  const s = createRulesService(new MemoryHost({}, { folders: ['/ws'] }));
  return s.diagnostics(rulesDoc('/ws/falco_rules.local.yaml', BASE + appended)).filter((d) => d.code === 'deprecated-append').map((d) => String(d.message));
};

test('deprecated append: the message names the entries the item appends', () => {
  const cases: [string, string][] = [
    ['- list: shells\n  items: [zsh]\n  append: true\n', "'items: append'"],
    ['- macro: m\n  condition: or proc.name=b\n  append: true\n', "'condition: append'"],
    ['- rule: R\n  condition: and proc.name=c\n  append: true\n', "'condition: append'"],
    ['- rule: R\n  condition: and proc.name=c\n  exceptions:\n    - name: e\n      fields: [proc.name]\n      values: [[x]]\n  append: true\n', "'condition: append' and 'exceptions: append'"],
  ];
  for (const [appended, entries] of cases) {
    const messages = appendMessages(appended);
    assert.equal(messages.length, 1, JSON.stringify(messages));
    assert.ok(messages[0].startsWith(`'append' is deprecated: write 'override:' with ${entries} instead.`), messages[0]);
    if (!appended.startsWith('- list')) assert.ok(!messages[0].includes("'items"), messages[0]);
    else assert.ok(!messages[0].includes("'condition"), messages[0]);
  }
});
