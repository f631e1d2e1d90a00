// Session 8 leftovers in rules files: the hover on a name Falco Lens has not loaded says which of Falco's official
// rules files defines it, with that file's maturity, as the diagnostics on the same name do ("is a rule of Falco's
// falco_rules.yaml, which is not among the loaded rules files"), instead of a bare "not defined".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { MarkupContent } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { officialOrigin } from '../../server/src/knowledge';
import { CORPUS_RULES, MemoryHost, corpusExists, corpusHost, rulesDoc } from './rules-host';
import { openAt, workspace } from './rules-nav-helpers';

function hover(marked: string, service = workspace({}).service): string {
  const { doc, position } = openAt(service, '/ws/falco_rules.local.yaml', marked);
  const h = service.hover!(doc, position);
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

const override = (name: string) => `- rule: ${name.slice(0, 3)}<|>${name.slice(3)}\n  override:\n    condition: append\n  condition: and not proc.pname = sshd\n`;
const HOW_TO_LOAD = 'which is not among the loaded rules files: load it first (the setting `falcoLens.rules.files`, or `--rules` on the command line; Falco hosts keep it in `/etc/falco`) or put a copy in the workspace.';

test('an override of an official rule that is not loaded: the hover names the file and its maturity', () => {
  // The override's own name: not loaded, why, the override as written (rules-hover-not-loaded-s23), then the file.
  assert.equal(hover(override('Terminal shell in container')), [
    '**Rule** `Terminal shell in container` — not loaded',
    '**Not loaded:** it changes a rule that no item loaded before it defines, and Falco refuses it ("has no previous definition").',
    'Condition as written:',
    '```\nand not proc.pname = sshd\n```',
    `It is a rule of Falco's official \`falco_rules.yaml\` (maturity \`stable\`: the rules Falco installs and loads by default), ${HOW_TO_LOAD}`,
  ].join('\n\n'));
  assert.match(hover(override('Adding ssh keys to authorized_keys')), /It is a rule of Falco's official `falco-incubating_rules\.yaml` \(maturity `incubating`: not installed with Falco, added separately\), which is not among/);
  assert.match(hover(override('Basic Interactive Reconnaissance')), /It is a rule of Falco's official `falco-sandbox_rules\.yaml` \(maturity `sandbox`: experimental, not installed with Falco\), which is not among/);
  // A plugin's rules file has no maturity: the plugin is named instead.
  assert.match(hover(override('Create Disallowed Pod')), /It is a rule of Falco's official `k8s_audit_rules\.yaml` \(the rules of the `k8saudit` plugin\), which is not among/);
  assert.deepEqual(officialOrigin('rule', 'Create Disallowed Pod'), { label: 'k8s_audit_rules.yaml (k8saudit plugin)', file: 'k8s_audit_rules.yaml', plugin: 'k8saudit' });
  assert.deepEqual(officialOrigin('macro', 'spawned_process'), { label: 'falco_rules.yaml', file: 'falco_rules.yaml', maturity: 'stable' });
  // A name no official file has: no claim about it.
  assert.doesNotMatch(hover(override('My own rule')), /official/);
});

test('macros and lists of the official files: the macro, the list and a list name read as a literal value', () => {
  const text = '- macro: m\n  condition: spawned_pro<|>cess and proc.name in (shell_binaries, my_shellz)\n';
  assert.match(hover(text), /^\*\*Macro\*\* `spawned_process`\n\nNot defined in any loaded rules file\. It is a macro of Falco's official `falco_rules\.yaml` \(maturity `stable`/);
  const list = hover(text.replace('spawned_pro<|>cess', 'spawned_process').replace('shell_binaries', 'shell_bin<|>aries'));
  assert.equal(list, `\`shell_binaries\` — a literal value: no loaded list has this name. It is a list of Falco's official \`falco_rules.yaml\` (maturity \`stable\`: the rules Falco installs and loads by default), ${HOW_TO_LOAD}`);
  assert.equal(hover(text.replace('spawned_pro<|>cess', 'spawned_process').replace('my_shellz', 'my_she<|>llz')), '`my_shellz` — a literal value: no loaded list has this name.');
  assert.match(hover('- list: shell_bin<|>aries\n  items: [a]\n  override:\n    items: append\n'), /^\*\*List\*\* `shell_binaries` — not loaded\n[^]*\n\nIt is a list of Falco's official `falco_rules\.yaml`/);
});

test('the hover names the file the diagnostic on the same name names', () => {
  const text = `- rule: Shell in container (local)
  desc: d
  condition: spawned_process and container and proc.name in (shell_binaries) and not k8s_containers
  output: shell %proc.name
  priority: WARNING

- rule: Terminal shell in container
  override:
    condition: append
  condition: and not proc.pname = sshd

- rule: Create Disallowed Pod
  override:
    enabled: replace
  enabled: false
`;
  const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
  const doc = rulesDoc('/ws/falco_rules.local.yaml', text);
  service.didOpenOrChange?.(doc);
  const withFile = service.diagnostics(doc).filter((d) => (d.data as { official?: string } | undefined)?.official);
  assert.ok(withFile.length >= 5, withFile.map((d) => d.message).join('\n'));
  for (const d of withFile) {
    const h = service.hover!(doc, { line: d.range.start.line, character: d.range.start.character + 1 });
    const value = (h!.contents as MarkupContent).value;
    const official = (d.data as { official: string }).official;
    assert.ok(value.includes(`Falco's official \`${official.replace(/ \(.*$/, '')}\``), `${d.message}\n---\n${value}`);
    assert.ok(String(d.message).includes(official), String(d.message));
  }
});

test('with falco_rules.yaml loaded the hover shows the rule, not the hint', { skip: !corpusExists && 'corpus absent' }, () => {
  const { host } = corpusHost(['falcosecurity__rules/falco_rules.yaml']);
  const value = hover(override('Terminal shell in container'), createRulesService(host));
  assert.match(value, /^\*\*Rule\*\* `Terminal shell in container`\n\n/);
  assert.doesNotMatch(value, /Not defined|not among the loaded/);
  assert.match(value, /overridden \(`condition: append`\) in \[falco\\_rules\\\.local\\\.yaml\\:1\]/);
});

test('the maturity given for each official file is the maturity tag of every rule it defines', { skip: !corpusExists && 'corpus absent' }, () => {
  let checked = 0;
  for (const file of ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml']) {
    const items = parse(fs.readFileSync(path.join(CORPUS_RULES, 'falcosecurity__rules', file), 'utf8')) as { rule?: string; tags?: string[] }[];
    for (const item of items) {
      if (typeof item?.rule !== 'string') continue;
      const origin = officialOrigin('rule', item.rule);
      if (origin?.file !== file) continue;
      assert.ok(item.tags?.includes(`maturity_${origin.maturity}`), `${item.rule}: ${item.tags?.join(' ')}`);
      checked++;
    }
  }
  assert.ok(checked >= 90, String(checked));
});
