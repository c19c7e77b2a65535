/** openDatabase on both back ends: migrations, one type mapping, and the PGlite data-folder lock and damage check. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { migrations } from '../../migrations/index.js';
import { DamagedDataFolderError, openDatabase, redactUrl } from '../../src/persistence/database.js';
import { describeOnDatabases } from '../support/test-databases.js';

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** The pid of a process that has exited, for a lock file that looks stale. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describeOnDatabases('openDatabase', (use) => {
  it('should run the migrations before returning', async () => {
    const names = await use().knex('knex_migrations').orderBy('id').pluck('name');
    expect(names).to.deep.equal(migrations.map((m) => m.name));
    await use().knex('engine_meta').insert({ key: 'migrated', value: 'yes' });
    expect(await use().knex('engine_meta').where({ key: 'migrated' }).first()).to.deep.equal({ key: 'migrated', value: 'yes' });
  });

  it('should return int8 and count(*) as strings', async () => {
    const { rows } = await use().knex.raw('select count(*) as n, 9007199254740993::int8 as big, 7::int4 as small');
    expect(rows[0]).to.deep.equal({ n: '1', big: '9007199254740993', small: 7 });
    const [{ count }] = await use().knex('engine_meta').count({ count: '*' });
    expect(count).to.be.a('string');
  });

  it('should return timestamps as Date', async () => {
    const { rows } = await use().knex.raw(`select timestamptz '2024-01-02T03:04:05.678Z' as t`);
    expect(rows[0].t).to.be.instanceOf(Date);
    expect((rows[0].t as Date).toISOString()).to.equal('2024-01-02T03:04:05.678Z');
  });

  it('should report its kind and a location without secrets', () => {
    const db = use();
    if (db.kind === 'pglite') expect(db.location).to.equal('memory');
    else expect(db.location).to.match(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_[0-9a-f]+$/);
  });
});

describe('redactUrl', () => {
  it('should hide the password of a PostgreSQL URL', () => {
    expect(redactUrl('postgres://engine:s3cret@db:5432/engine')).to.equal('postgres://engine:***@db:5432/engine');
  });
});

describe('openDatabase with a PGlite data folder', function () {
  this.timeout(60_000);
  let tmp: string;
  let dataDir: string;

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'engine-pglite-test-'));
    dataDir = join(tmp, 'data');
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('should keep data across close and reopen', async () => {
    const first = await openDatabase({ dataDir });
    await first.knex('engine_meta').insert({ key: 'k', value: 'v' });
    expect(first.location).to.equal(dataDir);
    await first.close();
    const second = await openDatabase({ dataDir });
    try {
      expect(await second.knex('engine_meta').pluck('value')).to.deep.equal(['v']);
    } finally {
      await second.close();
    }
  });

  it('should refuse a second opener of the same folder and name the holding pid', async () => {
    const db = await openDatabase({ dataDir });
    try {
      const error = await rejectionOf(openDatabase({ dataDir }));
      expect(error.message).to.contain(`in use by process ${process.pid}`).and.to.contain(dataDir);
    } finally {
      await db.close();
    }
  });

  it('should refuse when another live process holds the lock', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      const db = await openDatabase({ dataDir });
      await db.close();
      writeFileSync(join(dataDir, 'engine.lock'), `${holder.pid}\n`);
      const error = await rejectionOf(openDatabase({ dataDir }));
      expect(error.message).to.contain(`in use by process ${holder.pid}`);
    } finally {
      holder.kill();
    }
  });

  it('should take over a stale lock left by a dead process', async () => {
    const db = await openDatabase({ dataDir });
    await db.close();
    writeFileSync(join(dataDir, 'engine.lock'), `${await deadPid()}\n`);
    const reopened = await openDatabase({ dataDir });
    try {
      expect(readFileSync(join(dataDir, 'engine.lock'), 'utf8').trim()).to.equal(String(process.pid));
    } finally {
      await reopened.close();
    }
  });

  it('should release the lock on close', async () => {
    const db = await openDatabase({ dataDir });
    expect(existsSync(join(dataDir, 'engine.lock'))).to.equal(true);
    await db.close();
    expect(existsSync(join(dataDir, 'engine.lock'))).to.equal(false);
  });

  it('should throw DamagedDataFolderError with recovery advice for a damaged folder', async () => {
    const db = await openDatabase({ dataDir });
    await db.close();
    // Garbage over the control file: the same "cannot start" outcome as an unclean shutdown mid-write.
    writeFileSync(join(dataDir, 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));
    const error = await rejectionOf(openDatabase({ dataDir }));
    expect(error).to.be.instanceOf(DamagedDataFolderError);
    expect(error.message).to.contain(dataDir).and.to.contain('DATABASE_URL').and.to.contain('move the folder aside');
    expect(existsSync(join(dataDir, 'engine.lock'))).to.equal(false);
  });
});
