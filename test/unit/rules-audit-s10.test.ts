// Session 10 rules audit: what the rules service tells users, held to Falco's sources. Each test pins what the old
// code said or did wrong; the corpus checks (skipped without ../shared/corpus) keep the audit's findings holding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, applyEdits, corpusExists, corpusHost, editsFor, rulesDoc } from './rules-host';
import { newerThanTarget } from '../../server/src/knowledge';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const BASE_TEXT = `- macro: spawned_process
  condition: evt.type in (execve, execveat)

- rule: Shell Spawned
  desc: A shell was started
  condition: spawned_process and proc.name in (bash, sh)
  output: "Shell started | process=%proc.name"
  priority: WARNING
`;

function serviceWith(local: string) {
  const host = new MemoryHost({ [BASE]: BASE_TEXT, [LOCAL]: local }, { ruleFiles: [BASE, LOCAL] });
  return { host, svc: createRulesService(host), doc: rulesDoc(LOCAL, local) };
}

function fixesOf(local: string, code: string): { d: Diagnostic; actions: CodeAction[] }[] {
  const { svc, doc } = serviceWith(local);
  return svc.diagnostics(doc).filter((d) => d.code === code).map((d) => ({ d, actions: svc.codeActions!(doc, d.range, { diagnostics: [d] }).filter((a) => a.kind === 'quickfix') }));
}

function applied(local: string, action: CodeAction): string {
  return applyEdits(local, editsFor(action.edit, rulesDoc(LOCAL, local).uri));
}

/** The text parses as YAML, and after the fix the diagnostic is gone and no error appeared. */
function assertClean(before: string, after: string, code: string): void {
  for (const d of parseAllDocuments(after)) assert.deepEqual(d.errors.map((e) => e.message), [], after);
  const { svc, doc } = serviceWith(after);
  const diags = svc.diagnostics(doc);
  assert.deepEqual(diags.filter((d) => d.code === code || d.severity === 1).map((d) => `${d.code} ${d.message}`), [], `${before}\n→\n${after}`);
}

// 1. Items written as flow mappings (`- {rule: x, enabled: false}`) got block lines appended after the `}`: the
// fixed file was no longer YAML (yaml-cpp: "end of map flow not found"), so Falco refused the whole file.
test('quick fixes on flow-mapping items keep the file YAML and the item a mapping', () => {
  const cases: [string, string, RegExp, string][] = [
    ['- {rule: Shell Spawned, enabled: false}\n', 'deprecated-enabled', /^Add 'override: enabled: replace'$/, '- {rule: Shell Spawned, enabled: false, override: {enabled: replace}}\n'],
    ['- {rule: Shell Spawned, condition: and proc.pname = sshd, append: true}\n', 'deprecated-append', /^Replace 'append: true'/, '- {rule: Shell Spawned, condition: and proc.pname = sshd, override: {condition: append}}\n'],
    ['- {rule: New Rule, desc: x}\n', 'missing-required-key', /^Add 'condition', 'output', 'priority'/,
      '- {rule: New Rule, desc: x, condition: evt.type = execve and proc.name = replace_me, output: "Replace with a summary | process=%proc.name command=%proc.cmdline", priority: WARNING}\n'],
  ];
  for (const [local, code, title, expected] of cases) {
    const [found] = fixesOf(local, code);
    assert.ok(found, `${code} reported on ${local}`);
    const action = found.actions.find((a) => title.test(a.title));
    assert.ok(action, `${found.actions.map((a) => a.title).join(' | ')}`);
    const after = applied(local, action);
    assert.equal(after, expected);
    if (code !== 'missing-required-key') assertClean(local, after, code);
    // Idempotent: the fixed text has nothing left to fix the same way.
    assert.deepEqual(fixesOf(after, code), []);
  }
});

// 2. A rule, macro or list item with the name of an earlier one and no (readable) override is a new definition to
// Falco, which replaces the earlier one whole (rule_loader_collector.cpp define_info, `*prev = info`, 0.37.0-0.44.0).
// The preferred fix filled the missing keys with placeholders: applied, the official rule became
// `proc.name = replace_me`. Almost always the author meant an override of the keys written.
test('a missing key on an item naming an earlier definition offers an override first, and the redefinition is not preferred', () => {
  const local = '- rule: Shell Spawned\n  tags: [team_a]\n  condition: and not proc.pname = sshd\n';
  const [found] = fixesOf(local, 'missing-required-key');
  const titles = found.actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`);
  assert.deepEqual(titles, [
    "* Change the earlier rule instead: add 'override: tags: append, condition: append'",
    "Replace the earlier rule whole: add 'desc', 'output', 'priority' (to fill in)",
  ]);
  const after = applied(local, found.actions[0]);
  assert.equal(after, `${local}  override:\n    tags: append\n    condition: append\n`);
  assertClean(local, after, 'missing-required-key');
  // A macro of an existing name without a condition: no override to write, and the placeholder is not preferred.
  const macro = fixesOf('- macro: spawned_process\n', 'missing-required-key')[0];
  assert.deepEqual(macro.actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`), ["Replace the earlier macro whole: add 'condition' (to fill in)"]);
  // A new name keeps the skeleton as the preferred fix.
  const fresh = fixesOf('- rule: Another Rule\n  desc: d\n', 'missing-required-key')[0];
  assert.deepEqual(fresh.actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`), ["* Add 'condition', 'output', 'priority' (to fill in)"]);
});

function hoverText(local: string, needle: string, delta = 0): string {
  const { svc, doc } = serviceWith(local);
  svc.diagnostics(doc);
  const h = svc.hover!(doc, doc.positionAt(local.indexOf(needle) + delta));
  return h ? (h.contents as { value: string }).value : '';
}

// 3. Operator hovers against libsinsp (libs 0.25.2): `<`/`>` take a number only (parser.h NumOperator NumValue) but the
// hover offered "one string, number or val()", and on a string field they compare text (strcmp, flt_compare_string); `in` on a list field holds only when every value of
// the field is listed (sinsp_filtercheck.cpp compare_rhs), which the hover did not say; glob is fnmatch without flags,
// so `*` crosses `/` (utils.cpp glob_match); startswith/endswith are case-sensitive (strncmp).
test('operator hovers say how strings compare, what in does on a list field, and what glob\'s * matches', () => {
  const rule = (cond: string) => `- rule: Shell Spawned\n  condition: and ${cond}\n  override:\n    condition: append\n`;
  const gt = hoverText(rule('proc.pid > 5'), '>');
  assert.match(gt, /Greater than the number; a string field compares its text with the number's digits byte by byte \(strcmp\)/);
  assert.match(gt, /Value: a number \(decimal or `0x` hex\) or `val\(<field>\)`; a string there is a syntax error\./);
  assert.match(hoverText(rule('proc.name in (a, b)'), ' in ', 1), /a list field matches when every value it holds is listed/);
  assert.match(hoverText(rule('fd.name glob "/etc/*"'), 'glob'), /`\*` also matches `\/`/);
  assert.match(hoverText(rule('proc.name startswith ba'), 'startswith'), /begins with the value \(case-sensitive\)/);
});

// 4. "Macro 'x' is not referred to by any rule, macro of the loaded rules files": a list of one and a half. Falco's own
// words are "Macro not referred to by any other rule/macro" (rule_loader_compiler.cpp:582-585, 0.44.0).
test('the unused-macro message reads as a sentence', () => {
  const { svc, doc } = serviceWith('- macro: never_used\n  condition: proc.name = x\n');
  const d = svc.diagnostics(doc).find((x) => x.code === 'unused-macro');
  assert.equal(d?.message, "Macro 'never_used' is not referred to by any rule or macro of the loaded rules files. (LOAD_UNUSED_MACRO)");
});

// 5. The no-evttype fix inserted `evt.type in (EVENT_TYPE)` for the user to fill in, and the placeholder was exempted
// from the unknown-event-type check: a file Falco refuses ("unknown event type", the condition does not compile)
// showed no problem at all. The fix now writes a restriction derived from the condition (session 24,
// rules-evttype-restrict-s24); a file that still holds the placeholder an older fix wrote is reported, with no fix.
test('the EVENT_TYPE placeholder an older no-evttype fix wrote is reported until replaced', () => {
  const local = '- rule: Everything Bash\n  desc: d\n  condition: evt.type in (EVENT_TYPE) and (proc.name = bash)\n  output: "bash | process=%proc.name"\n  priority: INFO\n';
  const [found] = fixesOf('- rule: Everything Bash\n  desc: d\n  condition: proc.name = bash\n  output: "bash | process=%proc.name"\n  priority: INFO\n', 'no-evttype');
  assert.ok(found.actions.length > 0 && found.actions.every((a) => !/EVENT_TYPE/.test(JSON.stringify(a.edit)) && a.isPreferred === undefined));
  const { svc, doc } = serviceWith(local);
  const unknown = svc.diagnostics(doc).filter((d) => d.code === 'unknown-evttype');
  assert.equal(unknown.length, 1);
  assert.match(String(unknown[0].message), /^Unknown event type 'EVENT_TYPE': Falco rejects the condition .* Replace this placeholder with the event types the rule watches/);
  assert.deepEqual(svc.codeActions!(doc, unknown[0].range, { diagnostics: [unknown[0]] }).filter((a) => a.kind === 'quickfix'), []);
});

// Corpus checks that should keep holding (skipped without ../shared/corpus).
const official = (dir: string) => [`${dir}/falco_rules.yaml`, `${dir}/falco-incubating_rules.yaml`, `${dir}/falco-sandbox_rules.yaml`];
const TAGGED: { dir: string; own: string[]; older: string[] }[] = [
  // falco-rules-3.0.0 came with Falco 0.37 (required_engine_version 0.31.0): every later release loads it too.
  { dir: 'falcosecurity__rules/tags/falco-rules-3.0.0', own: ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44'], older: [] },
  // 5.0.0 (Falco 0.42) and 5.1.0 (0.44, the current files) require engine 0.57.0, Falco 0.42's.
  { dir: 'falcosecurity__rules/tags/falco-rules-5.0.0', own: ['0.42', '0.43', '0.44'], older: ['0.41', '0.37'] },
  { dir: 'falcosecurity__rules', own: ['0.42', '0.43', '0.44'], older: ['0.41'] },
];

test('official rules files: no error at every release that loads them, exactly the engine-version error below', { skip: !corpusExists && 'corpus absent' }, () => {
  for (const { dir, own, older } of TAGGED) {
    for (const version of [...own, ...older]) {
      const { host, paths } = corpusHost(official(dir));
      host.config = { ...host.config, falcoVersion: version };
      const svc = createRulesService(host);
      for (const p of paths) {
        const diags = svc.diagnostics(rulesDoc(p, host.files.get(p)!));
        const errors = diags.filter((d) => d.severity === 1).map((d) => `${d.code} ${d.message}`);
        const label = `${p.slice(p.indexOf('falcosecurity__rules'))} at Falco ${version}`;
        if (own.includes(version)) {
          assert.deepEqual(errors, [], label);
          // Our one warning without a LOAD code on these files: the sandbox rule comparing evt.res with -1
          // (result-never-matches, rules-result-text-s24), once in each sandbox file.
          const neverMatches = diags.filter((d) => d.severity === 2 && d.code === 'result-never-matches');
          assert.equal(neverMatches.length, p.endsWith('falco-sandbox_rules.yaml') ? 1 : 0, label);
          // Falco 0.37 to 0.42 print `env=%proc.env ...` (0.41 and 0.42 `%proc.args` too) as the field and then its
          // name as text (their thread check reads the name only at the end of the output, outputReading.ts): a
          // warning of what Falco prints, not one Falco gives.
          const warnings = diags.filter((d) => d.severity === 2 && !neverMatches.includes(d));
          const printed = warnings.filter((w) => /^In an output Falco [\d.]+ prints %proc\.(env|args) with its argument unset and then the text 'proc\.(env|args)'/.test(String(w.message)));
          if (newerThanTarget(version, '0.42')) assert.deepEqual(printed, [], label);
          // Other warnings only where Falco itself warns: the deprecations of 0.41+ (%container.info) and 0.42+ (evt.dir).
          for (const w of warnings.filter((d) => !printed.includes(d))) assert.match(String(w.message), /\(LOAD_DEPRECATED_ITEM\)$/, label);
          if (version === own[0]) assert.deepEqual(warnings.filter((d) => !printed.includes(d)).map((d) => d.message), [], label);
        } else {
          assert.deepEqual(errors.map((e) => e.split(' ')[0]), ['invalid-engine-version'], `${label}: ${errors.join('\n')}`);
        }
      }
    }
  }
});

test('hovers of the official rules, macros and lists are escaped and bounded', { skip: !corpusExists && 'corpus absent' }, () => {
  const { host, paths } = corpusHost(official('falcosecurity__rules'));
  const svc = createRulesService(host);
  let seen = 0;
  for (const p of paths) {
    const text = host.files.get(p)!;
    const doc = rulesDoc(p, text);
    svc.diagnostics(doc);
    for (const m of text.matchAll(/^- (rule|macro|list): (.*)$/gm)) {
      const h = svc.hover!(doc, doc.positionAt(m.index! + m[1].length + 4));
      const md = (h?.contents as { value: string } | undefined)?.value ?? '';
      assert.ok(md.length > 0 && md.length < 2600, `${m[2]}: ${md.length} characters`);
      // Outside code spans and blocks, no character of the file can open HTML or a link: '<' only escaped.
      const prose = md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '').replace(/\]\([^)]*\)/g, '](…)');
      assert.doesNotMatch(prose, /(^|[^\\])</, `${m[2]}: ${md}`);
      seen++;
    }
  }
  assert.ok(seen > 400, `${seen} names hovered`);
});

// 6. The hover of `append` under override said only conditions are joined with a space; Falco joins outputs and
// descriptions the same way and adds only the values of an exception whose name the rule has
// (rule_loader_collector.cpp:246-296, 0.44.0). A bare word that names no list is a literal compared by the field's type
// (`intersects (true)` on a boolean field), not necessarily "a plain string".
test('the override append hover names every key it joins, and a bare word is a literal value', () => {
  const local = '- rule: Shell Spawned\n  output: extra=%proc.pname\n  condition: and proc.name in (bash_like)\n  override:\n    output: append\n    condition: append\n';
  assert.match(hoverText(local, 'append'), /a condition, output or description after a space; list items, tags and exceptions added \(an exception of an existing name gets only its values added\)/);
  assert.equal(hoverText(local, 'bash_like'), '`bash_like` — a literal value: no loaded list has this name.');
});
