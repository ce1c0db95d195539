// Settings: notification channels, alert rules and maintenance windows, one tab each (`/settings/:tab`).
import { A, Navigate, useParams } from '@solidjs/router';
import { For, Match, Switch } from 'solid-js';
import { PageHeader } from '../../components/Feedback';
import { t } from '../../i18n';
import Channels from './Channels';
import Maintenance from './Maintenance';
import Rules from './Rules';
import './settings.css';

const TABS = ['channels', 'rules', 'maintenance'] as const;

export default function Settings() {
  const params = useParams<{ tab?: string }>();
  const tab = () => params.tab ?? 'channels';
  return (
    <>
      <PageHeader title={t('nav.settings')} />
      <nav class="tabs" aria-label={t('nav.settings')}>
        <For each={TABS}>
          {(name) => (
            <A
              href={`/settings/${name}`}
              classList={{ active: tab() === name }}
              aria-current={tab() === name ? 'page' : undefined}
            >
              {t(`settings.tab.${name}`)}
            </A>
          )}
        </For>
      </nav>
      <Switch fallback={<Navigate href="/settings/channels" />}>
        <Match when={tab() === 'channels'}>
          <Channels />
        </Match>
        <Match when={tab() === 'rules'}>
          <Rules />
        </Match>
        <Match when={tab() === 'maintenance'}>
          <Maintenance />
        </Match>
      </Switch>
    </>
  );
}
