// Output names that several fields share (`user`, `ns`, `ip`...) are settled by the alert itself: its output_fields,
// its source, or the source most of its other names belong to; a choice that stays a guess is marked as one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { TemplateLibrary, tokenizeKeyValues } from '../../server/src/service/alerts/templates';
import { TestHost, fakeRules } from '../fixtures/alerts/helpers';

const fieldsOf = (text: string, context: Parameters<TemplateLibrary['mapTokens']>[1] = {}) =>
  Object.fromEntries(new TemplateLibrary().mapTokens(tokenizeKeyValues(text, 0, text.length), context).map((m) => [m.key, `${m.field} ${m.how}`]));

test('an unidentified Kubernetes audit text alert reads user, pod and ns as audit fields, marked as guesses', () => {
  const text = 'Pod started with privileged container (user=system:serviceaccount:kube-system:rs-controller pod=nginx-5cd ns=default image=nginx)';
  assert.deepEqual(fieldsOf(text), {
    user: 'ka.user.name guess', pod: 'ka.resp.name guess', ns: 'ka.target.namespace guess', image: 'undefined unknown',
  });
  const report = createAlertsService(new TestHost(), fakeRules([])).report(`14:09:12.581541000: Warning ${text}\n`, 'file:///logs/k.log');
  assert.ok(report.includes('- `ka.user.name` (probably, from the output name `user`) = `system:serviceaccount:kube-system:rs-controller`'), report);
  assert.ok(report.includes('- `ka.target.namespace` (probably, from the output name `ns`) = `default`'), report);
  assert.ok(!report.includes('passwd'), 'no syscall meaning for an audit user');
});

test('a syscall alert keeps the syscall fields; a name only one field uses is not a guess', () => {
  assert.deepEqual(fieldsOf('Shell spawned (user=root command=bash -i container_id=abc123)'), {
    user: 'user.name guess', command: 'proc.cmdline guess', container_id: 'container.id catalog',
  });
});

test('output_fields settle a shared name, and a known source picks among the candidates', () => {
  const text = 'Okta login (user=alice ip=192.0.2.1)';
  assert.deepEqual(fieldsOf(text, { fields: new Map([['okta.actor.name', 'alice']]) })['user'], 'okta.actor.name catalog');
  assert.deepEqual(fieldsOf(text, { source: 'okta' }), { user: 'okta.actor.name guess', ip: 'okta.client.ip guess' });
  // No source and a tie between sources: the first candidate, as before, still marked as a guess.
  assert.deepEqual(fieldsOf('x (user=alice)'), { user: 'user.name guess' });
});

test('two output names guessed as one field both keep their values in the report', () => {
  const text = 'Audit event (user=bob target=secret-a name=secret-b)';
  const report = createAlertsService(new TestHost(), fakeRules([])).report(`14:09:12.581541000: Notice ${text}\n`, 'file:///logs/k.log');
  assert.ok(report.includes('(probably, from the output name `target`) = `secret-a`'), report);
  assert.ok(report.includes('(probably, from the output name `name`) = `secret-b`'), report);
});

test('ancestor names read as the indexed ancestors the official outputs print, each kept in the report', () => {
  const text = 'Sensitive file opened (file=/etc/shadow gparent=bash ggparent=sshd gggparent=sshd process=cat)';
  const fields = fieldsOf(text);
  assert.equal(fields['gparent'], 'proc.aname[2] catalog');
  assert.equal(fields['ggparent'], 'proc.aname[3] catalog');
  assert.equal(fields['gggparent'], 'proc.aname[4] catalog');
  const report = createAlertsService(new TestHost(), fakeRules([])).report(`19:39:42.522581168: Warning ${text}\n`, 'file:///logs/s.log');
  // The rule is unidentified: each says the output name it was read from (s17).
  for (const line of ['- `proc.aname[2]` (from the output name `gparent`) = `bash`', '- `proc.aname[3]` (from the output name `ggparent`) = `sshd`', '- `proc.aname[4]` (from the output name `gggparent`) = `sshd`']) assert.ok(report.includes(line), line);
});
