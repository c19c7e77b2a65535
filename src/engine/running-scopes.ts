/** The scopes running in a recovered engine: the process's execution and each running sub-process run's, nested. */

export interface RunnableActivity {
  isRunning: boolean;
  run(content?: Record<string, unknown>): void;
}

export interface ScopeChild {
  id: string;
  executionId: string;
  discard(): void;
  owner: { execution?: { source?: { executions?: ScopeExecution[] } } };
}

/** A running scope: the process's execution or a sub-process run's, with the activities of its context. */
export interface ScopeExecution {
  id: string;
  executionId: string;
  environment: { settings: Record<string, unknown> };
  getPostponed(): ScopeChild[];
  getActivityById(id: string): RunnableActivity | undefined;
}

interface DefinitionExecutionView {
  definitions: Array<{ getRunningProcesses(): Array<{ execution?: ScopeExecution }> }>;
}

/** Every running scope with its run id (null for the process), outermost first. */
export function runningScopes(execution: unknown): Array<{ scope: ScopeExecution; runId: string | null }> {
  const definitions = (execution as DefinitionExecutionView | undefined)?.definitions ?? [];
  const found: Array<{ scope: ScopeExecution; runId: string | null }> = [];
  const visit = (scope: ScopeExecution, runId: string | null) => {
    found.push({ scope, runId });
    for (const child of scope.getPostponed()) {
      for (const nested of child.owner.execution?.source?.executions ?? []) visit(nested, nested.executionId);
    }
  };
  for (const definition of definitions) {
    for (const process of definition.getRunningProcesses()) if (process.execution) visit(process.execution, null);
  }
  return found;
}

/** The running scope whose run is `runId` (null: the process's). */
export function runningScope(execution: unknown, runId: string | null): ScopeExecution | undefined {
  return runningScopes(execution).find((each) => each.runId === runId)?.scope;
}
