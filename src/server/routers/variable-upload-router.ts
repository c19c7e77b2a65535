/** Binary variable uploads (`POST …/variables/{name}/data`): a multipart `data` part stored as a Bytes or File variable. */
import { Router, type Request } from 'express';
import { InvalidRequestError, RestError } from '../../core/errors.js';
import type { StoredValue } from '../../core/typed-value.js';
import { putScopeStoredVariable } from '../../services/execution-variables.js';
import type { ServiceContext } from '../../services/service-context.js';
import { putTaskStoredVariable } from '../../services/task-service.js';
import { partText, readFormParts, type FormPart } from '../multipart-form.js';
import { sendNoContent } from '../respond.js';

/**
 * Camunda's VariableValueDto.fromFormPart: `valueType` (Bytes by default) names the type; a File takes its file name
 * and the base type of the part's content type. (Camunda also reads an `encoding` parameter there; busboy hands over
 * the part's media type without parameters, so a File upload has no encoding.)
 */
function binaryValueOf(data: FormPart | undefined, valueType: string): StoredValue {
  const type = valueType.charAt(0).toUpperCase() + valueType.slice(1);
  if (type !== 'Bytes' && type !== 'File') throw new InvalidRequestError(400, `Only Bytes and File variables can be uploaded as data, not ${valueType}`);
  // The pieces stay apart: the first is written with the variable, each further one by a statement of its own.
  const [bytes = Buffer.alloc(0), ...moreBytes] = data?.pieces ?? [];
  if (type === 'Bytes') return { type, text: null, bytes, valueInfo: {}, moreBytes };
  const mimeType = data?.contentType ?? 'application/octet-stream';
  if (!/^[^/\s]+\/[^/\s]+$/.test(mimeType)) throw new RestError(400, 'Invalid mime type given');
  return { type, text: null, bytes, valueInfo: { filename: data?.filename ?? null, mimeType: mimeType.toLowerCase() }, moreBytes };
}

async function uploadedValue(req: Request, maxUploadBytes: number): Promise<StoredValue> {
  const parts = await readFormParts(req, maxUploadBytes, 'The variable');
  const valueType = parts.get('valueType');
  return binaryValueOf(parts.get('data'), valueType ? partText(valueType) : 'Bytes');
}

export function variableUploadRouter(ctx: ServiceContext, options: { maxUploadBytes: number }): Router {
  const router = Router();
  for (const [segment, local] of [['variables', false], ['localVariables', true]] as const) {
    router.post(`/task/:id/${segment}/:name/data`, async (req, res) => {
      await putTaskStoredVariable(ctx, req.params.id, req.params.name, await uploadedValue(req, options.maxUploadBytes), { local });
      sendNoContent(res);
    });
  }
  router.post('/process-instance/:id/variables/:name/data', async (req, res) => {
    await putScopeStoredVariable(ctx, { resource: 'process instance', id: req.params.id }, req.params.name, await uploadedValue(req, options.maxUploadBytes));
    sendNoContent(res);
  });
  router.post('/execution/:id/localVariables/:name/data', async (req, res) => {
    await putScopeStoredVariable(ctx, { resource: 'execution', id: req.params.id }, req.params.name, await uploadedValue(req, options.maxUploadBytes));
    sendNoContent(res);
  });
  return router;
}
