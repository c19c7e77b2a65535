/**
 * Browser: a task's comments and attachments in the task list, and an instance's comments in the operations view, in
 * Chromium (playwright-core) against the real server in-process, through the operations harness.
 */
import { readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { RestClient } from '../support/rest-client.js';
import { skipOrFail } from '../support/skip-report.js';
import { TEST_ACQUIRE_TIMEOUT_MS } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { buildOperationsHarness } from './support/operations-harness.js';

const SUITE = 'web/comments and attachments (browser)';
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
    outDir = await buildOperationsHarness('ops-comments-');
    db = await openDatabase({ acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    engine = createTestEngine(db);
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    const app = express();
    app.use(express.static(outDir));
    app.use(engine.app);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/operations-harness.html`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
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
    const errors = pageErrors.splice(0);
    expect(errors, 'errors in the browser console').to.deep.equal([]);
  });

  async function startWithTask(): Promise<{ instanceId: string; taskId: string }> {
    const started = await rest.post('/process-definition/key/single-user-task/start', {});
    const tasks = await rest.get(`/task?processInstanceId=${started.body.id}`);
    return { instanceId: started.body.id, taskId: tasks.body[0].id };
  }

  async function openTask(taskId: string): Promise<void> {
    // A fresh load: going to the same #/tasks again would keep the list loaded before the task existed.
    await page.goto('about:blank');
    await page.goto(`${base}#/tasks`);
    await page.locator(`.ops-task-item[data-task-id="${taskId}"]`).click();
    await page.getByRole('tab', { name: 'Form' }).waitFor();
  }

  it('should add a comment to a task and show it on the task and on its instance', async () => {
    // given
    const { instanceId, taskId } = await startWithTask();
    await openTask(taskId);

    // when
    await page.getByRole('tab', { name: 'Comments' }).click();
    await page.getByText('No comments yet.').waitFor();
    await page.getByLabel('New comment').fill('Called the patient; documents follow.');
    await page.getByRole('button', { name: 'Add comment' }).click();

    // then
    await page.locator('.ops-comment').getByText('Called the patient; documents follow.').waitFor();
    expect((await rest.get(`/task/${taskId}/comment`)).body.map((c: any) => c.message)).to.deep.equal(['Called the patient; documents follow.']);
    await page.goto(`${base}#/instances/${encodeURIComponent(instanceId)}`);
    await page.getByRole('tab', { name: 'Comments' }).click();
    await page.locator('.ops-comment').getByText('Called the patient; documents follow.').waitFor();
  });

  it('should add a link and a file attachment, download the file and delete the link', async () => {
    // given
    const { taskId } = await startWithTask();
    await openTask(taskId);
    await page.getByRole('tab', { name: 'Attachments' }).click();
    await page.getByText('No attachments yet.').waitFor();
    const form = page.getByRole('form', { name: 'Add an attachment' });

    // when a link is added
    await form.getByLabel('Name').fill('Referral');
    await form.getByLabel('Address').fill('https://example.com/referral/17');
    await form.getByRole('button', { name: 'Add attachment' }).click();

    // then it is listed as a link
    await page.getByRole('link', { name: 'https://example.com/referral/17' }).waitFor();

    // when a file is added
    await form.getByLabel('Kind').selectOption('file');
    await form.getByLabel('File').setInputFiles({ name: 'lab-results.txt', mimeType: 'text/plain', buffer: Buffer.from('HbA1c 6.1 %') });
    await form.getByRole('button', { name: 'Add attachment' }).click();

    // then it downloads with the same content
    const downloadButton = page.getByRole('button', { name: 'Download lab-results.txt' });
    await downloadButton.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
    expect(download.suggestedFilename()).to.equal('lab-results.txt');
    expect(readFileSync(await download.path()).toString('utf8')).to.equal('HbA1c 6.1 %');

    // when the link is deleted after confirmation
    await page.getByRole('button', { name: 'Delete Referral' }).click();
    await page.getByRole('dialog', { name: 'Delete attachment' }).getByRole('button', { name: 'Delete' }).click();

    // then only the file is left
    await page.getByText('Attachment deleted.').waitFor();
    expect((await rest.get(`/task/${taskId}/attachment`)).body.map((a: any) => a.name)).to.deep.equal(['lab-results.txt']);
  });

  it('should show an attachment address that is no web address as text, never as a link', async () => {
    const { taskId } = await startWithTask();
    await rest.upload(`/task/${taskId}/attachment/create`, { 'attachment-name': 'odd', url: 'javascript:alert(1)' });

    await openTask(taskId);
    await page.getByRole('tab', { name: 'Attachments' }).click();

    await page.getByText('javascript:alert(1)').waitFor();
    expect(await page.locator('a[href^="javascript"]').count()).to.equal(0);
  });
});
