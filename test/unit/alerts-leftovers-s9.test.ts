// Session 9 leftovers in alert tuning: each test pins what the old code offered or said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

function actionsOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

// 1. A socket's fd.name is its connection, `client:port->server:port` (libsinsp utils.cpp ipv4tuple_to_string and
// ipv6tuple_to_string; a unix socket `<hex>-><hex> path`, parsers.cpp, libs 0.25.2): the client's port changes with every
// connection, so "file + process" on it matches this one connection and never the next alert.

const CONNECTION = (fields: Record<string, unknown>) => JSON.stringify({
  hostname: 'web-1',
  output: '10:20:30.123456789: Notice Disallowed SSH Connection | connection=10.0.0.9:51234->203.0.113.5:443 lport=51234 rport=443 fd_type=ipv4 fd_proto=tcp evt_type=connect user=root process=ssh parent=node',
  output_fields: {
    'container.id': 'host', 'evt.time': 1746613230123456789, 'evt.type': 'connect', 'fd.l4proto': 'tcp', 'fd.lport': 51234, 'fd.rport': 443,
    'fd.name': '10.0.0.9:51234->203.0.113.5:443', 'fd.type': 'ipv4', 'proc.cmdline': 'ssh -p 443 git@203.0.113.5', 'proc.exepath': '/usr/bin/ssh',
    'proc.name': 'ssh', 'proc.pname': 'node', 'user.name': 'root', ...fields,
  },
  priority: 'Notice', rule: 'Disallowed SSH Connection Non Standard Port', source: 'syscall', tags: ['maturity_stable'], time: '2025-05-07T10:20:30.123456789Z',
});

test('no file + process exception on a socket connection (IPv4, IPv6, unix): the report says why', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const cases: Record<string, unknown>[] = [
    {},
    { 'fd.name': 'fd00::9:51234->2001:db8::5:443', 'fd.type': 'ipv6' },
    { 'fd.name': 'ffff9b8d6d3f2c00->ffff9b8d6d3f0000 /run/containerd/containerd.sock', 'fd.type': 'unix' },
    // Without fd.type, the arrow of a connection name is enough.
    { 'fd.type': undefined },
  ];
  for (const fields of cases) {
    const alert = CONNECTION(fields);
    const titles = actionsOf(s, alert, 'conn.json').map((a) => a.title);
    assert.ok(!titles.some((t) => t.includes('file + process')), titles.join('\n'));
    // The other shapes are still offered.
    assert.ok(titles.some((t) => t.startsWith('Add exception for this process + parent (ssh, node)')), titles.join('\n'));
    const report = s.report(alert, 'file:///logs/conn.json');
    assert.ok(!report.includes('falco_lens_fd_name_and_proc_name'), report);
    assert.match(report, /Why not on the file descriptor: `fd\.name` is a socket connection/, report);
  }
  // A listening socket's name (the server's own address) and a file name holding an arrow are no connection.
  for (const fields of [{ 'fd.name': '0.0.0.0:8080' }, { 'fd.name': '/srv/a->b', 'fd.type': 'file' }]) {
    const titles = actionsOf(s, CONNECTION(fields), 'other.json').map((a) => a.title);
    assert.ok(titles.some((t) => t.startsWith('Add exception for this file + process')), titles.join('\n'));
  }
});

test('a connection alert with no other shape says why nothing is proposed', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  // Under sshd (a session starter) process + parent and executable path + parent are not offered either.
  const report = s.report(CONNECTION({ 'proc.pname': 'sshd' }), 'file:///logs/conn.json');
  const tuning = report.slice(report.indexOf('### Tuning'));
  assert.match(tuning, /No exception is proposed: `fd\.name` is a socket connection/, tuning);
});
