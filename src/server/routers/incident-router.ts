/** `/incident`: open incidents with Camunda's filters and `/count`, one by id, resolving custom ones and annotations. */
import { Router } from 'express';
import { readModels, type IncidentFilter } from '../../services/read-models.js';
import { getIncident } from '../../services/history-service.js';
import { resolveIncident, setIncidentAnnotation } from '../../services/incident-operations.js';
import type { ServiceContext } from '../../services/service-context.js';
import { incidentDto } from '../dtos/external-task-dtos.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, type QueryReader } from '../query-reader.js';
import { annotationBody } from '../body-schemas.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

const SORT_KEYS = ['incidentId', 'incidentMessage', 'incidentTimestamp', 'incidentType', 'executionId', 'activityId', 'processInstanceId', 'processDefinitionId', 'causeIncidentId', 'rootCauseIncidentId', 'configuration', 'tenantId'] as const;

function incidentFilter(query: QueryReader): IncidentFilter {
  return definedOnly({
    incidentId: query.string('incidentId'),
    incidentType: query.string('incidentType'),
    incidentMessage: query.string('incidentMessage'),
    processDefinitionId: query.string('processDefinitionId'),
    processInstanceId: query.string('processInstanceId'),
    executionId: query.string('executionId'),
    activityId: query.string('activityId'),
    configuration: query.string('configuration'),
    tenantIdIn: query.list('tenantIdIn'),
  });
}

export function incidentRouter(ctx: ServiceContext): Router {
  const router = Router();
  mountListRoutes(router, { path: '/incident', readModel: readModels(ctx).incidents, sortKeys: SORT_KEYS, filter: incidentFilter, toDto: incidentDto, post: false });
  router.get('/incident/:id', async (req, res) => sendJson(res, incidentDto(await getIncident(ctx, req.params.id))));
  router.delete('/incident/:id', async (req, res) => {
    await resolveIncident(ctx, req.params.id);
    sendNoContent(res);
  });
  router.put('/incident/:id/annotation', async (req, res) => {
    await setIncidentAnnotation(ctx, req.params.id, readBody(req, annotationBody).annotation ?? null);
    sendNoContent(res);
  });
  router.delete('/incident/:id/annotation', async (req, res) => {
    await setIncidentAnnotation(ctx, req.params.id, null);
    sendNoContent(res);
  });
  return router;
}
