/** Builds the Express application: the Camunda REST API under /engine-rest, the browser app at /, and one error middleware. */
import express, { type Express } from 'express';
import type { FetchAndLockWaiter } from '../services/fetch-and-lock-waiter.js';
import type { ServiceContext } from '../services/service-context.js';
import { withTraceparent } from '../telemetry/trace-context.js';
import { errorMiddleware, notFoundHandler } from './error-middleware.js';
import { jsonBody } from './json-body.js';
import { decisionDefinitionRouter } from './routers/decision-definition-router.js';
import { deploymentRouter } from './routers/deployment-router.js';
import { engineRouter } from './routers/engine-router.js';
import { eventSubscriptionRouter } from './routers/event-subscription-router.js';
import { executionRouter } from './routers/execution-router.js';
import { externalTaskRouter } from './routers/external-task-router.js';
import { incidentRouter } from './routers/incident-router.js';
import { jobDefinitionRouter } from './routers/job-definition-router.js';
import { jobRouter } from './routers/job-router.js';
import { historyRouter } from './routers/history-router.js';
import { identityLinkLogRouter } from './routers/identity-link-log-router.js';
import { messageRouter } from './routers/message-router.js';
import { metricsRouter } from './routers/metrics-router.js';
import { camundaMetricsRouter } from './routers/camunda-metrics-router.js';
import { processDefinitionRouter } from './routers/process-definition-router.js';
import { processInstanceRouter } from './routers/process-instance-router.js';
import { bulkOperationRouter } from './routers/bulk-operation-router.js';
import { eventRouter } from './routers/event-router.js';
import { taskRouter } from './routers/task-router.js';
import { formRouter } from './routers/form-router.js';
import { taskManagementRouter } from './routers/task-management-router.js';
import { commentRouter } from './routers/comment-router.js';
import { attachmentRouter } from './routers/attachment-router.js';
import { variableUploadRouter } from './routers/variable-upload-router.js';
import { filterRouter } from './routers/filter-router.js';
import { variableInstanceRouter } from './routers/variable-instance-router.js';
import { schemaLogRouter } from './routers/schema-log-router.js';
import { telemetryRouter } from './routers/telemetry-router.js';
import { webAppRouter } from './web-app.js';
import { authentication } from './authentication.js';
import { oidcBearer, type OidcOptions } from './bearer-token.js';
import { identityRouter } from './routers/identity-router.js';
import { IdentityService } from '../services/identity-service.js';
import { databaseChecks, type ReadinessCheck } from '../services/readiness.js';
import { healthRouter } from './health-router.js';
import { requestLog } from './request-log.js';

export interface AppOptions {
  maxUploadBytes: number;
  /** Express's `trust proxy` (TRUST_PROXY): behind a load balancer, the client address the sign-in lockout counts. */
  trustProxy?: boolean | number | readonly string[];
  /** Holds this node's parked long-polling fetchAndLock requests; closed on shutdown. */
  fetchAndLockWaiter: FetchAndLockWaiter;
  /** The built browser app (web-modeler/dist), served at `/`; omitted, `/` serves nothing. */
  webAppDir?: string;
  /** With users, the REST API requires HTTP Basic authentication (the web app asks for credentials). */
  basicAuthUsers?: ReadonlyMap<string, string> | null;
  /** AUTHENTICATION and OIDC_*: whether the REST API requires authentication (by default: with basicAuthUsers or OIDC). */
  authentication?: { required?: boolean; credentialCacheMs?: number; idPattern?: string; oidc?: OidcOptions | null; now?: () => number };
  /** Readiness checks beyond the database's (Kafka when configured), for /health/ready. */
  readinessChecks?: readonly ReadinessCheck[];
}

export const REST_BASE = '/engine-rest';

export function createApp(ctx: ServiceContext, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', Array.isArray(options.trustProxy) ? [...options.trustProxy] : options.trustProxy ?? false);
  // A caller's W3C trace context reaches the commands the request runs, and the worker deliveries they start.
  app.use((req, _res, next) => withTraceparent(req.headers.traceparent, next));
  app.use(requestLog(ctx.logger));
  // Before any authentication: probes carry no credentials.
  app.use(healthRouter([...databaseChecks(ctx), ...(options.readinessChecks ?? [])]));
  const auth = options.authentication ?? {};
  const identity = new IdentityService(ctx, { configuredUsers: options.basicAuthUsers, credentialCacheMs: auth.credentialCacheMs, idPattern: auth.idPattern, signInClock: auth.now });
  if (auth.required ?? (Boolean(options.basicAuthUsers?.size) || Boolean(auth.oidc))) {
    app.use(REST_BASE, authentication({ authenticate: (user, password) => identity.authenticate(user, password), bearer: auth.oidc ? oidcBearer(auth.oidc, ctx.logger) : null, now: auth.now, failures: identity.loginFailures }));
  }
  app.use(REST_BASE, jsonBody(options.maxUploadBytes));

  const api = express.Router();
  api.use(engineRouter());
  api.use(deploymentRouter(ctx, options));
  api.use(formRouter(ctx));
  api.use(processDefinitionRouter(ctx));
  api.use(decisionDefinitionRouter(ctx));
  api.use(processInstanceRouter(ctx));
  api.use(bulkOperationRouter(ctx));
  api.use(taskManagementRouter(ctx));
  api.use(taskRouter(ctx));
  api.use(commentRouter(ctx));
  api.use(attachmentRouter(ctx, options));
  api.use(variableUploadRouter(ctx, options));
  api.use(historyRouter(ctx));
  api.use(identityLinkLogRouter(ctx));
  api.use(externalTaskRouter(ctx, options.fetchAndLockWaiter));
  api.use(incidentRouter(ctx));
  api.use(jobRouter(ctx));
  api.use(jobDefinitionRouter(ctx));
  api.use(executionRouter(ctx));
  api.use(messageRouter(ctx));
  api.use(eventSubscriptionRouter(ctx));
  api.use(eventRouter(ctx));
  api.use(identityRouter(ctx, identity));
  api.use(camundaMetricsRouter(ctx));
  api.use(filterRouter(ctx));
  api.use(variableInstanceRouter(ctx));
  api.use(schemaLogRouter(ctx));
  api.use(telemetryRouter(ctx));
  app.use(REST_BASE, api);
  // Named engines: /engine-rest/engine/default/… addresses the one engine there is.
  app.use(`${REST_BASE}/engine/default`, api);

  app.use(metricsRouter(ctx));
  app.use(REST_BASE, notFoundHandler);
  if (options.webAppDir) app.use(webAppRouter(options.webAppDir));
  app.use(errorMiddleware(ctx.logger));
  return app;
}
