// The client's contributions read as VS Code reads them (session 23's audit of the client against VS Code's extension
// guidelines): what the Command Palette offers in each state of the Alert Explorer, and how the settings describe
// themselves in the Settings editor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifest } from '../helpers/manifest';

interface MenuEntry { command: string; when?: string; group?: string }
interface Setting { type?: string | string[]; enum?: unknown[]; enumDescriptions?: string[]; description?: string; markdownDescription?: string; scope?: string }

const menus = manifest.contributes.menus as Record<string, MenuEntry[]>;
const settings = manifest.contributes.configuration.properties as Record<string, Setting>;

/**
 * Evaluates a when clause of the forms the manifest uses (`key`, `!key`, `key == value`, `a && b`, `a || b`, `true`,
 * `false`) over a set of context values: enough to ask what VS Code shows in a given state.
 */
function holds(when: string | undefined, context: Record<string, string | boolean>): boolean {
  if (when === undefined) return true;
  return when.split('||').some((any) => any.split('&&').every((term) => {
    const t = term.trim();
    if (t === 'true' || t === 'false') return t === 'true';
    const eq = /^(\S+)\s*==\s*(\S+)$/.exec(t);
    if (eq) return context[eq[1]] === eq[2];
    const not = t.startsWith('!');
    const value = !!context[not ? t.slice(1) : t];
    return not ? !value : value;
  }));
}

/** Every state of the Alert Explorer's context keys (extension's explorer/alertExplorer.ts updateContext). */
function* explorerStates(): Generator<Record<string, boolean>> {
  for (const open of [false, true]) for (const following of [false, true]) for (const dedupe of [false, true]) for (const filtered of [false, true]) {
    // Following and a filter need a log; folding is a setting of the view, on or off whether a log is open or not.
    if (!open && (following || filtered)) continue;
    yield { 'falcoLens.explorer.open': open, 'falcoLens.explorer.following': following, 'falcoLens.explorer.dedupe': dedupe, 'falcoLens.explorer.filtered': filtered };
  }
}

test('the Command Palette offers an Alert Explorer command exactly in the states where the view\'s title bar offers it', () => {
  const palette = new Map(menus.commandPalette.map((e) => [e.command, e.when]));
  for (const entry of menus['view/title']) {
    for (const state of explorerStates()) {
      const inView = holds(entry.when, { ...state, view: 'falcoLens.alertExplorer' });
      const inPalette = holds(palette.get(entry.command), state);
      assert.equal(inPalette, inView, `${entry.command} in ${JSON.stringify(state)}: palette ${inPalette}, view title ${inView}`);
    }
  }
});

test('a command that acts on a tree item is not in the Command Palette', () => {
  const palette = new Map(menus.commandPalette.map((e) => [e.command, e.when]));
  for (const entry of menus['view/item/context']) assert.equal(palette.get(entry.command), 'false', entry.command);
});

test('every contributed command has a category and a title in title case', () => {
  for (const c of manifest.contributes.commands as { command: string; title: string; category?: string }[]) {
    assert.equal(c.category, 'Falco', c.command);
    for (const word of c.title.split(/\s+/).filter((w) => !/^(in|for|the|of|a|an|to|by)$/.test(w))) assert.match(word, /^[A-Z\d]/, `${c.command}: "${word}" of "${c.title}"`);
  }
});

test('settings: a description naming another setting is Markdown and links it; every enum of words describes its values', () => {
  for (const [key, s] of Object.entries(settings)) {
    const text = s.markdownDescription ?? s.description ?? '';
    assert.ok(text.length > 0, `${key} is described`);
    const named = Object.keys(settings).filter((other) => other !== key && text.includes(other));
    for (const other of named) {
      assert.ok(s.markdownDescription !== undefined, `${key} names ${other}: a markdownDescription, so that the Settings editor links it`);
      assert.ok(text.includes(`#${other}#`), `${key} links ${other} as #${other}#`);
    }
    // Release numbers (falcoLens.falcoVersion) say what they are; words (off, messages, critical) need a sentence.
    if (s.enum && s.enum.some((v) => typeof v === 'string' && /^[a-z]/.test(v))) {
      assert.equal(s.enumDescriptions?.length, s.enum.length, `${key}: one enumDescription per value`);
    }
  }
  // A count is a whole number: the Settings editor refuses 2.5 for an integer.
  assert.equal(settings['falcoLens.alerts.maxProblems'].type, 'integer');
});

test('falcoLens.trace.server says that the output channel\'s log level turns tracing on', async () => {
  // vscode-languageclient 10 (client.js refreshTrace) traces only while the trace channel's log level is Trace, then
  // at the setting's level with 'off' read as 'messages'; its tracer writes at that level (traceOutputChannel.trace).
  const source = fs.readFileSync(path.join(process.cwd(), 'node_modules', 'vscode-languageclient', 'lib', 'common', 'client.js'), 'utf8');
  assert.match(source, /this\._traceLogLevel !== vscode_1\.LogLevel\.Trace \? vscode_languageserver_protocol_1\.Trace\.Off/, 'the language client still ties tracing to the log level');
  const trace = settings['falcoLens.trace.server'];
  assert.match(trace.markdownDescription ?? '', /log level is Trace/);
  assert.ok(!(trace.enumDescriptions ?? []).some((d) => /^Nothing is traced/.test(d)), '"off" does not promise silence');
});
