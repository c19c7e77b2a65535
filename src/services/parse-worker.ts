/** Worker thread entry: reads the BPMN and DMN files sent by parse-thread.ts, so a large file never blocks the server's event loop. */
import { parentPort } from 'node:worker_threads';
import { ParseError } from '../core/errors.js';
import { readDmnDocument } from '../dmn/index.js';
import { parseBpmn, type BpmnParseOptions } from '../engine/index.js';

export type ParseRequest =
  | { id: number; kind: 'bpmn'; resourceName: string; xml: string; options: BpmnParseOptions }
  | { id: number; kind: 'dmn'; resourceName: string; xml: string };

/** The DMN document goes back as JSON text: one string crosses threads far faster than a tree of 100,000 objects. */
function parse(request: ParseRequest): Promise<unknown> {
  if (request.kind === 'bpmn') return parseBpmn(request.resourceName, request.xml, request.options);
  return readDmnDocument(request.xml, request.resourceName).then((document) => JSON.stringify(document));
}

parentPort!.on('message', (request: ParseRequest) => {
  parse(request).then(
    (parsed) => parentPort!.postMessage({ id: request.id, parsed }),
    (error: unknown) => {
      const parseError = error instanceof ParseError ? { message: error.message, details: error.details } : undefined;
      parentPort!.postMessage({ id: request.id, parseError, failure: parseError ? undefined : error instanceof Error ? error.stack ?? error.message : String(error) });
    },
  );
});
