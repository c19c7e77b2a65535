/** The NOTIFY channel that wakes parked fetchAndLock requests on every node when external work becomes available. */

export const EXTERNAL_TASK_CHANNEL = 'engine_external_task';

export interface ExternalTaskAvailable {
  topic: string;
  /** When the task becomes claimable (a retry timeout); null means now. */
  availableAt: string | null;
}

export function externalTaskAvailable(topic: string, availableAt: Date | null): string {
  const payload: ExternalTaskAvailable = { topic, availableAt: availableAt ? availableAt.toISOString() : null };
  return JSON.stringify(payload);
}

export function parseExternalTaskAvailable(payload: string): ExternalTaskAvailable | null {
  try {
    const parsed = JSON.parse(payload) as Partial<ExternalTaskAvailable>;
    return typeof parsed.topic === 'string' ? { topic: parsed.topic, availableAt: parsed.availableAt ?? null } : null;
  } catch {
    return null;
  }
}
