/** `npm run create-admin`: the first administrator, created by the command-line tool in the database the server then uses. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { openTestPostgres, requirePostgres } from '../support/test-databases.js';
import { processesFolderWith, startServerProcess, stopServer } from '../support/server-process.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the tool as a user would, the password on stdin; resolves its exit code and output. */
function createAdmin(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'cli', 'create-admin.ts'), ...args], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** The scenario on one database: create the admin, refuse a second run, then sign in over HTTP and act as admin. */
async function firstAdministrator(env: Record<string, string>): Promise<void> {
  // when the operator creates the first administrator with the password on stdin
  const created = await createAdmin(['--id', 'admin', '--first-name', 'Ada', '--email', 'ada@example.org'], env, 'Adm1n pass\n');
  expect(created.code, created.stderr).to.equal(0);
  expect(created.stdout).to.contain("Created user 'admin' as a member of 'camunda-admin' (group created)");
  expect(created.stdout + created.stderr).to.not.contain('Adm1n pass');

  // then running it again changes nothing and says why, with a failing exit code
  const again = await createAdmin(['--id', 'admin'], env, 'other\n');
  expect(again.code).to.equal(1);
  expect(again.stderr).to.contain("A user with id 'admin' already exists. Nothing was changed");
  // and usage mistakes are refused before anything is touched
  expect((await createAdmin([], env, 'x\n')).code).to.equal(2);
  expect((await createAdmin(['--id', 'second'], env, '')).stderr).to.contain('The password is empty');

  // and the server on the same database authenticates the administrator, who may manage users
  const server = await startServerProcess({ ...env, AUTHENTICATION: 'basic', PROCESSES_DIR: processesFolderWith('single-user-task.bpmn') });
  try {
    expect((await fetch(`${server.restUrl}/user`)).status).to.equal(401);
    expect((await fetch(`${server.restUrl}/user`, { headers: basic('admin', 'wrong') })).status).to.equal(401);
    const profiles = await fetch(`${server.restUrl}/user`, { headers: basic('admin', 'Adm1n pass') });
    expect(profiles.status).to.equal(200);
    expect(await profiles.json()).to.deep.equal([{ id: 'admin', firstName: 'Ada', lastName: null, email: 'ada@example.org' }]);
    const group = await (await fetch(`${server.restUrl}/group/camunda-admin`, { headers: basic('admin', 'Adm1n pass') })).json();
    expect(group).to.deep.equal({ id: 'camunda-admin', name: 'camunda BPM Administrators', type: 'SYSTEM' });
    const createUser = await fetch(`${server.restUrl}/user/create`, { method: 'POST', headers: { ...basic('admin', 'Adm1n pass'), 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { id: 'anna' }, credentials: { password: 'anna-pw' } }) });
    expect(createUser.status).to.equal(204);
  } finally {
    await stopServer(server);
  }
}

describe('cli/create-admin', function () {
  this.timeout(120_000);
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'create-admin-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('should create the first administrator in the embedded database of DATA_DIR', async () => {
    await firstAdministrator({ DATA_DIR: path.join(root, 'data') });
  });

  it('should create the first administrator in the PostgreSQL of DATABASE_URL', async function () {
    requirePostgres(this, 'cli/create-admin (postgresql)');
    const scratch = await openTestPostgres();
    try {
      await firstAdministrator({ DATABASE_URL: scratch.url });
    } finally {
      await scratch.drop();
    }
  });
});
