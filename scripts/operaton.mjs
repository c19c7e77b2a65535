/** Builds (once, cached by a hash of its sources) and runs Operaton, the reference engine of test/reference. */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from './free-port.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** Our own tiny Spring Boot app: Operaton's engine and REST API on PostgreSQL. */
export const operatonSources = join(root, 'test', 'reference', 'operaton');
const jarName = 'operaton-reference.jar';
const databaseName = 'operaton';
const readyTimeoutMs = 180_000;

/** Children (Maven, Java) still running and their temp folders, so stopAllOperaton() can end them from an 'exit' handler. */
const live = new Set();
const tempDirs = new Set();

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'target' ? [] : sourceFiles(path);
    return [path];
  });
}

/** The cache folder of the jar built from the current sources; a changed pom or source builds a new one. */
export function operatonArtifacts() {
  const hash = createHash('sha256');
  for (const file of sourceFiles(operatonSources).sort()) {
    hash.update(`${relative(operatonSources, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = join(cacheRoot, 'camunda7-compatible-engine', `operaton-${hash.digest('hex').slice(0, 16)}`);
  return { dir, jar: join(dir, jarName), loaderPath: join(dir, 'loader'), buildLog: join(dir, 'build.log') };
}

function commandWorks(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** Why Operaton cannot run here (no Java, or no JDK or Maven while the jar is not built yet), or undefined. */
export function operatonUnavailableReason(artifacts = operatonArtifacts()) {
  if (!commandWorks('java', ['-version'])) return 'Java (17+) is not installed: the reference engine Operaton needs it (Debian: apt-get install openjdk-17-jre-headless)';
  if (existsSync(artifacts.jar)) return undefined;
  if (!commandWorks('javac', ['-version'])) return 'no JDK (javac) to build Operaton with (Debian: apt-get install openjdk-17-jdk-headless)';
  if (!commandWorks('mvn', ['-v'])) return 'Maven is not installed and Operaton is not built yet (Debian: apt-get install maven)';
  return undefined;
}

function tail(file, lines = 40) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}

/** Runs a child with its output in `logFile`; resolves with its exit code. */
function runLogged(command, args, options, logFile) {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'a');
    const child = spawn(command, args, { ...options, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    live.add(child);
    child.on('error', (error) => {
      live.delete(child);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal);
    });
  });
}

/**
 * Builds the jar with Maven unless the cache already holds it for these sources (a second run costs nothing).
 * Maven works on a temporary copy, so the source tree gets no target/ folder.
 */
export async function buildOperaton({ log = () => {} } = {}) {
  const artifacts = operatonArtifacts();
  if (existsSync(artifacts.jar)) return { ...artifacts, built: false };
  const work = tempDir('operaton-build-');
  try {
    cpSync(operatonSources, work, { recursive: true, filter: (path) => !path.includes(`${operatonSources}/target`) });
    const logFile = join(work, 'build.log');
    log(`building Operaton with Maven (${relative(root, operatonSources)}; log: ${logFile})`);
    const started = Date.now();
    const code = await runLogged('mvn', ['-B', '--no-transfer-progress', 'package', '-DskipTests'], { cwd: work }, logFile);
    if (code !== 0) throw new Error(`Maven failed to build Operaton (exit ${code}):\n${tail(logFile)}`);
    const staging = `${artifacts.dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    cpSync(join(work, 'target', jarName), join(staging, jarName));
    cpSync(join(work, 'target', 'loader'), join(staging, 'loader'), { recursive: true });
    cpSync(logFile, join(staging, 'build.log'));
    try {
      renameSync(staging, artifacts.dir);
    } catch (error) {
      // Another run built the same sources at the same time: keep its copy.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(artifacts.jar)) throw error;
    }
    log(`built Operaton in ${((Date.now() - started) / 1000).toFixed(1)} s into ${artifacts.dir}`);
    return { ...artifacts, built: true };
  } finally {
    removeTempDir(work);
  }
}


/** Drops and creates the `operaton` database beside the test databases, so every run starts on an empty schema. */
async function recreateDatabase(adminUrl) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  return {
    jdbcUrl: `jdbc:postgresql://${url.hostname}:${url.port || 5432}/${databaseName}`,
    username: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Quick start and a small footprint: the differential suite sends a few hundred requests, so peak speed does not matter. */
export const QUICK_START_JVM_ARGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx512m'];

/**
 * Starts the built jar on a fresh `operaton` database of the PostgreSQL at `adminUrl` and resolves once
 * `GET /engine-rest/engine` answers; `stop()` is synchronous, for 'exit' handlers. `jvmArgs` tune the JVM (a
 * benchmark passes full JIT), `properties` are extra Spring Boot settings (`--name=value`).
 */
export async function startOperaton({ adminUrl, artifacts, log = () => {}, jvmArgs = QUICK_START_JVM_ARGS, properties = [] }) {
  const database = await recreateDatabase(adminUrl);
  const port = await freePort();
  const logFile = join(tempDir('operaton-run-'), 'operaton.log');
  const args = [
    ...jvmArgs,
    // Dates in answers then read +0000, as on our server.
    '-Duser.timezone=UTC',
    `-Dloader.path=${artifacts.loaderPath}`,
    '-jar', artifacts.jar,
    `--spring.datasource.url=${database.jdbcUrl}`,
    `--spring.datasource.username=${database.username}`,
    `--spring.datasource.password=${database.password}`,
    '--server.address=127.0.0.1',
    `--server.port=${port}`,
    ...properties,
  ];
  const fd = openSync(logFile, 'a');
  const child = spawn('java', args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  live.add(child);
  let exited = false;
  child.on('exit', () => {
    exited = true;
    live.delete(child);
  });
  const stop = () => {
    if (!exited) child.kill('SIGKILL');
  };
  const url = `http://127.0.0.1:${port}/engine-rest`;
  log(`starting Operaton on ${url} (log: ${logFile})`);
  const started = Date.now();
  while (Date.now() - started < readyTimeoutMs) {
    if (exited) throw new Error(`Operaton exited before it answered:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${url}/engine`);
      if (res.ok) {
        log(`Operaton answered after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return { url, logFile, startSeconds: (Date.now() - started) / 1000, stop, pid: child.pid };
      }
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  stop();
  throw new Error(`Operaton did not answer GET ${url}/engine within ${readyTimeoutMs / 1000} s:\n${tail(logFile)}`);
}

/** Ends every Maven build and Operaton this process started; synchronous, for 'exit' and signal handlers. */
export function stopAllOperaton() {
  for (const child of [...live]) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

/**
 * For scripts/run-tests.mjs: builds and starts Operaton in the background, reporting each step in `statusFile`
 * (JSON, read by test/support/reference-engine.ts): building, starting, ready {url}, unavailable {reason} (a
 * skip) or failed {reason}. Never rejects. `adminUrl` may be a promise: the build does not wait for PostgreSQL.
 */
export async function launchOperaton({ adminUrl, statusFile, log = () => {} }) {
  const report = (status) => {
    writeFileSync(`${statusFile}.tmp`, JSON.stringify(status));
    renameSync(`${statusFile}.tmp`, statusFile);
  };
  try {
    const artifacts = operatonArtifacts();
    const unavailable = operatonUnavailableReason(artifacts);
    if (unavailable) return report({ state: 'unavailable', reason: unavailable });
    report({ state: 'building' });
    const built = await buildOperaton({ log });
    report({ state: 'starting' });
    const operaton = await startOperaton({ adminUrl: await adminUrl, artifacts: built, log });
    report({ state: 'ready', url: operaton.url, logFile: operaton.logFile });
  } catch (error) {
    report({ state: 'failed', reason: error.message });
  }
}

// `node scripts/operaton.mjs build`: builds the jar into the cache (.ci/run does this before the tests).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] !== 'build') {
    process.stderr.write('usage: node scripts/operaton.mjs build\n');
    process.exit(2);
  }
  const reason = operatonUnavailableReason();
  if (reason) {
    process.stderr.write(`[operaton] ${reason}\n`);
    process.exit(1);
  }
  const artifacts = await buildOperaton({ log: (msg) => process.stdout.write(`[operaton] ${msg}\n`) });
  process.stdout.write(`[operaton] ${artifacts.built ? 'built' : 'already built'}: ${artifacts.jar}\n`);
}
