/**
 * `npm test`: lint (when configured) while a throwaway PostgreSQL 15 and the reference engine Operaton start and the
 * Kafka broker's jars are fetched, then mocha; reports every skipped suite.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchKafkaJars, kafkaUnavailableReason, stopAllKafkaBrokers } from './kafka-broker.mjs';
import { launchOperaton, stopAllOperaton } from './operaton.mjs';
import { startThrowawayPostgres, stopAllThrowawayPostgres } from './throwaway-postgres.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const ci = process.env.CI === 'true';
const pgBin = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const extraArgs = process.argv.slice(2);

/** Informational skips of this script (not failures under CI); the test helpers append real skips to a file. */
const notes = [];
let skipDir;
let activeChild;
let cleanedUp = false;

function say(msg) {
  process.stdout.write(`[run-tests] ${msg}\n`);
}

function loud(msg) {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n[run-tests] ${msg}\n${bar}\n\n`);
}

/** Synchronous so it also works from the 'exit' handler; safe to call more than once. */
function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  stopAllOperaton();
  stopAllKafkaBrokers();
  stopAllThrowawayPostgres();
  if (skipDir) rmSync(skipDir, { recursive: true, force: true });
}

async function startPostgres() {
  if (process.env.TEST_DATABASE_URL) {
    say(`using TEST_DATABASE_URL from the environment; not starting a throwaway PostgreSQL`);
    return process.env.TEST_DATABASE_URL;
  }
  // Not durable: fsync off is fine for a cluster that lives for one test run.
  const postgres = await startThrowawayPostgres({ durable: false, pgBin, onStopError: (message) => process.stderr.write(`[run-tests] ${message}\n`) });
  say(`PostgreSQL 15 ready on 127.0.0.1:${postgres.port} (data in ${postgres.dataDir})`);
  return postgres.url;
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    // Own process group, so a signal can take down mocha's wrapper and the node process it spawns together.
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env, detached: true });
    activeChild = child;
    child.on('exit', (code, signal) => {
      activeChild = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function namesTests(arg) {
  return !arg.startsWith('-') && (arg.endsWith('.ts') || arg.startsWith('test/'));
}

/** A mocha positional argument naming tests replaces the default glob, so `npm test -- test/x.test.ts` runs just that. */
function mochaArgs() {
  return extraArgs.some(namesTests) ? extraArgs : ['test/**/*.test.ts', ...extraArgs];
}

/** Operaton costs a build once and about 10 s of CPU-heavy start: only worth it when test/reference runs. */
function runsReferenceSuite() {
  const named = extraArgs.filter(namesTests);
  return named.length === 0 || named.some((arg) => ['test', 'test/'].includes(arg) || arg.startsWith('test/reference'));
}

/** The suites under test/kafka and test/worker start their own brokers; the jars they need come from Maven once. */
function runsKafkaSuites() {
  const named = extraArgs.filter(namesTests);
  return named.length === 0 || named.some((arg) => ['test', 'test/'].includes(arg) || arg.startsWith('test/kafka') || arg.startsWith('test/worker'));
}

/** Resolves with why the Kafka suites cannot run (for KAFKA_UNAVAILABLE_REASON), or undefined once the jars are there. */
async function prepareKafka() {
  const unavailable = kafkaUnavailableReason();
  if (unavailable) return unavailable;
  try {
    await fetchKafkaJars({ log: say });
    return undefined;
  } catch (error) {
    // The skip list shows one line per suite; Maven's output goes above it.
    say(error.message);
    return `the Kafka jars could not be fetched: ${error.message.split('\n')[0].replace(/:$/, '')} (Maven's output is above)`;
  }
}

function printSkips(skipFile, mochaCode) {
  const recorded = existsSync(skipFile)
    ? readFileSync(skipFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
    : [];
  const unique = [...new Map(recorded.map((s) => [`${s.suite}\u0000${s.reason}`, s])).values()];
  process.stdout.write('\n');
  for (const note of notes) say(`note: skipped ${note.suite}: ${note.reason}`);
  if (unique.length === 0) {
    say(`no test suite skipped; mocha exit code ${mochaCode}`);
    return 0;
  }
  loud(`SKIPPED SUITES (${unique.length}):\n${unique.map((s) => `  - ${s.suite}: ${s.reason}`).join('\n')}`);
  return unique.length;
}

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (activeChild) {
        try {
          process.kill(-activeChild.pid, 'SIGTERM');
        } catch {
          // the group is gone already
        }
      }
      cleanup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.on('exit', cleanup);

  skipDir = mkdtempSync(join(tmpdir(), 'engine-test-skips-'));
  const env = { ...process.env };
  // PostgreSQL and Operaton (built when its sources changed, then about 10 s of start) come up and the Kafka jars
  // arrive while lint runs.
  let lint = Promise.resolve(0);
  if (existsSync(join(root, 'eslint.config.js'))) {
    say('npm run lint');
    lint = run('npm', ['run', 'lint'], process.env);
  } else {
    notes.push({ suite: 'lint', reason: 'no eslint.config.js in the project yet' });
  }
  const postgres = startPostgres();
  if (runsReferenceSuite() && !env.OPERATON_URL) {
    env.OPERATON_STATUS_FILE = join(skipDir, 'operaton.json');
    void launchOperaton({ adminUrl: postgres, statusFile: env.OPERATON_STATUS_FILE, log: say });
  }
  const kafka = runsKafkaSuites() && !env.KAFKA_UNAVAILABLE_REASON ? prepareKafka() : Promise.resolve(undefined);
  const postgresFailure = await postgres.then((url) => {
    env.TEST_DATABASE_URL = url;
  }, (error) => error);
  const lintCode = await lint;
  if (lintCode !== 0) return lintCode;
  if (postgresFailure) {
    const consequence = ci ? 'CI=true, so this run fails' : 'PostgreSQL suites will be skipped';
    loud(`PostgreSQL could not start; ${consequence}:\n${postgresFailure.message}`);
    if (ci) return 1;
    delete env.TEST_DATABASE_URL;
  }

  const kafkaUnavailable = await kafka;
  if (kafkaUnavailable) {
    say(`Kafka suites cannot run: ${kafkaUnavailable}`);
    env.KAFKA_UNAVAILABLE_REASON = kafkaUnavailable;
  }

  const skipFile = join(skipDir, 'skips.jsonl');
  writeFileSync(skipFile, '');
  env.TEST_SKIP_REPORT = skipFile;
  const mochaBin = join(root, 'node_modules', '.bin', 'mocha');
  const code = await run(mochaBin, mochaArgs(), env);
  const skipped = printSkips(skipFile, code);
  // Under CI nothing may be skipped, even where a suite forgot to fail by itself.
  if (ci && skipped > 0 && code === 0) {
    loud('CI=true: skipped suites count as a failure');
    return 1;
  }
  return code;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  loud(error.stack ?? String(error));
} finally {
  cleanup();
}
process.exit(exitCode);
