/** Wire contract v1 of the Kafka transport: topics, headers, job and result messages (only zod and core's topic names: the engine imports it). */
import { z } from 'zod';

export const WIRE_CONTRACT_VERSION = 1;

/** Job message header: the delivery attempt as a decimal string, 1 for the first delivery. */
export const ATTEMPT_HEADER = 'attempt';
/** Job and result message header: the W3C trace context (optional). */
export const TRACEPARENT_HEADER = 'traceparent';

export { deadLetterTopic, jobTopic, resultTopic } from '../core/kafka-topics.js';

/** A Camunda typed variable as REST carries it: `{ type, value, valueInfo }`. */
export interface WireVariable {
  type: string;
  value: unknown;
  valueInfo?: Record<string, unknown> | null;
}

export type WireVariables = Record<string, WireVariable>;

/** A job message's value: exactly one element of the REST `fetchAndLock` answer. */
export interface JobMessage {
  activityId: string;
  activityInstanceId: string;
  errorMessage: string | null;
  errorDetails: string | null;
  executionId: string;
  id: string;
  lockExpirationTime: string | null;
  createTime: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  processDefinitionVersionTag: string | null;
  processInstanceId: string;
  tenantId: string | null;
  retries: number | null;
  suspended: boolean;
  workerId: string | null;
  topicName: string;
  priority: number;
  businessKey: string | null;
  variables: WireVariables;
  extensionProperties: Record<string, string>;
}

const wireVariableSchema = z.object({
  type: z.string().min(1),
  value: z.unknown(),
  valueInfo: z.record(z.string(), z.unknown()).nullish(),
});

const wireVariablesSchema = z.record(z.string(), wireVariableSchema);

/**
 * What a worker needs of a job message to run it; the rest of the task is passed through as it came. Lenient on purpose:
 * the engine is the producer, and a field this SDK does not read must not make a job unreadable.
 */
export const jobMessageSchema = z.looseObject({
  id: z.string().min(1),
  topicName: z.string().min(1),
  processInstanceId: z.string().min(1),
  businessKey: z.string().nullish(),
  retries: z.number().int().nullish(),
  variables: wireVariablesSchema.nullish(),
});

const resultFields = {
  taskId: z.string().min(1),
  attempt: z.number().int().positive(),
  workerId: z.string().min(1),
};

/** A result message's value; the engine validates what it consumes from `<prefix>.job-results` with this. */
export const jobResultSchema = z.discriminatedUnion('action', [
  z.object({ ...resultFields, action: z.literal('complete'), variables: wireVariablesSchema.nullish(), localVariables: wireVariablesSchema.nullish() }),
  z.object({
    ...resultFields,
    action: z.literal('failure'),
    errorMessage: z.string().nullish(),
    errorDetails: z.string().nullish(),
    retries: z.number().int().min(0),
    retryTimeout: z.number().min(0).nullish(),
  }),
  z.object({ ...resultFields, action: z.literal('bpmnError'), errorCode: z.string().min(1), errorMessage: z.string().nullish(), variables: wireVariablesSchema.nullish() }),
  z.object({ ...resultFields, action: z.literal('extendLock'), newDuration: z.number().positive() }),
]);

export type JobResult = z.infer<typeof jobResultSchema>;

export type JobResultAction = JobResult['action'];

type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A result without its addressing fields: what a handler answers, sent as REST body or as result message alike. */
export type JobAnswer = OmitEach<JobResult, 'taskId' | 'attempt' | 'workerId'>;
