// The frame around every signed-in page: navigation (a drawer on phones), connection state, language,
// theme and the user menu. Navigation entries a role may not read are not shown.
import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { realtime } from '../api/realtime';
import { can, session, type Permission } from '../api/session';
import { logout } from '../auth/auth';
import { locale, LOCALES, setLocale, t, type Locale } from '../i18n';
import { theme, toggleTheme } from '../lib/theme';

interface NavEntry {
  href: string;
  label: string;
  permission: Permission;
  end?: boolean;
}

const NAV: NavEntry[] = [
  { href: '/', label: 'nav.overview', permission: 'agents:read', end: true },
  { href: '/hosts', label: 'nav.hosts', permission: 'agents:read' },
  { href: '/containers', label: 'nav.containers', permission: 'containers:read' },
  { href: '/probes', label: 'nav.probes', permission: 'probes:read' },
  { href: '/incidents', label: 'nav.incidents', permission: 'alerts:read' },
  { href: '/dashboards', label: 'nav.dashboards', permission: 'dashboards:read' },
  { href: '/reports', label: 'nav.reports', permission: 'reports:read' },
  { href: '/settings', label: 'nav.settings', permission: 'alerts:read' },
  { href: '/agents', label: 'nav.agents', permission: 'agents:read' },
  { href: '/admin', label: 'nav.admin', permission: 'roles:read' },
];

export function ConnectionIndicator() {
  return (
    <span class={`connection connection-${realtime.status()}`} role="status" data-status={realtime.status()}>
      <span class="dot" aria-hidden="true" />
      {t(`connection.${realtime.status()}`)}
    </span>
  );
}

export function Layout(props: { children?: JSX.Element }) {
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = createSignal(false);
  return (
    <div class="shell" classList={{ 'menu-open': menuOpen() }}>
      <header class="topbar">
        <button
          type="button"
          class="icon-button menu-toggle"
          aria-label={t('nav.menu')}
          aria-expanded={menuOpen()}
          onClick={() => setMenuOpen(!menuOpen())}
        >
          ☰
        </button>
        <A href="/" class="brand">
          {t('app.name')}
        </A>
        <div class="topbar-end">
          <ConnectionIndicator />
          <label class="sr-only" for="locale-select">
            {t('language.label')}
          </label>
          <select
            id="locale-select"
            class="locale-select"
            value={locale()}
            onChange={(e) => setLocale(e.currentTarget.value as Locale)}
          >
            <For each={LOCALES}>{(l) => <option value={l}>{l.toUpperCase()}</option>}</For>
          </select>
          <button
            type="button"
            class="icon-button"
            aria-label={t('theme.toggle')}
            title={t('theme.toggle')}
            onClick={toggleTheme}
          >
            {theme() === 'dark' ? '☀' : '☾'}
          </button>
          <A class="user" href="/admin?password=1" title={t('user.changePassword')}>
            {session()?.user.name} <small class="muted">({session()?.user.role})</small>
          </A>
          <button
            type="button"
            class="button small"
            onClick={() => {
              void logout().finally(() => navigate('/login', { replace: true }));
            }}
          >
            {t('user.logout')}
          </button>
        </div>
      </header>
      <nav class="sidebar" aria-label={t('nav.menu')} onClick={() => setMenuOpen(false)}>
        <For each={NAV}>
          {(entry) => (
            <Show when={can(entry.permission)}>
              <A href={entry.href} end={entry.end ?? false} activeClass="active">
                {t(entry.label)}
              </A>
            </Show>
          )}
        </For>
      </nav>
      <main class="content">{props.children}</main>
    </div>
  );
}
