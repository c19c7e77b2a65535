/** `/decision-definition` and `/decision-requirements-definition`: lists, lookup by id and key, the XML, diagram, time to live, and evaluation. */
import { Router, type Request } from 'express';
import {
  evaluateDecisionDefinition,
  getDecisionDefinition,
  getDecisionRequirementsDefinition,
  getDmnXml,
} from '../../services/decision-service.js';
import type { DefinitionReference } from '../../services/process-definition-service.js';
import { readModels, type DecisionDefinitionFilter, type DecisionRequirementsDefinitionFilter } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { decisionDefinitionDto, decisionRequirementsDefinitionDto } from '../dtos/repository-dtos.js';
import { variablesDto } from '../dtos/variable-dtos.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, type QueryReader } from '../query-reader.js';
import { sendFile, sendJson, sendNoContent } from '../respond.js';
import { evaluateDecisionBody, historyTimeToLiveBody } from '../body-schemas.js';
import { getDiagram } from '../../services/definition-diagrams.js';
import { readTimeToLive, setDecisionDefinitionTimeToLive } from '../../services/definition-time-to-live.js';
import { readBody } from '../read-body.js';

const DECISION_SORT_KEYS = ['category', 'decisionRequirementsDefinitionKey', 'key', 'id', 'name', 'version', 'deploymentId', 'deployTime', 'versionTag', 'tenantId'] as const;
const REQUIREMENTS_SORT_KEYS = ['id', 'key', 'name', 'version', 'deploymentId', 'category', 'tenantId'] as const;

function decisionFilter(query: QueryReader): DecisionDefinitionFilter {
  return definedOnly({
    decisionDefinitionId: query.string('decisionDefinitionId'),
    decisionDefinitionIdIn: query.list('decisionDefinitionIdIn'),
    key: query.string('key'),
    keyIn: query.list('keyIn'),
    keyLike: query.string('keyLike'),
    name: query.string('name'),
    nameLike: query.string('nameLike'),
    category: query.string('category'),
    categoryLike: query.string('categoryLike'),
    deploymentId: query.string('deploymentId'),
    version: query.integer('version'),
    latestVersion: query.boolean('latestVersion'),
    resourceName: query.string('resourceName'),
    resourceNameLike: query.string('resourceNameLike'),
    versionTag: query.string('versionTag'),
    versionTagLike: query.string('versionTagLike'),
    decisionRequirementsDefinitionId: query.string('decisionRequirementsDefinitionId'),
    decisionRequirementsDefinitionKey: query.string('decisionRequirementsDefinitionKey'),
    withoutDecisionRequirementsDefinition: query.boolean('withoutDecisionRequirementsDefinition'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    includeDecisionDefinitionsWithoutTenantId: query.boolean('includeDecisionDefinitionsWithoutTenantId'),
  });
}

function requirementsFilter(query: QueryReader): DecisionRequirementsDefinitionFilter {
  return definedOnly({
    decisionRequirementsDefinitionId: query.string('decisionRequirementsDefinitionId'),
    decisionRequirementsDefinitionIdIn: query.list('decisionRequirementsDefinitionIdIn'),
    key: query.string('key'),
    keyLike: query.string('keyLike'),
    name: query.string('name'),
    nameLike: query.string('nameLike'),
    category: query.string('category'),
    categoryLike: query.string('categoryLike'),
    deploymentId: query.string('deploymentId'),
    version: query.integer('version'),
    latestVersion: query.boolean('latestVersion'),
    resourceName: query.string('resourceName'),
    resourceNameLike: query.string('resourceNameLike'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    includeDecisionRequirementsDefinitionsWithoutTenantId: query.boolean('includeDecisionRequirementsDefinitionsWithoutTenantId'),
  });
}

/** Each resource exists by id, by key (latest version without tenant), and by key for a tenant, as Camunda's. */
function referenceRoutes(base: string): Array<[string, (req: Request) => DefinitionReference]> {
  return [
    [`${base}/key/:key/tenant-id/:tenantId`, (req) => ({ key: String(req.params.key), tenantId: String(req.params.tenantId) })],
    [`${base}/key/:key`, (req) => ({ key: String(req.params.key) })],
    [`${base}/:id`, (req) => ({ id: String(req.params.id) })],
  ];
}

export function decisionDefinitionRouter(ctx: ServiceContext): Router {
  const router = Router();
  const models = readModels(ctx);
  mountListRoutes(router, {
    path: '/decision-definition',
    readModel: models.decisionDefinitions,
    sortKeys: DECISION_SORT_KEYS,
    filter: decisionFilter,
    toDto: decisionDefinitionDto,
    post: false,
  });
  mountListRoutes(router, {
    path: '/decision-requirements-definition',
    readModel: models.decisionRequirementsDefinitions,
    sortKeys: REQUIREMENTS_SORT_KEYS,
    filter: requirementsFilter,
    toDto: decisionRequirementsDefinitionDto,
    post: false,
  });

  for (const [path, referenceOf] of referenceRoutes('/decision-definition')) {
    router.get(path, async (req, res) => sendJson(res, decisionDefinitionDto(await getDecisionDefinition(ctx, referenceOf(req)))));
    router.get(`${path}/xml`, async (req, res) => {
      const definition = await getDecisionDefinition(ctx, referenceOf(req));
      sendJson(res, { id: definition.id, dmnXml: await getDmnXml(ctx, definition) });
    });
    router.get(`${path}/diagram`, async (req, res) => {
      const diagram = await getDiagram(ctx, 'decision', referenceOf(req));
      if (diagram) sendFile(res, diagram);
      else sendNoContent(res);
    });
    router.put(`${path}/history-time-to-live`, async (req, res) => {
      const days = readTimeToLive(readBody(req, historyTimeToLiveBody).historyTimeToLive);
      await setDecisionDefinitionTimeToLive(ctx, referenceOf(req), days);
      sendNoContent(res);
    });
    router.post(`${path}/evaluate`, async (req, res) => {
      const body = readBody(req, evaluateDecisionBody);
      const results = await evaluateDecisionDefinition(ctx, referenceOf(req), body.variables);
      sendJson(res, results.map((entry) => variablesDto(entry)));
    });
  }
  for (const [path, referenceOf] of referenceRoutes('/decision-requirements-definition')) {
    router.get(path, async (req, res) => sendJson(res, decisionRequirementsDefinitionDto(await getDecisionRequirementsDefinition(ctx, referenceOf(req)))));
    router.get(`${path}/xml`, async (req, res) => {
      const definition = await getDecisionRequirementsDefinition(ctx, referenceOf(req));
      sendJson(res, { id: definition.id, dmnXml: await getDmnXml(ctx, definition) });
    });
    router.get(`${path}/diagram`, async (req, res) => {
      const diagram = await getDiagram(ctx, 'decision requirements', referenceOf(req));
      if (diagram) sendFile(res, diagram);
      else sendNoContent(res);
    });
  }
  return router;
}
