// A rule's hover cuts a long description at a word boundary, with an ellipsis, and stays short with its playbook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { clippedProse } from '../../server/src/service/markdown';
import { MemoryHost, rulesDoc } from './rules-host';

const RULES = '/etc/falco/falco_rules.yaml';
// An official rule's name (its playbook is in the knowledge base), with a description longer than the hover shows.
const DESC = `${'Detect a process reading a sensitive file such as shadow or sudoers, outside the trusted programs. '.repeat(8)}Tail.`;
const TEXT = [
  '- rule: Read sensitive file untrusted',
  `  desc: ${DESC}`,
  '  condition: evt.type in (open, openat) and fd.name startswith /etc/shadow',
  '  output: Sensitive file opened (file=%fd.name process=%proc.name)',
  '  priority: WARNING',
  '  tags: [maturity_stable, filesystem]',
  '',
].join('\n');

test('a rule hover cuts a long description at a word boundary with an ellipsis, its playbook on a short line', () => {
  const svc = createRulesService(new MemoryHost({ [RULES]: TEXT }, { ruleFiles: [RULES] }));
  const doc = rulesDoc(RULES, TEXT);
  svc.diagnostics(doc);
  const hover = (svc.hover!(doc, doc.positionAt(TEXT.indexOf('Read sensitive') + 2))!.contents as { value: string }).value;
  const paragraphs = hover.split('\n\n');
  const desc = paragraphs[1];
  // Cut after a whole word ("trusted programs" is never split), then the ellipsis and what is left out.
  const m = /^(.*?)… \((\d+) more characters\)$/.exec(desc);
  assert.ok(m, desc);
  const shown = m[1].replace(/\\(.)/g, '$1');
  assert.ok(DESC.startsWith(shown) && /\w$/.test(shown) && /\s/.test(DESC[shown.length]), `cut inside a word: …${shown.slice(-20)}`);
  assert.equal(shown.length + Number(m[2]), DESC.length);
  assert.ok(shown.length <= 600 && shown.length > 500, String(shown.length));
  // The playbook is one paragraph of its own, short enough to read at a glance: no wall of text.
  const playbook = paragraphs.find((p) => p.startsWith('**Playbook:**'));
  const goal = paragraphs.find((p) => p.startsWith('**Attacker\'s goal:**'));
  assert.ok(playbook && playbook.length < 500, playbook);
  assert.ok(goal && goal.length < 400 && !playbook.includes(goal.slice(22, 60)), goal);
  assert.ok(hover.length < 2000, String(hover.length));
});

test('clippedProse keeps short text whole, cuts a long word where it must, never inside a surrogate pair', () => {
  assert.equal(clippedProse('a short text', 100), 'a short text');
  assert.equal(clippedProse('one two three four', 12), 'one two… (11 more characters)');
  assert.equal(clippedProse('one two, three', 9), 'one two… (7 more characters)');
  assert.equal(clippedProse('x'.repeat(30), 10), `${'x'.repeat(10)}… (20 more characters)`);
  assert.equal(clippedProse(`${'x'.repeat(9)}\u{1F600}yyy`, 10), `${'x'.repeat(9)}… (5 more characters)`);
});
