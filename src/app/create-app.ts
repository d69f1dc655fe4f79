import type { Logger } from 'pino';
import { AuditLog } from '../audit/index.js';
import { DomainService, KeyVault, type DomainCredentials } from '../domains/index.js';
import {
  RetractionService,
  type MailboxGateway,
  type RetractionSettings,
} from '../retraction/index.js';
import { DEFAULT_TENANT_ID, openSqliteStore, type Store } from '../store/index.js';
import { DeliveryStore } from '../trace/index.js';
import { ZimbraClient } from '../zimbra/index.js';
import type { AppConfig } from './app-config.js';

/** The services of one tenant, wired over one store. */
export interface App {
  readonly store: Store;
  readonly logger: Logger;
  readonly audit: AuditLog;
  readonly domains: DomainService;
  readonly deliveries: DeliveryStore;
  readonly retractions: RetractionService;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  config: AppConfig;
  logger: Logger;
  now?: () => number;
  /** Engine tuning, for tests (short retry delays). */
  retraction?: Partial<RetractionSettings>;
  sleep?: (ms: number) => Promise<void>;
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
  const domains = new DomainService({
    store,
    vault: new KeyVault(config.masterKeys),
    tenantId,
    audit,
    allowLoopback: config.allowLoopbackTargets,
    now,
  });
  const deliveries = new DeliveryStore(store, tenantId, now);
  const retractions = new RetractionService({
    store,
    tenantId,
    domains,
    audit,
    recipientsOf: (messageId) => deliveries.recipientsOf(messageId),
    openGateway: (domain) => openZimbraGateway(domain, logger, now),
    logger: logger.child({ component: 'retraction' }),
    now,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.retraction ? { settings: options.retraction } : {}),
  });

  return {
    store,
    logger,
    audit,
    domains,
    deliveries,
    retractions,
    close: () => store.close(),
  };
}

function openZimbraGateway(
  domain: DomainCredentials,
  logger: Logger,
  now: () => number,
): MailboxGateway {
  const client = new ZimbraClient({
    soapUrl: domain.soapUrl,
    preauthKey: domain.preauthKey,
    ...(domain.caPem ? { caPem: domain.caPem } : {}),
    logger: logger.child({ component: 'zimbra', domain: domain.name }),
    now,
  });
  return {
    openMailbox: (account) => client.openMailbox(account),
    close: () => client.close(),
  };
}
