/** Deploys BPMN and DMN resources as new process and decision definition versions, with Camunda's duplicate filtering. */
import { createHash } from 'node:crypto';
import { InvalidRequestError, NullValueError, ProcessEngineError } from '../core/errors.js';
import type { ParseProblem } from '../core/parse-problem.js';
import { newId } from '../core/ids.js';
import { dmnParseError, parseDmn, type DmnModel } from '../dmn/index.js';
import { bpmnParseError, type ParsedBpmn } from '../engine/index.js';
import {
  deleteDecisionDefinitionsOfDeployment,
  insertDecisionDefinitions,
  insertDecisionRequirementsDefinitions,
  latestDecisionRequirementsVersionOf,
  listDecisionDefinitionsOfDeployment,
  latestDecisionVersionOf,
  type DecisionDefinitionRow,
  type DecisionRequirementsDefinitionRow,
} from '../persistence/decision-definition-repository.js';
import {
  deleteDeployment,
  findDeployment,
  findResource,
  findLatestDeploymentNamed,
  insertDeployment,
  listDeploymentIds,
  lockDeployments,
  listResources,
  type DeploymentRow,
  type ResourceRow,
} from '../persistence/deployment-repository.js';
import { deleteHistoricDecisionInstancesOfDefinitions } from '../persistence/historic-decision-repository.js';
import { deleteHistoryOfProcessDefinitions } from '../persistence/history-repository.js';
import { insertProcessDefinitions, latestVersionsOf, listProcessDefinitionsOfDeployment, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { listProcessInstanceIdsOfDeployment } from '../persistence/process-instance-repository.js';
import { parseBpmnOffThread, readDmnOffThread } from './parse-thread.js';
import { createJobDefinitions, type DeployedDefinition } from './job-definitions.js';
import { scheduleTimerStartEvents } from './timer-start-jobs.js';
import { subscribeEventStarts } from './start-event-subscriptions.js';
import { restoreStartEvents } from './definition-removal.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { logUserOperation } from './user-operation-log.js';
import { terminateInstance } from './termination.js';

export interface DeploymentResource {
  name: string;
  content: Buffer;
}

export interface DeploymentRequest {
  name: string | null;
  source: string | null;
  tenantId: string | null;
  enableDuplicateFiltering: boolean;
  deployChangedOnly: boolean;
  resources: DeploymentResource[];
}

export interface DeploymentResult {
  deployment: DeploymentRow;
  /** Null when nothing new was deployed (Camunda serializes the empty maps as null). */
  processDefinitions: ProcessDefinitionRow[] | null;
  decisionDefinitions: DecisionDefinitionRow[] | null;
  decisionRequirementsDefinitions: DecisionRequirementsDefinitionRow[] | null;
}


export function isBpmnResource(name: string): boolean {
  return /\.(bpmn|bpmn20\.xml)$/i.test(name);
}

/** Camunda's DMN suffixes: `.dmn` and `.dmn11.xml`. */
export function isDmnResource(name: string): boolean {
  return /\.(dmn|dmn11\.xml)$/i.test(name);
}

/** As Camunda: `key:version:uuid`, or the bare UUID when that would be longer than Camunda's 64-character ids. */
function definitionId(key: string, version: number): string {
  const uuid = newId();
  const id = `${key}:${version}:${uuid}`;
  return id.length > 64 ? uuid : id;
}

const BPMN_SUFFIXES = ['bpmn20.xml', 'bpmn'];
const DMN_SUFFIXES = ['dmn11.xml', 'dmn'];
const DIAGRAM_SUFFIXES = ['png', 'jpg', 'gif', 'svg'];

/**
 * As Camunda's deployers: the image deployed with a model is `<base>.<key>.<suffix>` or else `<base>.<suffix>`, where
 * `<base>` is the model's resource name without its model suffix (case sensitive, as Camunda matches it).
 */
export function diagramResourceOf(resourceName: string, key: string, modelSuffixes: readonly string[], deployedNames: ReadonlySet<string>): string | null {
  const suffix = modelSuffixes.find((candidate) => resourceName.endsWith(candidate));
  const base = suffix === undefined ? resourceName : resourceName.slice(0, -suffix.length);
  for (const diagramSuffix of DIAGRAM_SUFFIXES) {
    for (const candidate of [`${base}${key}.${diagramSuffix}`, `${base}${diagramSuffix}`]) {
      if (deployedNames.has(candidate)) return candidate;
    }
  }
  return null;
}

function checksum(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

interface ParsedResources {
  bpmn: Map<string, ParsedBpmn>;
  dmn: Map<string, DmnModel>;
}

/** Camunda refuses a deployment in which two resources define the same key. */
function refuseDuplicateKeys(kind: string, resources: Array<[string, Array<{ key: string; position?: { line: number; column: number } }>]>, parseError: (resource: string, problems: ParseProblem[]) => Error): void {
  const owners = new Map<string, string>();
  for (const [resourceName, definitions] of resources) {
    for (const { key, position = { line: 0, column: 0 } } of definitions) {
      const other = owners.get(key);
      if (other !== undefined) {
        throw parseError(resourceName, [{
          message: `The deployment contains ${kind} with the same key '${key}' (id attribute), this is not allowed (also in resource '${other}')`,
          line: position.line, column: position.column, mainElementId: key, elementIds: [key],
        }]);
      }
      owners.set(key, resourceName);
    }
  }
}

/** Parses every BPMN and DMN resource before the transaction: a parse error deploys nothing. */
async function parseResources(ctx: ServiceContext, resources: DeploymentResource[]): Promise<ParsedResources> {
  const parsed: ParsedResources = { bpmn: new Map(), dmn: new Map() };
  for (const resource of resources) {
    if (isBpmnResource(resource.name)) parsed.bpmn.set(resource.name, await parseBpmnOffThread(resource.name, resource.content.toString('utf8'), { scripts: ctx.options.scripts, delegatesAsExternalTasks: ctx.options.delegatesAsExternalTasks }));
    else if (isDmnResource(resource.name)) parsed.dmn.set(resource.name, await parseDmn(resource.content.toString('utf8'), resource.name, ctx.options.scripts, readDmnOffThread));
  }
  refuseDuplicateKeys('definitions', [...parsed.bpmn].map(([name, bpmn]) => [name, bpmn.processes]), bpmnParseError);
  refuseDuplicateKeys('decisions', [...parsed.dmn].map(([name, model]) => [name, model.decisions.map((d) => ({ key: d.id }))]), dmnParseError);
  return parsed;
}

export async function deploy(ctx: ServiceContext, request: DeploymentRequest): Promise<DeploymentResult> {
  if (request.resources.length === 0) throw new InvalidRequestError(400, 'No deployment resources contained in the form upload.');
  const parsed = await parseResources(ctx, request.resources);
  for (const bpmn of parsed.bpmn.values()) for (const warning of bpmn.warnings) ctx.logger.warn(warning);
  for (const model of parsed.dmn.values()) for (const warning of model.warnings) ctx.logger.warn(warning);

  const result = await runCommand(ctx, 'deploy', async ({ tx }): Promise<DeploymentResult> => {
    await lockDeployments(tx);
    let resources = request.resources;
    if (request.enableDuplicateFiltering && request.name !== null) {
      const previous = await findLatestDeploymentNamed(tx, request.name, request.source, request.tenantId);
      if (previous) {
        const previousChecksums = new Map((await listResources(tx, previous.id)).map((r) => [r.name, r.checksum]));
        const changed = resources.filter((r) => previousChecksums.get(r.name) !== checksum(r.content));
        if (changed.length === 0) return { deployment: previous, processDefinitions: null, decisionDefinitions: null, decisionRequirementsDefinitions: null };
        if (request.deployChangedOnly) resources = changed;
      }
    }

    const deployment: DeploymentRow = {
      id: newId(),
      name: request.name,
      source: request.source,
      tenant_id: request.tenantId,
      deployment_time: ctx.clock.now(),
    };
    const resourceRows: ResourceRow[] = resources.map((r) => ({ id: newId(), deployment_id: deployment.id, name: r.name, content: r.content, checksum: checksum(r.content) }));
    await insertDeployment(tx, deployment, resourceRows);
    const filtering = [{ property: 'duplicateFilterEnabled', orgValue: null, newValue: request.enableDuplicateFiltering }];
    if (request.enableDuplicateFiltering) filtering.push({ property: 'deployChangedOnly', orgValue: null, newValue: request.deployChangedOnly });
    await logUserOperation(ctx, tx, { operationType: 'Create', entityType: 'Deployment', category: 'Operator', target: { deploymentId: deployment.id, tenantId: deployment.tenant_id }, properties: filtering });

    const deployedNames = new Set(resources.map((resource) => resource.name));
    const deployed: DeployedDefinition[] = [];
    const processKeys = resources.flatMap((resource) => parsed.bpmn.get(resource.name)?.processes.map((process) => process.key) ?? []);
    const latestVersions = await latestVersionsOf(tx, processKeys, request.tenantId);
    for (const resource of resources) {
      const bpmn = parsed.bpmn.get(resource.name);
      for (const process of bpmn?.processes ?? []) {
        const version = latestVersions.get(process.key)! + 1;
        deployed.push({ jobs: process.jobDeclarations, eventStarts: process.eventStarts, definition: {
          id: definitionId(process.key, version),
          key: process.key,
          version,
          name: process.name,
          version_tag: process.versionTag,
          history_time_to_live: process.historyTimeToLive,
          startable_in_tasklist: process.startableInTasklist,
          deployment_id: deployment.id,
          resource_name: resource.name,
          tenant_id: request.tenantId,
          suspended: false,
          serialized_context: process.serializedContext,
          diagram_resource_name: diagramResourceOf(resource.name, process.key, BPMN_SUFFIXES, deployedNames),
        } });
      }
    }
    const definitions = deployed.map(({ definition }) => definition);
    await insertProcessDefinitions(tx, definitions);
    await createJobDefinitions(tx, deployed);
    await scheduleTimerStartEvents(ctx, tx, deployed);
    await subscribeEventStarts(tx, deployed, ctx.clock.now());

    const requirements: DecisionRequirementsDefinitionRow[] = [];
    const decisions: DecisionDefinitionRow[] = [];
    for (const resource of resources) {
      const model = parsed.dmn.get(resource.name);
      if (!model) continue;
      const graph = model.decisionRequirements;
      // As Camunda: a decision requirements definition only for a file with more than one decision.
      let drd: DecisionRequirementsDefinitionRow | null = null;
      if (model.decisions.length > 1) {
        const version = (await latestDecisionRequirementsVersionOf(tx, graph.id, request.tenantId)) + 1;
        drd = {
          id: definitionId(graph.id, version),
          key: graph.id,
          version,
          name: graph.name,
          category: graph.namespace,
          deployment_id: deployment.id,
          resource_name: resource.name,
          tenant_id: request.tenantId,
          diagram_resource_name: diagramResourceOf(resource.name, graph.id, DMN_SUFFIXES, deployedNames),
        };
        requirements.push(drd);
      }
      for (const decision of model.decisions) {
        const version = (await latestDecisionVersionOf(tx, decision.id, request.tenantId)) + 1;
        decisions.push({
          id: definitionId(decision.id, version),
          key: decision.id,
          version,
          name: decision.name,
          category: graph.namespace,
          version_tag: decision.versionTag,
          history_time_to_live: decision.historyTimeToLive,
          deployment_id: deployment.id,
          resource_name: resource.name,
          decision_requirements_definition_id: drd?.id ?? null,
          decision_requirements_definition_key: drd?.key ?? null,
          tenant_id: request.tenantId,
          diagram_resource_name: diagramResourceOf(resource.name, decision.id, DMN_SUFFIXES, deployedNames),
        });
      }
    }
    await insertDecisionRequirementsDefinitions(tx, requirements);
    await insertDecisionDefinitions(tx, decisions);
    return {
      deployment,
      processDefinitions: definitions.length > 0 ? definitions : null,
      decisionDefinitions: decisions.length > 0 ? decisions : null,
      decisionRequirementsDefinitions: requirements.length > 0 ? requirements : null,
    };
  });
  // Committed: the models parsed here serve the first evaluations on this node.
  for (const definition of result.decisionDefinitions ?? []) {
    const model = parsed.dmn.get(definition.resource_name);
    if (model) ctx.decisions.prime(definition, model);
  }
  return result;
}

export async function getDeployment(ctx: ServiceContext, id: string): Promise<DeploymentRow> {
  const deployment = await findDeployment(ctx.database.knex, id);
  if (!deployment) throw new InvalidRequestError(404, `Deployment with id '${id}' does not exist`);
  return deployment;
}

export async function getDeploymentResources(ctx: ServiceContext, id: string): Promise<ResourceRow[]> {
  await getDeployment(ctx, id);
  return listResources(ctx.database.knex, id);
}

export async function getDeploymentResource(ctx: ServiceContext, id: string, resourceId: string): Promise<ResourceRow> {
  const resource = await findResource(ctx.database.knex, id, resourceId);
  if (resource) return resource;
  // Camunda looks the resource up among the deployment's resources, so an unknown deployment is named first.
  if ((await listResources(ctx.database.knex, id)).length === 0) throw new InvalidRequestError(404, `Deployment resources for deployment id '${id}' do not exist.`);
  throw new InvalidRequestError(404, `Deployment resource with resource id '${resourceId}' for deployment id '${id}' does not exist.`);
}

/** A resource with its content; Camunda's repository service refuses an unknown one as a missing value, not as not found. */
export async function getDeploymentResourceData(ctx: ServiceContext, id: string, resourceId: string): Promise<ResourceRow> {
  const resource = await findResource(ctx.database.knex, id, resourceId);
  if (!resource) throw new NullValueError(`no resource found with id '${resourceId}' in deployment '${id}': resource is null`);
  return resource;
}

/** Deletes a deployment; with `cascade` its running instances are terminated and its history removed, as Camunda. */
export async function removeDeployment(ctx: ServiceContext, id: string, options: { cascade: boolean }): Promise<void> {
  await getDeployment(ctx, id);
  await runCommand(ctx, 'delete deployment', async ({ tx }) => {
    await lockDeployments(tx);
    const instanceIds = await listProcessInstanceIdsOfDeployment(tx, id);
    if (instanceIds.length > 0 && !options.cascade) {
      throw new ProcessEngineError(`Deletion of process definition without cascading failed: deployment '${id}' has ${instanceIds.length} running process instance(s)`);
    }
    for (const instanceId of instanceIds.sort()) await terminateInstance(ctx, tx, instanceId, { purgeHistory: true, deleteReason: 'deleted deployment' });
    if (options.cascade) {
      // As Camunda: the history of the deployment's processes, and every evaluation of its decisions (REST ones too).
      await deleteHistoryOfProcessDefinitions(tx, (await listProcessDefinitionsOfDeployment(tx, id)).map((definition) => definition.id));
      await deleteHistoricDecisionInstancesOfDefinitions(tx, (await listDecisionDefinitionsOfDeployment(tx, id)).map((definition) => definition.id));
    }
    const definitions = await listProcessDefinitionsOfDeployment(tx, id);
    await tx('process_definition').where({ deployment_id: id }).delete();
    await restoreStartEvents(ctx, tx, definitions);
    await deleteDecisionDefinitionsOfDeployment(tx, id);
    await deleteDeployment(tx, id);
    const properties = [{ property: 'cascade', orgValue: null, newValue: options.cascade }];
    await logUserOperation(ctx, tx, { operationType: 'Delete', entityType: 'Deployment', category: 'Operator', target: { deploymentId: id }, properties });
  });
}

export interface RedeploymentRequest {
  resourceIds: string[] | null;
  resourceNames: string[] | null;
  source: string | null;
}

/**
 * Camunda's POST /deployment/{id}/redeploy: a new deployment, under the old one's name and tenant, of its resources
 * (all of them, or those named by id and by name); no duplicate filtering, so every model gets a new version.
 */
export async function redeploy(ctx: ServiceContext, id: string, request: RedeploymentRequest): Promise<DeploymentResult> {
  const previous = await getDeployment(ctx, id);
  const resources = await listResources(ctx.database.knex, id);
  const ids = request.resourceIds ?? [];
  const names = request.resourceNames ?? [];
  const refuse = (what: string, missing: string[]) => new InvalidRequestError(404, `Cannot redeploy deployment '${id}': The deployment with id '${id}' does not contain the following resources with ${what}: ${missing.join(', ')}`);
  const missingIds = ids.filter((resourceId) => !resources.some((resource) => resource.id === resourceId));
  if (missingIds.length > 0) throw refuse('id', missingIds);
  const missingNames = names.filter((name) => !resources.some((resource) => resource.name === name));
  if (missingNames.length > 0) throw refuse('name', missingNames);
  const chosen = ids.length === 0 && names.length === 0 ? resources : resources.filter((resource) => ids.includes(resource.id) || names.includes(resource.name));
  return deploy(ctx, {
    name: previous.name,
    source: request.source,
    tenantId: previous.tenant_id,
    enableDuplicateFiltering: false,
    deployChangedOnly: false,
    resources: chosen.map((resource) => ({ name: resource.name, content: resource.content })),
  });
}

/** The deployments this node executes: with one shared database, every node runs the jobs of every deployment. */
export async function registeredDeploymentIds(ctx: ServiceContext): Promise<string[]> {
  return listDeploymentIds(ctx.database.knex);
}
