/** The server as users start it: start-up deploy, where it says the API and data are, the data-folder lock, SIGTERM. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processesFolderWith, runServerToExit, startServerProcess, stopServer, type ServerProcess } from './support/server-process.js';
import { openTestPostgres, requirePostgres } from './support/test-databases.js';


async function definitions(server: ServerProcess): Promise<Array<{ key: string; version: number }>> {
  const res = await fetch(`${server.restUrl}/process-definition?sortBy=key&sortOrder=asc`);
  return (await res.json()) as Array<{ key: string; version: number }>;
}


describe('main: the server process', function () {
  this.timeout(120_000);
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'engine-main-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('should deploy processes/ on the embedded database, say where the API and data live, and add no version on restart', async () => {
    const env = { DATA_DIR: path.join(root, 'data'), PROCESSES_DIR: processesFolderWith('single-user-task.bpmn', 'invoice-approval.bpmn') };
    let server = await startServerProcess(env);
    expect(server.output()).to.contain(`embedded PGlite in ${path.join(root, 'data')}`);
    expect((await definitions(server)).map((d) => [d.key, d.version])).to.deep.equal([['invoice-approval', 1], ['single-user-task', 1]]);
    await stopServer(server);

    server = await startServerProcess(env);
    expect((await definitions(server)).map((d) => d.version)).to.deep.equal([1, 1]);
    await stopServer(server);
  });

  it('should refuse a second server on the same data folder, naming the holder', async () => {
    const env = { DATA_DIR: path.join(root, 'data'), PROCESSES_DIR: processesFolderWith('single-user-task.bpmn', 'invoice-approval.bpmn') };
    const server = await startServerProcess(env);
    try {
      const second = await runServerToExit(env);
      expect(second.code).to.not.equal(0);
      expect(second.output).to.contain(String(server.child.pid));
    } finally {
      await stopServer(server);
    }
  });

  it('should create one version when two nodes start together on one PostgreSQL', async function () {
    requirePostgres(this, 'main: two nodes (postgresql)');
    const database = await openTestPostgres();
    const env = { DATABASE_URL: database.url, PROCESSES_DIR: processesFolderWith('single-user-task.bpmn', 'invoice-approval.bpmn') };
    try {
      const nodes = await Promise.all([startServerProcess(env), startServerProcess(env)]);
      expect((await definitions(nodes[0])).map((d) => [d.key, d.version])).to.deep.equal([['invoice-approval', 1], ['single-user-task', 1]]);
      const deployments = (await (await fetch(`${nodes[1].restUrl}/deployment/count`)).json()) as { count: number };
      expect(deployments.count).to.equal(1);
      await Promise.all(nodes.map(stopServer));
    } finally {
      await database.drop();
    }
  });
});
