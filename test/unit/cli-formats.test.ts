// The CLI's CI formats on hostile findings: a message or path holding line breaks, `::`, `%`, commas and colons must
// stay one GitHub workflow command (no injected `::set-output`/`::add-mask`), and SARIF must carry the text as is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toGithubAnnotations, toSarif, type CliFinding } from '../../server/src/cliFormats';

const hostile: CliFinding = {
  file: 'rules,d/my:rules %.yaml', line: 3, column: 5, endLine: 3, endColumn: 9, severity: 'warning', code: 'unknown-field',
  message: "Unknown field 'x'\n::add-mask::secret\r\n::error file=a::100% fake",
};

test('github: one line per finding, data and properties escaped as the runner reads them', () => {
  const [line, ...rest] = toGithubAnnotations([hostile]);
  assert.equal(rest.length, 0);
  assert.ok(!/[\r\n]/.test(line), 'no line break survives');
  assert.equal(line,
    '::warning file=rules%2Cd/my%3Arules %25.yaml,line=3,endLine=3,col=5,endColumn=9,title=falco-lens unknown-field::'
    + "Unknown field 'x'%0A::add-mask::secret%0D%0A::error file=a::100%25 fake");
  // The runner splits the command at the first '::' after the properties: the properties hold none.
  const properties = line.slice(2, line.indexOf('::', 2));
  assert.ok(!properties.includes(':'.repeat(2)));
  const info = toGithubAnnotations([{ ...hostile, severity: 'information' }, { ...hostile, severity: 'error' }]);
  assert.deepEqual(info.map((l) => l.slice(0, l.indexOf(' '))), ['::notice', '::error']);
});

test('sarif: text kept as is (JSON-escaped), relative paths as URI references, absolute ones as file URIs', () => {
  const log = JSON.parse(toSarif([hostile, { ...hostile, file: '/etc/falco/falco_rules.local.yaml', severity: 'hint', code: 'unused-list' }], '1.2.3'));
  const [first, second] = log.runs[0].results;
  assert.equal(first.message.text, hostile.message);
  assert.deepEqual(first.locations[0].physicalLocation.artifactLocation, { uri: 'rules%2Cd/my%3Arules%20%25.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(second.locations[0].physicalLocation.artifactLocation, { uri: 'file:///etc/falco/falco_rules.local.yaml' });
  assert.equal(second.level, 'note');
  assert.deepEqual(log.runs[0].tool.driver.rules, [{ id: 'unknown-field' }, { id: 'unused-list' }]);
  assert.deepEqual([first.ruleIndex, second.ruleIndex], [0, 1]);
  assert.equal(log.runs[0].tool.driver.version, '1.2.3');
});
