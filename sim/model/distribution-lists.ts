import { randomUUID } from 'node:crypto';

/** A Zimbra distribution list (an LDAP group), as the simulator models it. */
export interface SimDistributionList {
  /** Lower-case list address. */
  address: string;
  /** zimbraId, a UUID. */
  id: string;
  domain: string;
  /** Member addresses in the order given: accounts, other lists or outside addresses. */
  members: string[];
  /** zimbraHideInGal: only owners may read the members, and GAL searches skip it. */
  hidden: boolean;
  /** Owner account addresses (zimbraACE ownDistList), lower-case. */
  owners: string[];
  /** The viewDistList right is denied to everyone but the owners. */
  viewDenied: boolean;
}

export interface DistributionListOptions {
  hidden?: boolean;
  owners?: readonly string[];
  viewDenied?: boolean;
}

function normalise(address: string): string {
  return address.trim().toLowerCase();
}

/** Lists by address, looked up case-insensitively. */
export class DistributionLists {
  readonly #lists = new Map<string, SimDistributionList>();

  add(address: string, members: readonly string[], options: DistributionListOptions = {}) {
    const lower = normalise(address);
    const at = lower.lastIndexOf('@');
    if (at <= 0 || at === lower.length - 1) throw new TypeError(`not an email address: ${address}`);
    if (this.#lists.has(lower)) throw new TypeError(`distribution list exists: ${address}`);

    const list: SimDistributionList = {
      address: lower,
      id: randomUUID(),
      domain: lower.slice(at + 1),
      members: [...new Set(members.map(normalise))],
      hidden: options.hidden === true,
      owners: (options.owners ?? []).map(normalise),
      viewDenied: options.viewDenied === true,
    };
    this.#lists.set(lower, list);
    return list;
  }

  find(address: string): SimDistributionList | undefined {
    return this.#lists.get(normalise(address));
  }

  all(): IterableIterator<SimDistributionList> {
    return this.#lists.values();
  }

  /**
   * Every non-list address reachable from `address`, nested lists expanded depth-first
   * as the MTA's virtual alias lookup does; each list is expanded once, so loops end.
   */
  expand(address: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const walk = (current: string) => {
      const list = this.find(current);
      if (list === undefined) {
        out.push(normalise(current));
        return;
      }
      if (seen.has(list.address)) return;
      seen.add(list.address);
      for (const member of list.members) walk(member);
    };
    walk(address);
    return [...new Set(out)];
  }

  /** Whether `account` is a member of the list, directly or through a nested list. */
  isMember(list: SimDistributionList, account: string): boolean {
    return this.expand(list.address).includes(normalise(account));
  }
}
