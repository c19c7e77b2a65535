/** Differential: the engine probe, a Modeler-style deployment of a process and a decision, and their definitions. */
import { fixture } from '../support/rest-client.js';
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('engine and deployment', (use) => {
  it('should answer GET /engine and GET /version as Operaton does', async () => {
    await use().expectSame('GET', '/engine');
    await use().expectSame('GET', '/version');
  });

  it('should answer a multipart deployment of a process and a decision as Operaton does', async () => {
    // given
    const files = [
      { name: 'differential-user-task.bpmn', content: fixture('bpmn/differential-user-task.bpmn') },
      { name: 'differential-dish.dmn', content: fixture('dmn/differential-dish.dmn') },
    ];
    const fields = { 'deployment-name': 'differential-deployment', 'deployment-source': 'Camunda Modeler', 'deploy-changed-only': 'false' };

    // when
    await use().expectSameDeployment(files, fields, { remember: { deployment: (answer) => answer.body.id } });

    // then
    await use().expectSame('GET', (ids) => `/deployment/${ids.deployment}`);
    await use().expectSame('GET', (ids) => `/deployment/${ids.deployment}/resources`, undefined, { unordered: true });
  });

  it('should answer GET /process-definition/key/{key} as Operaton does', async () => {
    await use().ensureDeployed('bpmn/differential-user-task.bpmn');
    await use().expectSame('GET', '/process-definition/key/differential-user-task');
  });

  it('should answer GET /decision-definition/key/{key} as Operaton does', async () => {
    await use().ensureDeployed('dmn/differential-dish.dmn');
    await use().expectSame('GET', '/decision-definition/key/differential-dish');
  });
});
