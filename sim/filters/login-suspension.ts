import { isLoopback } from './client-address.js';
import { IpAllowlist } from './ip-allowlist.js';

/** ZimbraInvalidLoginFilter settings (reference §1.7; zimbra-attrs.xml ids 1613-1618). */
export interface LoginSuspensionOptions {
  /** zimbraInvalidLoginFilterMaxFailedLogin: failures allowed per IP; default 10. */
  maxFailures?: number;
  /**
   * How long an IP stays suspended, in ms of simulator clock; default 900_000 (15 min,
   * zimbraInvalidLoginFilterDelayInMinBetwnReqBeforeReinstating). Zimbra reinstates from
   * a task that runs every 5 min, so a real suspension can last up to 5 min longer.
   */
  suspendMs?: number;
  /**
   * Exempt 127.0.0.0/8 and ::1. Zimbra exempts loopback always (it is on the DoS
   * whitelist); the simulator does not by default, so tests on 127.0.0.1 can be suspended.
   */
  exemptLoopback?: boolean;
  /** zimbraHttpThrottleSafeIPs: addresses or CIDR ranges never counted nor suspended. */
  safeIps?: readonly string[];
}

const DEFAULT_MAX_FAILURES = 10;
const DEFAULT_SUSPEND_MS = 900_000;

/**
 * Counts AUTH_FAILED answers per client IP, with no reset on success; once an IP has
 * more than `maxFailures`, every request from it gets a bare HTTP 503 until the period
 * has passed, and its count starts again from zero (ZimbraInvalidLoginFilter).
 */
export class LoginSuspension {
  readonly #max: number;
  readonly #suspendMs: number;
  readonly #exemptLoopback: boolean;
  readonly #safe: IpAllowlist;
  readonly #failures = new Map<string, number>();
  readonly #suspendedAt = new Map<string, number>();

  constructor(options: LoginSuspensionOptions = {}) {
    this.#max = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.#suspendMs = options.suspendMs ?? DEFAULT_SUSPEND_MS;
    if (!Number.isInteger(this.#max) || this.#max < 1) {
      throw new TypeError('loginSuspension.maxFailures must be a positive integer');
    }
    if (!(this.#suspendMs > 0)) throw new TypeError('loginSuspension.suspendMs must be positive');
    this.#exemptLoopback = options.exemptLoopback === true;
    this.#safe = new IpAllowlist(options.safeIps);
  }

  /** Whether `ip` is suspended at `nowMs`; an expired suspension is lifted here. */
  isSuspended(ip: string, nowMs: number): boolean {
    if (this.#isExempt(ip)) return false;
    const since = this.#suspendedAt.get(ip);
    if (since === undefined) return false;
    if (nowMs - since < this.#suspendMs) return true;
    this.#suspendedAt.delete(ip);
    this.#failures.delete(ip);
    return false;
  }

  /** Counts one HTTP request that answered AUTH_FAILED (however many batch parts did). */
  recordAuthFailed(ip: string, nowMs: number): void {
    if (this.#isExempt(ip)) return;
    const count = (this.#failures.get(ip) ?? 0) + 1;
    this.#failures.set(ip, count);
    if (count > this.#max) this.#suspendedAt.set(ip, nowMs);
  }

  #isExempt(ip: string): boolean {
    return (this.#exemptLoopback && isLoopback(ip)) || this.#safe.has(ip);
  }
}
