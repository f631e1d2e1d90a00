// A rules file that the configured paths load twice (the same path named again, or two paths of one file through a
// file link) is loaded twice as Falco loads it (definitions, appends and the rules-file-loaded-again finding), but
// it is one text for the user: references, workspace symbols and hovers name each place in it once, and asked from
// the path the editor has open, they name that document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { FileLinkHost, MemoryHost, rulesDoc } from './rules-host';

const BASE = '- list: shells\n  items: [bash]\n- macro: shell_proc\n  condition: proc.name in (shells)\n'
  + '- rule: Shell\n  desc: d\n  condition: evt.type = execve and shell_proc\n  output: "o | p=%proc.name"\n  priority: INFO\n';
const TEAM = '- list: shells\n  items: [zsh]\n  override:\n    items: append\n'
  + '- rule: Team shell\n  desc: d\n  condition: evt.type = execve and shell_proc\n  output: "t | p=%proc.name"\n  priority: INFO\n';
const TEAM_REAL = '/etc/falco/team_rules.yaml';
const TEAM_LINK = '/etc/falco/rules.d/team_rules.yaml';

const hoverText = (svc: ReturnType<typeof createRulesService>, doc: ReturnType<typeof rulesDoc>, line: number, character: number): string => {
  const contents = svc.hover?.(doc, { line, character })?.contents;
  return typeof contents === 'object' && contents !== null && 'value' in contents ? contents.value : '';
};
const positionIn = (text: string, needle: string, into = 2) => {
  const at = text.indexOf(needle) + into;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};

test('one path listed twice: the hover names each place once, loaded twice (it said "redefined" at the same line)', () => {
  const host = new MemoryHost({ '/ws/falco_rules.yaml': BASE }, { folders: [], ruleFiles: ['/ws/falco_rules.yaml', '/ws/falco_rules.yaml'] });
  const svc = createRulesService(host);
  const doc = rulesDoc('/ws/falco_rules.yaml', BASE);
  svc.didOpenOrChange?.(doc);
  const macro = hoverText(svc, doc, 2, 10);
  assert.equal(macro.match(/falco\\_rules\\\.yaml\\:3/g)?.length, 1, macro);
  assert.match(macro, /- defined in \[falco\\_rules\\\.yaml\\:3\]\([^)]*\) \(configured rules file, loaded twice\)/);
  assert.doesNotMatch(macro, /redefined/);
  // Nothing changed the macro: its condition is not "after overrides and appends".
  assert.match(macro, /\n\nCondition:/);
  // Falco's loading is kept: the second load redefines the rule (loader contributions), and the file says so.
  assert.deepEqual(new RulesWorkspaceIndex(host).load().final.rules.get('Shell')?.contributions.map((c) => c.mode), ['define', 'redefine']);
  assert.equal(svc.diagnostics(doc).filter((d) => d.code === 'rules-file-loaded-again').length, 1);
});

/** falco_rules.yaml, then the team file by its own path and again through a link in rules.d (both configured). */
function linked(folders: string[] = []) {
  const host = new FileLinkHost({ '/etc/falco/falco_rules.yaml': BASE, [TEAM_REAL]: TEAM }, { [TEAM_LINK]: TEAM_REAL },
    { folders, ruleFiles: ['/etc/falco/falco_rules.yaml', TEAM_REAL, '/etc/falco/rules.d'] });
  return { host, svc: createRulesService(host) };
}

test('two configured paths of one file (a link in rules.d): loaded twice, as Falco does, and said in the file', () => {
  const { host, svc } = linked();
  const load = new RulesWorkspaceIndex(host).load();
  assert.deepEqual(load.files.map((f) => f.path), ['/etc/falco/falco_rules.yaml', TEAM_REAL, TEAM_LINK]);
  assert.deepEqual(load.final.lists.get('shells')?.items, ['bash', 'zsh', 'zsh']);
  for (const path of [TEAM_REAL, TEAM_LINK]) {
    const doc = rulesDoc(path, TEAM);
    svc.didOpenOrChange?.(doc);
    const found = svc.diagnostics(doc).filter((d) => d.code === 'rules-file-loaded-again');
    assert.equal(found.length, 1, path);
    assert.match(String(found[0].message), /'\/etc\/falco\/team_rules\.yaml' names it, and '\/etc\/falco\/rules\.d' again, as '\/etc\/falco\/rules\.d\/team_rules\.yaml', another path of the same file/);
    svc.didClose?.(doc.uri);
  }
});

test('two configured paths of one file: references, symbols and hovers list each place once (they listed it per path)', () => {
  const { svc } = linked();
  const doc = rulesDoc(TEAM_REAL, TEAM);
  svc.didOpenOrChange?.(doc);
  const at = positionIn(TEAM, 'and shell_proc', 6);
  assert.deepEqual(svc.references?.(doc, at, true)?.map((l) => `${l.uri}:${l.range.start.line}`),
    [`${pathToUri('/etc/falco/falco_rules.yaml')}:2`, `${pathToUri('/etc/falco/falco_rules.yaml')}:6`, `${pathToUri(TEAM_REAL)}:6`]);
  assert.equal(svc.workspaceSymbols?.('Team shell').length, 1);
  const list = hoverText(svc, doc, 0, 9);
  assert.equal(list.match(/team\\_rules\\\.yaml\\:1/g)?.length, 1, list);
  assert.match(list, /overridden \(`items: append`\) in \[team\\_rules\\\.yaml\\:1\]\(file:\/\/\/etc\/falco\/team_rules\.yaml#L1\) \(configured rules file, loaded twice\)/);
  // What Falco loads is unchanged: the append is applied twice.
  assert.match(list, /3 items after overrides and appends/);
});

test('asked from the link the editor has open: highlights, references and rename name that document', () => {
  // /etc/falco a workspace folder: its files can be renamed in.
  const { svc } = linked(['/etc/falco']);
  const doc = rulesDoc(TEAM_LINK, TEAM);
  svc.didOpenOrChange?.(doc);
  const at = positionIn(TEAM, 'and shell_proc', 6);
  assert.equal(svc.documentHighlights?.(doc, at)?.length, 1);
  assert.deepEqual(svc.references?.(doc, at, false)?.map((l) => l.uri), [pathToUri('/etc/falco/falco_rules.yaml'), pathToUri(TEAM_LINK)]);
  const rule = positionIn(TEAM, 'Team shell', 3);
  assert.ok(svc.prepareRename?.(doc, rule));
  const edit = svc.rename?.(doc, rule, 'Team shells');
  const uris = [...Object.keys(edit?.changes ?? {}), ...(edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.uri : ''))];
  assert.deepEqual(uris, [pathToUri(TEAM_LINK)]);
});
