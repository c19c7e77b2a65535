/** The engine's external task REST calls the REST transport makes: fetchAndLock and the four answers, over Node's fetch. */
import { parseExactJson, toExactJson } from '../core/exact-json.js';
import { formatTraceParent, parseTraceParent } from '../core/trace-parent.js';
import { TRACEPARENT_HEADER, type JobAnswer, type JobMessage } from './wire-contract.js';

/** A task fetchAndLock handed out, with the trace context the engine gave it (null when it had none or did not say). */
export interface FetchedTask {
  message: JobMessage;
  traceparent: string | null;
}

/** Thrown when the engine answers a call with an error status; `type` is Camunda's exception type when it sent one. */
export class EngineRequestError extends Error {
  constructor(readonly status: number, readonly type: string | null, message: string) {
    super(message);
    this.name = 'EngineRequestError';
  }

  /** Worth another try: the engine is overloaded or failed, rather than refusing the request. */
  get transient(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}

export interface FetchAndLockTopic {
  topicName: string;
  lockDuration: number;
  variables?: string[];
}

export interface FetchAndLockRequest {
  workerId: string;
  maxTasks: number;
  usePriority: boolean;
  asyncResponseTimeout: number;
  topics: FetchAndLockTopic[];
}

const ANSWER_PATHS: Record<JobAnswer['action'], string> = {
  complete: 'complete',
  failure: 'failure',
  bpmnError: 'bpmnError',
  extendLock: 'extendLock',
};

export class EngineRestClient {
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;

  constructor(baseUrl: string, auth?: { username: string; password: string }) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (auth) this.headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  }

  /**
   * Long-polls for tasks; `signal` aborts a parked request. Asks for each task's trace context (`Prefer: traceparent`,
   * an addition of this engine to Camunda's API); an engine that ignores the preference leaves them untraced.
   */
  async fetchAndLock(request: FetchAndLockRequest, signal?: AbortSignal): Promise<FetchedTask[]> {
    const text = await this.post('/external-task/fetchAndLock', request, { signal, headers: { Prefer: TRACEPARENT_HEADER } });
    const tasks = parseExactJson(text);
    if (!Array.isArray(tasks)) throw new EngineRequestError(200, null, 'fetchAndLock did not answer with a list of tasks');
    return (tasks as Array<JobMessage & { traceparent?: unknown }>).map(({ traceparent, ...message }) => {
      const trace = parseTraceParent(typeof traceparent === 'string' ? traceparent : null);
      return { message, traceparent: trace === null ? null : formatTraceParent(trace) };
    });
  }

  /**
   * Sends a task's answer: `POST /external-task/{id}/{complete|failure|bpmnError|extendLock}` with the answer's fields,
   * and the `traceparent` it continues, so the engine's command is part of the job's trace.
   */
  async answer(taskId: string, workerId: string, answer: JobAnswer, traceparent: string | null = null): Promise<void> {
    const { action, ...fields } = answer;
    await this.post(`/external-task/${encodeURIComponent(taskId)}/${ANSWER_PATHS[action]}`, { workerId, ...fields }, { headers: traceparent === null ? {} : { [TRACEPARENT_HEADER]: traceparent } });
  }

  private async post(path: string, body: unknown, options: { signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<string> {
    // toExactJson: a Long beyond 2^53 is a bigint, whose digits JSON.stringify would refuse.
    const response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { ...this.headers, ...options.headers }, body: toExactJson(body), signal: options.signal });
    const text = await response.text();
    if (response.ok) return text;
    let type: string | null = null;
    let message = `${response.status} ${response.statusText}`.trim();
    try {
      const error = JSON.parse(text) as { type?: unknown; message?: unknown };
      if (typeof error.type === 'string') type = error.type;
      if (typeof error.message === 'string') message = error.message;
    } catch {
      // Not Camunda's error body (a proxy's page, say): the status line says enough.
    }
    throw new EngineRequestError(response.status, type, `POST ${path} failed with ${response.status}: ${message}`);
  }
}
