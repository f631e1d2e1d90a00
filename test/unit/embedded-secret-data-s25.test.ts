// Session 25: a Secret's data values are base64. The API server decodes each as encoding/json decodes a []byte
// (base64.StdEncoding: standard alphabet, padding, line breaks skipped) and refuses the Secret when one is not
// ('illegal base64 data at input byte N'). A rules file written as text under data (where stringData takes text) had
// no finding in the editor, and `falco-lens check secret.yaml` checked the whole manifest as a rules file
// ('not-a-sequence' at 1:1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';

const RULES = '- rule: Shell in container\n  desc: a shell\n  condition: evt.type = execve and proc.name = bash\n  output: shell (user=%user.name)\n  priority: WARNING\n';
const indented = (text: string, by: string) => text.replace(/^(?=.)/gm, by);
const secret = (entries: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: falco-rules\ntype: Opaque\ndata:\n${entries}`;
const findings = (host: string) => analyzeHost(host).problems
  .filter((p) => p.code === 'embedded-secret-data-not-base64')
  .map((p) => ({ at: host.slice(p.span[0], p.span[1]), severity: p.severity, message: p.message }));

test('a rules file written as text under a Secret\'s data is an error at the value, pointing to stringData', () => {
  const host = secret(`  custom_rules.yaml: |\n${indented(RULES, '    ')}`);
  const found = findings(host);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'error');
  assert.ok(found[0].at.startsWith('|\n    - rule: Shell in container'), found[0].at);
  assert.match(found[0].message, /^Kubernetes refuses Secret 'falco-rules': data\.custom_rules\.yaml is not base64, .*Write a file's text under stringData/);
});

test('base64 as the API server reads it: padded, split over lines, or empty is no finding; a stray character or a cut value is', () => {
  const encoded = Buffer.from(RULES).toString('base64');
  const folded = encoded.match(/.{1,60}/g)!.join('\n    ');
  const host = secret([
    `  one_rules.yaml: ${encoded}`,
    `  folded_rules.yaml: |\n    ${folded}`,
    '  empty.yaml: ""',
    `  star.yaml: ${encoded.slice(0, 8)}*${encoded.slice(9)}`,
    `  cut.yaml: ${encoded.slice(0, encoded.length - 1)}`,
    '  padded_wrong.yaml: "AB=C"',
    '',
  ].join('\n'));
  assert.equal(encoded.length % 4, 0);
  assert.deepEqual(findings(host).map((f) => f.message.match(/data\.(\S+) is not/)![1]), ['star.yaml', 'cut.yaml', 'padded_wrong.yaml']);
});
