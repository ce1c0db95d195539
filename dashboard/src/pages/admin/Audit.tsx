// The audit log: filter (in the URL, so a view can be linked), newest first, live via the `audit` topic,
// older pages on demand, each entry's before/after on click, and a check of the hash chain.
import { useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from 'solid-js';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { can } from '../../api/session';
import { Empty, ErrorBanner, FieldError, Loading } from '../../components/Feedback';
import { VirtualList } from '../../components/VirtualList';
import { t } from '../../i18n';
import { formatDateTime, formatNumber } from '../../lib/format';
import { createLiveResource, lastGood } from '../../lib/live';
import {
  actorOf,
  appendOlder,
  auditQuery,
  EMPTY_FILTER,
  FILTER_KEYS,
  filterFromParams,
  filterToParams,
  mergeNewest,
  prettyJson,
  targetOf,
  type AuditEntry,
  type AuditFilter,
  type AuditList,
} from './audit';
import { formErrors } from '../../lib/form-errors';

type Verification = components['schemas']['AuditVerification'];

const LIMIT = 100;
const ROW_HEIGHT = 56;
const MAX_HEIGHT = 560;
const TARGET_TYPES = ['user', 'agent', 'enrollment_token', 'probe', 'alert_rule', 'incident', 'container'];

function sameFilter(a: AuditFilter, b: AuditFilter): boolean {
  return FILTER_KEYS.every((key) => a[key] === b[key]);
}

function EntryDetails(props: { entry: AuditEntry; onClose: () => void }) {
  return (
    <div class="modal-backdrop" onClick={() => props.onClose()}>
      <div
        class="modal audit-details"
        role="dialog"
        aria-modal="true"
        aria-label={t('admin.audit.details')}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onClose();
        }}
      >
        <h2>
          <code>{props.entry.action}</code>
        </h2>
        <dl class="facts">
          <dt>{t('admin.audit.time')}</dt>
          <dd>{formatDateTime(props.entry.occurredAt)}</dd>
          <dt>{t('admin.audit.actor')}</dt>
          <dd>{actorOf(props.entry)}</dd>
          <dt>{t('admin.audit.targetType')}</dt>
          <dd>{props.entry.targetType ?? '–'}</dd>
          <dt>{t('admin.audit.targetId')}</dt>
          <dd>{props.entry.targetId ?? '–'}</dd>
          <dt>{t('admin.audit.ip')}</dt>
          <dd>{props.entry.ip ?? '–'}</dd>
          <dt>{t('admin.audit.requestId')}</dt>
          <dd>{props.entry.requestId ?? '–'}</dd>
          <dt>{t('admin.audit.entry')}</dt>
          <dd>#{props.entry.id}</dd>
          <dt>{t('admin.audit.hash')}</dt>
          <dd>
            <code>{props.entry.hash}</code>
          </dd>
        </dl>
        <div class="audit-diff">
          <div>
            <h3>{t('admin.audit.before')}</h3>
            <pre>{prettyJson(props.entry.before)}</pre>
          </div>
          <div>
            <h3>{t('admin.audit.after')}</h3>
            <pre>{prettyJson(props.entry.after)}</pre>
          </div>
        </div>
        <div class="modal-actions">
          <button type="button" class="button" onClick={() => props.onClose()} autofocus>
            {t('action.close')}
          </button>
        </div>
      </div>
    </div>
  );
}

function VerifyChain() {
  const [busy, setBusy] = createSignal(false);
  const [result, setResult] = createSignal<Verification>();
  const [error, setError] = createSignal<unknown>();
  const verify = async () => {
    setBusy(true);
    setResult(undefined);
    setError(undefined);
    try {
      setResult(await unwrap(api.GET('/api/v1/audit/verify')));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="verify">
      <button type="button" class="button" onClick={() => void verify()} disabled={busy()}>
        {busy() ? t('admin.audit.verifying') : t('admin.audit.verify')}
      </button>
      <Show when={result()}>
        {(r) => (
          <p
            class={`banner tone-${r().intact ? 'ok' : 'bad'}`}
            role={r().intact ? 'status' : 'alert'}
            data-testid="verify-result"
            data-intact={r().intact}
          >
            {r().intact
              ? t('admin.audit.verifyOk', { checked: formatNumber(r().checked) })
              : t('admin.audit.verifyBroken', {
                  id: r().firstBrokenId ?? '?',
                  reason: t(`admin.audit.reason.${r().reason ?? 'chain_broken'}`),
                  checked: formatNumber(r().checked),
                })}
          </p>
        )}
      </Show>
      <Show when={error() !== undefined}>
        <ErrorBanner error={error()} onRetry={() => void verify()} />
      </Show>
    </div>
  );
}

export function Audit() {
  const [params, setParams] = useSearchParams();
  const filter = createMemo(() => filterFromParams(params), EMPTY_FILTER, { equals: sameFilter });
  const [draft, setDraft] = createSignal<AuditFilter>(filter());
  // Back / forward in the browser changes the URL: the form follows.
  createEffect(on(filter, (current) => setDraft(current), { defer: true }));

  const [list, setList] = createSignal<AuditList>({ items: [], cursor: null });
  let generation = 0;
  const [head, { refetch }] = createLiveResource(
    () => unwrap(api.GET('/api/v1/audit', { params: { query: auditQuery(filter(), LIMIT) } })),
    { topics: () => ['audit'] },
  );
  const newest = lastGood(head);
  createEffect(
    on(newest, (page) => {
      if (page) setList((current) => mergeNewest(current, page, LIMIT));
    }),
  );
  createEffect(
    on(
      filter,
      () => {
        generation += 1;
        setList({ items: [], cursor: null });
        refetch();
      },
      { defer: true },
    ),
  );
  const problems = createMemo(() =>
    head.error === undefined ? undefined : formErrors(head.error, FILTER_KEYS),
  );

  const [olderBusy, setOlderBusy] = createSignal(false);
  const [olderError, setOlderError] = createSignal<unknown>();
  const loadOlder = async () => {
    const cursor = list().cursor;
    if (cursor === null) return;
    const started = generation;
    setOlderBusy(true);
    setOlderError(undefined);
    try {
      const page = await unwrap(
        api.GET('/api/v1/audit', { params: { query: auditQuery(filter(), LIMIT, cursor) } }),
      );
      if (started === generation) setList((current) => appendOlder(current, page));
    } catch (err) {
      setOlderError(err);
    } finally {
      setOlderBusy(false);
    }
  };

  const [users] = createResource(async () =>
    can('users:read')
      ? (await unwrap(api.GET('/api/v1/users', { params: { query: { limit: 200, status: 'all' } } }))).items
      : [],
  );
  const knownActions = createMemo(() => {
    const actions = new Set<string>();
    for (const entry of list().items) {
      actions.add(entry.action);
      const prefix = entry.action.split('.')[0];
      if (prefix) actions.add(`${prefix}.*`);
    }
    return [...actions].sort();
  });

  const [selected, setSelected] = createSignal<AuditEntry>();
  const update = (key: keyof AuditFilter, value: string) => setDraft({ ...draft(), [key]: value });
  const fieldError = (key: keyof AuditFilter) => <FieldError message={problems()?.fields[key]} />;
  const filtered = () => FILTER_KEYS.some((key) => filter()[key] !== '');

  return (
    <section class="stack" aria-label={t('admin.tab.audit')}>
      <form
        class="audit-filter card"
        aria-label={t('common.filter')}
        onSubmit={(e) => {
          e.preventDefault();
          setParams(filterToParams(draft()));
        }}
      >
        <label>
          {t('admin.audit.actor')}
          <Show
            when={can('users:read')}
            fallback={
              <input
                name="actorId"
                placeholder={t('admin.audit.actorIdPlaceholder')}
                value={draft().actorId}
                onInput={(e) => update('actorId', e.currentTarget.value)}
              />
            }
          >
            <select
              name="actorId"
              value={draft().actorId}
              onChange={(e) => update('actorId', e.currentTarget.value)}
            >
              <option value="">{t('admin.audit.anyone')}</option>
              <For each={users.latest ?? []}>
                {(user) => <option value={user.id}>{`${user.name} <${user.email}>`}</option>}
              </For>
            </select>
          </Show>
          {fieldError('actorId')}
        </label>
        <label>
          {t('admin.audit.action')}
          <input
            name="action"
            list="audit-actions"
            placeholder="user.*"
            value={draft().action}
            onInput={(e) => update('action', e.currentTarget.value)}
          />
          <datalist id="audit-actions">
            <For each={knownActions()}>{(action) => <option value={action} />}</For>
          </datalist>
          {fieldError('action')}
        </label>
        <label>
          {t('admin.audit.targetType')}
          <input
            name="targetType"
            list="audit-target-types"
            value={draft().targetType}
            onInput={(e) => update('targetType', e.currentTarget.value)}
          />
          <datalist id="audit-target-types">
            <For each={TARGET_TYPES}>{(type) => <option value={type} />}</For>
          </datalist>
          {fieldError('targetType')}
        </label>
        <label>
          {t('admin.audit.targetId')}
          <input
            name="targetId"
            value={draft().targetId}
            onInput={(e) => update('targetId', e.currentTarget.value)}
          />
          {fieldError('targetId')}
        </label>
        <label>
          {t('range.from')}
          <input
            name="from"
            type="datetime-local"
            value={draft().from}
            onInput={(e) => update('from', e.currentTarget.value)}
          />
          {fieldError('from')}
        </label>
        <label>
          {t('range.to')}
          <input
            name="to"
            type="datetime-local"
            value={draft().to}
            onInput={(e) => update('to', e.currentTarget.value)}
          />
          {fieldError('to')}
        </label>
        <div class="audit-filter-actions">
          <button type="submit" class="button primary">
            {t('admin.audit.apply')}
          </button>
          <button
            type="button"
            class="button"
            disabled={!filtered() && sameFilter(draft(), EMPTY_FILTER)}
            onClick={() => {
              setDraft(EMPTY_FILTER);
              setParams(filterToParams(EMPTY_FILTER));
            }}
          >
            {t('admin.audit.reset')}
          </button>
        </div>
      </form>

      <VerifyChain />

      <Show when={problems()?.general}>
        {(message) => <ErrorBanner error={message()} onRetry={refetch} />}
      </Show>

      <Show
        when={list().items.length > 0}
        fallback={
          <Show when={!head.loading} fallback={<Loading />}>
            <Show when={head.error === undefined}>
              <Empty>{filtered() ? t('admin.audit.noMatch') : t('admin.audit.none')}</Empty>
            </Show>
          </Show>
        }
      >
        <p class="muted audit-count" role="status">
          {t('admin.audit.shown', { count: formatNumber(list().items.length) })}
        </p>
        <VirtualList
          items={list().items}
          rowHeight={ROW_HEIGHT}
          height={Math.min(MAX_HEIGHT, list().items.length * ROW_HEIGHT)}
          aria-label={t('admin.tab.audit')}
          class="audit-list"
        >
          {(entry) => (
            <button
              type="button"
              class="audit-row"
              data-action={entry.action}
              data-id={entry.id}
              onClick={() => setSelected(entry)}
            >
              <span class="audit-line">
                <time datetime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
                <code class="audit-action">{entry.action}</code>
              </span>
              <span class="audit-line muted">
                {actorOf(entry)} → {targetOf(entry)}
              </span>
            </button>
          )}
        </VirtualList>
        <div class="audit-more">
          <Show when={list().cursor !== null} fallback={<span class="muted">{t('admin.audit.end')}</span>}>
            <button type="button" class="button" disabled={olderBusy()} onClick={() => void loadOlder()}>
              {olderBusy() ? t('common.loading') : t('admin.audit.older')}
            </button>
          </Show>
          <Show when={olderError() !== undefined}>
            <ErrorBanner error={olderError()} onRetry={() => void loadOlder()} />
          </Show>
        </div>
      </Show>

      <Show when={selected()}>
        {(entry) => <EntryDetails entry={entry()} onClose={() => setSelected(undefined)} />}
      </Show>
    </section>
  );
}
