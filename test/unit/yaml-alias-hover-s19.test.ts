// Session 19: a YAML alias (`*o`) has a hover saying what Falco's YAML reader (yaml-cpp) reads in its place: the node
// anchored by `&o` (NodeBuilder::OnAlias pushes the node registered for the anchor), shown escaped and cut to a few
// lines, with a link to the anchor; and "go to definition" on an alias goes to its anchor. In rules files, falco.yaml
// and the blocks of manifests (a ConfigMap's falco.yaml, a Helm values' customRules entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { doc as configDoc, service as configService, RULES_FILE } from './config-service-helpers';
import { openHost, positionOf, textAt } from './embedded-helpers';
import { openWorkspace } from './rules-nav-helpers';

const value = (h: { contents: unknown } | null | undefined): string => (h?.contents as MarkupContent).value;

test('rules file: the hover of an alias shows the anchored node and where its anchor is; definition goes to the anchor', () => {
  const text = [
    '- macro: shells',
    '  condition: &c proc.name in (bash, sh)',
    '- rule: r',
    '  desc: d',
    '  condition: spawned_process and *c',
    '  output: o',
    '  priority: INFO',
    '- rule: q',
    '  desc: d',
    '  condition: *c',
    '  output: o',
    '  priority: INFO',
    '',
  ].join('\n');
  const { service, at } = openWorkspace({ '/ws/rules.yaml': text });
  const { doc, position } = at('/ws/rules.yaml', '*c', 1);
  const h = service.hover!(doc, position);
  assert.ok(h);
  assert.equal(textAt(text, { range: h.range! }), '*c');
  const md = value(h);
  assert.match(md, /^\*\*YAML alias\*\* `\*c`: Falco's YAML reader \(yaml-cpp\) reads here the node anchored by `&c` at \[rules\\\.yaml\\:2\]\(file:\/\/\/ws\/rules\.yaml#L2\):/);
  assert.ok(md.includes('```yaml\nproc.name in (bash, sh)\n```'), md);
  // Definition: the anchor's `&c`.
  const defs = service.definition!(doc, position);
  assert.deepEqual(defs.map((l) => [l.uri, textAt(text, l)]), [[doc.uri, '&c']]);
});

test('rules file: a long anchored node is cut to its first lines, its text escaped in a code block', () => {
  const items = Array.from({ length: 20 }, (_, i) => `    - item${i}`).join('\n');
  const text = `- list: many\n  items: &l\n${items}\n- list: again\n  items: *l\n- list: ticks\n  items: &t ['\`\`\`', '<b>x</b>']\n- list: ticks2\n  items: *t\n`;
  const { service, at } = openWorkspace({ '/ws/rules.yaml': text });
  const long = at('/ws/rules.yaml', '*l');
  const md = value(service.hover!(long.doc, long.position));
  // The block sequence without the indentation of its first line.
  assert.ok(md.includes('```yaml\n- item0\n- item1\n'), md);
  assert.ok(md.includes('- item11\n```'), md);
  assert.ok(!md.includes('item12'), md);
  assert.match(md, /… 8 more lines of the anchored node\.$/);
  const ticks = at('/ws/rules.yaml', '*t');
  const fenced = value(service.hover!(ticks.doc, ticks.position));
  // The fence is longer than the backticks inside; HTML stays code.
  assert.ok(fenced.includes("````yaml\n['```', '<b>x</b>']\n````"), fenced);
});

test('falco.yaml: the hover of an alias and its definition; a key inside the anchored node keeps its own hover', () => {
  const text = `rules_files: [${RULES_FILE}]\nstdout_output: &o\n  enabled: true\nsyslog_output: *o\n`;
  const { service } = configService({ '/etc/falco/falco.yaml': text });
  const d = configDoc('/etc/falco/falco.yaml', text);
  const position = positionOf(text, '*o', 1);
  const h = service.config.hover!(d, position);
  assert.ok(h);
  assert.equal(textAt(text, { range: h.range! }), '*o');
  assert.match(value(h), /reads here the node anchored by `&o` at \[falco\\\.yaml\\:2\]\(file:\/\/\/etc\/falco\/falco\.yaml#L2\):\n\n```yaml\nenabled: true\n```$/);
  assert.deepEqual(service.config.definition!(d, position).map((l) => textAt(text, l)), ['&o']);
  // Not on an alias: no definition; the anchored key's hover is the key's.
  assert.deepEqual(service.config.definition!(d, positionOf(text, 'enabled')), []);
  assert.match(value(service.config.hover!(d, positionOf(text, 'enabled'))), /enabled/);
});

test('manifests: an alias inside a ConfigMap\'s falco.yaml and inside a customRules entry, at the host\'s lines', () => {
  const service = new FalcoLanguageService(new MemoryHost({}, { ruleFiles: [], folders: ['/ws'] }));
  const cm = [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: falco', 'data:', '  falco.yaml: |-',
    `    rules_files: [${RULES_FILE}]`, '    stdout_output: &o', '      enabled: true', '    syslog_output: *o', '',
  ].join('\n');
  const host = openHost(service, cm, 'file:///ws/cm.yaml');
  const h = service.embedded.hover!(host, positionOf(cm, '*o'));
  assert.ok(h);
  assert.equal(textAt(cm, { range: h.range! }), '*o');
  assert.match(value(h), /anchored by `&o` at \[cm\\\.yaml\\:8\]\(file:\/\/\/ws\/cm\.yaml#L8\):\n\n```yaml\nenabled: true\n```$/);
  assert.deepEqual(service.embedded.definition!(host, positionOf(cm, '*o')).map((l) => [l.uri, textAt(cm, l)]), [['file:///ws/cm.yaml', '&o']]);
  const values = [
    'customRules:', '  local.yaml: |-', '    - list: a', '      items: &i [bash]', '    - list: b', '      items: *i', '',
  ].join('\n');
  const vhost = openHost(service, values, 'file:///ws/values.yaml');
  const vh = service.embedded.hover!(vhost, positionOf(values, '*i'));
  assert.match(value(vh), /anchored by `&i` at \[values\\\.yaml\\:4\]\(file:\/\/\/ws\/values\.yaml#L4\):\n\n```yaml\n\[bash\]\n```$/);
  assert.deepEqual(service.embedded.definition!(vhost, positionOf(values, '*i')).map((l) => textAt(values, l)), ['&i']);
});
