import { StatusBadge } from '../../components/StatusBadge';
import { t } from '../../i18n';
import type { Severity } from './incident-model';

export function SeverityBadge(props: { severity: Severity }) {
  return <StatusBadge state={props.severity} label={t(`incidents.severity.${props.severity}`)} />;
}
