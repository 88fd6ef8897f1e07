// Signing in and out of the real gateway: a wrong password is refused with the server's message; a right one or a
// token opens the UI with an HttpOnly, SameSite=Strict session cookie and nothing stored where a script could read
// it; signing out ends the session. (Against ui/dev.mjs, which fakes a session, there is nothing to test: skipped.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PASSWORD, TOKEN, USERNAME, launch, newPage, screenshot } from './browser.mjs';

let browser;
let realGateway;
before(async () => {
  browser = await launch();
  realGateway = (await fetch(`${BASE_URL}/ui/session`)).status === 401;
});
after(() => browser?.close());

test('a wrong password is refused with the server\'s message and sets no cookie', async t => {
  if (!realGateway) return t.skip('no authenticating gateway at ' + BASE_URL);
  const page = await newPage(browser);
  await page.goto('/');
  await page.getByLabel('User').fill(USERNAME);
  await page.getByLabel('Password').fill('not-the-password');
  await screenshot(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Invalid username or password' }).waitFor();
  assert.deepEqual(await page.context().cookies(), []);
  await page.context().close();
});

test('a password signs in with an HttpOnly session cookie, survives a reload, and signs out', async t => {
  if (!realGateway) return t.skip('no authenticating gateway at ' + BASE_URL);
  const page = await newPage(browser);
  await page.goto('/');
  await page.getByLabel('User').fill(USERNAME);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('nav.top .user', { hasText: USERNAME }).waitFor();

  const [cookie] = await page.context().cookies();
  assert.equal(cookie.name, 'quarkflow_session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  const visible = await page.evaluate(() => ({
    cookie: document.cookie, local: localStorage.length, session: sessionStorage.length, url: location.href,
  }));
  assert.deepEqual({ ...visible, url: undefined }, { cookie: '', local: 0, session: 0, url: undefined });
  assert.ok(!visible.url.includes(PASSWORD), 'no credential in the URL');

  await page.reload();
  await page.locator('nav.top .user', { hasText: USERNAME }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('form[aria-label="Sign in"]').waitFor();
  assert.deepEqual(await page.context().cookies(), []);
  // As the UI asks: with X-Requested-With, so the 401 brings no challenge (a browser would open a password dialog).
  const status = await page.evaluate(async () =>
    (await fetch('/ui/session', { headers: { 'x-requested-with': 'quarkflow-ui' } })).status);
  assert.equal(status, 401);
  await page.context().close();
});

test('a token signs in too', async t => {
  if (!realGateway) return t.skip('no authenticating gateway at ' + BASE_URL);
  const page = await newPage(browser);
  await page.goto('/');
  await page.getByRole('tab', { name: 'Token' }).click();
  await page.getByLabel('Token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('nav.top').waitFor();
  const session = await page.evaluate(async () => (await fetch('/ui/session')).json());
  assert.equal(session.permission, 'EDIT');
  assert.equal(await page.locator('nav.top .user').textContent(), session.user);
  await page.context().close();
});
