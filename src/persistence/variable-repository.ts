/** Runtime variables: the source of truth for every value an instance holds (DESIGN §4 step 5). */
import type { StoredValue, ValueType } from '../core/typed-value.js';
import type { Knex } from 'knex';
import type { Db } from './database.js';
import { statementChunks } from './statement-chunks.js';

export interface VariableRow {
  id: string;
  process_instance_id: string;
  scope_id: string;
  name: string;
  type: string;
  text_value: string | null;
  bytes_value: Buffer | null;
  value_info: Record<string, unknown>;
  create_time: Date;
}

const VARIABLE_COLUMNS_WITHOUT_CONTENT = ['id', 'process_instance_id', 'scope_id', 'name', 'type', 'text_value', 'value_info', 'create_time'];

export function storedValueOf(row: Pick<VariableRow, 'type' | 'text_value' | 'bytes_value' | 'value_info'>): StoredValue {
  // PGlite returns bytea as a Uint8Array, node-pg as a Buffer.
  return { type: row.type as ValueType, text: row.text_value, bytes: row.bytes_value ? Buffer.from(row.bytes_value) : null, valueInfo: row.value_info ?? {} };
}

export async function listVariables(db: Db, scopeId: string): Promise<VariableRow[]> {
  return db<VariableRow>('variable').where({ scope_id: scopeId }).orderBy('name');
}

/** The variables of several scopes in one query, by scope id (a scope without variables is absent). */
export async function listVariablesOfScopes(db: Db, scopeIds: readonly string[]): Promise<Map<string, VariableRow[]>> {
  const byScope = new Map<string, VariableRow[]>();
  if (scopeIds.length === 0) return byScope;
  for (const row of await db<VariableRow>('variable').whereIn('scope_id', [...new Set(scopeIds)]).orderBy('name')) {
    byScope.set(row.scope_id, [...(byScope.get(row.scope_id) ?? []), row]);
  }
  return byScope;
}

/** Every variable of an instance; without `withContent`, Bytes and File variables come without their content. */
export async function listVariablesOfInstance(db: Db, processInstanceId: string, options: { withContent?: boolean } = {}): Promise<VariableRow[]> {
  const query = db<VariableRow>('variable').where({ process_instance_id: processInstanceId }).orderBy('name');
  if (options.withContent === false) query.select(VARIABLE_COLUMNS_WITHOUT_CONTENT).select(db.raw('null::bytea as bytes_value'));
  return query;
}

export async function findVariable(db: Db, scopeId: string, name: string): Promise<VariableRow | undefined> {
  return db<VariableRow>('variable').where({ scope_id: scopeId, name }).first();
}

/** A variable without its binary content (bytes_value null), and the content's length in bytes. */
export type VariableHeaderRow = VariableRow & { content_length: number | null };

function variableHeaders(db: Db): Knex.QueryBuilder {
  return db('variable').select(VARIABLE_COLUMNS_WITHOUT_CONTENT).select(db.raw('null::bytea as bytes_value'), db.raw('octet_length(bytes_value) as content_length'));
}

export async function findVariableHeader(db: Db, scopeId: string, name: string): Promise<VariableHeaderRow | undefined> {
  return variableHeaders(db).where({ scope_id: scopeId, name }).first();
}

export async function findVariableHeaderById(db: Db, id: string): Promise<VariableHeaderRow | undefined> {
  return variableHeaders(db).where({ id }).first();
}

/** The tables that keep a binary value in `bytes_value`: runtime variables, their history, and each update's detail. */
export type ContentTable = 'variable' | 'hist_variable_instance' | 'hist_detail';

/** `length` bytes of a binary value's content from `offset` (one piece of a download), and the content's whole length. */
export async function readContentPiece(db: Db, table: ContentTable, id: string, offset: number, length: number): Promise<{ piece: Buffer; contentLength: number } | undefined> {
  const row = await db(table)
    .select(db.raw('substring(bytes_value from ? for ?) as piece', [offset + 1, length]), db.raw('octet_length(bytes_value) as content_length'))
    .where({ id })
    .first();
  // PGlite returns bytea as a Uint8Array, node-pg as a Buffer.
  return row?.piece ? { piece: Buffer.from(row.piece.buffer, row.piece.byteOffset, row.piece.byteLength), contentLength: Number(row.content_length) } : undefined;
}

/** Appends pieces to a variable's binary content, one statement per piece, so no statement carries all of it. */
export async function appendVariableContent(db: Db, variableId: string, pieces: readonly Buffer[]): Promise<void> {
  for (const piece of pieces) await db('variable').where({ id: variableId }).update({ bytes_value: db.raw('bytes_value || ?::bytea', [piece]) });
}

/** Inserts or replaces variables (distinct scope and name each) in one statement; returns the rows as stored, in order. */
export async function upsertVariables(db: Db, rows: VariableRow[]): Promise<VariableRow[]> {
  const stored: VariableRow[] = [];
  for (const chunk of statementChunks(rows)) {
    stored.push(...((await db('variable')
      .insert(chunk.map((row) => ({ ...row, value_info: JSON.stringify(row.value_info) })))
      .onConflict(['scope_id', 'name'])
      .merge(['type', 'text_value', 'bytes_value', 'value_info'])
      .returning('*')) as VariableRow[]));
  }
  const byKey = new Map(stored.map((row) => [`${row.scope_id}\u0000${row.name}`, row]));
  return rows.map((row) => byKey.get(`${row.scope_id}\u0000${row.name}`)!);
}

export async function deleteVariable(db: Db, scopeId: string, name: string): Promise<VariableRow | undefined> {
  const [deleted] = await db('variable').where({ scope_id: scopeId, name }).delete().returning('*');
  return deleted as VariableRow | undefined;
}

export async function deleteVariablesOfScope(db: Db, scopeId: string): Promise<void> {
  await db('variable').where({ scope_id: scopeId }).delete();
}

/** Deletes the variables of several scopes in one statement. */
export async function deleteVariablesOfScopes(db: Db, scopeIds: readonly string[]): Promise<void> {
  if (scopeIds.length > 0) await db('variable').whereIn('scope_id', scopeIds).delete();
}

