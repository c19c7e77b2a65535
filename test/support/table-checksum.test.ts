/** checksumTables: equal for unchanged contents, different after any row changes, on both back ends. */
import { expect } from 'chai';
import { checksumTables } from './table-checksum.js';
import { describeOnDatabases } from './test-databases.js';

describeOnDatabases('checksumTables', (use) => {
  it('should stay equal when nothing changed and differ after a write', async () => {
    const { knex } = use();
    const before = await checksumTables(knex);
    expect(await checksumTables(knex)).to.equal(before);
    await knex('engine_meta').insert({ key: 'checksum', value: '1' });
    const afterInsert = await checksumTables(knex);
    expect(afterInsert).to.not.equal(before);
    await knex('engine_meta').where({ key: 'checksum' }).update({ value: '2' });
    expect(await checksumTables(knex)).to.not.equal(afterInsert);
    await knex('engine_meta').where({ key: 'checksum' }).delete();
    expect(await checksumTables(knex)).to.equal(before);
  });

  it('should ignore rows in knex migration tables', async () => {
    const { knex } = use();
    const before = await checksumTables(knex);
    await knex('knex_migrations').insert({ name: 'fake', batch: 99, migration_time: new Date() });
    try {
      expect(await checksumTables(knex)).to.equal(before);
    } finally {
      await knex('knex_migrations').where({ name: 'fake' }).delete();
    }
  });
});
