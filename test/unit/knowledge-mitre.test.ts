import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { MITRE } from '../../server/src/knowledge/mitre';
import { allPlaybooks, mitreForTag, mitreName } from '../../server/src/knowledge/index';

const corpusRules = path.join(process.cwd(), '..', 'shared', 'corpus', 'rules');
const corpusPresent = fs.existsSync(corpusRules);

/** Every YAML file under the corpus rules directory: current official files, tags/, archive/ and all plugins. */
function rulesFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...rulesFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) found.push(full);
  }
  return found;
}

/** Every MITRE-looking tag of every rule in the corpus, with the file that uses it. */
function corpusMitreTags(): Map<string, string> {
  const tags = new Map<string, string>();
  for (const file of rulesFiles(corpusRules)) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const items: unknown = doc.toJS();
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        const itemTags: unknown = item && typeof item === 'object' ? (item as Record<string, unknown>).tags : undefined;
        if (!Array.isArray(itemTags)) continue;
        for (const tag of itemTags.map(String)) {
          if (/^TA?\d{4}/i.test(tag) || tag.startsWith('mitre_')) tags.set(tag, path.relative(corpusRules, file));
        }
      }
    }
  }
  return tags;
}

test('MITRE ids are unique and well formed, and kinds match the id shape', () => {
  const seen = new Set<string>();
  for (const entry of MITRE) {
    assert.ok(!seen.has(entry.id), `duplicate id ${entry.id}`);
    seen.add(entry.id);
    assert.ok(entry.name.trim().length > 0 && entry.name === entry.name.trim(), `${entry.id} has a clean name`);
    if (entry.kind === 'tactic') assert.match(entry.id, /^TA\d{4}$/);
    if (entry.kind === 'technique') assert.match(entry.id, /^T\d{4}$/);
    if (entry.kind === 'sub-technique') assert.match(entry.id, /^T\d{4}\.\d{3}$/);
  }
});

test('MITRE has the 14 enterprise tactics, with unique names', () => {
  const tactics = MITRE.filter((m) => m.kind === 'tactic');
  const expected = ['TA0001', 'TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0006', 'TA0007', 'TA0008', 'TA0009', 'TA0010',
    'TA0011', 'TA0040', 'TA0042', 'TA0043'];
  assert.deepEqual(tactics.map((t) => t.id).sort(), expected);
  assert.equal(new Set(tactics.map((t) => t.name)).size, tactics.length);
  assert.equal(mitreName('TA0011')?.name, 'Command and Control');
  assert.equal(mitreName('ta0005')?.name, 'Defense Evasion', 'lookup ignores case');
});

test('every technique names at least one tactic that is in the table; sub-techniques have their parent', () => {
  for (const entry of MITRE.filter((m) => m.kind !== 'tactic')) {
    assert.ok(entry.tactics && entry.tactics.length > 0, `${entry.id} has tactics`);
    for (const id of entry.tactics) assert.equal(mitreName(id)?.kind, 'tactic', `${entry.id}: ${id} is a known tactic`);
    if (entry.kind === 'sub-technique') {
      const parent = mitreName(entry.id.slice(0, 5));
      assert.equal(parent?.kind, 'technique', `${entry.id} has its parent technique`);
      assert.deepEqual([...(entry.tactics ?? [])].sort(), [...(parent?.tactics ?? [])].sort(), `${entry.id} shares its parent's tactics`);
    }
  }
});

test('known names are spelled as ATT&CK writes them', () => {
  assert.equal(mitreName('T1059')?.name, 'Command and Scripting Interpreter');
  assert.equal(mitreName('T1059.004')?.name, 'Unix Shell');
  assert.equal(mitreName('T1611')?.name, 'Escape to Host');
  assert.equal(mitreName('T1552.005')?.name, 'Cloud Instance Metadata API');
  assert.equal(mitreName('T1098.004')?.name, 'SSH Authorized Keys');
  assert.equal(mitreName('T1548.001')?.name, 'Setuid and Setgid');
  assert.equal(mitreName('T1053.003')?.name, 'Cron');
  assert.equal(mitreName('T9999'), undefined);
});

test('mitre_* tags resolve to tactics by name', () => {
  assert.equal(mitreForTag('mitre_command_and_control')?.id, 'TA0011');
  assert.equal(mitreForTag('mitre_privilege_escalation')?.id, 'TA0004');
  assert.equal(mitreForTag('mitre_defense_evasion')?.id, 'TA0005');
  assert.equal(mitreForTag('mitre_data_destruction')?.id, 'T1485', 'a technique name when no tactic has it');
  assert.equal(mitreForTag('mitre_not_a_tactic'), undefined);
  assert.equal(mitreForTag('maturity_stable'), undefined);
});

test('ids written with a descriptive suffix resolve to the id', () => {
  assert.equal(mitreForTag('T1562-impair-defenses')?.id, 'T1562');
  assert.equal(mitreForTag('TA0007-discovery')?.id, 'TA0007');
  assert.equal(mitreForTag('T1059.004')?.id, 'T1059.004');
});

test('every T*/TA* id and every mitre_* tag of every corpus rules file resolves', { skip: !corpusPresent && 'corpus absent' }, () => {
  const tags = corpusMitreTags();
  assert.ok(tags.size > 40, `found ${tags.size} MITRE tags in the corpus`);
  const unresolved = [...tags].filter(([tag]) => mitreForTag(tag) === undefined).map(([tag, file]) => `${tag} (${file})`);
  assert.deepEqual(unresolved, []);
});

test('every MITRE id a playbook uses has a name', () => {
  const missing: string[] = [];
  for (const playbook of allPlaybooks()) {
    for (const id of playbook.mitre) if (!mitreName(id)) missing.push(`${playbook.rule}: ${id}`);
  }
  assert.deepEqual(missing, []);
});

test('every playbook lists at least the ATT&CK ids and tactics its rule is tagged with', { skip: !corpusPresent && 'corpus absent' }, () => {
  const tagsByRule = new Map<string, string[]>();
  for (const file of rulesFiles(corpusRules).filter((f) => !f.includes(`${path.sep}tags${path.sep}`) && !f.includes(`${path.sep}archive${path.sep}`))) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const items: unknown = doc.toJS();
      if (!Array.isArray(items)) continue;
      for (const item of items as Record<string, unknown>[]) {
        if (item && typeof item.rule === 'string' && Array.isArray(item.tags)) tagsByRule.set(item.rule, item.tags.map(String));
      }
    }
  }
  const missing: string[] = [];
  for (const playbook of allPlaybooks()) {
    for (const tag of tagsByRule.get(playbook.rule) ?? []) {
      const entry = mitreForTag(tag);
      if (entry && !playbook.mitre.includes(entry.id)) missing.push(`${playbook.rule}: ${tag} (${entry.id})`);
    }
  }
  assert.deepEqual(missing, []);
});
