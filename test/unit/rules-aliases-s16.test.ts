// YAML aliases in the rules model, session 16: aliases inside an aliased node are read as yaml-cpp reads them, edits
// of files with aliases are incremental where that is exact, and the findings made through aliases say what Falco
// does for each reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAt, rulesDoc } from './rules-host';

const FILE = '/ws/falco_rules.local.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';
const said = (text: string, code?: string, version = '0.44') => {
  const doc = rulesDoc(FILE, text);
  return diagnoseAt(FILE, text, version).filter((d) => code === undefined || d.code === code)
    .map((d) => `${d.range.start.line} ${d.severity} ${d.code} ${doc.getText(d.range)}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
};
const RULE = (name: string, ...rest: string[]) => ['- rule: ' + name, '  desc: d', '  condition: evt.type = open', '  output: o', '  priority: INFO', ...rest];

test('an alias inside an aliased node is read as the anchored node, and its findings name the outer reader', () => {
  // A's anchored exceptions name their fields through *f (Z's text); B reads A's exceptions through *e, and with them
  // *f: yaml-cpp's node for *e holds the node of *f, so Falco validates proc.namex for B too.
  const text = lines(
    ...RULE('Z', '  exceptions:', '    - name: z', '      fields: &f [proc.namex, proc.pname]', '      values: [[x, y]]'),
    ...RULE('A', '  exceptions: &e', '    - name: two', '      fields: *f', '      values: [[a, b]]'),
    ...RULE('B', '  exceptions: *e'),
  );
  assert.deepEqual(said(text), [
    "7 1 unknown-field proc.namex: 'proc.namex' is not a supported exception field. Did you mean 'proc.name'? (LOAD_ERR_VALIDATE) Also for rule 'A' (*f, line 17) and rule 'B' (*e, line 24), which read this text through aliases.",
  ]);
  // Deeper: C reads B's anchored exceptions, which read A's through *e2, which read *f.
  const deeper = lines(
    ...RULE('Z', '  exceptions:', '    - name: z', '      fields: &f [proc.namex]', '      values: [[x]]'),
    ...RULE('A', '  exceptions: &e', '    - name: two', '      fields: *f', '      values: [[a]]'),
    ...RULE('B', '  exceptions: &e2', '    - name: three', '      fields: [proc.name]', '      values: [[b]]', '    - name: four', '      fields: *f', '      values: [[c]]'),
    ...RULE('C', '  exceptions: *e2'),
  );
  const found = said(deeper, 'unknown-field');
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /Also for rule 'A' \(\*f, line 17\), rule 'B' \(\*f, line 29\) and rule 'C' \(\*e2, line 36\), which read this text through aliases\.$/);
  assert.deepEqual(said(deeper, 'exception-invalid'), []);
});
