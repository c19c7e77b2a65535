/**
 * Parses large BPMN files, and reads large DMN files, on a worker thread, so that deploying one never stalls the
 * requests the server answers meanwhile; small files, the usual case, are parsed in place, where a round trip to the
 * thread would cost more.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ParseError, type ErrorDetails } from '../core/errors.js';
import { readDmnDocument, type DmnDocument } from '../dmn/index.js';
import { parseBpmn, type BpmnParseOptions, type ParsedBpmn } from '../engine/index.js';
import type { ParseRequest } from './parse-worker.js';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** Above this size (about 20 ms of parsing) a file goes to the worker thread. */
const OFF_THREAD_PARSE_BYTES = 64 * 1024;

interface ParseReply {
  id: number;
  parsed?: unknown;
  parseError?: { message: string; details: ErrorDetails };
  failure?: string;
}

interface Pending {
  resolve(parsed: unknown): void;
  reject(error: Error): void;
}

const fromSource = path.extname(fileURLToPath(import.meta.url)) === '.ts';

/** The worker's file beside this one: `.js` when built, `.ts` when run from source (tests, `npm run dev`, benchmarks). */
const workerUrl = new URL(`./parse-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);

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
  started.on('message', (reply: ParseReply) => {
    const request = pending.get(reply.id);
    if (!request) return;
    pending.delete(reply.id);
    if (pending.size === 0) started.unref();
    if (reply.parsed !== undefined) request.resolve(reply.parsed);
    else if (reply.parseError) request.reject(new ParseError(reply.parseError.message, reply.parseError.details));
    else request.reject(new Error(`Parsing thread failed: ${reply.failure}`));
  });
  const stop = (error: Error) => {
    if (worker === started) worker = null;
    failAll(error);
  };
  started.on('error', (error) => stop(error));
  started.on('exit', (code) => stop(new Error(`Parsing thread exited with code ${code}`)));
  // Idle, it must not keep the process alive (after the listeners: attaching one refs it again).
  started.unref();
  worker = started;
  return started;
}

function parseOnThread(request: DistributiveOmit<ParseRequest, 'id'>): Promise<unknown> {
  const thread = parsingThread();
  const id = nextId++;
  return new Promise<unknown>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.ref();
    thread.postMessage({ ...request, id } satisfies ParseRequest);
  });
}

/** parseBpmn, on the worker thread when the file is large. */
export async function parseBpmnOffThread(resourceName: string, xml: string, options: BpmnParseOptions): Promise<ParsedBpmn> {
  if (Buffer.byteLength(xml) < OFF_THREAD_PARSE_BYTES) return parseBpmn(resourceName, xml, options);
  return (await parseOnThread({ kind: 'bpmn', resourceName, xml, options })) as ParsedBpmn;
}

/** readDmnDocument, on the worker thread when the file is large (a DmnReader for parseDmn). */
export async function readDmnOffThread(xml: string, resourceName: string): Promise<DmnDocument> {
  if (Buffer.byteLength(xml) < OFF_THREAD_PARSE_BYTES) return readDmnDocument(xml, resourceName);
  return JSON.parse((await parseOnThread({ kind: 'dmn', resourceName, xml })) as string) as DmnDocument;
}
