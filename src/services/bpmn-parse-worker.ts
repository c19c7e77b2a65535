/** Worker thread entry: parses BPMN files sent by bpmn-parse-thread.ts, so a large file never blocks the server's event loop. */
import { parentPort } from 'node:worker_threads';
import { ParseError } from '../core/errors.js';
import { parseBpmn, type BpmnParseOptions } from '../engine/index.js';

export interface BpmnParseRequest {
  id: number;
  resourceName: string;
  xml: string;
  options: BpmnParseOptions;
}

parentPort!.on('message', (request: BpmnParseRequest) => {
  parseBpmn(request.resourceName, request.xml, request.options).then(
    (parsed) => parentPort!.postMessage({ id: request.id, parsed }),
    (error: unknown) => {
      const parseError = error instanceof ParseError ? { message: error.message, details: error.details } : undefined;
      parentPort!.postMessage({ id: request.id, parseError, failure: parseError ? undefined : error instanceof Error ? error.stack ?? error.message : String(error) });
    },
  );
});
