// Recent windows of a probe as coloured bars, oldest left; each bar tells its time and checks on hover.
import { For, Show } from 'solid-js';
import { t } from '../../i18n';
import { formatDateTime, formatPercent } from '../../lib/format';
import { bucketTone, uptimePercent } from './probe-logic';
import type { BarData } from './uptime-bars';

export function UptimeBar(props: { data: BarData | undefined; showPercent?: boolean }) {
  const percent = () => (props.data ? uptimePercent(props.data.buckets) : null);
  return (
    <span class="pr-uptime">
      <Show when={props.data} fallback={<span class="uptime-bar pr-bar-loading" aria-hidden="true" />}>
        {(data) => (
          <span
            class="uptime-bar"
            role="img"
            aria-label={
              percent() === null
                ? t('probes.bar.noChecks')
                : t('probes.bar.label', { percent: formatPercent(percent(), 2) })
            }
          >
            <For each={data().buckets}>
              {(bucket, i) => (
                <span
                  class={`tone-${bucketTone(bucket)}`}
                  title={t('probes.bar.window', {
                    from: formatDateTime(new Date(data().fromMs + i() * data().bucketMs).toISOString()),
                    checks: bucket.checks,
                    down: bucket.down,
                    degraded: bucket.degraded,
                  })}
                />
              )}
            </For>
          </span>
        )}
      </Show>
      <Show when={props.showPercent}>
        <span class="pr-uptime-percent">{formatPercent(percent(), 2)}</span>
      </Show>
    </span>
  );
}
