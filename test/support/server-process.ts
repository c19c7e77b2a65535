/** Runs the real server as a child process (src/main.ts, or the built one through `npm start`), for tests of start-up, shutdown, crashes and first runs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { FIXTURES } from './rest-client.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Base URL of the REST API, e.g. http://localhost:41234/engine-rest. */
  readonly restUrl: string;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited(): Promise<number | null>;
}

/** How the server is launched: from the TypeScript sources (the default), or exactly as the README's `npm start`. */
export type ServerLaunch = 'sources' | 'npm-start';

function spawnServer(launch: ServerLaunch, env: Record<string, string>): ChildProcess {
  const [command, args] = launch === 'npm-start' ? ['npm', ['start', '--silent']] : [process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'main.ts')]];
  // `npm start` runs node as its own child: a process group lets a signal reach both. One worker process unless a test
  // asks for more: these tests specify a node (its jobs, locks, grace period), and a node is one process.
  return spawn(command, args, { cwd: projectRoot, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WORKERS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: launch === 'npm-start' });
}

/** Sends `signal` to the server, and to npm's child too when it was started through `npm start`. */
export function signalServer(server: ServerProcess, signal: NodeJS.Signals): void {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.spawnargs[0] === 'npm') process.kill(-child.pid!, signal);
  else child.kill(signal);
}

/** Starts the server and resolves once it prints where the REST API listens; rejects with its output if it exits first. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000, launch: ServerLaunch = 'sources'): Promise<ServerProcess> {
  const child = spawnServer(launch, { LOG_LEVEL: 'info', ...env });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  // 'close', not 'exit': the process may exit before its last lines (a shutdown's) have been read from the pipes.
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const waitForOutput = (pattern: RegExp, ms = timeoutMs) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(output)) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`server did not print ${pattern} within ${ms} ms; output:\n${output}`));
      }, ms);
      listeners.add(check);
      void exit.then((code) => {
        if (!pattern.test(output)) {
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`server exited (${code}) before printing ${pattern}; output:\n${output}`));
        }
      });
      check();
    });

  await waitForOutput(/REST API: http:\/\/localhost:\d+\/engine-rest/);
  const port = /REST API: http:\/\/localhost:(\d+)\/engine-rest/.exec(output)![1];
  return { child, restUrl: `http://127.0.0.1:${port}/engine-rest`, output: () => output, waitForOutput, exited: () => exit };
}

/** Runs the server until it exits by itself (e.g. refusing to start) and returns its exit code and output. */
export async function runServerToExit(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const child = spawnServer('sources', env);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  return { code, output };
}

/** One JSON call to a server process's REST API: its status and parsed body (null when empty). */
export async function callServer(server: ServerProcess, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.restUrl}${url}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** SIGTERM, and the clean exit (code 0) a user's Ctrl-C gets. */
export async function stopServer(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  const code = await server.exited();
  if (code !== 0) throw new Error(`the server exited with code ${code} after SIGTERM`);
}

/** A fresh PROCESSES_DIR holding these BPMN fixtures, as a user's folder of models would. */
export function processesFolderWith(...fixtures: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-processes-'));
  for (const name of fixtures) copyFileSync(path.join(FIXTURES, 'bpmn', name), path.join(dir, name));
  return dir;
}
