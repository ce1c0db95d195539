// One incident: what it is about, its timeline and the notifications sent for it, live on the `alerts`
// topic. People with incidents:write acknowledge, comment, assign and resolve; others see no controls.
import { A, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { can, session } from '../../api/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty, ErrorBanner, Loading, PageHeader } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { t } from '../../i18n';
import { formatDateTime, formatDuration } from '../../lib/format';
import { createLiveResource } from '../../lib/live';
import { ago, openSeconds, subjectHref, subjectLabel, type IncidentDetail as Detail } from './incident-model';
import { SeverityBadge } from './SeverityBadge';
import { Timeline } from './Timeline';
import './incidents.css';

type Dialog = 'ack' | 'resolve';

export default function IncidentDetail() {
  const params = useParams<{ id: string }>();
  // Another incident is another page: its own resources and subscriptions.
  return (
    <Show when={params.id} keyed>
      {(id) => <IncidentPage id={id} />}
    </Show>
  );
}

function IncidentPage(props: { id: string }) {
  const relevant = (change: { t: string; [key: string]: unknown }) =>
    change.t === 'incident' && change.id === props.id;
  const [incident, { refetch, mutate }] = createLiveResource(
    () => unwrap(api.GET('/api/v1/incidents/{id}', { params: { path: { id: props.id } } })),
    { topics: () => ['alerts'], relevant },
  );
  const [deliveries, deliveryControl] = createLiveResource(
    () =>
      unwrap(
        api.GET('/api/v1/notification-deliveries', {
          params: { query: { incidentId: props.id, limit: 100 } },
        }),
      ),
    { topics: () => ['alerts'], relevant },
  );
  const [users] = createResource(
    () => can('users:read'),
    async () =>
      (await unwrap(api.GET('/api/v1/users', { params: { query: { status: 'active', limit: 200 } } }))).items,
  );
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => {
    setNow(Date.now());
    // Deliveries finish in the worker without a notice on the topic: look again while some are on their way.
    if (deliveries.latest?.items.some((d) => d.status === 'pending' || d.status === 'sending')) {
      deliveryControl.refetch();
    }
  }, 5000);
  onCleanup(() => clearInterval(clock));
  // Fresh data is measured against a fresh clock.
  createEffect(() => {
    if (incident.latest) setNow(Date.now());
  });

  const writable = () => can('incidents:write');
  const me = () => session()?.user;
  const [dialog, setDialog] = createSignal<Dialog>();
  const [dialogComment, setDialogComment] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [actionError, setActionError] = createSignal<unknown>();
  const [comment, setComment] = createSignal('');
  const [commentError, setCommentError] = createSignal<unknown>();
  const [commentBusy, setCommentBusy] = createSignal(false);

  const userName = (id: string): string | undefined => {
    const self = me();
    if (self?.id === id) return t('incidents.you', { name: self.name });
    const known = users.latest?.find((u) => u.id === id);
    if (known) return known.name;
    const current = incident.latest;
    return current?.assigneeId === id ? (current.assigneeName ?? undefined) : undefined;
  };

  /** Runs an action whose answer is the changed incident; shows it at once (the topic confirms later). */
  const act = async (call: () => Promise<Detail>): Promise<boolean> => {
    setBusy(true);
    setActionError(undefined);
    try {
      mutate(await call());
      deliveryControl.refetch();
      return true;
    } catch (err) {
      setActionError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const path = () => ({ params: { path: { id: props.id } } });
  const confirmDialog = async () => {
    const text = dialogComment().trim();
    const body = text ? { comment: text } : {};
    const ok = await act(() =>
      dialog() === 'ack'
        ? unwrap(api.POST('/api/v1/incidents/{id}/ack', { ...path(), body }))
        : unwrap(api.POST('/api/v1/incidents/{id}/resolve', { ...path(), body })),
    );
    if (ok) setDialog(undefined);
  };
  const assign = (userId: string | null) =>
    act(() => unwrap(api.POST('/api/v1/incidents/{id}/assign', { ...path(), body: { userId } })));
  const addComment = async (event: SubmitEvent) => {
    event.preventDefault();
    const text = comment().trim();
    if (!text) return;
    setCommentBusy(true);
    setCommentError(undefined);
    try {
      mutate(await unwrap(api.POST('/api/v1/incidents/{id}/comments', { ...path(), body: { text } })));
      setComment('');
    } catch (err) {
      setCommentError(err);
    } finally {
      setCommentBusy(false);
    }
  };
  const openDialog = (which: Dialog) => {
    setDialogComment('');
    setActionError(undefined);
    setDialog(which);
  };

  return (
    <>
      <p>
        <A href="/incidents">← {t('nav.incidents')}</A>
      </p>
      <Switch>
        <Match when={incident.error !== undefined && !incident.latest}>
          <ErrorBanner error={incident.error as unknown} onRetry={refetch} />
        </Match>
        <Match when={!incident.latest}>
          <Loading />
        </Match>
        <Match when={incident.latest}>
          {(current) => (
            <>
              <PageHeader title={current().title}>
                <Show when={writable()}>
                  <Show when={current().status === 'open'}>
                    <button
                      type="button"
                      class="button primary"
                      disabled={busy()}
                      onClick={() => openDialog('ack')}
                    >
                      {t('incidents.action.acknowledge')}
                    </button>
                  </Show>
                  <Show when={current().status !== 'resolved'}>
                    <button
                      type="button"
                      class="button"
                      disabled={busy()}
                      onClick={() => openDialog('resolve')}
                    >
                      {t('incidents.action.resolve')}
                    </button>
                  </Show>
                </Show>
              </PageHeader>
              <div class="incident-head">
                <StatusBadge state={current().status} />
                <SeverityBadge severity={current().severity} />
                <Show when={current().reopenCount > 0}>
                  <span class="badge tone-muted">
                    {t('incidents.reopened', { count: current().reopenCount })}
                  </span>
                </Show>
              </div>
              <Show when={actionError() && !dialog()}>
                <ErrorBanner error={actionError()} />
              </Show>
              <div class="incident-layout">
                <section class="card" aria-labelledby="incident-timeline">
                  <p class="incident-summary">{current().summary}</p>
                  <h2 id="incident-timeline">{t('incidents.timeline.title')}</h2>
                  <Timeline events={current().history} context={{ userName }} now={now()} />
                  <Show when={writable()}>
                    <form class="comment-form" onSubmit={(e) => void addComment(e)}>
                      <label for="incident-comment">{t('incidents.comment.label')}</label>
                      <textarea
                        id="incident-comment"
                        rows={3}
                        maxLength={4000}
                        value={comment()}
                        disabled={commentBusy()}
                        onInput={(e) => setComment(e.currentTarget.value)}
                      />
                      <Show when={commentError()}>{(err) => <ErrorBanner error={err()} />}</Show>
                      <div>
                        <button
                          type="submit"
                          class="button"
                          disabled={commentBusy() || comment().trim() === ''}
                        >
                          {commentBusy() ? t('incidents.comment.sending') : t('incidents.comment.submit')}
                        </button>
                      </div>
                    </form>
                  </Show>
                </section>
                <div class="stack">
                  <section class="card" aria-labelledby="incident-facts">
                    <h2 id="incident-facts">{t('incidents.facts')}</h2>
                    <dl class="facts">
                      <dt>{t('incidents.column.subject')}</dt>
                      <dd>
                        <Show
                          when={subjectHref(current().target)}
                          fallback={subjectLabel(current().target, current().subject)}
                        >
                          {(href) => <A href={href()}>{subjectLabel(current().target, current().subject)}</A>}
                        </Show>
                      </dd>
                      <dt>{t('incidents.rule')}</dt>
                      <dd>
                        <A href="/settings/rules">{current().ruleName}</A>
                      </dd>
                      <dt>{t('incidents.column.opened')}</dt>
                      <dd title={ago(current().openedAt, now())}>{formatDateTime(current().openedAt)}</dd>
                      <dt>{t('incidents.column.duration')}</dt>
                      <dd>{formatDuration(openSeconds(current(), now()))}</dd>
                      <Show when={current().acknowledgedAt}>
                        <dt>{t('state.acknowledged')}</dt>
                        <dd>
                          {formatDateTime(current().acknowledgedAt)}
                          <Show when={current().acknowledgedBy}>
                            {(id) => <> · {userName(id()) ?? actorOf(current(), 'acknowledged')}</>}
                          </Show>
                        </dd>
                      </Show>
                      <Show when={current().resolvedAt}>
                        <dt>{t('state.resolved')}</dt>
                        <dd>
                          {formatDateTime(current().resolvedAt)}
                          {' · '}
                          {current().resolvedBy
                            ? (userName(current().resolvedBy ?? '') ?? actorOf(current(), 'resolved'))
                            : t('incidents.resolvedAuto')}
                        </dd>
                      </Show>
                      <dt>{t('incidents.column.assignee')}</dt>
                      <dd>
                        <div class="assign">
                          <span data-assignee>
                            {current().assigneeId
                              ? (userName(current().assigneeId ?? '') ?? current().assigneeName ?? '?')
                              : t('incidents.unassigned')}
                          </span>
                          <Show when={writable()}>
                            <Show
                              when={users.latest}
                              fallback={
                                <>
                                  <Show when={me() && current().assigneeId !== me()?.id}>
                                    <button
                                      type="button"
                                      class="button small"
                                      disabled={busy()}
                                      onClick={() => void assign(me()?.id ?? null)}
                                    >
                                      {t('incidents.action.assignMe')}
                                    </button>
                                  </Show>
                                  <Show when={me() && current().assigneeId === me()?.id}>
                                    <button
                                      type="button"
                                      class="button small"
                                      disabled={busy()}
                                      onClick={() => void assign(null)}
                                    >
                                      {t('incidents.action.unassign')}
                                    </button>
                                  </Show>
                                </>
                              }
                            >
                              {(list) => (
                                <>
                                  <label class="sr-only" for="incident-assignee">
                                    {t('incidents.action.assign')}
                                  </label>
                                  <select
                                    id="incident-assignee"
                                    disabled={busy()}
                                    onChange={(e) => void assign(e.currentTarget.value || null)}
                                  >
                                    <option value="" selected={current().assigneeId === null}>
                                      {t('incidents.unassigned')}
                                    </option>
                                    <For each={list()}>
                                      {(user) => (
                                        <option value={user.id} selected={current().assigneeId === user.id}>
                                          {user.name} ({user.email})
                                        </option>
                                      )}
                                    </For>
                                  </select>
                                </>
                              )}
                            </Show>
                          </Show>
                        </div>
                      </dd>
                      <Show when={current().lastNotifiedAt}>
                        <dt>{t('incidents.lastNotified')}</dt>
                        <dd>{formatDateTime(current().lastNotifiedAt)}</dd>
                      </Show>
                    </dl>
                  </section>
                  <section class="card" aria-labelledby="incident-notifications">
                    <h2 id="incident-notifications">{t('incidents.notifications.title')}</h2>
                    <Switch>
                      <Match when={deliveries.error !== undefined}>
                        <ErrorBanner
                          error={deliveries.error as unknown}
                          onRetry={() => deliveryControl.refetch()}
                        />
                      </Match>
                      <Match when={!deliveries.latest}>
                        <Loading />
                      </Match>
                      <Match when={deliveries.latest?.items.length === 0}>
                        <Empty>{t('incidents.notifications.none')}</Empty>
                      </Match>
                      <Match when={deliveries.latest}>
                        {(page) => (
                          <div class="table-wrap">
                            <table>
                              <thead>
                                <tr>
                                  <th>{t('incidents.notifications.channel')}</th>
                                  <th>{t('incidents.notifications.event')}</th>
                                  <th>{t('common.status')}</th>
                                  <th>{t('incidents.notifications.when')}</th>
                                </tr>
                              </thead>
                              <tbody>
                                <For each={page().items}>
                                  {(delivery) => (
                                    <tr>
                                      <td>{delivery.channelName ?? '–'}</td>
                                      <td>{t(`incidents.notice.${delivery.event}`)}</td>
                                      <td title={delivery.lastError ?? undefined}>
                                        <StatusBadge
                                          state={DELIVERY_TONES[delivery.status]}
                                          label={t(`incidents.delivery.${delivery.status}`)}
                                        />
                                        <Show when={delivery.attempts > 1}>
                                          {' '}
                                          <small class="muted">
                                            {t('incidents.notifications.attempts', {
                                              count: delivery.attempts,
                                            })}
                                          </small>
                                        </Show>
                                      </td>
                                      <td>{ago(delivery.sentAt ?? delivery.createdAt, now())}</td>
                                    </tr>
                                  )}
                                </For>
                              </tbody>
                            </table>
                          </div>
                        )}
                      </Match>
                    </Switch>
                  </section>
                </div>
              </div>
            </>
          )}
        </Match>
      </Switch>
      <ConfirmDialog
        open={dialog() !== undefined}
        title={dialog() === 'ack' ? t('incidents.ack.title') : t('incidents.resolve.title')}
        confirmLabel={dialog() === 'ack' ? t('incidents.action.acknowledge') : t('incidents.action.resolve')}
        busy={busy()}
        onConfirm={() => void confirmDialog()}
        onCancel={() => setDialog(undefined)}
      >
        <p>{dialog() === 'ack' ? t('incidents.ack.body') : t('incidents.resolve.body')}</p>
        <label for="incident-dialog-comment">{t('incidents.dialog.comment')}</label>
        <textarea
          id="incident-dialog-comment"
          rows={3}
          maxLength={4000}
          value={dialogComment()}
          onInput={(e) => setDialogComment(e.currentTarget.value)}
        />
        <Show when={actionError()}>{(err) => <ErrorBanner error={err()} />}</Show>
      </ConfirmDialog>
    </>
  );
}

const DELIVERY_TONES: Readonly<Record<string, string>> = {
  succeeded: 'up',
  failed: 'down',
  pending: 'pending',
  sending: 'pending',
};

/** Who did the step, from the history (the API names the actor by id on the incident, by email there). */
function actorOf(incident: Detail, kind: 'acknowledged' | 'resolved'): string {
  const event = [...incident.history].reverse().find((e) => e.kind === kind);
  return event?.actorEmail ?? '?';
}
