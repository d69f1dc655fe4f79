import { authRequest } from './handlers/auth-request.js';
import { createFolderPath } from './handlers/create-folder-request.js';
import { createFolderRequest } from './handlers/create-folder-request.js';
import { getFolderRequest } from './handlers/get-folder-request.js';
import { getMsgRequest } from './handlers/get-msg-request.js';
import { msgActionRequest } from './handlers/msg-action-request.js';
import { searchRequest } from './handlers/search-request.js';
import { getDistributionListMembersRequest } from './handlers/get-distribution-list-members-request.js';
import { searchGalRequest } from './handlers/search-gal-request.js';
import { MailboxServers } from './cluster/mailbox-servers.js';
import { ProxyFailures, type ProxyFailureSpec } from './cluster/proxy-failures.js';
import { deliverMessage, type DeliverOptions, type DeliveryResult } from './delivery.js';
import type { DosFilterOptions } from './filters/dos-filter.js';
import { HttpFilters } from './filters/http-filters.js';
import type { LoginSuspensionOptions } from './filters/login-suspension.js';
import { SoapListener } from './http/soap-listener.js';
import { Injections, type InjectionSpec } from './injections.js';
import { Latency, type LatencySpec } from './latency.js';
import { AuthTokens } from './model/auth-tokens.js';
import {
  ACCOUNT_STATUSES,
  Directory,
  type AccountStatus,
  type SimAccount,
  type SimDomain,
} from './model/directory.js';
import {
  DistributionLists,
  type DistributionListOptions,
  type SimDistributionList,
} from './model/distribution-lists.js';
import { FOLDER_INBOX, normaliseFolderName } from './model/folders.js';
import { Mailbox } from './model/mailbox.js';
import { parseMessage } from './model/parsed-message.js';
import { MtaLog } from './mta/mta-log.js';
import { QueueIdGenerator } from './mta/postfix-ids.js';
import { createPrng } from './prng.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import { createBatchRequest } from './soap/batch-request.js';
import { SoapDispatcher } from './soap/dispatcher.js';
import type { SimState } from './soap/handler.js';
import { tlsModeOf, type SimulatorOptions } from './simulator-options.js';
import { loadTlsMaterial, type TlsMaterial, type TlsMode } from './tls/certificates.js';

/** What `listMessages` reports per stored message. */
export interface MessageListing {
  id: string;
  folderId: string;
  messageId: string | null;
  subject: string;
  date: number;
}

const DEFAULT_TOKEN_LIFETIME_MS = 172_800_000;
/** Latency draws use their own stream so they never shift queue ids or log delays. */
const LATENCY_SEED_SALT = 0x9e3779b9;

function requireStatus(status: string): AccountStatus {
  if (!(ACCOUNT_STATUSES as readonly string[]).includes(status)) {
    throw new TypeError(`unknown account status: ${status}`);
  }
  return status as AccountStatus;
}

/** The running simulator; see sim/index.ts for the documented API. */
export class Simulator {
  readonly #directory = new Directory();
  readonly #lists = new DistributionLists();
  readonly #mailboxes = new Map<string, Mailbox>();
  readonly #tokens = new AuthTokens();
  readonly #log = new RequestLog();
  readonly #injections = new Injections();
  readonly #proxyFailures = new ProxyFailures();
  readonly #filters = new HttpFilters();
  readonly #servers: MailboxServers;
  readonly #latency: Latency;
  readonly #clock: () => number;
  readonly #mtaLog: MtaLog;
  readonly #queueIds: QueueIdGenerator;
  readonly #prng;
  readonly #user: SoapListener;
  readonly #admin: SoapListener;
  readonly #host: string;
  readonly #tlsMode: TlsMode | null;
  #tls: TlsMaterial | undefined;
  #clockOffsetMs = 0;
  #traceCount = 0;
  #closed = false;

  constructor(options: SimulatorOptions = {}) {
    this.#clock = options.now ?? Date.now;
    this.#host = options.host ?? '127.0.0.1';
    this.#tlsMode = tlsModeOf(options.tls);
    const seed = options.seed ?? 1;
    this.#prng = createPrng(seed);
    this.#latency = new Latency(createPrng((seed ^ LATENCY_SEED_SALT) >>> 0), options.latency);
    this.#queueIds = new QueueIdGenerator(this.#prng);
    this.#servers = new MailboxServers(
      options.mailboxServers,
      options.frontServer,
      options.adminServer,
    );
    this.#filters.configureDos(options.dosFilter ?? null);
    this.#filters.configureLogin(options.loginSuspension ?? null);
    this.#mtaLog = this.#createMtaLog(options);

    const dispatcher = this.#createDispatcher(options.tokenLifetimeMs);
    const deps = {
      dispatcher,
      injections: this.#injections,
      filters: this.#filters,
      latency: this.#latency,
      servers: this.#servers,
      log: this.#log,
      now: () => this.now(),
      nextTrace: () => this.#nextTrace(),
    };
    this.#user = new SoapListener('user', deps);
    this.#admin = new SoapListener('admin', deps);
  }

  /** Binds both listeners; with TLS, makes (or reuses) the certificates first. */
  async start(port = 0, adminPort = 0): Promise<void> {
    if (this.#tlsMode !== null) this.#tls = await loadTlsMaterial(this.#tlsMode);
    const tls =
      this.#tls === undefined ? undefined : { key: this.#tls.keyPem, cert: this.#tls.certPem };
    await this.#user.listen(this.#host, port, tls);
    await this.#admin.listen(this.#host, adminPort, tls);
  }

  get port(): number {
    return this.#user.port;
  }

  get adminPort(): number {
    return this.#admin.port;
  }

  get soapUrl(): string {
    return `${this.#scheme()}://${this.#hostForUrl()}:${this.#user.port}/service/soap/`;
  }

  get adminSoapUrl(): string {
    return `${this.#scheme()}://${this.#hostForUrl()}:${this.#admin.port}/service/admin/soap/`;
  }

  get tlsMode(): TlsMode | null {
    return this.#tlsMode;
  }

  get caPem(): string | undefined {
    return this.#tls?.caPem;
  }

  get certPem(): string | undefined {
    return this.#tls?.certPem;
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

  addAccount(
    address: string,
    options: { status?: AccountStatus; id?: string; server?: string } = {},
  ): SimAccount {
    const status = requireStatus(options.status ?? 'active');
    const server = this.#servers.require(options.server ?? this.#servers.defaultServer);
    if (this.#lists.find(address) !== undefined) {
      throw new TypeError(`a distribution list has this address: ${address}`);
    }
    const account = this.#directory.addAccount(address, server, status, options.id);
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

  setAccountServer(address: string, server: string): void {
    this.#directory.requireAccount(address).server = this.#servers.require(server);
  }

  get mailboxServers(): readonly string[] {
    return this.#servers.names;
  }

  setFrontServer(server: string): void {
    this.#servers.setFront(server);
  }

  failProxy(spec: ProxyFailureSpec): () => void {
    this.#servers.require(spec.server);
    return this.#proxyFailures.add(spec);
  }

  clearProxyFailures(): void {
    this.#proxyFailures.clear();
  }

  addDistributionList(
    address: string,
    members: readonly string[],
    options: DistributionListOptions = {},
  ): SimDistributionList {
    if (this.#directory.findByName(address) !== undefined) {
      throw new TypeError(`an account has this address: ${address}`);
    }
    return structuredClone(this.#lists.add(address, members, options));
  }

  getDistributionList(address: string): SimDistributionList | undefined {
    const list = this.#lists.find(address);
    return list === undefined ? undefined : structuredClone(list);
  }

  configureDosFilter(options: DosFilterOptions | null): void {
    this.#filters.configureDos(options);
  }

  configureLoginSuspension(options: LoginSuspensionOptions | null): void {
    this.#filters.configureLogin(options);
  }

  setLatency(request: string, spec: LatencySpec | null): void {
    this.#latency.set(request, spec);
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

  countStatus(status: number | null): number {
    return this.#log.countStatus(status);
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

  #createMtaLog(options: SimulatorOptions): MtaLog {
    const mailboxHost = options.mailboxHost ?? 'mail.example.com';
    const logOptions = {
      path: options.mtaLogPath,
      timestamps: options.mtaLogTimestamps ?? 'bsd',
      syslogHost: mailboxHost.split('.')[0] ?? 'mail',
      relayHost: mailboxHost,
      relayIp: '198.51.100.10',
      logSubjects: options.mtaLogSubjects ?? false,
    };
    return new MtaLog(logOptions, this.#prng);
  }

  #createDispatcher(tokenLifetimeMs = DEFAULT_TOKEN_LIFETIME_MS): SoapDispatcher {
    const handlers = [
      authRequest,
      searchRequest,
      msgActionRequest,
      getFolderRequest,
      createFolderRequest,
      getMsgRequest,
      getDistributionListMembersRequest,
      searchGalRequest,
    ];
    const dispatcher = new SoapDispatcher(this.#createState(tokenLifetimeMs), handlers, () =>
      this.#nextTrace(),
    );
    dispatcher.register(createBatchRequest(dispatcher));
    return dispatcher;
  }

  #createState(tokenLifetimeMs: number): SimState {
    return {
      directory: this.#directory,
      lists: this.#lists,
      tokens: this.#tokens,
      now: () => this.now(),
      tokenLifetimeMs,
      mailboxOf: (account) => this.#mailboxOf(account.id),
      isProxyFailing: (server) => this.#proxyFailures.takeFailure(server),
    };
  }

  #nextTrace(): string {
    this.#traceCount += 1;
    return `qtp1790585161-${this.#traceCount}`;
  }

  #scheme(): 'http' | 'https' {
    return this.#tls === undefined ? 'http' : 'https';
  }

  #deliveryDeps() {
    return {
      directory: this.#directory,
      lists: this.#lists,
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
