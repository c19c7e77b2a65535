/** The bpmn-elements behaviours the engine runs, with this project's overrides; resolved when a definition is deserialized. */
import * as Elements from 'bpmn-elements';
import { TypeResolver } from 'moddle-context-serializer';

// Overrides are resolved at deserialize time, so they apply to definitions deployed before they existed.
export const elementTypes: Record<string, unknown> = { ...Elements };

export const typeResolver = TypeResolver(elementTypes as never);
