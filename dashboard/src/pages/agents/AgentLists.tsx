// Agents waiting for approval, and every agent with its state; approve, reject, revoke, rotate, delete.
import { A } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { can } from '../../api/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty, ErrorBanner, FilterChip, Loading } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { t } from '../../i18n';
import { formatDateTime, formatRelative } from '../../lib/format';
import { Pager } from '../../components/Pager';
import { createLiveResource, lastGood } from '../../lib/live';
import { actionsFor, formatLabels, hostFact, type Agent, type AgentAction } from './model';

const STATUSES = ['online', 'offline', 'pending', 'revoked'] as const;
type StatusFilter = (typeof STATUSES)[number] | '';
const PAGE = 100;

/** Carries out an action; the changed agent, or undefined when deleted. */
async function perform(action: AgentAction, id: string): Promise<Agent | undefined> {
  const params = { params: { path: { id } } };
  switch (action) {
    case 'approve':
      return unwrap(api.PATCH('/api/v1/agents/{id}', { ...params, body: { approved: true } }));
    case 'reject':
    case 'revoke':
      // A rejected agent is revoked: it stays listed (and audited) but its credential stops working.
      return unwrap(api.POST('/api/v1/agents/{id}/revoke', params));
    case 'rotate':
      return unwrap(api.POST('/api/v1/agents/{id}/rotate-credential', params));
    case 'delete':
      await unwrap(api.DELETE('/api/v1/agents/{id}', params));
      return undefined;
  }
}

interface AgentPage {
  items: Agent[];
  total: number;
  limit: number;
  offset: number;
}

/** The page with one agent replaced by its changed self, or left out when gone (or no longer `keep`). */
function replaced(
  page: AgentPage,
  id: string,
  changed: Agent | undefined,
  keep: (agent: Agent) => boolean,
): AgentPage {
  const items = page.items.flatMap((a) => (a.id !== id ? [a] : changed && keep(changed) ? [changed] : []));
  return { ...page, items, total: page.total - (page.items.length - items.length) };
}

function AgentTable(props: {
  agents: readonly Agent[];
  label: string;
  pending?: boolean;
  busyId?: string;
  onAction: (action: AgentAction, agent: Agent) => void;
}) {
  return (
    <div class="table-wrap">
      <table aria-label={props.label}>
        <thead>
          <tr>
            <th>{t('common.name')}</th>
            <th>{t('common.status')}</th>
            <th>{t('enrolment.hostname')}</th>
            <th>{t('enrolment.version')}</th>
            <th>{t('enrolment.system')}</th>
            <th>{t('enrolment.labels')}</th>
            <th>{props.pending ? t('enrolment.enrolled') : t('enrolment.lastSeen')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.agents}>
            {(agent) => {
              const when = () => (props.pending ? agent.createdAt : agent.lastSeenAt);
              return (
                <tr data-agent-id={agent.id} data-status={agent.status}>
                  <td>
                    <Show when={agent.status !== 'pending'} fallback={agent.name}>
                      <A href={`/hosts/${agent.id}`}>{agent.name}</A>
                    </Show>
                  </td>
                  <td>
                    <StatusBadge state={agent.status} />
                    <Show when={agent.rotateCredential && agent.status !== 'revoked'}>
                      {' '}
                      <span class="badge tone-info" title={t('enrolment.rotationPendingHint')}>
                        {t('enrolment.rotationPending')}
                      </span>
                    </Show>
                  </td>
                  <td>{hostFact(agent, 'hostname') ?? '–'}</td>
                  <td>{hostFact(agent, 'agentVersion') ?? '–'}</td>
                  <td>
                    {[hostFact(agent, 'os'), hostFact(agent, 'arch')].filter(Boolean).join(' / ') || '–'}
                  </td>
                  <td>
                    <For each={formatLabels(agent.labels)} fallback={<span class="muted">–</span>}>
                      {(label) => <span class="chip label-chip">{label}</span>}
                    </For>
                  </td>
                  <td title={formatDateTime(when())}>
                    {when() ? formatRelative(when()) : t('common.never')}
                  </td>
                  <td>
                    <div class="row-actions">
                      <For each={actionsFor(agent, can('agents:write'))}>
                        {(action) => (
                          <button
                            type="button"
                            class={`button small ${action === 'approve' ? 'primary' : action === 'rotate' ? '' : 'danger'}`}
                            disabled={props.busyId === agent.id}
                            onClick={() => props.onAction(action, agent)}
                          >
                            {action === 'approve' && props.busyId === agent.id
                              ? t('enrolment.approving')
                              : t(`enrolment.action.${action}`)}
                          </button>
                        )}
                      </For>
                    </div>
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}

export function AgentLists() {
  const [search, setSearch] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [status, setStatus] = createSignal<StatusFilter>('');
  const [offset, setOffset] = createSignal(0);
  const live = { topics: () => ['overview'], relevant: (c: { t: string }) => c.t === 'agent' };

  const [pending, pendingControl] = createLiveResource(
    () => unwrap(api.GET('/api/v1/agents', { params: { query: { status: 'pending', limit: PAGE } } })),
    live,
  );
  const [agents, agentsControl] = createLiveResource(
    () =>
      unwrap(
        api.GET('/api/v1/agents', {
          params: {
            query: {
              limit: PAGE,
              offset: offset(),
              ...(query() ? { q: query() } : {}),
              ...(status() ? { status: status() as Exclude<StatusFilter, ''> } : {}),
            },
          },
        }),
      ),
    live,
  );
  const refreshAll = () => {
    pendingControl.refetch();
    agentsControl.refetch();
  };
  createEffect(on([query, status, offset], () => agentsControl.refetch(), { defer: true }));

  // Typing searches after a short pause, not on every key.
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

  const pendingList = lastGood(pending);
  const agentPage = lastGood(agents);

  const [confirming, setConfirming] = createSignal<{ action: AgentAction; agent: Agent }>();
  const [busyId, setBusyId] = createSignal<string>();
  const [actionError, setActionError] = createSignal<string>();
  const [notice, setNotice] = createSignal<{ tone: 'ok' | 'bad'; text: string }>();

  const run = async (action: AgentAction, agent: Agent) => {
    setBusyId(agent.id);
    setActionError(undefined);
    try {
      const changed = await perform(action, agent.id);
      // Show the answer at once; the re-read below brings the rest up to date.
      const shownPending = pendingList();
      if (shownPending) {
        pendingControl.mutate(replaced(shownPending, agent.id, changed, (a) => a.status === 'pending'));
      }
      const shown = agentPage();
      if (shown) agentsControl.mutate(replaced(shown, agent.id, changed, () => true));
      setConfirming(undefined);
      setNotice({ tone: 'ok', text: t(`enrolment.result.${action}`, { name: agent.name }) });
      refreshAll();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // In the dialog while it is open; approvals have none.
      if (confirming()) setActionError(message);
      else setNotice({ tone: 'bad', text: t('enrolment.actionFailed', { name: agent.name, message }) });
    } finally {
      setBusyId(undefined);
    }
  };
  const onAction = (action: AgentAction, agent: Agent) => {
    setNotice(undefined);
    if (action === 'approve') void run(action, agent);
    else {
      setActionError(undefined);
      setConfirming({ action, agent });
    }
  };

  return (
    <>
      <Show when={notice()}>
        {(n) => (
          <p class={`banner tone-${n().tone}`} role={n().tone === 'bad' ? 'alert' : 'status'}>
            {n().text}
          </p>
        )}
      </Show>
      <Show when={(pendingList()?.items.length ?? 0) > 0}>
        <section class="card stack" aria-labelledby="pending-title" data-testid="pending-section">
          <h2 id="pending-title">
            {t('enrolment.pendingTitle')} <span class="badge tone-info">{pendingList()?.total ?? 0}</span>
          </h2>
          <p class="muted">{t('enrolment.pendingIntro')}</p>
          <AgentTable
            agents={pendingList()?.items ?? []}
            label={t('enrolment.pendingTitle')}
            pending
            busyId={busyId()}
            onAction={onAction}
          />
        </section>
      </Show>
      <section class="card stack" aria-labelledby="agents-title" data-testid="agents-section">
        <h2 id="agents-title">{t('enrolment.allAgents')}</h2>
        <div class="toolbar">
          <input
            type="search"
            placeholder={t('enrolment.searchPlaceholder')}
            aria-label={t('action.search')}
            value={search()}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <div class="chips" role="group" aria-label={t('common.status')}>
            <For each={['', ...STATUSES] as StatusFilter[]}>
              {(value) => (
                <FilterChip
                  active={status() === value}
                  onClick={() => {
                    setOffset(0);
                    setStatus(value);
                  }}
                >
                  {value === '' ? t('common.all') : t(`state.${value}`)}
                </FilterChip>
              )}
            </For>
          </div>
        </div>
        <Show when={agents.error !== undefined}>
          <ErrorBanner error={agents.error as unknown} onRetry={agentsControl.refetch} />
        </Show>
        <Switch>
          <Match when={agentPage()}>
            {(page) => (
              <Show
                when={page().items.length > 0}
                fallback={
                  <Empty>{query() || status() ? t('enrolment.noMatch') : t('enrolment.noAgents')}</Empty>
                }
              >
                <AgentTable
                  agents={page().items}
                  label={t('enrolment.allAgents')}
                  busyId={busyId()}
                  onAction={onAction}
                />
                <Pager offset={offset()} limit={PAGE} total={page().total} onChange={setOffset} />
              </Show>
            )}
          </Match>
          <Match when={agents.error === undefined}>
            <Loading />
          </Match>
        </Switch>
      </section>
      <ConfirmDialog
        open={confirming() !== undefined}
        title={t(`enrolment.confirm.${confirming()?.action ?? 'revoke'}.title`, {
          name: confirming()?.agent.name ?? '',
        })}
        confirmLabel={
          busyId() ? t('enrolment.working') : t(`enrolment.action.${confirming()?.action ?? 'revoke'}`)
        }
        danger={confirming()?.action !== 'rotate'}
        busy={busyId() !== undefined}
        onConfirm={() => {
          const c = confirming();
          if (c) void run(c.action, c.agent);
        }}
        onCancel={() => setConfirming(undefined)}
      >
        <p>{t(`enrolment.confirm.${confirming()?.action ?? 'revoke'}.body`)}</p>
        <Show when={actionError()}>
          <p class="banner tone-bad" role="alert">
            {actionError()}
          </p>
        </Show>
      </ConfirmDialog>
    </>
  );
}
