/** Commands run, read from the server's GET /metrics, and writing transactions, counted by PostgreSQL. */
import type { HttpClient } from './http-client.js';
import type { PgCounters } from './pg-counters.js';

export interface EngineCounters {
  commands: number;
  /** Writing transactions of the database cluster (transaction ids), not the engine's own commit counter. */
  commits: number;
}

function counter(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, 'm').exec(text);
  if (!match) throw new Error(`/metrics has no ${name}:\n${text}`);
  return Number(match[1]);
}

/** Commands on running instances that continued a kept engine (hits) or recovered it (misses), from GET /metrics. */
export async function readLiveEngineLookups(client: HttpClient): Promise<{ hits: number; misses: number }> {
  const text = await client.expect('GET', '/metrics', 200);
  return { hits: counter(text, 'engine_live_engine_lookups_total\\{result="hit"\\}'), misses: counter(text, 'engine_live_engine_lookups_total\\{result="miss"\\}') };
}

export async function readEngineCounters(client: HttpClient, database: PgCounters): Promise<EngineCounters> {
  const text = await client.expect('GET', '/metrics', 200);
  return { commands: counter(text, 'engine_commands_total'), commits: await database.writes() };
}
