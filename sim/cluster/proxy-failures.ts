import { SoapFault } from '../soap/soap-fault.js';

/** Makes proxying to a mailbox server fail with service.PROXY_ERROR. */
export interface ProxyFailureSpec {
  /** The home server the proxy cannot reach. */
  server: string;
  /** How many proxied requests fail; absent means every one until removed. */
  times?: number;
}

interface Rule {
  server: string;
  remaining: number;
}

/**
 * The reason text of ServiceException.PROXY_ERROR (zm-mailbox
 * common/src/java/com/zimbra/common/service/ServiceException.java) with the cause a
 * refused connection gives; its url argument is an InternalArgument, never sent.
 */
export function proxyErrorFault(): SoapFault {
  return new SoapFault(
    'service.PROXY_ERROR',
    'error while proxying request to target server: Connection refused',
    true,
  );
}

/** Switches that break the proxy hop to given servers, counted per proxied request. */
export class ProxyFailures {
  #rules: Rule[] = [];

  add(spec: ProxyFailureSpec): () => void {
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
      throw new TypeError('failProxy: times must be a positive integer');
    }
    const rule: Rule = { server: spec.server, remaining: spec.times ?? Number.POSITIVE_INFINITY };
    this.#rules.push(rule);
    return () => {
      this.#rules = this.#rules.filter((r) => r !== rule);
    };
  }

  clear(): void {
    this.#rules = [];
  }

  /** Whether this proxy hop to `server` fails; a counted rule is used up by it. */
  takeFailure(server: string): boolean {
    const rule = this.#rules.find((r) => r.server === server && r.remaining > 0);
    if (rule === undefined) return false;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return true;
  }
}
