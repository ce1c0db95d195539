// Which administration tabs exist and who may read each; a tab a role may not read is not shown.
import type { Permission } from '../../api/session';

export const TABS = [
  { tab: 'users', permission: 'users:read' },
  { tab: 'audit', permission: 'audit:read' },
  { tab: 'roles', permission: 'roles:read' },
] as const satisfies readonly { tab: string; permission: Permission }[];
export type Tab = (typeof TABS)[number]['tab'];

export function visibleTabs(may: (permission: Permission) => boolean): Tab[] {
  return TABS.filter((entry) => may(entry.permission)).map((entry) => entry.tab);
}

export function isTab(value: string): value is Tab {
  return TABS.some((entry) => entry.tab === value);
}
