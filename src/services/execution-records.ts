/** The engine's execution records as stored rows and back. */
import type { ExecutionRecord } from '../engine/index.js';
import type { ExecutionRow } from '../persistence/execution-repository.js';

export function executionRowOf(processInstanceId: string, record: ExecutionRecord): ExecutionRow {
  return {
    id: record.id, process_instance_id: processInstanceId, parent_id: record.parentId, engine_scope_id: record.engineScopeId,
    scope_activity_id: record.scopeActivityId, engine_token_id: record.engineTokenId, activity_id: record.activityId,
    is_concurrent: record.isConcurrent, is_scope: record.isScope, is_active: record.isActive,
  };
}

export function executionRecordOf(row: ExecutionRow): ExecutionRecord {
  return {
    id: row.id, parentId: row.parent_id, engineScopeId: row.engine_scope_id, scopeActivityId: row.scope_activity_id, engineTokenId: row.engine_token_id,
    activityId: row.activity_id, isConcurrent: row.is_concurrent, isScope: row.is_scope, isActive: row.is_active,
  };
}
