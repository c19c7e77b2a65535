/**
 * Parses large BPMN files on a worker thread, so that deploying one never stalls the requests the server answers
 * meanwhile; small files, the usual case, are parsed in place, where a round trip to the thread would cost more.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ParseError, type ErrorDetails } from '../core/errors.js';
import { parseBpmn, type BpmnParseOptions, type ParsedBpmn } from '../engine/index.js';
import type { BpmnParseRequest } from './bpmn-parse-worker.js';

/** Above this size (about 20 ms of parsing) a file goes to the worker thread. */
export const OFF_THREAD_PARSE_BYTES = 64 * 1024;

interface BpmnParseReply {
  id: number;
  parsed?: ParsedBpmn;
  parseError?: { message: string; details: ErrorDetails };
  failure?: string;
}

interface Pending {
  resolve(parsed: ParsedBpmn): void;
  reject(error: Error): void;
}

const fromSource = path.extname(fileURLToPath(import.meta.url)) === '.ts';

/** The worker's file beside this one: `.js` when built, `.ts` when run from source (tests, `npm run dev`, benchmarks). */
const workerUrl = new URL(`./bpmn-parse-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);

/**
 * From source the worker must register tsx itself: on Node 20 a worker does not inherit the loader hooks that
 * `--import tsx` registered on the main thread.
 */
function startWorker(): Worker {
  if (!fromSource) return new Worker(workerUrl);
  return new Worker(new URL('./source-worker-loader.mjs', import.meta.url), { workerData: { entry: workerUrl.href } });
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(error: Error): void {
  for (const request of pending.values()) request.reject(error);
  pending.clear();
}

/** The one parsing thread, started on first use; it keeps the process alive only while it parses, and a crashed one is replaced. */
function parsingThread(): Worker {
  if (worker) return worker;
  const started = startWorker();
  started.on('message', (reply: BpmnParseReply) => {
    const request = pending.get(reply.id);
    if (!request) return;
    pending.delete(reply.id);
    if (pending.size === 0) started.unref();
    if (reply.parsed) request.resolve(reply.parsed);
    else if (reply.parseError) request.reject(new ParseError(reply.parseError.message, reply.parseError.details));
    else request.reject(new Error(`BPMN parsing thread failed: ${reply.failure}`));
  });
  const stop = (error: Error) => {
    if (worker === started) worker = null;
    failAll(error);
  };
  started.on('error', (error) => stop(error));
  started.on('exit', (code) => stop(new Error(`BPMN parsing thread exited with code ${code}`)));
  // Idle, it must not keep the process alive (after the listeners: attaching one refs it again).
  started.unref();
  worker = started;
  return started;
}

/** parseBpmn, on the worker thread when the file is large. */
export async function parseBpmnOffThread(resourceName: string, xml: string, options: BpmnParseOptions): Promise<ParsedBpmn> {
  if (Buffer.byteLength(xml) < OFF_THREAD_PARSE_BYTES) return parseBpmn(resourceName, xml, options);
  const thread = parsingThread();
  const id = nextId++;
  return new Promise<ParsedBpmn>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.ref();
    thread.postMessage({ id, resourceName, xml, options } satisfies BpmnParseRequest);
  });
}
