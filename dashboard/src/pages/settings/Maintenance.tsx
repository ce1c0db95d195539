// Maintenance windows, grouped into active, upcoming and past; operators and admins (alerts:write)
// create, change and delete them. A window's phase follows the clock without a reload.
import { createMemo, createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { can } from '../../api/session';
import { ConfirmDelete, createDeletion } from '../../components/ConfirmDelete';
import { Empty, ErrorBanner, Loading } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { t } from '../../i18n';
import { formatDateTime, formatDuration } from '../../lib/format';
import { createNameLookup } from './entities';
import { phaseOf, scopeOf, type MaintenanceWindow, type WindowPhase } from './maintenance-model';
import { MaintenanceForm } from './MaintenanceForm';

const PHASES: readonly WindowPhase[] = ['active', 'upcoming', 'past'];
const PHASE_TONES: Record<WindowPhase, string> = { active: 'degraded', upcoming: 'pending', past: 'revoked' };

export default function Maintenance() {
  const [windows, { refetch }] = createResource(() =>
    unwrap(api.GET('/api/v1/maintenance-windows', { params: { query: { limit: 1000 } } })),
  );
  const [now, setNow] = createSignal(Date.now());
  // The clock moves windows between phases; recurring ones need the server's word on `active`.
  const tick = setInterval(() => setNow(Date.now()), 30_000);
  const reread = setInterval(() => void refetch(), 60_000);
  onCleanup(() => {
    clearInterval(tick);
    clearInterval(reread);
  });
  const names = createNameLookup();
  const [editing, setEditing] = createSignal<MaintenanceWindow | 'new'>();
  const deletion = createDeletion<MaintenanceWindow>(
    (window) =>
      unwrap(api.DELETE('/api/v1/maintenance-windows/{id}', { params: { path: { id: window.id } } })),
    () => void refetch(),
  );
  const writable = () => can('alerts:write');

  const grouped = createMemo(() => {
    const groups: Record<WindowPhase, MaintenanceWindow[]> = { active: [], upcoming: [], past: [] };
    for (const window of windows.latest?.items ?? []) groups[phaseOf(window, now())].push(window);
    return groups;
  });

  const scopeText = (window: MaintenanceWindow) => {
    const scope = scopeOf(window);
    if (scope === 'labels') {
      const labels = Object.entries(window.labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return t('settings.maintenance.scopeLabels', { labels });
    }
    const id = window.agentId ?? window.probeId ?? window.containerId ?? '';
    return `${t(`settings.maintenance.scope.${scope}`)}: ${names.nameOf(scope, id) ?? '…'}`;
  };
  const whenText = (window: MaintenanceWindow) => {
    if (window.cron === null) return `${formatDateTime(window.startsAt)} – ${formatDateTime(window.endsAt)}`;
    const parts = [
      t('settings.maintenance.cronText', {
        cron: window.cron,
        duration: formatDuration(window.durationS),
      }),
    ];
    if (window.startsAt)
      parts.push(t('settings.maintenance.from', { time: formatDateTime(window.startsAt) }));
    if (window.endsAt) parts.push(t('settings.maintenance.until', { time: formatDateTime(window.endsAt) }));
    return parts.join(' · ');
  };

  return (
    <Show
      when={editing()}
      fallback={
        <section aria-labelledby="maintenance-title">
          <h2 id="maintenance-title" class="sr-only">
            {t('settings.tab.maintenance')}
          </h2>
          <div class="toolbar">
            <Show when={writable()} fallback={<p class="muted">{t('settings.maintenance.readOnly')}</p>}>
              <button type="button" class="button primary" onClick={() => setEditing('new')}>
                {t('settings.maintenance.new')}
              </button>
            </Show>
          </div>
          <Switch>
            <Match when={windows.error !== undefined}>
              <ErrorBanner error={windows.error as unknown} onRetry={() => void refetch()} />
            </Match>
            <Match when={windows.loading && !windows.latest}>
              <Loading />
            </Match>
            <Match when={windows.latest?.items.length === 0}>
              <Empty>{t('settings.maintenance.empty')}</Empty>
            </Match>
            <Match when={windows.latest}>
              <For each={PHASES}>
                {(phase) => (
                  <section class="window-group" aria-labelledby={`windows-${phase}`} data-phase={phase}>
                    <h3 id={`windows-${phase}`}>
                      {t(`settings.maintenance.phase.${phase}`)}{' '}
                      <span class="muted">({grouped()[phase].length})</span>
                    </h3>
                    <Show
                      when={grouped()[phase].length > 0}
                      fallback={<p class="muted">{t(`settings.maintenance.none.${phase}`)}</p>}
                    >
                      <div class="table-wrap">
                        <table>
                          <thead>
                            <tr>
                              <th>{t('common.name')}</th>
                              <th>{t('settings.maintenance.scope')}</th>
                              <th>{t('settings.maintenance.when')}</th>
                              <th>{t('settings.maintenance.reason')}</th>
                              <Show when={writable()}>
                                <th>{t('common.actions')}</th>
                              </Show>
                            </tr>
                          </thead>
                          <tbody>
                            <For each={grouped()[phase]}>
                              {(window) => (
                                <tr data-window={window.name}>
                                  <td>
                                    {window.name}{' '}
                                    <StatusBadge
                                      state={PHASE_TONES[phase]}
                                      label={t(`settings.maintenance.badge.${phase}`)}
                                    />
                                  </td>
                                  <td class="cell-wrap">{scopeText(window)}</td>
                                  <td class="cell-wrap">{whenText(window)}</td>
                                  <td class="cell-wrap">{window.reason || '–'}</td>
                                  <Show when={writable()}>
                                    <td>
                                      <div class="form-actions">
                                        <button
                                          type="button"
                                          class="button small"
                                          onClick={() => setEditing(window)}
                                        >
                                          {t('action.edit')}
                                        </button>
                                        <button
                                          type="button"
                                          class="button small danger"
                                          onClick={() => deletion.ask(window)}
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
                    </Show>
                  </section>
                )}
              </For>
            </Match>
          </Switch>
          <ConfirmDelete
            deletion={deletion}
            title={t('settings.maintenance.deleteTitle', { name: deletion.target()?.name ?? '' })}
            body={t('settings.maintenance.deleteBody')}
          />
        </section>
      }
    >
      {(target) => {
        const current = target();
        return (
          <MaintenanceForm
            window={current === 'new' ? undefined : current}
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
