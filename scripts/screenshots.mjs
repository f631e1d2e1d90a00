// `npm run screenshots`: captures the README screenshots (media/screenshots/*.png, 1400×900) from the extension
// running in browser VS Code (VS Code server from code-server, the editor test tier's e2e/vscodeServer.mjs) in
// Debian's chromium through playwright-core. The examples/ workspace is copied to a scratch folder first, so nothing
// in the repository changes but the PNGs. The UI is driven with keyboard shortcuts and the command palette, and every
// step waits on the DOM element it produces.
//
// Arguments select shots by name (`npm run screenshots -- quick-fix report`); SCREENSHOTS_KEEP=1 keeps the scratch
// folder (server log, screenshots of failed shots) and SCREENSHOTS_DEBUG=1 logs each command, for debugging.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { e2eDir, ensureInstalled, freePort, startVSCodeServer, workbenchUrl } from '../e2e/vscodeServer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'media', 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1400, height: 900 };
const STEP_TIMEOUT_MS = 60_000;
const MAX_BYTES = 300 * 1024;
const fail = (message) => { console.error(`screenshots: ${message}`); process.exit(1); };

const scratch = mkdtempSync(join(process.env.E2E_SCRATCH ?? tmpdir(), 'falco-lens-shots-'));
const dirs = Object.fromEntries(['home', 'tmp', 'user-data', 'server-data', 'extensions', 'browser'].map((d) => [d, join(scratch, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });

// The examples use macros of Falco's official rules: load them from the shared corpus when it is next to the project.
const official = resolve(root, '..', 'shared', 'corpus', 'rules', 'falcosecurity__rules', 'falco_rules.yaml');
const settings = {
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 100,
  // A blinking cursor is drawn in some shots and not in others, by when the picture is taken.
  'editor.cursorBlinking': 'solid',
  'markdown.preview.fontSize': 13,
  'telemetry.telemetryLevel': 'off',
};
// falcoLens.rules.files is machine-overridable: a remote window (the browser's, on code-server) takes it from the
// remote machine's settings, not from the user's, once the extension's settings are registered. Written among the
// user settings, it held in most windows and was null in some (the official macros undefined, the alerts'
// rules unidentified, with no later change), as the registration and the window's first configuration raced.
const machineSettings = {};
if (existsSync(official)) machineSettings['falcoLens.rules.files'] = [official];
else console.warn(`screenshots: ${official} is absent; the rules file's official macros will show as undefined`);
for (const [folder, values] of [['User', settings], ['Machine', machineSettings]]) {
  mkdirSync(join(dirs['user-data'], folder), { recursive: true });
  writeFileSync(join(dirs['user-data'], folder, 'settings.json'), JSON.stringify(values, null, 2));
}

// Each shot opens its own copy of examples/ (named like the original, so the window title reads "examples") in a
// fresh window: no editor or panel state carries over from one shot to the next.
let workspace = '';
function freshWorkspace(shot) {
  workspace = join(scratch, 'workspaces', shot, 'examples');
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  return workspace;
}

try { ensureInstalled(dirs.tmp); } catch (e) { fail(e.message); }
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} not found (apt-get install -y chromium)`);
if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0) fail('build failed');

const port = await freePort();
let server;
try { server = await startVSCodeServer({ port, dirs }); } catch (e) { fail(e.message); }
process.on('exit', () => server.stop());

const require = createRequire(join(e2eDir, 'package.json'));
const { chromium } = require('playwright-core');
const context = await chromium.launchPersistentContext(dirs.browser, {
  executablePath: CHROMIUM, headless: true, viewport: VIEWPORT, deviceScaleFactor: 1,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let page = context.pages()[0] ?? await context.newPage();

/** A new window on a fresh copy of the examples, ready once the status bar shows. */
async function openWindow(shot) {
  const previous = page;
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  await previous.close().catch(() => undefined);
  await page.goto(workbenchUrl({ port, folder: freshWorkspace(shot), extensionPath: root }));
  await visible('.monaco-workbench .part.editor');
  await visible('.statusbar');
}

// ---------------------------------------------------------------------------------------------------------------
// Driving the workbench

const visible = (selector) => page.locator(selector).first().waitFor({ state: 'visible' });
const hidden = (selector) => page.locator(selector).first().waitFor({ state: 'hidden' });
const QUICK_INPUT = '.quick-input-widget';
const quickRow = (text) => page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: text }).first();

/** F1, the command's title, Enter on the matching entry. */
async function runCommand(title) {
  if (process.env.SCREENSHOTS_DEBUG) console.error(`  ${new Date().toISOString()} command: ${title}`);
  await page.keyboard.press('F1');
  await visible(`${QUICK_INPUT} input`);
  await page.keyboard.type(title);
  await quickRow(title).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await hidden(QUICK_INPUT);
}

/** Quick Open (Ctrl+P) on a workspace file; resolves when its tab is the active one. */
async function openFile(name) {
  await page.keyboard.press('Control+P');
  await visible(`${QUICK_INPUT} input`);
  await page.keyboard.type(name);
  await quickRow(name).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await hidden(QUICK_INPUT);
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ state: 'visible' });
  await visible('.editor-group-container.active .monaco-editor .view-lines');
}

/** Go to Line/Column (Ctrl+G) with 1-based numbers. */
async function goTo(line, column) {
  await page.keyboard.press('Control+G');
  await visible(`${QUICK_INPUT} input`);
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await hidden(QUICK_INPUT);
}

/** 1-based line and column of the first occurrence of `needle` in a workspace file (plus `offset` characters). */
function positionOf(file, needle, offset = 0) {
  const lines = readFileSync(join(workspace, file), 'utf8').split(/\r?\n/);
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${needle} not found in ${file}`);
  return { line: line + 1, column: lines[line].indexOf(needle) + 1 + offset };
}

/**
 * Resolves once the language server has published the active editor's diagnostics. The server starts when the
 * extension activates, often after the file opens, and VS Code gets its hover and code action providers only once the
 * server has answered `initialize`: a hover or light bulb asked for before goes to no provider, shows nothing and is
 * never asked again (a one-off Show Hover then waited its whole minute for a hover that could not come). The client
 * registers the providers before it sends the open documents, so diagnostics on the page mean the providers are there;
 * and the server read the rules files of the settings (initializationOptions) before it answered anything, so every
 * answer from then on identifies the alerts.
 */
async function serverAnswered() {
  await visible(['error', 'warning', 'info', 'hint'].map((s) => `.editor-group-container.active .monaco-editor .squiggly-${s}`).join(', '));
}

/** In falco.log (whose Critical alert is an error): a hover on the first alert that names its rule. */
async function hoverNamingTheRule() {
  await serverAnswered();
  const at = positionOf('falco.log', 'user_loginuid=-1', 'user_loginuid='.length);
  await goTo(at.line, at.column);
  await runCommand('Show or Focus Hover');
  await page.locator('.monaco-hover .hover-contents', { hasText: 'Read sensitive file untrusted' }).first().waitFor({ state: 'visible' });
}

/** Opens the light bulb's menu on the alert under the cursor (the server is running: serverAnswered) and waits for its
 *  tuning fixes. The menu lists every action on the alert (Quick Fix... would list only the quickfix kind). */
async function openTuningFixes() {
  await page.locator('.monaco-editor [class*="codicon-gutter-lightbulb"]:visible, .monaco-editor .lightBulbWidget:visible').first().click();
  await page.locator('.action-widget .monaco-list-row', { hasText: 'Add exception' }).first().waitFor({ state: 'visible' });
}

async function capture(name) {
  // Let the fade-in animations end (a hover fades in over 100 ms: two animation frames caught it half drawn over the
  // text below) and the last layout settle (two animation frames), then write the PNG. Endless animations (a
  // progress bar) are not waited for.
  await page.evaluate(async () => {
    const ending = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(ending.map((a) => a.finished.catch(() => undefined)));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  let size = statSync(file).size;
  if (size > MAX_BYTES) {
    // Too big for the README: reduce to a 256-colour palette (ImageMagick), which keeps UI text sharp.
    spawnSync('convert', [file, '-colors', '256', `PNG8:${file}`], { stdio: 'inherit' });
    size = statSync(file).size;
  }
  console.log(`screenshots: ${name}.png (${Math.round(size / 1024)} KB)`);
  if (size > MAX_BYTES) throw new Error(`${name}.png is ${size} bytes, over ${MAX_BYTES}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The shots

const shots = {
  async 'alert-hover'() {
    await openFile('falco.log');
    await hoverNamingTheRule();
    await capture('alert-hover');
  },

  async 'rules-diagnostics'() {
    await openFile('falco_rules.local.yaml');
    await visible('.monaco-editor .squiggly-error');
    await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await visible('.markers-panel .monaco-list-row');
    // The priority typo is the error the shot is about: put the cursor on it.
    const at = positionOf('falco_rules.local.yaml', 'WARNNG');
    await runCommand('View: Focus Active Editor Group');
    await goTo(at.line, at.column);
    await capture('rules-diagnostics');
  },

  async 'helm-values'() {
    await openFile('values.yaml');
    await visible('.monaco-editor .squiggly-warning');
    await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await visible('.markers-panel .monaco-list-row');
    // The key Falco would skip is what the shot is about: put the cursor on it and open its fix.
    const at = positionOf('helm/values.yaml', 'ci-exceptions');
    await runCommand('View: Focus Active Editor Group');
    await goTo(at.line, at.column);
    await runCommand('Quick Fix...');
    await visible('.action-widget .monaco-list-row');
    await capture('helm-values');
  },

  async 'quick-fix'() {
    await openFile('falco.log');
    // The tuning fixes need the alert's rule: once a hover names it, put the cursor on the alert.
    await hoverNamingTheRule();
    await goTo(1, 1);
    const at = positionOf('falco.log', ': Warning Sensitive file opened', 2);
    await goTo(at.line, at.column);
    await openTuningFixes();
    await capture('quick-fix');
  },

  async 'alert-explorer'() {
    await openFile('falco_events.json');
    await runCommand('Falco: Open in Alert Explorer');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Alert Explorer/i }) }).first();
    const rows = view.locator('.monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    // Expand every group (they open collapsed): a click on each collapsed twistie, waiting for the tree to grow.
    const COLLAPSED = '.monaco-tl-twistie.collapsible.collapsed';
    for (let guard = 0; guard < 20; guard++) {
      const n = await view.locator(COLLAPSED).count();
      if (n === 0) break;
      const before = await rows.count();
      await view.locator(COLLAPSED).first().click();
      const grew = await page.waitForFunction(({ before, n, COLLAPSED }) => {
        const pane = [...document.querySelectorAll('.pane')].find((p) => /Alert Explorer/i.test(p.querySelector('.pane-header')?.textContent ?? ''));
        return !!pane && (pane.querySelectorAll('.monaco-list-row').length > before || pane.querySelectorAll(COLLAPSED).length < n);
      }, { before, n, COLLAPSED }, { timeout: 10_000 }).then(() => true, () => false);
      if (!grew) break; // the list is full: the rest would be below the fold anyway
    }
    await capture('alert-explorer');
  },

  async report() {
    await openFile('falco.log');
    // The report names the rules the server identified with the official rules.
    await hoverNamingTheRule();
    await goTo(1, 1);
    const at = positionOf('falco.log', ': Warning Sensitive file opened', 2);
    await goTo(at.line, at.column);
    await openTuningFixes();
    await page.keyboard.press('Escape');
    await hidden('.action-widget');
    await goTo(1, 1);
    await runCommand('Falco: Generate Incident Report');
    // The Markdown preview is a webview (an iframe holding the content frame): wait for the report's heading.
    await page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('h1, h2').first().waitFor({ state: 'visible' });
    await capture('report');
  },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = wanted.length > 0 ? wanted : Object.keys(shots);
for (const name of selected) if (!shots[name]) fail(`unknown shot ${name}; known: ${Object.keys(shots).join(', ')}`);

mkdirSync(outDir, { recursive: true });
let failed = 0;
try {
  for (const name of selected) {
    try {
      await openWindow(name);
      await shots[name]();
    } catch (e) {
      failed++;
      console.error(`screenshots: ${name} failed: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
      await page.screenshot({ path: join(scratch, `${name}-failed.png`) }).catch(() => undefined);
    }
  }
} finally {
  await context.close().catch(() => undefined);
  server.stop();
  writeFileSync(join(scratch, 'server.log'), server.log);
  if (failed === 0 && !process.env.SCREENSHOTS_KEEP) rmSync(scratch, { recursive: true, force: true });
  else console.error(`screenshots: scratch folder kept: ${scratch}`);
}
process.exit(failed === 0 ? 0 : 1);
