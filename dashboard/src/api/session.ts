// The signed-in user's session: tokens, the user and their permissions. The access token lives in memory;
// the single-use refresh token in localStorage, so a reload or a new tab signs in silently.
import { createSignal } from 'solid-js';
import type { components } from './schema.gen';

export type User = components['schemas']['User'];
export type TokenPair = components['schemas']['TokenPair'];
export type Permission = components['schemas']['Me']['permissions'][number];

const REFRESH_KEY = 'emma.refreshToken';

interface SessionState {
  user: User;
  permissions: ReadonlySet<string>;
}

const [state, setState] = createSignal<SessionState | undefined>(undefined);
let accessToken: string | undefined;
let accessExpiresAt = 0;

export const session = state;

export function currentAccessToken(): string | undefined {
  return accessToken;
}

/** Seconds left on the access token (0 when there is none). */
export function accessSecondsLeft(now = Date.now()): number {
  return accessToken ? Math.max(0, Math.floor((accessExpiresAt - now) / 1000)) : 0;
}

export function storedRefreshToken(): string | undefined {
  try {
    return localStorage.getItem(REFRESH_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeTokens(pair: TokenPair): void {
  accessToken = pair.accessToken;
  accessExpiresAt = Date.now() + pair.expiresIn * 1000;
  try {
    localStorage.setItem(REFRESH_KEY, pair.refreshToken);
  } catch {
    // Private mode without storage: the session lasts as long as the page.
  }
}

export function setSessionUser(user: User, permissions: readonly string[]): void {
  setState({ user, permissions: new Set(permissions) });
}

export function clearSession(): void {
  accessToken = undefined;
  accessExpiresAt = 0;
  try {
    localStorage.removeItem(REFRESH_KEY);
  } catch {
    // nothing stored
  }
  setState(undefined);
}

/** Whether the signed-in user holds a permission; the API refuses what this hides anyway. */
export function can(permission: Permission): boolean {
  return state()?.permissions.has(permission) ?? false;
}
