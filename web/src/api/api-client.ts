import { readApiError } from './api-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The session's CSRF token, echoed on every state-changing call (set after sign-in). */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Told when a call answers 401 because the session ended (expired, signed out elsewhere). */
let onSessionLost: (() => void) | null = null;

export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

async function failure(response: Response, path: string): Promise<Error> {
  const error = await readApiError(response);
  // A wrong password at sign-in is a 401 too; only a lost session sends the reader back.
  if (response.status === 401 && path !== '/session' && onSessionLost) onSessionLost();
  return error;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** Builds `/api/v1<path>?query`, leaving out empty values. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

/**
 * Calls the JSON API with the session cookie, and the CSRF header on calls
 * that change something. Throws `ApiError` on any non-2xx answer.
 */
export async function apiRequest<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  const response = await fetch(apiUrl(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? null : JSON.stringify(options.body),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) throw await failure(response, path);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Sends a file as the raw request body (an MTA log upload). */
export async function apiUpload<T>(path: string, file: Blob, query?: Query): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/octet-stream',
  };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(apiUrl(path, query), {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: file,
  });
  if (!response.ok) throw await failure(response, path);
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    apiRequest<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};
