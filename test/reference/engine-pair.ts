/**
 * The two engines of the differential suite: this one (in-process over HTTP, on PostgreSQL) and Operaton. One pair
 * serves the whole run, so both see the same calls in the same order and their data stays alike.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { JobExecutor } from '../../src/jobs/job-executor.js';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { fixture } from '../support/rest-client.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { openTestPostgres, requirePostgres, TEST_ACQUIRE_TIMEOUT_MS } from '../support/test-databases.js';
import { EngineClient, type Answer, type DeploymentFile, type Method } from './engine-client.js';
import { checkComparedCoverage, noteComparedCall } from './compared-operations.js';
import { asThisEngineWouldAnswer, type Call } from './intended-differences.js';
import { Normalizer } from './normalizer.js';
import { operatonUrl } from './operaton-url.js';

/** Ids the scenario has named on one engine, e.g. `ids.instance`. */
export type Ids = Record<string, string>;
/** A path or body that is the same on both engines, or built from each engine's own ids. */
export type PerEngine<T> = T | ((ids: Ids) => T);

export interface Side {
  readonly client: EngineClient;
  readonly normalizer: Normalizer;
  /** The ids remembered so far, by name. */
  readonly known: Record<string, string>;
  /** The same, throwing for a name not remembered. */
  readonly ids: Ids;
}

export interface Answers {
  ours: Answer;
  operaton: Answer;
}

export interface CompareOptions {
  /** Compare every list of the answer as a multiset: for queries and trees whose order neither API defines. */
  unordered?: boolean;
  /**
   * Ids to name from each engine's answer, e.g. `{ instance: (answer) => answer.body.id }`: later paths read them
   * as `ids.instance`, and normalized answers show `<instance>`. Named even when the answers differ, so the
   * steps after a failed one still compare the same entities.
   */
  remember?: Record<string, (answer: Answer) => string>;
  /** The Accept header to send, for resources that negotiate their media type. */
  accept?: string;
  /**
   * Turns each engine's normalized body into what is compared, e.g. the change since an earlier answer of the same
   * engine: for engine-wide reports that every earlier suite's data feeds.
   */
  adjust?: (body: any, side: keyof Answers) => unknown;
}

/** An engine's named ids; naming one that no earlier step remembered is an error, not `undefined` in a path. */
function idsOf(known: Record<string, string>): Ids {
  return new Proxy(known, {
    get(target, name) {
      if (typeof name === 'string' && !(name in target)) throw new Error(`no id was remembered as <${name}>: the step that names it failed or did not run`);
      return Reflect.get(target, name);
    },
  });
}

function resolve<T>(value: PerEngine<T>, ids: Ids): T {
  return typeof value === 'function' ? (value as (ids: Ids) => T)(ids) : value;
}

/** JSON with keys sorted, so two engines' objects compare alike whatever order they write their keys in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Every list in `value`, at any depth, in a canonical order: lists and trees (activity instances) whose order neither API defines. */
function sortedLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedLists).sort((a, b) => canonical(a).localeCompare(canonical(b)));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sortedLists(item)]));
  return value;
}

function comparable(side: Side, answer: Answer, options: CompareOptions, adjust: (body: unknown) => unknown): unknown {
  let body = adjust(side.normalizer.normalize(answer.body));
  if (options.unordered) body = sortedLists(body);
  return { status: answer.status, contentType: answer.contentType, body };
}

/** Switches whether our engine records the operations of an open API (Camunda's restrictUserOperationLogToAuthenticatedUsers off). */
export type OpenApiLogSwitch = (record: boolean) => void;

export class EnginePair {
  private readonly deployed = new Set<string>();

  constructor(readonly ours: Side, readonly operaton: Side, private readonly ourOpenApiLog: OpenApiLogSwitch = () => {}) {}

  /**
   * Whether both engines record the operations of an open API (user null) in the user operation log. Neither
   * authenticates REST calls here, so only then is there a log to compare; a suite that turns it on turns it off
   * again, as Camunda's default (and every other suite) has it off. Operaton's side is a switch of the reference
   * application (test/reference/operaton), read by each command it starts.
   */
  async recordOpenApiOperations(record: boolean): Promise<void> {
    const operatonRoot = this.operaton.client.restUrl.replace(/\/engine-rest$/, '');
    const answer = await fetch(`${operatonRoot}/reference/user-operation-log?restrict=${!record}`, { method: 'PUT' });
    if (answer.status !== 204) throw new Error(`Operaton's user operation log switch answered ${answer.status}: ${await answer.text()}`);
    this.ourOpenApiLog(record);
  }

  /** Sends the same call to both engines and expects the same status, Content-Type and normalized body. */
  async expectSame(method: Method, path: PerEngine<string>, body?: PerEngine<unknown>, options: CompareOptions = {}): Promise<Answers> {
    const [ours, operaton] = await Promise.all([this.ours, this.operaton].map((side) => side.client.call(method, resolve(path, side.ids), body === undefined ? undefined : resolve(body, side.ids), options.accept)));
    const unreadable = this.remember({ ours, operaton }, options.remember ?? {});
    this.expectAlike({ method, path: resolve(path, this.operaton.ids) }, { ours, operaton }, options);
    if (unreadable) throw unreadable;
    return { ours, operaton };
  }

  /**
   * Sends the same call to both engines for the caller to compare what can be compared (e.g. the shape of answers
   * whose values name each engine's own product), and counts it as compared.
   */
  async callBoth(method: Method, path: PerEngine<string>, body?: PerEngine<unknown>): Promise<Answers> {
    noteComparedCall(method, resolve(path, this.operaton.ids));
    const [ours, operaton] = await Promise.all([this.ours, this.operaton].map((side) => side.client.call(method, resolve(path, side.ids), body === undefined ? undefined : resolve(body, side.ids))));
    return { ours, operaton };
  }

  /** Sends the same call to both engines without comparing: a baseline for a later `adjust`. */
  async read(method: Method, path: PerEngine<string>): Promise<Answers> {
    const [ours, operaton] = await Promise.all([this.ours, this.operaton].map((side) => side.client.call(method, resolve(path, side.ids))));
    return { ours, operaton };
  }

  /**
   * Polls `path` on both engines until `done` holds for each answer's body (their job executors work on their own
   * schedules), failing after `timeoutMs`.
   */
  async eventually(path: PerEngine<string>, done: (body: any) => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await Promise.all([this.ours, this.operaton].map(async (side) => {
      for (;;) {
        const answer = await side.client.call('GET', resolve(path, side.ids));
        if (answer.status === 200 && done(answer.body)) return;
        if (Date.now() > deadline) throw new Error(`${side.client.name}: ${resolve(path, side.ids)} never became ready within ${timeoutMs} ms; last answer ${JSON.stringify(answer.body)}`);
        await new Promise((wake) => setTimeout(wake, 200));
      }
    }));
  }

  /** Deploys the same files to both engines, as Camunda Modeler does, and expects the same answer. */
  async expectSameDeployment(files: DeploymentFile[], fields: Record<string, string>, options: CompareOptions = {}): Promise<Answers> {
    const [ours, operaton] = await Promise.all([this.ours, this.operaton].map((side) => side.client.deploy(files, fields)));
    const unreadable = this.remember({ ours, operaton }, options.remember ?? {});
    this.expectAlike({ method: 'POST', path: '/deployment/create' }, { ours, operaton }, options);
    if (unreadable) throw unreadable;
    return { ours, operaton };
  }

  /** Names the picked ids on each side; returns (rather than throws) a failure, so a differing answer is reported first. */
  private remember(answers: Answers, picks: Record<string, (answer: Answer) => string>): Error | undefined {
    for (const [name, pick] of Object.entries(picks)) {
      for (const [side, answer] of [[this.ours, answers.ours], [this.operaton, answers.operaton]] as const) {
        try {
          const id = pick(answer);
          side.normalizer.remember(id, name);
          side.known[name] = id;
        } catch (error) {
          return new Error(`cannot read <${name}> from ${side.client.name}'s answer ${JSON.stringify(answer.body)}: ${(error as Error).message}`);
        }
      }
    }
    return undefined;
  }

  /** Deploys test/fixtures files (bpmn/… or dmn/…) to both engines, each once per run. */
  async ensureDeployed(...fixtures: string[]): Promise<void> {
    const missing = fixtures.filter((name) => !this.deployed.has(name));
    if (missing.length === 0) return;
    const files = missing.map((name) => ({ name: name.split('/').pop()!, content: fixture(name) }));
    const answers = await Promise.all([this.ours, this.operaton].map((side) => side.client.deploy(files, { 'deployment-name': 'differential-fixtures' })));
    for (const answer of answers) {
      if (answer.status !== 200) throw new Error(`deploying ${missing.join(', ')} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    for (const name of missing) this.deployed.add(name);
  }

  private expectAlike(request: Call, answers: Answers, options: CompareOptions): void {
    noteComparedCall(request.method, request.path);
    const call = `${request.method} ${this.operaton.normalizer.normalize(request.path) as string}`;
    const adjust = options.adjust ?? ((body: unknown) => body);
    const ours = comparable(this.ours, answers.ours, options, (body) => adjust(body, 'ours'));
    const operaton = comparable(this.operaton, answers.operaton, options, (body) => adjust(asThisEngineWouldAnswer(body, request), 'operaton'));
    expect(ours, `${call}: this engine (actual) vs Operaton (expected)`).to.deep.equal(operaton);
  }
}

interface OurServer {
  engine: TestEngine;
  jobExecutor: JobExecutor;
  server: Server;
  database: Database;
  scratch: { drop(): Promise<void> };
}

let pair: Promise<{ pair: EnginePair; ours: OurServer }> | undefined;

async function startOurs(): Promise<OurServer> {
  const scratch = await openTestPostgres();
  const database = await openDatabase({ url: scratch.url, acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
  const engine = createTestEngine(database);
  // Both engines fire their own timers and jobs, as Operaton's job executor does.
  const jobExecutor = new JobExecutor(engine.ctx, { lockOwner: 'differential', lockDurationMs: 300_000, pollIntervalMs: 200 });
  await jobExecutor.start();
  const server = engine.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { engine, jobExecutor, server, database, scratch };
}

function side(name: string, restUrl: string): Side {
  const known: Record<string, string> = {};
  return { client: new EngineClient(name, restUrl), normalizer: new Normalizer(restUrl), known, ids: idsOf(known) };
}

/** The run's engine pair, started on first use; skips the caller's suite (fails under CI=true) without PostgreSQL or Java. */
export async function openEnginePair(ctx: Mocha.Context, suite: string): Promise<EnginePair> {
  requirePostgres(ctx, suite);
  const operaton = await operatonUrl(ctx, suite);
  pair ??= startOurs().then((ours) => ({
    ours,
    pair: new EnginePair(side('this engine', `http://127.0.0.1:${(ours.server.address() as AddressInfo).port}/engine-rest`), side('Operaton', operaton), (record) => {
      ours.engine.ctx.options.restrictUserOperationLogToAuthenticatedUsers = !record;
    }),
  }));
  return (await pair).pair;
}

/** Stops our server and drops its database; Operaton belongs to scripts/run-tests.mjs. Safe to call more than once. */
export async function closeEnginePair(): Promise<void> {
  if (!pair) return;
  const { ours } = await pair;
  pair = undefined;
  await ours.jobExecutor.stop();
  await ours.engine.fetchAndLockWaiter.close();
  ours.server.closeAllConnections();
  await new Promise((resolve) => ours.server.close(resolve));
  await ours.database.close();
  await ours.scratch.drop();
}

let closeRegistered = false;

/** A top-level suite of the differential suite: `use()` gives the engine pair inside its hooks and tests. */
export function describeAgainstOperaton(title: string, ...args: [body: (use: () => EnginePair) => void] | [options: { timeoutMs?: number }, body: (use: () => EnginePair) => void]): void {
  const [options, body] = args.length === 1 ? [{}, args[0]] : args;
  if (!closeRegistered) {
    // Registered outside any describe, so it runs once after every differential suite of the run.
    after(async function () {
      await closeEnginePair();
      checkComparedCoverage(this.test!.parent!);
    });
    closeRegistered = true;
  }
  describe(`reference: ${title}`, function () {
    if (options.timeoutMs !== undefined) this.timeout(options.timeoutMs);
    let current: EnginePair | undefined;
    before(async function () {
      current = await openEnginePair(this, `reference: ${title}`);
    });
    body(() => {
      if (!current) throw new Error(`reference: ${title}: the engine pair is not open (did the before hook fail?)`);
      return current;
    });
  });
}
