import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MailboxServers } from '../cluster/mailbox-servers.js';
import { clientOf, type ClientAddress } from '../filters/client-address.js';
import type { FilterVerdict, HttpFilters } from '../filters/http-filters.js';
import { jettyErrorPage, type InjectionAction, type Injections } from '../injections.js';
import type { Latency } from '../latency.js';
import type { RequestLog, RequestLogEntry } from '../request-log.js';
import { buildFaultEnvelope, buildResponseHeader } from '../soap/envelope.js';
import { prepareRequest, type DispatchResult, type SoapDispatcher } from '../soap/dispatcher.js';
import { faults } from '../soap/soap-fault.js';
import { renderXmlFault } from '../soap/xml-fault.js';
import { MAX_BODY_BYTES, readBody, sendHtml, sendSoap } from './responses.js';

export type PortKind = 'user' | 'admin';

export interface ListenerDeps {
  dispatcher: SoapDispatcher;
  injections: Injections;
  filters: HttpFilters;
  latency: Latency;
  servers: MailboxServers;
  log: RequestLog;
  now(): number;
  nextTrace(): string;
}

/** PEM key and certificate for an HTTPS listener. */
export interface ListenerTls {
  key: string;
  cert: string;
}

type Answer = Omit<DispatchResult, 'requestName'>;

const KEEP_ALIVE_MS = 60_000;

/** Which SOAP servlet a path belongs to (web.xml.production: /service/soap/*, /service/admin/soap/*). */
function servletOf(path: string): PortKind | null {
  if (path === '/service/soap' || path.startsWith('/service/soap/')) return 'user';
  if (path === '/service/admin/soap' || path.startsWith('/service/admin/soap/')) return 'admin';
  return null;
}

/** What a filter answers: Jetty's DoSFilter sets its header, the login filter sends a bare 503. */
function filterAnswer(verdict: FilterVerdict, path: string) {
  if (verdict === 'dos-filter') {
    return { status: 429, body: jettyErrorPage(429, path), headers: { DoSFilter: 'unavailable' } };
  }
  return { status: 503, body: jettyErrorPage(503, path) };
}

/** One listener ("user" or "admin" port) serving both SOAP servlets with Zimbra's port rule. */
export class SoapListener {
  readonly kind: PortKind;
  readonly #deps: ListenerDeps;
  #server: Server | undefined;
  #port = 0;

  constructor(kind: PortKind, deps: ListenerDeps) {
    this.kind = kind;
    this.#deps = deps;
  }

  get port(): number {
    return this.#port;
  }

  /** Binds plain HTTP, or HTTPS when `tls` is given. */
  async listen(host: string, port: number, tls?: ListenerTls): Promise<number> {
    const server = this.#createServer(tls);
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    return this.#port;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined || !server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  #createServer(tls: ListenerTls | undefined): Server {
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((err: unknown) => {
        const body = jettyErrorPage(500, req.url ?? '/');
        if (!res.headersSent) sendHtml(res, this.#deps.now(), { status: 500, body });
        else res.destroy(err as Error);
      });
    };
    const server = tls === undefined ? createServer(onRequest) : createTlsServer(tls, onRequest);
    // Jetty's idle timeout is far longer than node's 5 s default; a short one makes
    // pooled client sockets race the server's close and fail with ECONNRESET.
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1000;
    server.on('connection', (socket: Socket) => {
      const client = clientOf(socket);
      socket.once('close', () => this.#deps.filters.forget(client));
    });
    return server;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const client = clientOf(req.socket);
    const entry = this.#newEntry(client);
    const verdict = this.#deps.filters.admit(client, this.#deps.now());
    if (verdict !== null) return this.#reject(req, res, verdict, path, entry);

    const servlet = servletOf(path);
    if (servlet === null || req.method !== 'POST') {
      const status = servlet === null ? 404 : 405;
      req.resume();
      entry.httpStatus = status;
      this.#deps.log.record(entry);
      return sendHtml(res, this.#deps.now(), { status, body: jettyErrorPage(status, path) });
    }

    const text = await readBody(req);
    const prepared = text === null ? undefined : prepareRequest(text);
    entry.requestName = prepared?.kind === 'json' ? prepared.requestName : null;
    entry.server = this.#deps.servers.receiverFor(this.kind);
    const result = await this.#answer(req, res, servlet, prepared, entry);
    if (result !== undefined) this.#finish(res, result, client, entry);
    this.#deps.log.record(entry);
  }

  #finish(res: ServerResponse, result: Answer, client: ClientAddress, entry: RequestLogEntry) {
    const nowMs = this.#deps.now();
    Object.assign(entry, {
      httpStatus: result.status,
      faultCode: result.faultCode,
      proxiedTo: result.proxiedTo ?? null,
    });
    entry.account ??= result.account;
    if (result.authFailed === true) this.#deps.filters.recordAuthFailed(client, nowMs);
    sendSoap(res, nowMs, result);
  }

  /** A filter turned the request away; the body is still read, to name it in the log. */
  async #reject(
    req: IncomingMessage,
    res: ServerResponse,
    verdict: FilterVerdict,
    path: string,
    entry: RequestLogEntry,
  ): Promise<void> {
    const text = await readBody(req);
    const prepared = text === null ? undefined : prepareRequest(text);
    const answer = filterAnswer(verdict, path);
    Object.assign(entry, {
      requestName: prepared?.kind === 'json' ? prepared.requestName : null,
      httpStatus: answer.status,
      filter: verdict,
    });
    this.#deps.log.record(entry);
    sendHtml(res, this.#deps.now(), answer);
  }

  async #answer(
    req: IncomingMessage,
    res: ServerResponse,
    servlet: PortKind,
    prepared: ReturnType<typeof prepareRequest> | undefined,
    entry: RequestLogEntry,
  ): Promise<Answer | undefined> {
    if (servlet !== this.kind) {
      return this.#xmlFault(faults.failure(`Request not allowed on port ${this.#port}`));
    }
    if (prepared === undefined) {
      return this.#xmlFault(faults.invalidRequest(`Request too big; max is ${MAX_BODY_BYTES}`));
    }
    const latencyMs = this.#deps.latency.draw(entry.requestName);
    if (latencyMs > 0) await sleep(latencyMs);
    const injection = this.#deps.injections.take(entry.requestName);
    if (injection !== undefined) {
      const handled = await this.#inject(injection, req, res, entry);
      if (handled !== null) return handled;
    }
    return this.#deps.dispatcher.dispatch(prepared, { server: entry.server ?? '' });
  }

  /** Applies an injection; null means "carry on and handle the request normally". */
  async #inject(
    injection: InjectionAction,
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
  ): Promise<Answer | undefined | null> {
    if (injection.delayMs > 0) await sleep(injection.delayMs);
    if (injection.drop) {
      entry.injected = 'drop';
      req.socket.destroy();
      return undefined;
    }
    if (injection.http !== undefined) {
      const { status, body, headers } = injection.http;
      Object.assign(entry, { injected: 'http', httpStatus: status });
      const page = body ?? jettyErrorPage(status, req.url ?? '/');
      sendHtml(res, this.#deps.now(), { status, body: page, headers });
      return undefined;
    }
    if (injection.fault === undefined) return null;
    entry.injected = 'fault';
    const envelope = buildFaultEnvelope(
      injection.fault,
      this.#deps.nextTrace(),
      buildResponseHeader(undefined),
    );
    return {
      status: 500,
      format: 'json',
      body: JSON.stringify(envelope),
      account: null,
      faultCode: injection.fault.code,
    };
  }

  #xmlFault(fault: ReturnType<typeof faults.failure>): Answer {
    const body = renderXmlFault(fault, this.#deps.nextTrace());
    return { status: 500, format: 'xml', body, account: null, faultCode: fault.code };
  }

  #newEntry(client: ClientAddress): RequestLogEntry {
    return {
      requestName: null,
      account: null,
      faultCode: null,
      httpStatus: null,
      port: this.kind,
      timeMs: this.#deps.now(),
      injected: null,
      clientIp: client.ip,
      server: null,
      proxiedTo: null,
      filter: null,
    };
  }
}
