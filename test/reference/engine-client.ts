/** Sends REST calls over HTTP to one engine (ours or Operaton) and keeps what a comparison needs of each answer. */

export interface Answer {
  status: number;
  /** Content-Type as sent (undefined when absent, as a 204 must). */
  contentType: string | undefined;
  /** Parsed JSON, the text of any other body, or null when there is none. */
  body: any;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';

export interface DeploymentFile {
  name: string;
  content: Buffer | string;
}

async function answerOf(res: Response): Promise<Answer> {
  const contentType = res.headers.get('content-type') ?? undefined;
  const text = await res.text();
  const body = text === '' ? null : contentType?.startsWith('application/json') ? JSON.parse(text) : text;
  return { status: res.status, contentType, body };
}

/** A body sent as written with its own Content-Type, e.g. what an HTML form on another site posts. */
export class RawBody {
  constructor(readonly text: string, readonly contentType: string) {}
}

export class EngineClient {
  constructor(readonly name: string, readonly restUrl: string) {}

  /** `accept`, when given, is sent as the Accept header (e.g. to ask for a report as CSV). */
  async call(method: Method, path: string, body?: unknown, accept?: string): Promise<Answer> {
    const init: RequestInit = { method };
    const headers: Record<string, string> = accept === undefined ? {} : { Accept: accept };
    if (body instanceof RawBody) {
      init.body = body.text;
      headers['Content-Type'] = body.contentType;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    init.headers = headers;
    return answerOf(await fetch(`${this.restUrl}${path}`, init));
  }

  /** A multipart deployment with the fields Camunda Modeler's deploy dialog sends. */
  async deploy(files: DeploymentFile[], fields: Record<string, string>): Promise<Answer> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) form.append(file.name, new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)], { type: 'application/octet-stream' }), file.name);
    return answerOf(await fetch(`${this.restUrl}/deployment/create`, { method: 'POST', body: form }));
  }
}
