// Administration: users, the audit log and the roles table, each tab shown only to roles that may read
// it; and, for everyone signed in, changing their own password.
import { A, Navigate, useParams, useSearchParams } from '@solidjs/router';
import { createSignal, For, lazy, Match, Show, Switch } from 'solid-js';
import { can, session } from '../../api/session';
import { PageHeader } from '../../components/Feedback';
import { t } from '../../i18n';
import { ChangePasswordDialog } from './ChangePassword';
import { isTab, visibleTabs, type Tab } from './tabs';
import '../agents/agents.css';
import './admin.css';

// Each tab's code loads when the tab is first opened.
const Users = lazy(() => import('./Users').then((m) => ({ default: m.Users })));
const Audit = lazy(() => import('./Audit').then((m) => ({ default: m.Audit })));
const Roles = lazy(() => import('./Roles').then((m) => ({ default: m.Roles })));

export default function Admin() {
  const params = useParams<{ tab?: string }>();
  const [search, setSearch] = useSearchParams<{ password?: string }>();
  const tabs = () => visibleTabs(can);
  const tab = () => params.tab ?? tabs()[0];
  // `/admin?password=1` opens the dialog directly, so other screens can link to it.
  const [passwordOpen, setPasswordOpen] = createSignal(search.password === '1');
  const closePassword = () => {
    setPasswordOpen(false);
    if (search.password) setSearch({ password: undefined }, { replace: true });
  };

  return (
    <div class="admin-page">
      <PageHeader title={t('admin.title')}>
        <button type="button" class="button" onClick={() => setPasswordOpen(true)}>
          {t('admin.password.open')}
        </button>
      </PageHeader>
      <Show when={session()?.user.mustChangePassword}>
        <div class="banner tone-warn must-change" role="alert">
          <span>{t('admin.password.mustChange')}</span>
          <button type="button" class="button small primary" onClick={() => setPasswordOpen(true)}>
            {t('admin.password.openNow')}
          </button>
        </div>
      </Show>
      <Show when={tabs().length > 0}>
        <nav class="tabs" aria-label={t('admin.title')}>
          <For each={tabs()}>
            {(entry) => (
              <A
                href={`/admin/${entry}`}
                classList={{ active: tab() === entry }}
                aria-current={tab() === entry ? 'page' : undefined}
              >
                {t(`admin.tab.${entry}`)}
              </A>
            )}
          </For>
        </nav>
      </Show>
      <Switch>
        <Match when={tab() === undefined}>
          <p class="banner tone-warn">{t('admin.nothingToShow')}</p>
        </Match>
        <Match when={!isTab(tab() ?? '')}>
          <Navigate href="/admin" />
        </Match>
        <Match when={!tabs().includes(tab() as Tab)}>
          <p class="banner tone-warn" role="alert" data-testid="no-permission">
            {t('common.noPermission')}
          </p>
        </Match>
        <Match when={tab() === 'users'}>
          <Users />
        </Match>
        <Match when={tab() === 'audit'}>
          <Audit />
        </Match>
        <Match when={tab() === 'roles'}>
          <Roles />
        </Match>
      </Switch>
      <ChangePasswordDialog open={passwordOpen()} onClose={closePassword} />
    </div>
  );
}
