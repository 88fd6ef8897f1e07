// Project runs in the browser: the test submits runs of its own small project (tests/projects/counter, run by the
// suite's local backend from this checkout's directory), finds them in #/projects, follows one's output on its page
// while it prints, and cancels another from its page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { API_HEADERS, screenshot, signedIn } from './browser.mjs';

const PROJECT = fileURLToPath(new URL('./projects/counter', import.meta.url));
const API = '/api/2.0/quarkflow/projects/runs/';
const WORKFLOWS = '/api/2.0/quarkflow/workflows/';
const EXPERIMENT = 'ui-project-runs';
const label = `count-${Date.now().toString(36)}`;

let browser;
let page;
/** Runs that must not outlive the test when it fails half way. */
const toCancel = [];

before(async () => {
  ({ browser, page } = await signedIn());
  page.setDefaultTimeout(20_000);
});

after(async () => {
  for (const runId of toCancel) {
    if (!['FINISHED', 'FAILED', 'KILLED'].includes(await statusOf(runId))) await api('POST', API + 'cancel', { run_id: runId });
  }
  await browser?.close();
});

/** The API as the signed-in page: its session cookie, and the Origin a browser would send with a change. */
async function api(method, path, body) {
  const options = { headers: API_HEADERS };
  const response = method === 'GET'
    ? await page.request.get(path, options)
    : await page.request.post(path, { ...options, data: body });
  assert.equal(response.status(), 200, `${method} ${path}: ${await response.text()}`);
  return response.json();
}

async function submit(entryPoint, parameters, runName) {
  const { run } = await api('POST', API + 'submit', { uri: PROJECT, entry_point: entryPoint, parameters,
    experiment_name: EXPERIMENT, run_name: runName, backend: 'local' });
  return run;
}

const statusOf = async runId => (await api('GET', `${API}get?run_id=${runId}`)).run.status;

/** Waits until the element's text contains `text`. */
async function waitForText(selector, text, timeout = 20_000) {
  await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent?.includes(t), [selector, text],
    { timeout });
}

/** How far the log view is from its end, and whether it scrolls at all. */
const logScroll = () => page.locator('pre.log-output').evaluate(el =>
  ({ fromEnd: el.scrollHeight - el.scrollTop - el.clientHeight, scrolls: el.scrollHeight > el.clientHeight + 50 }));

test('a submitted run is listed, and its page shows its command, parameters and output as it comes', async () => {
  const lines = 50;
  const run = await submit('main', { lines: String(lines), delay: '0.1', label }, label);
  assert.equal(run.status, 'SCHEDULED');
  assert.equal(run.command, `sh count.sh ${lines} 0.1 ${label}`);

  await page.goto('/#/projects');
  const row = page.locator(`table.project-runs tbody tr[data-run-id="${run.run_id}"]`);
  await row.waitFor();
  assert.equal(await page.locator('table.project-runs tbody tr').first().getAttribute('data-run-id'), run.run_id,
    'newest first');
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells[1], label, 'its run name');
  assert.ok(cells[2].startsWith(PROJECT), `the project URI: ${cells[2]}`);
  assert.deepEqual(cells.slice(3, 5), ['main', 'local']);
  // The list keeps itself current: the status moves on, the launcher's process shows up.
  await page.waitForFunction(id => /^(RUNNING|FINISHED)$/.test(document.querySelector(
    `tr[data-run-id="${id}"] .status`)?.textContent ?? ''), run.run_id);
  assert.match(await row.locator('td').nth(5).innerText(), /^\d+$/, 'the process id');
  assert.equal(await row.getByRole('link', { name: 'Tracking run' }).getAttribute('href'), `#/runs/${run.run_id}`);
  await screenshot(page, 'project-runs');

  await row.getByRole('link', { name: 'Logs' }).click();
  await page.locator('h1', { hasText: label }).waitFor();
  assert.equal(await page.getByLabel('Command').innerText(), `sh count.sh ${lines} 0.1 ${label}`);
  const parameters = await page.locator('table.project-parameters tbody tr').allInnerTexts();
  assert.deepEqual(parameters.map(p => p.split('\t')), [['delay', '0.1'], ['label', label], ['lines', String(lines)]]);

  // A line arrives while the run is still running: the view follows it.
  await waitForText('pre.log-output', `${label} 2 of ${lines}`);
  assert.equal(await page.getByRole('status').filter({ hasText: 'following…' }).count(), 1);
  assert.ok(!(await page.locator('pre.log-output').innerText()).includes('counted'), 'the run has not ended yet');
  assert.equal(await statusOf(run.run_id), 'RUNNING');
  await screenshot(page, 'project-run-logs');

  // Kept at the end while the reader is there; left alone once they scroll up.
  await waitForText('pre.log-output', `${label} 38 of ${lines}`);
  const following = await logScroll();
  assert.ok(following.scrolls && following.fromEnd < 24, `at the end: ${JSON.stringify(following)}`);
  await page.locator('pre.log-output').evaluate(el => { el.scrollTop = 0; });
  await page.getByRole('button', { name: 'Jump to end' }).waitFor();

  await waitForText('pre.log-output', `counted ${lines} lines`, 30_000);
  assert.ok((await logScroll()).fromEnd > 200, 'the view stayed where the reader scrolled to');
  await page.getByRole('status').filter({ hasText: 'End of output.' }).waitFor();
  await page.locator('h1 .status', { hasText: 'FINISHED' }).waitFor();
  const expected = [...Array.from({ length: lines }, (_, i) => `${label} ${i + 1} of ${lines}`), `counted ${lines} lines`];
  assert.deepEqual((await page.locator('pre.log-output').textContent()).trimEnd().split('\n'), expected,
    'every line once, in order');
  await page.getByRole('button', { name: 'Jump to end' }).click();
  assert.ok((await logScroll()).fromEnd < 24, 'back at the end');
  assert.equal(await page.getByRole('button', { name: 'Cancel run' }).count(), 0, 'a finished run has no Cancel');
});

test('a long output keeps its last 10,000 lines on the page, and says so', async () => {
  const run = await submit('burst', { count: '6000', pause: '4' }, `${label}-burst`);
  await page.goto(`/#/projects/${run.run_id}`); // open before the second half is printed
  await waitForText('pre.log-output', '12000', 30_000);
  await page.getByRole('status').filter({ hasText: 'End of output.' }).waitFor();
  const shown = (await page.locator('pre.log-output').textContent()).trimEnd().split('\n');
  assert.equal(shown.length, 10_000);
  assert.deepEqual([shown[0], shown.at(-1)], ['2001', '12000']);
  assert.match(await page.locator('.log-bar').innerText(), /Showing the last 10,000 lines \(2,000 earlier lines not shown\)/);
  assert.ok((await logScroll()).fromEnd < 24, 'followed to the end');
});

test('a running project run is cancelled from its page and ends KILLED', async () => {
  const run = await submit('wait', {}, `${label}-wait`);
  toCancel.push(run.run_id);
  await page.goto(`/#/projects/${run.run_id}`);
  await page.locator('h1 .status', { hasText: 'RUNNING' }).waitFor({ timeout: 30_000 });
  await waitForText('pre.log-output', 'waiting to be cancelled');

  await page.getByRole('button', { name: 'Cancel run' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Confirm cancel' });
  assert.match(await dialog.innerText(), /Stop this run\?/);
  await dialog.getByRole('button', { name: 'Yes, cancel the run' }).click();
  await page.locator('h1 .status', { hasText: 'KILLED' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByRole('button', { name: 'Cancel run' }).count(), 0);
  await page.getByRole('status').filter({ hasText: 'End of output.' }).waitFor();

  const { run: killed } = await api('GET', `${API}get?run_id=${run.run_id}`);
  assert.equal(killed.status, 'KILLED');
  assert.ok(killed.cancel_requested_at > 0, 'the cancel is recorded');
  const requested = page.locator('table.project-details tr', { hasText: 'Cancel requested at' });
  assert.notEqual((await requested.locator('td').nth(1).innerText()).trim(), '—');

  // The listing filtered by status: the killed run is there, the other test's finished one is not. (The listing's
  // status is a copy the run events keep, so it may take a moment to say KILLED.)
  await page.goto('/#/projects?status=KILLED');
  const row = page.locator(`table.project-runs tr[data-run-id="${run.run_id}"]`);
  for (let tries = 0; !(await row.count()) && tries < 20; tries++) {
    await page.waitForTimeout(500);
    await page.reload();
    await page.locator('table.project-runs, .project-runs-view p.muted').first().waitFor();
  }
  assert.equal(await row.locator('.status').innerText(), 'KILLED');
  const statuses = await page.locator('table.project-runs tbody .status').allInnerTexts();
  assert.ok(statuses.length > 0 && statuses.every(s => s === 'KILLED'), `only KILLED runs: ${statuses}`);
  assert.equal(await page.locator('select').inputValue(), 'KILLED');
});

test('workflows are listed with their steps, each linking to its project run', async () => {
  const name = `${label}-flow`;
  const { workflow } = await api('POST', WORKFLOWS + 'submit', { experiment_name: EXPERIMENT, parameters: {},
    workflow: { name, uri: PROJECT, backend: 'local', steps: [
      { name: 'first', parameters: { lines: '2', delay: '0.1' } },
      { name: 'second', depends_on: ['first'], parameters: { lines: '2', delay: '0.1', label: '${steps.first.run_id}' } },
    ] } });

  await page.goto('/#/projects');
  await page.getByRole('button', { name: 'Refresh' }).click(); // the page was open: read it again
  const row = page.locator('table.workflows tbody tr', { hasText: name });
  await row.locator('.status', { hasText: 'FINISHED' }).first().waitFor({ timeout: 30_000 });
  assert.equal(await row.getByRole('link', { name }).getAttribute('href'), `#/runs/${workflow.workflow_id}`);
  assert.deepEqual((await row.locator('.step').allInnerTexts()).map(t => t.replace(/\s+/g, ' ')),
    ['first FINISHED', 'second FINISHED']);
  const { workflow: ended } = await api('GET', `${WORKFLOWS}get?workflow_id=${workflow.workflow_id}`);
  const [first, second] = ended.steps.map(step => step.run_id);
  assert.equal(await row.locator('.step').nth(0).getAttribute('href'), `#/projects/${first}`);

  await row.locator('.step').nth(1).click();
  await page.locator('table.project-parameters tr', { hasText: first }).waitFor();
  assert.equal(page.url().split('#')[1], `/projects/${second}`);
  await waitForText('pre.log-output', `${first} 2 of 2`);
});
