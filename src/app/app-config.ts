import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULTS } from '../config/index.js';
import {
  formatMasterKeys,
  generateMasterKey,
  parseMasterKeys,
  type MasterKey,
} from '../domains/index.js';
import { RetractError } from '../errors/index.js';

/** Everything an entry point reads from the environment, checked and frozen. */
export interface AppConfig {
  readonly dataDir: string;
  readonly databasePath: string;
  readonly logPath: string;
  readonly logLevel: string;
  readonly allowLoopbackTargets: boolean;
  /** From RETRACT_MASTER_KEY or the key file; null when neither exists yet. */
  readonly masterKeys: readonly MasterKey[] | null;
  /** Where the master key file is, or is created on first start. */
  readonly masterKeyPath: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads `RETRACT_DATA_DIR`, `RETRACT_LOG_LEVEL`,
 * `RETRACT_ALLOW_LOOPBACK_TARGETS` and `RETRACT_MASTER_KEY` (or the master key
 * file in the data directory, created on first use with mode 0600). Every
 * problem is reported at once.
 */
export function loadAppConfig(
  env: NodeJS.ProcessEnv,
  overrides: { dataDir?: string } = {},
): AppConfig {
  const problems: string[] = [];
  const dataDir = resolve(overrides.dataDir ?? env['RETRACT_DATA_DIR'] ?? DEFAULTS.dataDir);
  const logLevel = env['RETRACT_LOG_LEVEL'] || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`RETRACT_LOG_LEVEL: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const loopback = env['RETRACT_ALLOW_LOOPBACK_TARGETS'] || '0';
  if (!['0', '1', 'true', 'false'].includes(loopback)) {
    problems.push('RETRACT_ALLOW_LOOPBACK_TARGETS: use 1 to allow, 0 (the default) to refuse');
  }
  if (problems.length > 0) {
    throw new RetractError('CONFIG_INVALID', `configuration: ${problems.join('; ')}`, {
      failureClass: 'config',
      context: { problems },
    });
  }

  return Object.freeze({
    dataDir,
    databasePath: join(dataDir, DEFAULTS.databaseFile),
    logPath: join(dataDir, 'retract.log'),
    logLevel,
    allowLoopbackTargets: loopback === '1' || loopback === 'true',
    masterKeys: loadMasterKeys(env, join(dataDir, DEFAULTS.masterKeyFile)),
    masterKeyPath: join(dataDir, DEFAULTS.masterKeyFile),
  });
}

function loadMasterKeys(env: NodeJS.ProcessEnv, path: string): readonly MasterKey[] | null {
  const fromEnv = env['RETRACT_MASTER_KEY'];
  if (fromEnv) return Object.freeze(parseMasterKeys(fromEnv, 'RETRACT_MASTER_KEY'));
  if (existsSync(path)) return Object.freeze(parseMasterKeys(readFileSync(path, 'utf8'), path));
  return null;
}

/**
 * Writes a new master key file, owner-only. Only for a store that seals
 * nothing yet: see createApp.
 */
export function createMasterKeyFile(path: string): readonly MasterKey[] {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const keys = [generateMasterKey(1)];
  // 'wx' fails if another process created the file meanwhile, instead of
  // overwriting a key that may already seal stored PreAuth keys.
  writeFileSync(path, formatMasterKeys(keys), { mode: 0o600, flag: 'wx' });
  return Object.freeze(keys);
}
