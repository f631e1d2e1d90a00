// evt.res is text (libsinsp sinsp_filtercheck_event.cpp TYPE_RESSTR): SUCCESS for a result of 0 or more, else the
// error's name. A comparison with a number or a word it never gives compiles, and never holds (or, with '!=', always
// holds): the official sandbox rule "Unprivileged Delegation of Page Faults Handling to a Userspace Process" has
// `evt.res != -1`. Such a value gets a warning (result-never-matches) at every target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findingsAt } from './rules-host';
import { neverAResult } from '../../server/src/service/rules/constantValues';

const FILE = '/ws/falco_rules.local.yaml';
const TARGETS = ['0.37', '0.40', '0.44'];
const rule = (condition: string) => `- rule: Result\n  desc: d\n  condition: evt.type = userfaultfd and ${condition}\n  output: r %evt.res\n  priority: WARNING\n`;
const results = (condition: string, target: string) => findingsAt(FILE, rule(condition), target).filter((f) => f.includes('result-never-matches'));

test('a number or a word evt.res never gives is flagged, with what it holds instead', () => {
  for (const target of TARGETS) {
    const [finding, ...more] = results('evt.res != -1', target);
    assert.equal(more.length, 0, target);
    assert.match(finding, /^2 result-never-matches -1: '-1' is never the value of evt\.res, so '!=' holds for every result: .*SUCCESS.*EPERM for -1.*evt\.rawres/, target);
    assert.match(results('evt.res = 0', target)[0], /^2 result-never-matches 0: '0' is never the value of evt\.res, so '=' never holds/, target);
    assert.deepEqual(results('evt.res in (SUCCESS, success, -2)', target).map((f) => f.split(':')[0]), ['2 result-never-matches success', '2 result-never-matches -2'], target);
  }
});

test('what evt.res does give, other operators, other fields and transformers are not flagged', () => {
  for (const condition of ['evt.res = SUCCESS', 'evt.res != EPERM', 'evt.res in (ENOENT, EACCES)', 'evt.res startswith E', 'evt.res contains 1',
    'evt.rawres = -1', 'evt.rawres >= 0', 'tolower(evt.res) = success', 'evt.res = -4095']) {
    assert.deepEqual(results(condition, '0.44'), [], condition);
  }
});

test('neverAResult: numbers of 0 or more and named errors, words neither SUCCESS nor an error name', () => {
  for (const value of ['0', '1', '-1', '-133', 'success', 'ok', 'Eperm']) assert.equal(neverAResult(value), true, value);
  for (const value of ['SUCCESS', 'EPERM', 'EINPROGRESS', 'ERESTART_RESTARTBLOCK', '-134', '-4095']) assert.equal(neverAResult(value), false, value);
});

test('the official sandbox rule that compares evt.res with -1 gets the warning; no other official rule does', { skip: fs.existsSync(path.join(process.cwd(), '..', 'shared', 'corpus')) ? false : 'the corpus (../shared/corpus) is absent' }, () => {
  const dir = path.join(process.cwd(), '..', 'shared', 'corpus', 'rules', 'falcosecurity__rules');
  let flagged = 0;
  for (const name of ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml']) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const found = findingsAt(path.join('/ws', name), text, '0.44').filter((f) => f.includes('result-never-matches'));
    if (name !== 'falco-sandbox_rules.yaml') assert.deepEqual(found, [], name);
    else { assert.ok(found.length >= 1 && found.every((f) => f.startsWith('2 result-never-matches -1:')), found.join('\n')); flagged += found.length; }
  }
  assert.ok(flagged >= 1);
});
