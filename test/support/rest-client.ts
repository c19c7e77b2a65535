/** Calls the REST API in-process and checks every response against Camunda's OpenAPI, strictly. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import request from 'supertest';
import { expectValidExceptionBody, expectValidResponse, OPENAPI_FILE } from './openapi.js';
import { sharedDir, sharedPath } from './shared-files.js';
import { isCi, recordSkip } from './skip-report.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function fixture(relative: string): Buffer {
  return readFileSync(path.join(FIXTURES, relative));
}

export interface RestResponse {
  status: number;
  body: any;
  headers: Record<string, string>;
  text: string;
}

type Method = 'get' | 'post' | 'put' | 'delete';

export interface CallOptions {
  /**
   * A status Camunda's Java code answers with although its OpenAPI does not document it for this operation, or
   * documents another body for it (e.g. ParseExceptionDto for every 400 of /deployment/create). Camunda's behaviour
   * wins: for this status only, the body must be exactly Camunda's error body (ExceptionDto, or ParseExceptionDto
   * when it has `details`); every other status is validated against the operation as usual.
   */
  undocumentedStatus?: number;
  /** Request headers beyond the body's Content-Type (e.g. a W3C `traceparent`). */
  headers?: Record<string, string>;
}

let openApiChecked: boolean | undefined;

/** Whether responses can be checked against ../shared's OpenAPI; without it (a clone elsewhere) the check is skipped, loudly, and under CI=true it fails. */
function openApiAvailable(): boolean {
  const reason = `shared file ${sharedDir}/${OPENAPI_FILE} is absent`;
  if (openApiChecked === undefined) {
    openApiChecked = sharedPath(OPENAPI_FILE) !== undefined;
    if (!openApiChecked && !isCi()) recordSkip("REST responses' validation against Camunda's OpenAPI", reason);
  }
  if (!openApiChecked && isCi()) throw new Error(`response validation against Camunda's OpenAPI: ${reason} (CI=true: nothing may be skipped)`);
  return openApiChecked;
}

export class RestClient {
  /** `defaultHeaders` go with every request (e.g. Basic credentials); a call's own headers win. */
  constructor(private readonly app: Express, private readonly base = '/engine-rest', private readonly defaultHeaders: Record<string, string> = {}) {}

  private async send(method: Method, url: string, body: unknown, options: CallOptions): Promise<RestResponse> {
    return this.sendText(method, url, body === undefined ? undefined : JSON.stringify(body), options);
  }

  private async sendText(method: Method, url: string, jsonText: string | undefined, options: CallOptions): Promise<RestResponse> {
    let call = request(this.app)[method](`${this.base}${url}`).set(this.defaultHeaders);
    if (options.headers) call = call.set(options.headers);
    if (jsonText !== undefined) call = call.set('Content-Type', 'application/json').send(jsonText);
    const res = await call;
    return this.checked(method, url, res, options);
  }

  private checked(method: Method, url: string, res: request.Response, options: CallOptions = {}): RestResponse {
    const contentType = res.headers['content-type'];
    if (res.status === 204 && contentType !== undefined) throw new Error(`${method.toUpperCase()} ${url}: a 204 must not carry a Content-Type (got ${contentType})`);
    if (res.status !== 204 && contentType?.startsWith('application/json') && contentType !== 'application/json') {
      throw new Error(`${method.toUpperCase()} ${url}: Content-Type must be exactly application/json, got ${contentType}`);
    }
    if (!openApiAvailable()) {
      // The behaviour is still asserted by the test; only the shape check against Camunda's description is skipped.
    } else if (options.undocumentedStatus !== undefined && res.status === options.undocumentedStatus) {
      if (contentType !== 'application/json') throw new Error(`${method.toUpperCase()} ${url}: an error body must be application/json, got ${contentType}`);
      expectValidExceptionBody(`${method.toUpperCase()} ${url} → ${res.status}`, res.body);
    } else {
      expectValidResponse(method, `${this.base}${url}`, res.status, res.body);
    }
    return { status: res.status, body: res.body, headers: res.headers as Record<string, string>, text: res.text };
  }

  get(url: string, options: CallOptions = {}) {
    return this.send('get', url, undefined, options);
  }

  post(url: string, body: unknown = {}, options: CallOptions = {}) {
    return this.send('post', url, body, options);
  }

  put(url: string, body: unknown = {}, options: CallOptions = {}) {
    return this.send('put', url, body, options);
  }

  /** Sends JSON text as written, e.g. a number a JavaScript object could not hold without rounding it. */
  postJsonText(url: string, jsonText: string, options: CallOptions = {}) {
    return this.sendText('post', url, jsonText, options);
  }

  putJsonText(url: string, jsonText: string, options: CallOptions = {}) {
    return this.sendText('put', url, jsonText, options);
  }

  delete(url: string, options: CallOptions = {}) {
    return this.send('delete', url, undefined, options);
  }

  /** A multipart deployment as Camunda Modeler sends it. */
  async deploy(files: Array<{ name: string; content: Buffer | string }>, fields: Record<string, string> = {}, options: CallOptions = {}): Promise<RestResponse> {
    let call = request(this.app).post(`${this.base}/deployment/create`).set(this.defaultHeaders);
    if (options.headers) call = call.set(options.headers);
    for (const [name, value] of Object.entries(fields)) call = call.field(name, value);
    for (const file of files) call = call.attach(file.name, Buffer.from(file.content), { filename: file.name, contentType: 'application/octet-stream' });
    return this.checked('post', '/deployment/create', await call, options);
  }

  /** A multipart/form-data upload (attachments, binary variables): text fields, then files with their content types. */
  async upload(url: string, fields: Record<string, string>, files: Array<{ field: string; content: Buffer | string; filename: string; contentType: string }> = [], options: CallOptions = {}): Promise<RestResponse> {
    let call = request(this.app).post(`${this.base}${url}`).set(this.defaultHeaders);
    if (options.headers) call = call.set(options.headers);
    for (const [name, value] of Object.entries(fields)) call = call.field(name, value);
    for (const file of files) call = call.attach(file.field, Buffer.from(file.content), { filename: file.filename, contentType: file.contentType });
    return this.checked('post', url, await call, options);
  }

  /** A binary download (`…/data`): status, headers and the raw bytes, outside the JSON schema check. */
  async download(url: string): Promise<{ status: number; headers: Record<string, string>; bytes: Buffer }> {
    const res = await request(this.app).get(`${this.base}${url}`).buffer(true).parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    });
    return { status: res.status, headers: res.headers as Record<string, string>, bytes: res.body as Buffer };
  }

  /** Deploys a fixture from test/fixtures/bpmn and returns the definition of its (first) process. */
  async deployFixture(name: string, fields: Record<string, string> = {}): Promise<{ deploymentId: string; definition: any }> {
    const res = await this.deploy([{ name, content: fixture(`bpmn/${name}`) }], { 'deployment-name': name, ...fields });
    if (res.status !== 200) throw new Error(`deploying ${name} failed: ${res.status} ${res.text}`);
    const definitions = Object.values(res.body.deployedProcessDefinitions ?? {}) as any[];
    return { deploymentId: res.body.id, definition: definitions[0] };
  }
}
