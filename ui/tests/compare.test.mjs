// The compare view and the metric charts: runs side by side with differing params highlighted, overlaid loss charts
// (log scale, relative time), scatter plot, parallel coordinates, the 100,000-step history drawn from a sample and
// zoomed to full resolution, and a live run's chart picking up a new point.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_HEADERS, screenshot, seeded, signedIn } from './browser.mjs';

const ids = seeded().runs;
let browser;
let page;

before(async () => ({ browser, page } = await signedIn()));
after(() => browser?.close());

async function api(name, query) {
  const answer = await page.request.get(`/api/2.0/mlflow/${name}?${new URLSearchParams(query)}`);
  assert.ok(answer.ok(), `${name}: ${answer.status()}`);
  return answer.json();
}
const getRun = async id => (await api('runs/get', { run_id: id })).run;
const param = (run, key) => run.data.params?.find(p => p.key === key)?.value;
const chart = key => page.locator(`.metric-chart[data-metric="${key}"]`);
const attribute = (locator, name) => locator.getAttribute(`data-${name}`);

/** Drags across the chart's plot area from fraction `from` to `to` of its width. */
async function dragOn(locator, from, to) {
  const box = await locator.locator('.u-over').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * (from + to) / 2, y, { steps: 3 });
  await page.mouse.move(box.x + box.width * to, y, { steps: 3 });
  await page.mouse.up();
}

test('two trials side by side: differing params, best metrics, charts, scatter plot, parallel coordinates', async () => {
  const first = await getRun(ids.trials[0]);
  let second;
  for (const id of ids.trials.slice(1)) {
    second = await getRun(id);
    if (param(second, 'lr') !== param(first, 'lr')) break;
  }
  assert.notEqual(param(second, 'lr'), param(first, 'lr'));
  const runs = [first, second];
  const names = runs.map(r => r.info.run_name);

  await page.goto(`/#/compare?runs=${runs.map(r => r.info.run_id).join(',')}`);
  const header = page.locator('.compare-table thead th.run-name');
  await assert.doesNotReject(header.first().waitFor());
  assert.deepEqual(await header.allInnerTexts(), names);
  assert.deepEqual(await header.locator('a').evaluateAll(as => as.map(a => a.getAttribute('href'))),
    runs.map(r => `#/runs/${r.info.run_id}`));

  const keys = [...new Set(runs.flatMap(r => r.data.params.map(p => p.key)))].sort();
  assert.ok(['layers', 'lr', 'optimizer'].every(k => keys.includes(k)));
  const differing = keys.filter(key => param(first, key) !== param(second, key));
  for (const key of ['layers', 'lr', 'optimizer']) {
    const differs = differing.includes(key);
    const row = page.locator(`.compare-table tr[data-param="${key}"]`);
    assert.deepEqual(await row.locator('td').allInnerTexts(), [key, param(first, key), param(second, key)]);
    assert.equal((await row.getAttribute('class')).includes('differs'), differs, `row ${key}`);
  }
  await page.getByLabel('Only params that differ').check();
  assert.deepEqual(await page.locator('.compare-table tr[data-param]').evaluateAll(rows => rows.map(r => r.dataset.param)),
    differing);
  await page.getByLabel('Only params that differ').uncheck();

  const losses = runs.map(r => r.data.metrics.find(m => m.key === 'loss').value);
  const bestLoss = page.locator('.compare-table tr[data-metric="loss"] td.best');
  assert.equal(await bestLoss.count(), 1);
  assert.equal(await bestLoss.evaluate(td => td.cellIndex), losses.indexOf(Math.min(...losses)) + 1);

  const histories = await Promise.all(runs.map(r => api('metrics/get-history', { run_id: r.info.run_id, metric_key: 'loss' })));
  const lossPoints = histories.reduce((n, h) => n + h.metrics.length, 0);
  const loss = chart('loss');
  await loss.and(page.locator('[data-state="drawn"]')).waitFor();
  assert.equal(await attribute(loss, 'points'), String(lossPoints));
  for (const name of names) assert.match(await loss.locator('.u-legend').innerText(), new RegExp(name));
  await screenshot(page, 'compare');

  await page.getByLabel('Log scale').check();
  await page.getByLabel('X axis').selectOption('relative');
  await page.locator('.metric-chart[data-metric="loss"][data-state="drawn"][data-scale="log"][data-x="relative"]').waitFor();
  assert.equal(await attribute(loss, 'points'), String(lossPoints));
  assert.match(await loss.locator('.u-legend').innerText(), /seconds since first point/);
  await loss.scrollIntoViewIfNeeded();
  await screenshot(page, 'compare-charts');

  await page.getByLabel('X', { exact: true }).selectOption('param:lr');
  await page.getByLabel('Y', { exact: true }).selectOption('metric:loss');
  const scatter = page.locator('svg.scatter-plot');
  assert.equal(await scatter.getAttribute('data-points'), '2');
  assert.equal(await scatter.locator('circle.point').count(), 2);
  assert.match(await scatter.getAttribute('aria-label'), /metric loss against param lr/);
  await scatter.locator(`circle[data-run="${second.info.run_id}"]`).hover();
  assert.equal(await scatter.locator('.hover-label').textContent(), names[1]);
  await scatter.scrollIntoViewIfNeeded();
  await screenshot(page, 'compare-scatter');

  const parallel = page.locator('svg.parallel-plot');
  assert.equal(await parallel.getAttribute('data-lines'), '2');
  assert.equal(await parallel.locator('path.run-line').count(), 2);
  assert.ok(Number(await parallel.getAttribute('data-axes')) >= 2);
  // Hover a point on the first run's line, a quarter along it.
  await parallel.scrollIntoViewIfNeeded();
  const along = await parallel.locator(`[data-run="${first.info.run_id}"] path.run-line`).evaluate(path => {
    const p = path.getPointAtLength(path.getTotalLength() / 4).matrixTransform(path.getScreenCTM());
    return { x: p.x, y: p.y };
  });
  await page.mouse.move(along.x, along.y);
  assert.equal(await parallel.locator('.hover-label').textContent(), names[0]);
  await screenshot(page, 'compare-parallel');
});

test('a 100,000-step history is drawn from a sample, and zooming fetches the finer range', async () => {
  const fetched = [];
  const listener = async response => {
    const url = new URL(response.url());
    if (!url.pathname.endsWith('/metrics/get-history-bulk-interval') || url.searchParams.get('metric_key') !== 'signal') return;
    fetched.push({ query: url.searchParams, points: (await response.json()).metrics.length });
  };
  page.on('response', listener);
  const started = Date.now();
  await page.goto(`/#/compare?runs=${ids.history}`);
  const signal = chart('signal');
  await page.locator('.metric-chart[data-metric="signal"][data-state="drawn"]').waitFor();
  assert.ok(Date.now() - started < 10_000, 'drawn within 10 s');
  const overview = Number(await attribute(signal, 'points'));
  assert.ok(overview > 900 && overview <= 1002, `overview points ${overview}`);
  assert.equal(await attribute(signal, 'steps'), '0-99999');
  assert.ok(fetched.length >= 1 && fetched.every(f => f.points <= 1002), JSON.stringify(fetched.map(f => f.points)));
  assert.equal(fetched[0].query.get('max_results'), '1000');

  // A tenth of the steps: still sampled, but over the narrower range.
  await dragOn(signal, 0.3, 0.4);
  await page.locator('.metric-chart[data-metric="signal"][data-state="drawn"]:not([data-steps="0-99999"])').waitFor();
  const [start, end] = (await attribute(signal, 'steps')).split('-').map(Number);
  assert.ok(start > 20_000 && end < 50_000 && end - start > 1000, `zoomed to ${start}-${end}`);
  const zoomed = fetched.at(-1).query;
  assert.deepEqual([zoomed.get('start_step'), zoomed.get('end_step')].map(Number), [start, end]);
  assert.ok(Number(await attribute(signal, 'points')) <= 1002);

  // Five percent of that (a few hundred steps): every step is drawn.
  await dragOn(signal, 0.5, 0.55);
  await page.locator(`.metric-chart[data-metric="signal"][data-state="drawn"]:not([data-steps="${start}-${end}"])`).waitFor();
  const [fineStart, fineEnd] = (await attribute(signal, 'steps')).split('-').map(Number);
  assert.ok(fineStart > start && fineEnd < end && fineEnd - fineStart < 1000, `zoomed to ${fineStart}-${fineEnd}`);
  assert.equal(Number(await attribute(signal, 'points')), fineEnd - fineStart + 1);
  assert.equal(fetched.at(-1).points, fineEnd - fineStart + 1);
  await screenshot(page, 'chart-100k');

  await signal.locator('.u-over').dblclick();
  await page.locator('.metric-chart[data-metric="signal"][data-state="drawn"][data-steps="0-99999"]').waitFor();
  assert.ok(fetched.every(f => f.points <= 1002));
  page.off('response', listener);
});

test('a running run\'s chart picks up a newly logged point', async () => {
  const live = await getRun(ids.live);
  assert.equal(live.info.status, 'RUNNING');
  await page.goto(`/#/compare?runs=${ids.live}`);
  const loss = chart('loss');
  await page.locator('.metric-chart[data-metric="loss"][data-state="drawn"]').waitFor();
  await assert.doesNotReject(page.locator('.chart-controls .live').waitFor());
  const before = Number(await attribute(loss, 'points'));
  const history = await api('metrics/get-history', { run_id: ids.live, metric_key: 'loss' });
  const step = Math.max(...history.metrics.map(m => Number(m.step))) + 1;
  const logged = await page.request.post('/api/2.0/mlflow/runs/log-metric', {
    headers: API_HEADERS,
    data: { run_id: ids.live, key: 'loss', value: 0.05, timestamp: Date.now(), step },
  });
  assert.ok(logged.ok(), `log-metric: ${logged.status()} ${await logged.text()}`);
  await page.waitForFunction(([selector, n]) => Number(document.querySelector(selector)?.dataset.points) > n,
    ['.metric-chart[data-metric="loss"]', before], { timeout: 12_000 });
  const [, lastStep] = (await attribute(loss, 'steps')).split('-').map(Number);
  assert.ok(lastStep >= step, `last step ${lastStep} >= ${step}`);
});
