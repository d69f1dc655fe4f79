/** How requests arriving at the user SOAP URL are spread over the mailbox servers. */
export const ROUND_ROBIN = 'round-robin';

const DEFAULT_SERVERS = ['mbs1'];

/**
 * The mailbox servers of one installation and which of them receives each request:
 * the user URL stands for a load balancer (pinned to one server, or round-robin), the
 * admin port talks to one server directly (reference §8.1-8.2).
 */
export class MailboxServers {
  readonly names: readonly string[];
  #front: string;
  #admin: string;
  #next = 0;

  constructor(names: readonly string[] = DEFAULT_SERVERS, front?: string, admin?: string) {
    if (names.length === 0) throw new TypeError('mailboxServers: at least one server');
    if (new Set(names).size !== names.length) throw new TypeError('mailboxServers: duplicate');
    if (names.includes(ROUND_ROBIN))
      throw new TypeError(`mailboxServers: ${ROUND_ROBIN} is reserved`);
    this.names = [...names];
    this.#front = this.#requireFront(front ?? (this.names[0] as string));
    this.#admin = this.require(admin ?? (this.names[0] as string));
  }

  /** The server new accounts live on unless told otherwise. */
  get defaultServer(): string {
    return this.names[0] as string;
  }

  /** Returns `name` if it is one of the servers; throws TypeError otherwise. */
  require(name: string): string {
    if (!this.names.includes(name)) throw new TypeError(`no such mailbox server: ${name}`);
    return name;
  }

  setFront(name: string): void {
    this.#front = this.#requireFront(name);
  }

  /** The server that takes the next request arriving on a listener of `kind`. */
  receiverFor(kind: 'user' | 'admin'): string {
    if (kind === 'admin') return this.#admin;
    if (this.#front !== ROUND_ROBIN) return this.#front;
    const name = this.names[this.#next % this.names.length] as string;
    this.#next += 1;
    return name;
  }

  #requireFront(name: string): string {
    return name === ROUND_ROBIN ? name : this.require(name);
  }
}
