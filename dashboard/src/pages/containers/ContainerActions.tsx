// Start / Stop / Restart for roles that may act, and how a requested action is getting on.
import { For, Show } from 'solid-js';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import {
  ACTION_KINDS,
  actionFitsState,
  actionsBlocked,
  actionSteps,
  actionTone,
  stateLabel,
  type ActionKind,
  type Container,
  type ContainerAction,
} from './container-logic';

export interface ContainerActionButtonsProps {
  container: Container;
  /** An action of this container is still on its way: one at a time. */
  busy: boolean;
  onAction: (action: ActionKind) => void;
}

/** Only rendered for roles with `containers:act` (the page decides). */
export function ContainerActionButtons(props: ContainerActionButtonsProps) {
  const blocked = () => actionsBlocked(props.container);
  const why = (action: ActionKind): string | undefined => {
    const reason = blocked();
    if (reason) return t(`containers.blocked.${reason}`, { agent: props.container.agent.name });
    if (props.busy) return t('containers.action.inProgress');
    if (!actionFitsState(action, props.container.state))
      return t('containers.action.notInState', { state: stateLabel(props.container.state) });
    return undefined;
  };
  return (
    <div class="ct-actions">
      <div class="page-actions" role="group" aria-label={t('containers.action.group')}>
        <For each={ACTION_KINDS}>
          {(action) => (
            <button
              type="button"
              class={`button ${action === 'stop' ? 'danger' : ''}`}
              disabled={why(action) !== undefined}
              title={why(action) ?? t(`containers.action.${action}.hint`)}
              data-action={action}
              onClick={() => props.onAction(action)}
            >
              {t(`containers.action.${action}`)}
            </button>
          )}
        </For>
      </div>
      <Show when={blocked()}>
        {(reason) => (
          <p class="banner tone-warn" role="note">
            {t(`containers.blocked.${reason()}`, { agent: props.container.agent.name })}
          </p>
        )}
      </Show>
    </div>
  );
}

/** The steps of one action (queued → sent → outcome) and the agent's message. */
export function ActionProgress(props: { action: ContainerAction }) {
  const tone = () => actionTone(props.action.status);
  return (
    <section
      class={`card ct-progress tone-border-${tone()}`}
      aria-live="polite"
      data-status={props.action.status}
      aria-label={t('containers.progress.title')}
    >
      <h2>
        {t('containers.progress.heading', {
          action: t(`containers.action.${props.action.action}`),
          name: props.action.container.name,
        })}
      </h2>
      <ol class="ct-steps">
        <For each={actionSteps(props.action)}>
          {(step) => (
            <li class={`ct-step ct-step-${step.state}`} data-step={step.key} data-state={step.state}>
              <span class="ct-step-dot" aria-hidden="true" />
              {t(`containers.progress.${step.key}`)}
            </li>
          )}
        </For>
      </ol>
      <p class="ct-progress-status">
        <span class={`badge tone-${tone()}`}>{t(`containers.status.${props.action.status}`)}</span>{' '}
        <Show when={props.action.message}>
          <span class="ct-progress-message">{props.action.message}</span>
        </Show>
      </p>
      <p class="muted ct-small">
        {t('containers.progress.requested', {
          who: props.action.requestedBy?.name ?? t('containers.progress.someone'),
          at: formatDateTime(props.action.requestedAt),
        })}
        <Show when={props.action.finishedAt}>
          {' · '}
          {t('containers.progress.finished', { at: formatDateTime(props.action.finishedAt) })}
        </Show>
      </p>
    </section>
  );
}

/** Recent actions on the container, newest first. */
export function ActionHistory(props: { actions: readonly ContainerAction[] }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{t('containers.history.when')}</th>
            <th>{t('containers.history.action')}</th>
            <th>{t('common.status')}</th>
            <th>{t('containers.history.by')}</th>
            <th>{t('containers.history.message')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.actions}>
            {(action) => (
              <tr>
                <td>{formatDateTime(action.requestedAt)}</td>
                <td>{t(`containers.action.${action.action}`)}</td>
                <td>
                  <span class={`badge tone-${actionTone(action.status)}`}>
                    {t(`containers.status.${action.status}`)}
                  </span>
                </td>
                <td>{action.requestedBy?.name ?? '–'}</td>
                <td class="ct-wrap">{action.message ?? ''}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
