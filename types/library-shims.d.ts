/** Minimal types for libraries that ship none (bpmn-moddle 10) or miss a name (bpmn-elements/tasks). */
declare module 'bpmn-moddle' {
  export interface ModdleParseResult {
    rootElement: { $type: string; [key: string]: unknown };
    elementsById: Record<string, unknown>;
    references: unknown[];
    warnings: Array<{ message: string; element?: { id?: string }; property?: string; value?: string }>;
  }
  export interface BaseElement { $type: string; id?: string; [key: string]: unknown }
  export interface Definitions extends BaseElement { rootElements?: BaseElement[] }
  export class BpmnModdle {
    /** `nsMap` reads further namespace URIs as a package's prefix (moddle's config). */
    constructor(packages?: Record<string, object>, options?: { nsMap?: Record<string, string> });
    fromXML(xml: string, typeName?: string): Promise<ModdleParseResult>;
  }
}

/** bpmn-elements/tasks is typed as the package root; SignalTaskBehaviour is missing from it. */
declare module 'bpmn-elements/tasks' {
  export const SignalTaskBehaviour: unknown;
}

/** bpmn-elements/gateways: the inclusive gateway's behaviour, for the converging-gateway override. */
declare module 'bpmn-elements/gateways' {
  export const InclusiveGatewayBehaviour: unknown;
}

/** bpmn-elements/events: the start event's behaviour, for the chosen-start-event override. */
declare module 'bpmn-elements/events' {
  export const StartEventBehaviour: unknown;
}
