/**
 * The built server as `npm start` runs it, with OTEL_TRACES_EXPORTER=console on PostgreSQL: the instrumentations are
 * registered before express, pg, kafkajs and http load (an ESM entry), so one request shows HTTP, Express, pg and
 * engine spans in one trace, flushed on SIGTERM, and no variable value in any of them; with Kafka, the delivery's
 * kafkajs send span links to that request's trace.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { openTestPostgres, requirePostgres } from '../support/test-databases.js';
import { startTestKafka } from '../support/test-kafka.js';
import { processesFolderWith, signalServer, startServerProcess, type ServerProcess } from '../support/server-process.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CANARY = `PATIENT-CANARY-${randomBytes(4).toString('hex')}`;

interface PrintedSpan {
  traceId: string;
  parentId: string | undefined;
  id: string;
  name: string;
  text: string;
}

/** The spans ConsoleSpanExporter printed (util.inspect of each span, top-level keys indented by two spaces). */
function printedSpans(output: string): PrintedSpan[] {
  const spans: PrintedSpan[] = [];
  for (const block of output.split(/^\{$/m).slice(1)) {
    const text = block.slice(0, block.search(/^\}$/m));
    const traceId = /^ {2}traceId: '([0-9a-f]{32})'/m.exec(text)?.[1];
    const name = /^ {2}name: '((?:[^'\\]|\\.)*)'/m.exec(text)?.[1];
    const id = /^ {2}id: '([0-9a-f]{16})'/m.exec(text)?.[1];
    if (!traceId || name === undefined || !id) continue;
    const parentId = /^ {2}parentSpanContext: \{[^}]*?spanId: '([0-9a-f]{16})'/ms.exec(text)?.[1];
    spans.push({ traceId, parentId, id, name, text });
  }
  return spans;
}

describe('telemetry: the built entry traces HTTP, pg and the engine', function () {
  this.timeout(240_000);
  let database: { url: string; drop(): Promise<void> } | undefined;
  let server: ServerProcess | undefined;

  before(async function () {
    requirePostgres(this, 'telemetry: the built entry (postgresql)');
    // What `npm start` runs is dist/: compile the server (the web bundle is not needed here).
    const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: projectRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (${build.status}):\n${build.stdout}\n${build.stderr}`);
    database = await openTestPostgres();
  });

  after(async () => {
    if (server) {
      signalServer(server, 'SIGKILL');
      await server.exited();
    }
    await database?.drop();
  });

  it('should print connected HTTP, Express, pg and engine spans for a start request, without its variable values', async () => {
    // given: the server as the README starts it, tracing to the console
    server = await startServerProcess({ DATABASE_URL: database!.url, PROCESSES_DIR: processesFolderWith('single-user-task.bpmn'), OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'entry-test', JOB_EXECUTOR: 'false' }, 60_000, 'npm-start');
    expect(server.output()).to.contain('Tracing: service entry-test');

    // when: a client starts an instance with a variable holding patient data, then the server stops
    const response = await fetch(`${server.restUrl}/process-definition/key/single-user-task/start?variables=x_eq_${CANARY}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ variables: { patient: { value: CANARY, type: 'String' } } }),
    });
    expect(response.status).to.equal(200);
    const { id } = (await response.json()) as { id: string };
    // (npm itself ends by the signal, so its exit code says nothing about the server's)
    signalServer(server, 'SIGTERM');
    await server.exited();

    // then: the HTTP server span of the request is the root of a trace holding Express, pg and engine spans
    const spans = printedSpans(server.output());
    const request = spans.find((span) => /^POST( |$)/.test(span.name) && span.text.includes('/process-definition/key/'));
    expect(request, `an HTTP server span among ${spans.map((span) => span.name).join(', ')}`).to.not.equal(undefined);
    const trace = spans.filter((span) => span.traceId === request!.traceId);
    const names = trace.map((span) => span.name);
    expect(names).to.include('bpmn.command start process instance');
    expect(names).to.include('bpmn.activity userTask Task_Review');
    expect(names.some((name) => name.startsWith('pg.query'))).to.equal(true);
    expect(names.some((name) => name.startsWith('request handler') || name.startsWith('router'))).to.equal(true);
    const command = trace.find((span) => span.name === 'bpmn.command start process instance')!;
    expect(command.text).to.contain(`'bpmn.process_instance.id': '${id}'`);
    const ids = new Set(trace.map((span) => span.id));
    for (const span of trace) if (span !== request) expect(ids.has(span.parentId!), `the parent of ${span.name} is in the trace`).to.equal(true);

    // and: neither the variable nor the query string's value is in any span
    for (const span of spans) expect(span.text, span.name).not.to.contain('CANARY');
  });

  it('should print a kafkajs send span for an external task delivered over Kafka, linked to the request that created it', async function () {
    // given: the server with a Kafka broker, tracing to the console
    const broker = await startTestKafka(this, 'telemetry: the built entry with Kafka');
    try {
      server = await startServerProcess({ DATABASE_URL: database!.url, PROCESSES_DIR: processesFolderWith('single-external-task.bpmn'), OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'entry-test', JOB_EXECUTOR: 'false', KAFKA_BROKERS: broker.brokers.join(',') }, 60_000, 'npm-start');

      // when: a client starts an instance whose external task the outbox relay publishes, then the server stops
      const response = await fetch(`${server.restUrl}/process-definition/key/single-external-task/start`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ variables: { patient: { value: CANARY, type: 'String' } } }),
      });
      expect(response.status).to.equal(200);
      const metricsUrl = server.restUrl.replace(/\/engine-rest$/, '/metrics');
      const deadline = Date.now() + 30_000;
      while (!/^engine_kafka_deliveries_published_total [1-9]/m.test(await (await fetch(metricsUrl)).text())) {
        if (Date.now() > deadline) throw new Error(`no delivery published within 30 s:\n${server.output().slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      signalServer(server, 'SIGTERM');
      await server.exited();

      // then: a kafkajs producer span was printed, linked to the trace of the start request
      const spans = printedSpans(server.output());
      const request = spans.find((span) => /^POST( |$)/.test(span.name) && span.text.includes('/process-definition/key/single-external-task/start'));
      expect(request, `an HTTP server span among ${spans.map((span) => span.name).join(', ')}`).to.not.equal(undefined);
      const send = spans.find((span) => span.text.includes("'messaging.system': 'kafka'") && span.text.includes('.jobs.work'));
      expect(send, `a kafkajs span among ${spans.map((span) => span.name).join(', ')}`).to.not.equal(undefined);
      expect(send!.text).to.contain(request!.traceId);
      for (const span of spans) expect(span.text, span.name).not.to.contain('CANARY');
    } finally {
      await broker.remove();
    }
  });
});
