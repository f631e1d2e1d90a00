// The workspace walk follows links to folders but walks each folder once by its real path (host.realPath): a link
// back to a parent (`a/loop -> /ws`) listed every rules file again under each longer path, up to the walk's depth,
// and each copy was loaded (an appended list took the items once per copy; references named every copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, rulesDoc, summarize } from './rules-host';

/** A memory host where /ws/a/loop is a link to /ws, as `ln -s .. /ws/a/loop` makes on disk. */
class LoopHost extends MemoryHost {
  constructor(files: Record<string, string>, readonly knowsRealPaths: boolean) { super(files, { folders: ['/ws'] }); }
  private resolve(p: string): string {
    let q = p;
    while (q === '/ws/a/loop' || q.startsWith('/ws/a/loop/')) q = `/ws${q.slice('/ws/a/loop'.length)}`;
    return q;
  }
  override readFile(p: string): string | undefined { return super.readFile(this.resolve(p)); }
  override readDirectory(p: string): string[] | undefined {
    const names = super.readDirectory(this.resolve(p));
    return this.resolve(p) === '/ws/a' && names ? [...names, 'loop'] : names;
  }
  override isDirectory(p: string): boolean { return super.isDirectory(this.resolve(p)); }
  override realPath(p: string): string | undefined { return this.knowsRealPaths ? this.resolve(p) : undefined; }
}

const BASE = '- list: shells\n  items: [bash]\n- macro: shell_proc\n  condition: proc.name in (shells)\n'
  + '- rule: Shell\n  desc: d\n  condition: evt.type = execve and shell_proc\n  output: "o | p=%proc.name"\n  priority: INFO\n';
const LOCAL = '- list: shells\n  items: [zsh]\n  override:\n    items: append\n';
const FILES = { '/ws/a/falco_rules.yaml': BASE, '/ws/b/falco_rules.local.yaml': LOCAL };

test('a link loop in a workspace folder lists and loads each rules file once, under the path met first', () => {
  const host = new LoopHost(FILES, true);
  assert.deepEqual(new RulesWorkspaceIndex(host).files().map((f) => f.path), ['/ws/a/falco_rules.yaml', '/ws/b/falco_rules.local.yaml']);
  const svc = createRulesService(host);
  const doc = rulesDoc('/ws/a/falco_rules.yaml', BASE);
  svc.didOpenOrChange?.(doc);
  assert.deepEqual(svc.diagnostics(doc).map(summarize), []);
  // The list's definitions and its use: the base file and the local file once each.
  const at = { line: 3, character: BASE.split('\n')[3].indexOf('shells') + 2 };
  const refs = svc.references?.(doc, at, true) ?? [];
  assert.deepEqual(refs.map((r) => r.uri).sort(), [pathToUri('/ws/a/falco_rules.yaml'), pathToUri('/ws/a/falco_rules.yaml'), pathToUri('/ws/b/falco_rules.local.yaml')]);
  // Other YAML files listed by the same walk: once each too.
  const yamlHost = new LoopHost({ ...FILES, '/ws/a/values.yaml': 'customRules: {}\n' }, true);
  assert.deepEqual(new RulesWorkspaceIndex(yamlHost).otherYamlFiles(), ['/ws/a/values.yaml']);
});

test('a host that cannot tell real paths is walked as before: the depth limit still ends a loop', () => {
  const paths = new RulesWorkspaceIndex(new LoopHost(FILES, false)).files().map((f) => f.path);
  assert.ok(paths.length > 2 && paths.length < 40, `listed ${paths.length} times, bounded by the depth limit`);
  assert.ok(paths.every((p) => p !== undefined && (p.endsWith('/falco_rules.yaml') || p.endsWith('/falco_rules.local.yaml'))));
});
