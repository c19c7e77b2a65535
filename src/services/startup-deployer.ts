/**
 * Deploys processes/ (BPMN) and decisions/ (DMN) at start-up as one deployment under one name, with duplicate
 * filtering: restarts add no versions, and a business rule task with decisionRefBinding="deployment" finds the
 * decisions deployed beside its process.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { deploy, isBpmnResource, isDmnResource, type DeploymentResource, type DeploymentResult } from './deployment-service.js';
import type { ServiceContext } from './service-context.js';

export const STARTUP_DEPLOYMENT_NAME = 'process-application';

async function resourcesIn(directory: string, accept: (name: string) => boolean): Promise<DeploymentResource[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter(accept).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (name) => ({ name, content: await readFile(path.join(directory, name)) })));
}

export async function deployDirectory(ctx: ServiceContext, directory: string, decisionsDirectory: string | null = null): Promise<DeploymentResult | null> {
  const resources = [
    ...(await resourcesIn(directory, isBpmnResource)),
    ...(decisionsDirectory === null ? [] : await resourcesIn(decisionsDirectory, isDmnResource)),
  ];
  if (resources.length === 0) return null;
  // deploy() serializes on pg_advisory_xact_lock, so nodes starting together see each other's deployment.
  return deploy(ctx, {
    name: STARTUP_DEPLOYMENT_NAME,
    source: directory.split(path.sep).pop() ?? null,
    tenantId: null,
    enableDuplicateFiltering: true,
    deployChangedOnly: false,
    resources,
  });
}
