/** Minimal types for the DMN libraries, which ship none: dmn-moddle 12, its Camunda extension and dmn-migrate. */
declare module 'dmn-moddle' {
  export interface DmnModdleElement {
    $type: string;
    id?: string;
    name?: string;
    [key: string]: unknown;
  }
  export interface DmnParseResult {
    rootElement: DmnModdleElement;
    elementsById: Record<string, DmnModdleElement>;
    references: unknown[];
    warnings: Array<{ message: string; element?: { id?: string; $type?: string } }>;
  }
  export class DmnModdle {
    constructor(packages?: Record<string, object>);
    fromXML(xml: string, typeName?: string): Promise<DmnParseResult>;
  }
}

declare module '@bpmn-io/dmn-migrate' {
  export const TARGET_DMN_VERSION: string;
  export function migrateDiagram(xml: string): Promise<string>;
}

/** dmn-eval-js (the benchmark's baseline only): a CommonJS module with `decisionTable.parseDmnXml/evaluateDecision`. */
declare module '@hbtgmbh/dmn-eval-js' {
  export const decisionTable: {
    parseDmnXml(xml: string): Promise<unknown>;
    evaluateDecision(decisionId: string, decisions: unknown, context: Record<string, unknown>): unknown;
  };
}
