/** A child's completion continues its caller in the same transaction: killed before COMMIT, neither happened; after a restart both do. */
import { expect } from 'chai';
import { callServer, processesFolderWith, startServerProcess, stopServer, type ServerProcess } from '../support/server-process.js';
import { openTestPostgres, requirePostgres } from '../support/test-databases.js';



describe('call activities: kill -9 while a child ends and continues its caller', function () {
  this.timeout(120_000);

  it('should keep child and caller as they were, then finish both after a restart (PostgreSQL)', async function () {
    requirePostgres(this, 'call activities crash (postgresql)');
    const database = await openTestPostgres();
    const env = { DATABASE_URL: database.url, PROCESSES_DIR: processesFolderWith('call-activities.bpmn'), ENGINE_SELF_CHECK: 'true' };
    let server: ServerProcess | undefined;
    try {
      // given a caller waiting for its child's task
      server = await startServerProcess(env);
      const started = await callServer(server, 'POST', '/process-definition/key/call-activities-caller/start', { variables: { amount: { value: 9, type: 'Integer' } } });
      const [child] = (await callServer(server, 'GET', `/process-instance?superProcessInstance=${started.body.id}`)).body;
      const [decide] = (await callServer(server, 'GET', `/task?processInstanceId=${child.id}`)).body;
      await stopServer(server);

      // when the server dies with SIGKILL while completing the child's task, which ends the child and moves the caller
      server = await startServerProcess({ ...env, TEST_PAUSE_COMMAND: 'complete task', TEST_PAUSE_BEFORE_COMMIT_MS: '60000' });
      const completing = callServer(server, 'POST', `/task/${decide.id}/complete`, { variables: { decision: { value: 'approve', type: 'String' } } }).catch((error: Error) => error);
      await server.waitForOutput(/complete task paused before commit/);
      server.child.kill('SIGKILL');
      await server.exited();
      expect(await completing).to.be.instanceOf(Error);

      // then neither happened: the child still waits at its task, the caller at the call activity
      server = await startServerProcess(env);
      expect((await callServer(server, 'GET', `/task?processInstanceId=${child.id}`)).body.map((task: { id: string }) => task.id)).to.deep.equal([decide.id]);
      expect((await callServer(server, 'GET', `/task?processInstanceId=${started.body.id}`)).body).to.deep.equal([]);
      expect((await callServer(server, 'GET', `/process-instance/${started.body.id}/variables`)).body).to.not.have.property('reviewDecision');

      // and completing it again ends the child and continues the caller in one step
      expect((await callServer(server, 'POST', `/task/${decide.id}/complete`, { variables: { decision: { value: 'approve', type: 'String' } } })).status).to.equal(204);
      expect((await callServer(server, 'GET', `/process-instance/${child.id}`)).status).to.equal(404);
      const tasks = (await callServer(server, 'GET', `/task?processInstanceId=${started.body.id}`)).body;
      expect(tasks.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).to.deep.equal(['Notify']);
      expect((await callServer(server, 'GET', `/process-instance/${started.body.id}/variables/reviewDecision`)).body.value).to.equal('approve');
      await stopServer(server);
      server = undefined;
    } finally {
      if (server) server.child.kill('SIGKILL');
      await database.drop();
    }
  });
});
