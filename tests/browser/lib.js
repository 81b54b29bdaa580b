// Browser-test helpers: Debian's chromium driven by playwright-core (never a
// downloaded browser; the network is closed), pages that fail the test on
// uncaught script errors or CSP violations, and screenshots for a human to
// look at in test-results/.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(root, 'test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const DEFAULT_TIMEOUT = Number(process.env.BROWSER_TIMEOUT_MS || 10000);

export const DESKTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export async function close(browser) {
  if (browser) await browser.close();
}

// A fresh context (own cookies) and page. Script errors, CSP violations and
// console errors other than expected HTTP failures are collected in
// page.problems; call assertNoProblems(page) at the end of a test.
export async function newPage(browser, { viewport = DESKTOP, baseURL, mobile = false } = {}) {
  const context = await browser.newContext({
    viewport,
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(DEFAULT_TIMEOUT);
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // HTTP 4xx answers are expected (400 carries a validation message, 404
    // an absent record; pages learn that nobody is logged in from GET
    // /api/v1/session/state without a 401, which public_pages.test.js
    // checks); tests assert on what the page shows for them.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    page.problems.push(`console: ${text}`);
  });
  return page;
}

export function problems(page) {
  return page.problems.slice();
}

// Fail the test when the page had script errors, CSP violations or console errors.
export function noProblems(page) {
  assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
}

// Save a PNG to test-results/<name>.png (full page) and return its path.
export async function shot(page, name, { fullPage = true } = {}) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

// Does the page scroll sideways? (Content wider than the viewport.)
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
