/** The primary process of WORKERS > 1: forks the workers, replaces one that dies, and stops them all on SIGTERM/SIGINT. */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../services/service-context.js';
import { relayClusterMetrics } from './cluster-metrics.js';

export interface ClusterPrimaryOptions {
  workers: number;
  /** The workers' SHUTDOWN_GRACE_PERIOD: the primary waits this long, plus EXIT_MARGIN_MS, for them to exit. */
  shutdownGracePeriodMs: number;
  logger: Logger;
}

/** Worker → primary: serving, with its signal handlers installed (the primary's `listening` comes before those). */
const STARTED = 'engine:worker-started';

/** In a worker, at the end of its start: the primary logs it as started and forwards signals from now on safely. */
export function announceWorkerStarted(): void {
  process.send?.({ type: STARTED }, undefined, {}, () => undefined);
}

/** A worker that ran this long before it died is replaced at once; one that died sooner backs the next start off. */
const STABLE_AFTER_MS = 30_000;
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** Time for a worker to exit after its last shutdown step (a worker past its grace period exits 1 by itself). */
const EXIT_MARGIN_MS = 5_000;

/**
 * A command allocates many short-lived objects (bpmn-engine's messages): a larger young generation cuts the workers'
 * scavenges (measured on 2 cores: 7.5 → 6.9 ms of CPU per task completion). A value on the primary's command line
 * (`node --max-semi-space-size=… dist/src/main.js`) wins; one in NODE_OPTIONS does not, as the command line overrides it.
 */
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=64';

function workerExecArgv(): string[] {
  const given = process.execArgv.some((arg) => arg.startsWith('--max-semi-space-size'));
  return given ? process.execArgv : [...process.execArgv, YOUNG_GENERATION_FLAG];
}

/** Forks the workers and supervises them until a signal stops the server; the process exits from here. */
export function runClusterPrimary({ workers, shutdownGracePeriodMs, logger }: ClusterPrimaryOptions): void {
  const live = new Map<Worker, number>();
  const restarts = new Set<NodeJS.Timeout>();
  const unclean: string[] = [];
  let started = false;
  let quickExits = 0;
  /** Workers whose signal handlers are installed; one still starting gets the stop signal once it is (else it would die of it). */
  const ready = new Set<Worker>();
  let stopping: NodeJS.Signals | null = null;

  cluster.setupPrimary({ execArgv: workerExecArgv() });
  const fork = () => live.set(cluster.fork(), Date.now());
  const describe = (worker: Worker) => ({ worker: worker.id, pid: worker.process.pid });

  const finish = () => {
    if (unclean.length === 0) {
      logger.info('Shut down cleanly');
      process.exit(0);
    }
    logger.error(`Worker(s) did not shut down cleanly: ${unclean.join(', ')}`, { workers: unclean });
    process.exit(1);
  };

  relayClusterMetrics();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if ((message as { type?: unknown } | null)?.type !== STARTED) return;
    started = true;
    ready.add(worker);
    logger.info(`Worker ${worker.id} started`, describe(worker));
    if (stopping) worker.process.kill(stopping);
  });
  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    const lived = Date.now() - (live.get(worker) ?? Date.now());
    live.delete(worker);
    ready.delete(worker);
    const fields = { ...describe(worker), code, signal };
    if (stopping) {
      if (code === 0) logger.info(`Worker ${worker.id} exited`, fields);
      else {
        unclean.push(`worker ${worker.id} (pid ${worker.process.pid}) ${signal ? `killed by ${signal}` : `exit code ${code}`}`);
        logger.error(`Worker ${worker.id} exited uncleanly`, fields);
      }
      if (live.size === 0) finish();
      return;
    }
    // Before any worker served, a failing worker is a failing start (port taken, database refusing): stop, as one process would.
    if (!started) {
      logger.error(`Worker ${worker.id} exited before the server started; stopping`, fields);
      unclean.push(`worker ${worker.id} (pid ${worker.process.pid}) failed to start`);
      stopWorkers('SIGTERM');
      return;
    }
    quickExits = lived >= STABLE_AFTER_MS ? 0 : quickExits + 1;
    const delayMs = quickExits === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (quickExits - 1));
    logger.error(`Worker ${worker.id} exited unexpectedly; starting another in ${delayMs} ms`, { ...fields, restartInMs: delayMs });
    const timer = setTimeout(() => {
      restarts.delete(timer);
      fork();
    }, delayMs);
    restarts.add(timer);
  });

  function stopWorkers(signal: NodeJS.Signals): void {
    stopping = signal;
    for (const timer of restarts) clearTimeout(timer);
    if (live.size === 0) return finish();
    // A signal of its own to each (not worker.kill(), which disconnects first): each shuts down as a single process does.
    for (const worker of ready) worker.process.kill(signal);
    setTimeout(() => {
      for (const worker of live.keys()) {
        unclean.push(`worker ${worker.id} (pid ${worker.process.pid}) still running after ${shutdownGracePeriodMs + EXIT_MARGIN_MS} ms`);
        worker.process.kill('SIGKILL');
      }
      finish();
    }, shutdownGracePeriodMs + EXIT_MARGIN_MS);
  }

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    logger.info(`${signal} received, stopping ${live.size} worker(s)`, { signal, gracePeriodMs: shutdownGracePeriodMs });
    stopWorkers(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < workers; i++) fork();
}
