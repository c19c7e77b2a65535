/** Runs schemathesis (installed by scripts/install-schemathesis.sh) over the Camunda operations our server implements. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchKnownDefects } from './openapi.js';
import { pathShape, restRoutes } from './rest-routes.js';

/** Pinned here and in scripts/install-schemathesis.sh, which installs into the folder named after it. */
export const SCHEMATHESIS_VERSION = '4.32.5';

const supportDir = path.dirname(fileURLToPath(import.meta.url));

/** Camunda writes dates as yyyy-MM-dd'T'HH:mm:ss.SSSZ (e.g. 2024-01-02T03:04:05.678+0000), not RFC 3339 as the spec says. */
const CAMUNDA_DATE = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}[+-]\\d{4}$';

/** The `st` command of the pinned version, or undefined when it is not installed. */
export function schemathesisCommand(): string | undefined {
  const cache = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  const command = path.join(cache, 'camunda7-compatible-engine', `schemathesis-${SCHEMATHESIS_VERSION}`, 'bin', 'st');
  return existsSync(command) ? command : undefined;
}

type Json = unknown;

/**
 * Adapts the spec to what Camunda sends, as test/support/openapi.ts does: `format: date-time` becomes Camunda's date
 * pattern (responses are checked, requests generated with it), and a property typed by a bare $ref (a nested DTO,
 * which Camunda's Jackson writes as null when unset) may be null.
 */
function asCamundaSends(node: Json): Json {
  if (Array.isArray(node)) return node.map(asCamundaSends);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => [key, asCamundaSends(value)] as const);
  const copy = Object.fromEntries(entries) as Record<string, Json>;
  if (copy.format === 'date-time') {
    delete copy.format;
    copy.pattern = CAMUNDA_DATE;
  }
  if (copy.properties && typeof copy.properties === 'object') {
    const properties = Object.entries(copy.properties as Record<string, Record<string, Json>>);
    copy.properties = Object.fromEntries(properties.map(([name, sub]) => [name, typeof sub.$ref === 'string' ? { anyOf: [sub], nullable: true } : sub]));
  }
  return copy;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Camunda's OpenAPI reduced to the operations our routers implement, with Camunda's date format. */
export function implementedSchema(openapiFile: string): { schema: Json; operations: number; missing: string[] } {
  const spec = JSON.parse(readFileSync(openapiFile, 'utf8')) as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Record<string, unknown>> } };
  patchKnownDefects(spec);
  const ours = new Set(restRoutes().map((route) => `${route.method} ${pathShape(route.path)}`));
  const found = new Set<string>();
  const paths: Record<string, Record<string, Json>> = {};
  for (const [template, item] of Object.entries(spec.paths)) {
    const kept = Object.entries(item).filter(([method]) => !HTTP_METHODS.has(method) || ours.has(`${method} ${pathShape(template)}`));
    if (!kept.some(([method]) => HTTP_METHODS.has(method))) continue;
    for (const [method] of kept) if (HTTP_METHODS.has(method)) found.add(`${method} ${pathShape(template)}`);
    paths[template] = Object.fromEntries(kept);
  }
  const missing = [...ours].filter((operation) => !found.has(operation));
  return { schema: asCamundaSends({ ...spec, paths, servers: [{ url: '/engine-rest' }] }), operations: found.size, missing };
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Deploys test/fixtures/bpmn/single-external-task.bpmn and starts it twice: one external task stays open, one fails into an incident. */
async function seedExternalWork(restUrl: string): Promise<{ externalTaskId: string; incidentId: string }> {
  const form = new FormData();
  form.append('deployment-name', 'schemathesis seed');
  form.append('data', new Blob([readFileSync(path.join(supportDir, '..', 'fixtures', 'bpmn', 'single-external-task.bpmn'))]), 'single-external-task.bpmn');
  await getJson(`${restUrl}/deployment/create`, { method: 'POST', body: form });
  const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  for (let i = 0; i < 2; i++) await getJson(`${restUrl}/process-definition/key/single-external-task/start`, json({}));
  const [locked] = await getJson<Array<{ id: string }>>(`${restUrl}/external-task/fetchAndLock`, json({ workerId: 'seed', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 60_000 }] }));
  const failed = await fetch(`${restUrl}/external-task/${locked!.id}/failure`, json({ workerId: 'seed', errorMessage: 'seeded failure', retries: 0, retryTimeout: 0 }));
  if (failed.status !== 204) throw new Error(`the seeded failure answered ${failed.status}: ${await failed.text()}`);
  const [incident] = await getJson<Array<{ id: string }>>(`${restUrl}/incident`);
  const [open] = await getJson<Array<{ id: string }>>(`${restUrl}/external-task?notLocked=true`);
  return { externalTaskId: open!.id, incidentId: incident!.id };
}

/** Deploys test/fixtures/bpmn/timers-intermediate-catch.bpmn and starts it: a timer job waiting for an hour. */
async function seedTimer(restUrl: string): Promise<{ jobId: string; jobDefinitionId: string }> {
  const form = new FormData();
  form.append('deployment-name', 'schemathesis timer');
  form.append('data', new Blob([readFileSync(path.join(supportDir, '..', 'fixtures', 'bpmn', 'timers-intermediate-catch.bpmn'))]), 'timers-intermediate-catch.bpmn');
  await getJson(`${restUrl}/deployment/create`, { method: 'POST', body: form });
  const started = await getJson<{ id: string }>(`${restUrl}/process-definition/key/timer-catch/start`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const [job] = await getJson<Array<{ id: string; jobDefinitionId: string }>>(`${restUrl}/job?processInstanceId=${started.id}`);
  return { jobId: job!.id, jobDefinitionId: job!.jobDefinitionId };
}

/**
 * Starts an invoice approval (deployed from processes/ at start-up) and external work, and writes a schemathesis
 * config whose path parameters name them, their tasks, incident, timer job, decision and deployment, so generated requests also
 * reach existing data, not only 404s.
 */
export async function seedAndConfigure(restUrl: string, dir: string): Promise<string> {
  const start = { businessKey: 'INV-1', variables: { amount: { value: 1500, type: 'Integer' }, approver: { value: 'anna', type: 'String' }, invoiceNumber: { value: 'R-1', type: 'String' } } };
  const post = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(start) };
  const instance = await getJson<{ id: string; definitionId: string }>(`${restUrl}/process-definition/key/invoice-approval/start`, post);
  const [task] = await getJson<Array<{ id: string }>>(`${restUrl}/task?processInstanceId=${instance.id}`);
  const definition = await getJson<{ deploymentId: string }>(`${restUrl}/process-definition/${encodeURIComponent(instance.definitionId)}`);
  const [resource] = await getJson<Array<{ id: string }>>(`${restUrl}/deployment/${definition.deploymentId}/resources`);
  const decision = await getJson<{ id: string }>(`${restUrl}/decision-definition/key/dish`);
  const { externalTaskId, incidentId } = await seedExternalWork(restUrl);
  const { jobId, jobDefinitionId } = await seedTimer(restUrl);
  const operations: Array<{ paths: string; methods?: string; parameters: Record<string, string> }> = [
    { paths: '^/task/\\{id\\}', parameters: { 'path.id': task!.id, 'path.varName': 'amount' } },
    { paths: '^/(process-instance|execution|history/process-instance)/\\{id\\}', parameters: { 'path.id': instance.id, 'path.varName': 'amount' } },
    { paths: '^/process-definition/\\{id\\}', parameters: { 'path.id': instance.definitionId } },
    { paths: '^/process-definition/key/', parameters: { 'path.key': 'invoice-approval' } },
    { paths: '^/decision-definition/\\{id\\}', parameters: { 'path.id': decision.id } },
    { paths: '^/decision-definition/key/', parameters: { 'path.key': 'dish' } },
    { paths: '^/external-task/\\{id\\}', parameters: { 'path.id': externalTaskId } },
    { paths: '^/incident/\\{id\\}', parameters: { 'path.id': incidentId } },
    { paths: '^/job/\\{id\\}', parameters: { 'path.id': jobId } },
    { paths: '^/job-definition/\\{id\\}', parameters: { 'path.id': jobDefinitionId } },
    // Only reads: a DELETE of the deployment would take every seeded instance and task with it.
    { paths: '^/deployment/\\{id\\}', methods: 'GET', parameters: { 'path.id': definition.deploymentId, 'path.resourceId': resource!.id } },
  ];
  const toml = operations.map(({ paths, methods, parameters }) => {
    const values = Object.entries(parameters).map(([name, value]) => `"${name}" = "${value}"`).join(', ');
    const method = methods ? `include-method = "${methods}"\n` : '';
    return `[[operations]]\ninclude-path-regex = '${paths}'\n${method}parameters = { ${values} }\n`;
  });
  const file = path.join(dir, 'schemathesis.toml');
  writeFileSync(file, toml.join(''));
  return file;
}

/** A response the project's checks judge, as schemathesis hands it to them. */
export interface SampleResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Runs the project's checks (test/support/schemathesis-checks.py) on `responses`: which check failed each, if any. */
export function judgeResponses(command: string, responses: SampleResponse[]): Array<string | null> {
  const script = `
import importlib.util, json, sys, types
spec = importlib.util.spec_from_file_location("checks", sys.argv[1])
checks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checks)
verdicts = []
for sample in json.loads(sys.stdin.read()):
    response = types.SimpleNamespace(status_code=sample["status"], text=sample["body"], headers={"content-type": [sample["contentType"]]})
    verdict = None
    for check in (checks.camunda_server_error, checks.no_internals_leaked):
        try:
            check(None, response, None)
        except AssertionError:
            verdict = check.__name__
            break
    verdicts.append(verdict)
print(json.dumps(verdicts))
`;
  const python = path.join(path.dirname(command), 'python');
  const run = spawnSync(python, ['-c', script, path.join(supportDir, 'schemathesis-checks.py')], { input: JSON.stringify(responses), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the checks did not run: ${run.stderr}`);
  return JSON.parse(run.stdout) as Array<string | null>;
}

export interface SchemathesisRun {
  code: number | null;
  output: string;
}

/**
 * Runs `st run` with a fixed seed and a few examples per operation. Its checks: responses match the schema, and the
 * project's own (test/support/schemathesis-checks.py) instead of `not_a_server_error`: a 5xx only as Camunda answers
 * it, no SQL or stack trace in a response.
 */
export function runSchemathesis(command: string, files: { schema: string; config: string }, restUrl: string, workDir: string): Promise<SchemathesisRun> {
  const args = [
    '--config-file', files.config,
    'run', files.schema,
    '--url', restUrl,
    '--checks', 'camunda_server_error,no_internals_leaked,response_schema_conformance',
    '--max-examples', '5',
    '--seed', '1',
    '--workers', '1',
    '--request-timeout', '30',
    '--no-color',
  ];
  const env = { ...process.env, SCHEMATHESIS_HOOKS: path.join(supportDir, 'schemathesis-checks.py') };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** Writes `schema` where schemathesis reads it (a temp folder: the spec is never copied into the project). */
export function writeSchema(dir: string, schema: Json): string {
  const file = path.join(dir, 'implemented-openapi.json');
  writeFileSync(file, JSON.stringify(schema));
  return file;
}
