// Helpers shared by the code-server end-to-end drivers (e2e.mjs, e2e-trust.mjs).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const require = createRequire(import.meta.url);

/** An environment variable, or fallback; throws when neither is set. */
export function env(name, fallback) {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') {
    throw new Error(`environment variable ${name} is not set (run this through editors/vscode/test/e2e/run.sh)`);
  }
  return v;
}

/** Launches Debian's Chromium headless through playwright-core. */
export async function launchBrowser() {
  const { chromium } = require(env('PLAYWRIGHT_CORE'));
  return chromium.launch({
    executablePath: env('CHROMIUM', '/usr/bin/chromium'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export const say = (msg) => console.log(`[vscode-e2e] ${msg}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let shot = 0;
/** Saves a numbered screenshot in E2E_ARTIFACTS. */
export async function screenshot(page, name) {
  const artifacts = env('E2E_ARTIFACTS');
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  say(`screenshot ${file}`);
  return file;
}

/** Polls fn until it returns a truthy value or the time is up (then throws with `what`). */
export async function waitFor(what, timeoutMs, fn, intervalMs = 500) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) {
        return v;
      }
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

export const editorSel = '.part.editor .editor-group-container.active .monaco-editor';

/**
 * Retries a UI step: focus can move under a quick input (an editor opened by the server with
 * takeFocus closes it), so a step that opens one is tried up to three times.
 */
async function retryStep(page, what, step) {
  let last;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      last = err;
      say(`${what}: attempt ${attempt} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      await screenshot(page, `retry-${attempt}`).catch(() => undefined);
      await page.keyboard.press('Escape').catch(() => undefined);
      await sleep(1000);
    }
  }
  throw new Error(`${what}: ${last instanceof Error ? last.message.split('\n')[0] : String(last)}`);
}

/**
 * Opens the quick input. F1 opens the command palette; replacing its text with a path (no leading
 * ">") turns it into Quick Open, so F1 serves files too. Ctrl+Shift+P is the last resort.
 */
async function openQuickInput(page, attempt) {
  await page.keyboard.press(attempt < 3 ? 'F1' : 'Control+Shift+P');
}

/** Runs a command from the command palette by its title. */
export async function runCommand(page, title) {
  await retryStep(page, `running "${title}"`, async (attempt) => {
    await openQuickInput(page, attempt);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 10000 });
    await page.keyboard.press('Enter');
  });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15000 }).catch(() => undefined);
}

/** Opens a workspace file with Quick Open and waits for its tab. */
export async function openFile(page, ws, relPath) {
  const base = path.basename(relPath);
  await retryStep(page, `opening ${relPath}`, async (attempt) => {
    await openQuickInput(page, attempt);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(path.join(ws, relPath));
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first().waitFor({ state: 'visible', timeout: 10000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: base }).waitFor({ state: 'visible', timeout: 10000 });
  });
  await page.locator(`${editorSel} .view-lines`).first().waitFor({ state: 'visible', timeout: 15000 });
}

/** Moves the cursor with Go to Line (1-based line and column). */
export async function goTo(page, line, column) {
  await retryStep(page, `going to ${line}:${column}`, async (attempt) => {
    await openQuickInput(page, attempt); // ":" turns the palette into Go to Line
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
  });
}

/** 1-based line and column of the first occurrence of needle in a workspace file. */
export function locate(ws, relPath, needle) {
  const lines = fs.readFileSync(path.join(ws, relPath), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i].indexOf(needle);
    if (c >= 0) {
      return { line: i + 1, column: c + 1 };
    }
  }
  throw new Error(`${needle} not found in ${relPath}`);
}

export async function suggestLabels(page) {
  const rows = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
  const n = await rows.count();
  const labels = [];
  for (let i = 0; i < n; i++) {
    const label = await rows.nth(i).locator('.label-name').first().textContent();
    if (label) {
      labels.push(label.trim());
    }
  }
  return labels;
}

