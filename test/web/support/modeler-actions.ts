/** What a user does in the modeler, for browser tests: shapes added through the bpmn-js API where dragging is impractical. */
import type { Page } from 'playwright-core';

/** Appends shapes after the start event with the bpmn-js modeling API (drag and drop is impractical here); returns their ids. */
export async function appendAfterStart(page: Page, processId: string, shapes: { type: string; name: string }[]): Promise<string[]> {
  return page.evaluate(
    ({ processId, shapes }) => {
      const modeler = (window as any).bpmnModeler;
      const registry = modeler.get('elementRegistry');
      const modeling = modeler.get('modeling');
      modeling.updateProperties(modeler.get('canvas').getRootElement(), { id: processId });
      let previous = registry.get('StartEvent_1');
      const ids: string[] = [];
      for (const { type, name } of shapes) {
        const shape = modeler.get('autoPlace').append(previous, modeler.get('elementFactory').createShape({ type }));
        modeling.updateLabel(shape, name);
        ids.push(shape.id);
        previous = shape;
      }
      return ids;
    },
    { processId, shapes },
  );
}
