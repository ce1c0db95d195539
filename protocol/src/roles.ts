// The one table of roles → permissions. Every route names one of these permissions (or is public),
// and the dashboard reads the same table to decide what to show.
import { z } from 'zod';

export const ROLES = ['admin', 'operator', 'viewer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const PERMISSIONS = [
  'users:read',
  'users:write',
  'roles:read',
  'audit:read',
  'agents:read',
  'agents:write',
  'enrollment:write',
  'metrics:read',
  'probes:read',
  'probes:write',
  'containers:read',
  'containers:act',
  'alerts:read',
  'alerts:write',
  'incidents:write',
  'notifications:write',
  'channels:write',
  'dashboards:read',
  'dashboards:write',
  'reports:read',
  'system:read',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

const READ_ONLY: readonly Permission[] = PERMISSIONS.filter(
  (p) => p.endsWith(':read') && p !== 'users:read' && p !== 'audit:read',
);

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  operator: [
    ...READ_ONLY,
    'agents:write',
    'enrollment:write',
    'probes:write',
    'containers:act',
    'alerts:write',
    'incidents:write',
    'notifications:write',
    'dashboards:write',
  ],
  viewer: [...READ_ONLY, 'dashboards:write'],
};

export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  admin: 'Everything, including users, roles and the audit trail',
  operator: 'Monitoring and agent management: probes, alerts, enrolment, container actions',
  viewer: 'Read-only access to monitoring data; may keep personal dashboards',
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
