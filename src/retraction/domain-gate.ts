import { RetractError } from '../errors/index.js';

/**
 * Guards one domain's logins during one run. Zimbra answers a wrong key, a
 * clock off by more than five minutes and an unknown account alike
 * (`account.AUTH_FAILED`), and suspends a client address after ten failed
 * logins for at least fifteen minutes (zimbra-soap reference §1.7). So until
 * one login of the domain has worked, logins go one at a time, and after
 * `failureLimit` failures with no success the domain's logins stop.
 */
export class DomainGate {
  readonly #failureLimit: number;
  #successes = 0;
  #failures = 0;
  #probe: Promise<void> = Promise.resolve();

  constructor(failureLimit: number) {
    this.#failureLimit = failureLimit;
  }

  /** Whether logins have worked here, so a failure is one mailbox's problem. */
  get hasWorked(): boolean {
    return this.#successes > 0;
  }

  /** Runs a login under the gate; returns its result or rethrows its error. */
  async login<T>(
    domain: string,
    attempt: () => Promise<T>,
    isAuthFailure: (e: unknown) => boolean,
  ) {
    if (this.#successes > 0) return this.#record(attempt, isAuthFailure);

    // Until a login works, chain them so at most one is in flight.
    const turn = this.#probe.then(() => {
      this.#throwIfTripped(domain);
      return this.#record(attempt, isAuthFailure);
    });
    this.#probe = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  async #record<T>(attempt: () => Promise<T>, isAuthFailure: (e: unknown) => boolean) {
    try {
      const result = await attempt();
      this.#successes += 1;
      return result;
    } catch (err) {
      if (isAuthFailure(err)) this.#failures += 1;
      throw err;
    }
  }

  #throwIfTripped(domain: string): void {
    if (this.#successes > 0 || this.#failures < this.#failureLimit) return;
    throw new RetractError(
      'RETRACTION_DOMAIN_LOGINS_STOPPED',
      `logins to ${domain} stopped after ${this.#failures} failed PreAuth logins and none that worked: check the domain's PreAuth key (zmprov generateDomainPreAuthKey) and that this machine's clock is within 5 minutes of the Zimbra server; Zimbra suspends an address after 10 failed logins`,
      { failureClass: 'config', context: { domain, failedLogins: this.#failures } },
    );
  }
}
