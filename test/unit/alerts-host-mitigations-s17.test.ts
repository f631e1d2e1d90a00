// Session 17: the incident report's mitigations for an alert of a process on the host (container.id `host`) showed
// pod specs, container securityContexts and NetworkPolicies, which do not reach a host process; they are left out,
// and the report says so. In a container they stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

const SETUID = (container: string) => JSON.stringify({
  hostname: 'node-1', output: '10:15:30.000000000: Notice Unexpected setuid call by non-sudo, non-root program | user=app process=helper',
  output_fields: { 'container.id': container, 'evt.arg.uid': 0, 'proc.exepath': '/opt/app/helper', 'proc.name': 'helper', 'proc.pname': 'app', 'user.name': 'app' },
  priority: 'Notice', rule: 'Non sudo setuid', source: 'syscall', tags: [], time: '2026-03-04T10:15:30.000000000Z',
});
const RULES = [{ name: 'Non sudo setuid', source: 'syscall', tags: [], enabled: true, priority: 'Notice' }];

function mitigations(line: string): string {
  const s = createAlertsService(new TestHost(), fakeRules(RULES));
  const report = s.report(alertDoc('a.json', `${line}\n`), 'file:///logs/a.json');
  return report.slice(report.indexOf('### Mitigations'), report.indexOf('### Tuning'));
}

test('an alert on the host: no pod spec or container securityContext among the mitigations, said in one line', () => {
  const host = mitigations(SETUID('host'));
  assert.doesNotMatch(host, /Container securityContext|allowPrivilegeEscalation/, host);
  assert.match(host, /NoNewPrivileges=yes/, 'the host service\'s mitigation stays');
  assert.match(host, /One mitigation set in a Kubernetes pod spec, container securityContext or NetworkPolicy is left out: this alert is of a process on the host \(`container\.id` = `host`\)/);
  const container = mitigations(SETUID('3f2a9c1d7e4b'));
  assert.match(container, /allowPrivilegeEscalation: false/);
  assert.doesNotMatch(container, /left out/);
});
