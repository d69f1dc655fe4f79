import { authRequest } from './handlers/auth-request.js';
import { createFolderPath } from './handlers/create-folder-request.js';
import { createFolderRequest } from './handlers/create-folder-request.js';
import { getFolderRequest } from './handlers/get-folder-request.js';
import { getMsgRequest } from './handlers/get-msg-request.js';
import { msgActionRequest } from './handlers/msg-action-request.js';
import { searchRequest } from './handlers/search-request.js';
import { deliverMessage, type DeliverOptions, type DeliveryResult } from './delivery.js';
import { SoapListener } from './http-server.js';
import { Injections, type InjectionSpec } from './injections.js';
import { AuthTokens } from './model/auth-tokens.js';
import {
  ACCOUNT_STATUSES,
  Directory,
  type AccountStatus,
  type SimAccount,
  type SimDomain,
} from './model/directory.js';
import { FOLDER_INBOX, normaliseFolderName } from './model/folders.js';
import { Mailbox } from './model/mailbox.js';
import { parseMessage } from './model/parsed-message.js';
import { MtaLog } from './mta/mta-log.js';
import { QueueIdGenerator } from './mta/postfix-ids.js';
import type { SyslogTimestamps } from './mta/syslog-time.js';
import { createPrng } from './prng.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import { createBatchRequest } from './soap/batch-request.js';
import { SoapDispatcher } from './soap/dispatcher.js';
import type { SimState } from './soap/handler.js';

export interface SimulatorOptions {
  /** Listen address; default `127.0.0.1`. */
  host?: string;
  /** User SOAP port; default 0 (ephemeral). */
  port?: number;
  /** Admin SOAP port; default 0 (ephemeral). */
  adminPort?: number;
  /** Append Postfix lines here; no log when absent. */
  mtaLogPath?: string;
  /** `bsd` (default) `Dec  4 15:56:36` or `rfc3339` timestamps in the MTA log. */
  mtaLogTimestamps?: SyslogTimestamps;
  /** Clock, epoch ms; default Date.now. */
  now?: () => number;
  /** Default auth token lifetime in ms; default 172_800_000 (2 days). */
  tokenLifetimeMs?: number;
  /** Seed for queue ids, pids and log delays; default 1. */
  seed?: number;
  /** Mailbox server name in the MTA log's lmtp relay; default `mail.example.com`. */
  mailboxHost?: string;
}

/** What `listMessages` reports per stored message. */
export interface MessageListing {
  id: string;
  folderId: string;
  messageId: string | null;
  subject: string;
  date: number;
}

const DEFAULT_TOKEN_LIFETIME_MS = 172_800_000;

function requireStatus(status: string): AccountStatus {
  if (!(ACCOUNT_STATUSES as readonly string[]).includes(status)) {
    throw new TypeError(`unknown account status: ${status}`);
  }
  return status as AccountStatus;
}

/** The running simulator; see sim/index.ts for the documented API. */
export class Simulator {
  readonly #directory = new Directory();
  readonly #mailboxes = new Map<string, Mailbox>();
  readonly #tokens = new AuthTokens();
  readonly #log = new RequestLog();
  readonly #injections = new Injections();
  readonly #clock: () => number;
  readonly #mtaLog: MtaLog;
  readonly #queueIds: QueueIdGenerator;
  readonly #prng;
  readonly #user: SoapListener;
  readonly #admin: SoapListener;
  readonly #host: string;
  #clockOffsetMs = 0;
  #traceCount = 0;
  #closed = false;

  constructor(options: SimulatorOptions = {}) {
    this.#clock = options.now ?? Date.now;
    this.#host = options.host ?? '127.0.0.1';
    this.#prng = createPrng(options.seed ?? 1);
    this.#queueIds = new QueueIdGenerator(this.#prng);
    const mailboxHost = options.mailboxHost ?? 'mail.example.com';
    this.#mtaLog = new MtaLog(
      {
        path: options.mtaLogPath,
        timestamps: options.mtaLogTimestamps ?? 'bsd',
        syslogHost: mailboxHost.split('.')[0] ?? 'mail',
        relayHost: mailboxHost,
        relayIp: '198.51.100.10',
      },
      this.#prng,
    );
    const state = this.#createState(options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS);
    const nextTrace = () => `qtp1790585161-${(this.#traceCount += 1)}`;
    const handlers = [
      authRequest,
      searchRequest,
      msgActionRequest,
      getFolderRequest,
      createFolderRequest,
      getMsgRequest,
    ];
    const dispatcher = new SoapDispatcher(state, handlers, nextTrace);
    dispatcher.register(createBatchRequest(dispatcher));
    const deps = {
      dispatcher,
      injections: this.#injections,
      log: this.#log,
      now: () => this.now(),
      nextTrace,
    };
    this.#user = new SoapListener('user', deps);
    this.#admin = new SoapListener('admin', deps);
  }

  /** Binds both listeners. */
  async start(port = 0, adminPort = 0): Promise<void> {
    await this.#user.listen(this.#host, port);
    await this.#admin.listen(this.#host, adminPort);
  }

  get port(): number {
    return this.#user.port;
  }

  get adminPort(): number {
    return this.#admin.port;
  }

  get soapUrl(): string {
    return `http://${this.#hostForUrl()}:${this.#user.port}/service/soap/`;
  }

  get adminSoapUrl(): string {
    return `http://${this.#hostForUrl()}:${this.#admin.port}/service/admin/soap/`;
  }

  now(): number {
    return this.#clock() + this.#clockOffsetMs;
  }

  setClockOffsetMs(ms: number): void {
    this.#clockOffsetMs = ms;
  }

  addDomain(name: string, options?: { preauthKey?: string }): SimDomain & { preauthKey: string };
  addDomain(name: string, options: { preauthKey: null }): SimDomain;
  addDomain(name: string, options: { preauthKey?: string | null } = {}): SimDomain {
    return { ...this.#directory.addDomain(name, options.preauthKey) };
  }

  getDomain(name: string): SimDomain | undefined {
    const domain = this.#directory.getDomain(name);
    return domain === undefined ? undefined : { ...domain };
  }

  addAccount(address: string, options: { status?: AccountStatus; id?: string } = {}): SimAccount {
    const status = requireStatus(options.status ?? 'active');
    const account = this.#directory.addAccount(address, status, options.id);
    this.#mailboxes.set(account.id, new Mailbox(account.id));
    return { ...account };
  }

  getAccount(address: string): SimAccount | undefined {
    const account = this.#directory.findByName(address);
    return account === undefined ? undefined : { ...account };
  }

  setAccountStatus(address: string, status: AccountStatus): void {
    this.#directory.requireAccount(address).status = requireStatus(status);
  }

  expireTokens(address: string): number {
    return this.#tokens.expireAll(this.#directory.requireAccount(address).id, this.now());
  }

  deliver(
    raw: string,
    recipients: readonly string[],
    options: DeliverOptions = {},
  ): DeliveryResult {
    return deliverMessage(this.#deliveryDeps(), raw, recipients, options);
  }

  fileMessage(
    address: string,
    raw: string,
    options: { folderId?: string; date?: number; flags?: string } = {},
  ): string {
    const mailbox = this.#mailboxOfAddress(address);
    const folderId = Number(options.folderId ?? FOLDER_INBOX);
    if (!mailbox.folders.has(folderId)) throw new TypeError(`no such folder: ${options.folderId}`);
    const message = mailbox.addMessage(
      parseMessage(raw),
      folderId,
      options.date ?? this.now(),
      options.flags ?? 'u',
    );
    return String(message.id);
  }

  createFolder(address: string, name: string, parentId = '1'): string {
    const mailbox = this.#mailboxOfAddress(address);
    const clean = normaliseFolderName(name);
    if (clean === null) throw new TypeError(`invalid folder name: ${name}`);
    const parent = Number(parentId);
    if (!mailbox.folders.has(parent)) throw new TypeError(`no such folder: ${parentId}`);
    if (mailbox.findChild(parent, clean) !== undefined)
      throw new TypeError(`folder exists: ${name}`);
    const spec = { parentId: parent, names: [clean], view: 'message', fetchIfExists: false };
    return String(createFolderPath(mailbox, spec).id);
  }

  listMessages(address: string): MessageListing[] {
    return [...this.#mailboxOfAddress(address).messages.values()].map((m) => ({
      id: String(m.id),
      folderId: String(m.folderId),
      messageId: m.parsed.messageId,
      subject: m.parsed.subject,
      date: m.date,
    }));
  }

  folderIdByPath(address: string, path: string): string | undefined {
    const folder = this.#mailboxOfAddress(address).findFolderByPath(path);
    return folder === undefined ? undefined : String(folder.id);
  }

  get requests(): readonly RequestLogEntry[] {
    return this.#log.entries();
  }

  countRequests(name: string): number {
    return this.#log.count(name);
  }

  clearRequests(): void {
    this.#log.clear();
  }

  inject(spec: InjectionSpec): () => void {
    return this.#injections.add(spec);
  }

  clearInjections(): void {
    this.#injections.clear();
  }

  async flushMtaLog(): Promise<void> {
    await this.#mtaLog.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#user.close(), this.#admin.close()]);
    await this.#mtaLog.close();
  }

  #createState(tokenLifetimeMs: number): SimState {
    return {
      directory: this.#directory,
      tokens: this.#tokens,
      now: () => this.now(),
      tokenLifetimeMs,
      mailboxOf: (account) => this.#mailboxOf(account.id),
    };
  }

  #deliveryDeps() {
    return {
      directory: this.#directory,
      mailboxOf: (id: string) => this.#mailboxOf(id),
      mtaLog: this.#mtaLog,
      queueIds: this.#queueIds,
      prng: this.#prng,
      now: () => this.now(),
    };
  }

  #mailboxOf(accountId: string): Mailbox {
    const mailbox = this.#mailboxes.get(accountId);
    if (mailbox === undefined) throw new TypeError(`no mailbox for account ${accountId}`);
    return mailbox;
  }

  #mailboxOfAddress(address: string): Mailbox {
    return this.#mailboxOf(this.#directory.requireAccount(address).id);
  }

  #hostForUrl(): string {
    return this.#host.includes(':') ? `[${this.#host}]` : this.#host;
  }
}
