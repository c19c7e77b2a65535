/** Browser: the task list's saved filters (Tasklist's `/filter`) in Chromium against the real server in-process. */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { RestClient } from '../support/rest-client.js';
import { skipOrFail } from '../support/skip-report.js';
import { TEST_ACQUIRE_TIMEOUT_MS } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { buildOperationsHarness } from './support/operations-harness.js';

const SUITE = 'web/task filters (browser)';
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'web-task-filters');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe(SUITE, function () {
  this.timeout(60_000);
  let outDir: string;
  let db: Database;
  let engine: TestEngine;
  let rest: RestClient;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  before(async function () {
    this.timeout(120_000);
    if (!existsSync(CHROMIUM)) skipOrFail(this, SUITE, `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
    outDir = await buildOperationsHarness('task-filters-harness-');
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await openDatabase({ acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    engine = createTestEngine(db);
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-filters.bpmn');
    // given two instances, each waiting at "Review claim" and "Check documents"
    for (const businessKey of ['claim-1', 'claim-2']) expect((await rest.post('/process-definition/key/differential-filters/start', { businessKey })).status).to.equal(200);
    const app = express();
    app.use(express.static(outDir));
    app.use(engine.app);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/operations-harness.html`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    engine?.fetchAndLockWaiter.close();
    await db?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  afterEach(() => {
    const errors = [...pageErrors];
    pageErrors.length = 0;
    expect(errors, 'errors in the browser console').to.deep.equal([]);
  });

  async function listedTaskKeys(): Promise<string[]> {
    return page.locator('.ops-task-item').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.taskDefinitionKey ?? ''));
  }

  it('should offer the saved filters and list a chosen filter\'s tasks through /filter/{id}/list', async () => {
    // given a saved filter for the review step
    const created = await rest.post('/filter/create', { resourceType: 'Task', name: 'Review queue', query: { processDefinitionKey: 'differential-filters', taskDefinitionKey: 'Task_Review' } });
    expect(created.status).to.equal(200);

    // when it is chosen on the task list
    await page.goto(`${base}#/tasks`);
    await page.getByText('4 tasks').waitFor();
    await page.getByLabel('Saved filter').selectOption({ label: 'Review queue' });

    // then only its tasks show, and the page's own filters narrow them further
    await page.getByText('2 tasks').waitFor();
    expect(await listedTaskKeys()).to.deep.equal(['Task_Review', 'Task_Review']);
    await page.screenshot({ path: path.join(ARTIFACTS, '01-saved-filter-chosen.png'), fullPage: true });
    await page.getByRole('button', { name: 'My tasks' }).click();
    await page.getByText('No tasks match these filters.').waitFor();
    await page.getByRole('button', { name: 'All' }).click();
    await page.getByText('2 tasks').waitFor();

    // and choosing none shows every task again
    await page.getByLabel('Saved filter').selectOption({ label: 'None (all tasks)' });
    await page.getByText('4 tasks').waitFor();
  });

  it('should save the current view as a filter and show it chosen', async () => {
    // given the list narrowed to a candidate group
    await page.goto(`${base}#/tasks`);
    await page.getByLabel('Candidate group').fill('reviewers');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByText('2 tasks').waitFor();

    // when the view is saved under a name
    await page.getByRole('button', { name: 'Save as filter…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save the current view as a filter' });
    await dialog.getByLabel('Filter name').fill('Reviewers');
    await page.screenshot({ path: path.join(ARTIFACTS, '02-save-filter-dialog.png') });
    await dialog.getByRole('button', { name: 'Save filter' }).click();

    // then the engine keeps it with the view's query, and the list shows it chosen
    await page.getByText('Saved the filter “Reviewers”.').waitFor();
    const [saved] = (await rest.get('/filter?name=Reviewers')).body;
    expect(saved.query).to.deep.include({ candidateGroup: 'reviewers', includeAssignedTasks: true, sorting: [{ sortBy: 'created', sortOrder: 'desc' }] });
    expect(await page.getByLabel('Saved filter').inputValue()).to.equal(saved.id);
    expect(await listedTaskKeys()).to.deep.equal(['Task_Review', 'Task_Review']);
  });
});
