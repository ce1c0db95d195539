// The typed REST client: every path, parameter and body is checked against types generated from the
// server's OpenAPI document (schema.gen.ts). An expired access token is refreshed once, silently, and the
// request retried; when the session cannot be refreshed the app returns to the login page.
import createClient from 'openapi-fetch';
import type { paths } from './schema.gen';
import { clearSession, currentAccessToken, storeTokens, storedRefreshToken, type TokenPair } from './session';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onSessionLost: () => void = () => undefined;
/** Called when the session ends without the user asking (refresh refused): the app shows the login page. */
export function whenSessionLost(handler: () => void): void {
  onSessionLost = handler;
}

let refreshing: Promise<boolean> | undefined;

/**
 * Tabs share the refresh token and it works once: two tabs refreshing at the same moment would present
 * the same token twice, which the server treats as theft and ends the session. One tab at a time.
 */
function acrossTabs<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? (locks.request('emma-token-refresh', task) as Promise<T>) : task();
}

/** Exchanges the stored refresh token for a new pair; one exchange at a time (the token is single use). */
export function refreshSession(): Promise<boolean> {
  refreshing ??= acrossTabs(async () => {
    // Read inside the lock: another tab may have rotated the token a moment ago.
    const refreshToken = storedRefreshToken();
    if (!refreshToken) return false;
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (!res.ok) {
        // 5xx or a network error keep the token for a later try; a refusal ends the session.
        if (res.status === 400 || res.status === 401) clearSession();
        return false;
      }
      storeTokens((await res.json()) as TokenPair);
      return true;
    } catch {
      return false;
    }
  }).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function withAuth(request: Request): Request {
  const token = currentAccessToken();
  const headers = new Headers(request.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const res = await fetch(withAuth(request));
  if (res.status !== 401 || request.url.includes('/api/v1/auth/login')) return res;
  if (await refreshSession()) return fetch(withAuth(retry));
  if (!storedRefreshToken()) onSessionLost();
  return res;
}

export const api = createClient<paths>({ baseUrl: '', fetch: authFetch });

/** The data of a client call, or an ApiError with the server's code and message. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    const body = error as Partial<ErrorBody> | undefined;
    throw new ApiError(
      response.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `${response.status} ${response.statusText}`,
      body?.error?.details,
    );
  }
  return data as T;
}
