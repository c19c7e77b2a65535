/**
 * Camunda's execution tree of one instance, derived from the engine's activity runs: a scope execution per scope
 * activity instance, concurrent executions while a scope has two or more tokens, compacted back when one remains.
 */
import { newId } from '../core/ids.js';

/** How an activity takes part in the tree, as Camunda's parser decides (BpmnParse `isScope`). */
export type ScopeKind =
  /** Runs in whatever execution holds its token: gateways, none events, user, script and service tasks. */
  | 'leaf'
  /** Gets its own scope execution and holds no tokens inside: external tasks, call activities, catch events, event-based gateways, receive tasks with a message, and activities with boundary events or input/output mappings. */
  | 'scope'
  /** A scope whose inner activities are tokens of their own: sub-processes and multi-instance bodies. */
  | 'container';

/** One execution as it is stored; `engineScopeId`/`engineTokenId` tie it to the engine's runs. */
export interface ExecutionRecord {
  id: string;
  parentId: string | null;
  /** The engine run this execution is the scope execution of (null for the process instance and concurrent executions). */
  engineScopeId: string | null;
  /** The activity of that scope run. */
  scopeActivityId: string | null;
  /** The engine run of a non-scope activity this execution executes. */
  engineTokenId: string | null;
  /** Camunda's `activityId` of the execution: what it executes now, if anything. */
  activityId: string | null;
  isConcurrent: boolean;
  isScope: boolean;
  isActive: boolean;
}

/** A change of the engine's runs in one command, in the order the engine made them. */
export type RunEvent =
  | { type: 'start'; runId: string; activityId: string; kind: ScopeKind; scopeRunId: string | null; predecessorRunId: string | null; active?: boolean }
  | { type: 'end'; runId: string }
  /** A token that stays in its scope without executing anything: a completed parallel multi-instance iteration. */
  | { type: 'park'; runId: string }
  /** Tokens named `prefix…` in a scope end together: the arrivals at a parallel join that fired, a multi-instance body's iterations. */
  | { type: 'endTokens'; prefix: string; scopeRunId: string | null };

interface Run {
  id: string;
  activityId: string;
  kind: ScopeKind;
  /** The enclosing container run; null is the process instance. */
  scopeRunId: string | null;
  concurrentId: string | null;
  scopeExecutionId: string | null;
  active: boolean;
  predecessorRunId: string | null;
  /** Runs beside its scope's tokens in an execution of its own, without making them concurrent. */
  detached: boolean;
}

export class ExecutionTree {
  private readonly runs = new Map<string, Run>();
  /** Runs that ended in this command, for the concurrent execution ids their successors inherit. */
  private readonly endedRuns = new Map<string, Run>();
  /** The execution that executes each run: as stored until records() runs, then as derived. */
  private readonly executionOf = new Map<string, string>();

  /**
   * `detachedActivities`: activities that run beside their scope's tokens in a child execution of the scope's own,
   * never concurrent: compensation handlers, which Camunda runs in the event scope executions of what they undo.
   */
  constructor(readonly processInstanceId: string, records: readonly ExecutionRecord[] = [], private readonly detachedActivities: ReadonlySet<string> = new Set()) {
    const byId = new Map(records.map((record) => [record.id, record]));
    const parents = new Set(records.map((record) => record.parentId));
    const scopeOfRecord = (record: ExecutionRecord | undefined): string | null => {
      if (!record) return null;
      const scopeRecord = record.isConcurrent ? byId.get(record.parentId ?? '') : record;
      return scopeRecord?.engineScopeId ?? null;
    };
    for (const record of records) {
      // Until records() derives the tree anew, each run is executed where the stored tree put it.
      for (const runId of [record.engineScopeId, record.engineTokenId]) if (runId) this.executionOf.set(runId, record.id);
      const parent = record.parentId ? byId.get(record.parentId) : undefined;
      if (record.engineScopeId) {
        const kind: ScopeKind = record.engineTokenId === null && record.activityId === record.scopeActivityId && !parents.has(record.id) ? 'scope' : 'container';
        this.runs.set(record.engineScopeId, {
          id: record.engineScopeId, activityId: record.scopeActivityId ?? '', kind, scopeRunId: scopeOfRecord(parent),
          concurrentId: parent?.isConcurrent ? parent.id : null, scopeExecutionId: record.id, active: true, predecessorRunId: null,
          detached: detachedActivities.has(record.scopeActivityId ?? ''),
        });
      }
      if (record.engineTokenId) {
        const detached = detachedActivities.has(record.activityId ?? '');
        this.runs.set(record.engineTokenId, {
          id: record.engineTokenId, activityId: record.activityId ?? '', kind: 'leaf', scopeRunId: detached ? scopeOfRecord(parent) : scopeOfRecord(record),
          concurrentId: record.isConcurrent ? record.id : null, scopeExecutionId: detached ? record.id : null, active: record.isActive, predecessorRunId: null, detached,
        });
      }
    }
  }

  apply(event: RunEvent): void {
    if (event.type === 'start') {
      const existing = this.runs.get(event.runId);
      if (existing) {
        existing.kind = event.kind;
        return;
      }
      const detached = this.detachedActivities.has(event.activityId);
      this.runs.set(event.runId, {
        id: event.runId, activityId: event.activityId, kind: event.kind, scopeRunId: event.scopeRunId, concurrentId: null,
        scopeExecutionId: event.kind === 'leaf' && !detached ? null : newId(), active: event.active ?? true, predecessorRunId: event.predecessorRunId, detached,
      });
      return;
    }
    if (event.type === 'endTokens') {
      for (const run of [...this.runs.values()]) if (run.id.startsWith(event.prefix) && run.scopeRunId === event.scopeRunId) this.end(run);
      return;
    }
    const run = this.runs.get(event.runId);
    if (!run) return;
    if (event.type === 'park') {
      run.active = false;
      return;
    }
    this.end(run);
  }

  private end(run: Run): void {
    this.runs.delete(run.id);
    this.endedRuns.set(run.id, run);
  }

  /** The concurrent execution a new token inherits: its predecessor's in the same scope, through runs that ended in this command. */
  private inheritedConcurrentId(run: Run, taken: Set<string>): string | null {
    const seen = new Set<string>();
    for (let id = run.predecessorRunId; id && !seen.has(id); ) {
      seen.add(id);
      const predecessor = this.endedRuns.get(id) ?? this.runs.get(id);
      if (!predecessor || predecessor.scopeRunId !== run.scopeRunId) return null;
      if (predecessor.concurrentId && !taken.has(predecessor.concurrentId)) return predecessor.concurrentId;
      id = predecessor.predecessorRunId;
    }
    return null;
  }

  /** The executions after the command: concurrency where a scope has two or more tokens, compacted where it has one. */
  records(): ExecutionRecord[] {
    this.executionOf.clear();
    const tokensOf = new Map<string | null, Run[]>();
    const detachedOf = new Map<string | null, Run[]>();
    for (const run of this.runs.values()) {
      if (run.detached) {
        detachedOf.set(run.scopeRunId, [...(detachedOf.get(run.scopeRunId) ?? []), run]);
        continue;
      }
      const tokens = tokensOf.get(run.scopeRunId) ?? [];
      tokens.push(run);
      tokensOf.set(run.scopeRunId, tokens);
    }
    const records: ExecutionRecord[] = [];
    const root: ExecutionRecord = { id: this.processInstanceId, parentId: null, engineScopeId: null, scopeActivityId: null, engineTokenId: null, activityId: null, isConcurrent: false, isScope: true, isActive: false };
    const emitScope = (record: ExecutionRecord, scopeRun: Run | null) => {
      records.push(record);
      if (scopeRun) this.executionOf.set(scopeRun.id, record.id);
      for (const run of detachedOf.get(scopeRun?.id ?? null) ?? []) {
        if (run.kind !== 'leaf') {
          emitScope(scopeRecord(run, record.id), run);
          continue;
        }
        const id = run.scopeExecutionId ?? newId();
        records.push({ id, parentId: record.id, engineScopeId: null, scopeActivityId: null, engineTokenId: run.id, activityId: run.activityId, isConcurrent: false, isScope: false, isActive: run.active });
        this.executionOf.set(run.id, id);
      }
      const tokens = tokensOf.get(scopeRun?.id ?? null) ?? [];
      if (tokens.length === 0) {
        if (scopeRun?.kind === 'scope') Object.assign(record, { activityId: scopeRun.activityId, isActive: true });
        return;
      }
      if (tokens.length === 1) {
        const [token] = tokens;
        token.concurrentId = null;
        if (token.kind === 'leaf') {
          Object.assign(record, { engineTokenId: token.id, activityId: token.activityId, isActive: token.active });
          this.executionOf.set(token.id, record.id);
        } else emitScope(scopeRecord(token, record.id), token);
        return;
      }
      const taken = new Set(tokens.map((token) => token.concurrentId).filter((id): id is string => id !== null));
      for (const token of tokens) {
        if (!token.concurrentId) {
          token.concurrentId = this.inheritedConcurrentId(token, taken) ?? newId();
          taken.add(token.concurrentId);
        }
        // A completed parallel multi-instance iteration stays an inactive concurrent execution, without a scope below it.
        const isLeaf = token.kind === 'leaf' || !token.active;
        const concurrent: ExecutionRecord = {
          id: token.concurrentId, parentId: record.id, engineScopeId: null, scopeActivityId: null, engineTokenId: isLeaf ? token.id : null,
          activityId: isLeaf ? token.activityId : null, isConcurrent: true, isScope: false, isActive: isLeaf && token.active,
        };
        records.push(concurrent);
        if (isLeaf) this.executionOf.set(token.id, concurrent.id);
        else emitScope(scopeRecord(token, concurrent.id), token);
      }
    };
    emitScope(root, null);
    return records;
  }

  /** The execution that executes a run (its scope execution, or the one holding its token). */
  executionOfRun(runId: string): string | undefined {
    return this.executionOf.get(runId) ?? this.executionOfEndedRun(runId);
  }

  /** A run that ended in this command ran in its concurrent or scope execution, else in its enclosing scope's. */
  private executionOfEndedRun(runId: string): string | undefined {
    const run = this.endedRuns.get(runId);
    if (!run) return undefined;
    if (run.concurrentId) return run.concurrentId;
    // A token that started and ended in this command beside others hands its concurrent execution to its one successor.
    const successors = [...this.runs.values()].filter((each) => each.predecessorRunId === runId && each.scopeRunId === run.scopeRunId);
    if (run.kind === 'leaf' && successors.length === 1 && successors[0]!.kind === 'leaf' && successors[0]!.concurrentId) return successors[0]!.concurrentId;
    if (run.kind !== 'leaf' && run.scopeExecutionId) return run.scopeExecutionId;
    if (run.scopeRunId === null) return this.processInstanceId;
    const scope = this.runs.get(run.scopeRunId) ?? this.endedRuns.get(run.scopeRunId);
    return scope ? this.executionOf.get(scope.id) ?? scope.scopeExecutionId ?? undefined : undefined;
  }

  /** The execution of the open run of `activityId` in a scope (the host of a boundary event). */
  executionOfActivity(activityId: string, scopeRunId: string | null): string | undefined {
    for (const run of this.runs.values()) if (run.activityId === activityId && run.scopeRunId === scopeRunId) return this.executionOf.get(run.id);
    return undefined;
  }
}

function scopeRecord(run: Run, parentId: string): ExecutionRecord {
  return {
    id: run.scopeExecutionId ?? newId(), parentId, engineScopeId: run.id, scopeActivityId: run.activityId, engineTokenId: null,
    activityId: null, isConcurrent: false, isScope: true, isActive: false,
  };
}
