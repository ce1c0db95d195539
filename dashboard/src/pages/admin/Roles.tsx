// Roles and their permissions (read-only: the table is part of eMMA, not configurable).
import { createResource, For, Match, Show, Switch } from 'solid-js';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { ErrorBanner, Loading } from '../../components/Feedback';
import { t } from '../../i18n';

type Role = components['schemas']['Role'];

/** Every permission any role has, in the order the server lists them (the admin holds them all). */
export function permissionRows(roles: readonly Role[]): string[] {
  const seen = new Set<string>();
  for (const role of roles) for (const permission of role.permissions) seen.add(permission);
  return [...seen];
}

export function Roles() {
  const [roles, { refetch }] = createResource(async () => (await unwrap(api.GET('/api/v1/roles'))).items);
  return (
    <section class="stack" aria-label={t('admin.tab.roles')}>
      <Switch>
        <Match when={roles.error !== undefined}>
          <ErrorBanner error={roles.error as unknown} onRetry={() => void refetch()} />
        </Match>
        <Match when={roles.latest}>
          {(list) => (
            <>
              <dl class="facts role-descriptions">
                <For each={list()}>
                  {(role) => (
                    <>
                      <dt>{t(`admin.role.${role.name}`)}</dt>
                      <dd>{t(`admin.roleDescription.${role.name}`)}</dd>
                    </>
                  )}
                </For>
              </dl>
              <div class="table-wrap">
                <table class="role-matrix" aria-label={t('admin.roles.matrix')}>
                  <thead>
                    <tr>
                      <th>{t('admin.roles.permission')}</th>
                      <For each={list()}>{(role) => <th>{t(`admin.role.${role.name}`)}</th>}</For>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={permissionRows(list())}>
                      {(permission) => (
                        <tr data-permission={permission}>
                          <td>
                            <code>{permission}</code>
                          </td>
                          <For each={list()}>
                            {(role) => {
                              const granted = (role.permissions as readonly string[]).includes(permission);
                              return (
                                <td class="granted" data-role={role.name} data-granted={granted}>
                                  <Show when={granted} fallback={<span class="muted">–</span>}>
                                    <span class="badge tone-ok" aria-label={t('admin.roles.granted')}>
                                      ✓
                                    </span>
                                  </Show>
                                </td>
                              );
                            }}
                          </For>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Match>
        <Match when={true}>
          <Loading />
        </Match>
      </Switch>
    </section>
  );
}
