// A new user: email, name, role and an initial password (or one eMMA generates and shows once). The user
// chooses their own password at first sign-in.
import { createSignal, For, Show } from 'solid-js';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FieldError } from '../../components/Feedback';
import { t } from '../../i18n';
import { formErrors } from '../../lib/form-errors';

export type User = components['schemas']['User'];
export type Role = User['role'];
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

const FIELDS = ['email', 'name', 'role', 'password'] as const;

export interface CreatedUser {
  user: User;
  temporaryPassword?: string;
}

export function CreateUserForm(props: { onCreated: (created: CreatedUser) => void; onCancel: () => void }) {
  const [email, setEmail] = createSignal('');
  const [name, setName] = createSignal('');
  const [role, setRole] = createSignal<Role>('viewer');
  const [password, setPassword] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [general, setGeneral] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral(undefined);
    try {
      const created = await unwrap(
        api.POST('/api/v1/users', {
          body: {
            email: email().trim(),
            name: name().trim(),
            role: role(),
            ...(password() ? { password: password() } : {}),
          },
        }),
      );
      props.onCreated(created);
    } catch (err) {
      const found = formErrors(err, FIELDS, { email_taken: 'email' });
      setErrors(found.fields);
      setGeneral(found.general);
    } finally {
      setBusy(false);
    }
  };

  const error = (field: string) => <FieldError message={errors()[field]} />;

  // novalidate: the server's rules are the ones that count, and its messages appear at the fields.
  return (
    <form
      class="form card user-form"
      onSubmit={(e) => void submit(e)}
      aria-label={t('admin.users.new')}
      novalidate
    >
      <h3>{t('admin.users.new')}</h3>
      <div class="row">
        <label>
          {t('admin.users.email')}
          <input
            name="email"
            type="email"
            autocomplete="off"
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-invalid={Boolean(errors().email)}
          />
          {error('email')}
        </label>
        <label>
          {t('common.name')}
          <input
            name="name"
            autocomplete="off"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={Boolean(errors().name)}
          />
          {error('name')}
        </label>
      </div>
      <div class="row">
        <label>
          {t('admin.users.role')}
          <select name="role" value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            <For each={ROLES}>{(r) => <option value={r}>{t(`admin.role.${r}`)}</option>}</For>
          </select>
          {error('role')}
        </label>
        <label>
          {t('admin.users.initialPassword')}
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={Boolean(errors().password)}
          />
          <small class="muted">{t('admin.users.initialPasswordHint')}</small>
          {error('password')}
        </label>
      </div>
      <Show when={general()}>
        <p class="banner tone-bad" role="alert">
          {general()}
        </p>
      </Show>
      <div class="row">
        <button type="submit" class="button primary" disabled={busy()}>
          {busy() ? t('admin.users.creating') : t('admin.users.create')}
        </button>
        <button type="button" class="button" onClick={() => props.onCancel()} disabled={busy()}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
