/** The diagram image deployed next to a BPMN or DMN model (Camunda's DGRM_RESOURCE_NAME_): behind `/diagram` and the `diagram` property. */
import type { Knex } from 'knex';

export const definitionDiagrams = {
  name: '0020-definition-diagrams',
  async up(knex: Knex): Promise<void> {
    for (const table of ['process_definition', 'decision_definition', 'decision_requirements_definition']) {
      await knex.schema.alterTable(table, (t) => {
        t.text('diagram_resource_name');
      });
    }
  },
};
