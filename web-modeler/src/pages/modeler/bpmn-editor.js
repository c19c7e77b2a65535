/** Creates the bpmn-js Modeler for Camunda 7: properties panel with the Camunda Platform provider, behaviors and bpmnlint. */
import BpmnModeler from 'bpmn-js/lib/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import bpmnlintConfig from 'virtual:bpmnlint-config';

export function createBpmnEditor({ canvas, properties }) {
  return new BpmnModeler({
    container: canvas,
    propertiesPanel: { parent: properties },
    linting: { bpmnlint: bpmnlintConfig, active: true },
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule, CamundaBehaviorsModule, lintModule],
    moddleExtensions: { camunda: camundaModdle },
  });
}

/** Runs bpmnlint on the current diagram; resolves `{ errors, warnings }`, each `[{ rule, id, message }]`. */
export async function lintDiagram(modeler) {
  const results = await modeler.get('linting').lint();
  const errors = [];
  const warnings = [];
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      const entry = { rule, id: report.id, message: report.message };
      if (report.category === 'error') errors.push(entry);
      else warnings.push(entry);
    }
  }
  return { errors, warnings };
}

/** The executable processes of the diagram (a collaboration has one per participant). */
export function processesOf(modeler) {
  const definitions = modeler.getDefinitions();
  return (definitions?.rootElements || []).filter((element) => element.$type === 'bpmn:Process' && element.isExecutable !== false);
}
