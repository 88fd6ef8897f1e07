// The experiments list and the runs table, in a browser: filtering, editing experiments, the runs table's server-side
// filter and sort, its URL state, nested runs, selection for compare. Expectations come from the REST API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_HEADERS, screenshot, seeded, signedIn } from './browser.mjs';

const data = seeded();
const demo = data.experiments.demo;
const WAIT = 15_000;
let browser;
let page;

before(async () => ({ browser, page } = await signedIn()));
after(() => browser?.close());

/** POSTs to the MLflow REST API with the page's session. */
async function api(endpoint, body) {
  const answer = await page.request.post(`/api/2.0/mlflow/${endpoint}`,
    { data: body, headers: API_HEADERS, failOnStatusCode: false });
  return { ok: answer.ok(), json: await answer.json() };
}

/** GETs from the MLflow REST API with the page's session. */
async function apiGet(endpoint, params) {
  const answer = await page.request.get(`/api/2.0/mlflow/${endpoint}`, { params, failOnStatusCode: false });
  return answer.json();
}

/** The first page of the demo runs the table shows too (100 runs), as the API answers it. */
async function firstPage(body) {
  const { ok, json } = await api('runs/search', { experiment_ids: [demo.id], max_results: 100, ...body });
  assert.ok(ok, JSON.stringify(json));
  return json.runs ?? [];
}

/** Polls `read` until `check` accepts its value; returns the last value (assertions then show what was there). */
async function until(read, check, timeout = WAIT) {
  const end = Date.now() + timeout;
  let value = await read();
  while (!check(value) && Date.now() < end) {
    await new Promise(r => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

const hashQuery = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
const experimentNames = () => page.locator('table.experiments tbody td.name a').allTextContents();
const runIds = () => page.locator('table.runs tbody tr[data-run-id]').evaluateAll(rows => rows.map(r => r.dataset.runId));
const runCount = async () => Number(/^(\d+) runs?/.exec(await page.locator('.run-count').textContent())?.[1]);
const column = key => page.locator(`table.runs tbody tr[data-run-id] td[data-col="${key}"]`).allTextContents();

/** Loads the page afresh on the demo runs table (a hash change alone would keep the view that is there). */
async function openRuns(query = '') {
  await page.goto('about:blank');
  await page.goto(`/#/experiments/${demo.id}${query}`);
  await page.locator('table.runs tbody tr[data-run-id]').first().waitFor({ timeout: WAIT });
}

test('the experiments list filters by name, any case', async () => {
  await page.goto('/#/experiments');
  await page.locator('table.experiments tbody tr').first().waitFor({ timeout: WAIT });
  const typed = demo.name.toUpperCase();
  const { json } = await api('experiments/search', { filter: `name ILIKE '%${demo.name}%'`, max_results: 1000 });
  const expected = json.experiments.map(e => e.name).sort();
  assert.ok(expected.includes(demo.name));
  await page.getByLabel('Filter experiments by name').fill(typed);
  const shown = await until(experimentNames, names => names.length === expected.length && names.includes(demo.name));
  assert.deepEqual([...shown].sort(), expected);
  assert.match(await page.locator('.experiment-count').textContent(), new RegExp(`^${expected.length} experiments? shown`));
  await screenshot(page, 'experiments');
  await page.getByRole('link', { name: demo.name, exact: true }).click();
  assert.equal(new URL(page.url()).hash, `#/experiments/${demo.id}`);
});

test('an experiment is created, renamed, deleted and restored', async () => {
  const name = `ui-runs-test-${Date.now()}`;
  const renamed = `${name}-renamed`;
  await page.goto('/#/experiments');
  await page.getByLabel('New experiment name').fill(name);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.locator('.notice', { hasText: `Created experiment ${name}` }).waitFor({ timeout: WAIT });
  const created = (await apiGet('experiments/get-by-name', { experiment_name: name })).experiment;
  assert.equal(created.lifecycle_stage, 'active');

  await page.getByLabel('Filter experiments by name').fill(name);
  const row = page.locator(`tr[data-experiment-id="${created.experiment_id}"]`);
  assert.deepEqual(await until(experimentNames, n => n.length === 1 && n[0] === name), [name]);
  await row.getByRole('button', { name: 'Rename' }).click();
  await row.getByLabel('New name').fill(renamed);
  await row.getByRole('button', { name: 'Save' }).click();
  await row.getByRole('link', { name: renamed }).waitFor({ timeout: WAIT });
  assert.equal((await apiGet('experiments/get', { experiment_id: created.experiment_id })).experiment?.name, renamed);

  await row.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached', timeout: WAIT });
  assert.match(await page.locator('.notice').textContent(), /Deleted experiment/);
  await page.getByRole('tab', { name: 'Deleted' }).click();
  assert.deepEqual(await until(experimentNames, n => n.length === 1 && n[0] === renamed), [renamed]);
  await row.getByRole('button', { name: 'Restore' }).click();
  await row.waitFor({ state: 'detached', timeout: WAIT });
  await page.getByRole('tab', { name: 'Active' }).click();
  assert.deepEqual(await until(experimentNames, n => n.length === 1 && n[0] === renamed), [renamed]);
  assert.equal((await apiGet('experiments/get', { experiment_id: created.experiment_id })).experiment.lifecycle_stage, 'active');
  await api('experiments/delete', { experiment_id: created.experiment_id });
});

test('the runs table shows the demo runs, one search of at most 100', async () => {
  const searches = [];
  const listen = r => r.url().includes('/runs/search') && searches.push(r);
  page.on('request', listen);
  await openRuns();
  const runs = await firstPage({});
  assert.equal(await until(runCount, n => n === runs.length), runs.length);
  const children = new Set(data.runs.sweep_children);
  const ids = await runIds();
  assert.deepEqual(new Set(ids), new Set(runs.map(r => r.info.run_id).filter(id => !children.has(id))));
  assert.equal(searches.length, 1);
  assert.equal(JSON.parse(searches[0].postData()).max_results, 100);
  page.off('request', listen);
  const report = page.locator(`tr[data-run-id="${data.runs.report}"]`);
  assert.equal(await report.locator('td.name a').textContent(), 'report');
  assert.equal(await report.locator('.status').textContent(), 'FINISHED');
  assert.equal(await report.locator('td[data-col="metrics.accuracy"]').textContent(), '0.93');
  assert.equal(await page.locator(`tr[data-run-id="${data.runs.trials[11]}"] .status`).textContent(), 'FAILED');
  await screenshot(page, 'runs-table');
});

test('a filter narrows the runs, stays in the URL, and a wrong one shows the server error', async () => {
  await openRuns();
  const filter = "params.optimizer = 'adam'";
  const expected = await firstPage({ filter });
  assert.ok(expected.length > 0);
  await page.getByLabel('Filter runs').fill(filter);
  await page.getByLabel('Filter runs').press('Enter');
  assert.equal(await until(() => hashQuery().get('filter'), f => f === filter), filter);
  assert.equal(await until(runCount, n => n === expected.length), expected.length);
  assert.deepEqual(new Set(await runIds()), new Set(expected.map(r => r.info.run_id)));
  assert.deepEqual(await column('params.optimizer'), expected.map(() => 'adam'));
  await screenshot(page, 'runs-filtered');

  await page.reload();
  await page.locator('table.runs tbody tr[data-run-id]').first().waitFor({ timeout: WAIT });
  assert.equal(await page.getByLabel('Filter runs').inputValue(), filter);
  assert.equal(await until(runCount, n => n === expected.length), expected.length);

  const wrong = 'params.optimizer = ';
  const refused = await api('runs/search', { experiment_ids: [demo.id], filter: wrong });
  assert.ok(!refused.ok);
  assert.equal(refused.json.error_code, 'INVALID_PARAMETER_VALUE');
  await page.getByLabel('Filter runs').fill(wrong);
  await page.getByRole('button', { name: 'Search' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: WAIT });
  assert.ok((await alert.textContent()).includes(refused.json.message), await alert.textContent());
  assert.equal(await runCount(), expected.length);
  assert.deepEqual(await column('params.optimizer'), expected.map(() => 'adam'));
  assert.equal(hashQuery().get('filter'), filter);
});

test('the column chooser hides a column and the URL keeps the choice', async () => {
  await openRuns();
  const header = page.locator('table.runs thead th[title="params.lr"]');
  await header.waitFor({ timeout: WAIT });
  await page.locator('.column-chooser summary').click();
  await page.locator('.column-chooser label', { hasText: /^lr$/ }).getByRole('checkbox').uncheck();
  await header.waitFor({ state: 'detached', timeout: WAIT });
  const cols = hashQuery().get('cols').split(',');
  assert.ok(!cols.includes('params.lr') && cols.includes('params.optimizer'), cols.join(','));
  await page.reload();
  await page.locator('table.runs tbody tr[data-run-id]').first().waitFor({ timeout: WAIT });
  assert.equal(await header.count(), 0);
  assert.ok(await page.locator('table.runs thead th[title="params.optimizer"]').count());
});

test('sorting by accuracy asks the server and orders the rows', async () => {
  await openRuns();
  await page.locator('table.runs thead th[title="metrics.accuracy"] button').click();
  await page.locator('table.runs thead th[title="metrics.accuracy"][aria-sort="descending"]').waitFor({ timeout: WAIT });
  assert.equal(hashQuery().get('order'), 'metrics.`accuracy` DESC');
  const expected = (await firstPage({ order_by: ['metrics.`accuracy` DESC'] }))
    .map(r => r.data.metrics?.find(m => m.key === 'accuracy')?.value).filter(v => v !== undefined);
  const shown = (await column('metrics.accuracy')).filter(Boolean).map(Number);
  assert.deepEqual(shown, expected);
  assert.deepEqual(shown, [...shown].sort((a, b) => b - a));
  const cells = await column('metrics.accuracy');
  assert.ok(cells.indexOf('') === -1 || cells.slice(cells.indexOf('')).every(c => c === ''), 'runs without accuracy last');
  await screenshot(page, 'runs-sorted');
});

test('the sweep parent shows its three children when expanded', async () => {
  await openRuns();
  const parent = page.locator(`tr[data-run-id="${data.runs.sweep}"]`);
  const toggle = parent.locator('button.toggle');
  assert.equal((await toggle.textContent()).replace(/\D/g, ''), '3');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  for (const id of data.runs.sweep_children) assert.equal(await page.locator(`tr[data-run-id="${id}"]`).count(), 0);
  await toggle.click();
  await page.locator('tr.child[data-run-id]').first().waitFor({ timeout: WAIT });
  const ids = await runIds();
  const at = ids.indexOf(data.runs.sweep);
  assert.deepEqual(new Set(ids.slice(at + 1, at + 4)), new Set(data.runs.sweep_children));
  assert.equal(await page.locator('tr.child[data-run-id]').count(), 3);
  await screenshot(page, 'runs-nested');
  await toggle.click();
  assert.equal(await until(() => page.locator('tr.child[data-run-id]').count(), n => n === 0), 0);
});

test('two selected runs open in compare, and a run name opens the run', async () => {
  await openRuns();
  const compare = page.getByRole('button', { name: /^Compare/ });
  assert.ok(await compare.isDisabled());
  const [first, second, third] = data.runs.trials;
  await page.locator(`tr[data-run-id="${first}"] td.select input`).check();
  await page.locator(`tr[data-run-id="${second}"] td.select input`).check();
  assert.equal(await compare.textContent(), 'Compare (2)');
  await compare.click();
  const hash = await until(() => new URL(page.url()).hash, h => h.startsWith('#/compare'));
  assert.deepEqual(new Set(hashQuery().get('runs').split(',')), new Set([first, second]), hash);

  await openRuns();
  await page.locator(`tr[data-run-id="${third}"] td.name a`).click();
  assert.equal(await until(() => new URL(page.url()).hash, h => h.startsWith('#/runs/')), `#/runs/${third}`);
});
