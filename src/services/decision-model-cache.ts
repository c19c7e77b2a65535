/** Per-node cache of parsed DMN models: each deployed DMN resource is parsed (and its FEEL compiled) once per node. */
import { ProcessEngineError } from '../core/errors.js';
import { parseDmn, type DmnModel, type DmnParseOptions } from '../dmn/index.js';
import type { Db } from '../persistence/database.js';
import type { DecisionDefinitionRow } from '../persistence/decision-definition-repository.js';
import { findResourceByName } from '../persistence/deployment-repository.js';
import { readDmnOffThread } from './parse-thread.js';

/**
 * Keyed by decision definition id. Deployed resources never change, so an entry never goes stale and needs no
 * invalidation; all decisions of one resource share one parse (one pending promise, so concurrent misses parse once).
 * Which version is "latest" is never cached here: callers read that row from the database every time.
 */
export class DecisionModelCache {
  private readonly byDefinition = new Map<string, Promise<DmnModel>>();
  private readonly byResource = new Map<string, Promise<DmnModel>>();

  constructor(private readonly parseOptions: DmnParseOptions = { javascript: false }, private readonly capacity = 1000) {}

  /** The parsed model holding `definition` (its decision's key is `definition.key`). */
  get(db: Db, definition: DecisionDefinitionRow): Promise<DmnModel> {
    const cached = this.byDefinition.get(definition.id);
    if (cached) return cached;
    const resourceKey = `${definition.deployment_id}\u0000${definition.resource_name}`;
    let model = this.byResource.get(resourceKey);
    if (!model) {
      model = this.load(db, definition);
      // A failed load (e.g. the deployment was deleted meanwhile) must not stay cached.
      model.catch(() => {
        this.byResource.delete(resourceKey);
        this.byDefinition.delete(definition.id);
      });
      this.remember(this.byResource, resourceKey, model);
    }
    this.remember(this.byDefinition, definition.id, model);
    return model;
  }

  /** Seeds the cache with the model parsed at deploy, so the first evaluation does not parse again. */
  prime(definition: DecisionDefinitionRow, model: DmnModel): void {
    const parsed = Promise.resolve(model);
    this.remember(this.byResource, `${definition.deployment_id}\u0000${definition.resource_name}`, parsed);
    this.remember(this.byDefinition, definition.id, parsed);
  }

  private async load(db: Db, definition: DecisionDefinitionRow): Promise<DmnModel> {
    const resource = await findResourceByName(db, definition.deployment_id, definition.resource_name);
    if (!resource) throw new ProcessEngineError(`Resource '${definition.resource_name}' of decision definition ${definition.id} does not exist`);
    return parseDmn(resource.content.toString('utf8'), definition.resource_name, this.parseOptions, readDmnOffThread);
  }

  private remember(map: Map<string, Promise<DmnModel>>, key: string, value: Promise<DmnModel>): void {
    map.set(key, value);
    if (map.size > this.capacity) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }
}
