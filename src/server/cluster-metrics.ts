/** GET /metrics of a server with several worker processes: the primary relays one worker's request for the other workers' node metrics over IPC. */
import cluster, { type Worker } from 'node:cluster';
import type { EngineMetrics, NodeMetrics } from '../telemetry/engine-metrics.js';

/** Worker → primary: this worker answers COLLECT from now on. */
const READY = 'engine:metrics-ready';
/** Worker → primary: send me the other workers' node metrics. */
const REQUEST = 'engine:metrics-request';
/** Primary → worker: report your node metrics. */
const COLLECT = 'engine:metrics-collect';
/** Worker → primary: my node metrics (or why there are none). */
const REPORT = 'engine:metrics-report';
/** Primary → worker: the other workers' node metrics, or why not all of them came. */
const ANSWER = 'engine:metrics-answer';

type MetricsMessage =
  | { type: typeof READY }
  | { type: typeof REQUEST; id: number }
  | { type: typeof COLLECT; id: number }
  | { type: typeof REPORT; id: number; metrics?: NodeMetrics; error?: string }
  | { type: typeof ANSWER; id: number; metrics?: NodeMetrics[]; error?: string };

/**
 * How long a scrape waits for the other workers. A missing worker fails the scrape rather than answering partial
 * counters, which Prometheus would read as a counter reset.
 */
export const PEER_METRICS_TIMEOUT_MS = 5_000;

function isMetricsMessage(message: unknown): message is MetricsMessage {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string' && (message as { type: string }).type.startsWith('engine:metrics-');
}

/** In the primary: collects the node metrics of every ready worker but the asking one, and hands them to it. */
export function relayClusterMetrics(): void {
  const ready = new Set<Worker>();
  const collections = new Map<number, { requester: Worker; requestId: number; waiting: Set<Worker>; reports: NodeMetrics[]; timer: NodeJS.Timeout }>();
  let nextId = 0;

  const answer = (id: number, error?: string) => {
    const collection = collections.get(id);
    if (!collection) return;
    collections.delete(id);
    clearTimeout(collection.timer);
    if (!collection.requester.isConnected()) return;
    collection.requester.send(error ? { type: ANSWER, id: collection.requestId, error } : { type: ANSWER, id: collection.requestId, metrics: collection.reports });
  };

  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.type === READY) ready.add(worker);
    else if (message.type === REQUEST) {
      const id = nextId++;
      const waiting = new Set([...ready].filter((peer) => peer !== worker && peer.isConnected()));
      const timer = setTimeout(() => answer(id, `worker(s) ${[...collections.get(id)!.waiting].map((peer) => peer.id).join(', ')} did not report their metrics within ${PEER_METRICS_TIMEOUT_MS} ms`), PEER_METRICS_TIMEOUT_MS);
      collections.set(id, { requester: worker, requestId: message.id, waiting, reports: [], timer });
      for (const peer of waiting) peer.send({ type: COLLECT, id });
      if (waiting.size === 0) answer(id);
    } else if (message.type === REPORT) {
      const collection = collections.get(message.id);
      if (!collection || !collection.waiting.delete(worker)) return;
      if (message.error !== undefined) return answer(message.id, `worker ${worker.id} could not report its metrics (${message.error})`);
      collection.reports.push(message.metrics ?? []);
      if (collection.waiting.size === 0) answer(message.id);
    }
  });

  // A worker that exits took its counts along: the scrape goes on without it (as after any process restart).
  cluster.on('exit', (worker: Worker) => {
    ready.delete(worker);
    for (const [id, collection] of collections) {
      if (collection.requester === worker) {
        clearTimeout(collection.timer);
        collections.delete(id);
      } else if (collection.waiting.delete(worker) && collection.waiting.size === 0) answer(id);
    }
  });
}

/** In a worker: answers the primary's collections with this node's metrics, and makes /metrics add the other workers' to its own. */
export function joinClusterMetrics(metrics: EngineMetrics): void {
  const send = (message: MetricsMessage) => process.send?.(message, undefined, {}, () => undefined);
  const pending = new Map<number, { resolve: (metrics: NodeMetrics[]) => void; reject: (error: Error) => void }>();
  let nextId = 0;

  process.on('message', (message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.type === COLLECT) {
      metrics.nodeMetrics().then(
        (own) => send({ type: REPORT, id: message.id, metrics: own }),
        (error: unknown) => send({ type: REPORT, id: message.id, error: error instanceof Error ? error.name : 'unknown' }),
      );
    } else if (message.type === ANSWER) {
      const request = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) request?.reject(new Error(`/metrics of the whole server is incomplete: ${message.error}`));
      else request?.resolve(message.metrics ?? []);
    }
  });

  metrics.aggregateWith(() => new Promise<NodeMetrics[]>((resolve, reject) => {
    const id = nextId++;
    // The primary answers within PEER_METRICS_TIMEOUT_MS; this guards against a primary that never does.
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('/metrics of the whole server is incomplete: the primary process did not answer'));
    }, PEER_METRICS_TIMEOUT_MS + 1_000);
    pending.set(id, {
      resolve: (peers) => (clearTimeout(timer), resolve(peers)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    send({ type: REQUEST, id });
  }));
  send({ type: READY });
}
