/** One request the simulator received, whatever became of it. */
export interface RequestLogEntry {
  /** Body element name, e.g. `SearchRequest`; null when the body could not be read. */
  requestName: string | null;
  /** Authenticated account address, or for AuthRequest the account as sent. */
  account: string | null;
  /** Fault code answered, or null for a success or a non-SOAP answer. */
  faultCode: string | null;
  /** HTTP status sent, or null when the connection was dropped. */
  httpStatus: number | null;
  /** Which listener took it. */
  port: 'user' | 'admin';
  /** Simulator clock at arrival, epoch ms. */
  timeMs: number;
  /** The injection that answered instead of the handler, if any. */
  injected: 'fault' | 'http' | 'drop' | null;
  /** The socket's remote address (IPv4-mapped IPv6 shown as IPv4). */
  clientIp: string;
  /** The mailbox server that received it; null when a filter or the path turned it away. */
  server: string | null;
  /** The account's home server when the receiving server proxied it there. */
  proxiedTo: string | null;
  /** The servlet filter that answered instead of Zimbra (429 or 503), if any. */
  filter: 'dos-filter' | 'login-suspension' | null;
}

/** The request log and per-name and per-status counters that tests assert on. */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  readonly #counts = new Map<string, number>();
  readonly #statuses = new Map<number | null, number>();

  record(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    const key = entry.requestName ?? '';
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#statuses.set(entry.httpStatus, (this.#statuses.get(entry.httpStatus) ?? 0) + 1);
  }

  entries(): readonly RequestLogEntry[] {
    return [...this.#entries];
  }

  count(requestName: string): number {
    return this.#counts.get(requestName) ?? 0;
  }

  /** Requests answered with `status`; null counts dropped connections. */
  countStatus(status: number | null): number {
    return this.#statuses.get(status) ?? 0;
  }

  clear(): void {
    this.#entries.length = 0;
    this.#counts.clear();
    this.#statuses.clear();
  }
}
