/** The camunda-bpmn-moddle descriptor, loaded as JSON because the package has no entry point, plus what it lacks. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Descriptor {
  types: Array<{ name: string; properties: Array<{ name: string; isAttr?: boolean; type: string }> }>;
}

const descriptor = structuredClone(require('camunda-bpmn-moddle/resources/camunda.json') as Descriptor);

// Camunda 7.21 added camunda:decisionRefVersionTag; camunda-bpmn-moddle 8.0.1 does not declare it, and undeclared
// attributes do not survive serialization into the engine's context.
const dmnCapable = descriptor.types.find((type) => type.name === 'DmnCapable');
if (dmnCapable && !dmnCapable.properties.some((p) => p.name === 'decisionRefVersionTag')) {
  dmnCapable.properties.push({ name: 'decisionRefVersionTag', isAttr: true, type: 'String' });
}

export const camundaModdle: object = descriptor;
