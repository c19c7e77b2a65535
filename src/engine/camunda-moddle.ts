/** The camunda-bpmn-moddle descriptor, loaded as JSON because the package has no entry point. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const camundaModdle: object = require('camunda-bpmn-moddle/resources/camunda.json');
