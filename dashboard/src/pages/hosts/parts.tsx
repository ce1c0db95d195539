// Small pieces both host screens use.
import { createSignal, onCleanup } from 'solid-js';
import { formatPercent } from '../../lib/format';
import { usageTone } from './model';

/** A percentage with a small bar in the tone of its level. */
export function UsageMeter(props: { value: number | undefined; title?: string }) {
  return (
    <span class={`usage usage-${usageTone(props.value)}`} title={props.title}>
      <span class="usage-bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, Math.max(0, props.value ?? 0))}%` }} />
      </span>
      <span class="usage-value">{formatPercent(props.value, 0)}</span>
    </span>
  );
}

/** Ticks every 15 s, so "last seen 10 s ago" keeps counting. */
export function createNow(intervalMs = 15_000) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), intervalMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
