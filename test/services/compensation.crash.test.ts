/** A saga compensated across kill -9: each handler runs once or still waits after the restart, and the saga completes. */
import { expect } from 'chai';
import { callServer, processesFolderWith, startServerProcess, stopServer, type ServerProcess } from '../support/server-process.js';
import { openTestPostgres, requirePostgres } from '../support/test-databases.js';

describe('compensation: kill -9 while a saga is being compensated', function () {
  this.timeout(180_000);

  it('should start each handler once and complete the saga after restarts (PostgreSQL)', async function () {
    requirePostgres(this, 'compensation crash (postgresql)');
    const database = await openTestPostgres();
    const env = { DATABASE_URL: database.url, PROCESSES_DIR: processesFolderWith('compensation.bpmn'), ENGINE_SELF_CHECK: 'true' };
    let server: ServerProcess | undefined;
    /** Locks the instance's one task of a topic for the saga worker. */
    const lock = async (instanceId: string, topicName: string): Promise<string> => {
      const locked = (await callServer(server!, 'POST', '/external-task/fetchAndLock', { workerId: 'saga-worker', maxTasks: 1, topics: [{ topicName, lockDuration: 600_000, processInstanceId: instanceId }] })).body;
      expect(locked, `a task on ${topicName}`).to.have.length(1);
      return locked[0].id;
    };
    const complete = async (taskId: string) => expect((await callServer(server!, 'POST', `/external-task/${taskId}/complete`, { workerId: 'saga-worker' })).status).to.equal(204);
    /** Restarts the server paused before `command` commits, starts `call`, and kills it with SIGKILL in the pause. */
    const killDuring = async (command: string, call: () => Promise<unknown>) => {
      await stopServer(server!);
      server = await startServerProcess({ ...env, TEST_PAUSE_COMMAND: command, TEST_PAUSE_BEFORE_COMMIT_MS: '60000' });
      const pending = call().catch((error: Error) => error);
      await server.waitForOutput(new RegExp(`${command} paused before commit`));
      server.child.kill('SIGKILL');
      await server.exited();
      expect(await pending).to.be.instanceOf(Error);
      server = await startServerProcess(env);
    };
    const handlerRuns = async (instanceId: string) => {
      const history = (await callServer(server!, 'GET', `/history/activity-instance?processInstanceId=${instanceId}`)).body as Array<{ activityId: string }>;
      return ['Task_Withdraw', 'Task_Cancel', 'Task_Retract'].map((id) => history.filter((row) => row.activityId === id).length);
    };
    try {
      // given a booking whose three steps completed and whose confirmation a worker holds
      server = await startServerProcess(env);
      const instanceId = (await callServer(server, 'POST', '/process-definition/key/saga-booking/start', {})).body.id as string;
      for (const topic of ['saga-submit', 'saga-schedule', 'saga-notify']) await complete(await lock(instanceId, topic));
      const confirm = await lock(instanceId, 'saga-confirm');

      // when the server dies while the failed confirmation starts the compensation
      await killDuring('bpmn error external task', () => callServer(server!, 'POST', `/external-task/${confirm}/bpmnError`, { workerId: 'saga-worker', errorCode: 'BOOKING_FAILED' }));

      // then nothing was compensated, and reporting the failure again starts each handler once
      expect(await handlerRuns(instanceId)).to.deep.equal([0, 0, 0]);
      expect((await callServer(server, 'POST', `/external-task/${confirm}/bpmnError`, { workerId: 'saga-worker', errorCode: 'BOOKING_FAILED' })).status).to.equal(204);
      expect(await handlerRuns(instanceId)).to.deep.equal([1, 1, 1]);

      // when one handler completes and the server dies while a second one completes
      await complete(await lock(instanceId, 'saga-withdraw'));
      const retract = await lock(instanceId, 'saga-retract');
      await killDuring('complete external task', () => callServer(server!, 'POST', `/external-task/${retract}/complete`, { workerId: 'saga-worker' }));

      // then the completed handler stays done, the interrupted one still waits for its worker, and the saga completes
      const open = (await callServer(server, 'GET', `/external-task?processInstanceId=${instanceId}`)).body.map((task: { topicName: string }) => task.topicName).sort();
      expect(open).to.deep.equal(['saga-cancel', 'saga-retract']);
      await complete(retract);
      expect((await callServer(server, 'GET', `/history/process-instance/${instanceId}`)).body.state).to.equal('ACTIVE');
      await complete(await lock(instanceId, 'saga-cancel'));
      expect((await callServer(server, 'GET', `/history/process-instance/${instanceId}`)).body.state).to.equal('COMPLETED');
      expect(await handlerRuns(instanceId)).to.deep.equal([1, 1, 1]);
      await stopServer(server);
      server = undefined;
    } finally {
      if (server) server.child.kill('SIGKILL');
      await database.drop();
    }
  });
});
