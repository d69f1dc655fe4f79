import { randomBytes, randomUUID } from 'node:crypto';

/** Zimbra's zimbraAccountStatus values the simulator models. */
export type AccountStatus = 'active' | 'locked' | 'closed' | 'maintenance' | 'pending';

export const ACCOUNT_STATUSES: readonly AccountStatus[] = [
  'active',
  'locked',
  'closed',
  'maintenance',
  'pending',
];

export interface SimDomain {
  name: string;
  /** The 64-hex zimbraPreAuthKey, or null when the domain is not configured for preauth. */
  preauthKey: string | null;
}

export interface SimAccount {
  /** Lower-case primary address. */
  address: string;
  /** zimbraId, a UUID. */
  id: string;
  domain: string;
  status: AccountStatus;
  /** The mailbox server that holds the mailbox (zimbraMailHost). */
  server: string;
}

/** The key `zmprov generateDomainPreAuthKey` makes: 32 random bytes as 64 hex chars. */
export function generatePreauthKey(): string {
  return randomBytes(32).toString('hex');
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    throw new TypeError(`not an email address: ${address}`);
  }
  return address.slice(at + 1);
}

/** Domains and accounts, looked up case-insensitively as Zimbra's LDAP does. */
export class Directory {
  readonly #domains = new Map<string, SimDomain>();
  readonly #byName = new Map<string, SimAccount>();
  readonly #byId = new Map<string, SimAccount>();

  addDomain(name: string, preauthKey?: string | null): SimDomain {
    if (this.#domains.has(name.toLowerCase())) throw new TypeError(`domain exists: ${name}`);
    const domain: SimDomain = {
      name: name.toLowerCase(),
      preauthKey: preauthKey === undefined ? generatePreauthKey() : preauthKey,
    };
    this.#domains.set(domain.name, domain);
    return domain;
  }

  getDomain(name: string): SimDomain | undefined {
    return this.#domains.get(name.toLowerCase());
  }

  /** Adds an account; its domain is created (with a fresh key) when unknown. */
  addAccount(address: string, server: string, status: AccountStatus = 'active', id?: string) {
    const lower = address.toLowerCase();
    if (this.#byName.has(lower)) throw new TypeError(`account exists: ${address}`);
    const domain = domainOf(lower);
    if (!this.#domains.has(domain)) this.addDomain(domain);

    const zimbraId = (id ?? randomUUID()).toLowerCase();
    const account: SimAccount = { address: lower, id: zimbraId, domain, status, server };
    this.#byName.set(lower, account);
    this.#byId.set(account.id, account);
    return account;
  }

  findByName(name: string): SimAccount | undefined {
    return this.#byName.get(name.trim().toLowerCase());
  }

  findById(id: string): SimAccount | undefined {
    return this.#byId.get(id.trim().toLowerCase());
  }

  /** Like findByName but throws for an unknown address: for the simulator's own API. */
  requireAccount(address: string): SimAccount {
    const account = this.findByName(address);
    if (account === undefined) throw new TypeError(`no such simulated account: ${address}`);
    return account;
  }

  accounts(): IterableIterator<SimAccount> {
    return this.#byName.values();
  }
}
