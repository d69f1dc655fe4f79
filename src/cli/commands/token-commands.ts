import type { Command } from 'commander';
import { DEFAULTS } from '../../config/index.js';
import { parseTokenLifetime } from '../../users/index.js';
import { cliActor, withApp, type GlobalOptions } from '../cli-context.js';
import { table } from '../output.js';
import { usersOf } from './user-commands.js';

interface CreateOptions {
  role: string;
  expires: string;
  name: string;
}

/** `retract token create|list|revoke`: API tokens for automation. */
export function registerTokenCommands(program: Command, globals: () => GlobalOptions): void {
  const token = program.command('token').description('API tokens for automation (SOAR, gateways)');

  token
    .command('create')
    .description('create an API token and print it once; it cannot be shown again')
    .requiredOption('--role <role>', 'admin | analyst | auditor')
    .option('--expires <days>', 'lifetime such as 30d', `${DEFAULTS.apiTokenDefaultDays}d`)
    .option('--name <label>', 'what the token is for', 'cli')
    .action(async (opts: CreateOptions) => {
      await withApp(globals(), async (ctx) => {
        const lifetimeMs = parseTokenLifetime(opts.expires);
        const { token: secret, view } = await usersOf(ctx).tokens.create(
          { name: opts.name, role: opts.role, lifetimeMs },
          cliActor(),
        );
        ctx.out.note(
          `token ${view.id} (${view.role}) expires ${new Date(view.expiresAtMs).toISOString()}; store it now, it is not shown again`,
        );
        ctx.out.result({ ...view, token: secret }, () => [secret]);
      });
    });

  token
    .command('list')
    .description('list API tokens (never the tokens themselves)')
    .action(async () => {
      await withApp(globals(), async (ctx) => {
        const views = await usersOf(ctx).tokens.list();
        ctx.out.result(views, () =>
          table(
            ['ID', 'NAME', 'ROLE', 'EXPIRES', 'STATE'],
            views.map((v) => [
              v.id,
              v.name,
              v.role,
              new Date(v.expiresAtMs).toISOString(),
              v.revoked ? 'revoked' : v.expiresAtMs <= Date.now() ? 'expired' : 'active',
            ]),
          ),
        );
      });
    });

  token
    .command('revoke <id>')
    .description('revoke an API token at once')
    .action(async (id: string) => {
      await withApp(globals(), async (ctx) => {
        const view = await usersOf(ctx).tokens.revoke(id, cliActor());
        ctx.out.result(view, () => [`revoked ${view.id} (${view.name})`]);
      });
    });
}
