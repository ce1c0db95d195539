// The time range of a history view: live tail (the last hour, following new data), fixed spans, or custom.
import { createSignal, For, Show } from 'solid-js';
import { t } from '../i18n';

export type RangeKey = '1h' | '24h' | '7d' | '30d' | 'custom';
export interface TimeRange {
  key: RangeKey;
  /** ISO timestamps; for the fixed spans they are computed when read. */
  from: string;
  to: string;
  /** Follows new data (the default 1 h view). */
  live: boolean;
}

const SPANS: Record<Exclude<RangeKey, 'custom'>, number> = {
  '1h': 3600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export function rangeFor(key: Exclude<RangeKey, 'custom'>, now = Date.now()): TimeRange {
  return {
    key,
    from: new Date(now - SPANS[key]).toISOString(),
    to: new Date(now).toISOString(),
    live: key === '1h',
  };
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function RangePicker(props: { value: TimeRange; onChange: (range: TimeRange) => void }) {
  const [from, setFrom] = createSignal(toLocalInput(props.value.from));
  const [to, setTo] = createSignal(toLocalInput(props.value.to));
  const keys: Exclude<RangeKey, 'custom'>[] = ['1h', '24h', '7d', '30d'];
  return (
    <div class="range-picker" role="group" aria-label={t('range.custom')}>
      <For each={keys}>
        {(key) => (
          <button
            type="button"
            class="chip"
            classList={{ active: props.value.key === key }}
            aria-pressed={props.value.key === key}
            onClick={() => props.onChange(rangeFor(key))}
          >
            {t(`range.${key}`)}
          </button>
        )}
      </For>
      <button
        type="button"
        class="chip"
        classList={{ active: props.value.key === 'custom' }}
        aria-pressed={props.value.key === 'custom'}
        onClick={() =>
          props.onChange({ key: 'custom', from: props.value.from, to: props.value.to, live: false })
        }
      >
        {t('range.custom')}
      </button>
      <Show when={props.value.key === 'custom'}>
        <label>
          {t('range.from')}{' '}
          <input type="datetime-local" value={from()} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t('range.to')}{' '}
          <input type="datetime-local" value={to()} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button
          type="button"
          class="button"
          onClick={() => {
            const f = new Date(from());
            const tt = new Date(to());
            if (Number.isNaN(f.getTime()) || Number.isNaN(tt.getTime()) || f >= tt) return;
            props.onChange({ key: 'custom', from: f.toISOString(), to: tt.toISOString(), live: false });
          }}
        >
          {t('action.save')}
        </button>
      </Show>
      <Show when={props.value.live}>
        <span class="badge tone-ok">{t('range.live')}</span>
      </Show>
    </div>
  );
}
