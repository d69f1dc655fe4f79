import { isReceiverCode, SoapFault, type FaultArg } from './soap/soap-fault.js';

/** What to answer instead of (or before) handling a request. */
export interface InjectionSpec {
  /** Request name to match (`MsgActionRequest`), or `*` for every request. */
  request: string;
  /** How many matching requests it applies to; absent means always. */
  times?: number;
  /** Answer this SOAP fault (HTTP 500). Sender/Receiver follows the code unless given. */
  fault?: { code: string; reason?: string; receiver?: boolean; args?: FaultArg[] };
  /** Answer a non-SOAP HTTP error, e.g. `{status: 429, headers: {DoSFilter: 'unavailable'}}`. */
  http?: { status: number; body?: string; headers?: Record<string, string> };
  /** Wait this long before answering (combines with the others). */
  delayMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
}

export interface InjectionAction {
  delayMs: number;
  fault: SoapFault | undefined;
  http: InjectionSpec['http'];
  drop: boolean;
}

interface Rule {
  spec: InjectionSpec;
  remaining: number;
}

/** Rules matched in the order they were added; each use counts against `times`. */
export class Injections {
  #rules: Rule[] = [];

  add(spec: InjectionSpec): () => void {
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
      throw new TypeError('inject: times must be a positive integer');
    }
    const rule: Rule = { spec, remaining: spec.times ?? Number.POSITIVE_INFINITY };
    this.#rules.push(rule);
    return () => {
      this.#rules = this.#rules.filter((r) => r !== rule);
    };
  }

  clear(): void {
    this.#rules = [];
  }

  /** Takes the first live rule matching `requestName`, or undefined. */
  take(requestName: string | null): InjectionAction | undefined {
    const rule = this.#rules.find(
      (r) => r.remaining > 0 && (r.spec.request === '*' || r.spec.request === requestName),
    );
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return toAction(rule.spec);
  }
}

function toAction(spec: InjectionSpec): InjectionAction {
  const f = spec.fault;
  const fault =
    f === undefined
      ? undefined
      : new SoapFault(
          f.code,
          f.reason ?? `injected fault: ${f.code}`,
          f.receiver ?? isReceiverCode(f.code),
          f.args ?? [],
        );
  return { delayMs: spec.delayMs ?? 0, fault, http: spec.http, drop: spec.drop === true };
}

const STATUS_TEXT: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A Jetty-style HTML error page, as the DoS filter and invalid-login filter send (§9). */
export function jettyErrorPage(status: number, uri: string): string {
  const text = STATUS_TEXT[status] ?? 'Error';
  return (
    '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n' +
    `<title>Error ${status} ${text}</title>\n</head>\n<body><h2>HTTP ERROR ${status} ${text}</h2>\n` +
    `<table>\n<tr><th>URI:</th><td>${uri}</td></tr>\n<tr><th>STATUS:</th><td>${status}</td></tr>\n` +
    `<tr><th>MESSAGE:</th><td>${text}</td></tr>\n</table>\n\n</body>\n</html>\n`
  );
}
