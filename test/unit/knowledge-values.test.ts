import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allValueMeanings, lookupField, valueMeanings } from '../../server/src/knowledge';

const meanings = (field: string, value: string | number | boolean | null): string[] => valueMeanings(field, value).map((m) => m.meaning);

test('every value meaning is well formed and names catalog fields', () => {
  const seen = new Set<string>();
  for (const m of allValueMeanings()) {
    assert.ok(m.fields.length > 0, `${m.value}: no field`);
    for (const field of m.fields) {
      if (field !== '*') assert.ok(lookupField(field), `${field} (for ${m.value}) is not in the field catalog`);
    }
    assert.ok(m.value.length > 0);
    assert.ok(m.meaning.length >= 10 && /[.)]$/.test(m.meaning), `${m.value}: meaning is a full sentence`);
    const key = `${m.fields.join(',')}=${m.match}:${m.value}`;
    assert.ok(!seen.has(key), `duplicate meaning ${key}`);
    seen.add(key);
  }
});

test('user.loginuid -1 means no login session', () => {
  const [text] = meanings('user.loginuid', -1);
  assert.match(text, /no login session/i);
  assert.match(text, /daemon/);
  assert.deepEqual(meanings('user.loginuid', '-1'), meanings('user.loginuid', -1), 'JSON numbers and text values agree');
  assert.deepEqual(meanings('user.loginuid', 1000), [], 'a real login uid has no special meaning');
});

test('root, terminals and PID 1', () => {
  assert.match(meanings('user.uid', 0)[0], /root/);
  assert.match(meanings('user.name', 'root')[0], /root/);
  assert.match(meanings('proc.tty', 0)[0], /no terminal/i);
  assert.match(meanings('proc.tty', 34816)[0], /interactive terminal/i);
  assert.equal(meanings('proc.tty', 34816).length, 1, 'non-zero does not also match the zero meaning');
  assert.match(meanings('proc.vpid', 1)[0], /PID 1/);
});

test('exe flags: each flag of a |-separated set gets its meaning', () => {
  const found = meanings('evt.arg.flags', 'EXE_WRITABLE|EXE_UPPER_LAYER');
  assert.equal(found.length, 2);
  assert.ok(found.some((t) => /writable/i.test(t)));
  assert.ok(found.some((t) => /overlay layer|not from the image/i.test(t)));
  assert.equal(meanings('evt.arg.flags', 'EXE_FROM_MEMFD').length, 1);
  assert.equal(meanings('evt.arg.flags', 'EXE_LOWER_LAYER').length, 1);
  assert.deepEqual(meanings('evt.arg.flags', 'EXE_WRITABLE_NOT'), [], 'flags match whole names only');
  assert.equal(meanings('evt.arg.flags', 'O_RDWR|O_CREAT|O_CLOEXEC').length, 2);
});

test('containers: host, privileged, drift', () => {
  assert.match(meanings('container.id', 'host')[0], /host itself, not inside a container/);
  assert.match(meanings('container.name', 'host')[0], /host/);
  assert.deepEqual(meanings('container.id', '3ad7b26ded6d'), []);
  assert.match(meanings('container.privileged', true)[0], /privileged/);
  assert.match(meanings('proc.is_exe_upper_layer', 'true')[0], /not part of the image/);
  assert.deepEqual(meanings('proc.is_exe_upper_layer', false), []);
  assert.match(meanings('proc.is_exe_from_memfd', true)[0], /fileless/);
});

test('system call results: SUCCESS, errno names and negative numbers', () => {
  assert.match(meanings('evt.res', 'SUCCESS')[0], /succeeded/);
  assert.match(meanings('evt.res', 'EACCES')[0], /permission denied/);
  assert.match(meanings('evt.res', 'ENOENT')[0], /no such file/);
  assert.match(meanings('evt.res', 'EPERM')[0], /not permitted/);
  assert.deepEqual(meanings('evt.res', 'EWHATEVER'), []);
  assert.match(meanings('evt.rawres', -13)[0], /minus the errno/);
  assert.match(meanings('evt.rawres', 0)[0], /succeeded/);
  assert.deepEqual(meanings('evt.rawres', 3), [], 'a descriptor number is not an error');
});

test('fd types, also on stdin/stdout/stderr', () => {
  for (const t of ['file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify', 'timerfd',
    'netlink', 'bpf', 'userfaultfd', 'io_uring', 'memfd', 'pidfd']) {
    assert.equal(meanings('fd.type', t).length, 1, `fd.type ${t}`);
  }
  assert.match(meanings('proc.stdin.type', 'ipv4')[0], /reverse shell/);
});

test('<NA> and null mean the value was not available, for any field', () => {
  assert.match(meanings('k8s.pod.name', '<NA>')[0], /not available/i);
  assert.match(meanings('proc.cmdline', null)[0], /not available/i);
  // The text `null` is a value (a process or an account may be named so): only JSON's null is no value (session 22).
  assert.deepEqual(meanings('ka.user.name', 'null'), []);
  assert.ok(meanings('ct.error', '<NA>').some((t) => /succeeded/.test(t)), 'a source-specific reading of <NA> is added');
});

test('value meanings never contain Markdown or HTML that a hover could render', () => {
  for (const m of allValueMeanings()) {
    assert.doesNotMatch(m.meaning, /<\/?[a-z]+[\s>/]|\]\(|\*\*/, `${m.value}: meaning carries markup`);
  }
});
