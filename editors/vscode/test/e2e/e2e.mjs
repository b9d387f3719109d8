// Drives a running code-server (real VS Code) with Debian's Chromium through playwright-core and
// checks what a user sees. Started by editors/vscode/test/e2e/run.sh, which passes:
//   E2E_URL        code-server address (http://127.0.0.1:PORT)
//   E2E_WS         workspace folder (a scratch copy of testdata/editors/cdkapp)
//   E2E_ARTIFACTS  folder for screenshots
//   E2E_EXPECT_IDS comma-separated logical IDs the suggest widget must show
//   PLAYWRIGHT_CORE  path of the playwright-core package
//   CHROMIUM       browser binary (default /usr/bin/chromium)
//   E2E_COMPLETION_TIMEOUT_MS  how long to wait for packaging-backed completion (default 150000)
// Exits 0 when every check passes, 1 otherwise (with a screenshot of the failure).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editorSel, env, goTo, launchBrowser, locate, openFile, runCommand, say, screenshot, suggestLabels, waitFor } from './lib.mjs';

const url = env('E2E_URL');
const ws = env('E2E_WS');
const artifacts = env('E2E_ARTIFACTS');
const expectIds = env('E2E_EXPECT_IDS').split(',');
const completionTimeout = Number(env('E2E_COMPLETION_TIMEOUT_MS', '150000'));

async function main() {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on('pageerror', (err) => say(`page error: ${err.message}`));
  try {
    await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    say('workbench loaded');
    // The extension's status bar item appears once it is activated (workspaceContains cdk.json).
    const status = page.locator('.statusbar-item', { hasText: 'Chalice' }).first();
    await status.waitFor({ state: 'visible', timeout: 60000 });
    say(`status bar: ${(await status.textContent())?.trim()}`);

    // 1. config.json with a typo: error squiggle, Problems count, message in the Problems panel.
    const cfg = 'runtime/.chalice/config.json';
    await openFile(page, ws, cfg);
    const lang = page.locator('.statusbar-item[id="status.editor.mode"]');
    await waitFor('the language mode "Chalice Config"', 15000, async () => ((await lang.textContent()) ?? '').includes('Chalice Config'));
    say('config.json opened as Chalice Config');
    await page.locator(`${editorSel} .squiggly-error`).first().waitFor({ state: 'attached', timeout: 60000 });
    say('error squiggle shown');
    const problems = page.locator('.statusbar-item[id="status.problems"]');
    const problemsLabel = await waitFor('a non-zero error count in the status bar', 30000, async () => {
      const label = (await problems.getAttribute('aria-label')) ?? (await problems.textContent()) ?? '';
      const m = /(\d+)\s*error/i.exec(label) ?? /Errors?:\s*(\d+)/i.exec(label);
      return m && Number(m[1]) > 0 ? label : undefined;
    });
    say(`problems status: ${problemsLabel}`);
    await screenshot(page, 'config-diagnostics');
    await runCommand(page, 'View: Focus Problems');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'lambda_memroy_size' }).first();
    await row.waitFor({ state: 'visible', timeout: 30000 });
    say(`Problems panel: ${(await row.textContent())?.trim()}`);
    // Exactly one owner: no second diagnostic for the typo from VS Code's JSON support.
    const typoRows = await page.locator('.markers-panel .monaco-list-row', { hasText: 'lambda_memroy_size' }).count();
    if (typoRows !== 1) {
      throw new Error(`expected one Problems entry for the typo, found ${typoRows} (duplicate diagnostics?)`);
    }
    const badge = page.locator('.panel .composite-bar .badge .badge-content').first();
    say(`Problems badge: ${(await badge.textContent().catch(() => ''))?.trim()}`);
    await screenshot(page, 'problems-panel');
    await runCommand(page, 'View: Hide Panel');

    // 1b. Key completion as a user types it (issue #11 D1, D5): on a new line before an existing
    //     member, `"` auto-closes to `""`; typing `lam` inside and accepting lambda_timeout from
    //     the suggest widget must leave valid JSON, and keys already there are not offered.
    await openFile(page, ws, cfg);
    const dev = locate(ws, cfg, '"dev": {');
    await page.locator(`${editorSel} .view-lines`).first().click();
    await goTo(page, dev.line, dev.column + '"dev": {'.length);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"lam');
    let keyLabels = [];
    await waitFor('the suggest widget to list lambda_timeout', 30000, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Space');
      await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => undefined);
      keyLabels = await suggestLabels(page);
      return keyLabels.includes('lambda_timeout');
    }, 1000);
    say(`key suggestions for "lam": ${keyLabels.join(', ')}`);
    if (keyLabels.includes('api_gateway_stage')) {
      throw new Error(`the suggest widget offers api_gateway_stage, which the stage already has: ${keyLabels.join(', ')}`);
    }
    await page.keyboard.type('bda_ti');
    await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row', { hasText: 'lambda_timeout' }).first().waitFor({ state: 'visible', timeout: 10000 });
    await page.keyboard.press('Enter');
    await page.locator('.editor-widget.suggest-widget.visible').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);
    await page.keyboard.press('Control+S');
    const accepted = await waitFor('config.json saved with lambda_timeout', 15000, async () => {
      const text = fs.readFileSync(path.join(ws, cfg), 'utf8');
      return text.includes('"lambda_timeout"') ? text : undefined;
    });
    try {
      const parsed = JSON.parse(accepted);
      if (parsed.stages.dev.lambda_timeout === undefined || accepted.split('"lambda_timeout"').length !== 2) {
        throw new Error('lambda_timeout is missing or duplicated');
      }
    } catch (e) {
      throw new Error(`accepting lambda_timeout left config.json broken (${e.message}):\n${accepted}`);
    }
    say(`accepted: ${accepted.split('\n').find((l) => l.includes('lambda_timeout')).trim()}`);
    await screenshot(page, 'key-completion');

    // 2. Completion inside get_resource("") shows the app's logical IDs in the suggest widget.
    const stack = 'infrastructure/stacks/chaliceapp.py';
    await openFile(page, ws, stack);
    const at = locate(ws, stack, 'get_resource("")');
    await page.locator(`${editorSel} .view-lines`).first().click();
    await goTo(page, at.line, at.column + 'get_resource("'.length);
    let labels = [];
    await waitFor(`the suggest widget to list ${expectIds.join(', ')}`, completionTimeout, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Space');
      await page.locator('.editor-widget.suggest-widget.visible').waitFor({ state: 'visible', timeout: 5000 }).catch(() => undefined);
      await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').first().waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
      labels = await suggestLabels(page);
      return expectIds.every((id) => labels.includes(id));
    }, 2000);
    say(`suggest widget: ${labels.join(', ')}`);
    const completionShot = await screenshot(page, 'completion');
    await page.keyboard.press('Escape');

    // 2b. The code lens on the construct call: what it creates, and the preview commands.
    const lens = await waitFor('the code lens on the construct call', 30000, async () => {
      const texts = await page.locator(`${editorSel} .codelens-decoration`).allTextContents();
      const hit = texts.find((t) => / resources · /.test(t) && t.includes('Package & preview template'));
      return hit ? hit.trim() : undefined;
    }, 1000);
    say(`code lens: ${lens}`);
    await screenshot(page, 'code-lens');

    // 3. The lens's "Package & preview template" opens the packaged SAM template.
    await page.locator(`${editorSel} .codelens-decoration a`, { hasText: 'Package & preview template' }).first().click();
    const previewTab = await waitFor('the packaged template to open', 120000, async () => {
      const tabs = await page.locator('.tabs-container .tab').allTextContents();
      const hit = tabs.find((t) => /\.(json|yaml|yml)/i.test(t) && !/config\.json|cdk\.json/.test(t));
      if (!hit) {
        return undefined;
      }
      const text = (await page.locator('.part.editor .monaco-editor .view-lines').allTextContents()).join('\n');
      return /AWSTemplateFormatVersion|Transform|"Resources"/.test(text) ? hit.trim() : undefined;
    }, 1000);
    say(`preview opened: ${previewTab}`);
    await screenshot(page, 'template-preview');
    // After the explicit packaging run the status bar item is back to idle (not failed).
    const finalStatus = await waitFor('the packaging status to settle', 60000, async () => {
      const t = ((await status.textContent()) ?? '').trim();
      return /packaging/i.test(t) ? undefined : t;
    });
    if (/failed/i.test(finalStatus)) {
      throw new Error(`the status bar says "${finalStatus}" after a successful packaging run`);
    }
    say(`status bar after packaging: ${finalStatus}`);

    // 4. "Chalice: Preview effective config" opens the resolved settings for the stage.
    await runCommand(page, 'Chalice: Preview effective config');
    await page.locator('.tabs-container .tab', { hasText: /effective-config/ }).first().waitFor({ state: 'visible', timeout: 60000 });
    say('effective config preview opened');
    await screenshot(page, 'effective-config');

    // 5. A broken app.py makes packaging fail: the status bar item says so, and clicking it
    //    shows the reason.
    await openFile(page, ws, 'runtime/app.py');
    // 4b. Inlay hints in app.py: the logical IDs each decorator creates (injected text is
    //     part of the rendered line).
    const hints = await waitFor('the logical-ID inlay hints in app.py', 30000, async () => {
      const text = (await page.locator(`${editorSel} .view-lines`).first().textContent()) ?? '';
      // VS Code renders the hint's spaces as no-break spaces (\s matches both).
      return /APIHandler\s·\sAWS::Serverless::Function/.test(text) && /ResizeImage\s·\sAWS::Serverless::Function/.test(text) ? text : undefined;
    }, 1000);
    say(`inlay hints: ${(hints.match(/[A-Za-z]+\s·\sAWS::\w+::\w+/g) ?? []).join(' | ')}`);
    await screenshot(page, 'app-inlay-hints');
    await page.locator(`${editorSel} .view-lines`).first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nimport no_such_module_for_chalice_lsp_test\n');
    await page.keyboard.press('Control+S');
    const failed = page.locator('.statusbar-item', { hasText: 'packaging failed' }).first();
    await failed.waitFor({ state: 'visible', timeout: completionTimeout });
    say(`status bar: ${(await failed.textContent())?.trim()}`);
    await failed.click();
    const toast = page.locator('.notification-toast', { hasText: 'Chalice packaging failed' }).first();
    await toast.waitFor({ state: 'visible', timeout: 15000 });
    say(`details: ${(await toast.locator('.notification-list-item-message').first().textContent())?.trim()}`);
    await screenshot(page, 'packaging-failed');

    // 6. "Chalice: Restart server": the server comes back and re-validates config.json.
    await runCommand(page, 'Chalice: Restart server');
    await waitFor('the restarted server to report the typo again', 60000, async () => {
      const label = (await problems.getAttribute('aria-label')) ?? '';
      const m = /Errors?:\s*(\d+)/i.exec(label);
      const st = ((await status.textContent()) ?? '').trim();
      return m && Number(m[1]) > 0 && !/not running/i.test(st) ? true : undefined;
    });
    say('server restarted');

    // 7. "Chalice: Show output" reveals the output channel with the server's log.
    await runCommand(page, 'Chalice: Show output');
    const output = page.locator('.panel .output-view, .panel [id="workbench.panel.output"]').first();
    await output.waitFor({ state: 'visible', timeout: 15000 });
    await waitFor('the Chalice LSP output channel', 15000, async () => {
      const text = (await page.locator('.panel .monaco-editor .view-lines').first().textContent()) ?? '';
      return /chalice-lsp|starting .*chalice-lsp/i.test(text);
    });
    say('output channel shown');

    fs.writeFileSync(path.join(artifacts, 'result.json'), JSON.stringify({ ok: true, problems: problemsLabel, labels, previewTab, completionShot }, null, 2));
    say('PASS');
  } catch (err) {
    say(`FAIL: ${err instanceof Error ? err.message : String(err)}`);
    await screenshot(page, 'failure').catch(() => undefined);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
