// The web UI in a real browser (Debian's Chromium, headless, driven by playwright-core through ui/tests/browser.mjs)
// against a running suite: seeds an experiment of --runs runs and a run with a --history-points-step metric (or
// reuses them), then opens fresh signed-in pages and times, in the page, from navigation start to the first row of
// the runs table painted and to the compare page's chart of that metric painted, with the longest main-thread task.
// bench/ui.sh runs it with the suite's address and credentials in QUARKFLOW_URL, QUARKFLOW_TOKEN or
// QUARKFLOW_USERNAME/QUARKFLOW_PASSWORD; UI_BENCH_EXPERIMENT_ID and UI_BENCH_HISTORY_RUN_ID skip the seeding.
import { parseArgs } from 'node:util';
import { BASE_URL, launch, newPage, PASSWORD, signIn, TOKEN, USERNAME } from '../ui/tests/browser.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    'history-points': { type: 'string', default: '100000' },
    repeat: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
  },
});
const RUNS = Number(options.runs);
const HISTORY_POINTS = Number(options['history-points']);
const REPEAT = Number(options.repeat);
const CONCURRENCY = Number(options.concurrency);
const METRICS_PER_BATCH = 1000;
const PAGE_TIMEOUT_MS = 60_000;
const ROW = 'table.runs tbody tr[data-run-id]';
const chartOf = key => `div.metric-chart[data-metric=${JSON.stringify(key)}][data-state="drawn"]`;

// ---- The REST API, from Node, with the token (or the password as HTTP Basic, as MLflow's clients send it).

const AUTHORIZATION = TOKEN ? `Bearer ${TOKEN}`
  : `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;

async function api(method, path, body) {
  const url = new URL(`/api/2.0/mlflow/${path}`, BASE_URL);
  if (method === 'GET') {
    for (const [k, v] of Object.entries(body ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  }
  const response = await fetch(url, {
    method,
    headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text || '{}');
}

/** Runs task(0..count-1) with at most `concurrency` in flight; the first failure stops handing out more. */
async function inParallel(count, concurrency, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (e) {
        next = count;
        throw e;
      }
    }
  }));
}

const seconds = since => (performance.now() - since) / 1000;

async function seedRuns() {
  const name = `ui-bench-runs-${Date.now()}`;
  const { experiment_id: experimentId } = await api('POST', 'experiments/create', { name });
  console.log(`seeding experiment ${experimentId} (${name}): ${RUNS} runs, runs/create + runs/log-batch each, ` +
    `${CONCURRENCY} requests in flight`);
  const start = performance.now();
  const base = Date.now();
  let done = 0;
  await inParallel(RUNS, CONCURRENCY, async i => {
    const { run } = await api('POST', 'runs/create',
      { experiment_id: experimentId, run_name: `run-${i}`, start_time: base + i });
    await api('POST', 'runs/log-batch', {
      run_id: run.info.run_id,
      params: [['lr', 10 ** -(1 + (i % 4))], ['layers', 2 + (i % 6)], ['optimizer', ['adam', 'sgd', 'rmsprop'][i % 3]],
        ['batch', 2 ** (4 + (i % 5))], ['seed', i]].map(([key, value]) => ({ key, value: String(value) })),
      metrics: [['loss', 1 / (1 + (i % 97))], ['accuracy', (i % 89) / 89], ['f1', (i % 83) / 83]]
        .map(([key, value]) => ({ key, value, timestamp: base + i, step: 0 })),
      tags: [{ key: 'team', value: `team-${i % 7}` }, { key: 'shard', value: String(i % 16) }],
    });
    if (++done % 2000 === 0 && done < RUNS) console.log(`  ${done} runs, ${(done / seconds(start)).toFixed(0)} runs/s`);
  });
  const took = seconds(start);
  console.log(`seeded ${RUNS} runs in ${took.toFixed(1)} s: ${(RUNS / took).toFixed(0)} runs/s ` +
    `(${(2 * RUNS / took).toFixed(0)} requests/s)`);
  return experimentId;
}

async function seedHistory() {
  const name = `ui-bench-history-${Date.now()}`;
  const { experiment_id: experimentId } = await api('POST', 'experiments/create', { name });
  const base = Date.now();
  const { run } = await api('POST', 'runs/create',
    { experiment_id: experimentId, run_name: 'history', start_time: base });
  const runId = run.info.run_id;
  const batches = Math.ceil(HISTORY_POINTS / METRICS_PER_BATCH);
  const start = performance.now();
  await inParallel(batches, CONCURRENCY, async b => {
    const steps = Array.from({ length: Math.min(METRICS_PER_BATCH, HISTORY_POINTS - b * METRICS_PER_BATCH) },
      (_, j) => b * METRICS_PER_BATCH + j);
    await api('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: steps.map(step => ({ key: 'signal', value: Math.sin(step / 700) + Math.sin(step / 37) / 10,
        timestamp: base + step, step })),
    });
  });
  const took = seconds(start);
  // Finished, so the compare page does not refresh it live.
  await api('POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
  console.log(`seeded run ${runId} in experiment ${experimentId} (${name}): metric "signal", ${HISTORY_POINTS} steps ` +
    `in ${batches} log-batch requests of ${METRICS_PER_BATCH}, ${took.toFixed(1)} s ` +
    `(${(HISTORY_POINTS / took).toFixed(0)} points/s)`);
  return runId;
}

/** How many active runs the experiment holds, read back page by page. */
async function countRuns(experimentId) {
  let count = 0;
  let pageToken;
  do {
    const answer = await api('POST', 'runs/search',
      { experiment_ids: [experimentId], max_results: 1000, page_token: pageToken });
    count += answer.runs?.length ?? 0;
    pageToken = answer.next_page_token;
  } while (pageToken);
  return count;
}

/** The metric to chart (UI_BENCH_HISTORY_METRIC, else the run's metric with the highest step) and its points. */
async function historyOf(runId) {
  const { run } = await api('GET', 'runs/get', { run_id: runId });
  const metrics = run.data.metrics ?? [];
  const key = process.env.UI_BENCH_HISTORY_METRIC
    ?? metrics.reduce((a, b) => (Number(b.step) > Number(a.step) ? b : a), metrics[0] ?? {}).key;
  if (!key) throw new Error(`run ${runId} has no metric`);
  let points = 0;
  let pageToken;
  do {
    const answer = await api('GET', 'metrics/get-history',
      { run_id: runId, metric_key: key, max_results: 25000, page_token: pageToken });
    points += answer.metrics?.length ?? 0;
    pageToken = answer.next_page_token;
  } while (pageToken);
  return { key, points };
}

// ---- The browser.

/**
 * Installed in the page before any of its scripts: records long tasks, and watches the DOM for the first element
 * matching `selector`; when it appears, waits for the next frame and a task after it (the frame that paints it has
 * then been drawn) and keeps the times, relative to the navigation's start (performance.now()).
 */
function watchFor(selector) {
  const bench = window.uiBench = { longTasks: [] };
  new PerformanceObserver(list => {
    for (const task of list.getEntries()) bench.longTasks.push({ start: task.startTime, duration: task.duration });
  }).observe({ type: 'longtask', buffered: true });
  const observer = new MutationObserver(() => {
    const element = document.querySelector(selector);
    if (!element) return;
    observer.disconnect();
    bench.inDom = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        bench.painted = performance.now();
        bench.visible = element.isConnected && element.checkVisibility();
        bench.data = { ...element.dataset };
      };
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

/** A fresh context with the signed-in session, `path` opened in it, and the times watchFor took there. */
async function openFresh(browser, session, path, selector) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, baseURL: BASE_URL,
    storageState: session });
  try {
    await context.addInitScript(watchFor, selector);
    const page = await context.newPage();
    await page.goto(path, { waitUntil: 'commit' });
    // Whichever comes first: the element painted, the sign-in form (the session was not taken), an error shown.
    await page.waitForFunction(() => window.uiBench?.painted !== undefined
      || document.querySelector('form[aria-label="Sign in"], div.error[role="alert"]'), null,
    { timeout: PAGE_TIMEOUT_MS, polling: 100 });
    const failure = await page.evaluate(() => (window.uiBench.painted === undefined
      ? document.querySelector('form[aria-label="Sign in"]') ? 'the sign-in form showed: the session was not reused'
        : `the page showed an error: ${document.querySelector('div.error').textContent}`
      : null));
    if (failure) throw new Error(`${path}: ${failure}`);
    // A long task is reported once it has ended; give the last ones a moment to arrive.
    await page.waitForTimeout(300);
    const bench = await page.evaluate(() => ({ ...window.uiBench,
      // Where the time went: the page's scripts loaded, and the last API answer before the element appeared.
      scriptsLoaded: Math.max(0, ...performance.getEntriesByType('resource')
        .filter(r => r.initiatorType === 'script').map(r => r.responseEnd)),
      lastAnswer: Math.max(0, ...performance.getEntriesByType('resource')
        .filter(r => r.name.includes('/api/') && r.responseEnd < window.uiBench.inDom).map(r => r.responseEnd)) }));
    if (!bench.visible) throw new Error(`${path}: ${selector} appeared but is not visible`);
    const tasks = bench.longTasks.filter(t => t.start < bench.painted);
    return { painted: bench.painted, inDom: bench.inDom, data: bench.data, scriptsLoaded: bench.scriptsLoaded,
      lastAnswer: bench.lastAnswer,
      longestTask: Math.max(0, ...tasks.map(t => t.duration)), longTasks: tasks.length };
  } finally {
    await context.close();
  }
}

async function timeRepeatedly(label, open) {
  const results = [];
  for (let i = 1; i <= REPEAT; i++) {
    const r = await open();
    results.push(r);
    console.log(`  ${label} ${String(i).padStart(2)}: ${ms(r.painted)} ms (scripts loaded at ${ms(r.scriptsLoaded)}, ` +
      `last API answer at ${ms(r.lastAnswer)}, in the DOM at ${ms(r.inDom)}); ` +
      (r.longTasks ? `longest task ${ms(r.longestTask)} ms of ${r.longTasks} ≥ 50 ms` : 'no task ≥ 50 ms'));
  }
  return results;
}

/** Nearest-rank percentile, as the other benchmarks take it. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = v => v.toFixed(0);
const longest = results => Math.max(...results.map(r => r.longestTask));
const longestText = results => (longest(results) ? `${ms(longest(results))} ms` : 'no task ≥ 50 ms');

async function main() {
  if (!TOKEN && !(USERNAME && PASSWORD)) {
    throw new Error('set QUARKFLOW_TOKEN, or QUARKFLOW_USERNAME and QUARKFLOW_PASSWORD');
  }
  const experimentId = process.env.UI_BENCH_EXPERIMENT_ID ?? await seedRuns();
  const historyRunId = process.env.UI_BENCH_HISTORY_RUN_ID ?? await seedHistory();
  if (!process.env.UI_BENCH_EXPERIMENT_ID || !process.env.UI_BENCH_HISTORY_RUN_ID) {
    console.log(`to measure them again without seeding: UI_BENCH_EXPERIMENT_ID=${experimentId} ` +
      `UI_BENCH_HISTORY_RUN_ID=${historyRunId}`);
  }
  const runCount = await countRuns(experimentId);
  const history = await historyOf(historyRunId);
  if (!runCount) throw new Error(`experiment ${experimentId} has no active runs`);
  console.log(`experiment ${experimentId}: ${runCount} runs; ` +
    `run ${historyRunId}: "${history.key}" ${history.points} points`);

  const browser = await launch();
  try {
    console.log(`Chromium ${browser.version()}, headless, at ${BASE_URL}; each page a new context with the signed-in ` +
      'session (empty HTTP cache); times from navigation start to the frame after the element appeared');
    const signingIn = await newPage(browser);
    await signIn(signingIn);
    const session = await signingIn.context().storageState();
    await signingIn.context().close();

    console.log(`first runs row: #/experiments/${experimentId}`);
    const rows = await timeRepeatedly('row', () =>
      openFresh(browser, session, `/#/experiments/${experimentId}`, ROW));
    console.log(`chart of "${history.key}": #/compare?runs=${historyRunId}`);
    const charts = await timeRepeatedly('chart', () =>
      openFresh(browser, session, `/#/compare?runs=${historyRunId}`, chartOf(history.key)));
    const drawn = charts[charts.length - 1].data;
    if (!(Number(drawn.points) > 0)) throw new Error(`the chart drew ${drawn.points} points`);

    const rowTimes = rows.map(r => r.painted);
    const chartTimes = charts.map(r => r.painted);
    const table = [
      ['runs in experiment', `${runCount} (experiment ${experimentId})`],
      [`time to first runs row, p50 / p90 (${REPEAT} pages)`,
        `${ms(percentile(rowTimes, 50))} / ${ms(percentile(rowTimes, 90))} ms`],
      ['longest task, runs page', longestText(rows)],
      [`points in history "${history.key}"`, `${history.points}`],
      ['points the chart drew (steps)', `${drawn.points} (${drawn.steps})`],
      [`chart drawn, p50 / p90 (${REPEAT} pages)`,
        `${ms(percentile(chartTimes, 50))} / ${ms(percentile(chartTimes, 90))} ms`],
      ['longest task, compare page', longestText(charts)],
    ];
    const width = Math.max(...table.map(([name]) => name.length));
    console.log();
    for (const [name, value] of table) console.log(`${name.padEnd(width)}  ${value}`);
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  console.error(`ui benchmark failed: ${e.stack ?? e}`);
  process.exitCode = 1;
});
