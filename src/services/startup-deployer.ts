/** Deploys every BPMN file of a folder at start-up under one name with duplicate filtering: restarts add no versions. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { deploy, isBpmnResource, type DeploymentResult } from './deployment-service.js';
import type { ServiceContext } from './service-context.js';

export const STARTUP_DEPLOYMENT_NAME = 'process-application';

export async function deployDirectory(ctx: ServiceContext, directory: string): Promise<DeploymentResult | null> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter(isBpmnResource).sort();
  } catch {
    return null;
  }
  if (names.length === 0) return null;
  const resources = await Promise.all(names.map(async (name) => ({ name, content: await readFile(path.join(directory, name)) })));
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
