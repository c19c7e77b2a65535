/** Makes two engines' answers comparable: ids, dates and durations become placeholders; everything else stays. */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Camunda's date format, yyyy-MM-dd'T'HH:mm:ss.SSSZ; a date in any other format is left as it is and so differs. */
const CAMUNDA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;
/** Numbers that depend on timing, not on behaviour (durations, and the duration reports' minimum, maximum, average). */
const VOLATILE_NUMBERS = new Set(['durationInMillis', 'duration', 'minimum', 'maximum', 'average']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One per engine: ids the scenario has named (`remember(id, 'instance')`) become `<instance>` wherever they occur,
 * also inside other strings such as messages and in object keys, so relations between answers are compared too;
 * any other UUID becomes `<uuid>`, and the engine's own REST URL (in `links`) `<engine-rest>`.
 */
export class Normalizer {
  private readonly names = new Map<string, string>();

  constructor(private readonly restUrl: string) {}

  remember(id: string, name: string): void {
    if (typeof id !== 'string' || id === '') throw new Error(`cannot remember ${JSON.stringify(id)} as <${name}>`);
    this.names.set(id, `<${name}>`);
  }

  normalize(value: unknown, key?: string): unknown {
    if (Array.isArray(value)) return value.map((item) => this.normalize(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.normalizeString(k), this.normalize(v, k)]));
    }
    if (typeof value === 'number' && key !== undefined && VOLATILE_NUMBERS.has(key)) return '<number>';
    if (typeof value === 'string') return this.normalizeString(value);
    return value;
  }

  private normalizeString(value: string): string {
    if (CAMUNDA_DATE.test(value)) return '<date>';
    let text = value.split(this.restUrl).join('<engine-rest>');
    // Longest first, so an id that contains another one is replaced whole.
    for (const [id, name] of [...this.names].sort((a, b) => b[0].length - a[0].length)) {
      if (text.includes(id)) text = text.replace(new RegExp(escapeRegExp(id), 'g'), name);
    }
    return text.replace(UUID, '<uuid>');
  }
}
