import { z } from 'zod';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses, roleSchema, toUserOut, userSchema } from './api-schemas.js';

const tags = ['users'];
const nameParams = z.strictObject({ name: z.string().min(1).max(64) });

const changeBody = z
  .strictObject({
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    password: z
      .string()
      .min(1)
      .max(4096)
      .describe('A new password; ends the user’s sessions')
      .optional(),
    unlock: z.literal(true).describe('Lift a sign-in lockout now').optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: 'give at least one field to change',
    path: ['role'],
  });

/** Users: list, add, change role, disable, set password, unlock, reset second factor. */
export function registerUserRoutes(server: ApiServer, ctx: ApiContext): void {
  const { users, sessions } = ctx.users;

  server.get(
    '/api/v1/users',
    {
      schema: {
        summary: 'List users',
        tags,
        response: { 200: z.object({ users: z.array(userSchema) }) },
      },
      config: { access: 'users:manage' },
    },
    async () => ({ users: (await users.list()).map(toUserOut) }),
  );

  server.post(
    '/api/v1/users',
    {
      schema: {
        summary: 'Add a user',
        tags,
        body: z.strictObject({
          name: z.string().min(1).max(64),
          role: roleSchema,
          password: z.string().min(1).max(4096),
        }),
        response: { 201: userSchema, ...errorResponses },
      },
      config: { access: 'users:manage' },
    },
    async (request, reply) => {
      const user = await users.add(request.body, request.principal!.actor);
      return reply.code(201).send(toUserOut(user));
    },
  );

  server.patch(
    '/api/v1/users/:name',
    {
      schema: {
        summary: 'Change a user: role, disabled, password, unlock',
        tags,
        params: nameParams,
        body: changeBody,
        response: { 200: userSchema, ...errorResponses },
      },
      config: { access: 'users:manage' },
    },
    async (request) => {
      const { name } = request.params;
      const actor = request.principal!.actor;
      const { role, disabled, password, unlock } = request.body;
      if (role !== undefined) await users.setRole(name, role, actor);
      if (disabled !== undefined) {
        const user = await users.setDisabled(name, disabled, actor);
        if (disabled) await sessions.endAllOf(user.id);
      }
      if (unlock) await users.unlock(name, actor);
      if (password !== undefined) {
        await users.setPassword(name, password, actor);
        await sessions.endAllOf((await users.get(name)).id);
      }
      return toUserOut(await users.get(name));
    },
  );

  server.delete(
    '/api/v1/users/:name/totp',
    {
      schema: {
        summary: 'Remove a user’s second factor (lost phone); they enrol again',
        tags,
        params: nameParams,
        response: { 200: userSchema, ...errorResponses },
      },
      config: { access: 'users:manage' },
    },
    async (request) =>
      toUserOut(await users.resetTotp(request.params.name, request.principal!.actor)),
  );
}
