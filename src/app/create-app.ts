import type { Logger } from 'pino';
import { AuditLog } from '../audit/index.js';
import {
  DomainService,
  KeyVault,
  type DomainCredentials,
  type MasterKey,
} from '../domains/index.js';
import { RetractError } from '../errors/index.js';
import {
  RetractionService,
  type MailboxGateway,
  type RetractionSettings,
} from '../retraction/index.js';
import { DEFAULT_TENANT_ID, openSqliteStore, type Store } from '../store/index.js';
import { DeliveryStore } from '../trace/index.js';
import { HostLimiterRegistry, ZimbraClient } from '../zimbra/index.js';
import { createMasterKeyFile, type AppConfig } from './app-config.js';
import { ZimbraCallFeed } from './zimbra-call-feed.js';

/** The services of one tenant, wired over one store. */
export interface App {
  readonly store: Store;
  readonly logger: Logger;
  readonly audit: AuditLog;
  /** Seals secrets at rest under the master key: PreAuth keys, TOTP secrets. */
  readonly vault: KeyVault;
  readonly domains: DomainService;
  readonly deliveries: DeliveryStore;
  readonly retractions: RetractionService;
  /** Pacing of every Zimbra host this app talks to; `stats()` is for metrics. */
  readonly zimbraLimiters: HostLimiterRegistry;
  /** Every finished Zimbra SOAP call (request, host, duration, codes), for metrics. */
  readonly zimbraCalls: ZimbraCallFeed;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  config: AppConfig;
  logger: Logger;
  now?: () => number;
  /** Engine tuning, for tests (short retry delays). */
  retraction?: Partial<RetractionSettings>;
  sleep?: (ms: number) => Promise<void>;
  /** Zimbra host pacing; default a fresh registry (tests pass one with other rates). */
  zimbraLimiters?: HostLimiterRegistry;
}

/**
 * Opens the store and builds the services. The one place that knows which
 * back end runs and how a domain's mailboxes are reached.
 */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const store = await openSqliteStore({ path: config.databasePath, now });
  const tenantId = DEFAULT_TENANT_ID;

  const audit = new AuditLog(store, tenantId, now);
  const vault = new KeyVault(await masterKeysFor(config, store));
  const domains = new DomainService({
    store,
    vault,
    tenantId,
    audit,
    allowLoopback: config.allowLoopbackTargets,
    now,
  });
  const deliveries = new DeliveryStore(store, tenantId, now);
  const zimbraLimiters = options.zimbraLimiters ?? new HostLimiterRegistry();
  const zimbraCalls = new ZimbraCallFeed();
  const zimbra = {
    logger,
    now,
    limiters: zimbraLimiters,
    calls: zimbraCalls,
    allowLoopback: config.allowLoopbackTargets,
  };
  const retractions = new RetractionService({
    store,
    tenantId,
    domains,
    audit,
    recipientsOf: (messageId) => deliveries.recipientsOf(messageId),
    openGateway: (domain) => openZimbraGateway(domain, zimbra),
    logger: logger.child({ component: 'retraction' }),
    now,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.retraction ? { settings: options.retraction } : {}),
  });

  return {
    store,
    logger,
    audit,
    vault,
    domains,
    deliveries,
    retractions,
    zimbraLimiters,
    zimbraCalls,
    close: () => store.close(),
  };
}

/**
 * The master keys, or new ones for a store that seals nothing yet. A store
 * that holds sealed keys without its master key must not get a fresh one:
 * every stored key would look fine and fail at the first retraction.
 */
async function masterKeysFor(config: AppConfig, store: Store): Promise<readonly MasterKey[]> {
  if (config.masterKeys) return config.masterKeys;
  const sealedDomain = await store.db
    .selectFrom('domains')
    .select('name')
    .limit(1)
    .executeTakeFirst();
  const sealedTotp = await store.db
    .selectFrom('users')
    .select('name')
    .where((eb) =>
      eb.or([eb('totp_secret', 'is not', null), eb('totp_pending_secret', 'is not', null)]),
    )
    .limit(1)
    .executeTakeFirst();
  if (sealedDomain || sealedTotp) {
    await store.close();
    throw new RetractError(
      'CONFIG_MASTER_KEY_MISSING',
      `the master key is missing (${config.masterKeyPath}, or RETRACT_MASTER_KEY) but the database holds secrets sealed with it: restore the key file from your backup; a new key could not open them`,
      { failureClass: 'config', context: { path: config.masterKeyPath } },
    );
  }
  return createMasterKeyFile(config.masterKeyPath);
}

interface ZimbraWiring {
  logger: Logger;
  now: () => number;
  /** One per app, so every run against a host shares its pace. */
  limiters: HostLimiterRegistry;
  calls: ZimbraCallFeed;
  allowLoopback: boolean;
}

// FIXME: the egress source address is not configurable yet; the client takes
// one (`localAddress`), so traffic leaves from the host's default address.
function openZimbraGateway(domain: DomainCredentials, wiring: ZimbraWiring): MailboxGateway {
  const client = new ZimbraClient({
    soapUrl: domain.soapUrl,
    preauthKey: domain.preauthKey,
    ...(domain.caPem ? { caPem: domain.caPem } : {}),
    logger: wiring.logger.child({ component: 'zimbra', domain: domain.name }),
    now: wiring.now,
    limiters: wiring.limiters,
    ...(domain.requestsPerSecond === null ? {} : { requestsPerSecond: domain.requestsPerSecond }),
    allowLoopback: wiring.allowLoopback,
    onCall: (record) => wiring.calls.publish(record),
  });
  return {
    openMailbox: (account) => client.openMailbox(account),
    close: () => client.close(),
  };
}
