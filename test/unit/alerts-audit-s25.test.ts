// Session 25 audit: 30 alerts of different rules and sources (syscall, k8s_audit, aws_cloudtrail, okta, github), as
// the bench's generator renders them from the corpus's rules (text and JSON), read through every hover, diagnostic
// and incident report at targets 0.37 and 0.44. What was wrong, each pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { lookupField } from '../../server/src/knowledge';
import { createAlertsService } from '../../server/src/service/alerts';
import { investigationScript } from '../../server/src/service/alerts/fill';
import { CORPUS, TestHost, alertDoc, corpusExists, fakeRules, hostileProblems, ruleSummaries } from '../fixtures/alerts/helpers';

// A host command filled with a path of a container's process (`stat <fd.name>`, `sha256sum <proc.exepath>`) looked at
// the host's file of that path: the drivers read paths in the process's mount namespace, so in a container they are
// the container's. The exepath hover said so; the commands did not.
test('host commands are not filled with a path inside a container; on the host, or run in the container, they are', () => {
  const view = (containerId: string, file = '/home/ubuntu/.aws/credentials') => ({ outputFields: new Map([['fd.name', file], ['proc.exepath', '/usr/bin/tar'], ['container.id', containerId]]), values: [] });
  const commands = [
    { command: 'stat <fd.name>', purpose: 'the file' },
    { command: 'sha256sum -- <proc.exepath>', purpose: 'the program' },
    { command: 'crictl exec <container.id> ls -la <fd.name>', purpose: 'inside the container' },
    { command: 'nsenter -t 4242 -m sha256sum <proc.exepath>', purpose: 'in its mount namespace' },
  ];
  const inContainer = investigationScript(commands, view('14b117b0afee') as never);
  assert.match(inContainer, /# Skipped: the path is inside the container \(its mount namespace\); on the host the same path is another file or none\.\n# stat <fd\.name>/);
  assert.match(inContainer, /# Skipped: [^\n]*\n# sha256sum -- <proc\.exepath>/);
  assert.match(inContainer, /^crictl exec 14b117b0afee ls -la \/home\/ubuntu\/\.aws\/credentials$/m, 'a command run in the container is filled');
  assert.match(inContainer, /^nsenter -t 4242 -m sha256sum \/usr\/bin\/tar$/m);
  const onHost = investigationScript(commands, view('host') as never);
  assert.match(onHost, /^stat \/home\/ubuntu\/\.aws\/credentials$/m);
  assert.match(onHost, /^sha256sum -- \/usr\/bin\/tar$/m);
  // A command naming the system's own files reads the host's; /proc by the host pid is every process's.
  const system = [{ command: 'cat -v /etc/crontab', purpose: 'the system crontab' }, { command: 'find / -xdev -type l -ls', purpose: 'links' }, { command: 'ls -l /proc/<proc.pid>/exe', purpose: 'its executable' }];
  const pid = (containerId: string) => ({ outputFields: new Map([['proc.pid', '4242'], ['container.id', containerId]]), values: [] });
  const systemInContainer = investigationScript(system, pid('14b117b0afee') as never);
  assert.match(systemInContainer, /# Skipped: it reads or changes the host's files, and the event happened in a container, whose files are its own\.\n# cat -v \/etc\/crontab/);
  assert.match(systemInContainer, /# Skipped: [^\n]*\n# find \/ -xdev -type l -ls/);
  assert.match(systemInContainer, /^ls -l \/proc\/4242\/exe$/m);
  assert.match(investigationScript(system, pid('host') as never), /^cat -v \/etc\/crontab$/m);
  // A socket's fd.name is no path: not concerned.
  const socket = investigationScript([{ command: 'echo <fd.name>', purpose: 'the connection' }], view('14b117b0afee', '10.0.0.5:51234->10.0.0.9:443') as never);
  assert.match(socket, /^echo 10\.0\.0\.5:51234-\\>10\.0\.0\.9:443$|^echo '10\.0\.0\.5:51234->10\.0\.0\.9:443'$/m);
});

// A list field (`images=(nginx,busybox:1.36)`, ka.req.pod.containers.image) was hovered as a plain CHARBUF: nothing
// said that its value is a list, written by libsinsp as `(v1,v2)` (sinsp_filtercheck.cpp tostring, EPF_IS_LIST), nor
// that a condition compares it with in or intersects only.
test('a list field\'s hover says it is a list, how Falco writes it and how it is compared', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(path.join(CORPUS, 'rules', 'falcosecurity__plugins', 'k8saudit', 'k8s_audit_rules.yaml'))));
  const line = '14:09:12.581541000: Warning Pod started with privileged container (user=kubernetes-admin pod=web-0 resource=pods ns=default images=(nginx,busybox:1.36) init_images=<NA> ephemeral_images=<NA>)';
  const hover = (needle: string) => ((s.hover!(alertDoc('k8s.log', `${line}\n`), { line: 0, character: line.indexOf(needle) + 1 })?.contents as { value: string } | undefined)?.value ?? '');
  const images = hover('(nginx');
  assert.match(images, /^`images` → field `ka\.req\.pod\.containers\.image` \(CHARBUF, a list\), rendered from/, images);
  assert.match(images, /A list field: a text alert shows its values in parentheses, separated by commas \(`\(a,b\)`\), JSON output_fields as an array\. A condition or exception compares it only with `in`, `intersects` or `exists` \(not `=`\)\./);
  assert.match(images, /Value: `\(nginx,busybox:1\.36\)`/);
  const user = hover('kubernetes-admin');
  assert.match(user, /^`user` → field `ka\.user\.name` \(CHARBUF\), rendered/);
  assert.ok(!user.includes('A list field'), user);
  assert.ok(!user.includes('Not in the field catalog'), user);
});

/**
 * The audit's 30 alerts, pinned: each rule's alert as the bench's generator renders it from the corpus's rules (text
 * and JSON), read with the official rules a release bundles (3.0.0 at 0.37, the newest at 0.44) and the plugins'.
 * Every text alert is named (by its template, or by its message where the release's rule prints another output),
 * every field hover gives the catalog's type for the field it names, every hover and report is inert Markdown, no
 * investigation step of a container's alert runs a host command on a path of the container, and every exception
 * offered loads clean at that release.
 */
const AUDITED = ['Read sensitive file untrusted', 'Run shell untrusted', 'Terminal shell in container', 'Netcat Remote Code Execution in Container', 'Clear Log Activities',
  'Create Symlink Over Sensitive Files', 'PTRACE attached to process', 'Drop and execute new binary in container', 'Fileless execution via memfd_create', 'Schedule Cron Jobs',
  'Launch Privileged Container', 'Non sudo setuid', 'Contact EC2 Instance Metadata Service From Container', 'Write below binary dir', 'Create Privileged Pod', 'Attach/Exec Pod',
  'Create Sensitive Mount Pod', 'ClusterRole With Wildcard Created', 'K8s Secret Get Successfully', 'Console Root Login Without MFA', 'Put Bucket Policy', 'CloudTrail Logging Disabled',
  'Run Instances in Non-approved Region', 'Deactivate MFA for Root User', 'User has been locked out in OKTA', 'Too many failed MFA in last 5min', 'Detecting unknown logins using geolocation',
  'Private Repository Becoming Public', 'Secret pushed into a public repository', 'Github action with miners'];

class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}
interface GeneratedRule { name: string; source: string }
interface Generator { generatorRules(corpusDir: string): { syscall: GeneratedRule[]; plugin: GeneratedRule[] }; renderAlert(rule: GeneratedRule, rnd: unknown, timeNs: bigint, asText: boolean): string; Random: new (seed: number) => unknown }

test('the audit\'s 30 alerts at 0.37 and 0.44: named, field types true, inert, no host command on a container\'s path, exceptions that load', { skip: !corpusExists && 'corpus absent' }, async () => {
  const gen = await import(pathToFileURL(path.join(process.cwd(), 'bench', 'generate-alerts.mjs')).href) as Generator;
  const { syscall, plugin } = gen.generatorRules(CORPUS);
  const rules = AUDITED.map((name) => [...syscall, ...plugin].find((r) => r.name === name)!);
  assert.equal(rules.filter(Boolean).length, 30);
  assert.deepEqual([...new Set(rules.map((r) => r.source))].sort(), ['aws_cloudtrail', 'github', 'k8s_audit', 'okta', 'syscall']);
  const failures: string[] = [];
  for (const target of ['0.37', '0.44']) {
    const official = path.join(CORPUS, 'rules', 'falcosecurity__rules', target === '0.37' ? 'tags/falco-rules-3.0.0' : '');
    const host = new DiskHost();
    host.config = { ...host.config, falcoVersion: target, alerts: { ...host.config.alerts, problems: 'debug' }, rules: { ...host.config.rules, files: [
      ...['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => path.join(official, f)),
      ...['k8saudit/k8s_audit_rules.yaml', 'cloudtrail/aws_cloudtrail_rules.yaml', 'okta/okta_rules.yaml', 'github/github.yaml'].map((f) => path.join(CORPUS, 'rules', 'falcosecurity__plugins', f))] } };
    const LOCAL = '/work/ws/falco_rules.local.yaml';
    host.files.set(LOCAL, '# Site tuning\n');
    const rulesService = createRulesService(host);
    const s = createAlertsService(host, rulesService);
    let n = 0;
    for (const rule of rules) {
      for (const asText of [true, false]) {
        const line = gen.renderAlert(rule, new gen.Random(7 + n), 1746586801220418777n + BigInt(n) * 1000n, asText);
        n++;
        const where = `${target} ${rule.name} ${asText ? 'text' : 'JSON'}`;
        const doc = alertDoc(`audit-${target}-${n}.${asText ? 'log' : 'json'}`, `${line}\n`);
        const named = String(s.diagnostics(doc).find((d) => d.code === 'falco-alert')?.message ?? '');
        if (!named.includes(rule.name)) failures.push(`${where}: the Problems entry is ${named}`);
        const seen = new Set<string>();
        for (let c = 0; c < line.length; c++) {
          const markdown = (s.hover!(doc, { line: 0, character: c })?.contents as { value: string } | undefined)?.value;
          if (!markdown || seen.has(markdown)) continue;
          seen.add(markdown);
          if (hostileProblems(markdown).length) failures.push(`${where} @${c}: ${hostileProblems(markdown).join(', ')}`);
          const field = /^`[^`]+` → field `([^`]+)` \(([A-Z0-9]+)(, a list)?\)/.exec(markdown);
          const info = field && lookupField(field[1]);
          if (field && (info?.field.type !== field[2] || !!info.field.isList !== !!field[3])) failures.push(`${where}: ${field[0]} but the catalog has ${info?.field.type}${info?.field.isList ? ' list' : ''}`);
          // A field the catalog has is not said to be missing from it (d4449f2 broke that else chain for every field).
          if (info && /Not in the field catalog/.test(markdown)) failures.push(`${where}: ${field![1]} is in the catalog, but the hover says it is not`);
        }
        const report = s.report(`${line}\n`, doc.uri, { start: 0, end: 0 });
        if (hostileProblems(report).length) failures.push(`${where} report: ${hostileProblems(report).join(', ')}`);
        const container = /container_id=(?!host\b)([0-9a-f]{12})|"container\.id":"(?!host")([0-9a-f]{12})"/.exec(line);
        const investigation = report.split('### Investigation')[1]?.split('### ')[0] ?? '';
        // A step the report fills and does not set aside ("not for this alert") runs as it is: on a container's
        // alert, a host command must not read the system's files (/proc, /sys and /dev are every process's, by host pid).
        for (const step of investigation.split(/\n(?=\d+\. )/)) {
          const command = /```sh\n([\s\S]*?)\n```/.exec(step)?.[1];
          if (!container || command === undefined || step.includes('not for this alert')) continue;
          if (!/^\s*(?:sudo\s+)?(?:crictl|docker|podman|nerdctl|ctr|kubectl|nsenter|jq|aws)\b/.test(command) && /(?:^|[\s=("'])\/(?:etc|usr|bin|sbin|home|root|tmp|var|opt|lib|run)\b/.test(command)) {
            failures.push(`${where}: a host command on the files of container ${container[1] ?? container[2]}: ${command}`);
          }
        }
        for (const action of s.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] })) {
          const change = action.edit?.documentChanges?.find((c): c is TextDocumentEdit => 'edits' in c && c.textDocument.uri === pathToUri(LOCAL));
          if (!change || !action.title.startsWith('Add exception')) continue;
          const after = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, '# Site tuning\n'), change.edits as TextEdit[]);
          const problems = rulesService.validateText(pathToUri(LOCAL), after).filter((d) => (d.severity ?? 1) <= DiagnosticSeverity.Warning);
          if (problems.length) failures.push(`${where} ${action.title}: ${problems.map((p) => p.message).join(' | ')}`);
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});
