import { RetractError } from '../errors/index.js';

/** How a failed login bears on the rest of the domain. */
export type LoginFailureKind =
  /** `account.AUTH_FAILED`: wrong key, skewed clock, or a bad account. */
  | 'auth'
  /** The server could not be reached (refused, no such host, connect timeout). */
  | 'unreachable'
  /** A set-up problem no retry fixes (TLS trust, wrong URL, no PreAuth key on Zimbra). */
  | 'broken'
  /** Bare HTTP 503: Zimbra has suspended this address; more requests only prolong it. */
  | 'suspended'
  | 'other';

/** What Zimbra's directory says an address is (GAL lookup). */
export type AddressKind = 'account' | 'list' | 'unknown';

export interface DomainGateOptions {
  domain: string;
  /** Failed logins with none that worked before the domain's logins stop. */
  failureLimit: number;
  /** Failed logins in one run, after some worked, before each login is checked first. */
  failureBudget: number;
  classify: (err: unknown) => LoginFailureKind;
}

/**
 * Guards one domain's logins during one run.
 *
 * Zimbra answers a wrong key, a clock off by more than five minutes and an
 * unknown account alike (`account.AUTH_FAILED`), and suspends a client
 * address after ten failed logins, with no reset on success, for at least
 * fifteen minutes (zimbra-soap reference §1.7). So:
 * - until one login has worked, logins go one at a time, and after
 *   `failureLimit` auth failures (or that many unreachable answers) the
 *   domain's logins stop; a set-up problem or a suspension stops them at once;
 * - once logins work, a failure is one mailbox's problem, but after
 *   `failureBudget` of them each further address is first looked up in the
 *   directory through a working session, so unknown accounts cost no login.
 */
export class DomainGate {
  readonly #o: DomainGateOptions;
  readonly #failures: Record<LoginFailureKind, number> = {
    auth: 0,
    unreachable: 0,
    broken: 0,
    suspended: 0,
    other: 0,
  };
  #successes = 0;
  #probe: Promise<void> = Promise.resolve();
  #directory: ((address: string) => Promise<AddressKind>) | undefined;

  constructor(options: DomainGateOptions) {
    this.#o = options;
  }

  /** Whether logins have worked here, so a failure is one mailbox's problem. */
  get hasWorked(): boolean {
    return this.#successes > 0;
  }

  /** A GAL lookup through a session that works, used once the budget is spent. */
  useDirectory(lookup: (address: string) => Promise<AddressKind>): void {
    this.#directory ??= lookup;
  }

  /** Runs a login under the gate; returns its result or rethrows its error. */
  async login<T>(account: string, attempt: () => Promise<T>): Promise<T> {
    this.#throwIfStopped();
    if (this.#successes > 0) {
      await this.#checkAddressOnceBudgetSpent(account);
      return this.#record(attempt);
    }

    // Until a login works, chain them so at most one is in flight.
    const turn = this.#probe.then(() => {
      this.#throwIfStopped();
      return this.#record(attempt);
    });
    this.#probe = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  async #record<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      const result = await attempt();
      this.#successes += 1;
      return result;
    } catch (err) {
      this.#failures[this.#o.classify(err)] += 1;
      throw err;
    }
  }

  async #checkAddressOnceBudgetSpent(account: string): Promise<void> {
    if (this.#failures.auth < this.#o.failureBudget) return;
    if (this.#directory === undefined) {
      throw this.#stopped(
        'RETRACTION_LOGIN_BUDGET_SPENT',
        `${this.#failures.auth} PreAuth logins to ${this.#o.domain} failed in this run and Zimbra's directory cannot be searched to check the others first; the remaining mailboxes were not tried, because Zimbra suspends an address after 10 failed logins`,
      );
    }
    const kind = await this.#directory(account);
    if (kind === 'account') return;
    throw new RetractError(
      kind === 'list' ? 'RETRACTION_RECIPIENT_IS_LIST' : 'RETRACTION_NO_SUCH_MAILBOX',
      kind === 'list'
        ? `${account} is a distribution list, not a mailbox; its members' mailboxes are what to retract from`
        : `Zimbra's directory has no account ${account}; no login was tried`,
      { failureClass: 'mailbox', context: { account, domain: this.#o.domain } },
    );
  }

  #throwIfStopped(): void {
    const f = this.#failures;
    const domain = this.#o.domain;
    if (f.suspended > 0) {
      throw this.#stopped(
        'RETRACTION_DOMAIN_SUSPENDED',
        `Zimbra at ${domain} answers HTTP 503 without SOAP: it has most likely suspended this address after failed logins (for 15 minutes or more); fix the cause, wait, then resume, or add Retract's address to zimbraHttpThrottleSafeIPs`,
      );
    }
    if (this.#successes > 0) return;
    if (f.broken > 0) {
      throw this.#stopped(
        'RETRACTION_DOMAIN_MISCONFIGURED',
        `logins to ${domain} stopped: the first one failed with a set-up problem that no retry fixes (see the first failed mailbox); run "retract domain test ${domain}"`,
      );
    }
    if (f.unreachable >= this.#o.failureLimit) {
      throw this.#stopped(
        'RETRACTION_DOMAIN_UNREACHABLE',
        `Zimbra for ${domain} could not be reached ${f.unreachable} times in a row: check the SOAP URL's host and port and the firewall, then resume`,
      );
    }
    if (f.auth >= this.#o.failureLimit) {
      throw this.#stopped(
        'RETRACTION_DOMAIN_LOGINS_STOPPED',
        `logins to ${domain} stopped after ${f.auth} failed PreAuth logins and none that worked: check the domain's PreAuth key (zmprov generateDomainPreAuthKey) and that this machine's clock is within 5 minutes of the Zimbra server; Zimbra suspends an address after 10 failed logins`,
      );
    }
  }

  #stopped(code: string, message: string): RetractError {
    const failedLogins = this.#failures.auth;
    return new RetractError(code, message, {
      failureClass: 'config',
      context: { domain: this.#o.domain, failedLogins },
    });
  }
}
