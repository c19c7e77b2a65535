/** `camunda:failedJobRetryTimeCycle` of an activity: how often and how far apart its jobs are retried (e.g. R5/PT10M). */

interface Extension {
  $type?: string;
  body?: unknown;
}

/** The cycle's text from an element's serialized behaviour, or null when it has none. */
export function failedJobRetryTimeCycleOf(behaviour: Record<string, unknown>): string | null {
  const values = (behaviour.extensionElements as { values?: Extension[] } | undefined)?.values ?? [];
  const cycle = values.find((value) => value.$type === 'camunda:FailedJobRetryTimeCycle');
  const text = typeof cycle?.body === 'string' ? cycle.body.trim() : '';
  return text === '' ? null : text;
}
