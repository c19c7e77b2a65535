/**
 * Runs one benchmark on this engine and then on Operaton, on one durable throwaway PostgreSQL with job executors
 * off, and gives each measurement the engine's REST URL, process id (for its CPU) and a connection to its database
 * (for counting writing transactions).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildOperaton, operatonUnavailableReason, startOperaton, stopAllOperaton } from '../scripts/operaton.mjs';
import { startThrowawayPostgres, stopAllThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { freshDatabase } from './fresh-database.js';
import { killAllServerChildren, startServerChild } from './server-child.js';

export interface BenchEngine {
  label: string;
  restUrl: string;
  pid: number;
  database: pg.Client;
}

export async function call(method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Deploys one BPMN file through the REST API. */
export async function deployFile(restUrl: string, file: string, deploymentName: string): Promise<void> {
  const form = new FormData();
  form.append('deployment-name', deploymentName);
  form.append('data', new Blob([readFileSync(file)]), path.basename(file));
  const res = await fetch(`${restUrl}/deployment/create`, { method: 'POST', body: form });
  if (res.status !== 200) throw new Error(`deployment answered ${res.status}: ${await res.text()}`);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Runs `measure` on this engine (in database `databaseName`), then on Operaton unless it cannot run here. */
export async function measureSideBySide(databaseName: string, measure: (engine: BenchEngine) => Promise<void>): Promise<void> {
  const postgres = await startThrowawayPostgres({ durable: true, maxConnections: 200, onStopError: (message: string) => console.error(message) });
  console.log(`${new Date().toISOString()}: ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), node ${process.version}, ${postgres.version}, load ${os.loadavg()[0].toFixed(1)}`);
  try {
    const databaseUrl = await freshDatabase(postgres.url, databaseName);
    const server = await startServerChild({ DATABASE_URL: databaseUrl, JOB_EXECUTOR: 'false' });
    const database = await connect(databaseUrl);
    try {
      await measure({ label: 'this engine', restUrl: `${server.baseUrl}/engine-rest`, pid: server.pid, database });
    } finally {
      await database.end();
      await server.stop();
    }
    const unavailable = operatonUnavailableReason();
    if (unavailable) {
      console.log(`Operaton: skipped (${unavailable})`);
      return;
    }
    const operaton = await startOperaton({ adminUrl: postgres.url, artifacts: await buildOperaton({ log: (message: string) => console.log(`Operaton: ${message}`) }), jvmArgs: ['-Xmx1g'], properties: ['--operaton.bpm.job-execution.enabled=false'] });
    const url = new URL(postgres.url);
    url.pathname = '/operaton';
    const operatonDatabase = await connect(url.toString());
    try {
      await measure({ label: 'Operaton', restUrl: operaton.url, pid: operaton.pid, database: operatonDatabase });
    } finally {
      await operatonDatabase.end();
      operaton.stop();
    }
  } finally {
    killAllServerChildren();
    stopAllOperaton();
    stopAllThrowawayPostgres();
  }
}
