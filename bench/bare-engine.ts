/** Ceiling 2: a one-wait-state lifecycle (user task or external task) on bare bpmn-engine in this process (no HTTP, no database, no server logic). */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Engine } from 'bpmn-engine';
import * as Elements from 'bpmn-elements';
import { BpmnModdle } from 'bpmn-moddle';
import serializer, { deserialize, TypeResolver } from 'moddle-context-serializer';

const require = createRequire(import.meta.url);
// camunda-bpmn-moddle has no entry point; its descriptor is a JSON resource.
const camundaModdle = require('camunda-bpmn-moddle/resources/camunda.json') as object;

export interface BareEngineResult {
  instances: number;
  wallMs: number;
  instancesPerSecond: number;
  cpuMsPerInstance: number;
}

interface WaitApi {
  id: string;
  type: string;
  executionId: string;
}

/** Timers are the database's job in the server too; bpmn-elements must not schedule anything in-process. */
function noopTimers() {
  return new Elements.Timers({ setTimeout: (() => 0) as never, clearTimeout() {} });
}

/** Which activity the instance waits in, and the element types it runs with. */
export interface BareWaitState {
  /** The wait's bpmn type, e.g. bpmn:UserTask. */
  waitType: string;
  /** Replacements for stock bpmn-elements types. */
  elementOverrides?: Record<string, unknown>;
}

const USER_TASK_WAIT: BareWaitState = { waitType: 'bpmn:UserTask' };

/**
 * An external service task waits for its worker like a signal task; the server resolves `camunda:type="external"`
 * service tasks to the same stock SignalTask behaviour, so the bare figure runs the same bpmn-elements code.
 */
export const EXTERNAL_TASK_WAIT: BareWaitState = { waitType: 'bpmn:ServiceTask', elementOverrides: { ServiceTask: Elements.SignalTask } };

/** Parses once and caches the deserialized context, as the server's definition cache does. */
async function loadSourceContext(file: string, wait: BareWaitState) {
  const typeResolver = TypeResolver({ ...Elements, ...wait.elementOverrides } as never);
  const moddleContext = await new BpmnModdle({ camunda: camundaModdle }).fromXML(readFileSync(file, 'utf8'));
  if (moddleContext.warnings.length > 0) throw new Error(`fixture has parse warnings: ${moddleContext.warnings.map((w) => w.message).join('; ')}`);
  const stored = serializer(moddleContext as never, typeResolver).serialize();
  return deserialize(JSON.parse(stored), typeResolver);
}

/**
 * One instance: new Engine → execute → getState (slimmed, through JSON as if stored) → new Engine → recover →
 * resume → signal the waiting task → completed. Rejects unless the instance ends.
 */
async function runInstance(sourceContext: unknown, index: number, wait: BareWaitState): Promise<void> {
  const first = new Engine({ name: `bare-${index}`, sourceContext, timers: noopTimers(), settings: { strict: false } } as never);
  await first.execute();
  const state = (await first.getState()) as unknown as { definitions: Array<{ source?: unknown }> };
  for (const definition of state.definitions) delete definition.source;
  const stored = JSON.stringify(state);

  const listener = new EventEmitter();
  const waits = new Map<string, WaitApi>();
  let ended = false;
  listener.on('activity.wait', (api: WaitApi) => {
    if (api.type === wait.waitType) waits.set(api.executionId, api);
  });
  listener.on('activity.end', (api: WaitApi) => waits.delete(api.executionId));
  listener.on('process.end', () => {
    ended = true;
  });
  const second = new Engine({ name: `bare-${index}`, sourceContext, timers: noopTimers(), settings: { strict: false } } as never);
  second.recover(JSON.parse(stored) as never);
  await second.resume({ listener } as never);
  const [task] = waits.values();
  if (!task) throw new Error(`instance ${index}: no ${wait.waitType} waiting after resume`);
  second.execution!.signal({ id: task.id, executionId: task.executionId } as never);
  if (!ended) throw new Error(`instance ${index}: did not complete after the signal`);
}

export async function runBareEngine(file: string, instances: number, warmup: number, wait: BareWaitState = USER_TASK_WAIT): Promise<BareEngineResult> {
  const sourceContext = await loadSourceContext(file, wait);
  for (let i = 0; i < warmup; i++) await runInstance(sourceContext, -1 - i, wait);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // Sequential: the engine is synchronous CPU work, so concurrency in one thread would only interleave it.
  for (let i = 0; i < instances; i++) await runInstance(sourceContext, i, wait);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { instances, wallMs, instancesPerSecond: (instances * 1000) / wallMs, cpuMsPerInstance: (cpu.user + cpu.system) / 1000 / instances };
}
