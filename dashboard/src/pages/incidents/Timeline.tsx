// An incident's history, oldest first: opened, acknowledgements, comments, assignments, notifications
// sent or held, resolution.
import { For, Show } from 'solid-js';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { ago, describeEvent, type EventContext, type IncidentEvent } from './incident-model';

const TONES: Readonly<Record<IncidentEvent['kind'], string>> = {
  opened: 'bad',
  reopened: 'bad',
  acknowledged: 'warn',
  commented: 'muted',
  assigned: 'muted',
  resolved: 'ok',
  notified: 'info',
  held: 'muted',
};

export function Timeline(props: { events: readonly IncidentEvent[]; context: EventContext; now: number }) {
  return (
    <Show when={props.events.length > 0} fallback={<p class="muted">{t('incidents.timeline.empty')}</p>}>
      <ol class="timeline" aria-label={t('incidents.timeline.title')}>
        <For each={props.events}>
          {(event) => {
            const text = () => describeEvent(event, props.context);
            return (
              <li data-kind={event.kind}>
                <span class={`dot tone-${TONES[event.kind]}`} aria-hidden="true" />
                <div>
                  <div>{text().title}</div>
                  <small class="muted" title={formatDateTime(event.occurredAt)}>
                    {formatDateTime(event.occurredAt)} · {ago(event.occurredAt, props.now)}
                  </small>
                  <Show when={text().detail}>{(detail) => <blockquote>{detail()}</blockquote>}</Show>
                </div>
              </li>
            );
          }}
        </For>
      </ol>
    </Show>
  );
}
