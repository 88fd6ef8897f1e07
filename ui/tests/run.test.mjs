// The run page: the seeded "report" run's overview, params, metrics (and chart toggle), dataset, logged model and
// notes; adding, changing and deleting a tag and editing the note (checked on the server too); the artifact browser's
// previews (PNG, YAML, JSON, CSV, sandboxed HTML, text); a sweep's child runs and their parent link. A run of its own
// (in an experiment of its own, deleted at the end) covers the harder previews: quoted CSV/TSV fields, an SVG with
// scripts, a text larger than the preview limit, an unknown binary, and a logged model's artifacts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, seeded, signedIn } from './browser.mjs';

const data = seeded();
const REPORT = data.runs.report;
const REPORT_NOTE = 'A run with **notes**, artifacts, a dataset and a model.';
let browser;
let page;

before(async () => ({ browser, page } = await signedIn()));
after(() => browser?.close());

/** A call to the API from inside the page (same origin, the session cookie), as the UI makes it. */
async function call(method, path, body, contentType = 'application/json') {
  return page.evaluate(async ([method, path, body, contentType]) => {
    const answer = await fetch(path, { method, body, credentials: 'same-origin',
      headers: { 'content-type': contentType, 'x-requested-with': 'quarkflow-ui' } });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
    return text ? JSON.parse(text) : {};
  }, [method, path, typeof body === 'string' || body === undefined ? body : JSON.stringify(body), contentType]);
}

/** The run as the server has it now (outside the page, through the context's cookie). */
async function serverRun(runId) {
  const answer = await page.request.get(`/api/2.0/mlflow/runs/get?run_id=${runId}`);
  assert.ok(answer.ok(), `runs/get: ${answer.status()}`);
  return (await answer.json()).run;
}
const serverTag = (run, key) => run.data.tags?.find(t => t.key === key)?.value;

async function text(locator) {
  await locator.first().waitFor();
  return (await locator.first().textContent()).trim();
}
const texts = async locator => (await locator.first().waitFor(), locator).allTextContents();
const rows = async locator => (await locator.first().waitFor(), locator).evaluateAll(trs => trs.map(tr => [...tr.cells].map(td => td.textContent.trim())));

/** Opens the run's page afresh (a reload when the page shows it already: a new hash alone would not load again). */
async function openRun(runId, query = '') {
  const target = `/#/runs/${runId}${query}`;
  if (page.url().endsWith(target)) await page.reload();
  else await page.goto(target);
  await page.locator('.run-title .run-name').waitFor();
}

/** Selects a file in the artifact tree (opening the directories above it) and waits for its preview. */
async function preview(path) {
  const parts = path.split('/');
  for (let i = 0; i < parts.length - 1; i++) {
    const dir = page.locator('.artifact-tree .artifact-row.dir').getByRole('button', { name: parts[i], exact: true }).first();
    if (await dir.getAttribute('aria-expanded') !== 'true') await dir.click();
  }
  await page.locator('.artifact-tree .artifact-row.file').filter({ has: page.getByRole('button', { name: parts.at(-1), exact: true }) })
    .getByRole('button').click();
  await page.locator('.preview header .path', { hasText: path }).waitFor();
  return page.locator('.preview');
}

test('the report run: overview, params, metrics, chart toggle, dataset, logged model, notes', async () => {
  await openRun(REPORT);
  assert.equal(await text(page.locator('.run-title .run-name')), 'report');
  assert.equal(await text(page.locator('.run-overview .status')), 'FINISHED');
  assert.equal(await text(page.locator('[data-field="run-id"]')), REPORT);
  assert.equal(await page.locator('.run-overview a', { hasText: data.experiments.demo.name }).getAttribute('href'),
    `#/experiments/${data.experiments.demo.id}`);
  const tags = Object.fromEntries((await serverRun(REPORT)).data.tags.map(t => [t.key, t.value]));
  assert.equal(await page.locator('.run-overview tr', { hasText: 'Source' }).locator('td').nth(1).textContent(),
    `${tags['mlflow.source.name']} (${tags['mlflow.source.type']})`);

  await page.locator('.run-params tbody tr').first().waitFor();
  assert.deepEqual(await rows(page.locator('.run-params tbody tr')),
    [['layers', '3'], ['lr', '0.01'], ['optimizer', 'adam']]);
  assert.deepEqual((await rows(page.locator('.run-metrics tbody tr'))).map(r => r.slice(0, 3)), [['accuracy', '0.93', '0']]);

  const dataset = page.locator('.run-datasets tbody tr');
  assert.deepEqual((await rows(dataset)).map(r => r.slice(0, 4)).filter(r => r[0] === 'iris-sample'),
    [['iris-sample', (await serverRun(REPORT)).inputs.dataset_inputs[0].dataset.digest, 'code', 'training']]);
  await dataset.locator('summary', { hasText: 'Schema' }).click();
  assert.match(await text(dataset.locator('details[open] pre')), /sepal_length: double\s+species: string/);

  const model = page.locator(`.run-models tr[data-model="${data.logged_model}"]`);
  assert.equal(await text(model.locator('td.name')), 'report-model');
  assert.equal(await model.locator('td').nth(2).textContent(), 'READY');

  assert.equal(await text(page.locator('.notes-text')), REPORT_NOTE);

  // A metric's key toggles its chart.
  const chart = page.locator('.metric-chart[data-metric="accuracy"]');
  await page.locator('.metric-chart[data-metric="accuracy"][data-state="drawn"]').waitFor();
  assert.equal(await chart.getAttribute('data-points'), '1');
  const key = page.locator('.run-metrics').getByRole('button', { name: 'accuracy' });
  await key.click();
  await chart.waitFor({ state: 'detached' });
  assert.equal(await key.getAttribute('aria-pressed'), 'false');
  await key.click();
  await page.locator('.metric-chart[data-metric="accuracy"][data-state="drawn"]').waitFor();
  await page.locator('.run-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'run-overview');
});

test('a tag is added, changed and deleted, and the note edited, through the UI and on the server', async () => {
  await openRun(REPORT);
  const key = `ui-test-${Date.now()}`;
  await page.getByLabel('Tag key').fill(key);
  await page.getByLabel('Tag value').fill('first value');
  await page.getByRole('button', { name: 'Add tag' }).click();
  const row = page.locator(`.run-tags tr[data-tag="${key}"]`);
  assert.equal(await text(row.locator('td.value')), 'first value');
  assert.equal(serverTag(await serverRun(REPORT), key), 'first value');

  await page.getByRole('button', { name: `Edit tag ${key}` }).click();
  await page.getByLabel(`Value of ${key}`).fill('second value');
  await row.getByRole('button', { name: 'Save' }).click();
  await row.locator('td.value', { hasText: 'second value' }).waitFor();
  assert.equal(serverTag(await serverRun(REPORT), key), 'second value');

  await page.getByRole('button', { name: `Delete tag ${key}` }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal(serverTag(await serverRun(REPORT), key), undefined);

  const notes = page.locator('.section', { has: page.getByRole('heading', { name: 'Notes' }) });
  const edited = 'Edited by the run test.\n<b>not bold</b> <img src=x onerror="document.title=\'injected\'">';
  try {
    await notes.getByRole('button', { name: 'Edit' }).click();
    assert.equal(await page.getByRole('textbox', { name: 'Notes' }).inputValue(), REPORT_NOTE);
    await page.getByRole('textbox', { name: 'Notes' }).fill(edited);
    await notes.getByRole('button', { name: 'Save' }).click();
    await page.locator('.notes-text', { hasText: 'Edited by the run test.' }).waitFor();
    assert.equal(await page.locator('.notes-text').textContent(), edited);
    assert.equal(await page.locator('.notes-text b, .notes-text img').count(), 0, 'the note is text, not HTML');
    assert.notEqual(await page.title(), 'injected');
    assert.equal(serverTag(await serverRun(REPORT), 'mlflow.note.content'), edited);
  } finally {
    await call('POST', '/api/2.0/mlflow/runs/set-tag', { run_id: REPORT, key: 'mlflow.note.content', value: REPORT_NOTE });
  }
});

test('the artifact browser previews an image, YAML, JSON, CSV, sandboxed HTML and text', async () => {
  await openRun(REPORT);
  const tree = page.locator('.artifact-tree');
  await tree.locator('.artifact-row').first().waitFor();
  assert.deepEqual(await texts(tree.locator('.artifact-row .name')),
    ['▸data', '▸plots', 'config.yaml', 'notes.txt', 'report.html']);

  let shown = await preview('plots/fold-1.png');
  await page.waitForFunction(() => document.querySelector('.preview img.image')?.naturalWidth > 0);
  assert.match(await shown.locator('img.image').getAttribute('src'), /^blob:/);
  assert.equal(await shown.locator('img.image').getAttribute('alt'), 'fold-1.png');
  await screenshot(page, 'run-artifact-png');

  shown = await preview('config.yaml');
  assert.match(await text(shown.locator('pre.text')), /activation: relu/);
  const download = tree.getByRole('link', { name: 'Download config.yaml' });
  assert.equal(await download.getAttribute('download'), 'config.yaml');
  const downloaded = await page.request.get(await download.getAttribute('href'));
  assert.match(await downloaded.text(), /activation: relu/);
  await screenshot(page, 'run-artifact-yaml');

  shown = await preview('data/scores.json');
  assert.equal(await text(shown.locator('pre.text')), '{\n  "precision": 0.91,\n  "recall": 0.88\n}');

  shown = await preview('data/results.csv');
  assert.deepEqual(await texts(shown.locator('table.delimited thead th')), ['lr', 'layers', 'accuracy']);
  assert.deepEqual(await rows(shown.locator('table.delimited tbody tr')),
    [['0.01', '3', '0.93'], ['0.03', '2', '0.88'], ['0.1', '4', '0.71']]);
  await screenshot(page, 'run-artifact-csv');

  shown = await preview('report.html');
  const frame = shown.locator('iframe.html');
  assert.equal(await frame.getAttribute('sandbox'), '');
  const body = page.frameLocator('.preview iframe.html').locator('body');
  assert.equal(await text(body.locator('#body')), 'All folds passed.');
  assert.equal(await body.innerText(), 'Report\n\nAll folds passed.', 'the report\'s script did not run');
  await frame.scrollIntoViewIfNeeded();
  await screenshot(page, 'run-artifact-html');

  shown = await preview('notes.txt');
  assert.equal(await shown.locator('pre.text').textContent(), 'plain notes\nsecond line\n');

  // The selected file is in the address: a reload shows it again, its directory open.
  await openRun(REPORT, '?artifact=data%2Fresults.csv');
  await page.locator('.preview table.delimited tbody tr').nth(2).waitFor();
  assert.equal(await tree.locator('.artifact-row.selected .name').textContent(), 'results.csv');
});

test('a sweep lists its child runs, and a child links back to its parent', async () => {
  await openRun(data.runs.sweep);
  const children = page.locator('.child-runs tbody tr');
  await children.first().waitFor();
  assert.deepEqual((await rows(children)).map(r => r[0]).sort(), ['sweep-child-0', 'sweep-child-1', 'sweep-child-2']);
  await page.locator('.child-runs').getByRole('link', { name: 'sweep-child-1' }).click();
  await page.locator('.run-title .run-name', { hasText: 'sweep-child-1' }).waitFor();
  assert.ok(page.url().endsWith(`#/runs/${data.runs.sweep_children[1]}`));
  const parent = page.locator('[data-field="parent-run"]');
  await page.locator('[data-field="parent-run"]', { hasText: 'sweep' }).waitFor();
  assert.equal(await parent.getAttribute('href'), `#/runs/${data.runs.sweep}`);
  assert.deepEqual(await rows(page.locator('.run-params tbody tr')), [['alpha', '0.1']]);
  await parent.click();
  await page.locator('.run-title .run-name', { hasText: /^sweep$/ }).waitFor();
});

test('quoted CSV/TSV fields, an SVG, a text over the limit, a binary file and a logged model\'s artifacts', async () => {
  const experiment = await call('POST', '/api/2.0/mlflow/experiments/create', { name: `ui-run-test-${data.suffix}-${Date.now()}` });
  try {
    const { run } = await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: experiment.experiment_id, run_name: 'previews' });
    const upload = (root, path, content) => {
      assert.match(root, /^mlflow-artifacts:\//);
      return call('PUT', `/api/2.0/mlflow-artifacts/artifacts/${root.slice('mlflow-artifacts:/'.length)}/${path}`,
        content, 'application/octet-stream');
    };
    const root = run.info.artifact_uri;
    await upload(root, 'quoted.csv', 'name,note\n"a,b","say ""hi"""\n"two\nlines",plain\n');
    await upload(root, 'tabs.tsv', 'k\tv\n"x\ty"\t1\n');
    await upload(root, 'shape.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" '
      + 'onload="document.title=\'svg ran\'"><rect width="40" height="20" fill="red"/>'
      + '<script>document.title=\'svg ran\'</script></svg>');
    await upload(root, 'big.log', 'line of a large log\n'.repeat(60_000));
    await upload(root, 'weights.bin', '\u0000\u0001\u0002');
    const { model } = await call('POST', '/api/2.0/mlflow/logged-models',
      { experiment_id: experiment.experiment_id, name: 'preview-model', source_run_id: run.info.run_id });
    await upload(model.info.artifact_uri, 'MLmodel', 'flavors:\n  python_function: {}\n');

    await openRun(run.info.run_id);
    const title = await page.title();
    let shown = await preview('quoted.csv');
    assert.deepEqual(await rows(shown.locator('table.delimited tbody tr')), [['a,b', 'say "hi"'], ['two\nlines', 'plain']]);
    shown = await preview('tabs.tsv');
    assert.deepEqual(await rows(shown.locator('table.delimited tbody tr')), [['x\ty', '1']]);

    shown = await preview('shape.svg');
    await page.waitForFunction(() => document.querySelector('.preview img.image')?.naturalWidth === 40);
    assert.equal(await page.locator('.run-page svg').count(), 0, 'the SVG is an image, not part of the page');
    assert.equal(await page.title(), title);

    shown = await preview('big.log');
    assert.match(await text(shown.locator('.truncated')), /^Showing the first 1\.0 MB of 1\.1 MB\.$/);
    assert.equal((await shown.locator('pre.text').textContent()).length, 1024 * 1024);

    shown = await preview('weights.bin');
    assert.match(await text(shown.locator('.preview-body')), /No preview/);
    assert.equal(await shown.getByRole('link', { name: 'Download' }).getAttribute('download'), 'weights.bin');

    const models = page.locator('.section', { has: page.getByRole('heading', { name: /^Logged models/ }) });
    assert.equal(await text(models.locator('td.name')), 'preview-model');
    assert.equal(await models.locator('tbody td').nth(2).textContent(), 'PENDING');
    await page.getByRole('button', { name: 'Artifacts of preview-model' }).click();
    await models.getByRole('button', { name: 'MLmodel', exact: true }).click();
    assert.equal(await models.locator('.preview pre.text').textContent(), 'flavors:\n  python_function: {}\n');
    await screenshot(page, 'run-model-artifacts');
  } finally {
    await call('POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: experiment.experiment_id });
  }
});
