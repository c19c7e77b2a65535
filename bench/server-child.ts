/** Runs the engine server (src/main.ts) as a child process for the benchmark, reads its port, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_OUTPUT = 64 * 1024;

export interface ServerChild {
  readonly pid: number;
  /** e.g. http://127.0.0.1:41234 (the REST API is under /engine-rest, metrics at /metrics). */
  readonly baseUrl: string;
  output(): string;
  /** SIGTERM (clean shutdown closes the database), SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous last resort for 'exit' and signal handlers. */
  kill(): void;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every server child still running; synchronous, safe from 'exit' handlers. */
export function killAllServerChildren(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

/**
 * Starts the server from source. `env` replaces the database settings: pass DATABASE_URL or DATA_DIR.
 * `nodeArgs` go before the script, e.g. --cpu-prof for a profile of the server.
 */
export async function startServerChild(env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 60_000): Promise<ServerChild> {
  const inherited = { ...process.env };
  // Only what the caller passes selects the database; an inherited DATABASE_URL must not leak in.
  delete inherited.DATABASE_URL;
  delete inherited.DATA_DIR;
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(projectRoot, 'src', 'main.ts')], {
    cwd: projectRoot,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ENGINE_SELF_CHECK: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  // Always drain the pipes: a full pipe would block the server's logger mid-benchmark.
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));

  const port = await new Promise<string>((resolve, reject) => {
    const pattern = /REST API: http:\/\/localhost:(\d+)\/engine-rest/;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening; output:\n${output}`));
    });
  });

  return {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}
