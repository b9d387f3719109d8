// config.json's structural features in real VS Code (code-server), served by chalice-lsp because
// the extension gives config.json its own language id ("chalice-config") and VS Code's JSON
// features no longer apply: Format Document (keepLines semantics), the Outline view, breadcrumbs,
// and folding a `stages` object. Started by run.sh after the main scenario, in the same
// code-server, with the same environment (E2E_URL, E2E_WS, E2E_ARTIFACTS, PLAYWRIGHT_CORE,
// CHROMIUM). Exits 0 when every check passes, 1 otherwise (with a screenshot of the failure).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editorSel, env, goTo, launchBrowser, locate, openFile, runCommand, say, screenshot, waitFor } from './lib.mjs';

const url = env('E2E_URL');
const ws = env('E2E_WS');
const artifacts = env('E2E_ARTIFACTS');
const cfg = 'runtime/.chalice/config.json';

// Unindented, with a blank line the formatter must keep (VS Code's keepLines).
const messy = '{\n"version": "2.0",\n"app_name": "editors-demo",\n\n"stages": {\n"dev": {\n"api_gateway_stage": "api",\n"lambda_memory_size":   256\n},\n"prod": {"lambda_memory_size": 1024}\n}\n}\n';
// What VS Code's JSON formatter (vscode-json-languageservice, keepLines) makes of it with the
// editor defaults (4 spaces).
const formatted = '{\n    "version": "2.0",\n    "app_name": "editors-demo",\n\n    "stages": {\n        "dev": {\n            "api_gateway_stage": "api",\n            "lambda_memory_size": 256\n        },\n        "prod": { "lambda_memory_size": 1024 }\n    }\n}\n';

// Folds the `stages` object (cursor on its line, editor.fold) and checks its members are hidden.
async function foldStages(page, when) {
  const st = locate(ws, cfg, '"stages"');
  await goTo(page, st.line, st.column + 2);
  await waitFor(`the stages object to fold (${when})`, 15000, async () => {
    // Read the state first and press only while nothing is folded: the folding ranges may
    // not have arrived at the first press, and a second press on an already folded
    // `stages` would fold the enclosing object instead.
    const text = (await page.locator(`${editorSel} .view-lines`).first().textContent()) ?? '';
    const collapsed = await page.locator(`${editorSel} .codicon-folding-collapsed`).count();
    if (collapsed > 0 && text.includes('stages') && !text.includes('api_gateway_stage')) {
      return true;
    }
    if (collapsed > 0) {
      // Something else got folded (the enclosing object): unfold all, back to `stages`.
      await runCommand(page, 'Unfold All');
      await goTo(page, st.line, st.column + 2);
      return false;
    }
    await page.keyboard.press('Control+Shift+BracketLeft');
    return false;
  });
  say(`stages folded (${when})`);
  await screenshot(page, `structure-folded-stages-${when}`);
}

async function main() {
  fs.writeFileSync(path.join(ws, cfg), messy);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on('pageerror', (err) => say(`page error: ${err.message}`));
  try {
    await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    await page.locator('.statusbar-item', { hasText: 'Chalice' }).first().waitFor({ state: 'visible', timeout: 60000 });
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, ws, cfg);
    const lang = page.locator('.statusbar-item[id="status.editor.mode"]');
    await waitFor('the language mode "Chalice Config"', 15000, async () => ((await lang.textContent()) ?? '').includes('Chalice Config'));

    // 0. Fold `stages` while nothing is indented: indentation-based folding has no region here,
    //    so the fold can only come from the server's folding ranges.
    await foldStages(page, 'unindented');
    await page.keyboard.press('Control+Shift+BracketRight'); // unfold again

    // 1. Format Document, then save: the file on disk is what VS Code's JSON formatter gives.
    await page.locator(`${editorSel} .view-lines`).first().click();
    await waitFor('Format Document to reformat config.json', 60000, async () => {
      await runCommand(page, 'Format Document');
      await page.keyboard.press('Control+S');
      await page.waitForTimeout(500);
      return fs.readFileSync(path.join(ws, cfg), 'utf8') === formatted;
    }, 1000);
    say('Format Document: config.json formatted (blank line kept, values untouched)');
    await screenshot(page, 'structure-formatted');

    // 2. Breadcrumbs follow the cursor through the JSON structure.
    const at = locate(ws, cfg, '"api_gateway_stage"');
    await goTo(page, at.line, at.column + 2);
    let crumbs = '';
    await waitFor('breadcrumbs stages > dev > api_gateway_stage', 30000, async () => {
      crumbs = ((await page.locator('.breadcrumbs-control').first().innerText()) ?? '').replace(/\s+/g, ' ');
      return /stages\W+dev\W+api_gateway_stage/.test(crumbs);
    }).catch((err) => { throw new Error(`${err.message}; breadcrumbs read "${crumbs}"`); });
    say(`breadcrumbs: ${crumbs}`);
    await screenshot(page, 'structure-breadcrumbs');

    // 3. The Outline view lists the members, nested, with the stages.
    await runCommand(page, 'Explorer: Focus on Outline View');
    const outline = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /outline/i }) });
    // (The list is virtualized: only the rows that fit in the pane are in the DOM.)
    const rows = await waitFor('the Outline view to list version, app_name, stages and dev (with its detail "stage")', 30000, async () => {
      const texts = (await outline.locator('.monaco-list-row').allTextContents()).map((t) => t.trim());
      return ['version', 'app_name', 'stages', 'devstage'].every((w) => texts.some((t) => t.replace(/\s+/g, '').startsWith(w))) ? texts : undefined;
    });
    say(`outline: ${rows.join(' | ')}`);
    await screenshot(page, 'structure-outline');

    // 4. Fold the stages object: its members disappear from the editor, the closing bracket stays.
    await foldStages(page, 'formatted');

    fs.writeFileSync(path.join(artifacts, 'result-structure.json'), JSON.stringify({ ok: true, crumbs, outline: rows }, null, 2));
    say('PASS (structure)');
  } catch (err) {
    say(`FAIL: ${err instanceof Error ? err.message : String(err)}`);
    await screenshot(page, 'structure-failure').catch(() => undefined);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
