import type { Command } from 'commander';
import { DEFAULT_TENANT_ID } from '../../store/index.js';
import { createUserServices, type UserView } from '../../users/index.js';
import { cliActor, withApp, type CommandContext, type GlobalOptions } from '../cli-context.js';
import { table } from '../output.js';
import { readNewPassword } from '../password-prompt.js';

/** `retract user add|list`: the first admin is made here. */
export function registerUserCommands(program: Command, globals: () => GlobalOptions): void {
  const user = program.command('user').description('people who sign in to the API and portal');

  user
    .command('add <name>')
    .description('add a user; the password is typed (no echo) or read from a file')
    .requiredOption('--role <role>', 'admin | analyst | auditor')
    .option('--password-file <file>', 'file holding the password (its last line break is dropped)')
    .action(async (name: string, opts: { role: string; passwordFile?: string }) => {
      await withApp(globals(), async (ctx) => {
        const password = await readNewPassword(opts.passwordFile);
        const view = await usersOf(ctx).users.add({ name, role: opts.role, password }, cliActor());
        ctx.out.result(view, () => [`added ${view.name} (${view.role})`]);
      });
    });

  user
    .command('list')
    .description('list users (never their passwords)')
    .action(async () => {
      await withApp(globals(), async (ctx) => {
        const views = await usersOf(ctx).users.list();
        ctx.out.result(views, () =>
          views.length === 0
            ? ['no users yet: add the first admin with "retract user add <name> --role admin"']
            : table(['USER', 'ROLE', 'STATE', 'TOTP', 'LAST SIGN-IN'], views.map(row)),
        );
      });
    });
}

/** The users layer over the command's app. */
export function usersOf(ctx: CommandContext) {
  return createUserServices({
    store: ctx.app.store,
    tenantId: DEFAULT_TENANT_ID,
    audit: ctx.app.audit,
    secrets: ctx.app.vault,
  });
}

function row(v: UserView): string[] {
  const state = v.disabled
    ? 'disabled'
    : v.lockedUntilMs && v.lockedUntilMs > Date.now()
      ? 'locked'
      : 'active';
  return [
    v.name,
    v.role,
    state,
    v.totpEnabled ? 'yes' : 'no',
    v.lastLoginAtMs === null ? '-' : new Date(v.lastLoginAtMs).toISOString(),
  ];
}
