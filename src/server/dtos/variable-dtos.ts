/** Maps of typed variables as Camunda serializes them: name → {type, value, valueInfo}. */
import { toWireValue, type StoredValue, type WireValue } from '../../core/typed-value.js';

/**
 * `deserializeValues` false gives Object values in their serialized form, as Camunda answers variables returned by a
 * command (start or complete withVariablesInReturn: `VariableValueDto.fromMap(variables, preferSerializedValue=true)`).
 */
export function variablesDto(values: Map<string, StoredValue>, deserializeValues = true): Record<string, WireValue> {
  // Object.fromEntries defines own properties, so a variable named `__proto__` is a key like any other.
  return Object.fromEntries(Array.from(values, ([name, value]) => [name, toWireValue(value, { deserializeValues })]));
}
