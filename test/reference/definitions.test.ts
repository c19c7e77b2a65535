/** Differential: deleting process definitions, diagrams, history time to live, suspension by key, called definitions, redeployment. */
import { fixture } from '../support/rest-client.js';
import type { Answer } from './engine-client.js';
import { describeAgainstOperaton } from './engine-pair.js';

const onlyDefinition = (map: string) => (answer: Answer) => Object.keys(answer.body[map] as Record<string, unknown>)[0]!;
const definitionOf = (key: string) => (answer: Answer) => Object.keys(answer.body.deployedProcessDefinitions as Record<string, unknown>).find((id) => id.startsWith(`${key}:`))!;

describeAgainstOperaton('definitions', (use) => {
  describe('deleting process definitions', () => {
    it('should refuse without cascade, delete with it, and give the previous version back its start events as Operaton does', async () => {
      // given two versions, the second with a running instance
      await use().expectSameDeployment([{ name: 'definitions-delete.bpmn', content: fixture('bpmn/definitions-delete.bpmn') }], { 'deployment-name': 'definitions-delete' }, { remember: { first: onlyDefinition('deployedProcessDefinitions') } });
      await use().expectSameDeployment([{ name: 'definitions-delete.bpmn', content: fixture('bpmn/definitions-delete-v2.bpmn') }], { 'deployment-name': 'definitions-delete' }, { remember: { second: onlyDefinition('deployedProcessDefinitions') } });
      await use().expectSame('POST', '/message', { messageName: 'definitions-delete-start', resultEnabled: true }, { remember: { instance: (answer) => answer.body[0].processInstance.id } });

      // when deleted without cascade, then refused
      await use().expectSame('DELETE', (ids) => `/process-definition/${ids.second}`);
      await use().expectSame('DELETE', '/process-definition/key/definitions-delete');
      await use().expectSame('GET', '/process-definition/count?key=definitions-delete');

      // when deleted with cascade
      await use().expectSame('DELETE', (ids) => `/process-definition/${ids.second}?cascade=true&skipCustomListeners=true`);

      // then the instance and its history are gone, and the first version is the latest with its timer and message start again
      await use().expectSame('GET', '/process-instance/count?processDefinitionKey=definitions-delete');
      await use().expectSame('GET', '/history/process-instance/count?processDefinitionKey=definitions-delete');
      await use().expectSame('GET', '/process-definition/key/definitions-delete');
      await use().expectSame('GET', '/job?processDefinitionKey=definitions-delete');
      await use().expectSame('GET', '/event-subscription?eventName=definitions-delete-start');
    });

    it('should delete every version of a key and answer unknown ones as Operaton does', async () => {
      await use().expectSame('DELETE', '/process-definition/key/definitions-delete');
      await use().expectSame('GET', '/process-definition/count?key=definitions-delete');
      await use().expectSame('GET', '/job/count?processDefinitionKey=definitions-delete');
      await use().expectSame('GET', '/event-subscription/count?eventName=definitions-delete-start');
      await use().expectSame('DELETE', '/process-definition/definitions-nowhere:1:1');
      await use().expectSame('DELETE', '/process-definition/key/definitions-nowhere');
      await use().expectSame('DELETE', '/process-definition/key/definitions-nowhere/tenant-id/tenant-one');
    });
  });

  describe('deleting a deployment', () => {
    it('should give the previous version its timer start job and message subscription back as Operaton does', async () => {
      await use().expectSameDeployment([{ name: 'definitions-delete.bpmn', content: fixture('bpmn/definitions-delete.bpmn') }], { 'deployment-name': 'definitions-delete-again' });
      await use().expectSameDeployment([{ name: 'definitions-delete.bpmn', content: fixture('bpmn/definitions-delete-v2.bpmn') }], { 'deployment-name': 'definitions-delete-again' }, { remember: { laterDeployment: (answer) => answer.body.id } });

      await use().expectSame('DELETE', (ids) => `/deployment/${ids.laterDeployment}`);

      await use().expectSame('GET', '/process-definition/key/definitions-delete');
      await use().expectSame('GET', '/job?processDefinitionKey=definitions-delete');
      await use().expectSame('GET', '/event-subscription?eventName=definitions-delete-start');
    });
  });

  describe('diagrams', () => {
    before(async () => {
      const png = fixture('diagrams/definitions-diagram.png');
      const svg = fixture('diagrams/definitions-diagram.svg');
      await use().expectSameDeployment([
        { name: 'definitions-diagram.bpmn', content: fixture('bpmn/definitions-diagram.bpmn') },
        { name: 'definitions-diagram.png', content: png },
        { name: 'definitions-dish.dmn', content: fixture('dmn/definitions-dish.dmn') },
        { name: 'definitions-dish.svg', content: svg },
        { name: 'definitions-drg.dmn', content: fixture('dmn/definitions-drg.dmn') },
        { name: 'definitions-drg.png', content: png },
        { name: 'definitions-drg.definitions-beverages.svg', content: svg },
        { name: 'definitions-callee.bpmn', content: fixture('bpmn/definitions-callee.bpmn') },
      ], { 'deployment-name': 'definitions-diagrams' }, { remember: { diagramDeployment: (answer) => answer.body.id, diagramProcess: definitionOf('definitions-diagram') } });
    });

    it('should answer a process diagram, and 204 for a process without one, as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/process-definition/${ids.diagramProcess}/diagram`);
      await use().expectSame('GET', '/process-definition/key/definitions-diagram/diagram');
      await use().expectSame('GET', '/process-definition/key/definitions-callee/diagram');
      await use().expectSame('GET', '/process-definition/key/definitions-diagram');
    });

    it('should answer decision and decision requirements diagrams as Operaton does', async () => {
      await use().expectSame('GET', '/decision-definition/key/definitions-dish/diagram');
      await use().expectSame('GET', '/decision-definition/key/definitions-beverages/diagram');
      await use().expectSame('GET', '/decision-requirements-definition/key/definitions-drg/diagram');
    });

    it('should answer diagrams of unknown definitions as Operaton does', async () => {
      await use().expectSame('GET', '/process-definition/definitions-nowhere:1:1/diagram');
      await use().expectSame('GET', '/process-definition/key/definitions-nowhere/diagram');
      await use().expectSame('GET', '/process-definition/key/definitions-nowhere/tenant-id/tenant-one/diagram');
      await use().expectSame('GET', '/decision-definition/definitions-nowhere:1:1/diagram');
      await use().expectSame('GET', '/decision-definition/key/definitions-nowhere/diagram');
      await use().expectSame('GET', '/decision-requirements-definition/definitions-nowhere:1:1/diagram');
      await use().expectSame('GET', '/decision-requirements-definition/key/definitions-nowhere/diagram');
      await use().expectSame('GET', '/decision-requirements-definition/key/definitions-nowhere/tenant-id/tenant-one');
    });

    it('should redeploy a deployment, all of it or the resources named, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/deployment/${ids.diagramDeployment}/redeploy`, { source: 'definitions-test', resourceNames: ['definitions-diagram.bpmn'] });
      await use().expectSame('POST', (ids) => `/deployment/${ids.diagramDeployment}/redeploy`, {}, { remember: { redeployed: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/deployment/${ids.redeployed}/resources`, undefined, { unordered: true });
      await use().expectSame('POST', (ids) => `/deployment/${ids.diagramDeployment}/redeploy`, { resourceIds: ['definitions-nowhere'] });
      await use().expectSame('POST', (ids) => `/deployment/${ids.diagramDeployment}/redeploy`, { resourceNames: ['nowhere.bpmn'] });
      await use().expectSame('POST', '/deployment/definitions-nowhere/redeploy', {});
    });
  });

  describe('history time to live', () => {
    it('should set, refuse and answer the time to live of process and decision definitions as Operaton does', async () => {
      await use().expectSameDeployment([
        { name: 'definitions-diagram.bpmn', content: fixture('bpmn/definitions-diagram.bpmn') },
        { name: 'definitions-dish.dmn', content: fixture('dmn/definitions-dish.dmn') },
      ], { 'deployment-name': 'definitions-ttl' }, { remember: { ttlProcess: definitionOf('definitions-diagram'), ttlDecision: onlyDefinition('deployedDecisionDefinitions') } });

      await use().expectSame('PUT', (ids) => `/process-definition/${ids.ttlProcess}/history-time-to-live`, { historyTimeToLive: 5 });
      await use().expectSame('PUT', '/process-definition/key/definitions-diagram/history-time-to-live', { historyTimeToLive: '7' });
      await use().expectSame('GET', (ids) => `/process-definition/${ids.ttlProcess}`);
      await use().expectSame('PUT', (ids) => `/process-definition/${ids.ttlProcess}/history-time-to-live`, { historyTimeToLive: -1 });
      await use().expectSame('PUT', (ids) => `/process-definition/${ids.ttlProcess}/history-time-to-live`, { historyTimeToLive: null });
      await use().expectSame('PUT', (ids) => `/process-definition/${ids.ttlProcess}/history-time-to-live`, {});
      await use().expectSame('PUT', '/process-definition/key/definitions-nowhere/history-time-to-live', { historyTimeToLive: 1 });
      await use().expectSame('PUT', '/process-definition/key/definitions-nowhere/tenant-id/tenant-one/history-time-to-live', { historyTimeToLive: 1 });

      await use().expectSame('PUT', (ids) => `/decision-definition/${ids.ttlDecision}/history-time-to-live`, { historyTimeToLive: 2.9 });
      await use().expectSame('GET', '/decision-definition/key/definitions-dish');
      await use().expectSame('PUT', '/decision-definition/key/definitions-dish/history-time-to-live', { historyTimeToLive: -3 });
      await use().expectSame('PUT', '/decision-definition/key/definitions-dish/history-time-to-live', { historyTimeToLive: null });
      await use().expectSame('PUT', '/decision-definition/key/definitions-nowhere/tenant-id/tenant-one/history-time-to-live', { historyTimeToLive: 1 });
    });
  });

  describe('suspension by key in the body', () => {
    it('should suspend and activate every version of a key, and refuse an id, as Operaton does', async () => {
      await use().expectSameDeployment([{ name: 'definitions-callee.bpmn', content: fixture('bpmn/definitions-callee.bpmn') }], { 'deployment-name': 'definitions-suspension' });
      await use().expectSame('PUT', '/process-definition/suspended', { processDefinitionKey: 'definitions-other', suspended: true, includeProcessInstances: true });
      await use().expectSame('GET', '/process-definition?key=definitions-other&sortBy=version&sortOrder=asc');
      await use().expectSame('PUT', '/process-definition/suspended', { processDefinitionKey: 'definitions-other', processDefinitionWithoutTenantId: true, suspended: false });
      await use().expectSame('GET', '/process-definition?key=definitions-other&sortBy=version&sortOrder=asc');
      await use().expectSame('PUT', '/process-definition/suspended', { processDefinitionKey: 'definitions-nowhere', suspended: true });
      await use().expectSame('PUT', '/process-definition/suspended', { processDefinitionId: 'definitions-nowhere:1:1', suspended: true });
      await use().expectSame('PUT', '/process-definition/suspended', { suspended: true });
    });
  });

  describe('static called process definitions', () => {
    it('should answer the definitions call activities call by constant key as Operaton does', async () => {
      await use().expectSameDeployment([
        { name: 'definitions-caller.bpmn', content: fixture('bpmn/definitions-caller.bpmn') },
        { name: 'definitions-callee.bpmn', content: fixture('bpmn/definitions-callee.bpmn') },
      ], { 'deployment-name': 'definitions-calls' }, { remember: { caller: definitionOf('definitions-caller') } });
      await use().expectSameDeployment([{ name: 'definitions-callee.bpmn', content: fixture('bpmn/definitions-callee.bpmn') }], { 'deployment-name': 'definitions-calls-again' });

      await use().expectSame('GET', (ids) => `/process-definition/${ids.caller}/static-called-process-definitions`, undefined, { unordered: true });
      await use().expectSame('GET', '/process-definition/definitions-nowhere:1:1/static-called-process-definitions');
    });
  });

  describe('registered deployments', () => {
    it('should answer every deployment as registered, as Operaton does for those it deployed', async () => {
      await use().expectSame('GET', '/deployment/registered', undefined, { unordered: true });
    });
  });
});
