/** Strict validation of our REST responses against Camunda's OpenAPI description in ../shared (never copied here). */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sharedPath } from './shared-files.js';

export const OPENAPI_FILE = 'reference/camunda-engine-rest-openapi.json';

type Schema = Record<string, unknown>;

interface Operation {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface Route {
  template: string;
  segments: string[];
  operations: Record<string, Operation>;
}

const SCHEMA_ID = 'camunda-openapi';
const REF_PREFIX = '#/components/schemas/';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let loaded: { spec: Spec; routes: Route[]; ajv: Ajv } | undefined;
const validators = new Map<string, ValidateFunction>();

function load(): { spec: Spec; routes: Route[]; ajv: Ajv } {
  if (loaded) return loaded;
  const file = sharedPath(OPENAPI_FILE);
  if (!file) throw new Error(`OpenAPI reference ../shared/${OPENAPI_FILE} is absent; call requireShared(this, OPENAPI_FILE) first`);
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  const routes = Object.entries(spec.paths).map(([template, operations]) => ({
    template,
    segments: template.split('/').filter(Boolean),
    operations,
  }));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // Camunda writes dates as yyyy-MM-dd'T'HH:mm:ss.SSSZ (e.g. 2024-01-02T03:04:05.678+0000), not RFC 3339.
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);
  patchKnownDefects(spec);
  const strictSchemas = Object.fromEntries(
    Object.entries(spec.components.schemas).map(([name, schema]) => [name, withoutRequired(strictify(schema, spec), CONDITIONAL_PROPERTIES[name] ?? [])]),
  );
  ajv.addSchema({ $id: SCHEMA_ID, components: { schemas: strictSchemas } });
  loaded = { spec, routes, ajv };
  return loaded;
}

/**
 * Where the published spec contradicts Camunda's own Java DTOs, the DTO wins. The historic decision input and output
 * DTOs declare `Object value` and serialize primitives as they are (a String input is "Sunday"), but the spec types
 * `value` as an object; it gets the `AnyValue` of every other variable DTO instead.
 */
export function patchKnownDefects(spec: Pick<Spec, 'components'>): void {
  for (const name of ['HistoricDecisionInputInstanceDto', 'HistoricDecisionOutputInstanceDto']) {
    const properties = spec.components.schemas[name]?.properties as Record<string, Schema> | undefined;
    if (properties?.value) properties.value = { $ref: `${REF_PREFIX}AnyValue` };
  }
  // A historic detail's value (HistoricVariableUpdateDto) and a form field's value (HistoricFormFieldDto) are `Object`s too.
  const detail = spec.components.schemas.HistoricDetailDto?.properties as Record<string, Schema> | undefined;
  for (const name of ['value', 'fieldValue']) if (detail?.[name]) detail[name] = { $ref: `${REF_PREFIX}AnyValue` };
}

/**
 * Properties the spec documents as present only when the request asks for them: Camunda's Jackson omits them
 * otherwise (`@JsonInclude(NON_NULL)`), so a strict schema must not require them.
 */
const CONDITIONAL_PROPERTIES: Record<string, string[]> = {
  // "This property is returned if the `variablesInResultEnabled` is set to `true`."
  MessageCorrelationResultWithVariableDto: ['variables'],
  // "Only exists if the query parameter `itemCount` was set to `true`."
  FilterDto: ['itemCount'],
  // "This property is only set for a `HistoricVariableUpdate`" (or a form field): Camunda's two DTO classes each carry their own.
  // One schema for both task reports: a count result (TaskCountByTaskNameDto) has no durations, a duration result no counts.
  HistoricTaskInstanceReportResultDto: ['period', 'periodUnit', 'minimum', 'maximum', 'average', 'taskName', 'count', 'processDefinitionKey', 'processDefinitionId', 'processDefinitionName', 'tenantId'],
  HistoricDetailDto: ['fieldId', 'fieldValue', 'variableName', 'variableInstanceId', 'variableType', 'value', 'valueInfo', 'initial', 'revision', 'errorMessage'],
};

function withoutRequired(schema: Schema, names: string[]): Schema {
  if (names.length > 0 && Array.isArray(schema.required)) schema.required = (schema.required as string[]).filter((name) => !names.includes(name));
  return schema;
}

function resolveRef(schema: Schema, spec: Spec): Schema {
  let current = schema;
  for (let depth = 0; typeof current.$ref === 'string'; depth++) {
    const ref = current.$ref as string;
    if (!ref.startsWith(REF_PREFIX) || depth > 20) throw new Error(`Unsupported $ref ${ref}`);
    const target = spec.components.schemas[ref.slice(REF_PREFIX.length)];
    if (!target) throw new Error(`Unknown $ref ${ref}`);
    current = target;
  }
  return current;
}

/** Flattens allOf into one object schema: strict branches would each forbid the other branches' properties. */
function mergeAllOf(schema: Schema, spec: Spec): Schema {
  const { allOf, ...rest } = schema;
  const merged: Schema = { ...rest };
  const properties: Record<string, Schema> = { ...((rest.properties as Record<string, Schema>) ?? {}) };
  for (const part of allOf as Schema[]) {
    const resolved = resolveRef(part, spec);
    const flat = resolved.allOf ? mergeAllOf(resolved, spec) : resolved;
    Object.assign(properties, (flat.properties as Record<string, Schema>) ?? {});
    for (const [key, value] of Object.entries(flat)) {
      if (key !== 'properties' && key !== 'required' && !(key in merged)) merged[key] = value;
    }
  }
  merged.properties = properties;
  merged.type ??= 'object';
  return merged;
}

/**
 * Makes a schema strict: every declared property required (Camunda serializes nulls), no undeclared properties,
 * `nullable` as a type union with null. $refs stay refs (into the strict copy), so recursive DTOs work.
 */
function strictify(input: Schema, spec: Spec): Schema {
  if (typeof input.$ref === 'string') {
    return { $ref: `${SCHEMA_ID}${input.$ref}` };
  }
  const schema: Schema = input.allOf ? mergeAllOf(input, spec) : { ...input };
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'example' || key === 'examples' || key === 'title' || key === 'nullable') continue;
    out[key] = value;
  }
  if (schema.properties) {
    const properties = schema.properties as Record<string, Schema>;
    // A property typed by a bare $ref is a nested DTO, which Camunda's Jackson writes as null when unset.
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([name, sub]) => [name, typeof sub.$ref === 'string' ? { anyOf: [strictify(sub, spec), { type: 'null' }] } : strictify(sub, spec)]),
    );
    out.required = Object.keys(properties);
    if (schema.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    out.additionalProperties = strictify(schema.additionalProperties as Schema, spec);
  }
  if (schema.items) out.items = strictify(schema.items as Schema, spec);
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) out[key] = (schema[key] as Schema[]).map((sub) => strictify(sub, spec));
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

/** Picks the operation path: literal segments beat `{param}` at the first position where candidates differ. */
function findRoute(routes: Route[], path: string): Route | undefined {
  const segments = path.split('/').filter(Boolean);
  const candidates = routes.filter(
    (route) =>
      route.segments.length === segments.length &&
      route.segments.every((seg, i) => seg.startsWith('{') || seg === segments[i]),
  );
  candidates.sort((a, b) => {
    for (let i = 0; i < a.segments.length; i++) {
      const aParam = a.segments[i].startsWith('{');
      const bParam = b.segments[i].startsWith('{');
      if (aParam !== bParam) return aParam ? 1 : -1;
    }
    return 0;
  });
  return candidates[0];
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
          : e.keyword === 'enum'
            ? ` (${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)})`
            : '';
      return `  - ${e.instancePath || '(root)'}: ${e.message}${extra}`;
    })
    .join('\n');
}

function excerpt(body: unknown): string {
  const text = JSON.stringify(body);
  return text === undefined ? 'undefined' : text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

function isEmptyBody(body: unknown): boolean {
  // supertest reports an empty body as {} (and Node never sends a body with 204 anyway).
  return (
    body === undefined ||
    body === null ||
    body === '' ||
    (typeof body === 'object' && !Array.isArray(body) && Object.keys(body as object).length === 0)
  );
}

/**
 * Throws unless `body` is exactly what Camunda's OpenAPI description allows for this method, path and status.
 * `path` is the request path as sent, e.g. /engine-rest/task/abc/claim?x=1.
 */
export function expectValidResponse(method: string, path: string, status: number, body: unknown): void {
  const { routes, ajv } = load();
  let rest = path.split('?')[0].split('#')[0];
  if (rest.startsWith('/engine-rest')) rest = rest.slice('/engine-rest'.length) || '/';
  const verb = method.toLowerCase();
  let route = findRoute(routes, rest);
  // Named engines: /engine/{name}/<resource> serves the same resources as the default engine.
  const named = /^\/engine\/[^/]+(\/.+)$/.exec(rest);
  if ((!route || !route.operations[verb]) && named) route = findRoute(routes, named[1]);
  const label = `${method.toUpperCase()} ${path} → ${status}`;
  if (!route) throw new Error(`${label}: no operation in the Camunda OpenAPI matches this path`);
  const operation = route.operations[verb];
  if (!operation) throw new Error(`${label}: ${route.template} has no ${method.toUpperCase()} operation`);
  const opName = operation.operationId ?? `${verb} ${route.template}`;
  const response = operation.responses?.[String(status)] ?? operation.responses?.default;
  if (!response) {
    const documented = Object.keys(operation.responses ?? {}).join(', ');
    throw new Error(`${label}: status ${status} is not documented for ${opName} (documented: ${documented})`);
  }
  if (status === 204 || !response.content) {
    if (!isEmptyBody(body)) throw new Error(`${label}: ${opName} must have no body, got ${excerpt(body)}`);
    return;
  }
  const json = response.content['application/json'];
  // Binary and text responses (XML, files, CSV) are not JSON; their shape is outside what a schema can say.
  if (!json?.schema) return;

  const key = `${opName}\u0000${status}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = ajv.compile(strictify(json.schema, load().spec));
    validators.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(
      `${label}: response does not match ${opName} (${route.template}):\n${formatErrors(validate.errors)}\nbody: ${excerpt(body)}`,
    );
  }
}

/**
 * For statuses Camunda's Java code returns but its OpenAPI does not document for the operation (e.g. 404 on
 * GET /process-definition/key/{key}, 413 on uploads): the body must still be exactly Camunda's error body,
 * ExceptionDto (or ParseExceptionDto when it carries `details`).
 */
export function expectValidExceptionBody(label: string, body: unknown): void {
  const { ajv, spec } = load();
  const name = body !== null && typeof body === 'object' && 'details' in body ? 'ParseExceptionDto' : 'ExceptionDto';
  const key = `exception\u0000${name}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = ajv.compile(strictify({ $ref: `${REF_PREFIX}${name}` }, spec));
    validators.set(key, validate);
  }
  if (!validate(body)) throw new Error(`${label}: not a Camunda error body (${name}):\n${formatErrors(validate.errors)}\nbody: ${excerpt(body)}`);
}
