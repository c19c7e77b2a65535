/**
 * A signal broadcast moves each receiving instance in a transaction of its own: killed part-way, every instance has
 * moved on or still waits, none twice; after a restart the rest of the broadcast is delivered.
 */
import { expect } from 'chai';
import { callServer, processesFolderWith, startServerProcess, stopServer, type ServerProcess } from '../support/server-process.js';
import { openTestPostgres, requirePostgres } from '../support/test-databases.js';
import { waitFor } from '../support/wait-for.js';

const INSTANCES = 100;

describe('signal broadcast: kill -9 part-way through a broadcast to 100 instances', function () {
  this.timeout(180_000);

  it('should leave every instance moved on or waiting, none twice, and finish the broadcast after a restart (PostgreSQL)', async function () {
    requirePostgres(this, 'signal broadcast crash (postgresql)');
    const database = await openTestPostgres();
    const env = { DATABASE_URL: database.url, PROCESSES_DIR: processesFolderWith('signals-and-conditions.bpmn'), SIGNAL_BROADCAST_LEASE_MS: '1500', JOB_POLL_INTERVAL_MS: '200' };
    let server: ServerProcess | undefined;
    /** Per instance: how often it caught the signal (history) and whether it still waits for it. */
    const states = async (running: ServerProcess) => {
      const caught = new Map<string, number>();
      for (const row of (await callServer(running, 'GET', '/history/activity-instance?activityId=Catch_Recall&finished=true')).body) caught.set(row.processInstanceId, (caught.get(row.processInstanceId) ?? 0) + 1);
      const waiting = new Set((await callServer(running, 'GET', '/event-subscription?eventName=formulary-recall')).body.map((row: { processInstanceId: string | null }) => row.processInstanceId).filter(Boolean));
      const reviews = new Map<string, number>();
      for (const task of (await callServer(running, 'GET', '/task?taskDefinitionKey=Task_Review')).body) reviews.set(task.processInstanceId, (reviews.get(task.processInstanceId) ?? 0) + 1);
      return { caught, waiting, reviews };
    };
    try {
      // given 100 instances waiting for the signal
      server = await startServerProcess(env);
      const ids: string[] = [];
      for (let i = 0; i < INSTANCES; i++) ids.push((await callServer(server, 'POST', '/process-definition/key/signals-catch/start', {})).body.id);
      await stopServer(server);

      // when the server dies with SIGKILL after 40 instances received the broadcast
      server = await startServerProcess({ ...env, TEST_PAUSE_COMMAND: 'deliver signal', TEST_PAUSE_SKIP: '40', TEST_PAUSE_BEFORE_COMMIT_MS: '60000' });
      const sending = callServer(server, 'POST', '/signal', { name: 'formulary-recall' }).catch((error: Error) => error);
      await server.waitForOutput(/deliver signal paused before commit/);
      server.child.kill('SIGKILL');
      await server.exited();
      expect(await sending).to.be.instanceOf(Error);

      // then each instance moved on once or still waits
      server = await startServerProcess({ ...env, JOB_EXECUTOR: 'false' });
      const afterCrash = await states(server);
      for (const id of ids) {
        const moved = afterCrash.caught.get(id) ?? 0;
        expect(moved + (afterCrash.waiting.has(id) ? 1 : 0), `instance ${id}`).to.equal(1);
        expect(afterCrash.reviews.get(id) ?? 0, `reviews of ${id}`).to.equal(moved);
      }
      expect(afterCrash.caught.size).to.equal(40);
      expect((await callServer(server, 'GET', '/process-instance/count?processDefinitionKey=signals-start')).body.count).to.equal(1);
      await stopServer(server);

      // and a node with a job executor finishes the broadcast once the dead node's claim expired
      server = await startServerProcess(env);
      const running = server;
      await waitFor(async () => (await states(running)).waiting.size === 0, 'the rest of the broadcast', 60_000);
      const finished = await states(server);
      for (const id of ids) {
        expect(finished.caught.get(id), `instance ${id}`).to.equal(1);
        expect(finished.reviews.get(id), `reviews of ${id}`).to.equal(1);
      }
      expect((await callServer(server, 'GET', '/process-instance/count?processDefinitionKey=signals-start')).body.count).to.equal(1);
      await stopServer(server);
      server = undefined;
    } finally {
      if (server) server.child.kill('SIGKILL');
      await database.drop();
    }
  });
});
