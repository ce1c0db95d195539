// The time range of a history view: live tail (the last hour, following new data), fixed spans, or custom.
import { createSignal, For, Show } from 'solid-js';
import { t } from '../i18n';
import { formatDuration } from '../lib/format';

export type RangeKey = '1h' | '24h' | '7d' | '30d' | '90d' | '1y' | 'custom';
export type FixedRangeKey = Exclude<RangeKey, 'custom'>;
export interface TimeRange {
  key: RangeKey;
  /** ISO timestamps; for the fixed spans they are computed when read. */
  from: string;
  to: string;
  /** Follows new data (the default 1 h view). */
  live: boolean;
}

/** The length of each fixed span (ms). The longer ones are read from the server's rollups. */
export const SPANS: Readonly<Record<FixedRangeKey, number>> = {
  '1h': 3600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
  '1y': 365 * 86_400_000,
};
/** The fixed spans in the order the picker shows them. */
export const FIXED_RANGE_KEYS: readonly FixedRangeKey[] = ['1h', '24h', '7d', '30d', '90d', '1y'];

export function rangeFor(key: FixedRangeKey, now = Date.now()): TimeRange {
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

/**
 * "Resolution: 1 h · from 1-hour rollups" for an answer's storage tier and step (null step: raw samples).
 */
export function resolutionText(tier: 'raw' | '1m' | '1h', stepS: number | null | undefined): string {
  if (stepS === null || stepS === undefined) return t('range.resolutionRaw');
  return t('range.resolution', { step: formatDuration(stepS), source: t(`range.tier.${tier}`) });
}

export function RangePicker(props: {
  value: TimeRange;
  onChange: (range: TimeRange) => void;
  /** The fixed spans offered (default: all). */
  keys?: readonly FixedRangeKey[];
}) {
  const [from, setFrom] = createSignal(toLocalInput(props.value.from));
  const [to, setTo] = createSignal(toLocalInput(props.value.to));
  const keys = (): readonly FixedRangeKey[] =>
    props.keys ? FIXED_RANGE_KEYS.filter((key) => props.keys?.includes(key)) : FIXED_RANGE_KEYS;
  return (
    <div class="range-picker" role="group" aria-label={t('range.custom')}>
      <For each={keys()}>
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
