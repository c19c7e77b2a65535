/** Types for throwaway-postgres.mjs, so TypeScript callers (the benchmark) can import it under strict mode. */
export interface ThrowawayPostgresOptions {
  /** true: fsync and synchronous_commit on (benchmarks); false: fsync off (tests only). */
  durable?: boolean;
  pgBin?: string;
  maxConnections?: number;
  /** Extra `name=value` server settings, e.g. `log_statement=all`. */
  settings?: string[];
  onStopError?: (message: string) => void;
}

export interface ThrowawayPostgres {
  url: string;
  port: number;
  /** The postmaster's pid; its backends are its children. */
  pid: number;
  dataDir: string;
  logFile: string;
  durable: boolean;
  /** `postgres --version` output, e.g. "postgres (PostgreSQL) 15.x". */
  version: string;
  /** Synchronous and idempotent: stops the cluster and removes its temp dir. */
  stop(): void;
}

export function startThrowawayPostgres(options?: ThrowawayPostgresOptions): Promise<ThrowawayPostgres>;
export function stopAllThrowawayPostgres(): void;
