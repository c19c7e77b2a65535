/** Runs a throwaway single-node Apache Kafka 4.1.1 broker (KRaft, broker+controller in one JVM) from Maven Central jars, for tests and development. */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

export const KAFKA_VERSION = '4.1.1';

/**
 * kafka_2.13's published POM has no logging backend, and it brings slf4j-api 1.7.36: the binding must be the
 * slf4j 1.x one (log4j-slf4j-impl). With log4j-slf4j2-impl slf4j falls back to a no-op logger and the broker
 * never prints its "started" line.
 */
const runtimePom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.camunda7-compatible-engine</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
`;

/** Pinned rather than Maven 3.8's default 2.8, so every machine copies the same way. */
const copyDependenciesGoal = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies';

/** Quick start over peak speed: a test broker carries a few thousand messages at most. */
const BROKER_JVM_ARGS = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];
const FORMAT_JVM_ARGS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];

const READY_LINE = 'Kafka Server started';
const READY_TIMEOUT_MS = 90_000;
/** A controlled shutdown takes 2–3 s; past this the broker is hung and gets SIGKILL. */
const STOP_GRACE_MS = 20_000;
const FAILURE_TAIL_LINES = 50;
const DEV_PORT = 9092;

/** Children (Maven, the storage formatter, brokers) still running, so stopAllKafkaBrokers() can end them from an 'exit' handler. */
const live = new Set();
/** Folders this process created and removes when done (Maven work and staging, temp data dirs); stopAllKafkaBrokers() removes what is left. */
const ownedDirs = new Set();

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  ownedDirs.add(dir);
  return dir;
}

function removeOwnedDir(dir) {
  // A just-killed JVM may still be closing files, hence the retries.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  ownedDirs.delete(dir);
}

/** The cache folder for the jars of this POM; a changed POM (another version) fetches into a new one. */
export function kafkaJarsDir() {
  const pomHash = createHash('sha256').update(runtimePom).digest('hex').slice(0, 12);
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = join(cacheRoot, 'camunda7-compatible-engine', `kafka-${KAFKA_VERSION}-${pomHash}`);
  return { dir, lib: join(dir, 'lib'), marker: join(dir, 'fetched') };
}

/** The major version `java -version` reports (17 for "17.0.15", 8 for "1.8.0_392"), or undefined when there is no java. */
function javaMajorVersion() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

function commandWorks(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** Why a broker cannot run here (no Java 17+, or no Maven while the jars are not fetched yet), or undefined. */
export function kafkaUnavailableReason() {
  const java = javaMajorVersion();
  if (java === undefined) return 'Java (17+) is not installed: the Kafka broker needs it (Debian: apt-get install openjdk-17-jre-headless)';
  if (java < 17) return `Kafka ${KAFKA_VERSION} needs Java 17+, found Java ${java}`;
  if (existsSync(kafkaJarsDir().marker)) return undefined;
  if (!commandWorks('mvn', ['-v'])) return 'Maven is not installed and the Kafka jars are not fetched yet (Debian: apt-get install maven)';
  return undefined;
}

/** The last `lines` lines of `file` from byte `from` on (this run's share of a log that restarts append to). */
function tail(file, lines = FAILURE_TAIL_LINES, from = 0) {
  return readFrom(file, from).trimEnd().split('\n').slice(-lines).join('\n');
}

/** A failed start ends with a long shutdown log; the cause is usually the first ERROR lines further up. */
function firstErrors(file, from, count = 5) {
  const errors = readFrom(file, from).split('\n').filter((line) => / (ERROR|FATAL) /.test(line)).slice(0, count);
  return errors.length === 0 ? '' : `; its first errors:\n${errors.join('\n')}`;
}

function readFrom(file, from) {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  if (size <= from) return '';
  const buffer = Buffer.alloc(size - from);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

function fileSize(file) {
  return existsSync(file) ? statSync(file).size : 0;
}

/** Starts a child with stdout and stderr appended to `logFile` (the child writes there itself, so a busy event loop never stalls it). */
function spawnLogged(command, args, options, logFile) {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { ...options, stdio: ['ignore', fd, fd] });
    live.add(child);
    child.once('exit', () => live.delete(child));
    child.once('error', () => live.delete(child));
    return child;
  } finally {
    closeSync(fd);
  }
}

/** Resolves with the exit code (or signal name) of a child run to completion. */
function runLogged(command, args, options, logFile) {
  return new Promise((resolve, reject) => {
    const child = spawnLogged(command, args, options, logFile);
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

/**
 * Copies the broker's jars from Maven Central into the cache once (later calls return at once) and returns the lib
 * folder. Maven works into a staging folder that is renamed into place with its marker, so an interrupted
 * download never looks complete.
 */
export async function fetchKafkaJars({ log = () => {} } = {}) {
  const jars = kafkaJarsDir();
  if (existsSync(jars.marker)) return jars.lib;
  const work = tempDir('kafka-jars-');
  try {
    writeFileSync(join(work, 'pom.xml'), runtimePom);
    const staging = `${jars.dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    ownedDirs.add(staging);
    const logFile = join(work, 'maven.log');
    log(`fetching the Kafka ${KAFKA_VERSION} jars with Maven (log: ${logFile})`);
    const started = Date.now();
    const args = ['-B', '--no-transfer-progress', '-f', join(work, 'pom.xml'), copyDependenciesGoal, '-DincludeScope=runtime', `-DoutputDirectory=${join(staging, 'lib')}`];
    const code = await runLogged('mvn', args, { cwd: work }, logFile);
    if (code !== 0) {
      removeOwnedDir(staging);
      throw new Error(`Maven failed to fetch the Kafka jars (exit ${code}):\n${tail(logFile, 40)}`);
    }
    writeFileSync(join(staging, 'fetched'), `${new Date().toISOString()}\n`);
    mkdirSync(dirname(jars.dir), { recursive: true });
    try {
      renameSync(staging, jars.dir);
      ownedDirs.delete(staging);
    } catch (error) {
      // Another process fetched the same jars at the same time: keep its copy.
      removeOwnedDir(staging);
      if (!existsSync(jars.marker)) throw error;
    }
    log(`fetched the Kafka jars in ${((Date.now() - started) / 1000).toFixed(1)} s into ${jars.lib}`);
    return jars.lib;
  } finally {
    removeOwnedDir(work);
  }
}

/** What `kafka-storage.sh random-uuid` prints: 16 random bytes, base64url. One starting with '-' would read as an option. */
function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties({ port, controllerPort, logDir }) {
  return `# Written by scripts/kafka-broker.mjs on every start.
process.roles=broker,controller
node.id=1
# Static voters: a plain \`format\` suffices (no --standalone / bootstrap servers).
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${logDir}
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Off: kafkajs races KRaft's auto-creation (tulios/kafkajs#1563); tests create their topics through the admin API.
auto.create.topics.enable=false
num.network.threads=2
num.io.threads=2
`;
}

const log4j2Properties = `# Written by scripts/kafka-broker.mjs: everything at INFO to the console (scripts/kafka-broker.mjs sends it to kafka.log).
# Without this, log4j's own shutdown hook races Kafka's and the log of a controlled shutdown stops halfway.
shutdownHook=disable
rootLogger.level=INFO
rootLogger.appenderRef.console.ref=console
appender.console.type=Console
appender.console.name=console
appender.console.layout.type=PatternLayout
appender.console.layout.pattern=[%d] %p %m (%c)%n
`;

function portAcceptsConnections(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (accepted) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function exitOf(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts a broker and resolves once it logged that it started and its client port accepts connections.
 * `dataDir` (default: a fresh temp dir, deleted by remove()) is formatted only when it holds no
 * kraft/meta.properties, so a second start on the same folder keeps the topics and offsets. `port` is the client
 * (PLAINTEXT) port, default a free one; the controller gets its own free port, which clients must never use.
 * `onUnexpectedExit` hears of a broker that exits while nobody stopped it.
 */
export async function startKafkaBroker({ dataDir, port, log = () => {}, onUnexpectedExit } = {}) {
  const lib = await fetchKafkaJars({ log });
  const createdDataDir = !dataDir;
  const dir = dataDir ?? tempDir('kafka-broker-');
  mkdirSync(dir, { recursive: true });
  const clientPort = port ?? (await freePort());
  let controllerPort = await freePort();
  // freePort() closes its probe before answering, so two calls may name the same port.
  while (controllerPort === clientPort) controllerPort = await freePort();
  const logDir = join(dir, 'kraft');
  const serverPropertiesFile = join(dir, 'server.properties');
  const log4jFile = join(dir, 'log4j2.properties');
  const logFile = join(dir, 'kafka.log');
  const classpath = join(lib, '*');
  const log4jArgs = [`-Dlog4j2.configurationFile=${log4jFile}`];
  writeFileSync(serverPropertiesFile, serverProperties({ port: clientPort, controllerPort, logDir }));
  writeFileSync(log4jFile, log4j2Properties);
  writeFileSync(logFile, '');

  /** The running JVM, undefined while stopped. */
  let broker;
  /** Set while stop() runs, so a concurrent stop() or start() waits for it. */
  let stopping;

  async function formatIfNew() {
    if (existsSync(join(logDir, 'meta.properties'))) return;
    const args = [...FORMAT_JVM_ARGS, ...log4jArgs, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', serverPropertiesFile];
    const from = fileSize(logFile);
    const code = await runLogged('java', args, { cwd: dir }, logFile);
    if (code !== 0) throw new Error(`formatting the Kafka storage in ${logDir} failed (exit ${code}):\n${tail(logFile, FAILURE_TAIL_LINES, from)}`);
  }

  async function launch() {
    if (stopping) await stopping;
    if (broker) return;
    await formatIfNew();
    const from = fileSize(logFile);
    const child = spawnLogged('java', [...BROKER_JVM_ARGS, ...log4jArgs, '-cp', classpath, 'kafka.Kafka', serverPropertiesFile], { cwd: dir }, logFile);
    broker = child;
    let exit;
    let ready = false;
    child.once('exit', (code, signal) => {
      exit = code ?? signal;
      if (broker !== child) return;
      broker = undefined;
      // Before it was ready, launch() reports the exit itself.
      if (ready && !stopping) onUnexpectedExit?.(`the Kafka broker exited (${exit}) while nobody stopped it:\n${tail(logFile, FAILURE_TAIL_LINES, from)}`);
    });
    log(`starting Kafka ${KAFKA_VERSION} on 127.0.0.1:${clientPort} (data: ${dir}, log: ${logFile})`);
    const started = Date.now();
    const failed = async (why) => {
      if (broker === child) broker = undefined;
      child.kill('SIGKILL');
      await exitOf(child);
      return new Error(`${why}${firstErrors(logFile, from)}\nthe last ${FAILURE_TAIL_LINES} lines of its output:\n${tail(logFile, FAILURE_TAIL_LINES, from)}`);
    };
    while (Date.now() - started < READY_TIMEOUT_MS) {
      if (exit !== undefined) throw await failed(`the Kafka broker exited (${exit}) before it was ready`);
      if (readFrom(logFile, from).includes(READY_LINE) && (await portAcceptsConnections(clientPort))) {
        ready = true;
        log(`Kafka ready on 127.0.0.1:${clientPort} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return;
      }
      await sleep(250);
    }
    throw await failed(`the Kafka broker was not ready within ${READY_TIMEOUT_MS / 1000} s`);
  }

  /** SIGTERM makes Kafka shut down in a controlled way (flushing its logs); SIGKILL only when that hangs. */
  async function stop() {
    if (stopping) return stopping;
    const child = broker;
    if (!child) return;
    stopping = (async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exitOf(child);
      clearTimeout(killer);
      if (broker === child) broker = undefined;
    })();
    try {
      await stopping;
    } finally {
      stopping = undefined;
    }
  }

  try {
    await launch();
  } catch (error) {
    if (createdDataDir) removeOwnedDir(dir);
    throw error;
  }

  return {
    brokers: [`127.0.0.1:${clientPort}`],
    port: clientPort,
    controllerPort,
    dataDir: dir,
    logFile,
    get pid() {
      return broker?.pid;
    },
    stop,
    start: launch,
    async remove() {
      await stop();
      if (createdDataDir) removeOwnedDir(dir);
    },
  };
}

/** Kills every Maven, formatter and broker this process started and removes its temp folders; synchronous, for 'exit' handlers. */
export function stopAllKafkaBrokers() {
  for (const child of [...live]) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of [...ownedDirs]) removeOwnedDir(dir);
}

// `node scripts/kafka-broker.mjs` (npm run kafka): a broker for development, its data kept in data/kafka across runs.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const say = (message) => process.stdout.write(`[kafka] ${message}\n`);
  const reason = kafkaUnavailableReason();
  if (reason) {
    process.stderr.write(`[kafka] ${reason}\n`);
    process.exit(1);
  }
  process.on('exit', stopAllKafkaBrokers);
  let broker;
  let stoppingForSignal = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, async () => {
      if (stoppingForSignal) return;
      stoppingForSignal = true;
      say('stopping Kafka');
      // During the start there is no handle yet: the 'exit' handler kills the half-started JVM.
      await broker?.stop();
      process.exit(0);
    });
  }
  const port = process.env.KAFKA_PORT ? Number(process.env.KAFKA_PORT) : DEV_PORT;
  try {
    broker = await startKafkaBroker({
      dataDir: join(root, 'data', 'kafka'),
      port,
      log: say,
      onUnexpectedExit: (message) => {
        // Ctrl-C reaches the JVM too, which may exit before our own stop() marks it as stopping.
        if (stoppingForSignal) return;
        process.stderr.write(`[kafka] ${message}\n`);
        process.exit(1);
      },
    });
  } catch (error) {
    process.stderr.write(`[kafka] ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`Kafka ready: KAFKA_BROKERS=${broker.brokers.join(',')}\n`);
}
