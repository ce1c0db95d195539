import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { t } from '../i18n';
import { login } from './auth';

/** Only same-app paths are followed after login (never another origin). */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function Login() {
  const [params] = useSearchParams<{ next?: string; expired?: string }>();
  const navigate = useNavigate();
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(email(), password());
      navigate(safeNext(params.next), { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={(e) => void submit(e)}>
        <h1>{t('login.title')}</h1>
        <Show when={params.expired}>
          <p class="banner tone-warn" role="status">
            {t('login.expired')}
          </p>
        </Show>
        <label>
          {t('login.email')}
          <input
            name="email"
            type="email"
            autocomplete="username"
            required
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <Show when={error()}>
          <p class="banner tone-bad" role="alert">
            {t('login.failed', { message: error() ?? '' })}
          </p>
        </Show>
        <button class="button primary" type="submit" disabled={busy()}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
