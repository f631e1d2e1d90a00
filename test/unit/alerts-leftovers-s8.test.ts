// Session 8 leftovers in alert explanations and tuning: each test pins what the old code said or offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover, TextDocumentEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { shellInvocation } from '../../server/src/service/alerts/tuning';
import { TestHost, alertDoc, fakeRules, hostileProblems } from '../fixtures/alerts/helpers';

const md = (h: Hover | null | undefined) => (h ? (h.contents as { value: string }).value : '');

function hoverAt(s: ReturnType<typeof createAlertsService>, text: string, needle: string, shift: number, name: string): string {
  const col = text.indexOf(needle);
  assert.ok(col >= 0, needle);
  return md(s.hover!(alertDoc(name, text), { line: 0, character: col + shift }));
}

const count = (text: string, part: string) => text.split(part).length - 1;

// 1. Flags read without the alert's evt.type: the events they hold for are said once, not in front of every flag.

const OPEN_NO_TYPE = JSON.stringify({
  hostname: 'node-1', output: '09:12:44.120553012: Warning File below /etc opened for writing (file=/etc/cron.d/x flags=O_WRONLY|O_CREAT|O_TRUNC|O_APPEND)',
  output_fields: { 'evt.arg.flags': 'O_WRONLY|O_CREAT|O_TRUNC|O_APPEND', 'fd.name': '/etc/cron.d/x', 'proc.name': 'tee', 'user.loginuid': -1 },
  priority: 'Warning', rule: 'Write below etc', source: 'syscall', tags: [], time: '2025-05-07T09:12:44.120553012Z',
});

test('a hover on flags without evt.type says the events once, then what each flag means', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const h = hoverAt(s, OPEN_NO_TYPE, '"O_WRONLY|O_CREAT|O_TRUNC|O_APPEND"', 2, 'flags.json');
  assert.equal(count(h, 'If evt\\.type is'), 1, h);
  assert.ok(h.endsWith([
    'If evt\\.type is open, openat, openat2 or open\\_by\\_handle\\_at \\(other events\\\' flags are other sets\\):',
    '',
    '- `O_WRONLY`: The file was opened for writing only\\.',
    '- `O_CREAT`: The open call may create the file if it does not exist\\.',
    '- `O_TRUNC`: The open call empties an existing file\\.',
    '- `O_APPEND`: Writes go to the end of the file\\.',
  ].join('\n')), h);
  // With the event type, no condition at all.
  const typed = JSON.stringify({ ...JSON.parse(OPEN_NO_TYPE), output_fields: { ...JSON.parse(OPEN_NO_TYPE).output_fields, 'evt.type': 'openat' } });
  const h2 = hoverAt(s, typed, '"O_WRONLY|O_CREAT|O_TRUNC|O_APPEND"', 2, 'typed.json');
  assert.equal(count(h2, 'evt\\.type is'), 0, h2);
  assert.match(h2, /- `O_TRUNC`: The open call empties an existing file\\\./);
  // Meanings that hold whatever the event stay as they were (user.loginuid -1).
  assert.match(hoverAt(s, OPEN_NO_TYPE, '"user.loginuid":-1', '"user.loginuid":'.length, 'loginuid.json'), /^- `-1`: No login session/m);
});

test('the report nests the flags under the condition, said once', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report(OPEN_NO_TYPE, 'file:///logs/flags.json');
  assert.equal(count(report, 'If evt\\.type is'), 1, report);
  assert.ok(report.includes([
    '  - If evt\\.type is open, openat, openat2 or open\\_by\\_handle\\_at \\(other events\\\' flags are other sets\\):',
    '    - `O_WRONLY`: The file was opened for writing only\\.',
    '    - `O_CREAT`: The open call may create the file if it does not exist\\.',
  ].join('\n')), report);
});

// 2. A shell or a command runner as the parent: "process + parent" (and "executable path + parent") would silence the
// program whenever anyone types it at a shell or runs it through sudo, an attacker included. Only the shell's own
// command line, when it names a script by absolute path or a -c string, tells a case apart.

const READ = (fields: Record<string, unknown>, rule = 'Read sensitive file untrusted') => JSON.stringify({
  hostname: 'web-1', output: '10:20:30.123456789: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=cat',
  output_fields: { 'container.id': 'host', 'evt.time': 1746613230123456789, 'evt.type': 'openat', 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat', 'proc.cmdline': 'cat /etc/shadow', ...fields },
  priority: 'Warning', rule, source: 'syscall', tags: [], time: '2025-05-07T10:20:30.123456789Z',
});

function titlesOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): string[] {
  return actionsOf(s, text, name).map((a) => a.title);
}
function actionsOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}
const PARENT_PAIRS = /process( name)? \+ parent( \+ user|, any user)? \(|executable path \+ parent( \+ user|, any user)? \(|command line \+ parent/;

test('no process + parent, executable path + parent or command line + parent exception under a shell or sudo/su/doas', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  for (const pname of ['bash', 'sh', 'zsh', 'dash', 'ash', 'fish', 'ksh', 'mksh', 'tcsh', 'csh', 'busybox', 'sudo', 'su', 'doas']) {
    const titles = titlesOf(s, READ({ 'proc.pname': pname }), `${pname}.json`);
    assert.ok(!titles.some((t) => PARENT_PAIRS.test(t)), `${pname}:\n${titles.join('\n')}`);
    assert.ok(titles.some((t) => t.startsWith('Disable rule')), 'the last resort stays');
  }
  // Typed at a shell (or piped into one): its command line names no script.
  for (const pcmdline of ['bash', '-bash', 'bash -i', 'bash -l', 'sh -s', 'bash --norc', 'zsh -o vi', 'busybox sh']) {
    const titles = titlesOf(s, READ({ 'proc.pname': pcmdline.split(' ')[0].replace(/^-/, ''), 'proc.pcmdline': pcmdline }), `typed-${pcmdline}.json`);
    assert.ok(!titles.some((t) => PARENT_PAIRS.test(t) || t.includes('parent command line')), `${pcmdline}:\n${titles.join('\n')}`);
  }
  // A program that starts login sessions: the same program under it is every user's session.
  for (const pname of ['sshd', 'sshd-session', 'login', 'dropbear', 'tmux: server', 'screen']) {
    const titles = titlesOf(s, READ({ 'proc.pname': pname }), `session-${pname.replace(/\W/g, '')}.json`);
    assert.ok(!titles.some((t) => PARENT_PAIRS.test(t)), `${pname}:\n${titles.join('\n')}`);
  }
  // A parent that is a program of its own keeps the pair.
  assert.ok(titlesOf(s, READ({ 'proc.pname': 'backup-agent' }), 'agent.json').includes('Add exception for this executable path + process name + parent, any user (/usr/bin/cat, cat, backup-agent) to falco_rules.local.yaml (rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)'));
});

test('a shell running a script by absolute path or a -c string: the program and the shell\'s command line', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const cases: [string, string][] = [
    ['bash', 'bash /opt/backup/run.sh --full'],
    ['bash', 'bash -e -o pipefail /opt/backup/run.sh'],
    ['sh', 'sh -c cat /etc/shadow > /b/s.bak'],
    ['bash', 'bash -ec tar czf /backup/etc.tgz /etc'],
    ['busybox', 'busybox sh /usr/local/bin/healthcheck.sh'],
  ];
  for (const [i, [pname, pcmdline]] of cases.entries()) {
    const titles = titlesOf(s, READ({ 'proc.pname': pname, 'proc.pcmdline': pcmdline }), `script-${i}.json`);
    assert.ok(titles.includes(`Add exception for this executable path + process name + parent command line, any user (/usr/bin/cat, cat, ${pcmdline}) to falco_rules.local.yaml (rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)`), `${pcmdline}:\n${titles.join('\n')}`);
    assert.ok(!titles.some((t) => PARENT_PAIRS.test(t)), titles.join('\n'));
  }
  // The item written: proc.pcmdline compared as a whole.
  const add = actionsOf(s, READ({ 'proc.pname': 'bash', 'proc.pcmdline': 'bash /opt/backup/run.sh --full' }), 'script.json').find((a) => a.title.includes('parent command line'))!;
  const change = add.edit!.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  const text = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, ''), change.edits as { range: never; newText: string }[]);
  const [item] = parseDocument(text).toJSON();
  assert.deepEqual(item.exceptions, [{ name: 'falco_lens_proc_exepath_and_proc_name_and_proc_pcmdline', fields: ['proc.exepath', 'proc.name', 'proc.pcmdline'], comps: ['=', '=', '='], values: [['/usr/bin/cat', 'cat', 'bash /opt/backup/run.sh --full']] }]);
  // A script by a relative path would match a file of that name in any folder.
  const relative = titlesOf(s, READ({ 'proc.pname': 'bash', 'proc.pcmdline': 'bash run.sh' }), 'relative.json');
  assert.ok(!relative.some((t) => PARENT_PAIRS.test(t) || t.includes('parent command line')), relative.join('\n'));
  // Under a cron job's shell the command line + parent stays, and the shell's command line is offered too.
  const job = titlesOf(s, READ({ 'proc.pname': 'sh', 'proc.aname[2]': 'cron', 'proc.pcmdline': 'sh -c /usr/local/bin/rotate.sh' }), 'job.json');
  assert.ok(job.some((t) => t.startsWith('Add exception for this command line + parent, any user (cat /etc/shadow, sh)')), job.join('\n'));
  assert.ok(job.some((t) => t.startsWith('Add exception for this executable path + process name + parent command line, any user (/usr/bin/cat, cat, sh -c /usr/local/bin/rotate.sh)')), job.join('\n'));
});

test('the report says why no exception names the parent, for each kind of shell parent and for sudo', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  let n = 0;
  const report = (fields: Record<string, unknown>) => s.report(READ(fields), `file:///logs/r${n++}.json`);
  assert.match(report({ 'proc.pname': 'bash' }), /No exception is proposed: the parent `bash` is a shell and the alert does not say what it runs \(no `proc\.pcmdline`: add it to the rule's output to tell a script from commands typed in\), so an exception on this program and parent would also silence it when anyone types it at a shell, an attacker included\./);
  assert.match(report({ 'proc.pname': 'bash', 'proc.pcmdline': 'bash' }), /No exception is proposed: the parent `bash` runs commands typed or piped into it \(its command line is `bash`\), so an exception on this program and parent would also silence it when anyone types it at a shell, an attacker included\./);
  assert.match(report({ 'proc.pname': 'bash', 'proc.pcmdline': 'bash run.sh' }), /the parent `bash` runs a script by a relative path \(`bash run\.sh`\), which a file of that name in any folder would match/);
  assert.match(report({ 'proc.pname': 'sshd' }), /No exception is proposed: the parent `sshd` starts every login session \(each user's shell, or the command a remote user asks for\), so an exception on this program and parent would cover every session of every user, an intruder's included\./);
  assert.match(report({ 'proc.pname': 'sudo' }), /No exception is proposed: the parent `sudo` runs whatever command it is given, for anyone allowed to use it, so an exception on this program and parent would also silence it when anyone runs it that way, an attacker included\./);
  // With another exception proposed, the report still says why none names the parent.
  const script = report({ 'proc.pname': 'bash', 'proc.pcmdline': 'bash /opt/backup/run.sh', 'fd.name': '/etc/shadow' });
  assert.match(script, /An exception on this alert's values \(executable path \\\+ process name \\\+ parent command line, any user\), which silences every alert of this rule with the same values/);
  assert.match(script, /Why not on the program and its parent: the parent `bash` is a shell, so an exception on this program and parent would also silence it when anyone types it at a shell, an attacker included; its command line `bash \/opt\/backup\/run\.sh` names what it runs: pair the program with it \(`proc\.pcmdline`\) instead\./);
  const withFile = report({ 'proc.pname': 'sudo', 'fd.name': '/etc/shadow' });
  assert.match(withFile, /An exception on this alert's values \(file \\\+ executable path \\\+ process name, any user\)/);
  assert.match(withFile, /Why not on the program and its parent: the parent `sudo` runs whatever command it is given/);
});

test('playbook snippets leave a shell or sudo parent as a placeholder, with the reason', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  // PTRACE attached to process: its playbook's exception pairs proc.exepath (with proc.name, session 18) with proc.pname.
  const ptrace = (fields: Record<string, unknown>) => s.report(READ({ 'proc.exepath': '/usr/bin/gdb', 'proc.name': 'gdb', ...fields }, 'PTRACE attached to process'), `file:///logs/p-${JSON.stringify(fields)}.json`);
  const typed = ptrace({ 'proc.pname': 'bash', 'proc.pcmdline': 'bash' });
  assert.match(typed, /allow_known_tracer[\s\S]*\["\/usr\/bin\/gdb", "?gdb"?, <proc\.pname>\]/);
  assert.match(typed, /`proc\.pname` is left as a placeholder: the parent bash runs commands typed or piped into it/);
  assert.match(ptrace({ 'proc.pname': 'doas' }), /`proc\.pname` is left as a placeholder: the parent doas runs whatever command it is given/);
  // A parent of its own is filled in, as before.
  assert.match(ptrace({ 'proc.pname': 'ci-runner' }), /\["\/usr\/bin\/gdb", "?gdb"?, "ci-runner"\]/);
});

test('what a shell runs, read from its command line', () => {
  const kinds = (cmdline: string) => shellInvocation(cmdline).kind;
  assert.equal(kinds('bash'), 'input');
  assert.equal(kinds('bash -i'), 'input');
  assert.equal(kinds('bash --login'), 'input');
  assert.equal(kinds('sh -s arg'), 'input', '-s: commands from the input, the words after it are parameters');
  assert.equal(kinds('bash -c id'), 'command');
  assert.equal(kinds('dash -xc id'), 'command');
  assert.equal(kinds('fish --command id'), 'command');
  assert.equal(kinds('bash -o pipefail /opt/x.sh'), 'script', 'the value of -o is no script');
  assert.equal(kinds('bash --rcfile /etc/rc -i'), 'input');
  assert.equal(kinds('bash -- /opt/x.sh'), 'script');
  assert.equal(kinds('busybox ash /opt/x.sh'), 'script');
  assert.equal(kinds('bash x.sh'), 'relative script');
  assert.equal(kinds('bash ./x.sh'), 'relative script');
});

test('a hostile shell command line renders inert in the reasons of the report and of the playbook snippet', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  for (const pcmdline of ['bash [x](command:falcoLens.evil) <img src=x>', 'sh `$(id)` <b>x</b>', 'bash ``']) {
    for (const rule of ['Read sensitive file untrusted', 'PTRACE attached to process']) {
      const report = s.report(READ({ 'proc.pname': pcmdline.split(' ')[0], 'proc.pcmdline': pcmdline }, rule), `file:///logs/h-${rule}-${pcmdline.length}.json`);
      assert.match(report, /runs a script by a relative path/);
      assert.deepEqual(hostileProblems(report), [], report);
    }
  }
});
