// The overview's tiles and list rows. Plain links: the router handles their clicks all the same, and these
// stay renderable without it.
import { For } from 'solid-js';
import { StatusBadge } from '../../components/StatusBadge';
import { t } from '../../i18n';
import { formatNumber, formatRelative } from '../../lib/format';
import { tiles, type AttentionItem, type Overview as Counts } from './model';

/** A state's name: the shared one, else this page's (removing, severities). */
export function stateLabel(state: string): string {
  const shared = t(`state.${state}`);
  return shared === `state.${state}` ? t(`overview.state.${state}`) : shared;
}

export function Tiles(props: { counts: Counts }) {
  return (
    <div class="grid overview-tiles">
      <For each={tiles(props.counts)}>
        {(tile) => (
          <section class="card tile" data-tile={tile.key} aria-labelledby={`tile-${tile.key}`}>
            <h2 id={`tile-${tile.key}`} class="tile-title">
              <a href={tile.href}>{t(`overview.tile.${tile.key}`)}</a>
            </h2>
            <span class="value" data-total>
              {formatNumber(tile.total)}
            </span>
            <div class="breakdown">
              <For each={tile.chips}>
                {(chip) => (
                  <a
                    href={chip.href}
                    class="state-chip"
                    data-state={chip.state}
                    classList={{ zero: chip.count === 0 }}
                    aria-label={t('overview.chipLabel', {
                      count: chip.count,
                      state: stateLabel(chip.state),
                    })}
                  >
                    <StatusBadge
                      state={chip.state}
                      label={`${formatNumber(chip.count)} ${stateLabel(chip.state)}`}
                    />
                  </a>
                )}
              </For>
            </div>
          </section>
        )}
      </For>
    </div>
  );
}

export function AttentionRow(props: { item: AttentionItem; now: number }) {
  return (
    <a href={props.item.href} class="attention-row" data-kind={props.item.kind} data-id={props.item.id}>
      <span class="attention-state">
        <StatusBadge state={props.item.state} label={stateLabel(props.item.state)} />
      </span>
      <span class="attention-kind muted">{t(`overview.kind.${props.item.kind}`)}</span>
      <span class="attention-name">{props.item.name}</span>
      <span class="attention-detail muted">{props.item.detail}</span>
      <span class="attention-since muted" title={props.item.since ?? ''}>
        {props.item.since ? formatRelative(props.item.since, props.now) : '–'}
      </span>
    </a>
  );
}
