// Session 9 alerts audit: each test pins what the old code said or did wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';

const OPERATOR = path.join(process.cwd(), 'test', 'fixtures', 'operator');

// 4. A Falco Operator deployment loads no falco_rules.local.yaml: its Falco reads /etc/falco/rules.d only, the files the
// operator writes from Rulesfiles (falco-operator v0.4.1 internal/pkg/resources/falco.go). "Which loads after your
// local rules file" said nothing true there.
test('the report of an alert of a Rulesfile\'s inline rule says where tuning goes without a local rules file', () => {
  const base = '/etc/falco/falco_rules.yaml';
  const host = new MemoryHost({ [base]: fs.readFileSync(path.join(OPERATOR, 'falco-rules.yaml'), 'utf8') }, { ruleFiles: [base], folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  service.embedded.didOpenOrChange?.(TextDocument.create('file:///ws/deploy/falco/rulesfiles.yaml', 'yaml', 1, fs.readFileSync(path.join(OPERATOR, 'rulesfiles.yaml'), 'utf8')));
  const alert = JSON.stringify({
    hostname: 'node-2', output: '09:12:40.000000001: Notice Shell in a web container (command=bash parent=runc container=web-7d4)',
    output_fields: { 'container.id': '8a7b6c5d4e3f', 'container.name': 'web-7d4', 'container.image.repository': 'docker.io/library/nginx', 'evt.time': 1772442760000000001, 'proc.cmdline': 'bash', 'proc.name': 'bash', 'proc.pname': 'runc' },
    priority: 'Notice', rule: 'Shell in web container', source: 'syscall', tags: ['container', 'shell', 'web'], time: '2026-03-02T09:12:40.000000001Z',
  });
  const report = service.alerts.report(alert, 'file:///logs/web.json');
  const tuning = report.slice(report.indexOf('### Tuning')).replace(/\\(.)/g, '$1');
  assert.ok(!tuning.includes('loads after your local rules file'), tuning);
  assert.ok(tuning.includes('writes it to the Rulesfile\'s inlineRules that define the rule (rulesfiles.yaml, Rulesfile \'web-rules\' inlineRules; '
    + 'the Falco that the Falco Operator deploys reads only the Rulesfiles\' files in /etc/falco/rules.d, no local rules file):'), tuning);
});
