import { z } from 'zod';
import { ROLES, type UserView } from '../users/index.js';

/** Every error answer. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
    }),
  })
  .describe('An error: a stable code, a message for people, and the offending field if any');

export const roleSchema = z.enum(ROLES as [string, ...string[]]);

export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});

/** Epoch ms → ISO 8601, null kept. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toUserOut(u: UserView): z.infer<typeof userSchema> {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    totpEnabled: u.totpEnabled,
    lockedUntil: isoTime(u.lockedUntilMs),
    lastLoginAt: isoTime(u.lastLoginAtMs),
    createdAt: new Date(u.createdAtMs).toISOString(),
  };
}

/** Standard error responses, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
};
