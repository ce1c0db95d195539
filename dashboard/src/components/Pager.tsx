// Previous / next for offset-paged lists, with "41–80 of 230".
import { Show } from 'solid-js';
import { t } from '../i18n';

export function Pager(props: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const first = () => (props.total === 0 ? 0 : props.offset + 1);
  const last = () => Math.min(props.total, props.offset + props.limit);
  return (
    <Show when={props.total > props.limit}>
      <nav class="pager" aria-label={t('pager.label')}>
        <button
          type="button"
          class="button small"
          disabled={props.offset === 0}
          onClick={() => props.onChange(Math.max(0, props.offset - props.limit))}
        >
          {t('pager.previous')}
        </button>
        <span class="muted">{t('pager.range', { first: first(), last: last(), total: props.total })}</span>
        <button
          type="button"
          class="button small"
          disabled={last() >= props.total}
          onClick={() => props.onChange(props.offset + props.limit)}
        >
          {t('pager.next')}
        </button>
      </nav>
    </Show>
  );
}
