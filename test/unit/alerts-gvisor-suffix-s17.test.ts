// Session 17: Falco 0.37-0.40 run with -pcg or -pkg (the -pc/-pk of gVisor) append `vpid=… vtid=…` before the container
// fields to a template without %container.info (init_falco_engine.cpp configure_output_format at 0.37.0,
// add_extra_output_format at 0.40.0): after a template that ends in plain text, those fields were not split off, and
// the line was not matched to its rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

const RULE = { name: 'Backup reads keys', source: 'syscall', tags: [], enabled: true, priority: 'Warning', output: 'Backup read %fd.name by %proc.name (check the job)' };
const CONTAINER = 'container_id=3ad7b26ded6d container_image=docker.io/library/nginx container_image_tag=latest container_name=web';

test('-pcg and -pkg fields after a template that ends in plain text are split off and read', () => {
  for (const [option, appended] of [['-pc', CONTAINER], ['-pcg', `vpid=12 vtid=13 ${CONTAINER}`], ['-pkg', `vpid=12 vtid=13 ${CONTAINER} k8s_ns=shop k8s_pod_name=web-7d4`]]) {
    const s = createAlertsService(new TestHost(), fakeRules([RULE]));
    const doc = alertDoc(`${option}.log`, `19:39:42.522581168: Warning Backup read /etc/ssl/k.pem by restic (check the job) ${appended}\n`);
    s.didOpenOrChange?.(doc);
    const report = s.report(doc, doc.uri);
    assert.match(report, /^## 1\. Backup reads keys$/m, `${option}\n${report}`);
    assert.ok(report.includes('- `container.id` = `3ad7b26ded6d`'), `${option}\n${report}`);
    assert.ok(report.includes('- `proc.name` = `restic`'), `${option}\n${report}`);
    if (option !== '-pc') assert.ok(report.includes('- `proc.vpid` = `12`'), `${option}\n${report}`);
    if (option === '-pkg') assert.ok(report.includes('- `k8s.pod.name` = `web-7d4`'), `${option}\n${report}`);
  }
});
