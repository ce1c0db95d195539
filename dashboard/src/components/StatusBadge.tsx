// A state as a coloured badge with its translated name.
import { t } from '../i18n';

const TONES: Record<string, string> = {
  up: 'ok',
  online: 'ok',
  running: 'ok',
  healthy: 'ok',
  resolved: 'ok',
  down: 'bad',
  offline: 'bad',
  exited: 'bad',
  dead: 'bad',
  unhealthy: 'bad',
  open: 'bad',
  critical: 'bad',
  revoked: 'muted',
  degraded: 'warn',
  restarting: 'warn',
  paused: 'warn',
  starting: 'warn',
  acknowledged: 'warn',
  warning: 'warn',
  pending: 'info',
  created: 'info',
  info: 'info',
};

export function toneOf(state: string | null | undefined): string {
  return TONES[state ?? ''] ?? 'muted';
}

export function StatusBadge(props: { state: string | null | undefined; label?: string }) {
  const label = () => props.label ?? (props.state ? t(`state.${props.state}`) : t('state.unknown'));
  return (
    <span class={`badge tone-${toneOf(props.state)}`} data-state={props.state ?? 'unknown'}>
      {label()}
    </span>
  );
}
