/** Types for operaton.mjs, so TypeScript callers (the benchmarks) can import it under strict mode. */
export interface OperatonArtifacts {
  dir: string;
  jar: string;
  loaderPath: string;
  buildLog: string;
}

export interface RunningOperaton {
  /** e.g. http://127.0.0.1:41234/engine-rest */
  url: string;
  logFile: string;
  startSeconds: number;
  /** The JVM's process id, for its CPU time. */
  pid: number;
  /** Synchronous: SIGKILLs the JVM. */
  stop(): void;
}

export const QUICK_START_JVM_ARGS: string[];
export function operatonArtifacts(): OperatonArtifacts;
export function operatonUnavailableReason(artifacts?: OperatonArtifacts): string | undefined;
export function buildOperaton(options?: { log?: (message: string) => void }): Promise<OperatonArtifacts & { built: boolean }>;
export function startOperaton(options: { adminUrl: string; artifacts: OperatonArtifacts; log?: (message: string) => void; jvmArgs?: string[]; properties?: string[] }): Promise<RunningOperaton>;
export function stopAllOperaton(): void;
