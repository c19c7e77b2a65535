/** Maps of typed variables as Camunda serializes them: name → {type, value, valueInfo}. */
import { toWireValue, type StoredValue, type WireValue } from '../../core/typed-value.js';

export function variablesDto(values: Map<string, StoredValue>, deserializeValues = true): Record<string, WireValue> {
  const result: Record<string, WireValue> = {};
  for (const [name, value] of values) result[name] = toWireValue(value, { deserializeValues });
  return result;
}
