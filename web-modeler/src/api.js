/** The app's only door to the engine: a small JSON client for /engine-rest that asks for credentials on a 401. */
import { askCredentials } from './ui.js';

export const REST_BASE = '/engine-rest';
const CREDENTIALS_KEY = 'engine-rest-authorization';
const USER_KEY = 'engine-rest-user';

/** A failed request: HTTP status plus Camunda's error body (`type`, `message`, and `details` for parse errors). */
export class ApiError extends Error {
  constructor({ status, type, message, details }) {
    super(message || `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.type = type || 'HttpError';
    this.details = details;
  }
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('content-type') || '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** `Basic base64(user:password)`, with the UTF-8 bytes of both. */
export function basicAuthorization(username, password) {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

function toError(status, body) {
  if (body && typeof body === 'object') return new ApiError({ status, type: body.type, message: body.message, details: body.details });
  return new ApiError({ status, message: typeof body === 'string' && body.length < 500 ? body : undefined });
}

/**
 * Creates a client; `askCredentials()` resolves `{ username, password }` or null (cancelled), `storage` keeps the
 * Authorization header for the browser session.
 */
export function createApi({ base = REST_BASE, fetchImpl = (...args) => fetch(...args), ask = askCredentials, storage = globalThis.sessionStorage } = {}) {
  let authorization = storage?.getItem(CREDENTIALS_KEY) || null;
  /** Who signed in, once the server accepted their credentials; null before, or when the server asks for none. */
  let user = authorization ? storage?.getItem(USER_KEY) || null : null;
  /** The name just entered, shown once a request with it succeeds. */
  let pendingUser = null;
  const userListeners = new Set();
  /** The sign-in dialog currently open, if any. */
  let signingIn = null;

  function setUser(next) {
    if (next === user) return;
    user = next;
    for (const listener of userListeners) listener(user);
  }

  async function send(method, path, { json, form, binary = false } = {}) {
    for (let attempt = 0; ; attempt++) {
      // X-Requested-With: the server then answers 401 without a challenge, so the browser's own login box stays
      // away and the app asks in the page.
      const headers = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
      if (authorization) headers.Authorization = authorization;
      let body;
      if (json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(json);
      } else if (form) {
        body = form;
      }
      let response;
      try {
        response = await fetchImpl(`${base}${path}`, { method, headers, body });
      } catch (error) {
        throw new ApiError({ status: 0, type: 'NetworkError', message: `The server did not answer (${error.message}). Is it running?` });
      }
      if (response.status === 401 && attempt < 3) {
        const sent = headers.Authorization;
        // Requests refused together share one sign-in; one refused after someone signed in just retries.
        if (authorization === sent || authorization === null) {
          signingIn ??= (async () => {
            try {
              const asked = await ask({ retry: attempt > 0 || Boolean(sent) });
              if (asked) {
                authorization = basicAuthorization(asked.username, asked.password);
                pendingUser = asked.username;
                storage?.setItem(CREDENTIALS_KEY, authorization);
                storage?.setItem(USER_KEY, asked.username);
              }
              return asked;
            } finally {
              signingIn = null;
            }
          })();
          const credentials = await signingIn;
          if (!credentials) throw new ApiError({ status: 401, type: 'AuthenticationError', message: 'Sign-in was cancelled; the server requires credentials.' });
        }
        continue;
      }
      if (pendingUser !== null && headers.Authorization === authorization) {
        setUser(pendingUser);
        pendingUser = null;
      }
      if (binary && response.ok) return response.blob();
      const result = await readBody(response);
      if (!response.ok) throw toError(response.status, result);
      return result;
    }
  }

  return {
    /** The signed-in user's name, or null. */
    currentUser: () => user,
    /** Calls `listener(userOrNull)` whenever someone signs in or out. */
    onUserChange(listener) {
      userListeners.add(listener);
      return () => userListeners.delete(listener);
    },
    /** Forgets the credentials: the next request the server refuses asks for new ones. */
    signOut() {
      authorization = null;
      pendingUser = null;
      storage?.removeItem(CREDENTIALS_KEY);
      storage?.removeItem(USER_KEY);
      setUser(null);
    },
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, { json: body ?? {} }),
    put: (path, body) => send('PUT', path, { json: body ?? {} }),
    delete: (path) => send('DELETE', path),
    /** Posts a multipart form (FormData): attachments and binary variables. */
    upload: (path, form) => send('POST', path, { form }),
    /** The content at `path` (an attachment's or a File variable's `…/data`) as a Blob. */
    download: (path) => send('GET', path, { binary: true }),
    /** Deploys `files` (`[{ name, content, type? }]`) with form `fields` (deployment-name, enable-duplicate-filtering, …). */
    deploy(files, fields = {}) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
      for (const file of files) form.append(file.name, new Blob([file.content], { type: file.type || 'application/octet-stream' }), file.name);
      return send('POST', '/deployment/create', { form });
    },
  };
}

export const api = createApi();
