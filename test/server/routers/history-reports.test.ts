/** Specification of Camunda's duration reports: finished process instances by start period, completed tasks by end period. */
import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('history reports', (use) => {
  let rest: RestClient;
  let app: Express;
  let now = '2026-03-31T23:58:00.000Z';
  const MINUTE = 60_000;

  async function runTask(startAt: string, completeAt: string): Promise<string> {
    now = startAt;
    const started = await rest.post('/process-definition/key/single-user-task/start', {});
    expect(started.status, started.text).to.equal(200);
    const [task] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    now = completeAt;
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
    return started.body.id;
  }

  before(async () => {
    app = createTestEngine(use(), { clock: { now: () => new Date(now) } }).app;
    rest = new RestClient(app);
    await rest.deployFixture('single-user-task.bpmn');
    // given: one instance started in March and finished in April (2 min), one started and finished in April (10 min), one running
    await runTask('2026-03-31T23:58:00.000Z', '2026-04-01T00:00:00.000Z');
    await runTask('2026-04-10T10:00:00.000Z', '2026-04-10T10:10:00.000Z');
    now = '2026-04-11T08:00:00.000Z';
    await rest.post('/process-definition/key/single-user-task/start', {});
  });

  const duration = (period: number, periodUnit: string, minimum: number, maximum: number, average: number) =>
    ({ period, periodUnit, minimum, maximum, average });

  describe('process instance report', () => {
    it('should group finished instances by the month and quarter (UTC) in which they started', async () => {
      // when
      const months = await rest.get('/history/process-instance/report?reportType=duration&periodUnit=month&processDefinitionKeyIn=single-user-task');
      const quarters = await rest.get('/history/process-instance/report?reportType=duration&periodUnit=QUARTER');

      // then
      expect(months.status).to.equal(200);
      expect(months.body).to.deep.equal([duration(3, 'MONTH', 2 * MINUTE, 2 * MINUTE, 2 * MINUTE), duration(4, 'MONTH', 10 * MINUTE, 10 * MINUTE, 10 * MINUTE)]);
      expect(quarters.body).to.deep.equal([duration(1, 'QUARTER', 2 * MINUTE, 2 * MINUTE, 2 * MINUTE), duration(2, 'QUARTER', 10 * MINUTE, 10 * MINUTE, 10 * MINUTE)]);
    });

    it('should filter by start time and definition', async () => {
      const definition = (await rest.get('/process-definition/key/single-user-task')).body.id;

      const april = await rest.get('/history/process-instance/report?reportType=duration&periodUnit=month&startedAfter=2026-04-01T00:00:00.000%2B0000');
      const march = await rest.get(`/history/process-instance/report?reportType=duration&periodUnit=month&processDefinitionIdIn=${definition}&startedBefore=2026-04-01T00:00:00.000%2B0000`);
      const other = await rest.get('/history/process-instance/report?reportType=duration&periodUnit=month&processDefinitionKeyIn=no-such-process');

      expect(april.body).to.deep.equal([duration(4, 'MONTH', 10 * MINUTE, 10 * MINUTE, 10 * MINUTE)]);
      expect(march.body).to.deep.equal([duration(3, 'MONTH', 2 * MINUTE, 2 * MINUTE, 2 * MINUTE)]);
      expect(other.body).to.deep.equal([]);
    });

    it('should answer CSV when asked for it, and 406 for a media type it cannot write', async () => {
      // Supertest directly: the REST client checks every 200 against the OpenAPI's JSON schema.
      const csv = await request(app).get('/engine-rest/history/process-instance/report?reportType=duration&periodUnit=month').set('Accept', 'application/csv;q=0.9, text/csv');
      const plain = await request(app).get('/engine-rest/history/process-instance/report?reportType=duration&periodUnit=month').set('Accept', 'text/plain');

      expect(csv.status).to.equal(200);
      expect(csv.headers['content-type']).to.equal('text/csv');
      expect(csv.headers['content-disposition']).to.contain('process-instance-report.csv');
      expect(csv.text).to.equal('PERIOD,PERIOD_UNIT,MINIMUM,MAXIMUM,AVERAGE\n3,MONTH,120000,120000,120000\n4,MONTH,600000,600000,600000');
      expect([plain.status, plain.body.type]).to.deep.equal([406, 'NotAcceptableException']);
    });

    it('should refuse another report type and a missing or unknown period unit with Camunda\'s messages', async () => {
      const messages = await Promise.all([
        '/history/process-instance/report?periodUnit=month',
        '/history/process-instance/report?reportType=count&periodUnit=month',
        '/history/process-instance/report?reportType=duration',
        '/history/process-instance/report?reportType=duration&periodUnit=week',
      ].map(async (path) => {
        const res = await rest.get(path);
        expect(res.status).to.equal(400);
        return res.body.message;
      }));

      expect(messages).to.deep.equal([
        'Unknown report type null',
        'Unknown report type count',
        'periodUnit is null',
        "Cannot set query parameter 'periodUnit' to value 'week': Cannot convert value week to java enum type org.camunda.bpm.engine.query.PeriodUnit",
      ]);
    });
  });

  describe('task duration report', () => {
    it('should group completed tasks by the month and quarter in which they were completed', async () => {
      const months = await rest.get('/history/task/report?reportType=duration&periodUnit=month');
      const quarters = await rest.get('/history/task/report?reportType=duration&periodUnit=quarter&completedBefore=2026-04-05T00:00:00.000%2B0000');

      expect(months.status).to.equal(200);
      expect(months.body).to.deep.equal([duration(4, 'MONTH', 2 * MINUTE, 10 * MINUTE, 6 * MINUTE)]);
      expect(quarters.body).to.deep.equal([duration(2, 'QUARTER', 2 * MINUTE, 2 * MINUTE, 2 * MINUTE)]);
    });

    it('should keep counting by task name and refuse a duration report without its period unit', async () => {
      const counts = await rest.get('/history/task/report?reportType=count&groupBy=taskName&completedAfter=2026-04-05T00:00:00.000%2B0000');
      const unitless = await rest.get('/history/task/report?reportType=duration');
      const unknown = await rest.get('/history/task/report?reportType=average');

      expect(counts.body.map((row: any) => [row.taskName, row.count])).to.deep.equal([['Review request', 1]]);
      expect([unitless.status, unitless.body.message]).to.deep.equal([400, 'periodUnit is null']);
      expect([unknown.status, unknown.body.message]).to.deep.equal([400, "Cannot set query parameter 'reportType' to value 'average'"]);
    });
  });
});
