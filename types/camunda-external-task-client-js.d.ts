/** Minimal types for camunda-external-task-client-js 3.x (it ships none): the surface the end-to-end tests use. */
declare module 'camunda-external-task-client-js' {
  import { EventEmitter } from 'node:events';

  export interface TypedValue {
    type: string;
    value: unknown;
    valueInfo?: Record<string, unknown>;
  }

  export class Variables {
    constructor(initial?: Record<string, TypedValue>);
    get(name: string): unknown;
    getTyped(name: string): TypedValue | null;
    getAll(): Record<string, unknown>;
    getAllTyped(): Record<string, TypedValue>;
    set(name: string, value: unknown): this;
    setTyped(name: string, typedValue: TypedValue): this;
    setTransient(name: string, value: unknown): this;
    setAll(values: Record<string, unknown>): this;
  }

  export class File {
    constructor(options: { localPath?: string; remotePath?: string; typedValue?: TypedValue; filename?: string; encoding?: string; mimetype?: string });
    filename: string;
    content: Buffer | string;
    encoding?: string;
    mimetype?: string;
    mimeType?: string;
    load(): Promise<this>;
  }

  export interface Task {
    id: string;
    topicName: string;
    workerId: string;
    processInstanceId: string;
    businessKey: string | null;
    retries: number | null;
    errorMessage: string | null;
    lockExpirationTime: string;
    variables: Variables;
    [field: string]: unknown;
  }

  export interface TaskService {
    complete(task: Task, variables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(task: Task, options: { errorMessage?: string; errorDetails?: string; retries?: number; retryTimeout?: number }): Promise<void>;
    handleBpmnError(task: Task, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task, newDuration: number): Promise<void>;
    lock(task: Task, duration: number): Promise<void>;
    unlock(task: Task): Promise<void>;
  }

  export type Interceptor = (config: Record<string, unknown>) => Record<string, unknown>;

  export interface ClientOptions {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    maxParallelExecutions?: number;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    usePriority?: boolean;
    interceptors?: Interceptor | Interceptor[];
    use?: ((client: Client) => void) | Array<(client: Client) => void>;
    sorting?: Array<{ sortBy: string; sortOrder: string }>;
  }

  export interface SubscriptionOptions {
    lockDuration?: number;
    variables?: string[];
    businessKey?: string;
    processDefinitionId?: string;
    processDefinitionIdIn?: string[];
    processDefinitionKey?: string;
    processDefinitionKeyIn?: string[];
    processDefinitionVersionTag?: string;
    processVariables?: Record<string, unknown>;
    tenantIdIn?: string[];
    withoutTenantId?: boolean;
    localVariables?: boolean;
    includeExtensionProperties?: boolean;
  }

  export type Handler = (args: { task: Task; taskService: TaskService }) => unknown;

  export class Client extends EventEmitter {
    constructor(options: ClientOptions);
    start(): void;
    stop(): void;
    subscribe(topic: string, handler: Handler): { unsubscribe(): void };
    subscribe(topic: string, options: SubscriptionOptions, handler: Handler): { unsubscribe(): void };
  }

  /** Its constructor returns the interceptor function that adds `Authorization: Basic …`. */
  export const BasicAuthInterceptor: new (options: { username: string; password: string }) => Interceptor;

  export const logger: ((client: Client) => void) & { level(level: string): (client: Client) => void };
}
