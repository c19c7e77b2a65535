/**
 * Browser: the operations view and the task list in Chromium (playwright-core) against the real server in-process,
 * bundled with a stand-in shell (test/web/fixtures/operations-harness.js) so the suite runs on its own.
 */
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

const SUITE = 'web/operations (browser)';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web-operations');

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
    outDir = await buildOperationsHarness('ops-harness-');
    mkdirSync(ARTIFACTS, { recursive: true });

    db = await openDatabase({ acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    engine = createTestEngine(db);
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    await rest.deployFixture('single-external-task.bpmn');
    await rest.deployFixture('timers-intermediate-catch.bpmn');
    await rest.deployFixture('job-executor-failing-timer.bpmn');
    await rest.deployFixture('multi-instance.bpmn');
    await rest.deployFixture('compensation.bpmn');

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

  afterEach(function () {
    // Errors must show in the page; a page error or console error is a bug (except the 404 an ended instance answers).
    const unexpected = pageErrors.filter((line) => !/404 \(Not Found\)/.test(line));
    pageErrors.length = 0;
    expect(unexpected, 'errors in the browser console').to.deep.equal([]);
  });

  async function open(hash: string): Promise<void> {
    await page.goto(`${base}${hash}`);
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  async function startByRest(key: string, body: Record<string, unknown> = {}): Promise<string> {
    const res = await rest.post(`/process-definition/key/${key}/start`, body);
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  const marker = (id: string, cls: string) => `.djs-element[data-element-id="${id}"].${cls}`;

  it('should start an instance from the browser, show its token, complete its task in the task list and show it ended', async () => {
    // given the processes page
    await open('#/processes');
    const row = page.locator('tr[data-key="single-user-task"]');
    await row.waitFor();
    expect(await page.title()).to.equal('Processes · Process engine');
    await screenshot('01-processes');

    // when starting an instance with a business key and a typed variable
    await row.getByRole('button', { name: 'Start instance of Single user task' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start instance' });
    await dialog.getByLabel('Business key').fill('order-42');
    await dialog.getByRole('button', { name: '+ Add variable' }).click();
    await dialog.getByLabel('Name').fill('amount');
    await dialog.getByLabel('Type').selectOption('Integer');
    await dialog.getByLabel('Value').fill('4x');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.getByText('Integer needs a whole number').waitFor();
    await screenshot('02-start-dialog-invalid');
    await dialog.getByLabel('Value').fill('42');
    await dialog.getByRole('button', { name: 'Start' }).click();

    // then the instance view shows the token on the user task
    await page.waitForURL(/#\/instances\//);
    const instanceId = decodeURIComponent(page.url().split('#/instances/')[1]);
    await page.locator(marker('Task_Review', 'ops-active')).waitFor();
    await page.locator('.ops-badge-tokens[data-activity="Task_Review"]').waitFor();
    expect(await page.locator('.ops-waiting-at').textContent()).to.equal('Review request');
    expect(await page.locator('tr[data-variable="amount"]').textContent()).to.contain('Integer').and.contain('42');
    expect(await page.title()).to.equal('Instance of Single user task · Process engine');
    const started = (await rest.get(`/process-instance/${instanceId}`)).body;
    expect(started).to.include({ businessKey: 'order-42', suspended: false });
    await page.getByRole('tab', { name: 'History' }).click();
    await page.locator('tr[data-activity-id="StartEvent_1"]').waitFor();
    await screenshot('03-instance-waiting');

    // and the definition view counts the token and lists the instance
    await open(`#/processes/${encodeURIComponent(started.definitionId)}`);
    await page.locator('.ops-badge-tokens[data-activity="Task_Review"][data-count="1"]').waitFor();
    await page.locator(`tr[data-instance-id="${instanceId}"]`).getByText('order-42').waitFor();
    await page.getByRole('tab', { name: 'Jobs (0)' }).click();
    await page.getByText('No timers or jobs waiting.').waitFor();
    await page.getByRole('tab', { name: /Running instances/ }).click();
    await screenshot('04-definition');

    // when the task is completed in the task list, filtered by its candidate group
    await open('#/tasks');
    await page.getByLabel('Working as').fill('demo');
    await page.getByLabel('Candidate group').fill('reviewers');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const item = page.locator('.ops-task-item[data-task-definition-key="Task_Review"]');
    await item.waitFor();
    await item.click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.getByText('You claimed “Review request”.').waitFor();
    await page.locator('.ops-task-assignee').getByText('demo').waitFor();
    const form = page.getByRole('form', { name: 'Form of Review request' });
    await form.getByLabel(/^amount/).fill('50');
    await form.getByRole('button', { name: '+ New variable' }).click();
    await form.getByLabel('Name').fill('approved');
    await form.getByLabel('Type').selectOption('Boolean');
    await form.getByLabel('Value').check();
    await page.getByRole('tab', { name: 'Diagram' }).click();
    await page.locator(marker('Task_Review', 'ops-active')).waitFor();
    await screenshot('05-task-diagram');
    await page.getByRole('tab', { name: 'Form' }).click();
    await screenshot('06-task-form');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByText('Completed “Review request”.').waitFor();

    // then the instance has ended, with its history and final variables
    await open(`#/instances/${encodeURIComponent(instanceId)}`);
    await page.locator('.ops-ended-notice').getByText(/This instance has ended: completed/).waitFor();
    await page.locator('.ops-instance-state .ops-state-completed').waitFor();
    await page.locator('tr[data-activity-id="EndEvent_1"]').waitFor();
    expect(await page.locator('tr[data-activity-id="Task_Review"]').textContent()).to.contain('Completed');
    await page.getByRole('tab', { name: 'Variables' }).click();
    const finalVariables = await page.locator('.ops-tab-panel').textContent();
    expect(finalVariables).to.contain('approved').and.contain('true').and.contain('50');
    await page.locator(marker('Task_Review', 'ops-taken')).waitFor();
    await screenshot('07-instance-ended');
    const history = (await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body;
    expect(history[0]).to.include({ state: 'COMPLETED' });
  });

  it('should show an incident with its message and retry it', async () => {
    // given an external task failed with no retries left
    const instanceId = await startByRest('single-external-task');
    const [task] = (await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 60000 }] })).body;
    expect((await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'card service down', retries: 0 })).status).to.equal(204);

    // when
    await open(`#/instances/${encodeURIComponent(instanceId)}`);
    await page.locator(marker('Task_Work', 'ops-incident')).waitFor();
    await page.locator('.ops-badge-incidents[data-activity="Task_Work"]').waitFor();
    const incidentRow = page.locator('tr[data-incident-id]');
    expect(await incidentRow.locator('.ops-incident-message').textContent()).to.equal('card service down');
    await screenshot('08-instance-incident');
    await incidentRow.getByRole('button', { name: 'Retry Do work' }).click();

    // then
    await page.getByText('Retried: the external task is available to workers again.').waitFor();
    await page.getByRole('tab', { name: 'Incidents (0)' }).waitFor();
    expect((await rest.get(`/external-task/${task.id}`)).body).to.include({ retries: 1 });
    expect((await rest.get(`/incident?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
  });

  it('should list a waiting timer in the Jobs tab and run it now, and retry a job that failed', async () => {
    // given an instance waiting an hour at a timer, and one whose timer job ran out of retries
    const waiting = await startByRest('timer-catch');
    const failing = await startByRest('failing-timer');
    const [failingJob] = (await rest.get(`/job?processInstanceId=${failing}`)).body;
    for (let run = 0; run < 3; run++) await rest.post(`/job/${failingJob.id}/execute`, {}, { undocumentedStatus: 500 });

    // when: the waiting instance's timer is run from its Jobs tab
    await open(`#/instances/${encodeURIComponent(waiting)}`);
    await page.getByRole('tab', { name: 'Jobs (1)' }).click();
    const timerRow = page.locator('tr[data-job-id]');
    expect(await timerRow.locator('td').nth(1).textContent()).to.equal('Timer (DURATION: PT1H)');
    await screenshot('13-instance-jobs');
    await timerRow.getByRole('button', { name: 'Run job of One hour now' }).click();

    // then
    await page.getByText('The job ran.').waitFor();
    expect((await rest.get(`/task?processInstanceId=${waiting}`)).body.map((task: { name: string }) => task.name)).to.deep.equal(['Follow up']);

    // when: the failed job gets a retry from the incident
    await open(`#/instances/${encodeURIComponent(failing)}`);
    await page.getByRole('tab', { name: 'Jobs (1)' }).click();
    expect(await page.locator('tr[data-job-id] .ops-job-exception').textContent()).to.contain('tariff');
    await page.getByRole('button', { name: 'Retry job of Five minutes' }).click();

    // then
    await page.getByText('Retried: the job runs again when it is due.').waitFor();
    expect((await rest.get(`/job/${failingJob.id}`)).body.retries).to.equal(1);
    expect((await rest.get(`/incident?processInstanceId=${failing}`)).body).to.deep.equal([]);
  });

  it('should link a caller and its child instances and count the iterations of a multi-instance activity', async () => {
    // given an instance at its parallel review of three, one review done, and later at its authorization calls
    const reviewers = { value: '["ann","bob","cy"]', type: 'Json' };
    const instanceId = await startByRest('multi-instance-reviews', { variables: { reviewers, notifications: { value: 0, type: 'Integer' }, members: { value: '["m1","m2"]', type: 'Json' } } });
    const [first] = (await rest.get(`/task?processInstanceId=${instanceId}&assignee=ann`)).body;
    await rest.post(`/task/${first.id}/complete`, {});

    // when
    await open(`#/instances/${encodeURIComponent(instanceId)}`);

    // then
    await page.locator('.ops-multi-instance').getByText('Review ${reviewer}: 2 running, 1 completed').waitFor();
    expect(await page.locator('.ops-waiting-at').textContent()).to.contain('×2');

    // when the reviews are done, the caller waits for a child instance per member
    for (const task of (await rest.get(`/task?processInstanceId=${instanceId}&taskDefinitionKey=Review`)).body) await rest.post(`/task/${task.id}/complete`, {});
    await open('#/processes');
    await open(`#/instances/${encodeURIComponent(instanceId)}`);
    const calls = page.locator('.ops-called a');
    await calls.first().waitFor();
    expect(await calls.count()).to.equal(2);
    await screenshot('15-instance-calls');

    // and a child links back to its caller
    await calls.first().click();
    await page.getByText('Called by').waitFor();
    await page.locator(`a[href="#/instances/${encodeURIComponent(instanceId)}"]`).first().waitFor();
  });

  it('should show an event sub-process and the compensation handlers it started in the instance history', async () => {
    // given a claim rejected after its funds were reserved and its filing done: its error event sub-process undoes both
    const instanceId = await startByRest('saga-claim', {});
    for (const key of ['Task_Reserve', 'Task_File', 'Task_Review']) {
      const [task] = (await rest.get(`/task?processInstanceId=${instanceId}&taskDefinitionKey=${key}`)).body;
      await rest.post(`/task/${task.id}/complete`, key === 'Task_Review' ? { variables: { decision: { value: 'reject', type: 'String' } } } : {});
    }

    // when
    await open(`#/instances/${encodeURIComponent(instanceId)}`);

    // then the instance waits at both handlers, and the history names the event sub-process and the handlers
    await page.locator('.ops-waiting-at').getByText('Release funds').waitFor();
    expect(await page.locator('.ops-waiting-at').textContent()).to.contain('Withdraw claim');
    await page.getByRole('tab', { name: 'History' }).click();
    const typeOf = async (activityId: string) => (await page.locator(`tr[data-activity-id="${activityId}"] td`).nth(1).textContent())?.trim();
    await page.locator('tr[data-activity-id="Sub_Rejected"]').waitFor();
    expect(await typeOf('Sub_Rejected')).to.equal('subProcess (event sub-process)');
    expect(await typeOf('Start_Rejected')).to.equal('errorStartEvent');
    expect(await typeOf('Task_Release')).to.equal('userTask (compensation handler)');
    expect(await typeOf('Task_Withdraw_Claim')).to.equal('userTask (compensation handler)');
    expect(await typeOf('End_Compensated')).to.equal('compensationEndEvent');
    await screenshot('16-instance-compensation');
  });

  it('should edit, add and delete variables of a running instance', async () => {
    // given
    const instanceId = await startByRest('single-user-task', { variables: { note: { value: 'draft', type: 'String' }, due: { value: '2025-03-04T05:06:07.000+0000', type: 'Date' } } });
    await open(`#/instances/${encodeURIComponent(instanceId)}`);
    const note = page.locator('tr[data-variable="note"]');
    await note.waitFor();

    // when a value is edited
    await note.getByRole('button', { name: 'Edit note' }).click();
    await page.getByLabel('Value of note').fill('final');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved “note”.').waitFor();
    // and a variable added with a type
    await page.getByRole('button', { name: '+ New variable' }).click();
    const additions = page.locator('.ops-add-variables');
    await additions.getByLabel('Name').fill('count');
    await additions.getByLabel('Type').selectOption('Long');
    await additions.getByLabel('Value').fill('7');
    await additions.getByRole('button', { name: 'Save new variables' }).click();
    await page.getByText('Added “count”.').waitFor();
    await screenshot('09-instance-variables');
    // and one deleted, after confirming
    await page.locator('tr[data-variable="due"]').getByRole('button', { name: 'Delete due' }).click();
    await page.getByRole('dialog', { name: 'Delete variable “due”?' }).getByRole('button', { name: 'Delete variable' }).click();
    await page.getByText('Deleted “due”.').waitFor();

    // then
    const variables = (await rest.get(`/process-instance/${instanceId}/variables`)).body;
    expect(variables.note).to.include({ type: 'String', value: 'final' });
    expect(variables.count).to.include({ type: 'Long', value: 7 });
    expect(variables).not.to.have.property('due');
  });

  it('should suspend and activate an instance after confirmation', async () => {
    // given
    const instanceId = await startByRest('single-user-task');
    await open(`#/instances/${encodeURIComponent(instanceId)}`);
    await page.locator('.ops-state-running').waitFor();

    // when suspended (cancelling once first)
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('dialog', { name: 'Suspend this instance?' }).getByRole('button', { name: 'Cancel' }).click();
    expect((await rest.get(`/process-instance/${instanceId}`)).body.suspended).to.equal(false);
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('dialog', { name: 'Suspend this instance?' }).getByRole('button', { name: 'Suspend' }).click();

    // then
    await page.getByText('The instance is suspended.').waitFor();
    await page.locator('.ops-instance-state .ops-state-suspended').waitFor();
    expect((await rest.get(`/process-instance/${instanceId}`)).body.suspended).to.equal(true);
    await screenshot('10-instance-suspended');
    // and its task cannot be claimed in the task list
    const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
    await open('#/tasks');
    await page.getByLabel('Candidate group').fill('reviewers');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.locator(`.ops-task-item[data-task-id="${task.id}"]`).click();
    await page.locator('.ops-task-detail .ops-state-suspended').waitFor();
    expect(await page.getByRole('button', { name: 'Claim' }).isDisabled()).to.equal(true);
    expect(await page.getByRole('button', { name: 'Complete' }).isDisabled()).to.equal(true);
    await open(`#/instances/${encodeURIComponent(instanceId)}`);

    // when activated
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('dialog', { name: 'Activate this instance?' }).getByRole('button', { name: 'Activate' }).click();

    // then
    await page.getByText('The instance is active again.').waitFor();
    await page.locator('.ops-instance-state .ops-state-running').waitFor();
    expect((await rest.get(`/process-instance/${instanceId}`)).body.suspended).to.equal(false);
  });

  it('should show errors in the page and delete an instance after confirmation', async () => {
    // given an unknown definition
    await open('#/processes/no-such-definition');
    await page.getByRole('alert').getByText(/does not exist/).waitFor();

    // when an instance is deleted
    const instanceId = await startByRest('single-user-task');
    await open(`#/instances/${encodeURIComponent(instanceId)}`);
    await page.locator('.ops-state-running').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete this instance?' }).getByRole('button', { name: 'Delete instance' }).click();

    // then the definition view shows, and the instance's history says it was canceled
    await page.waitForURL(/#\/processes\//);
    await open(`#/instances/${encodeURIComponent(instanceId)}`);
    await page.locator('.ops-ended-notice').getByText(/This instance has ended: canceled/).waitFor();
  });

  it('should switch between versions of a definition', async () => {
    // given a second version
    const v1 = (await rest.get('/process-definition/key/single-user-task')).body;
    const { definition: v2 } = await rest.deployFixture('single-user-task.bpmn');
    expect(v2.version).to.equal(v1.version + 1);
    await startByRest('single-user-task');

    // when the older version is chosen in the list
    await open('#/processes');
    const version = page.getByLabel('Version of Single user task');
    await version.waitFor();
    expect(await version.inputValue()).to.equal(v2.id);
    await version.selectOption(v1.id);

    // then the row shows that version
    const row = page.locator('tr[data-key="single-user-task"]');
    expect(await row.locator('.ops-definition-link').getAttribute('href')).to.equal(`#/processes/${encodeURIComponent(v1.id)}`);
    expect(await row.locator('.ops-running-count').textContent()).to.match(/in all versions/);
    await screenshot('11-processes-versions');

    // and the definition view switches versions too
    await open(`#/processes/${encodeURIComponent(v2.id)}`);
    await page.getByLabel('Version').selectOption(v1.id);
    await page.waitForURL(new RegExp(`#/processes/${encodeURIComponent(v1.id)}$`));
    await page.getByRole('heading', { name: 'Single user task' }).waitFor();
  });
});
