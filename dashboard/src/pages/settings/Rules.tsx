// Alert rules: everyone with alerts:read sees them; operators and admins (alerts:write) create, change,
// enable/disable and delete them.
import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, unwrap } from '../../api/client';
import { can } from '../../api/session';
import { ConfirmDelete, createDeletion } from '../../components/ConfirmDelete';
import { Empty, ErrorBanner, Loading } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { t } from '../../i18n';
import { formatDuration } from '../../lib/format';
import { createNameLookup } from './entities';
import { kindLabel, targetSummary, type Rule } from './rule-model';
import { RuleForm } from './RuleForm';

export default function Rules() {
  const [rules, { refetch, mutate }] = createResource(() =>
    unwrap(api.GET('/api/v1/alert-rules', { params: { query: { limit: 1000 } } })),
  );
  const [channels] = createResource(() =>
    unwrap(api.GET('/api/v1/notification-channels', { params: { query: { limit: 1000 } } })),
  );
  const names = createNameLookup();
  const nameOf = (kind: 'agent' | 'probe', id: string) => names.nameOf(kind, id);
  const channelNames = (ids: readonly string[]) => {
    const byId = new Map((channels.latest?.items ?? []).map((c) => [c.id, c.name]));
    return ids.map((id) => byId.get(id) ?? '…').join(', ');
  };
  const [editing, setEditing] = createSignal<Rule | 'new'>();
  const [actionError, setActionError] = createSignal<unknown>();
  const [toggling, setToggling] = createStore<Record<string, boolean>>({});
  const writable = () => can('alerts:write');

  const toggle = async (rule: Rule) => {
    setToggling(rule.id, true);
    setActionError(undefined);
    try {
      const saved = await unwrap(
        api.PATCH('/api/v1/alert-rules/{id}', {
          params: { path: { id: rule.id } },
          body: { enabled: !rule.enabled },
        }),
      );
      const page = rules.latest;
      if (page) mutate({ ...page, items: page.items.map((r) => (r.id === saved.id ? saved : r)) });
    } catch (err) {
      setActionError(err);
    } finally {
      setToggling(rule.id, false);
    }
  };

  // A failed delete shows in the dialog and, like a failed switch, above the list.
  const deletion = createDeletion<Rule>(
    async (rule) => {
      setActionError(undefined);
      try {
        await unwrap(api.DELETE('/api/v1/alert-rules/{id}', { params: { path: { id: rule.id } } }));
      } catch (err) {
        setActionError(err);
        throw err;
      }
    },
    () => void refetch(),
  );

  return (
    <Show
      when={editing()}
      fallback={
        <section aria-labelledby="rules-title">
          <h2 id="rules-title" class="sr-only">
            {t('settings.tab.rules')}
          </h2>
          <div class="toolbar">
            <Show when={writable()} fallback={<p class="muted">{t('settings.rules.readOnly')}</p>}>
              <button type="button" class="button primary" onClick={() => setEditing('new')}>
                {t('settings.rules.new')}
              </button>
            </Show>
          </div>
          <Show when={actionError()}>{(err) => <ErrorBanner error={err()} />}</Show>
          <Switch>
            <Match when={rules.error !== undefined}>
              <ErrorBanner error={rules.error as unknown} onRetry={() => void refetch()} />
            </Match>
            <Match when={rules.loading && !rules.latest}>
              <Loading />
            </Match>
            <Match when={rules.latest?.items.length === 0}>
              <Empty>{t('settings.rules.empty')}</Empty>
            </Match>
            <Match when={rules.latest}>
              {(page) => (
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th>{t('settings.field.enabled')}</th>
                        <th>{t('common.name')}</th>
                        <th>{t('settings.rules.kind')}</th>
                        <th>{t('settings.field.severity')}</th>
                        <th>{t('settings.rules.target')}</th>
                        <th>{t('settings.field.channelIds')}</th>
                        <th>{t('settings.rules.for')}</th>
                        <Show when={writable()}>
                          <th>{t('common.actions')}</th>
                        </Show>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={page().items}>
                        {(rule) => (
                          <tr data-rule={rule.name}>
                            <td>
                              <Show
                                when={writable()}
                                fallback={
                                  <StatusBadge
                                    state={rule.enabled ? 'up' : 'paused'}
                                    label={rule.enabled ? t('settings.enabled') : t('settings.disabled')}
                                  />
                                }
                              >
                                <input
                                  type="checkbox"
                                  role="switch"
                                  aria-label={t('settings.rules.enabledFor', { name: rule.name })}
                                  checked={rule.enabled}
                                  disabled={toggling[rule.id]}
                                  onChange={() => void toggle(rule)}
                                />
                              </Show>
                            </td>
                            <td>{rule.name}</td>
                            <td>{kindLabel(rule.kind)}</td>
                            <td>
                              <StatusBadge
                                state={rule.severity}
                                label={t(`settings.severity.${rule.severity}`)}
                              />
                            </td>
                            <td class="cell-wrap">{targetSummary(rule, nameOf)}</td>
                            <td class="cell-wrap">
                              {rule.channelIds.length
                                ? channelNames(rule.channelIds)
                                : t('settings.rules.noNotify')}
                            </td>
                            <td>{formatDuration(rule.forS)}</td>
                            <Show when={writable()}>
                              <td>
                                <div class="form-actions">
                                  <button type="button" class="button small" onClick={() => setEditing(rule)}>
                                    {t('action.edit')}
                                  </button>
                                  <button
                                    type="button"
                                    class="button small danger"
                                    onClick={() => deletion.ask(rule)}
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
            title={t('settings.rules.deleteTitle', { name: deletion.target()?.name ?? '' })}
            body={t('settings.rules.deleteBody')}
          />
        </section>
      }
    >
      {(target) => {
        const current = target();
        return (
          <RuleForm
            rule={current === 'new' ? undefined : current}
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
