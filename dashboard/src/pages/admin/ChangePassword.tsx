// The signed-in user changes their own password (POST /api/v1/auth/password). The server checks the
// current password and the new one's rules; its messages appear at the fields.
import { createEffect, createSignal, on, Show } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { setSessionUser } from '../../api/session';
import { FieldError } from '../../components/Feedback';
import { t } from '../../i18n';
import { formErrors } from '../../lib/form-errors';

const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;

/** Fields the browser can check before asking the server. */
export function passwordProblems(values: {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}): Record<string, string> {
  const problems: Record<string, string> = {};
  if (values.currentPassword === '') problems.currentPassword = t('admin.password.required');
  if (values.newPassword.length < 10) problems.newPassword = t('admin.password.tooShort');
  if (values.confirmPassword !== values.newPassword) problems.confirmPassword = t('admin.password.mismatch');
  return problems;
}

export function ChangePasswordDialog(props: { open: boolean; onClose: () => void }) {
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [general, setGeneral] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal(false);

  // Each opening starts empty: passwords never linger in a closed dialog.
  createEffect(
    on(
      () => props.open,
      (open) => {
        if (!open) return;
        setCurrent('');
        setNext('');
        setConfirm('');
        setErrors({});
        setGeneral(undefined);
        setDone(false);
      },
    ),
  );

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setGeneral(undefined);
    const problems = passwordProblems({
      currentPassword: current(),
      newPassword: next(),
      confirmPassword: confirm(),
    });
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/v1/auth/password', { body: { currentPassword: current(), newPassword: next() } }),
      );
      // The server cleared mustChangePassword; the session's copy of the user follows.
      const me = await unwrap(api.GET('/api/v1/auth/me'));
      setSessionUser(me.user, me.permissions);
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
    } catch (err) {
      const found = formErrors(err, FIELDS);
      setErrors(found.fields);
      setGeneral(found.general);
    } finally {
      setBusy(false);
    }
  };

  const error = (field: string) => <FieldError message={errors()[field]} />;

  return (
    <Show when={props.open}>
      <div class="modal-backdrop" onClick={() => !busy() && props.onClose()}>
        <div
          class="modal"
          role="dialog"
          aria-modal="true"
          aria-label={t('admin.password.title')}
          onClick={(e) => e.stopPropagation()}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !busy()) props.onClose();
          }}
        >
          <h2>{t('admin.password.title')}</h2>
          <Show
            when={!done()}
            fallback={
              <>
                <p class="banner tone-ok" role="status">
                  {t('admin.password.changed')}
                </p>
                <div class="modal-actions">
                  <button type="button" class="button primary" onClick={() => props.onClose()} autofocus>
                    {t('action.close')}
                  </button>
                </div>
              </>
            }
          >
            <form class="form" onSubmit={(e) => void submit(e)} novalidate>
              <label>
                {t('admin.password.current')}
                <input
                  name="currentPassword"
                  type="password"
                  autocomplete="current-password"
                  value={current()}
                  onInput={(e) => setCurrent(e.currentTarget.value)}
                  aria-invalid={Boolean(errors().currentPassword)}
                  autofocus
                />
                {error('currentPassword')}
              </label>
              <label>
                {t('admin.password.new')}
                <input
                  name="newPassword"
                  type="password"
                  autocomplete="new-password"
                  value={next()}
                  onInput={(e) => setNext(e.currentTarget.value)}
                  aria-invalid={Boolean(errors().newPassword)}
                />
                <small class="muted">{t('admin.password.rules')}</small>
                {error('newPassword')}
              </label>
              <label>
                {t('admin.password.confirm')}
                <input
                  name="confirmPassword"
                  type="password"
                  autocomplete="new-password"
                  value={confirm()}
                  onInput={(e) => setConfirm(e.currentTarget.value)}
                  aria-invalid={Boolean(errors().confirmPassword)}
                />
                {error('confirmPassword')}
              </label>
              <Show when={general()}>
                <p class="banner tone-bad" role="alert">
                  {general()}
                </p>
              </Show>
              <div class="modal-actions">
                <button type="button" class="button" onClick={() => props.onClose()} disabled={busy()}>
                  {t('action.cancel')}
                </button>
                <button type="submit" class="button primary" disabled={busy()}>
                  {busy() ? t('admin.password.saving') : t('admin.password.submit')}
                </button>
              </div>
            </form>
          </Show>
        </div>
      </div>
    </Show>
  );
}
