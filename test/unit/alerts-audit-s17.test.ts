// Session 17 alerts audit (helper D): each test pins what the old code said or did wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAlertsService } from '../../server/src/service/alerts';
import { CORPUS, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

const hoverText = (s: ReturnType<typeof createAlertsService>, name: string, text: string, line: number, character: number): string =>
  ((s.hover!(alertDoc(name, text), { line, character })?.contents as { value: string } | undefined)?.value ?? '');

// 1. A JSON alert whose output starts with a `key=value` token right after the priority (gcp_auditlog_rules.yaml's
// `project=%gcp.projectId A GCP …`, the okta README's `evt=%okta.evt.type …`): the token scan started at the body
// and needed a blank before the key, so the first key was never read: hovering `project` showed the whole output.
// The corpus's gcpaudit README alerts are read through the tokens when their output and output_fields differ (the
// author masked them differently).
test('the first key=value token of a JSON alert\'s output body is read', { skip: !corpusExists && 'corpus absent' }, () => {
  const lines = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'gcpaudit_README_alerts.jsonl'), 'utf8').split('\n');
  const rules = ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__plugins', 'gcpaudit', 'gcp_auditlog_rules.yaml'));
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const text = lines.join('\n');
  for (const line of [0, 1, 2, 3]) {
    const at = lines[line].indexOf('project=') + 2;
    const md = hoverText(s, 'gcp.jsonl', text, line, at);
    assert.match(md, /^`project` → field `gcp\.projectId` \(CHARBUF\)/, `line ${line}: ${md}`);
  }
  // Without output_fields and without the rule, the first token too.
  const okta = JSON.stringify({ output: '19:12:25.439350000: Debug evt=user.authentication.sso user=User1 ip=x.x.x.x app=google', priority: 'Debug', rule: 'Dummy', source: 'okta', time: '2023-01-01T19:12:25.439350000Z' });
  const none = createAlertsService(new TestHost(), fakeRules([]));
  const md = hoverText(none, 'okta.json', okta, 0, okta.indexOf('evt=') + 1);
  assert.match(md, /^`evt`/, md);
  assert.ok(!md.startsWith('**output**'), md);
});
