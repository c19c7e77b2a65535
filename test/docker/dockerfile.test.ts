/**
 * The container image without a Docker engine: the Dockerfile's and compose file's structure, and the Dockerfile's
 * steps run in a clean copy of the repository (`git archive HEAD`), whose runtime layout then serves /health/ready
 * and the web app. Every RUN step runs as written, `npm ci` against the registry included, so the lockfile, the
 * production-only install and the build are the image's own.
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../../scripts/free-port.mjs';
import { openTestPostgres, testDatabaseUrl } from '../support/test-databases.js';
import { startTestKafka } from '../support/test-kafka.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  image: string;
  name: string;
  instructions: Instruction[];
}

/** Stages of a Dockerfile with their instructions (continuation lines joined, comments dropped, ARGs substituted). */
function parseDockerfile(text: string): { stages: Stage[]; args: Map<string, string> } {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword, rest] = /^(\S+)\s+(.*)$/.exec(line)!;
    const upper = keyword!.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name, value] = rest!.split('=');
      args.set(name!, value ?? '');
    } else if (upper === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest!)!;
      stages.push({ image: image!.replace(/\$\{(\w+)\}/g, (_m, arg: string) => args.get(arg) ?? ''), name: name ?? String(stages.length), instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ keyword: upper, args: rest!.replace(/\s+/g, ' ') });
    }
  }
  return { stages, args };
}

const dockerfile = parseDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const stage = (name: string) => dockerfile.stages.find((s) => s.name === name)!;
const all = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const runSteps = (s: Stage) => all(s, 'RUN').flatMap((run) => run.split('&&').map((step) => step.trim()));

/** ENV in both forms: `ENV A=1 B=2` and `ENV A 1`. */
function envOf(s: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of all(s, 'ENV')) {
    if (/^\w+=/.test(args)) for (const [, name, value] of args.matchAll(/(\w+)=(\S+)/g)) env[name!] = value!;
    else env[args.split(' ')[0]!] = args.split(' ').slice(1).join(' ');
  }
  return env;
}

describe('docker: Dockerfile and compose.yaml', () => {
  it('should build in a stage of its own and run in a runtime stage, both on a pinned Node 20 slim image', () => {
    expect(dockerfile.stages.map((s) => s.name)).to.deep.equal(['build', 'runtime']);
    for (const s of dockerfile.stages) expect(s.image).to.match(/^node:20(\.\d+){0,2}-(bookworm-|bullseye-)?slim$/);
  });

  it('should install every dependency and build the server and the web bundle in the build stage', () => {
    const steps = runSteps(stage('build'));
    expect(steps).to.include('npm ci --ignore-scripts');
    expect(steps).to.include('npm run build');
    const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(packageJson.scripts.build).to.contain('web-modeler/build.mjs');
  });

  it('should hold production dependencies and the build output only in the runtime stage, run by a user who is not root', () => {
    const runtime = stage('runtime');
    const steps = runSteps(runtime);
    const installs = steps.filter((step) => step.startsWith('npm ci'));
    expect(installs).to.have.length(1);
    expect(installs[0]).to.contain('--omit=dev').and.to.contain('--ignore-scripts');
    expect(steps.some((step) => /npm (run )?build|tsc/.test(step))).to.equal(false);
    expect(all(runtime, 'COPY').filter((args) => args.startsWith('--from=build'))).to.deep.equal(['--from=build /app/dist ./dist', '--from=build /app/web-modeler/dist ./web-modeler/dist']);
    expect(all(runtime, 'COPY').filter((args) => !args.startsWith('--from='))).to.deep.equal(['package.json package-lock.json ./']);
    const users = all(runtime, 'USER');
    expect(users).to.have.length(1);
    expect(users[0]).to.not.match(/^(root|0)(:|$)/);
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(keywords.indexOf('USER'), 'USER after the last RUN').to.be.greaterThan(keywords.lastIndexOf('RUN'));
    expect(envOf(runtime).NODE_ENV).to.equal('production');
  });

  it('should expose the port, keep the data folder in a volume owned by the user, and check /health/ready with node', () => {
    const runtime = stage('runtime');
    const env = envOf(runtime);
    expect(all(runtime, 'EXPOSE')).to.deep.equal([env.PORT]);
    expect(all(runtime, 'VOLUME')).to.deep.equal(['["/app/data"]']);
    expect(env.DATA_DIR!.startsWith('/app/data/')).to.equal(true);
    expect(runSteps(runtime)).to.include(`mkdir -p /app/processes /app/decisions /app/data`).and.to.include(`chown ${all(runtime, 'USER')[0]}:${all(runtime, 'USER')[0]} /app/data`);
    const [healthcheck] = all(runtime, 'HEALTHCHECK');
    expect(healthcheck).to.match(/CMD \["node", "-e", .*\/health\/ready/);
    expect(healthcheck).to.not.match(/curl|wget/);
    expect(all(runtime, 'CMD')).to.deep.equal(['["node", "dist/src/main.js"]']);
  });

  it('should leave dependencies, build output and local data out of the build context', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).to.include.members(['node_modules', 'dist', 'web-modeler/dist', 'data', '.git']);
  });

  it('should run the engine in compose with PostgreSQL 15 and Kafka, started after both are healthy', () => {
    const compose = parseYaml(readFileSync(path.join(root, 'compose.yaml'), 'utf8'));
    const { postgres, kafka, engine } = compose.services;
    expect(postgres.image).to.match(/^postgres:15(\.|$)/);
    expect(kafka.image).to.match(/^apache\/kafka:\d/);
    expect(kafka.environment.KAFKA_PROCESS_ROLES).to.equal('broker,controller');
    for (const service of [postgres, kafka]) expect(service.healthcheck.test).to.be.an('array').with.length.above(1);
    expect(engine.build).to.equal('.');
    const url = new URL(engine.environment.DATABASE_URL);
    expect(url.protocol).to.equal('postgres:');
    expect(url.hostname).to.equal('postgres');
    expect(url.username).to.equal(postgres.environment.POSTGRES_USER);
    expect(url.password).to.equal(postgres.environment.POSTGRES_PASSWORD);
    expect(url.pathname).to.equal(`/${postgres.environment.POSTGRES_DB}`);
    expect(engine.environment.KAFKA_BROKERS).to.equal(kafka.environment.KAFKA_ADVERTISED_LISTENERS.replace('PLAINTEXT://', ''));
    expect(engine.depends_on).to.deep.equal({ postgres: { condition: 'service_healthy' }, kafka: { condition: 'service_healthy' } });
    expect(engine.ports).to.deep.equal([`${envOf(stage('runtime')).PORT}:${envOf(stage('runtime')).PORT}`]);
    expect(Number.parseInt(engine.stop_grace_period, 10)).to.be.greaterThan(Number(engine.environment.SHUTDOWN_GRACE_PERIOD));
  });
});

/** Runs the Dockerfile's stages in `work`: WORKDIR /app is each stage's own folder there. */
class DockerfileRun {
  readonly context: string;
  private readonly stageDirs = new Map<string, string>();

  constructor(private readonly work: string) {
    this.context = path.join(work, 'context');
  }

  stageDir(name: string): string {
    return this.stageDirs.get(name)!;
  }

  /** A path of the image (`/app/x`, or relative to WORKDIR) in the stage's folder. */
  private inStage(name: string, file: string): string {
    return path.join(this.stageDir(name), file.replace(/^\/app(\/|$)/, ''));
  }

  run(s: Stage): void {
    const dir = path.join(this.work, s.name);
    mkdirSync(dir, { recursive: true });
    this.stageDirs.set(s.name, dir);
    for (const { keyword, args } of s.instructions) {
      if (keyword === 'WORKDIR') expect(args, 'every stage works in /app').to.equal('/app');
      else if (keyword === 'COPY') this.copy(s.name, args);
      else if (keyword === 'RUN') for (const step of args.split('&&').map((text) => text.trim())) this.step(s.name, step);
    }
  }

  private copy(name: string, args: string): void {
    const from = /^--from=(\S+) /.exec(args)?.[1];
    const parts = args.replace(/^--from=\S+ /, '').split(' ');
    const target = parts.pop()!;
    for (const source of parts) {
      const origin = from ? this.inStage(from, source) : path.join(this.context, source);
      expect(existsSync(origin), `COPY ${args}: ${source} exists`).to.equal(true);
      const destination = target.endsWith('/') ? path.join(this.inStage(name, target), path.basename(source)) : this.inStage(name, target);
      cpSync(origin, destination, { recursive: true });
    }
  }

  private step(name: string, step: string): void {
    const dir = this.stageDir(name);
    if (step === 'npm cache clean --force') return;
    if (step.startsWith('chown ')) return; // ownership exists only in the image
    if (step.startsWith('mkdir -p ')) {
      for (const folder of step.slice('mkdir -p '.length).split(' ')) mkdirSync(this.inStage(name, folder), { recursive: true });
      return;
    }
    const result = spawnSync('sh', ['-c', step], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_ENV: undefined } });
    expect(result.status, `RUN ${step} failed:\n${result.stdout}\n${result.stderr}`).to.equal(0);
  }

}

/** Starts the runtime stage's CMD in its folder with its ENV (paths under /app mapped there) and `env` on top. */
async function startImageCommand(dir: string, imageEnv: Record<string, string>, env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const [command, ...args] = JSON.parse(all(stage('runtime'), 'CMD')[0]!) as string[];
  const mapped = Object.fromEntries(Object.entries(imageEnv).map(([name, value]) => [name, value.replace(/^\/app(\/|$)/, `${dir}$1`)]));
  // Only what the image would have: no TEST_DATABASE_URL or the like from this process.
  const child = spawn(command === 'node' ? process.execPath : command!, args, { cwd: dir, env: { PATH: process.env.PATH, ...mapped, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!/REST API: http/.test(output)) {
    if (child.exitCode !== null) throw new Error(`the image's command exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`the image's command did not start within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, output: () => output };
}

/** The HEALTHCHECK's command, run as Docker would inside the container (same environment). */
function runHealthcheck(dir: string, env: Record<string, string>): number | null {
  const [, json] = /CMD (\[.*\])$/.exec(all(stage('runtime'), 'HEALTHCHECK')[0]!)!;
  const [, ...args] = JSON.parse(json!) as string[];
  return spawnSync(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH, ...env }, timeout: 10_000 }).status;
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('docker: the Dockerfile steps in a clean copy of the repository', function () {
  this.timeout(900_000);
  let work: string;
  let build: DockerfileRun;

  before(function () {
    work = mkdtempSync(path.join(tmpdir(), 'engine-docker-'));
    build = new DockerfileRun(work);
    mkdirSync(build.context);
    // The build context: HEAD as committed, without what .dockerignore leaves out (git archive has no untracked files).
    const archive = spawnSync('sh', ['-c', `git -C "${root}" archive --format=tar HEAD | tar -x -C "${build.context}"`], { encoding: 'utf8' });
    expect(archive.status, archive.stderr).to.equal(0);
    for (const s of dockerfile.stages) build.run(s);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('should leave a runtime layout with the build output and no development dependency', () => {
    const dir = build.stageDir('runtime');
    expect(existsSync(path.join(dir, 'dist', 'src', 'main.js'))).to.equal(true);
    expect(existsSync(path.join(dir, 'web-modeler', 'dist', 'index.html'))).to.equal(true);
    expect(existsSync(path.join(dir, 'src'))).to.equal(false);
    for (const dev of ['typescript', 'mocha', 'esbuild', 'tsx', 'bpmn-js']) expect(existsSync(path.join(dir, 'node_modules', dev)), dev).to.equal(false);
    for (const prod of ['express', 'pino', 'knex', '@electric-sql/pglite']) expect(existsSync(path.join(dir, 'node_modules', prod)), prod).to.equal(true);
  });

  // As compose runs it: PostgreSQL and a Kafka broker; and as a quick start runs it: the embedded database alone.
  const databases: Array<[string, (test: Mocha.Context) => Promise<{ env: Record<string, string>; drop(): Promise<void> }>]> = [
    ['the embedded PGlite in the data volume', async () => ({ env: {}, drop: async () => {} })],
    ['PostgreSQL with Kafka', async (test) => {
      const database = await openTestPostgres();
      const broker = await startTestKafka(test, 'docker: the image with PostgreSQL and Kafka');
      return { env: { DATABASE_URL: database.url, KAFKA_BROKERS: broker.brokers.join(',') }, drop: async () => { await database.drop(); await broker.remove(); } };
    }],
  ];

  for (const [label, open] of databases) {
    it(`should start from the runtime layout on ${label}, pass its HEALTHCHECK and serve the built web app`, async function () {
      if (label.startsWith('PostgreSQL') && !testDatabaseUrl()) this.skip();
      // given the image's command with the image's environment
      const dir = build.stageDir('runtime');
      const database = await open(this);
      const port = String(await freePort());
      const server = await startImageCommand(dir, envOf(stage('runtime')), { ...database.env, PORT: port, HOST: '127.0.0.1' });
      try {
        // then the HEALTHCHECK passes and /health/ready says why
        expect(runHealthcheck(dir, { PORT: port })).to.equal(0);
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(ready.status).to.equal(200);
        const checks = ((await ready.json()) as { checks: Record<string, { status: string }> }).checks;
        expect(checks.migrations!.status).to.equal('UP');
        if (database.env.KAFKA_BROKERS) expect(checks.kafka!.status).to.equal('UP');
        // and / serves the bundle the build stage made, with its assets
        const index = await (await fetch(`http://127.0.0.1:${port}/`)).text();
        const asset = /(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/.exec(index)?.[1];
        expect(asset, index).to.be.a('string');
        expect(readFileSync(path.join(dir, 'web-modeler', 'dist', 'index.html'), 'utf8')).to.equal(index);
        expect((await fetch(`http://127.0.0.1:${port}/${asset}`)).status).to.equal(200);
        if (!database.env.DATABASE_URL) expect(existsSync(path.join(dir, 'data', 'pglite'))).to.equal(true);
      } finally {
        // and SIGTERM (docker stop) ends it cleanly
        expect(await stop(server.child), server.output()).to.equal(0);
        await database.drop();
      }
      // and with nothing listening the HEALTHCHECK fails
      expect(runHealthcheck(dir, { PORT: port })).to.equal(1);
    });
  }

  it('should refuse a bad configuration value with one line and exit 1, as `npm start` runs it', () => {
    const dir = build.stageDir('runtime');
    const packageJson = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(packageJson.scripts.start).to.equal(JSON.parse(all(stage('runtime'), 'CMD')[0]!).join(' '));
    const result = spawnSync('npm', ['start', '--silent'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, LOG_LEVEL: 'verbose' } });
    expect(result.status).to.equal(1);
    expect(result.stdout + result.stderr).to.equal("LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'verbose'\n");
  });
});
