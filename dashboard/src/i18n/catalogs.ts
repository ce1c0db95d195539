// Every feature's messages, in one list.
import type { MessageCatalog } from './index';
import { common } from './common';
import { overview } from '../pages/overview/messages';
import { hosts } from '../pages/hosts/messages';
import { containers } from '../pages/containers/messages';
import { probes } from '../pages/probes/messages';
import { incidents } from '../pages/incidents/messages';
import { settings } from '../pages/settings/messages';
import { enrolment } from '../pages/agents/messages';
import { admin } from '../pages/admin/messages';
import { dashboards } from '../pages/dashboards/messages';
import { reports } from '../pages/reports/messages';

export const catalogs: readonly MessageCatalog[] = [
  common,
  overview,
  hosts,
  containers,
  probes,
  incidents,
  settings,
  enrolment,
  admin,
  dashboards,
  reports,
];
