/** Creates the dmn-js Modeler (DRD, decision table and literal expression editors) with Camunda's DMN extensions. */
import DmnModeler from 'dmn-js/lib/Modeler';
import camundaDmnModdle from 'camunda-dmn-moddle/resources/camunda.json';

export function createDmnEditor({ container }) {
  return new DmnModeler({ container, moddleExtensions: { camunda: camundaDmnModdle } });
}

/** A tab label for one of dmn-js's views. */
export function viewLabel(view) {
  const name = view.element?.name || view.element?.id || '';
  if (view.type === 'drd') return 'Decision requirements';
  if (view.type === 'decisionTable') return `Table: ${name}`;
  if (view.type === 'literalExpression') return `Expression: ${name}`;
  return name || view.type;
}
