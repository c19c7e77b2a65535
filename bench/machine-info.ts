/** Describes the machine a run was measured on, for the results file. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryGiB: number;
  loadAverage1m: number;
  platform: string;
  node: string;
  postgres: string | null;
  /** Pinned versions of the libraries whose speed is measured. */
  libraries: Record<string, string>;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function machineInfo(postgresVersion: string | null): MachineInfo {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const libraries = Object.fromEntries(['bpmn-engine', 'bpmn-elements', 'smqp', '@electric-sql/pglite', 'knex', 'pg', 'express'].map((name) => [name, pkg.dependencies[name] ?? '?']));
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: os.loadavg()[0],
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: postgresVersion,
    libraries,
  };
}
