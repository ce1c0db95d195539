// Enrolment tokens: create one (the token and its install command are shown once, with Copy), list them,
// show an active token's install command again, revoke.
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty, ErrorBanner, FieldError, Loading } from '../../components/Feedback';
import { t } from '../../i18n';
import { formatDateTime, formatRelative } from '../../lib/format';
import { formErrors } from '../../lib/form-errors';
import { CopyButton } from '../../components/CopyButton';
import { createLiveResource, lastGood } from '../../lib/live';
import {
  DEFAULT_EXPIRY_S,
  EXPIRY_CHOICES,
  formatLabels,
  tokenRequest,
  tokenTone,
  type EnrollmentToken,
} from './model';

type Install = components['schemas']['AgentInstall'];
interface Created {
  enrollmentToken: EnrollmentToken;
  token: string;
  install: Install;
}

const TOKEN_FIELDS = ['name', 'expiresInS', 'maxUses', 'labels', 'requiresApproval'] as const;

/** The docker run command and compose snippet, each with Copy; the bare token too right after creation. */
export function InstallCommands(props: { install: Install; token?: string }) {
  return (
    <div class="install stack">
      <Show when={props.token}>
        {(token) => (
          <div class="install-block">
            <div class="install-head">
              <strong>{t('enrolment.token')}</strong>
              <CopyButton text={token()} label={t('enrolment.copyToken')} />
            </div>
            <code class="token-value" data-testid="token-value">
              {token()}
            </code>
          </div>
        )}
      </Show>
      <div class="install-block">
        <div class="install-head">
          <strong>{t('enrolment.dockerRun')}</strong>
          <CopyButton text={props.install.dockerRun} label={t('enrolment.copyCommand')} />
        </div>
        <pre data-testid="docker-run">{props.install.dockerRun}</pre>
      </div>
      <details>
        <summary>{t('enrolment.compose')}</summary>
        <div class="install-head">
          <span class="muted">{t('enrolment.composeHint')}</span>
          <CopyButton text={props.install.compose} />
        </div>
        <pre>{props.install.compose}</pre>
      </details>
    </div>
  );
}

function TokenForm(props: { onCreated: (created: Created) => void; onCancel: () => void }) {
  const [name, setName] = createSignal('');
  const [expiresInS, setExpiresInS] = createSignal(DEFAULT_EXPIRY_S);
  const [maxUses, setMaxUses] = createSignal('1');
  const [labels, setLabels] = createSignal('');
  const [requiresApproval, setRequiresApproval] = createSignal(false);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [general, setGeneral] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setGeneral(undefined);
    const request = tokenRequest({
      name: name(),
      expiresInS: expiresInS(),
      maxUses: maxUses(),
      labels: labels(),
      requiresApproval: requiresApproval(),
    });
    if (!request.ok) {
      setErrors(request.fields);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      props.onCreated(await unwrap(api.POST('/api/v1/enrollment-tokens', { body: request.body })));
    } catch (err) {
      const found = formErrors(err, TOKEN_FIELDS);
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
      class="form card token-form"
      onSubmit={(e) => void submit(e)}
      aria-label={t('enrolment.newToken')}
      novalidate
    >
      <h3>{t('enrolment.newToken')}</h3>
      <label>
        {t('enrolment.field.name')}
        <input
          name="name"
          required
          maxLength={200}
          placeholder={t('enrolment.field.namePlaceholder')}
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={Boolean(errors().name)}
        />
        {error('name')}
      </label>
      <div class="row">
        <label>
          {t('enrolment.field.expiresIn')}
          <select
            name="expiresInS"
            value={String(expiresInS())}
            onChange={(e) => setExpiresInS(Number(e.currentTarget.value))}
          >
            <For each={EXPIRY_CHOICES}>
              {(choice) => (
                <option value={String(choice.seconds)}>{t(`enrolment.expiry.${choice.key}`)}</option>
              )}
            </For>
          </select>
          {error('expiresInS')}
        </label>
        <label>
          {t('enrolment.field.maxUses')}
          <input
            name="maxUses"
            type="number"
            min="1"
            max="100000"
            step="1"
            inputMode="numeric"
            value={maxUses()}
            onInput={(e) => setMaxUses(e.currentTarget.value)}
            aria-invalid={Boolean(errors().maxUses)}
          />
          {error('maxUses')}
        </label>
      </div>
      <label>
        {t('enrolment.field.labels')}
        <input
          name="labels"
          placeholder="site=berlin, env=prod"
          value={labels()}
          onInput={(e) => setLabels(e.currentTarget.value)}
          aria-invalid={Boolean(errors().labels)}
        />
        <small class="muted">{t('enrolment.field.labelsHint')}</small>
        {error('labels')}
      </label>
      <label class="checkbox">
        <input
          type="checkbox"
          name="requiresApproval"
          checked={requiresApproval()}
          onChange={(e) => setRequiresApproval(e.currentTarget.checked)}
        />
        {t('enrolment.field.requiresApproval')}
      </label>
      <Show when={general()}>
        <p class="banner tone-bad" role="alert">
          {general()}
        </p>
      </Show>
      <div class="row">
        <button type="submit" class="button primary" disabled={busy()}>
          {busy() ? t('enrolment.creating') : t('enrolment.createToken')}
        </button>
        <button type="button" class="button" onClick={() => props.onCancel()} disabled={busy()}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}

export function EnrolmentTokens() {
  const [tokens, { refetch, mutate }] = createLiveResource(
    async () => (await unwrap(api.GET('/api/v1/enrollment-tokens'))).items,
    // An agent that enrolled has just used a token (enrolment announces the agent).
    { topics: () => ['overview'], relevant: (change) => change.t === 'agent', minIntervalMs: 2000 },
  );
  const list = lastGood(tokens);
  const [formOpen, setFormOpen] = createSignal(false);
  const [created, setCreated] = createSignal<Created>();
  const [shown, setShown] = createSignal<{ token: EnrollmentToken; install?: Install; error?: unknown }>();
  const [revoking, setRevoking] = createSignal<EnrollmentToken>();
  const [busy, setBusy] = createSignal(false);
  const [revokeError, setRevokeError] = createSignal<string>();
  const [notice, setNotice] = createSignal<string>();

  const showInstall = async (token: EnrollmentToken) => {
    if (shown()?.token.id === token.id) {
      setShown(undefined);
      return;
    }
    setShown({ token });
    try {
      const install = await unwrap(
        api.GET('/api/v1/enrollment-tokens/{id}/install', { params: { path: { id: token.id } } }),
      );
      setShown({ token, install });
    } catch (error) {
      setShown({ token, error });
    }
  };

  const revoke = async () => {
    const token = revoking();
    if (!token) return;
    setBusy(true);
    setRevokeError(undefined);
    try {
      await unwrap(api.DELETE('/api/v1/enrollment-tokens/{id}', { params: { path: { id: token.id } } }));
      setRevoking(undefined);
      if (shown()?.token.id === token.id) setShown(undefined);
      if (created()?.enrollmentToken.id === token.id) setCreated(undefined);
      setNotice(t('enrolment.tokenRevoked', { name: token.name }));
      // Revoked tokens leave the list; no need to wait for the re-read to show it.
      mutate((list() ?? []).filter((other) => other.id !== token.id));
      refetch();
    } catch (err) {
      setRevokeError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card stack" aria-labelledby="tokens-title" data-testid="tokens-section">
      <div class="section-head">
        <h2 id="tokens-title">{t('enrolment.tokens')}</h2>
        <Show when={!formOpen()}>
          <button
            type="button"
            class="button primary"
            onClick={() => {
              setFormOpen(true);
              setNotice(undefined);
            }}
          >
            {t('enrolment.newToken')}
          </button>
        </Show>
      </div>
      <p class="muted">{t('enrolment.tokensIntro')}</p>
      <Show when={formOpen()}>
        <TokenForm
          onCancel={() => setFormOpen(false)}
          onCreated={(result) => {
            setFormOpen(false);
            setCreated(result);
            refetch();
          }}
        />
      </Show>
      <Show when={created()}>
        {(result) => (
          <div class="card created-token" role="region" aria-label={t('enrolment.createdRegion')}>
            <h3>{t('enrolment.createdTitle', { name: result().enrollmentToken.name })}</h3>
            <p class="banner tone-warn">{t('enrolment.createdOnce')}</p>
            <InstallCommands install={result().install} token={result().token} />
            <div class="row">
              <button type="button" class="button" onClick={() => setCreated(undefined)}>
                {t('enrolment.done')}
              </button>
            </div>
          </div>
        )}
      </Show>
      <Show when={notice()}>
        <p class="banner tone-ok" role="status">
          {notice()}
        </p>
      </Show>
      <Show when={tokens.error !== undefined}>
        <ErrorBanner error={tokens.error as unknown} onRetry={refetch} />
      </Show>
      <Switch>
        <Match when={list()}>
          {(list) => (
            <Show when={list().length > 0} fallback={<Empty>{t('enrolment.noTokens')}</Empty>}>
              <div class="table-wrap">
                <table aria-label={t('enrolment.tokens')}>
                  <thead>
                    <tr>
                      <th>{t('common.name')}</th>
                      <th>{t('common.status')}</th>
                      <th>{t('enrolment.uses')}</th>
                      <th>{t('enrolment.labels')}</th>
                      <th>{t('enrolment.approval')}</th>
                      <th>{t('enrolment.expires')}</th>
                      <th>{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(token) => (
                        <>
                          <tr data-token-id={token.id}>
                            <td>{token.name}</td>
                            <td>
                              <span class={`badge tone-${tokenTone(token.status)}`} data-state={token.status}>
                                {t(`enrolment.tokenStatus.${token.status}`)}
                              </span>
                            </td>
                            <td>{t('enrolment.usesOf', { uses: token.uses, max: token.maxUses })}</td>
                            <td>
                              <For each={formatLabels(token.labels)} fallback={<span class="muted">–</span>}>
                                {(label) => <span class="chip label-chip">{label}</span>}
                              </For>
                            </td>
                            <td>{token.requiresApproval ? t('common.yes') : t('common.no')}</td>
                            <td title={formatDateTime(token.expiresAt)}>{formatRelative(token.expiresAt)}</td>
                            <td>
                              <div class="row-actions">
                                <Show when={token.status === 'active'}>
                                  <button
                                    type="button"
                                    class="button small"
                                    aria-expanded={shown()?.token.id === token.id}
                                    onClick={() => void showInstall(token)}
                                  >
                                    {t('enrolment.showInstall')}
                                  </button>
                                </Show>
                                <button
                                  type="button"
                                  class="button small danger"
                                  onClick={() => {
                                    setRevokeError(undefined);
                                    setRevoking(token);
                                  }}
                                >
                                  {t('enrolment.revokeToken')}
                                </button>
                              </div>
                            </td>
                          </tr>
                          <Show when={shown()?.token.id === token.id ? shown() : undefined}>
                            {(view) => (
                              <tr class="install-row">
                                <td colSpan={7}>
                                  <Show when={view().error !== undefined}>
                                    <ErrorBanner error={view().error} />
                                  </Show>
                                  <Switch>
                                    <Match when={view().install}>
                                      {(install) => <InstallCommands install={install()} />}
                                    </Match>
                                    <Match when={view().error === undefined}>
                                      <Loading />
                                    </Match>
                                  </Switch>
                                </td>
                              </tr>
                            )}
                          </Show>
                        </>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </Match>
        <Match when={tokens.error === undefined}>
          <Loading />
        </Match>
      </Switch>
      <ConfirmDialog
        open={revoking() !== undefined}
        title={t('enrolment.revokeTokenTitle', { name: revoking()?.name ?? '' })}
        confirmLabel={busy() ? t('enrolment.revoking') : t('enrolment.revokeToken')}
        danger
        busy={busy()}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(undefined)}
      >
        <p>{t('enrolment.revokeTokenBody')}</p>
        <Show when={revokeError()}>
          <p class="banner tone-bad" role="alert">
            {revokeError()}
          </p>
        </Show>
      </ConfirmDialog>
    </section>
  );
}
