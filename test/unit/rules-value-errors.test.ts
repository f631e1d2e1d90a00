// Constants that libs 0.25.2 cannot parse as the compared field's type (value_parser.cpp string_to_rawval, filter.cpp
// add_filtercheck_value): Falco rejects the rule (LOAD_ERR_COMPILE_CONDITION). Numbers are read by sscanf("%d%c"):
// leading blanks and a sign are fine, anything after the digits is not; booleans are true or false; IPv4 addresses
// and networks go through inet_pton; bcontains/bstartswith take hex. The field-as-value warning of the same value does
// not appear then (Falco's error discards it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { re2PosixError, valueError } from '../../server/src/service/rules/constantValues';
import { MemoryHost, rulesDoc } from './rules-host';

const LOCAL = '/ws/falco_rules.local.yaml';

function diagnose(text: string): Diagnostic[] {
  const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
  return service.diagnostics(rulesDoc(LOCAL, text));
}

function rule(condition: string, extra = ''): string {
  return `${extra}- rule: Values\n  desc: d\n  condition: evt.type = execve and ${condition}\n  output: x %proc.name\n  priority: WARNING\n`;
}

/** The invalid-value findings of a text, as [covered text, message]; other findings of codes in `allowed` only. */
function invalid(text: string, allowed: string[] = []): [string, string, number][] {
  const diags = diagnose(text);
  const others = diags.filter((d) => d.code !== 'invalid-value' && !allowed.includes(String(d.code)));
  assert.deepEqual(others.map((d) => `${d.code} ${d.message}`), [], text);
  const lines = text.split('\n');
  return diags.filter((d) => d.code === 'invalid-value').map((d) => [
    lines[d.range.start.line].slice(d.range.start.character, d.range.end.character), String(d.message), d.severity ?? 0,
  ]);
}

test('numbers as sscanf reads them: sign and leading blanks yes; hex, decimals, trailing text no', () => {
  for (const good of ['0', '12', '-1', '+7', '  3', '\t4', '99999999999999999999']) assert.equal(valueError('INT64', '=', good), undefined, good);
  for (const bad of ['', 'abc', '0x10', '1.5', '12 ', '1e3', '--1', 'proc.ppid']) assert.ok(valueError('UINT32', '=', bad), bad);
  for (const type of ['INT8', 'INT16', 'INT32', 'UINT8', 'UINT16', 'UINT64', 'RELTIME', 'ABSTIME', 'DOUBLE', 'MODE', 'ERRNO', 'FD', 'PID', 'L4PROTO', 'FLAGS32', 'UID', 'GID'] as const) {
    assert.ok(valueError(type, '=', 'x'), type);
  }
  // Strings and ports (looked up in the host's services) are not judged.
  assert.equal(valueError('CHARBUF', '=', 'x'), undefined);
  assert.equal(valueError('PORT', '=', 'https'), undefined);
});

test('booleans, IPv4 addresses and networks, hex values', () => {
  assert.equal(valueError('BOOL', '=', 'true'), undefined);
  assert.ok(valueError('BOOL', '=', 'True'));
  assert.ok(valueError('BOOL', '=', '1'));
  assert.equal(valueError('IPADDR', '=', '10.0.0.1'), undefined);
  for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.01', '1.2.3.4/8']) assert.ok(valueError('IPADDR', '=', bad), bad);
  assert.equal(valueError('IPADDR', '=', '::1'), undefined);
  for (const good of ['10.0.0.0/8', '0.0.0.0/0', '192.168.0.0/32', '10.0.0.0/256']) assert.equal(valueError('IPNET', '=', good), undefined, good);
  for (const bad of ['10.0.0.0', '10.0.0/8', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/-1']) assert.ok(valueError('IPNET', '=', bad), bad);
  assert.equal(valueError('CHARBUF', 'bcontains', '0aFF'), undefined);
  for (const bad of ['abc', '0g', 'x']) assert.ok(valueError('CHARBUF', 'bcontains', bad), bad);
  assert.ok(valueError('BYTEBUF', 'bstartswith', '7'));
});

test('a bad constant is an error on the value (LOAD_ERR_COMPILE_CONDITION)', () => {
  const found = invalid(rule('proc.pid = abc'));
  assert.equal(found.length, 1);
  assert.equal(found[0][0], 'abc');
  assert.equal(found[0][2], 1);
  assert.match(found[0][1], /^'abc' is not a valid number .* for proc\.pid \(INT64\): Falco rejects the condition\. \(LOAD_ERR_COMPILE_CONDITION\)$/);
  assert.deepEqual(invalid(rule('evt.is_open_read = yes')).map((f) => f[0]), ['yes']);
  assert.deepEqual(invalid(rule('fd.sip = "10.0.0.300"')).map((f) => f[0]), ['"10.0.0.300"']);
  assert.deepEqual(invalid(rule('fd.net != 10.0.0.0')).map((f) => f[0]), ['10.0.0.0']);
  assert.deepEqual(invalid(rule('evt.buffer bcontains xyz')).map((f) => f[0]), ['xyz']);
  assert.deepEqual(invalid(rule('proc.pid > 0x10')).map((f) => f[0]), ['0x10']);
});

test('a field name as a number value is an error only: no field-as-value warning for it', () => {
  const text = rule('proc.pid = proc.ppid');
  assert.deepEqual(invalid(text).map((f) => f[0]), ['proc.ppid']);
  assert.deepEqual(diagnose(text).filter((d) => d.code === 'field-as-value'), []);
  // A string field keeps the warning.
  assert.equal(diagnose(rule('proc.name = proc.pname')).filter((d) => d.code === 'field-as-value').length, 1);
});

test('list values are checked item by item, and a list used with in is checked through its items', () => {
  assert.deepEqual(invalid(rule('proc.pid in (1, two, 3)')).map((f) => f[0]), ['two']);
  const withList = rule('proc.pid in (known_pids)', '- list: known_pids\n  items: [1, "x1", 3]\n');
  const found = invalid(withList);
  assert.deepEqual(found.map((f) => f[0]), ['known_pids']);
  assert.match(found[0][1], /^'x1' \(an item of the list 'known_pids'\) is not a valid number/);
  // A bare word that names no list is a value.
  assert.deepEqual(invalid(rule('proc.pid in (unknown_pids)'), ['unknown-list']).map((f) => f[0]), ['unknown_pids']);
});

test('a value in a macro is reported on the macro', () => {
  const text = '- macro: bad_pid\n  condition: proc.pid = x\n' + rule('bad_pid');
  const diags = diagnose(text).filter((d) => d.code === 'invalid-value');
  assert.equal(diags.length, 1);
  assert.equal(diags[0].range.start.line, 1);
});

test('accepted constants: numbers, booleans, addresses, networks, strings, transformers and fields on the left', () => {
  for (const condition of ['proc.pid = 1', 'proc.pid in (1, -2, +3)', 'evt.is_open_read = true', 'fd.sip = 10.0.0.1', 'fd.net = "10.0.0.0/8"',
    'fd.sip = ::1', 'proc.name = abc', 'evt.buffer bcontains 0aff', 'evt.buffer bstartswith 7f45', 'len(proc.name) > 3', 'evt.rawarg.res < 0',
    'fd.sport = ssh', 'proc.pid exists']) {
    assert.deepEqual(invalid(rule(condition)), [], condition);
  }
});

test('exception values are checked against their field, on the value', () => {
  const ex = (fields: string, comps: string, values: string, lists = '') => rule('proc.name = bash', lists).replace(/\n$/, '\n') + `  exceptions:\n    - name: e\n      fields: ${fields}\n      comps: ${comps}\n      values: ${values}\n`;
  assert.deepEqual(invalid(ex('[proc.name, proc.pid]', '[=, =]', '[[bash, abc]]')).map((f) => f[0]), ['abc']);
  assert.deepEqual(invalid(ex('[proc.pid]', '[in]', '[[[1, two]]]')).map((f) => f[0]), ['two']);
  assert.deepEqual(invalid(ex('proc.pid', 'in', '[1, x2]')).map((f) => f[0]), ['x2']);
  assert.deepEqual(invalid(ex('[proc.pid]', '[=]', '[[proc.ppid]]')).map((f) => f[0]), ['proc.ppid']);
  const viaList = invalid(ex('[proc.pid]', '[in]', '[[pids]]', '- list: pids\n  items: [1, y]\n'));
  assert.deepEqual(viaList.map((f) => f[0]), ['pids']);
  assert.match(viaList[0][1], /^'y' \(an item of the list 'pids'\)/);
  assert.deepEqual(invalid(ex('[proc.pid, fd.sip]', '[=, =]', '[[1, 10.0.0.1]]')), []);
  assert.deepEqual(invalid(ex('[tolower(proc.name)]', '[=]', '[[abc]]')), []);
});

// Ports (value_parser.cpp PT_PORT): only digits go through std::stoi (throws above 2^31-1; smaller numbers are cut to
// 16 bits, accepted); other text is a service name for getservbyname, which depends on the host, except that no name
// has a blank or a '#'. Checked with filter-oracle (sysdig's libsinsp parses ports the same way).
test('ports: numbers up to 2^31-1 and service names pass; larger numbers and text with blanks or # do not', () => {
  for (const good of ['', '0', '80', '65535', '65536', '2147483647', '000000000000080', 'http', 'ssh', '-1', '+80', '0x50', '80/tcp']) {
    assert.equal(valueError('PORT', '=', good), undefined, good);
  }
  for (const bad of ['2147483648', '99999999999', '99999999999999999999', '80 ', ' 80', 'ht tp', '#x', 'a\tb']) assert.ok(valueError('PORT', '=', bad), bad);
  assert.match(valueError('PORT', '=', '2147483648')!, /over 2147483647/);
  assert.match(valueError('PORT', '=', '80 ')!, /neither a number nor a service name/);
});

test('a port libsinsp cannot read is an error on the value, in lists, list items and exceptions', () => {
  const found = invalid(rule('fd.sport = 2147483648'));
  assert.deepEqual(found.map((f) => f[0]), ['2147483648']);
  assert.equal(found[0][1], "'2147483648' is not a valid port (a number over 2147483647, on which Falco exits with the error \"stoi\") for fd.sport (PORT): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)");
  assert.equal(found[0][2], 1);
  assert.deepEqual(invalid(rule('fd.lport in (80, "443 ", 8080)')).map((f) => f[0]), ['"443 "']);
  const viaList = invalid(rule('fd.rport in (web_ports)', '- list: web_ports\n  items: [80, "80 80", 443]\n'));
  assert.deepEqual(viaList.map((f) => f[0]), ['web_ports']);
  assert.match(viaList[0][1], /^'80 80' \(an item of the list 'web_ports'\) is not a valid port/);
  const withException = rule('proc.name = nc') + '  exceptions:\n    - name: e\n      fields: [fd.sport]\n      comps: [=]\n      values: [[99999999999]]\n';
  assert.deepEqual(invalid(withException).map((f) => f[0]), ['99999999999']);
  // 65536 is accepted (cut to 16 bits: a port-wraps warning, rules-leftovers-s5.test.ts).
  for (const condition of ['fd.sport = 443', 'fd.port in (80, 65536, https)', 'fd.proto = http', 'fd.cport = ""']) assert.deepEqual(invalid(rule(condition), ['port-wraps']), [], condition);
});

// IP addresses and networks (value_parser.cpp PT_IPADDR / PT_IPNET): text with a dot is read as IPv4, all other text
// as IPv6 by inet_pton(AF_INET6) (tuples.cpp ipv6addr); an IPv6 network needs '/' and a prefix length of 1 to 128 after
// parseu8's 8-bit cut (tuples.cpp ipv6net::init). Addresses checked against glibc's inet_pton on 100,000 strings.
test('IPv6 addresses as inet_pton reads them; text without a dot is never IPv4', () => {
  for (const good of ['::', '::1', 'FE80::A', 'fe80::1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7', '0001::', '2001:db8::8a2e:370:7334']) {
    assert.equal(valueError('IPADDR', '=', good), undefined, good);
  }
  for (const bad of ['localhost', '', 'abc', 'fe80::1%eth0', '[::1]', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', '1::2:3:4:5:6:7:8', '12345::', ':1::', '1:', '1::2::3', ':::', '0x10']) {
    assert.match(valueError('IPADDR', '=', bad) ?? '', /^not an IP address \(without a dot, it is read as IPv6\)$/, bad);
  }
  // A dot sends the text to the IPv4 parser, so an IPv4-mapped IPv6 address is rejected.
  assert.equal(valueError('IPADDR', '=', '::ffff:1.2.3.4'), 'not an IPv4 address (text with a dot is read as IPv4, so IPv6 with an embedded IPv4 address is refused)');
  assert.equal(valueError('IPADDR', '=', '10.0.0.256'), 'not an IPv4 address');
});

test('IPv6 networks: an IPv6 address, a slash and a prefix length of 1 to 128 (after the 8-bit cut)', () => {
  for (const good of ['fe80::/10', '::/128', '2001:db8::/32', '::1/1', '::/257', '::/ 64', '::/+64']) assert.equal(valueError('IPNET', '=', good), undefined, good);
  const cases: [string, RegExp][] = [
    ['fe80::', /^not an IP network \(address\/prefix length\)$/],
    ['localhost', /^not an IP network \(address\/prefix length\)$/],
    ['fe80::/0', /1 to 128/], ['::/129', /1 to 128/], ['::/256', /1 to 128/], ['::/-1', /1 to 128/],
    ['::/x', /prefix length is not a valid number/], ['2001:db8::/32/5', /prefix length is not a valid number/], ['::/64 ', /prefix length is not a valid number/],
    ['fe80::1%eth0/64', /the address is not an IPv6 address/], ['localhost/8', /the address is not an IPv6 address/], ['/8', /the address is not an IPv6 address/],
    ['::ffff:10.0.0.0/104', /the address is not an IPv4 address/],
  ];
  for (const [bad, message] of cases) assert.match(valueError('IPNET', '=', bad) ?? '', message, bad);
  // The prefix length ends at a line break (getline).
  assert.equal(valueError('IPNET', '=', '10.0.0.0/8\nx'), undefined);
  assert.equal(valueError('IPNET', '=', 'fe80::/10\nx'), undefined);
});

test('IPv6 values in conditions, lists and exceptions', () => {
  const found = invalid(rule('fd.sip = localhost'));
  assert.deepEqual(found.map((f) => f[0]), ['localhost']);
  assert.equal(found[0][1], "'localhost' is not an IP address (without a dot, it is read as IPv6) for fd.sip (IPADDR): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)");
  assert.deepEqual(invalid(rule('fd.net = "fe80::/0"')).map((f) => f[0]), ['"fe80::/0"']);
  assert.deepEqual(invalid(rule('fd.rip in (::1, "fe80::1%eth0")')).map((f) => f[0]), ['"fe80::1%eth0"']);
  const viaList = invalid(rule('fd.snet in (v6_nets)', '- list: v6_nets\n  items: ["fc00::/7", "fe80::"]\n'));
  assert.deepEqual(viaList.map((f) => f[0]), ['v6_nets']);
  assert.match(viaList[0][1], /^'fe80::' \(an item of the list 'v6_nets'\) is not an IP network/);
  const macro = '- macro: v6_peer\n  condition: fd.rip = "::1::"\n' + rule('v6_peer');
  const inMacro = diagnose(macro).filter((d) => d.code === 'invalid-value');
  assert.deepEqual(inMacro.map((d) => d.range.start.line), [1]);
  const withException = rule('proc.name = nc') + '  exceptions:\n    - name: e\n      fields: [fd.cnet]\n      comps: [in]\n      values: [[["fd00::/8", "fd00::/200"]]]\n';
  assert.deepEqual(invalid(withException).map((f) => f[0]), ['"fd00::/200"']);
  for (const condition of ['fd.sip = ::1', 'fd.lip in (::, "2001:db8::1")', 'fd.net = "2001:db8::/32"', 'fd.cnet in ("fe80::/10", "10.0.0.0/8")']) {
    assert.deepEqual(invalid(rule(condition)), [], condition);
  }
});

// Strings and buffers: add_filter_value keeps a value in at most 256 bytes (sinsp_filtercheck.h
// s_max_filter_value_buf_size), a string with its terminator, so 255 bytes of UTF-8 at most ("filter parameter too
// long"). Checked with filter-oracle: 255 'a' or 127 'é' pass, 256 'a' or 128 'é' do not, on strings, paths, buffers,
// pmatch and evt.arg.
test('string and buffer values of more than 255 bytes (UTF-8) are rejected', () => {
  for (const type of ['CHARBUF', 'FSPATH', 'FSRELPATH', 'BYTEBUF'] as const) {
    assert.equal(valueError(type, '=', 'a'.repeat(255)), undefined, type);
    assert.equal(valueError(type, '=', 'a'.repeat(256)), 'too long (256 bytes: libsinsp keeps at most 255)', type);
  }
  assert.equal(valueError('CHARBUF', 'in', 'é'.repeat(127)), undefined);
  assert.match(valueError('CHARBUF', 'in', 'é'.repeat(128)) ?? '', /^too long \(256 bytes/);
  assert.equal(valueError('CHARBUF', '=', '€'.repeat(85)), undefined);
  assert.match(valueError('CHARBUF', '=', '€'.repeat(86)) ?? '', /^too long \(258 bytes/);
  assert.equal(valueError('CHARBUF', '=', '😀'.repeat(63)), undefined);
  assert.match(valueError('CHARBUF', '=', '😀'.repeat(64)) ?? '', /^too long \(256 bytes/);
  // bcontains and bstartswith keep the decoded bytes.
  assert.equal(valueError('BYTEBUF', 'bcontains', 'ab'.repeat(255)), undefined);
  assert.equal(valueError('BYTEBUF', 'bstartswith', 'ab'.repeat(256)), 'too long (256 bytes once decoded: libsinsp keeps at most 255)');
});

test('a value too long is an error on the value, in lists, list items, macros and exceptions; 255 bytes pass', () => {
  const long = 'x'.repeat(256);
  const found = invalid(rule(`proc.name = ${long}`));
  assert.deepEqual(found.map((f) => f[0]), [long]);
  assert.equal(found[0][1], `'${'x'.repeat(77)}...' is too long (256 bytes: libsinsp keeps at most 255) for proc.name (CHARBUF): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)`);
  assert.deepEqual(invalid(rule(`fd.name in (/etc, "/${long}")`)).map((f) => f[0]), [`"/${long}"`]);
  assert.deepEqual(invalid(rule(`evt.buffer contains ${long}`)).map((f) => f[0]), [long]);
  const viaList = invalid(rule('proc.name in (long_names)', `- list: long_names\n  items: [sh, ${long}]\n`));
  assert.deepEqual(viaList.map((f) => f[0]), ['long_names']);
  assert.match(viaList[0][1], /^'x{77}\.\.\.' \(an item of the list 'long_names'\) is too long \(256 bytes/);
  const macro = `- macro: long_macro\n  condition: proc.cmdline contains ${long}\n` + rule('long_macro');
  assert.deepEqual(diagnose(macro).filter((d) => d.code === 'invalid-value').map((d) => d.range.start.line), [1]);
  const withException = rule('proc.name = nc') + `  exceptions:\n    - name: e\n      fields: [proc.cmdline]\n      comps: [startswith]\n      values: [["${long}"]]\n`;
  assert.deepEqual(invalid(withException).map((f) => f[0]), [`"${long}"`]);
  const fine = 'y'.repeat(255);
  for (const condition of [`proc.name = ${fine}`, `fd.name pmatch (${fine})`, `proc.name in (a, "${fine}")`, `evt.buffer bcontains ${'ab'.repeat(255)}`]) {
    assert.deepEqual(invalid(rule(condition)), [], condition);
  }
});

// evt.rawarg.<name>: libsinsp types the field at compile time with the first event parameter of that name
// (utils.cpp find_longest_matching_evt_param) and parses constants with that type (sinsp_filtercheck_event.cpp
// parse_filter_value); types string_to_rawval has no case for (SIGTYPE, SYSCALLID, and buffers, which evt.rawarg
// parses without the buffer case) reject every constant. Checked with filter-oracle: res < x, res = 0x10,
// flags = O_RDONLY, how = x, fd = x are "not a valid number"; sig = 9, ID = 1, data contains x are "wrong parameter
// type"; res < 0, flags = 1, cmd = 1, name = /etc/passwd pass.
test('evt.rawarg constants are parsed with the type of the event argument', () => {
  const cases: [string, string | undefined][] = [
    ['evt.rawarg.res < 0', undefined], ['evt.rawarg.flags = 1', undefined], ['evt.rawarg.cmd = 1', undefined],
    ['evt.rawarg.name = /etc/passwd', undefined], ['evt.rawarg.local_ip = 10.0.0.1', undefined], ['evt.rawarg.local_port = https', undefined],
    ['evt.rawarg.res != x', "'x' is not a valid number (decimal digits, optionally signed) for evt.rawarg.res (ERRNO)"],
    ['evt.rawarg.res = 0x10', "'0x10' is not a valid number (decimal digits, optionally signed) for evt.rawarg.res (ERRNO)"],
    ['evt.rawarg.flags = O_RDONLY', "'O_RDONLY' is not a valid number (decimal digits, optionally signed) for evt.rawarg.flags (FLAGS32)"],
    ['evt.rawarg.how = x', "'x' is not a valid number (decimal digits, optionally signed) for evt.rawarg.how (ENUMFLAGS8)"],
    ['evt.rawarg.sig = 9', "'9' is not accepted (libsinsp parses no constant of this argument type) for evt.rawarg.sig (SIGTYPE)"],
    ['evt.rawarg.ID = 1', "'1' is not accepted (libsinsp parses no constant of this argument type) for evt.rawarg.ID (SYSCALLID)"],
    ['evt.rawarg.data contains x', "'x' is not accepted (libsinsp parses no constant of this argument type) for evt.rawarg.data (BYTEBUF)"],
    ['evt.rawarg.data bcontains 00', "'00' is not accepted (libsinsp parses no constant of this argument type) for evt.rawarg.data (BYTEBUF)"],
    ['evt.rawarg.data bcontains zz', "'zz' is not hex (an even number of hex digits) for 'bcontains'"],
    ['evt.rawarg.local_ip = ::1', "'::1' is not an IPv4 address for evt.rawarg.local_ip (IPV4ADDR)"],
    ['evt.rawarg.local_port = 2147483648', "'2147483648' is not a valid port (a number over 2147483647, on which Falco exits with the error \"stoi\") for evt.rawarg.local_port (PORT)"],
    [`evt.rawarg.name = ${'n'.repeat(256)}`, `'${'n'.repeat(77)}...' is too long (256 bytes: libsinsp keeps at most 255) for evt.rawarg.name (FSPATH)`],
  ];
  for (const [condition, message] of cases) {
    const found = invalid(rule(condition));
    assert.deepEqual(found.map((f) => f[1]), message ? [`${message}: Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)`] : [], condition);
  }
  assert.deepEqual(invalid(rule('evt.rawarg.fd in (1, x, -2)')).map((f) => f[0]), ['x']);
});

test('evt.rawarg: no value finding where the operator fails first, or where libsinsp finds no argument type', () => {
  // An operator the argument's type does not take (another check), types with no operator at all (PID32, UID, DYN,
  // SOCKADDR), names that are not exactly a parameter's, the bracket form (an error of the field).
  for (const condition of ['evt.rawarg.res contains x', 'evt.rawarg.ppid = x', 'evt.rawarg.euid = x', 'evt.rawarg.val = x', 'evt.rawarg.addr = x',
    'evt.rawarg.resx = x', 'evt.rawarg.nosuch = x', 'evt.rawarg.res exists']) {
    assert.deepEqual(diagnose(rule(condition)).filter((d) => d.code === 'invalid-value'), [], condition);
  }
});

test('evt.rawarg values in exceptions are parsed with the argument type too', () => {
  const withException = rule('proc.name = nc') + '  exceptions:\n    - name: e\n      fields: [evt.rawarg.res, evt.rawarg.name]\n      comps: [=, =]\n      values: [[abc, /tmp/x]]\n';
  assert.deepEqual(invalid(withException).map((f) => f[0]), ['abc']);
});

test('a value compared with an operator its field does not take is not judged: the operator fails first', () => {
  // libsinsp checks the operator before it parses values (filter.cpp, binary_check_expr).
  for (const condition of ['proc.name bcontains xyz', 'fd.sip contains abc', 'proc.pid startswith x', 'evt.is_open_read contains yes']) {
    const diags = diagnose(rule(condition));
    assert.deepEqual(diags.filter((d) => d.code === 'invalid-value'), [], condition);
    assert.equal(diags.filter((d) => d.code === 'operator-type').length, 1, condition);
  }
});

test('evt.around values are parsed as numbers before its own checks', () => {
  // filter-oracle: evt.around[1000] = x and in (5, x) fail on x as a number; = 5 passes.
  assert.deepEqual(invalid(rule('evt.around[1000] = x')).map((f) => f[1]), ["'x' is not a valid number (decimal digits, optionally signed) for evt.around[1000] (UINT64): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)"]);
  assert.deepEqual(invalid(rule('evt.around[1000] = 5')), []);
});

test('a transformed field parses its constants with the transformed type', () => {
  // sinsp_filter_transformer_*.cpp transform_type: len gives UINT64, tolower/toupper/basename/b64 keep the input type.
  assert.deepEqual(invalid(rule('len(proc.name) = abc')).map((f) => f[1]), ["'abc' is not a valid number (decimal digits, optionally signed) for len(proc.name) (UINT64): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)"]);
  assert.deepEqual(invalid(rule('len(proc.aname) in (1, x)')).map((f) => f[0]), ['x']);
  assert.deepEqual(invalid(rule(`tolower(fd.name) = ${'a'.repeat(256)}`)).map((f) => f[0]), ['a'.repeat(256)]);
  assert.deepEqual(invalid(rule(`basename(toupper(proc.exepath)) startswith "${'b'.repeat(300)}"`)).map((f) => f[0]), [`"${'b'.repeat(300)}"`]);
  for (const condition of ['len(proc.name) = 3', 'tolower(proc.name) = abc', 'b64(evt.buffer) contains x', 'len(proc.args) in (1, 2)']) {
    assert.deepEqual(invalid(rule(condition)), [], condition);
  }
});

// Regex values: libsinsp compiles each with RE2 and the RE2::POSIX options (sinsp_filtercheck.cpp add_filter_value);
// re2PosixError was compared with libre2 2022-06-01 (the release libs 0.25.2 builds; RE2::POSIX) on 800,000 random
// patterns without a difference.
test('regex values RE2 rejects in POSIX mode', () => {
  for (const good of ['', '^/usr/bin/.*$', '.*\\.sh$', '[a-z0-9_-]+', '(foo|bar)+', 'a{2,5}', '[[:alnum:]]+', '[[:^digit:]]', 'a*?', 'a**', '^*', '()', '(|)',
    '[a-]', '[-a]', '[]a]', '[^]a]', '\\_', '\\.', '\\x41', '\\x{10FFFF}', '\\0', '\\012', '\\17', 'a{1000}', '(a{100}){10}', '(a{30}|b){30}', 'a{10}b{200}', '(a{1000}){1}', 'x{', 'x{,3}', 'x{02}', '}', ']']) {
    assert.equal(re2PosixError(good), undefined, good);
  }
  const bad: [string, string][] = [
    ['\\d+', 'invalid escape sequence \\d'], ['[\\w-]+', 'invalid escape sequence \\w'], ['\\bword\\b', 'invalid escape sequence \\b'], ['\\p{L}', 'invalid escape sequence \\p'],
    ['(?:a|b)', 'missing argument to repetition operator ?'], ['(?i)abc', 'missing argument to repetition operator ?'], ['*a', 'missing argument to repetition operator *'],
    ['a|+', 'missing argument to repetition operator +'], ['(a', 'missing )'], ['a)', 'unexpected )'], ['[a', 'missing ]'], ['[a-b-c]', 'invalid character class range'],
    ['[z-a]', 'invalid character class range'], ['[[:foo:]]', 'invalid character class [:foo:]'], ['a{3,2}', 'invalid repetition size'], ['a{1001}', 'invalid repetition size'], ['(a{100}){11}', 'invalid repetition size (nested counts over 1000)'],
    ['{2}', 'missing argument to repetition operator'], ['abc\\', 'trailing \\'], ['\\1', 'invalid escape sequence \\1'], ['\\8', 'invalid escape sequence \\8'],
    ['\\x4', 'invalid escape sequence \\x'], ['\\x{}', 'invalid escape sequence \\x{...}'], ['\\x{110000}', 'invalid escape sequence \\x{...}'], ['\\é', 'invalid escape sequence \\é'],
  ];
  for (const [pattern, error] of bad) assert.equal(re2PosixError(pattern), error, pattern);
});

test('a regex RE2 rejects is an error on the value, in lists, list items, macros and exceptions', () => {
  const found = invalid(rule('proc.name regex "\\\\d+"'));
  assert.deepEqual(found.map((f) => f[0]), ['"\\\\d+"']);
  assert.equal(found[0][1], "'\\d+' is not a valid regex for RE2 in POSIX mode (invalid escape sequence \\d) for proc.name (CHARBUF): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)");
  assert.deepEqual(invalid(rule('fd.name regex "(a"')).map((f) => f[0]), ['"(a"']);
  const viaList = invalid(rule('proc.name regex oneof (patterns)', '- list: patterns\n  items: ["^sh+$", "[z-a]"]\n'));
  assert.deepEqual(viaList.map((f) => f[0]), ['patterns']);
  assert.match(viaList[0][1], /^'\[z-a\]' \(an item of the list 'patterns'\) is not a valid regex/);
  const macro = '- macro: bad_regex\n  condition: proc.cmdline regex "(?i)curl"\n' + rule('bad_regex');
  assert.deepEqual(diagnose(macro).filter((d) => d.code === 'invalid-value').map((d) => d.range.start.line), [1]);
  const withException = rule('proc.name = nc') + '  exceptions:\n    - name: e\n      fields: [proc.cmdline]\n      comps: [regex]\n      values: [["(x y"]]\n';
  assert.deepEqual(invalid(withException).map((f) => f[0]), ['"(x y"']);
  // Other operators do not compile the value; a valid regex passes (its regex-simpler-operator warning aside).
  for (const condition of ['proc.name = "(a"', 'proc.name contains "\\\\d"', 'proc.name regex "^(ba|z)sh$"', 'fd.name regex "/tmp/[a-z0-9]{8}"']) {
    assert.deepEqual(invalid(rule(condition), ['regex-simpler-operator']), [], condition);
  }
});
