/** Types for kafka-broker.mjs, so TypeScript callers (tests, benchmarks) can import it under strict mode. */
export const KAFKA_VERSION: string;

export interface KafkaJarsDir {
  dir: string;
  /** The jars, for `java -cp '<lib>/*'`. */
  lib: string;
  /** Exists only once every jar is in place. */
  marker: string;
}

export interface KafkaBrokerOptions {
  /** Kept (and reused without formatting) when given; default: a fresh temp dir that remove() deletes. */
  dataDir?: string;
  /** The client (PLAINTEXT) port; default: a free one. */
  port?: number;
  log?: (message: string) => void;
  /** Called when the broker exits after it was ready while nobody stopped it. */
  onUnexpectedExit?: (message: string) => void;
}

export interface KafkaBroker {
  /** For kafkajs `brokers`: the PLAINTEXT listener only. */
  brokers: string[];
  port: number;
  /** The KRaft controller listener: clients must never connect to it. */
  controllerPort: number;
  dataDir: string;
  /** The broker's console output (log4j at INFO), appended to by every start(). */
  logFile: string;
  /** The running JVM's process id; undefined while stopped. */
  readonly pid: number | undefined;
  /** Controlled shutdown (SIGTERM), waits for the exit; SIGKILL after 20 s. */
  stop(): Promise<void>;
  /** After stop(): starts again on the same data dir and ports, without formatting. */
  start(): Promise<void>;
  /** stop(), then deletes the data dir when startKafkaBroker created it. */
  remove(): Promise<void>;
}

export function kafkaJarsDir(): KafkaJarsDir;
export function kafkaUnavailableReason(): string | undefined;
export function fetchKafkaJars(options?: { log?: (message: string) => void }): Promise<string>;
export function startKafkaBroker(options?: KafkaBrokerOptions): Promise<KafkaBroker>;
/** Synchronous, for 'exit' handlers: SIGKILLs every child this process started and removes its temp folders. */
export function stopAllKafkaBrokers(): void;
