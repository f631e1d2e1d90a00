// Falco-parity leftovers of session 5: removed fields at the default target, evt.rawarg operators by argument type,
// ports that wrap to 16 bits, deprecations in semantic tokens by target release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { wrappedPort } from '../../server/src/service/rules/constantValues';
import { MemoryHost, rulesDoc } from './rules-host';

const LOCAL = '/ws/falco_rules.local.yaml';

function diagnose(text: string, falcoVersion?: string): Diagnostic[] {
  const host = new MemoryHost({}, { ruleFiles: [] });
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const service = createRulesService(host);
  return service.diagnostics(rulesDoc(LOCAL, text));
}

function rule(condition: string, extra = ''): string {
  return `- rule: Leftovers\n  desc: d\n  condition: evt.type = execve and ${condition}\n  output: x %proc.name\n  priority: WARNING\n${extra}`;
}

/** Findings as [code, covered text, message, severity]. */
function findings(text: string, falcoVersion?: string): [string, string, string, number][] {
  const lines = text.split('\n');
  return diagnose(text, falcoVersion).map((d) => [String(d.code), lines[d.range.start.line].slice(d.range.start.character, d.range.end.character), String(d.message), d.severity ?? 0]);
}

const ERR = 1, WARN = 2, INFO = 3;

// ---- 1. Fields Falco 0.44 no longer has (knowledge/fields/removed.ts) at the default target

const SYSLOG_NOTE = 'Falco 0.41 removed it (libs 0.21.0 dropped syslog decoding with its syslog.* fields); no field replaces it.';
const TRACER_NOTE = 'Falco 0.42 removed it (libs 0.22.1 dropped the tracer span fields, span.* and evtin.span.*); no field replaces it.';
const MESOS_NOTE = 'Falco 0.42 removed it (libs 0.22.1 dropped the deprecated Mesos and Marathon fields; Falco 0.35 had already removed Mesos metadata enrichment); no field replaces it.';

test('a removed field is an unknown field at Falco 0.44, with the release that removed it', () => {
  assert.deepEqual(findings(rule('syslog.message = x')), [
    ['unknown-field', 'syslog.message', `'syslog.message' is not a supported filter field. ${SYSLOG_NOTE} (LOAD_ERR_COMPILE_CONDITION)`, ERR]]);
  // Arguments as written: the bracket stays out of the range, a dot argument is part of the name.
  assert.deepEqual(findings(rule('span.tag[0] = x and mesos.task.label.team = a and evtin.span.p.id = 1')), [
    ['unknown-field', 'span.tag', `'span.tag' is not a supported filter field. ${TRACER_NOTE} (LOAD_ERR_COMPILE_CONDITION)`, ERR],
    ['unknown-field', 'mesos.task.label.team', `'mesos.task.label.team' is not a supported filter field. ${MESOS_NOTE} (LOAD_ERR_COMPILE_CONDITION)`, ERR],
    ['unknown-field', 'evtin.span.p.id', `'evtin.span.p.id' is not a supported filter field. ${TRACER_NOTE} (LOAD_ERR_COMPILE_CONDITION)`, ERR]]);
  // No 'did you mean': the closest catalog field is no replacement.
  const diag = diagnose(rule('marathon.app.name = a'))[0];
  assert.deepEqual(diag.data, { suggestions: [] });
});

test('a removed field in an output, an exception, under skip-if-unknown-filter and in an unused macro', () => {
  assert.deepEqual(findings(rule('proc.name = x').replace('%proc.name', '%syslog.severity.str')), [
    ['unknown-field', 'syslog.severity.str', `'syslog.severity.str' is not a supported output field. ${SYSLOG_NOTE} (LOAD_ERR_COMPILE_OUTPUT)`, ERR]]);
  assert.deepEqual(findings(rule('proc.name = x') + '  exceptions:\n    - name: e\n      fields: [span.id]\n      values: [[1]]\n'), [
    ['unknown-field', 'span.id', `'span.id' is no filter field of source 'syscall'. ${TRACER_NOTE} (LOAD_ERR_VALIDATE)`, ERR]]);
  // Exception fields are checked when the rule is collected: skip-if-unknown-filter does not cover them.
  assert.deepEqual(findings(rule('proc.name = x', '  skip-if-unknown-filter: true\n') + '  exceptions:\n    - name: e\n      fields: [span.id]\n      values: [[1]]\n'), [
    ['unknown-field', 'span.id', `'span.id' is no filter field of source 'syscall'. ${TRACER_NOTE} (LOAD_ERR_VALIDATE)`, ERR]]);
  assert.deepEqual(findings(rule('syslog.message = x', '  skip-if-unknown-filter: true\n')), [
    ['unknown-field', 'syslog.message', `'syslog.message' is not a supported filter field. ${SYSLOG_NOTE} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`, WARN]]);
  // A macro no rule uses: Falco never compiles it (the downgrade of other value and field errors there).
  assert.deepEqual(findings('- macro: m\n  condition: syslog.facility = 3\n').map((f) => `${f[0]} ${f[1]} ${f[3]}`), [`unknown-field syslog.facility ${WARN}`, `unused-macro m ${INFO}`]);
});

test('a removed field stays an information in a rule of another source, and is known at a target that has it', () => {
  const audit = `- rule: Audit\n  desc: d\n  condition: ka.verb = get and syslog.message = x\n  output: o\n  priority: WARNING\n  source: k8s_audit\n`;
  assert.deepEqual(findings(audit).filter((f) => f[0].startsWith('unknown')).map((f) => [f[0], f[1], f[3]]), [['unknown-field-class', 'syslog.message', INFO]]);
  for (const [condition, last] of [['syslog.message = x', '0.40'], ['span.tag[0] = x and mesos.task.label.team = a', '0.41']]) {
    assert.deepEqual(findings(rule(condition), last), [], `${condition} at ${last}`);
    const next = `0.${Number(last.split('.')[1]) + 1}`;
    assert.ok(findings(rule(condition), next).length > 0 && findings(rule(condition), next).every((f) => f[0] === 'unknown-field'), `${condition} at ${next}`);
  }
  // Names that only look like removed ones stay as they were.
  assert.deepEqual(findings(rule('syslog.nosuch = x')).map((f) => f[0]), ['unknown-field-class']);
});

// ---- 2. evt.rawarg.<name>: operators by the event argument's type (libs 0.25.2 filter_compare.cpp flt_is_comparable)

function operatorFindings(condition: string): [string, string, string, number][] {
  return findings(rule(condition)).filter((f) => f[0] === 'operator-type');
}

test('evt.rawarg of an argument type flt_is_comparable has no case for takes no operator but exists', () => {
  for (const [name, type] of [['ppid', 'PID32'], ['euid', 'UID'], ['rgid', 'GID'], ['val', 'DYN'], ['addr', 'SOCKADDR'], ['tuple', 'SOCKTUPLE'],
    ['fds', 'FDLIST'], ['sigmask', 'SIGSET'], ['tags', 'CHARBUFARRAY'], ['res_or_fd', 'DYN']]) {
    assert.deepEqual(operatorFindings(`evt.rawarg.${name} = 1`), [['operator-type', '=',
      `Operator '=' cannot be used with 'evt.rawarg.${name}': no operator but 'exists' is supported for event arguments of type ${type}. (LOAD_ERR_COMPILE_CONDITION)`, ERR]], name);
    assert.deepEqual(findings(rule(`evt.rawarg.${name} exists`)), [], name);
  }
  assert.equal(operatorFindings('evt.rawarg.euid in (1, 2)').length, 1);
  // No value error on top: libsinsp fails on the operator first.
  assert.deepEqual(findings(rule('evt.rawarg.ppid = x')).map((f) => f[0]), ['operator-type']);
});

test('evt.rawarg of a comparable type takes the operators of its group', () => {
  assert.deepEqual(operatorFindings('evt.rawarg.res contains x'), [['operator-type', 'contains',
    "Operator 'contains' cannot be used with 'evt.rawarg.res': 'contains' is not supported for numeric fields (event argument type ERRNO). (LOAD_ERR_COMPILE_CONDITION)", ERR]]);
  assert.deepEqual(operatorFindings('evt.rawarg.how startswith 1').map((f) => f[2]), [
    "Operator 'startswith' cannot be used with 'evt.rawarg.how': 'startswith' is not supported for numeric fields (event argument type ENUMFLAGS8). (LOAD_ERR_COMPILE_CONDITION)"]);
  assert.deepEqual(operatorFindings('evt.rawarg.local_ip startswith 10').map((f) => f[2]), [
    "Operator 'startswith' cannot be used with 'evt.rawarg.local_ip': 'startswith' is not supported for IP address and network fields (event argument type IPV4ADDR). (LOAD_ERR_COMPILE_CONDITION)"]);
  assert.deepEqual(operatorFindings('evt.rawarg.data glob x').map((f) => f[2]), [
    "Operator 'glob' cannot be used with 'evt.rawarg.data': 'glob' is not supported for buffer fields (event argument type BYTEBUF). (LOAD_ERR_COMPILE_CONDITION)"]);
  // Accepted: numbers compared, strings matched, addresses equal, and uid/gid of the older events (UINT32, not UID).
  for (const condition of ['evt.rawarg.res < 0', 'evt.rawarg.flags = 1', 'evt.rawarg.fd in (1, 2)', 'evt.rawarg.name startswith /etc',
    'evt.rawarg.name regex "a.*"', 'evt.rawarg.local_ip = 10.0.0.1', 'evt.rawarg.data bcontains 00ff', 'evt.rawarg.uid = 0', 'evt.rawarg.gid != 0']) {
    assert.deepEqual(operatorFindings(condition), [], condition);
  }
  // Not judged: names that are not exactly a parameter's, the bracket form (a field-argument error), prototype keys.
  for (const condition of ['evt.rawarg.resx = 1', 'evt.rawarg.nosuch contains x', 'evt.rawarg.constructor = 1', 'evt.rawarg[0] = 1']) {
    assert.deepEqual(operatorFindings(condition), [], condition);
  }
});

// ---- 3. Ports over 65535: std::stoi's int kept in 16 bits (libs 0.25.2 value_parser.cpp PT_PORT)

test('wrappedPort: numbers from 65536 to 2^31-1 are kept modulo 65536', () => {
  assert.equal(wrappedPort('70000'), 4464);
  assert.equal(wrappedPort('65536'), 0);
  assert.equal(wrappedPort('0065537'), 1);
  assert.equal(wrappedPort('2147483647'), 65535);
  for (const other of ['65535', '0', '', '2147483648', '99999999999', '+70000', '-1', '70000 ', 'http', '0x11170']) assert.equal(wrappedPort(other), undefined, other);
});

test('a port over 65535 is a warning on the value, with the port it becomes', () => {
  assert.deepEqual(findings(rule('fd.sport = 70000')), [['port-wraps', '70000',
    "'70000' is over 65535, the largest port: libsinsp keeps it in 16 bits, so fd.sport is compared with 4464.", WARN]]);
  // In a (...) list, beside an error, and in an evt.rawarg port argument.
  assert.deepEqual(findings(rule('fd.lport in (80, 65536, "443 ")')).map((f) => [f[0], f[1]]), [['port-wraps', '65536'], ['invalid-value', '"443 "']]);
  assert.deepEqual(findings(rule('evt.rawarg.local_port = 65537')).map((f) => f[2]), [
    "'65537' is over 65535, the largest port: libsinsp keeps it in 16 bits, so evt.rawarg.local_port is compared with 1."]);
  // Not a port: numbers of other types are not cut; a port up to 65535 or a service name is taken as written.
  for (const condition of ['fd.sport = 65535', 'fd.port in (http, 0)', 'proc.pid = 70000', 'fd.num = 70000']) assert.deepEqual(findings(rule(condition)), [], condition);
});

test('a port over 65535 in a list, a macro and an exception', () => {
  const viaList = findings(rule('fd.rport in (web_ports)', '- list: web_ports\n  items: [80, 100000, "80 80"]\n'));
  assert.deepEqual(viaList.map((f) => [f[0], f[1], f[2]]), [
    ['port-wraps', 'web_ports', "'100000' (an item of the list 'web_ports') is over 65535, the largest port: libsinsp keeps it in 16 bits, so fd.rport is compared with 34464."],
    ['invalid-value', 'web_ports', "'80 80' (an item of the list 'web_ports') is not a valid port (neither a number nor a service name, which has no blank or #) for fd.rport (PORT): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)"]]);
  const macro = '- macro: high_port\n  condition: fd.sport = 131072\n' + rule('high_port');
  assert.deepEqual(findings(macro).map((f) => [f[0], f[1], f[3]]), [['port-wraps', '131072', WARN]]);
  const withException = rule('proc.name = nc') + '  exceptions:\n    - name: e\n      fields: [fd.sport, fd.rport]\n      comps: [=, in]\n      values: [[99999, [1, 70000]]]\n';
  assert.deepEqual(findings(withException).map((f) => [f[0], f[1], f[2]]), [
    ['port-wraps', '99999', "'99999' is over 65535, the largest port: libsinsp keeps it in 16 bits, so fd.sport is compared with 34463."],
    ['port-wraps', '70000', "'70000' is over 65535, the largest port: libsinsp keeps it in 16 bits, so fd.rport is compared with 4464."]]);
});

// ---- 5. Semantic tokens mark a field deprecated as the target release sees it (catalog deprecatedSince)

/** The fields of a file whose semantic token carries the deprecated modifier, at a target release. */
function deprecatedTokens(text: string, falcoVersion?: string): string[] {
  const host = new MemoryHost({}, { ruleFiles: [] });
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const service = createRulesService(host);
  const legend = service.semanticTokensLegend!;
  const deprecated = 1 << legend.tokenModifiers.indexOf('deprecated');
  const data = service.semanticTokens!(rulesDoc(LOCAL, text)).data;
  const lines = text.split('\n');
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    if (data[i + 4] & deprecated) out.push(lines[line].slice(char, char + data[i + 2]));
  }
  return out;
}

test('semantic tokens: a field is deprecated from the release that deprecated it on', () => {
  // evt.dir from Falco 0.42, the latency fields from 0.43, %container.info from 0.41.
  const text = rule('evt.dir = < and evt.latency > 10 and proc.name = x').replace('x %proc.name', 'x %proc.name %evt.latency.human %container.info');
  assert.deepEqual(deprecatedTokens(text), ['evt.dir', 'evt.latency', '%evt.latency.human', '%container.info']);
  assert.deepEqual(deprecatedTokens(text, '0.44'), ['evt.dir', 'evt.latency', '%evt.latency.human', '%container.info']);
  assert.deepEqual(deprecatedTokens(text, '0.43'), ['evt.dir', 'evt.latency', '%evt.latency.human', '%container.info']);
  assert.deepEqual(deprecatedTokens(text, '0.42'), ['evt.dir', '%container.info']);
  assert.deepEqual(deprecatedTokens(text, '0.41'), ['%container.info']);
  assert.deepEqual(deprecatedTokens(text, '0.40'), []);
  assert.deepEqual(deprecatedTokens(text, '0.37'), []);
});
