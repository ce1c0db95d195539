// Sign in, restore a session on load, sign out.
import { api, ApiError, refreshSession, unwrap } from '../api/client';
import { realtime } from '../api/realtime';
import { clearSession, setSessionUser, storedRefreshToken, storeTokens } from '../api/session';

async function loadMe(): Promise<void> {
  const me = await unwrap(api.GET('/api/v1/auth/me'));
  setSessionUser(me.user, me.permissions);
  realtime.start();
}

export async function login(email: string, password: string): Promise<void> {
  const pair = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }));
  storeTokens(pair);
  await loadMe();
}

/** Signs in silently with the stored refresh token; false when there is none or it was refused. */
export async function restoreSession(): Promise<boolean> {
  if (!storedRefreshToken()) return false;
  if (!(await refreshSession())) return false;
  try {
    await loadMe();
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) clearSession();
    return false;
  }
}

export async function logout(): Promise<void> {
  realtime.stop();
  try {
    await api.POST('/api/v1/auth/logout');
  } finally {
    clearSession();
  }
}

/** The session ended without the user asking: stop live updates; the router shows the login page. */
export function endSession(): void {
  realtime.stop();
  clearSession();
}
