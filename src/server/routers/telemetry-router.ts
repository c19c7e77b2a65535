/** `/telemetry`: Camunda's telemetry resource, off for good as in Camunda 7.22+ and Operaton (no data ever leaves). */
import { Router } from 'express';
import { InvalidRequestError } from '../../core/errors.js';
import type { ServiceContext } from '../../services/service-context.js';
import { telemetryData } from '../../services/telemetry-service.js';
import { dateValue } from '../dtos/date-value.js';
import { bodySchema, readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

const telemetryConfigurationBody = bodySchema<{ enableTelemetry?: boolean | null }>({ type: 'object', properties: { enableTelemetry: { type: 'boolean', nullable: true } } });

export function telemetryRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/telemetry/configuration', (_req, res) => sendJson(res, { enableTelemetry: false }));
  // Accepted and ignored, as Operaton does: telemetry cannot be turned on.
  router.post('/telemetry/configuration', (req, res) => {
    if (typeof readBody(req, telemetryConfigurationBody).enableTelemetry !== 'boolean') throw new InvalidRequestError(400, "Property 'enableTelemetry' must be a boolean.");
    sendNoContent(res);
  });
  router.get('/telemetry/data', async (_req, res) => {
    const data = await telemetryData(ctx);
    sendJson(res, {
      installation: data.installation,
      product: {
        name: 'Camunda BPM Runtime',
        version: '7.24.0',
        edition: 'community',
        internals: {
          database: { vendor: 'PostgreSQL', version: data.databaseVersion },
          'application-server': { vendor: 'Node.js', version: process.version },
          'license-key': null,
          'camunda-integration': [],
          commands: {},
          metrics: Object.fromEntries(Object.entries(data.metrics).map(([name, count]) => [name, { count }])),
          webapps: [],
          jdk: null,
          'data-collection-start-date': dateValue(data.collectionStart),
        },
      },
    });
  });
  return router;
}
