import { createApp, createLogger, loadAppConfig, type App, type AppConfig } from '../app/index.js';
import { createOutput, type Output } from './output.js';

/** Options every command takes. */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export interface CommandContext {
  app: App;
  config: AppConfig;
  out: Output;
}

/** The actor name audit entries carry for CLI use. */
export function cliActor(): string {
  return `cli:${process.env['USER'] ?? process.env['LOGNAME'] ?? 'unknown'}`;
}

/** Opens the app for one command and closes it after, whatever happens. */
export async function withApp<T>(
  options: GlobalOptions,
  run: (ctx: CommandContext) => Promise<T>,
): Promise<T> {
  const config = loadAppConfig(process.env, options.dataDir ? { dataDir: options.dataDir } : {});
  const logger = createLogger(config.logLevel, config.logPath);
  const app = await createApp({ config, logger });
  try {
    return await run({ app, config, out: createOutput(options.json === true) });
  } finally {
    await app.close();
    logger.flush();
  }
}
