import { InputError } from '../errors/index.js';

/** Who may do what: `admin` everything, `analyst` trace, retract and restore, `auditor` read only. */
export type Role = 'admin' | 'analyst' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'auditor'];

/** One thing a route needs; each route names exactly one. */
export type Permission =
  | 'domains:read'
  | 'domains:write'
  | 'trace:read'
  | 'trace:write'
  | 'retractions:read'
  | 'retractions:write'
  | 'audit:read'
  | 'users:manage'
  | 'tokens:manage';

const GRANTS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set<Permission>([
    'domains:read',
    'domains:write',
    'trace:read',
    'trace:write',
    'retractions:read',
    'retractions:write',
    'audit:read',
    'users:manage',
    'tokens:manage',
  ]),
  analyst: new Set<Permission>([
    'domains:read',
    'trace:read',
    'retractions:read',
    'retractions:write',
  ]),
  auditor: new Set<Permission>(['domains:read', 'trace:read', 'retractions:read', 'audit:read']),
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** Checks a role name from a person or caller. */
export function parseRole(value: string): Role {
  const role = value.trim().toLowerCase();
  if (!isRole(role)) {
    throw new InputError(
      'USER_BAD_ROLE',
      'role',
      `role: "${value}" is not one of ${ROLES.join(', ')}`,
    );
  }
  return role;
}
