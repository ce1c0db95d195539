// Users: list and search, create, change role, disable / enable, delete. The server guards the rules
// (the last admin, your own account); its refusals are shown as they come.
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { can, session } from '../../api/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty, ErrorBanner, Loading } from '../../components/Feedback';
import { t } from '../../i18n';
import { formatDateTime, formatRelative } from '../../lib/format';
import { CopyButton } from '../../components/CopyButton';
import { createLiveResource, lastGood } from '../../lib/live';
import { CreateUserForm, ROLES, type CreatedUser, type Role, type User } from './CreateUser';
import { Pager } from '../../components/Pager';

const PAGE = 50;
type StatusFilter = 'all' | 'active' | 'disabled';

type UserChange =
  | { kind: 'role'; user: User; role: Role }
  | { kind: 'disable'; user: User }
  | { kind: 'enable'; user: User }
  | { kind: 'delete'; user: User };

/** Applies a change; the changed user, or undefined when deleted. */
async function apply(change: UserChange): Promise<User | undefined> {
  const path = { params: { path: { id: change.user.id } } };
  if (change.kind === 'delete') {
    await unwrap(api.DELETE('/api/v1/users/{id}', path));
    return undefined;
  }
  const body = change.kind === 'role' ? { role: change.role } : { disabled: change.kind === 'disable' };
  return unwrap(api.PATCH('/api/v1/users/{id}', { ...path, body }));
}

function changeTitle(change: UserChange): string {
  const name = change.user.name;
  return change.kind === 'role'
    ? t('admin.users.confirmRole', { name, role: t(`admin.role.${change.role}`) })
    : t(`admin.users.confirm.${change.kind}`, { name });
}

export function Users() {
  const mayWrite = () => can('users:write');
  const [search, setSearch] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [role, setRole] = createSignal<Role | ''>('');
  const [status, setStatus] = createSignal<StatusFilter>('all');
  const [offset, setOffset] = createSignal(0);

  // There is no users topic; every change to a user writes an audit row, so admins hear of them there.
  const [users, { refetch, mutate }] = createLiveResource(
    () =>
      unwrap(
        api.GET('/api/v1/users', {
          params: {
            query: {
              limit: PAGE,
              offset: offset(),
              status: status(),
              ...(query() ? { q: query() } : {}),
              ...(role() ? { role: role() as Role } : {}),
            },
          },
        }),
      ),
    { topics: () => (can('audit:read') ? ['audit'] : []), minIntervalMs: 1500 },
  );
  const page = lastGood(users);
  createEffect(on([query, role, status, offset], () => refetch(), { defer: true }));

  let debounce: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      search,
      (text) => {
        clearTimeout(debounce);
        debounce = setTimeout(() => {
          setOffset(0);
          setQuery(text.trim());
        }, 300);
      },
      { defer: true },
    ),
  );
  onCleanup(() => {
    clearTimeout(debounce);
  });

  const [formOpen, setFormOpen] = createSignal(false);
  const [created, setCreated] = createSignal<CreatedUser>();
  const [change, setChange] = createSignal<UserChange>();
  const [busy, setBusy] = createSignal(false);
  const [changeError, setChangeError] = createSignal<string>();
  const [notice, setNotice] = createSignal<string>();

  const confirmChange = async () => {
    const current = change();
    if (!current) return;
    setBusy(true);
    setChangeError(undefined);
    try {
      const changed = await apply(current);
      // Show the answer at once; the re-read below brings the rest of the page up to date.
      const shown = page();
      if (shown) {
        mutate({
          ...shown,
          items: shown.items.flatMap((u) => (u.id !== current.user.id ? [u] : changed ? [changed] : [])),
        });
      }
      setChange(undefined);
      setNotice(
        current.kind === 'role'
          ? t('admin.users.doneRole', { name: current.user.name, role: t(`admin.role.${current.role}`) })
          : t(`admin.users.done.${current.kind}`, { name: current.user.name }),
      );
      refetch();
    } catch (err) {
      // e.g. 409 last_admin: "This is the last active admin; make another user admin first".
      setChangeError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const ask = (next: UserChange) => {
    setNotice(undefined);
    setChangeError(undefined);
    setChange(next);
  };

  return (
    <section class="stack" aria-label={t('admin.tab.users')}>
      <div class="toolbar">
        <input
          type="search"
          placeholder={t('admin.users.search')}
          aria-label={t('action.search')}
          value={search()}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        <label class="inline">
          <span>{t('admin.users.role')}</span>
          <select
            value={role()}
            onChange={(e) => {
              setOffset(0);
              setRole(e.currentTarget.value as Role | '');
            }}
          >
            <option value="">{t('common.all')}</option>
            <For each={ROLES}>{(r) => <option value={r}>{t(`admin.role.${r}`)}</option>}</For>
          </select>
        </label>
        <label class="inline">
          <span>{t('common.status')}</span>
          <select
            value={status()}
            onChange={(e) => {
              setOffset(0);
              setStatus(e.currentTarget.value as StatusFilter);
            }}
          >
            <option value="all">{t('common.all')}</option>
            <option value="active">{t('admin.users.active')}</option>
            <option value="disabled">{t('admin.users.disabled')}</option>
          </select>
        </label>
        <Show when={mayWrite() && !formOpen()}>
          <button
            type="button"
            class="button primary push-end"
            onClick={() => {
              setCreated(undefined);
              setNotice(undefined);
              setFormOpen(true);
            }}
          >
            {t('admin.users.new')}
          </button>
        </Show>
      </div>

      <Show when={formOpen()}>
        <CreateUserForm
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
          <div class="banner tone-ok created-user" role="status">
            <p>{t('admin.users.created', { name: result().user.name, email: result().user.email })}</p>
            <Show when={result().temporaryPassword}>
              {(password) => (
                <p class="temporary-password">
                  {t('admin.users.temporaryPassword')} <code>{password()}</code>{' '}
                  <CopyButton text={password()} />
                </p>
              )}
            </Show>
            <p>{t('admin.users.mustChangeHint')}</p>
          </div>
        )}
      </Show>
      <Show when={notice()}>
        <p class="banner tone-ok" role="status">
          {notice()}
        </p>
      </Show>
      <Show when={users.error !== undefined}>
        <ErrorBanner error={users.error as unknown} onRetry={refetch} />
      </Show>

      <Switch>
        <Match when={page()}>
          {(p) => (
            <Show when={p().items.length > 0} fallback={<Empty>{t('admin.users.none')}</Empty>}>
              <div class="table-wrap">
                <table aria-label={t('admin.tab.users')}>
                  <thead>
                    <tr>
                      <th>{t('common.name')}</th>
                      <th>{t('admin.users.email')}</th>
                      <th>{t('admin.users.role')}</th>
                      <th>{t('common.status')}</th>
                      <th>{t('admin.users.lastLogin')}</th>
                      <th>{t('admin.users.createdAt')}</th>
                      <Show when={mayWrite()}>
                        <th>{t('common.actions')}</th>
                      </Show>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={p().items}>
                      {(user) => {
                        const self = () => user.id === session()?.user.id;
                        return (
                          <tr data-user-id={user.id} data-email={user.email}>
                            <td>
                              {user.name}
                              <Show when={self()}>
                                {' '}
                                <span class="badge tone-info">{t('admin.users.you')}</span>
                              </Show>
                            </td>
                            <td>{user.email}</td>
                            <td>
                              <Show when={mayWrite()} fallback={t(`admin.role.${user.role}`)}>
                                <select
                                  aria-label={t('admin.users.roleOf', { name: user.name })}
                                  value={user.role}
                                  onChange={(e) => {
                                    const next = e.currentTarget.value as Role;
                                    // The select shows the stored role until the change is confirmed.
                                    e.currentTarget.value = user.role;
                                    if (next !== user.role) ask({ kind: 'role', user, role: next });
                                  }}
                                >
                                  <For each={ROLES}>
                                    {(r) => <option value={r}>{t(`admin.role.${r}`)}</option>}
                                  </For>
                                </select>
                              </Show>
                            </td>
                            <td>
                              <span
                                class={`badge tone-${user.disabled ? 'muted' : 'ok'}`}
                                data-state={user.disabled ? 'disabled' : 'active'}
                              >
                                {user.disabled ? t('admin.users.disabled') : t('admin.users.active')}
                              </span>
                              <Show when={user.mustChangePassword}>
                                {' '}
                                <span class="badge tone-warn" title={t('admin.users.mustChangeTitle')}>
                                  {t('admin.users.mustChange')}
                                </span>
                              </Show>
                            </td>
                            <td title={formatDateTime(user.lastLoginAt)}>
                              {user.lastLoginAt ? formatRelative(user.lastLoginAt) : t('common.never')}
                            </td>
                            <td title={formatDateTime(user.createdAt)}>{formatRelative(user.createdAt)}</td>
                            <Show when={mayWrite()}>
                              <td>
                                <div class="row-actions">
                                  <button
                                    type="button"
                                    class="button small"
                                    onClick={() => ask({ kind: user.disabled ? 'enable' : 'disable', user })}
                                  >
                                    {user.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                                  </button>
                                  <Show when={!self()}>
                                    <button
                                      type="button"
                                      class="button small danger"
                                      onClick={() => ask({ kind: 'delete', user })}
                                    >
                                      {t('action.delete')}
                                    </button>
                                  </Show>
                                </div>
                              </td>
                            </Show>
                          </tr>
                        );
                      }}
                    </For>
                  </tbody>
                </table>
              </div>
              <Pager offset={offset()} limit={PAGE} total={p().total} onChange={setOffset} />
            </Show>
          )}
        </Match>
        <Match when={users.error === undefined}>
          <Loading />
        </Match>
      </Switch>

      <ConfirmDialog
        open={change() !== undefined}
        title={(() => {
          const c = change();
          return c ? changeTitle(c) : '';
        })()}
        confirmLabel={
          busy()
            ? t('admin.working')
            : change()?.kind === 'role'
              ? t('admin.users.changeRole')
              : t(`admin.users.action.${change()?.kind ?? 'disable'}`)
        }
        danger={change()?.kind === 'delete' || change()?.kind === 'disable'}
        busy={busy()}
        onConfirm={() => void confirmChange()}
        onCancel={() => setChange(undefined)}
      >
        <p>{t(`admin.users.explain.${change()?.kind ?? 'disable'}`)}</p>
        <Show when={changeError()}>
          <p class="banner tone-bad" role="alert">
            {changeError()}
          </p>
        </Show>
      </ConfirmDialog>
    </section>
  );
}
