/**
 * Fills an engine's history with many completed instances without running them: every history row of a few real
 * completed instances is copied with INSERT … SELECT over generate_series, with fresh ids and instance ids.
 */
import pg from 'pg';

/** Where an engine keeps its history, and how to find completed instances of a process there. */
export interface HistorySchema {
  /** LIKE pattern of the history tables, e.g. hist\_% or act\_hi\_%. */
  tablePattern: string;
  /** A query for up to $2 completed instance ids of process key $1. */
  completedInstances: string;
}

export const OUR_HISTORY: HistorySchema = {
  tablePattern: 'hist\\_%',
  completedInstances: "select id from hist_process_instance where process_definition_key = $1 and state = 'COMPLETED' and super_process_instance_id is null order by start_time limit $2",
};

export const OPERATON_HISTORY: HistorySchema = {
  tablePattern: 'act\\_hi\\_%',
  completedInstances: "select id_ as id from act_hi_procinst where proc_def_key_ = $1 and state_ = 'COMPLETED' and super_process_instance_id_ is null order by start_time_ limit $2",
};

/** Columns holding a process instance's id: the own, root, super and called instance, in either engine's naming. */
const INSTANCE_COLUMN = /(^|_)(proc_inst_id_|process_instance_id_?)$/;
/** Preferred column to select a table's rows of the source instances by. */
const FILTER_COLUMNS = ['process_instance_id', 'proc_inst_id_', 'root_process_instance_id', 'root_proc_inst_id_'];

export interface GrowthResult {
  sourceInstances: number;
  copiesPerSource: number;
  instancesAdded: number;
  /** Rows inserted per table. */
  rows: Record<string, number>;
  ms: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The instance counts: the most source instances (up to 5) that divide `instances`, so every copy is complete. */
export function growthPlan(instances: number): { sources: number; copies: number } {
  const sources = [5, 4, 3, 2, 1].find((n) => instances % n === 0)!;
  return { sources, copies: instances / sources };
}

/**
 * Adds `instances` completed instances of `processKey` to the history of the database at `url` and analyzes it.
 * Primary-key and instance-id columns get md5-derived uuids of (old value, copy number), so the copies of one
 * instance's rows still point at each other; every other column keeps its value.
 */
export async function growHistory(url: string, schema: HistorySchema, processKey: string, instances: number): Promise<GrowthResult> {
  const began = performance.now();
  const { sources, copies } = growthPlan(instances);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sourceIds = (await client.query<{ id: string }>(schema.completedInstances, [processKey, sources])).rows.map((row) => row.id);
    if (sourceIds.length < sources) throw new Error(`only ${sourceIds.length} completed instances of ${processKey} to copy, need ${sources}`);
    const columns = (await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
       where table_schema = current_schema() and table_name like $1 order by table_name, ordinal_position`,
      [schema.tablePattern],
    )).rows;
    const keys = (await client.query<{ table_name: string; column_name: string }>(
      `select k.table_name, k.column_name from information_schema.table_constraints c
       join information_schema.key_column_usage k on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
       where c.table_schema = current_schema() and c.constraint_type = 'PRIMARY KEY' and c.table_name like $1`,
      [schema.tablePattern],
    )).rows;
    const byTable = new Map<string, Array<{ name: string; type: string }>>();
    for (const column of columns) {
      let list = byTable.get(column.table_name);
      if (!list) byTable.set(column.table_name, (list = []));
      list.push({ name: column.column_name, type: column.data_type });
    }
    const rows: Record<string, number> = {};
    await client.query('begin');
    for (const [table, tableColumns] of byTable) {
      const names = new Set(tableColumns.map((c) => c.name));
      const filter = FILTER_COLUMNS.find((name) => names.has(name));
      if (!filter) continue;
      const primary = new Set(keys.filter((k) => k.table_name === table).map((k) => k.column_name));
      const select = tableColumns.map(({ name, type }) => {
        if (!primary.has(name) && !INSTANCE_COLUMN.test(name)) return quote(name);
        if (!/char|text|uuid/.test(type)) throw new Error(`${table}.${name} is ${type}; only text ids can be replaced`);
        return `case when ${quote(name)} is null then null else md5(${quote(name)}::text || ':' || copy)::uuid${type === 'uuid' ? '' : '::text'} end`;
      });
      const result = await client.query(
        `insert into ${quote(table)} (${tableColumns.map((c) => quote(c.name)).join(', ')})
         select ${select.join(', ')} from ${quote(table)} cross join generate_series(1, $2::int) as copy
         where ${quote(filter)}::text = any($1::text[])`,
        [sourceIds, copies],
      );
      rows[table] = result.rowCount ?? 0;
    }
    await client.query('commit');
    await client.query('analyze');
    return { sourceInstances: sources, copiesPerSource: copies, instancesAdded: sources * copies, rows, ms: performance.now() - began };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
