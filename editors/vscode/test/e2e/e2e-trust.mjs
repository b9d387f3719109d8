// Workspace trust, end to end in code-server with Workspace Trust enabled (run.sh starts a
// second code-server for this). Checks:
//   1. Choosing "don't trust" opens Restricted Mode; the extension still runs and validates
//      (the config.json typo gets its error squiggle), the server is told workspaceTrusted=false,
//      and no `chalice package` run starts.
//      The workspace's .vscode/settings.json asks for `source.chalice` code actions on save (not a
//      restricted setting): saving config.json must not package, which would import app.py (run.sh
//      makes app.py write E2E_MARKER when imported).
//   2. Trusting the folder (Workspace Trust editor) is passed on to the server, and background
//      packaging starts; completion in get_resource("") then lists the logical IDs.
// What the server and the extension did is read from the "Chalice LSP" output channel's log file
// (E2E_USER_DATA/logs/.../Chalice LSP.log), the same text a user sees in the Output panel.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editorSel, env, goTo, launchBrowser, locate, openFile, runCommand, say, screenshot, suggestLabels, waitFor } from './lib.mjs';

const url = env('E2E_URL');
const ws = env('E2E_WS');
const userData = env('E2E_USER_DATA');
const expectIds = env('E2E_EXPECT_IDS').split(',');
const marker = env('E2E_MARKER');
const completionTimeout = Number(env('E2E_COMPLETION_TIMEOUT_MS', '150000'));

/** The text of the extension's output channel log so far ('' before it exists). */
function outputLog() {
  const found = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (/Chalice LSP\.log$/.test(e.name)) {
        found.push(p);
      }
    }
  };
  walk(path.join(userData, 'logs'));
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

const packagingStarted = (log) => /packaging \S+ for stage/.test(log);

async function main() {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  try {
    await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    const no = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust/i }).first();
    await no.waitFor({ state: 'visible', timeout: 60000 });
    await screenshot(page, 'trust-prompt');
    await no.click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 30000 });
    say('Restricted Mode');

    // 1. Untrusted: validation works, packaging does not run.
    await openFile(page, ws, 'runtime/.chalice/config.json');
    await page.locator(`${editorSel} .squiggly-error`).first().waitFor({ state: 'attached', timeout: 60000 });
    say('error squiggle shown in Restricted Mode');
    const stack = 'infrastructure/stacks/chaliceapp.py';
    await openFile(page, ws, stack);
    let log = await waitFor('the server to report its settings', 30000, () => {
      const l = outputLog();
      return /automatic packaging (true|false)/.test(l) ? l : undefined;
    });
    if (!/workspace trusted: false/.test(log) || !/automatic packaging false/.test(log)) {
      throw new Error(`in Restricted Mode the server should start untrusted without automatic packaging; output:\n${log}`);
    }
    // Opening and saving files is what triggers packaging. The server decides on each
    // trigger at once and logs a refusal in an untrusted workspace (the extension turns
    // automatic packaging off there) instead of scheduling a
    // run: wait for that line (no fixed sleep), then no run may have started.
    await page.keyboard.press('Control+S');
    log = await waitFor('the server to decline packaging for the stack', 30000, () => {
      const l = outputLog();
      return /automatic packaging is off \([^)]*\): not packaging for \S*chaliceapp\.py/.test(l) ? l : undefined;
    });
    if (packagingStarted(log)) {
      throw new Error(`chalice package ran in an untrusted workspace; output:\n${log}`);
    }
    say('no packaging while untrusted');

    // The repository's code actions on save, in config.json: edit, save, and wait until the save
    // (whose participants run the code actions and their commands first) has finished.
    await openFile(page, ws, 'runtime/.chalice/config.json');
    await page.locator(`${editorSel} .view-lines`).first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    const dirtyTab = page.locator('.tabs-container .tab.active.dirty, .tabs-container .tab.dirty.active');
    await dirtyTab.waitFor({ state: 'attached', timeout: 15000 });
    await page.keyboard.press('Control+S');
    await dirtyTab.waitFor({ state: 'detached', timeout: 60000 });
    say('config.json saved with source.chalice code actions on save');
    log = outputLog();
    if (fs.existsSync(marker) || packagingStarted(log)) {
      throw new Error(`saving config.json in Restricted Mode ran the app's code (marker ${fs.existsSync(marker)}); output:\n${log}`);
    }
    say('the on-save code actions ran no app code in Restricted Mode');
    await screenshot(page, 'untrusted');

    // 2. Grant trust in the Workspace Trust editor.
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ }).first();
    await trust.waitFor({ state: 'visible', timeout: 30000 });
    await trust.click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'hidden', timeout: 30000 });
    say('workspace trusted');
    // VS Code 1.139 shows the Workspace Trust editor as a modal overlay: close it.
    const trustEditor = page.locator('.workspace-trust-editor').first();
    await waitFor('the Workspace Trust editor to close', 30000, async () => {
      if (!(await trustEditor.isVisible())) {
        return true;
      }
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
      if (await trustEditor.isVisible()) {
        await runCommand(page, 'View: Close Editor').catch(() => undefined);
      }
      return !(await trustEditor.isVisible());
    }, 1000);
    await waitFor('the extension to pass the trust grant on and packaging to start', 60000, () => {
      const l = outputLog();
      return /workspace trust granted/.test(l) && packagingStarted(l);
    });
    say('trust passed to the server; packaging started');

    await openFile(page, ws, stack);
    const at = locate(ws, stack, 'get_resource("")');
    await page.locator(`${editorSel} .view-lines`).first().click();
    await goTo(page, at.line, at.column + 'get_resource("'.length);
    let labels = [];
    await waitFor(`the suggest widget to list ${expectIds.join(', ')}`, completionTimeout, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Space');
      await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').first().waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
      labels = await suggestLabels(page);
      return expectIds.every((id) => labels.includes(id));
    }, 2000);
    say(`suggest widget after trust: ${labels.join(', ')}`);
    await screenshot(page, 'trusted-completion');
    say('PASS');
  } catch (err) {
    say(`FAIL: ${err instanceof Error ? err.message : String(err)}`);
    await screenshot(page, 'trust-failure').catch(() => undefined);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
