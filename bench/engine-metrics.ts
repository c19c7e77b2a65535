/** Reads the server's in-process counters from GET /metrics (commands run, write transactions committed). */
import type { HttpClient } from './http-client.js';

export interface EngineCounters {
  commands: number;
  commits: number;
}

function counter(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, 'm').exec(text);
  if (!match) throw new Error(`/metrics has no ${name}:\n${text}`);
  return Number(match[1]);
}

export async function readEngineCounters(client: HttpClient): Promise<EngineCounters> {
  const text = await client.expect('GET', '/metrics', 200);
  return { commands: counter(text, 'engine_commands_total'), commits: counter(text, 'engine_transactions_committed_total') };
}
