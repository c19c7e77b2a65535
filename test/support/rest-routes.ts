/** The REST operations our server implements, read from the Express routers themselves (so no list drifts from them). */
import { createApp, REST_BASE } from '../../src/server/create-app.js';
import type { AppOptions } from '../../src/server/create-app.js';
import type { ServiceContext } from '../../src/services/service-context.js';

export interface RestRoute {
  /** Lower case, as OpenAPI names methods. */
  method: string;
  /** Express syntax below /engine-rest, e.g. `/task/:id/claim`. */
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  /** What the layer matched, or false. */
  match?(path: string): unknown;
}

/** `/task/:id/claim` and `/task/{id}/claim` both become `/task/{}/claim`. */
export function pathShape(template: string): string {
  return template.replace(/:[^/]+|\{[^}]+\}/g, '{}');
}

function collect(stack: Layer[], into: Map<string, RestRoute>): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) into.set(`${method} ${layer.route.path}`, { method, path: layer.route.path });
    } else if (layer.handle?.stack) collect(layer.handle.stack, into);
  }
}

/** Every method and path of the API mounted at /engine-rest (the named-engine mount repeats the same routes). */
export function restRoutes(): RestRoute[] {
  // Building the routers only wires handlers: no service, database or waiter is touched until a request arrives.
  const app = createApp({} as ServiceContext, { maxUploadBytes: 0, fetchAndLockWaiter: {} as AppOptions['fetchAndLockWaiter'] });
  const top = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const routes = new Map<string, RestRoute>();
  for (const layer of top) {
    // Routers mounted at the root (the Prometheus /metrics, the web app) also match REST paths, but match `/` too.
    const underRestBase = Boolean(layer.match?.(`${REST_BASE}/version`)) && !layer.match?.('/');
    if (layer.handle?.stack && underRestBase) collect(layer.handle.stack, routes);
  }
  return [...routes.values()];
}

/**
 * One route of each router under /engine-rest (a GET without path parameters where the router has one), read from
 * the app itself: a router added to createApp is in this list without anyone remembering to add it.
 */
export function routerRepresentatives(): RestRoute[] {
  const app = createApp({} as ServiceContext, { maxUploadBytes: 0, fetchAndLockWaiter: {} as AppOptions['fetchAndLockWaiter'] });
  const top = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const api = top.find((layer) => Boolean(layer.match?.(`${REST_BASE}/version`)) && !layer.match?.('/') && layer.handle?.stack?.some((child) => child.handle?.stack));
  if (!api?.handle?.stack) throw new Error('the REST API router was not found in createApp');
  const representatives: RestRoute[] = [];
  for (const routerLayer of api.handle.stack) {
    const routes = new Map<string, RestRoute>();
    collect(routerLayer.handle?.stack ?? [], routes);
    const all = [...routes.values()];
    const chosen = all.find((route) => route.method === 'get' && !route.path.includes(':')) ?? all.find((route) => route.method === 'get') ?? all[0];
    if (chosen) representatives.push(chosen);
  }
  return representatives;
}
