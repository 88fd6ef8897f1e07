// What every browser test shares: Debian's Chromium driven by playwright-core, the suite's address and credentials
// from the environment WebUiTest sets, and screenshots kept as test output.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BASE_URL = process.env.QUARKFLOW_URL ?? 'http://127.0.0.1:5000';
export const USERNAME = process.env.QUARKFLOW_USERNAME;
export const PASSWORD = process.env.QUARKFLOW_PASSWORD;
export const TOKEN = process.env.QUARKFLOW_TOKEN;
const SHOTS = process.env.QUARKFLOW_SCREENSHOTS ?? 'target/screenshots';

/**
 * Headers for API calls a test makes with the page's session (page.request): the UI's own marker (a 401 brings no
 * password dialog) and the page's Origin, which the gateway requires of every POST, PUT and DELETE made with a session.
 */
export const API_HEADERS = { origin: new URL(BASE_URL).origin, 'x-requested-with': 'quarkflow-ui' };

/** What the seed script logged (ids of experiments and runs), see e2e's src/test/ui/seed.py. */
export function seeded() {
  return JSON.parse(readFileSync(process.env.QUARKFLOW_SEEDED ?? 'target/seeded.json', 'utf8'));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A new page in a fresh context (no cookies), 1400×900. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, baseURL: BASE_URL });
  return context.newPage();
}

/** A browser and a page of it, signed in: what every test file starts with (close the browser after). */
export async function signedIn() {
  const browser = await launch();
  const page = await newPage(browser);
  await signIn(page);
  return { browser, page };
}

/**
 * Signs in with the test user's password (or the token when no password is given) and waits for the top bar. Against
 * ui/dev.mjs, which answers as if signed in, the top bar is there at once and nothing is typed.
 */
export async function signIn(page) {
  await page.goto('/');
  await page.locator('nav.top, form[aria-label="Sign in"]').first().waitFor();
  if (await page.locator('nav.top').count()) return;
  if (USERNAME && PASSWORD) {
    await page.getByLabel('User').fill(USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
  } else {
    await page.getByRole('tab', { name: 'Token' }).click();
    await page.getByLabel('Token').fill(TOKEN);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('nav.top').waitFor();
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
