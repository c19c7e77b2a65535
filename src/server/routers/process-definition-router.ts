/** `/process-definition`: list, count, get by id or key, XML, diagram, deletion, settings, and starting instances. */
import { Router, type Request } from 'express';
import { getProcessDefinition, getProcessDefinitionXml, setProcessDefinitionSuspended, type DefinitionReference } from '../../services/process-definition-service.js';
import { readModels, type ProcessDefinitionFilter } from '../../services/read-models.js';
import { startProcessInstance } from '../../services/runtime-service.js';
import { activityStatistics, definitionStatistics, type StatisticsOptions } from '../../services/statistics-service.js';
import type { ServiceContext } from '../../services/service-context.js';
import { selfLink } from '../dtos/links.js';
import { processDefinitionDto } from '../dtos/repository-dtos.js';
import { processInstanceDto } from '../dtos/runtime-dtos.js';
import { variablesDto } from '../dtos/variable-dtos.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, QueryReader } from '../query-reader.js';
import { sendEmptyOk, sendFile, sendJson, sendNoContent } from '../respond.js';
import { definitionsSuspensionBody, definitionSuspensionBody, historyTimeToLiveBody, startInstanceBody } from '../body-schemas.js';
import { InvalidRequestError } from '../../core/errors.js';
import { getDiagram } from '../../services/definition-diagrams.js';
import { deleteProcessDefinitions, type RemovalSelector } from '../../services/definition-removal.js';
import { readTimeToLive, setProcessDefinitionTimeToLive } from '../../services/definition-time-to-live.js';
import { staticCalledProcessDefinitions } from '../../services/static-called-definitions.js';
import { readBody } from '../read-body.js';

const SORT_KEYS = ['category', 'key', 'id', 'name', 'version', 'deploymentId', 'tenantId', 'tenantId ', 'versionTag'] as const;

function definitionFilter(query: QueryReader): ProcessDefinitionFilter {
  return definedOnly({
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionIdIn: query.list('processDefinitionIdIn'),
    key: query.string('key'),
    keysIn: query.list('keysIn'),
    keyLike: query.string('keyLike'),
    name: query.string('name'),
    nameLike: query.string('nameLike'),
    deploymentId: query.string('deploymentId'),
    version: query.integer('version'),
    latestVersion: query.boolean('latestVersion'),
    versionTag: query.string('versionTag'),
    versionTagLike: query.string('versionTagLike'),
    resourceName: query.string('resourceName'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    suspended: query.boolean('suspended'),
    active: query.boolean('active'),
  });
}

// Camunda's Jackson writes the DTO class of statistics results.
const ACTIVITY_STATISTICS_CLASS = 'org.camunda.bpm.engine.rest.dto.repository.ActivityStatisticsResultDto';
const DEFINITION_STATISTICS_CLASS = 'org.camunda.bpm.engine.rest.dto.repository.ProcessDefinitionStatisticsResultDto';

/** A delayed suspension is a job in Camunda; this engine suspends at once only, so a date is refused rather than ignored. */
function refuseExecutionDate(executionDate: string | null | undefined): void {
  if (executionDate != null) throw new InvalidRequestError(400, 'executionDate is not supported: this engine suspends and activates process definitions immediately');
}

/** Root incidents are a parameter of the per-definition statistics only, as in Camunda. */
function statisticsOptions(query: QueryReader, perDefinition = false): StatisticsOptions {
  return definedOnly({
    failedJobs: query.boolean('failedJobs') ?? false,
    incidents: query.boolean('incidents'),
    incidentsForType: query.string('incidentsForType'),
    rootIncidents: perDefinition ? query.boolean('rootIncidents') : undefined,
  });
}

export function processDefinitionRouter(ctx: ServiceContext): Router {
  const router = Router();
  mountListRoutes(router, {
    path: '/process-definition',
    readModel: readModels(ctx).processDefinitions,
    sortKeys: SORT_KEYS,
    filter: definitionFilter,
    toDto: processDefinitionDto,
    post: false,
  });

  router.get('/process-definition/statistics', async (req, res) => {
    const statistics = await definitionStatistics(ctx, statisticsOptions(new QueryReader(req.query as Record<string, unknown>), true));
    // Camunda's statistics query maps no time to live onto the definitions it answers (Statistics.xml).
    const definitionOf = (row: (typeof statistics)[number]['definition']) => ({ ...processDefinitionDto(row), historyTimeToLive: null });
    sendJson(res, statistics.map((s) => ({ '@class': DEFINITION_STATISTICS_CLASS, id: s.id, instances: s.instances, failedJobs: s.failedJobs, incidents: s.incidents, definition: definitionOf(s.definition) })));
  });

  // By key in the body: every version of the key, in one tenant, without one, or (neither said) in every tenant.
  router.put('/process-definition/suspended', async (req, res) => {
    const body = readBody(req, definitionsSuspensionBody);
    if (body.processDefinitionId != null) throw new InvalidRequestError(400, 'Only processDefinitionKey can be set to update the suspension state.');
    if (body.processDefinitionKey == null) throw new InvalidRequestError(400, 'Either processDefinitionId or processDefinitionKey should be set to update the suspension state.');
    refuseExecutionDate(body.executionDate);
    const key = body.processDefinitionKey;
    const selector = body.processDefinitionTenantId != null ? { key, tenantId: body.processDefinitionTenantId }
      : body.processDefinitionWithoutTenantId === true ? { key, tenantId: null } : { key, allTenants: true as const };
    await setProcessDefinitionSuspended(ctx, selector, body.suspended === true, body.includeProcessInstances === true, { unknownKeyIsEmpty: true });
    sendNoContent(res);
  });

  // Deletion: one version by id, or every version of a key (in a tenant, or without one).
  const removals: Array<[string, (req: Request) => RemovalSelector]> = [
    ['/process-definition/key/:key/tenant-id/:tenantId', (req) => ({ key: String(req.params.key), tenantId: String(req.params.tenantId) })],
    ['/process-definition/key/:key', (req) => ({ key: String(req.params.key), tenantId: null })],
    ['/process-definition/:id', (req) => ({ id: String(req.params.id) })],
  ];
  for (const [path, selectorOf] of removals) {
    router.delete(path, async (req, res) => {
      const query = new QueryReader(req.query as Record<string, unknown>);
      await deleteProcessDefinitions(ctx, selectorOf(req), {
        cascade: query.boolean('cascade') ?? false,
        skipCustomListeners: query.boolean('skipCustomListeners') ?? false,
        skipIoMappings: query.boolean('skipIoMappings') ?? false,
      });
      sendEmptyOk(res);
    });
  }

  router.get('/process-definition/:id/static-called-process-definitions', async (req, res) => {
    const called = await staticCalledProcessDefinitions(ctx, req.params.id);
    sendJson(res, called.map(({ definition, calledFromActivityIds, callingProcessDefinitionId }) => ({ ...processDefinitionDto(definition), calledFromActivityIds, callingProcessDefinitionId })));
  });

  // Suspension: by id, and by key for every version of the key (in a tenant, or without one).
  const suspensionRoutes: Array<[string, (req: Request) => Parameters<typeof setProcessDefinitionSuspended>[1]]> = [
    ['/process-definition/key/:key/tenant-id/:tenantId/suspended', (req) => ({ key: String(req.params.key), tenantId: String(req.params.tenantId) })],
    ['/process-definition/key/:key/suspended', (req) => ({ key: String(req.params.key) })],
    ['/process-definition/:id/suspended', (req) => ({ id: String(req.params.id) })],
  ];
  for (const [path, selectorOf] of suspensionRoutes) {
    router.put(path, async (req, res) => {
      const body = readBody(req, definitionSuspensionBody);
      refuseExecutionDate(body.executionDate);
      await setProcessDefinitionSuspended(ctx, selectorOf(req), body.suspended === true, body.includeProcessInstances === true);
      sendNoContent(res);
    });
  }

  // Each route exists by id, by key, and by key for a tenant, as Camunda's.
  const references: Array<[string, (req: Request) => DefinitionReference]> = [
    ['/process-definition/key/:key/tenant-id/:tenantId', (req) => ({ key: String(req.params.key), tenantId: String(req.params.tenantId) })],
    ['/process-definition/key/:key', (req) => ({ key: String(req.params.key) })],
    ['/process-definition/:id', (req) => ({ id: String(req.params.id) })],
  ];
  for (const [path, referenceOf] of references) {
    router.get(path, async (req, res) => sendJson(res, processDefinitionDto(await getProcessDefinition(ctx, referenceOf(req)))));
    router.get(`${path}/statistics`, async (req, res) => {
      const statistics = await activityStatistics(ctx, referenceOf(req), statisticsOptions(new QueryReader(req.query as Record<string, unknown>)));
      sendJson(res, statistics.map((s) => ({ '@class': ACTIVITY_STATISTICS_CLASS, ...s })));
    });
    router.get(`${path}/diagram`, async (req, res) => {
      const diagram = await getDiagram(ctx, 'process', referenceOf(req));
      if (diagram) sendFile(res, diagram);
      else sendNoContent(res);
    });
    router.put(`${path}/history-time-to-live`, async (req, res) => {
      const days = readTimeToLive(readBody(req, historyTimeToLiveBody).historyTimeToLive);
      await setProcessDefinitionTimeToLive(ctx, referenceOf(req), days);
      sendNoContent(res);
    });
    router.get(`${path}/xml`, async (req, res) => {
      const { definition, xml } = await getProcessDefinitionXml(ctx, referenceOf(req));
      sendJson(res, { id: definition.id, bpmn20Xml: xml });
    });
    router.post(`${path}/start`, async (req, res) => {
      const body = readBody(req, startInstanceBody);
      const started = await startProcessInstance(ctx, referenceOf(req), {
        businessKey: body.businessKey ?? null,
        variables: body.variables,
        withVariablesInReturn: body.withVariablesInReturn === true,
      });
      const dto = processInstanceDto(
        { id: started.id, definitionId: started.definition.id, definitionKey: started.definition.key, businessKey: started.businessKey, tenantId: started.tenantId, ended: started.ended, suspended: started.suspended },
        selfLink(req, `/process-instance/${started.id}`),
      );
      sendJson(res, { ...dto, variables: started.variables ? variablesDto(started.variables, false) : null });
    });
  }
  return router;
}
