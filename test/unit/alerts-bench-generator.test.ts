// The bench's alert generator (bench/generate-alerts.mjs) must write text alerts as Falco does, or the bench measures
// the template matcher on lines no Falco prints. Falco prints a rule's `output:` as the YAML parser gives it, trimmed
// at both ends only (rule_loader_reader.cpp 0.44.0); a folded output whose lines end with a blank keeps two blanks
// where the line break was folded, as real gcpaudit alerts show (corpus alerts/falcosecurity__plugins/gcpaudit_*:
// `gzip(gfe)  authorizationInfo=`). Every text line the generator renders for a plugin rule must be identified, by
// the alert parser and the loaded rules' output templates, as that rule (or, for rules whose whole template and
// priority are another rule's, as none of them: the line cannot tell them apart).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAlertsService } from '../../server/src/service/alerts';
import { parseLine } from '../../server/src/service/alerts/parse';
import { parsePriority } from '../../server/src/service/alerts/priority';
import { TemplateLibrary, compileTemplate } from '../../server/src/service/alerts/templates';
import { AlertStore, type ByteSource } from '../../server/src/service/explorer/alertStore';
import { CORPUS, TestHost, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

interface GeneratedRule { name: string; priority: string; source: string; output: string }
interface Generator {
  generatorRules(corpusDir: string): { syscall: GeneratedRule[]; plugin: GeneratedRule[] };
  renderAlert(rule: GeneratedRule, rnd: unknown, timeNs: bigint, asText: boolean): string;
  falcoOutputFormat(output: string): string;
  Random: new (seed: number) => unknown;
  RULES_FILES: string[];
}

/** The generator as the bench runs it: the .mjs file itself, loaded at run time (not bundled into the test). */
async function loadGenerator(): Promise<Generator> {
  return await import(pathToFileURL(path.join(process.cwd(), 'bench', 'generate-alerts.mjs')).href) as Generator;
}

const LINES_PER_RULE = 6;
const intern = (s: string) => s;

test('falcoOutputFormat trims only the ends, with C\'s blanks, and keeps the blanks inside', async () => {
  const { falcoOutputFormat } = await loadGenerator();
  assert.equal(falcoOutputFormat('project=%gcp.projectId\nby user=%gcp.user userAgent=%gcp.userAgent  authorizationInfo=%gcp.authorizationInfo\n'),
    'project=%gcp.projectId\nby user=%gcp.user userAgent=%gcp.userAgent  authorizationInfo=%gcp.authorizationInfo');
  assert.equal(falcoOutputFormat(' \t\v\fA  b\r\n'), 'A  b');
  // isspace in the C locale: a no-break space is not a blank to Falco's trim.
  assert.equal(falcoOutputFormat('\u00a0A\u00a0'), '\u00a0A\u00a0');
  assert.equal(falcoOutputFormat('Shell (user=%user.name %container.info)'), 'Shell (user=%user.name )');
});

test('every text line the bench generator renders for a plugin rule is identified as that rule by its output template', { skip: !corpusExists && 'corpus absent' }, async () => {
  const generator = await loadGenerator();
  const { plugin, syscall } = generator.generatorRules(CORPUS);
  const sources = new Set(plugin.map((r) => r.source));
  for (const source of ['k8s_audit', 'aws_cloudtrail', 'okta', 'github', 'gcp_auditlog']) assert.ok(sources.has(source), `rules of ${source}`);
  // The rules the bench configures: the generator's files, read by the project's own YAML reading of rules.
  const summaries = generator.RULES_FILES.flatMap((f) => ruleSummaries(path.join(CORPUS, 'rules', f)));
  const service = createAlertsService(new TestHost(), fakeRules(summaries));
  const library = new TemplateLibrary();
  library.refresh(summaries);

  const rnd = new generator.Random(7);
  let timeNs = 1_748_849_400_000_000_000n;
  const lines: { rule: GeneratedRule; line: string }[] = [];
  for (const rule of plugin) {
    for (let k = 0; k < LINES_PER_RULE; k++) lines.push({ rule, line: generator.renderAlert(rule, rnd, (timeNs += 1_234_567n), true) });
  }
  const byName = new Map([...plugin, ...syscall].map((r) => [r.name, r]));
  const summaryOf = new Map(summaries.map((r) => [r.name, r]));
  const literalsOf = (name: string) => compileTemplate(summaryOf.get(name)!, byName.get(name)!.output).literals.join('\u0000');
  const failures: string[] = [];
  for (const { rule, line } of lines) {
    const alert = parseLine(line, intern).alert;
    assert.ok(alert && alert.format === 'text', line);
    assert.equal(alert.priority, parsePriority(rule.priority), line);
    const output = line.slice(alert.outputStart, alert.outputEnd);
    const named = service.identifyTextRule(output);
    const match = library.identify(output, alert.priority);
    // Rules whose outputs have the same text between their fields (the github secret rules for public and private
    // repositories; gcp rules written from one another) can print the same line: any of them is the rule's template.
    const sameTemplate = (name: string | undefined) => name !== undefined && byName.get(name)?.priority === rule.priority && literalsOf(name) === literalsOf(rule.name);
    // Rules whose whole output template and priority are the same cannot be told apart: the line names none of them;
    // nor can rules whose templates have the same text between other fields (gcp_auditlog_rules.yaml's "GCP WAF
    // Network policy modified" prints %gcp.methodName where "GCP WAF rule modified or deleted" prints
    // %gcp.authorizationInfo): such ties are only rules of the same text.
    const twins = [...library.twins(rule.name), ...(match?.ties ?? [])];
    if (match?.ties.some((t) => !sameTemplate(t))) failures.push(`${rule.name}: tie with another text: ${match.ties.join(', ')}`);
    const namedRight = twins.length ? named === undefined && sameTemplate(match?.rule.name) : sameTemplate(named);
    if (!match || !namedRight || !sameTemplate(match.rule.name)) {
      failures.push(`${rule.source} ${rule.name}: named ${named ?? 'nothing'}, matched ${match?.rule.name ?? 'nothing'}: ${line.slice(0, 300)}`);
      continue;
    }
    // Matched by the rule's template: each of its fields is read from the line.
    assert.equal(match.values.filter((v) => v.how === 'template').length, compileTemplate(summaryOf.get(rule.name)!, rule.output).fields.length, line);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${lines.length} lines`);

  // The Alert Explorer's store (what the bench's explorer part measures) groups them all under identified rules.
  const data = Buffer.from(lines.map((l) => l.line).join('\n') + '\n');
  const source: ByteSource = { size: () => data.length, read: (b, o, l, p) => data.copy(b, o, p, Math.min(data.length, p + l)) };
  const store = new AlertStore(source, (output) => service.identifyTextRule(output));
  store.indexMore();
  const groups = store.groups('rule', undefined, 5000).groups;
  // Only the lines of rules with a twin or a tie are left unidentified (grouped by their message).
  const twinLines = lines.filter((l) => {
    const alert = parseLine(l.line, intern).alert!;
    return library.twins(l.rule.name).length > 0 || (library.identify(l.line.slice(alert.outputStart, alert.outputEnd), alert.priority)?.ties.length ?? 0) > 0;
  }).length;
  assert.ok(twinLines > 0);
  assert.equal(groups.filter((g) => !g.identified).reduce((n, g) => n + g.count, 0), twinLines);
  assert.equal(groups.reduce((n, g) => n + g.count, 0), lines.length);

  // The syscall rules' text lines too (their outputs have no trailing blanks inside folded lines, but the same rule holds).
  const missed = syscall.filter((rule) => {
    const line = generator.renderAlert(rule, rnd, (timeNs += 1_234_567n), true);
    const alert = parseLine(line, intern).alert;
    const named = service.identifyTextRule(line.slice(alert?.outputStart, alert?.outputEnd));
    if (library.twins(rule.name).length || (library.identify(line.slice(alert?.outputStart, alert?.outputEnd), alert!.priority)?.ties.length ?? 0) > 0) return named !== undefined;
    return named !== rule.name && (named === undefined || literalsOf(named) !== literalsOf(rule.name));
  }).map((r) => r.name);
  assert.deepEqual(missed, []);
});
