/** Differential: deployments and their resources, process, decision and requirements definitions by id, key and tenant: XML, diagrams, statistics, start forms, starting and evaluating. */
import { fixture } from '../support/rest-client.js';
import type { Answer } from './engine-client.js';
import { describeAgainstOperaton } from './engine-pair.js';

const TENANT = 'definition-resources-tenant';
const ORDER = '/process-definition/key/definition-resources-order';
const TENANT_ORDER = `${ORDER}/tenant-id/${TENANT}`;
const TENANT_FORM_KEY = `/process-definition/key/definition-resources-form-key/tenant-id/${TENANT}`;
const OWN = 'definition-resources%25';

const FILES = [
  { name: 'definition-resources-order.bpmn', content: fixture('bpmn/definition-resources-order.bpmn') },
  { name: 'definition-resources-form-key.bpmn', content: fixture('bpmn/definition-resources-form-key.bpmn') },
  { name: 'definition-resources-start.html', content: fixture('forms/definition-resources-start.html') },
  { name: 'definition-resources-dish.dmn', content: fixture('dmn/definition-resources-dish.dmn') },
  { name: 'definition-resources-drg.dmn', content: fixture('dmn/definition-resources-drg.dmn') },
];
const DIAGRAMS = [
  { name: 'definition-resources-dish.svg', content: fixture('diagrams/definitions-diagram.svg') },
  { name: 'definition-resources-drg.png', content: fixture('diagrams/definitions-diagram.png') },
];

// Ids longer than 64 characters with key and version are a bare UUID, so definitions are found by their key.
const definitionOf = (map: string, key: string) => (answer: Answer) => Object.values(answer.body[map] as Record<string, { id: string; key: string }>).find((definition) => definition.key === key)!.id;
const resourceOf = (name: string) => (answer: Answer) => (answer.body as Array<{ id: string; name: string }>).find((resource) => resource.name === name)!.id;
const ownStatistics = (rows: Array<{ definition: { key: string } }>) => rows.filter((row) => row.definition.key.startsWith('definition-resources'));

describeAgainstOperaton('definition resources', (use) => {
  // Every definition id is remembered: ids of keys this long are bare UUIDs, which would all read `<uuid>` as map keys.
  before(async () => {
    await use().expectSameDeployment(FILES, { 'deployment-name': 'definition-resources', 'deployment-source': 'Camunda Modeler' }, {
      remember: {
        deployment: (answer) => answer.body.id,
        order: definitionOf('deployedProcessDefinitions', 'definition-resources-order'),
        dish: definitionOf('deployedDecisionDefinitions', 'definition-resources-dish'),
        formKey: definitionOf('deployedProcessDefinitions', 'definition-resources-form-key'),
        beverages: definitionOf('deployedDecisionDefinitions', 'definition-resources-beverages'),
        dinnerDish: definitionOf('deployedDecisionDefinitions', 'definition-resources-dinner-dish'),
        drg: definitionOf('deployedDecisionRequirementsDefinitions', 'definition-resources-drg'),
      },
    });
    await use().expectSameDeployment([...FILES, ...DIAGRAMS], { 'deployment-name': 'definition-resources-tenant', 'deployment-source': 'Camunda Modeler', 'tenant-id': TENANT }, {
      remember: {
        tenantDeployment: (answer) => answer.body.id,
        tenantOrder: definitionOf('deployedProcessDefinitions', 'definition-resources-order'),
        tenantFormKey: definitionOf('deployedProcessDefinitions', 'definition-resources-form-key'),
        tenantDish: definitionOf('deployedDecisionDefinitions', 'definition-resources-dish'),
        tenantBeverages: definitionOf('deployedDecisionDefinitions', 'definition-resources-beverages'),
        tenantDinnerDish: definitionOf('deployedDecisionDefinitions', 'definition-resources-dinner-dish'),
        tenantDrg: definitionOf('deployedDecisionRequirementsDefinitions', 'definition-resources-drg'),
      },
    });
    await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources`, undefined, {
      unordered: true,
      remember: {
        orderResource: resourceOf('definition-resources-order.bpmn'),
        dishResource: resourceOf('definition-resources-dish.dmn'),
        formResource: resourceOf('definition-resources-start.html'),
        svgResource: resourceOf('definition-resources-dish.svg'),
        pngResource: resourceOf('definition-resources-drg.png'),
      },
    });
  });

  describe('deployments', () => {
    it('should list and count this suite\'s deployments by name, tenant and source as Operaton does', async () => {
      await use().expectSame('GET', `/deployment?nameLike=${OWN}&sortBy=name&sortOrder=asc`);
      await use().expectSame('GET', `/deployment?nameLike=${OWN}&withoutTenantId=true&sortBy=name&sortOrder=desc`);
      await use().expectSame('GET', `/deployment?tenantIdIn=${TENANT}&source=Camunda%20Modeler`);
      await use().expectSame('GET', (ids) => `/deployment?id=${ids.deployment}`);
      await use().expectSame('GET', `/deployment/count?nameLike=${OWN}`);
      await use().expectSame('GET', `/deployment/count?nameLike=${OWN}&tenantIdIn=${TENANT}`);
    });

    it('should answer a deployment resource and its data, with the media type of its kind, as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources/${ids.orderResource}`);
      await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources/${ids.orderResource}/data`);
      await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources/${ids.dishResource}/data`);
      await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources/${ids.formResource}/data`);
      await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources/${ids.svgResource}/data`);
      await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources/${ids.pngResource}/data`);
    });

    it('should answer unknown deployment resources as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources/definition-resources-nowhere`);
      await use().expectSame('GET', (ids) => `/deployment/${ids.tenantDeployment}/resources/definition-resources-nowhere/data`);
      await use().expectSame('GET', (ids) => `/deployment/definition-resources-nowhere/resources/${ids.orderResource}`);
      await use().expectSame('GET', (ids) => `/deployment/${ids.deployment}/resources/${ids.orderResource}/data`);
    });
  });

  describe('process definitions', () => {
    it('should answer the BPMN XML by id, by key and by key for a tenant as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/process-definition/${ids.order}/xml`);
      await use().expectSame('GET', `${ORDER}/xml`);
      await use().expectSame('GET', `${TENANT_ORDER}/xml`);
      await use().expectSame('GET', TENANT_ORDER);
      await use().expectSame('GET', '/process-definition/definition-resources-nowhere:1:1/xml');
      await use().expectSame('GET', '/process-definition/key/definition-resources-nowhere/xml');
      await use().expectSame('GET', '/process-definition/key/definition-resources-order/tenant-id/definition-resources-nowhere');
      await use().expectSame('GET', '/process-definition/key/definition-resources-order/tenant-id/definition-resources-nowhere/xml');
    });

    it('should start instances by id and by key for a tenant as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/process-definition/${ids.order}/start`, { businessKey: 'definition-resources-1', variables: { customer: { value: 'Ada', type: 'String' } } }, { remember: { instance: (answer) => answer.body.id } });
      await use().expectSame('POST', `${TENANT_ORDER}/start`, { businessKey: 'definition-resources-2', withVariablesInReturn: true, variables: { customer: { value: 'Bob', type: 'String' } } }, { remember: { tenantInstance: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/process-instance/${ids.tenantInstance}`);
      await use().expectSame('POST', '/process-definition/definition-resources-nowhere:1:1/start', {});
      await use().expectSame('POST', '/process-definition/key/definition-resources-order/tenant-id/definition-resources-nowhere/start', {});
    });

    it('should answer activity statistics by id, by key and by key for a tenant as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/process-definition/${ids.order}/statistics`, undefined, { unordered: true });
      await use().expectSame('GET', `${ORDER}/statistics?incidents=true`, undefined, { unordered: true });
      await use().expectSame('GET', `${TENANT_ORDER}/statistics?failedJobs=true`, undefined, { unordered: true });
      await use().expectSame('GET', '/process-definition/key/definition-resources-form-key/statistics', undefined, { unordered: true });
      await use().expectSame('GET', '/process-definition/key/definition-resources-nowhere/statistics');
      await use().expectSame('GET', '/process-definition/definition-resources-nowhere:1:1/statistics');
    });

    it('should answer this suite\'s definitions in the engine-wide definition statistics as Operaton does', async () => {
      await use().expectSame('GET', '/process-definition/statistics', undefined, { unordered: true, adjust: ownStatistics });
      await use().expectSame('GET', '/process-definition/statistics?failedJobs=true&incidents=true', undefined, { unordered: true, adjust: ownStatistics });
    });

    it('should count a job out of retries as a failed job of its activity and its definition, when asked, as Operaton does', async () => {
      // given a timer whose job has no retries left
      await use().ensureDeployed('bpmn/definition-resources-timer.bpmn');
      await use().expectSame('POST', '/process-definition/key/definition-resources-timer/start', { businessKey: 'definition-resources-4' }, { remember: { timerInstance: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.timerInstance}`, undefined, { remember: { timerJob: (answer) => answer.body[0].id } });
      await use().expectSame('PUT', (ids) => `/job/${ids.timerJob}/retries`, { retries: 0 });

      // then
      await use().expectSame('GET', '/process-definition/key/definition-resources-timer/statistics?failedJobs=true&incidents=true', undefined, { unordered: true });
      await use().expectSame('GET', '/process-definition/key/definition-resources-timer/statistics', undefined, { unordered: true });
      await use().expectSame('GET', '/process-definition/statistics?failedJobs=true', undefined, { unordered: true, adjust: ownStatistics });
      await use().expectSame('GET', '/process-definition/statistics?rootIncidents=true', undefined, { unordered: true, adjust: ownStatistics });
      await use().expectSame('GET', '/process-definition/statistics?incidentsForType=failedJob', undefined, { unordered: true, adjust: ownStatistics });
    });

    it('should refuse statistics asked for incidents in two ways at once as Operaton does', async () => {
      await use().expectSame('GET', '/process-definition/statistics?incidents=true&incidentsForType=failedJob');
      await use().expectSame('GET', '/process-definition/statistics?incidents=false&rootIncidents=true');
      await use().expectSame('GET', '/process-definition/statistics?rootIncidents=true&incidentsForType=failedJob');
      await use().expectSame('GET', '/process-definition/statistics?incidents=true&rootIncidents=true&incidentsForType=failedJob');
      await use().expectSame('GET', '/process-definition/key/definition-resources-timer/statistics?incidents=true&incidentsForType=failedJob');
      await use().expectSame('GET', '/process-definition/key/definition-resources-timer/statistics?rootIncidents=true&incidentsForType=failedJob', undefined, { unordered: true });
    });

    it('should answer a tenant\'s generated start form, its variables and HTML, and start from it, as Operaton does', async () => {
      await use().expectSame('GET', `${TENANT_ORDER}/startForm`);
      await use().expectSame('GET', `${TENANT_ORDER}/form-variables`);
      await use().expectSame('GET', `${TENANT_ORDER}/form-variables?variableNames=amount`);
      await use().expectSame('GET', `${TENANT_ORDER}/rendered-form`);
      await use().expectSame('GET', `${TENANT_ORDER}/deployed-start-form`);
      await use().expectSame('POST', `${TENANT_ORDER}/submit-form`, { variables: {} });
      await use().expectSame('POST', `${TENANT_ORDER}/submit-form`, { businessKey: 'definition-resources-3', variables: { customer: { value: 'Cy' } } }, { remember: { submitted: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/process-instance/${ids.submitted}/variables`);
    });

    it('should answer a tenant\'s deployed embedded start form as Operaton does', async () => {
      await use().expectSame('GET', `${TENANT_FORM_KEY}/startForm`);
      await use().expectSame('GET', `${TENANT_FORM_KEY}/deployed-start-form`);
      await use().expectSame('GET', `${TENANT_FORM_KEY}/rendered-form`);
      await use().expectSame('GET', `${TENANT_FORM_KEY}/form-variables`);
      await use().expectSame('GET', '/process-definition/key/definition-resources-form-key/tenant-id/definition-resources-nowhere/deployed-start-form');
    });

    it('should suspend and activate a tenant\'s definitions of a key, with their instances, as Operaton does', async () => {
      await use().expectSame('PUT', `${TENANT_ORDER}/suspended`, { suspended: true, includeProcessInstances: true });
      await use().expectSame('GET', TENANT_ORDER);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.tenantInstance}`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}`);
      await use().expectSame('POST', `${TENANT_ORDER}/start`, {});
      await use().expectSame('PUT', `${TENANT_ORDER}/suspended`, { suspended: false });
      await use().expectSame('GET', TENANT_ORDER);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.tenantInstance}`);
      await use().expectSame('PUT', '/process-definition/key/definition-resources-order/tenant-id/definition-resources-nowhere/suspended', { suspended: true });
    });
  });

  describe('decision definitions', () => {
    it('should list and count this suite\'s decision definitions by key, name, tenant and deployment as Operaton does', async () => {
      await use().expectSame('GET', `/decision-definition?keyLike=${OWN}&sortBy=key&sortOrder=asc`, undefined, { unordered: true });
      await use().expectSame('GET', `/decision-definition?keyLike=${OWN}&withoutTenantId=true&sortBy=key&sortOrder=asc`);
      await use().expectSame('GET', `/decision-definition?key=definition-resources-dish&tenantIdIn=${TENANT}`);
      await use().expectSame('GET', '/decision-definition?nameLike=Definition%20resources%25&includeDecisionDefinitionsWithoutTenantId=true&tenantIdIn=other', undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/decision-definition?deploymentId=${ids.tenantDeployment}&decisionRequirementsDefinitionKey=definition-resources-drg&sortBy=key&sortOrder=desc`);
      await use().expectSame('GET', `/decision-definition/count?keyLike=${OWN}`);
      await use().expectSame('GET', `/decision-definition/count?keyLike=${OWN}&withoutDecisionRequirementsDefinition=true`);
    });

    it('should answer a decision definition and its XML by id, by key and by key for a tenant as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/decision-definition/${ids.dish}`);
      await use().expectSame('GET', (ids) => `/decision-definition/${ids.dish}/xml`);
      await use().expectSame('GET', '/decision-definition/key/definition-resources-dish/xml');
      await use().expectSame('GET', `/decision-definition/key/definition-resources-dish/tenant-id/${TENANT}`);
      await use().expectSame('GET', `/decision-definition/key/definition-resources-beverages/tenant-id/${TENANT}/xml`);
      await use().expectSame('GET', `/decision-definition/key/definition-resources-dish/tenant-id/${TENANT}/diagram`);
      await use().expectSame('GET', `/decision-definition/key/definition-resources-beverages/tenant-id/${TENANT}/diagram`);
    });

    it('should answer unknown decision definitions as Operaton does', async () => {
      await use().expectSame('GET', '/decision-definition/definition-resources-nowhere:1:1');
      await use().expectSame('GET', '/decision-definition/definition-resources-nowhere:1:1/xml');
      await use().expectSame('GET', '/decision-definition/key/definition-resources-nowhere/xml');
      await use().expectSame('GET', '/decision-definition/key/definition-resources-dish/tenant-id/definition-resources-nowhere');
      await use().expectSame('GET', '/decision-definition/key/definition-resources-dish/tenant-id/definition-resources-nowhere/xml');
      await use().expectSame('GET', '/decision-definition/key/definition-resources-dish/tenant-id/definition-resources-nowhere/diagram');
    });

    it('should evaluate decisions by id and by key for a tenant, a required decision first, as Operaton does', async () => {
      const winter = { season: { value: 'Winter', type: 'String' }, guestCount: { value: 12, type: 'Integer' } };
      await use().expectSame('POST', (ids) => `/decision-definition/${ids.dish}/evaluate`, { variables: winter });
      await use().expectSame('POST', (ids) => `/decision-definition/${ids.beverages}/evaluate`, { variables: { season: { value: 'Summer', type: 'String' }, guestsWithChildren: { value: true, type: 'Boolean' } } }, { unordered: true });
      await use().expectSame('POST', `/decision-definition/key/definition-resources-dish/tenant-id/${TENANT}/evaluate`, { variables: { ...winter, guestCount: { value: 2, type: 'Integer' } } });
      await use().expectSame('POST', '/decision-definition/definition-resources-nowhere:1:1/evaluate', { variables: winter });
      await use().expectSame('POST', '/decision-definition/key/definition-resources-dish/tenant-id/definition-resources-nowhere/evaluate', { variables: winter });
      await use().expectSame('GET', `/history/decision-instance?decisionDefinitionKeyIn=definition-resources-dish,definition-resources-beverages,definition-resources-dinner-dish&includeInputs=true&includeOutputs=true`, undefined, { unordered: true });
    });
  });

  describe('decision requirements definitions', () => {
    it('should count this suite\'s decision requirements definitions as Operaton does', async () => {
      await use().expectSame('GET', `/decision-requirements-definition/count?keyLike=${OWN}`);
      await use().expectSame('GET', `/decision-requirements-definition/count?key=definition-resources-drg&tenantIdIn=${TENANT}`);
      await use().expectSame('GET', '/decision-requirements-definition/count?key=definition-resources-drg&withoutTenantId=true');
    });

    it('should answer a decision requirements definition and its XML by id, by key and by key for a tenant as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/decision-requirements-definition/${ids.drg}`);
      await use().expectSame('GET', (ids) => `/decision-requirements-definition/${ids.drg}/xml`);
      await use().expectSame('GET', '/decision-requirements-definition/key/definition-resources-drg');
      await use().expectSame('GET', '/decision-requirements-definition/key/definition-resources-drg/xml');
      await use().expectSame('GET', `/decision-requirements-definition/key/definition-resources-drg/tenant-id/${TENANT}/xml`);
      await use().expectSame('GET', `/decision-requirements-definition/key/definition-resources-drg/tenant-id/${TENANT}/diagram`);
      await use().expectSame('GET', '/decision-requirements-definition/key/definition-resources-drg/diagram');
    });

    it('should answer unknown decision requirements definitions as Operaton does', async () => {
      await use().expectSame('GET', '/decision-requirements-definition/definition-resources-nowhere:1:1');
      await use().expectSame('GET', '/decision-requirements-definition/definition-resources-nowhere:1:1/xml');
      await use().expectSame('GET', '/decision-requirements-definition/key/definition-resources-nowhere');
      await use().expectSame('GET', '/decision-requirements-definition/key/definition-resources-nowhere/xml');
      await use().expectSame('GET', '/decision-requirements-definition/key/definition-resources-drg/tenant-id/definition-resources-nowhere/xml');
      await use().expectSame('GET', '/decision-requirements-definition/key/definition-resources-drg/tenant-id/definition-resources-nowhere/diagram');
    });
  });
});
