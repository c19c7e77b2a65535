/** Browser: an instance's audit trail in the operations view (Chromium, playwright-core) against the real server with Basic auth. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { fixture, RestClient, type CallOptions } from '../support/rest-client.js';
import { TEST_ACQUIRE_TIMEOUT_MS } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { collectPageErrors, launchChromium, removeDir } from './support/browser.js';
import { buildOperationsHarness } from './support/operations-harness.js';

const SUITE = 'web/audit-trail (browser)';
const USERS = new Map([['anna', 'anna-secret'], ['ben', 'ben-secret']]);

function basic(user: string): string {
  return `Basic ${Buffer.from(`${user}:${USERS.get(user)}`).toString('base64')}`;
}

describe(SUITE, function () {
  this.timeout(60_000);
  let outDir: string;
  let db: Database;
  let engine: TestEngine;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  let instanceId: string;
  let pageErrors: string[] = [];

  before(async function () {
    this.timeout(120_000);
    browser = await launchChromium(this, SUITE);
    outDir = await buildOperationsHarness('audit-harness-');

    db = await openDatabase({ acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    // Every reading of the clock a second later, so the operations sort by time.
    let now = Date.parse('2025-02-03T09:00:00.000Z');
    engine = createTestEngine(db, { basicAuthUsers: USERS, clock: { now: () => new Date((now += 1000)) } });
    const rest = new RestClient(engine.app);
    const as = (user: string): CallOptions => ({ headers: { Authorization: basic(user) } });
    expect((await rest.deploy([{ name: 'single-user-task.bpmn', content: fixture('bpmn/single-user-task.bpmn') }], {}, as('anna'))).status).to.equal(200);
    instanceId = (await rest.post('/process-definition/key/single-user-task/start', { variables: { diagnosis: { value: 'PATIENT-DIAGNOSIS', type: 'String' } } }, as('anna'))).body.id;
    expect((await rest.put(`/process-instance/${instanceId}/suspended`, { suspended: true }, as('anna'))).status).to.equal(204);
    expect((await rest.put(`/process-instance/${instanceId}/suspended`, { suspended: false }, as('anna'))).status).to.equal(204);
    const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`, as('ben'))).body;
    expect((await rest.post(`/task/${task.id}/claim`, { userId: 'ben' }, as('ben'))).status).to.equal(204);

    const app = express();
    app.use(express.static(outDir));
    app.use(engine.app);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/operations-harness.html`;

    // The operator signed in as anna; reading the trail is no user operation of its own.
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, extraHTTPHeaders: { Authorization: basic('anna') } });
    pageErrors = collectPageErrors(page);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    engine?.fetchAndLockWaiter.close();
    await db?.close();
    removeDir(outDir);
  });

  afterEach(() => {
    const unexpected = [...pageErrors];
    pageErrors.length = 0;
    expect(unexpected, 'errors in the browser console').to.deep.equal([]);
  });

  it("should list who did what to the instance, newest first, without variable values", async () => {
    await page.goto(`${base}#/instances/${encodeURIComponent(instanceId)}`);
    await page.getByRole('tab', { name: 'Audit trail' }).click();
    const table = page.getByRole('table', { name: /Audit trail/ });
    await table.getByRole('row').nth(4).waitFor();

    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));

    expect(rows.map((cells) => [cells[1], cells[2], cells[4]])).to.deep.equal([
      ['ben', 'Claim', 'assignee: ∅ → ben'],
      ['anna', 'Activate', 'suspensionState: ∅ → active'],
      ['anna', 'Suspend', 'suspensionState: ∅ → suspended'],
      ['anna', 'Create', '—'],
    ]);
    expect(rows[0][3]).to.match(/^Task /);
    expect(await table.textContent()).not.to.contain('PATIENT');
  });
});
