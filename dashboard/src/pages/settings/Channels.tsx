// Notification channels: everyone with alerts:read sees the list; admins (channels:write) create, change,
// delete and test them. A test sends a real message now and shows what the receiver answered.
import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { can } from '../../api/session';
import { ConfirmDelete, createDeletion } from '../../components/ConfirmDelete';
import { Empty, ErrorBanner, Loading } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { t } from '../../i18n';
import { formatMs } from '../../lib/format';
import { ChannelForm, type Channel } from './ChannelForm';

type Delivery = components['schemas']['NotificationDeliveryDetail'];

interface TestState {
  busy: boolean;
  delivery?: Delivery;
  error?: unknown;
}

/** A short line of the visible (non-secret) settings, e.g. "url: https://…, method: PUT". */
export function configSummary(channel: Pick<Channel, 'config' | 'secretsSet'>): string {
  const parts = Object.entries(channel.config)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}: ${String(value)}`);
  const lists = Object.entries(channel.config)
    .filter(([, value]) => Array.isArray(value))
    .map(([key, value]) => `${key}: ${(value as unknown[]).map(String).join(', ')}`);
  return [...parts, ...lists].join(' · ');
}

/** What a test delivery says: delivered with status and time, or why it failed. */
export function testOutcome(delivery: Delivery): { ok: boolean; text: string } {
  const attempt = delivery.attemptLog[0];
  if (delivery.status === 'succeeded') {
    return {
      ok: true,
      text: t('settings.channels.testOk', {
        status: delivery.lastStatusCode ?? '–',
        time: formatMs(attempt?.durationMs),
      }),
    };
  }
  return {
    ok: false,
    text: t('settings.channels.testFailed', {
      error: delivery.lastError ?? attempt?.error ?? delivery.status,
    }),
  };
}

export default function Channels() {
  const [channels, { refetch }] = createResource(() =>
    unwrap(api.GET('/api/v1/notification-channels', { params: { query: { limit: 1000 } } })),
  );
  const [editing, setEditing] = createSignal<Channel | 'new'>();
  const deletion = createDeletion<Channel>(
    (channel) =>
      unwrap(api.DELETE('/api/v1/notification-channels/{id}', { params: { path: { id: channel.id } } })),
    () => void refetch(),
  );
  const [tests, setTests] = createStore<Record<string, TestState>>({});
  const writable = () => can('channels:write');

  const sendTest = async (channel: Channel) => {
    setTests(channel.id, { busy: true });
    try {
      const delivery = await unwrap(
        api.POST('/api/v1/notification-channels/{id}/test', { params: { path: { id: channel.id } } }),
      );
      setTests(channel.id, { busy: false, delivery });
    } catch (error) {
      setTests(channel.id, { busy: false, error });
    }
  };

  return (
    <Show
      when={editing()}
      fallback={
        <section aria-labelledby="channels-title">
          <div class="toolbar">
            <h2 id="channels-title" class="sr-only">
              {t('settings.tab.channels')}
            </h2>
            <Show when={writable()} fallback={<p class="muted">{t('settings.channels.readOnly')}</p>}>
              <button type="button" class="button primary" onClick={() => setEditing('new')}>
                {t('settings.channels.new')}
              </button>
            </Show>
          </div>
          <Switch>
            <Match when={channels.error !== undefined}>
              <ErrorBanner error={channels.error as unknown} onRetry={() => void refetch()} />
            </Match>
            <Match when={channels.loading && !channels.latest}>
              <Loading />
            </Match>
            <Match when={channels.latest?.items.length === 0}>
              <Empty>{t('settings.channels.empty')}</Empty>
            </Match>
            <Match when={channels.latest}>
              {(page) => (
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th>{t('common.name')}</th>
                        <th>{t('settings.channels.type')}</th>
                        <th>{t('common.state')}</th>
                        <th>{t('settings.channels.settings')}</th>
                        <Show when={writable()}>
                          <th>{t('settings.channels.test')}</th>
                          <th>{t('common.actions')}</th>
                        </Show>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={page().items}>
                        {(channel) => (
                          <tr data-channel={channel.name}>
                            <td>{channel.name}</td>
                            <td>{channel.type}</td>
                            <td>
                              <StatusBadge
                                state={channel.enabled ? 'up' : 'paused'}
                                label={channel.enabled ? t('settings.enabled') : t('settings.disabled')}
                              />
                            </td>
                            <td class="cell-wrap">
                              <span>{configSummary(channel)}</span>
                              <Show when={channel.secretsSet.length > 0}>
                                {' '}
                                <span class="muted">
                                  {t('settings.channels.secrets', { names: channel.secretsSet.join(', ') })}
                                </span>
                              </Show>
                            </td>
                            <Show when={writable()}>
                              <td class="test-result">
                                <button
                                  type="button"
                                  class="button small"
                                  disabled={tests[channel.id]?.busy || !channel.enabled}
                                  title={channel.enabled ? undefined : t('settings.channels.testDisabled')}
                                  onClick={() => void sendTest(channel)}
                                >
                                  {tests[channel.id]?.busy
                                    ? t('settings.channels.testing')
                                    : t('settings.channels.sendTest')}
                                </button>{' '}
                                <Show when={tests[channel.id]?.delivery}>
                                  {(delivery) => (
                                    <span
                                      class={`badge tone-${testOutcome(delivery()).ok ? 'ok' : 'bad'}`}
                                      role="status"
                                      data-test-result={testOutcome(delivery()).ok ? 'ok' : 'failed'}
                                    >
                                      {testOutcome(delivery()).text}
                                    </span>
                                  )}
                                </Show>
                                <Show when={tests[channel.id]?.error}>
                                  {(error) => <ErrorBanner error={error()} />}
                                </Show>
                              </td>
                              <td>
                                <div class="form-actions">
                                  <button
                                    type="button"
                                    class="button small"
                                    onClick={() => setEditing(channel)}
                                  >
                                    {t('action.edit')}
                                  </button>
                                  <button
                                    type="button"
                                    class="button small danger"
                                    onClick={() => deletion.ask(channel)}
                                  >
                                    {t('action.delete')}
                                  </button>
                                </div>
                              </td>
                            </Show>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              )}
            </Match>
          </Switch>
          <ConfirmDelete
            deletion={deletion}
            title={t('settings.channels.deleteTitle', { name: deletion.target()?.name ?? '' })}
            body={t('settings.channels.deleteBody')}
          />
        </section>
      }
    >
      {(target) => {
        const current = target();
        return (
          <ChannelForm
            channel={current === 'new' ? undefined : current}
            onDone={(saved) => {
              setEditing(undefined);
              if (saved) void refetch();
            }}
          />
        );
      }}
    </Show>
  );
}
