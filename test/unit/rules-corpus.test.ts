// Zero errors and zero warnings on the real rules files of the corpus, each loaded with the files it extends.
// Information findings are allowed and listed exactly. The falco-rules-3.0.0 tag gets only the deprecations Falco
// 0.44 itself reports when it loads those files (LOAD_DEPRECATED_ITEM for %container.info and evt.dir), and every
// sandbox file our one warning of a comparison that cannot do what it says: "Unprivileged Delegation of Page Faults
// Handling to a Userspace Process" compares evt.res with -1, which evt.res never is (result-never-matches).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { corpusExists, corpusHost, rulesDoc, summarize } from './rules-host';

interface Expectation {
  files: string[];
  /** Per file (basename): information counts by code, and allowed warnings by code. */
  info?: Record<string, Record<string, number>>;
  warnings?: Record<string, Record<string, number>>;
}

const official = (dir: string) => [`${dir}/falco_rules.yaml`, `${dir}/falco-incubating_rules.yaml`, `${dir}/falco-sandbox_rules.yaml`];

/** Our warnings (no LOAD code): what Falco accepts silently though it cannot be what the author meant. */
const OWN_WARNINGS = new Set(['result-never-matches']);
const SANDBOX_RESULT = { 'falco-sandbox_rules.yaml': { 'result-never-matches': 1 } };

const SETS: Expectation[] = [
  { files: official('falcosecurity__rules'), warnings: SANDBOX_RESULT },
  { files: official('falcosecurity__rules/tags/falco-rules-5.0.0'), warnings: SANDBOX_RESULT },
  {
    files: official('falcosecurity__rules/tags/falco-rules-3.0.0'),
    warnings: {
      // One per non-comment occurrence of %container.info and evt.dir in each file.
      'falco_rules.yaml': { 'deprecated-field': 10, 'deprecated-container-info': 25 },
      'falco-incubating_rules.yaml': { 'deprecated-field': 8, 'deprecated-container-info': 27 },
      'falco-sandbox_rules.yaml': { 'deprecated-field': 13, 'deprecated-container-info': 30, 'result-never-matches': 1 },
    },
  },
  { files: ['falcosecurity__plugins/k8saudit/k8s_audit_rules.yaml', 'falcosecurity__plugins/k8saudit-gke/k8s_audit_rules_gke.yaml'] },
  { files: ['falcosecurity__plugins/cloudtrail/aws_cloudtrail_rules.yaml'] },
  { files: ['falcosecurity__plugins/gcpaudit/gcp_auditlog_rules.yaml'] },
  { files: ['falcosecurity__plugins/github/github.yaml'] },
  { files: ['falcosecurity__plugins/okta/okta_rules.yaml'] },
  { files: ['falcosecurity__plugins/k8smeta/example_rule.yaml'] },
  // Example plugins whose fields and source no catalog knows: information only.
  { files: ['falcosecurity__plugins/krsi/example_rules.yaml'], info: { 'example_rules.yaml': { 'unknown-field-class': 45 } } },
  { files: ['falcosecurity__plugins/dummy/dummy_rules.yaml'], info: { 'dummy_rules.yaml': { 'unknown-field-class': 2, 'unknown-source': 1 } } },
  // Archived files, loaded after the current falco_rules.yaml they were written against.
  {
    files: ['falcosecurity__rules/falco_rules.yaml', 'falcosecurity__rules/archive/falco-deprecated_rules.yaml'],
    warnings: { 'falco-deprecated_rules.yaml': { 'deprecated-field': 3 } },
  },
  { files: ['falcosecurity__rules/falco_rules.yaml', 'falcosecurity__rules/archive/application_rules.yaml'], info: { 'application_rules.yaml': { 'unused-macro': 12 } } },
];

const countByCode = (list: { code?: unknown }[]) => {
  const out: Record<string, number> = {};
  for (const d of list) out[String(d.code)] = (out[String(d.code)] ?? 0) + 1;
  return out;
};

for (const set of SETS) {
  const title = set.files.map((f) => f.split('/').slice(-2).join('/')).join(' + ');
  test(`corpus: ${title}`, { skip: !corpusExists && 'corpus absent' }, () => {
    const { host, paths } = corpusHost(set.files);
    const svc = createRulesService(host);
    for (const path of paths) {
      const base = path.slice(path.lastIndexOf('/') + 1);
      const diags = svc.diagnostics(rulesDoc(path, host.files.get(path)!));
      const errors = diags.filter((d) => d.severity === 1);
      assert.deepEqual(errors.map(summarize), [], `${base}: errors`);
      const warnings = diags.filter((d) => d.severity === 2);
      assert.deepEqual(countByCode(warnings), set.warnings?.[base] ?? {}, `${base}: warnings\n${warnings.slice(0, 5).map(summarize).join('\n')}`);
      // Falco itself reports these as LOAD_DEPRECATED_ITEM.
      for (const w of warnings) if (!OWN_WARNINGS.has(String(w.code))) assert.match(String(w.message), /\(LOAD_DEPRECATED_ITEM\)$/);
      const info = diags.filter((d) => (d.severity ?? 1) >= 3);
      assert.deepEqual(countByCode(info), set.info?.[base] ?? {}, `${base}: information\n${info.slice(0, 5).map(summarize).join('\n')}`);
    }
  });
}

test('corpus: the effective rules of the official files (findRule, allRules)', { skip: !corpusExists && 'corpus absent' }, () => {
  const { host } = corpusHost(official('falcosecurity__rules'));
  const svc = createRulesService(host);
  const all = svc.allRules();
  // 25 + 31 + 37 rules in the three files, no name defined twice.
  assert.equal(all.length, 93);
  const rule = svc.findRule('Create Symlink Over Sensitive Files');
  assert.ok(rule);
  assert.equal(rule.priority, 'WARNING');
  assert.equal(rule.source, 'syscall');
  assert.match(rule.condition ?? '', /create_symlink/);
  assert.match(rule.location?.uri ?? '', /falco_rules\.yaml$/);
});
