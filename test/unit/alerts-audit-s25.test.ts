// Session 25 audit: 30 alerts of different rules and sources (syscall, k8s_audit, aws_cloudtrail, okta, github), as
// the bench's generator renders them from the corpus's rules (text and JSON), read through every hover, diagnostic
// and incident report at targets 0.37 and 0.44. What was wrong, each pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createAlertsService } from '../../server/src/service/alerts';
import { investigationScript } from '../../server/src/service/alerts/fill';
import { CORPUS, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

// A host command filled with a path of a container's process (`stat <fd.name>`, `sha256sum <proc.exepath>`) looked at
// the host's file of that path: the drivers read paths in the process's mount namespace, so in a container they are
// the container's. The exepath hover said so; the commands did not.
test('host commands are not filled with a path inside a container; on the host, or run in the container, they are', () => {
  const view = (containerId: string, file = '/home/ubuntu/.aws/credentials') => ({ outputFields: new Map([['fd.name', file], ['proc.exepath', '/usr/bin/tar'], ['container.id', containerId]]), values: [] });
  const commands = [
    { command: 'stat <fd.name>', purpose: 'the file' },
    { command: 'sha256sum -- <proc.exepath>', purpose: 'the program' },
    { command: 'crictl exec <container.id> ls -la <fd.name>', purpose: 'inside the container' },
    { command: 'nsenter -t 4242 -m sha256sum <proc.exepath>', purpose: 'in its mount namespace' },
  ];
  const inContainer = investigationScript(commands, view('14b117b0afee') as never);
  assert.match(inContainer, /# Skipped: the path is inside the container \(its mount namespace\); on the host the same path is another file or none\.\n# stat <fd\.name>/);
  assert.match(inContainer, /# Skipped: [^\n]*\n# sha256sum -- <proc\.exepath>/);
  assert.match(inContainer, /^crictl exec 14b117b0afee ls -la \/home\/ubuntu\/\.aws\/credentials$/m, 'a command run in the container is filled');
  assert.match(inContainer, /^nsenter -t 4242 -m sha256sum \/usr\/bin\/tar$/m);
  const onHost = investigationScript(commands, view('host') as never);
  assert.match(onHost, /^stat \/home\/ubuntu\/\.aws\/credentials$/m);
  assert.match(onHost, /^sha256sum -- \/usr\/bin\/tar$/m);
  // A socket's fd.name is no path: not concerned.
  const socket = investigationScript([{ command: 'echo <fd.name>', purpose: 'the connection' }], view('14b117b0afee', '10.0.0.5:51234->10.0.0.9:443') as never);
  assert.match(socket, /^echo 10\.0\.0\.5:51234-\\>10\.0\.0\.9:443$|^echo '10\.0\.0\.5:51234->10\.0\.0\.9:443'$/m);
});

// A list field (`images=(nginx,busybox:1.36)`, ka.req.pod.containers.image) was hovered as a plain CHARBUF: nothing
// said that its value is a list, written by libsinsp as `(v1,v2)` (sinsp_filtercheck.cpp tostring, EPF_IS_LIST), nor
// that a condition compares it with in or intersects only.
test('a list field\'s hover says it is a list, how Falco writes it and how it is compared', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__plugins', 'k8saudit', 'k8s_audit_rules.yaml'))));
  const line = '14:09:12.581541000: Warning Pod started with privileged container (user=kubernetes-admin pod=web-0 resource=pods ns=default images=(nginx,busybox:1.36) init_images=<NA> ephemeral_images=<NA>)';
  const hover = (needle: string) => ((s.hover!(alertDoc('k8s.log', `${line}\n`), { line: 0, character: line.indexOf(needle) + 1 })?.contents as { value: string } | undefined)?.value ?? '');
  const images = hover('(nginx');
  assert.match(images, /^`images` → field `ka\.req\.pod\.containers\.image` \(CHARBUF, a list\), rendered from/, images);
  assert.match(images, /A list field: a text alert shows its values in parentheses, separated by commas \(`\(a,b\)`\), JSON output_fields as an array\. A condition or exception compares it only with `in`, `intersects` or `exists` \(not `=`\)\./);
  assert.match(images, /Value: `\(nginx,busybox:1\.36\)`/);
  const user = hover('kubernetes-admin');
  assert.match(user, /^`user` → field `ka\.user\.name` \(CHARBUF\), rendered/);
  assert.ok(!user.includes('A list field'), user);
});
