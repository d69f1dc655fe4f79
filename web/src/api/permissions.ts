import type { Permission, Role } from './types.js';

// The same grants the API enforces (src/users/roles.ts). The portal only uses
// them to hide what a role cannot do; the API still refuses on its own.
const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [
    'domains:read',
    'domains:write',
    'trace:read',
    'trace:write',
    'retractions:read',
    'retractions:write',
    'audit:read',
    'users:manage',
    'tokens:manage',
  ],
  analyst: ['domains:read', 'trace:read', 'retractions:read', 'retractions:write'],
  auditor: ['domains:read', 'trace:read', 'retractions:read', 'audit:read'],
};

/** Whether a role may do something; used to leave controls out of the page. */
export function roleCan(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
