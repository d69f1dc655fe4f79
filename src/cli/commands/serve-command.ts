import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { DEFAULTS } from '../../config/index.js';
import { InputError } from '../../errors/index.js';
import { withApp, type GlobalOptions } from '../cli-context.js';
import { parseIntegerOption } from '../parse-options.js';

interface ServeOptions {
  host: string;
  port: string;
  webRoot?: string;
  trustProxy?: boolean;
}

/**
 * `retract serve`: the API and portal until SIGINT or SIGTERM. At start it
 * resumes retractions a stopped process left running; at stop it lets
 * running ones finish before closing the store.
 */
export function registerServeCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description(
      'serve the API and portal until Ctrl-C (RETRACT_PUBLIC_URL: the https URL users open)',
    )
    .option('--host <address>', 'address to listen on', DEFAULTS.httpHost)
    .option('--port <n>', 'port to listen on', String(DEFAULTS.httpPort))
    .option('--web-root <dir>', "the portal's built files (default: web/dist of this install)")
    .option(
      '--trust-proxy',
      'behind a reverse proxy: take client addresses (sign-in rate limits) from X-Forwarded-For',
    )
    .action(async (opts: ServeOptions) => {
      const port = parseIntegerOption(opts.port, '--port', 0, 65_535);
      const secureCookies = isHttpsPublicUrl(process.env['RETRACT_PUBLIC_URL']);
      await withApp(globals(), async ({ app, config, out }) => {
        // Loaded here: the HTTP stack is the heaviest import, and no other
        // command needs it.
        const { createHttpServer } = await import('../../http/index.js');
        const server = await createHttpServer({
          app,
          logger: app.logger,
          secureCookies,
          allowLoopbackTargets: config.allowLoopbackTargets,
          trustProxy: opts.trustProxy === true,
          webRoot: opts.webRoot ? resolve(opts.webRoot) : defaultWebRoot(),
        });
        const address = await server.listen({ host: opts.host, port });
        out.note(`retract: serving ${address} (Ctrl-C to stop)`);
        await app.retractions.startUnfinished();

        await untilSignal();
        out.note('retract: stopping; letting running retractions finish');
        await server.close();
        await app.retractions.drain();
      });
    });
}

/** `RETRACT_PUBLIC_URL`: https means the session cookie is marked Secure. */
function isHttpsPublicUrl(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError(
      'CLI_BAD_PUBLIC_URL',
      'RETRACT_PUBLIC_URL',
      'RETRACT_PUBLIC_URL: give the URL users open, such as https://retract.example.com/',
    );
  }
  return url.protocol === 'https:';
}

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `web/dist` beside the package.json of this install, from source or from dist/. */
function defaultWebRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'web', 'dist');
    dir = dirname(dir);
  }
  return null;
}
