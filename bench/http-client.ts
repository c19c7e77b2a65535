/** A minimal keep-alive JSON/HTTP client on node:http (lighter than fetch, so the load generator steals less CPU). */
import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
}

export class HttpClient {
  private readonly agent: http.Agent;

  constructor(private readonly baseUrl: string, maxSockets: number) {
    // One socket per concurrent client, reused across requests, as a real client pool would do.
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** `signal` aborts the request, e.g. a long poll still parked when a benchmark ends. */
  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const url = new URL(this.baseUrl + path);
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          signal,
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Fails loudly on an unexpected status: a benchmark of error responses would be meaningless. */
  async expect(method: string, path: string, status: number, body?: unknown): Promise<string> {
    const res = await this.request(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path}: expected HTTP ${status}, got ${res.status}: ${res.body.slice(0, 500)}`);
    return res.body;
  }

  close(): void {
    this.agent.destroy();
  }
}
