/** `/deployment`: create (multipart, as Camunda Modeler sends it), redeploy, list, count, get, delete, resources. */
import { Router, type Request } from 'express';
import { deploy, getDeployment, getDeploymentResource, getDeploymentResourceData, getDeploymentResources, redeploy, registeredDeploymentIds, removeDeployment, type DeploymentResult } from '../../services/deployment-service.js';
import { redeploymentBody } from '../body-schemas.js';
import { readBody } from '../read-body.js';
import { readModels, type DeploymentFilter } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { decisionDefinitionDto, decisionRequirementsDefinitionDto, deploymentDto, processDefinitionDto } from '../dtos/repository-dtos.js';
import { selfLink } from '../dtos/links.js';
import { readMultipartForm } from '../multipart-form.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, QueryReader } from '../query-reader.js';
import { sendJson, sendNoContent } from '../respond.js';

const FORM_FIELDS = new Set(['deployment-name', 'deployment-source', 'enable-duplicate-filtering', 'deploy-changed-only', 'deployment-activation-time', 'tenant-id']);
const SORT_KEYS = ['id', 'name', 'deploymentTime', 'tenantId'] as const;

function deploymentFilter(query: QueryReader): DeploymentFilter {
  return definedOnly({
    id: query.string('id'),
    name: query.string('name'),
    nameLike: query.string('nameLike'),
    source: query.string('source'),
    withoutSource: query.boolean('withoutSource'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    after: query.date('after'),
    before: query.date('before'),
  });
}

// Camunda's media types of deployment resources, by file extension; any other resource is a byte stream.
const MEDIA_TYPES = new Map(Object.entries({
  bpmn: 'application/xml', cmmn: 'application/xml', dmn: 'application/xml', xml: 'application/xml', json: 'application/json',
  gif: 'image/gif', jpeg: 'image/jpeg', jpe: 'image/jpeg', jpg: 'image/jpeg', png: 'image/png', svg: 'image/svg+xml', tiff: 'image/tiff', tif: 'image/tiff',
  groovy: 'text/plain', java: 'text/plain', js: 'text/plain', php: 'text/plain', py: 'text/plain', rb: 'text/plain', txt: 'text/plain', html: 'text/html',
}));

function mediaTypeOf(resourceName: string): string {
  return MEDIA_TYPES.get(resourceName.split('.').pop()!) ?? 'application/octet-stream';
}

function flag(value: string | undefined): boolean {
  return value === 'true';
}

/** A deployment with the definitions it deployed, as POST /deployment/create and /redeploy answer. */
function deploymentWithDefinitionsDto(req: Request, result: DeploymentResult) {
  // Camunda serializes an empty map as null.
  const byId = <R extends { id: string }>(rows: R[] | null, dto: (row: R) => unknown) => (rows === null ? null : Object.fromEntries(rows.map((r) => [r.id, dto(r)])));
  return {
    ...deploymentDto(result.deployment, selfLink(req, `/deployment/${result.deployment.id}`)),
    deployedProcessDefinitions: byId(result.processDefinitions, processDefinitionDto),
    deployedCaseDefinitions: null,
    deployedDecisionDefinitions: byId(result.decisionDefinitions, decisionDefinitionDto),
    deployedDecisionRequirementsDefinitions: byId(result.decisionRequirementsDefinitions, decisionRequirementsDefinitionDto),
  };
}

export function deploymentRouter(ctx: ServiceContext, options: { maxUploadBytes: number }): Router {
  const router = Router();

  router.post('/deployment/create', async (req, res) => {
    const form = await readMultipartForm(req, options.maxUploadBytes, FORM_FIELDS);
    const result = await deploy(ctx, {
      name: form.fields.get('deployment-name') ?? null,
      source: form.fields.get('deployment-source') ?? null,
      tenantId: form.fields.get('tenant-id') || null,
      enableDuplicateFiltering: flag(form.fields.get('enable-duplicate-filtering')) || flag(form.fields.get('deploy-changed-only')),
      deployChangedOnly: flag(form.fields.get('deploy-changed-only')),
      resources: form.files,
    });
    sendJson(res, deploymentWithDefinitionsDto(req, result));
  });

  router.get('/deployment/registered', async (_req, res) => {
    sendJson(res, await registeredDeploymentIds(ctx));
  });

  router.post('/deployment/:id/redeploy', async (req, res) => {
    const body = readBody(req, redeploymentBody);
    const result = await redeploy(ctx, req.params.id, { resourceIds: body.resourceIds ?? null, resourceNames: body.resourceNames ?? null, source: body.source ?? null });
    sendJson(res, deploymentWithDefinitionsDto(req, result));
  });

  mountListRoutes(router, {
    path: '/deployment',
    readModel: readModels(ctx).deployments,
    sortKeys: SORT_KEYS,
    filter: deploymentFilter,
    toDto: (row) => deploymentDto(row),
    post: false,
  });

  router.get('/deployment/:id', async (req, res) => {
    sendJson(res, deploymentDto(await getDeployment(ctx, req.params.id)));
  });

  router.get('/deployment/:id/resources', async (req, res) => {
    const resources = await getDeploymentResources(ctx, req.params.id);
    sendJson(res, resources.map((r) => ({ id: r.id, name: r.name, deploymentId: r.deployment_id })));
  });

  router.get('/deployment/:id/resources/:resourceId', async (req, res) => {
    const resource = await getDeploymentResource(ctx, req.params.id, req.params.resourceId);
    sendJson(res, { id: resource.id, name: resource.name, deploymentId: resource.deployment_id });
  });

  router.get('/deployment/:id/resources/:resourceId/data', async (req, res) => {
    const resource = await getDeploymentResourceData(ctx, req.params.id, req.params.resourceId);
    // setHeader, not set: Express would add a charset to text types, which Camunda does not send.
    res.status(200).setHeader('Content-Type', mediaTypeOf(resource.name));
    res.setHeader('Content-Disposition', `attachment; filename="${resource.name.replace(/"/g, '')}"`);
    res.send(resource.content);
  });

  router.delete('/deployment/:id', async (req, res) => {
    const query = new QueryReader(req.query as Record<string, unknown>);
    await removeDeployment(ctx, req.params.id, { cascade: query.boolean('cascade') ?? false });
    sendNoContent(res);
  });

  return router;
}
