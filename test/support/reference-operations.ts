/** Camunda's REST operations from the reference OpenAPI, each marked answered by our routers or left out on purpose, and why. */
import { readFileSync } from 'node:fs';
import { pathShape, restRoutes } from './rest-routes.js';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** Resources that stay 404 for now (the README lists them with what comes next), by the reference file's tag. */
const LEFT_OUT_TAGS: Record<string, string> = {
  Migration: 'migration',
  Modification: 'modification',
  Batch: 'batch',
  'Historic Batch': 'batch',
  Authorization: 'authorization',
  Tenant: 'tenant',
  'History Cleanup': 'history cleanup',
};

/**
 * Batch operations under other tags run as batch jobs and answer a Batch. Process-instance deletion by query, on
 * the runtime and the history side, is answered (a batch that has already run); the other batch operations wait
 * for the batch resource. An instance's modification, and restart (which replays instances through modification's
 * instructions), belong to modification.
 */
const ANSWERED_BATCHES = new Set(['post /process-instance/delete', 'post /process-instance/delete-historic-query-based', 'post /history/process-instance/delete']);
const MODIFICATION_FAMILY = new Set(['post /process-definition/{}/restart', 'post /process-instance/{}/modification']);

export interface ReferenceOperation {
  method: string;
  /** As the reference file writes it, e.g. `/task/{id}/claim`. */
  path: string;
  tag: string;
  answered: boolean;
  /** Why it stays 404 (a resource name), or undefined when it should answer. */
  leftOutAs?: string;
}

interface Operation {
  tags?: string[];
  responses?: Record<string, unknown>;
}

function leftOutAs(key: string, operation: Operation): string | undefined {
  const tag = operation.tags?.[0] ?? '';
  if (LEFT_OUT_TAGS[tag]) return LEFT_OUT_TAGS[tag];
  if (MODIFICATION_FAMILY.has(key)) return 'modification';
  const answersBatch = JSON.stringify(operation.responses?.['200'] ?? {}).includes('#/components/schemas/BatchDto');
  return answersBatch && !ANSWERED_BATCHES.has(key) ? 'batch' : undefined;
}

export function referenceOperations(openapiFile: string): ReferenceOperation[] {
  const spec = JSON.parse(readFileSync(openapiFile, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  const ours = new Set(restRoutes().map((route) => `${route.method} ${pathShape(route.path)}`));
  const operations: ReferenceOperation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const key = `${method} ${pathShape(path)}`;
      operations.push({ method, path, tag: operation.tags?.[0] ?? '', answered: ours.has(key), leftOutAs: leftOutAs(key, operation) });
    }
  }
  return operations;
}
