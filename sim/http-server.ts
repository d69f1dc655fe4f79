import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { jettyErrorPage, type InjectionAction, type Injections } from './injections.js';
import type { RequestLog, RequestLogEntry } from './request-log.js';
import { buildFaultEnvelope, buildResponseHeader } from './soap/envelope.js';
import { prepareRequest, type DispatchResult, type SoapDispatcher } from './soap/dispatcher.js';
import { faults } from './soap/soap-fault.js';
import { renderXmlFault } from './soap/xml-fault.js';

export type PortKind = 'user' | 'admin';

export interface ListenerDeps {
  dispatcher: SoapDispatcher;
  injections: Injections;
  log: RequestLog;
  now(): number;
  nextTrace(): string;
}

/** zimbraSoapRequestMaxSize default, in bytes (reference §2.1). */
const MAX_BODY_BYTES = 15_360_000;
const KEEP_ALIVE_MS = 60_000;
const CONTENT_TYPES = {
  json: 'text/javascript; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** Which SOAP servlet a path belongs to (web.xml.production: /service/soap/*, /service/admin/soap/*). */
function servletOf(path: string): PortKind | null {
  if (path === '/service/soap' || path.startsWith('/service/soap/')) return 'user';
  if (path === '/service/admin/soap' || path.startsWith('/service/admin/soap/')) return 'admin';
  return null;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, format: 'json' | 'xml', body: string): void {
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPES[format],
    'Cache-Control': 'no-store, no-cache',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendHtml(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'Content-Type': 'text/html;charset=iso-8859-1',
    'Cache-Control': 'must-revalidate,no-cache,no-store',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** One listener ("user" or "admin" port) serving both SOAP servlets with Zimbra's port rule. */
export class SoapListener {
  readonly kind: PortKind;
  readonly #deps: ListenerDeps;
  readonly #server: Server;
  #port = 0;

  constructor(kind: PortKind, deps: ListenerDeps) {
    this.kind = kind;
    this.#deps = deps;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendHtml(res, 500, jettyErrorPage(500, req.url ?? '/'));
        else res.destroy(err as Error);
      });
    });
    // Jetty's idle timeout is far longer than node's 5 s default; a short one makes
    // pooled client sockets race the server's close and fail with ECONNRESET.
    this.#server.keepAliveTimeout = KEEP_ALIVE_MS;
    this.#server.headersTimeout = KEEP_ALIVE_MS + 1000;
  }

  get port(): number {
    return this.#port;
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this.#port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const servlet = servletOf(path);
    const entry = this.#newEntry();
    if (servlet === null || req.method !== 'POST') {
      const status = servlet === null ? 404 : 405;
      req.resume();
      entry.httpStatus = status;
      this.#deps.log.record(entry);
      return sendHtml(res, status, jettyErrorPage(status, path));
    }

    const text = await readBody(req);
    const prepared = text === null ? undefined : prepareRequest(text);
    entry.requestName = prepared?.kind === 'json' ? prepared.requestName : null;
    const result = await this.#answer(req, res, servlet, prepared, entry);
    if (result !== undefined) {
      Object.assign(entry, { httpStatus: result.status, faultCode: result.faultCode });
      entry.account ??= result.account;
      send(res, result.status, result.format, result.body);
    }
    this.#deps.log.record(entry);
  }

  async #answer(
    req: IncomingMessage,
    res: ServerResponse,
    servlet: PortKind,
    prepared: ReturnType<typeof prepareRequest> | undefined,
    entry: RequestLogEntry,
  ): Promise<Omit<DispatchResult, 'requestName'> | undefined> {
    if (servlet !== this.kind) {
      return this.#xmlFault(faults.failure(`Request not allowed on port ${this.#port}`));
    }
    if (prepared === undefined) {
      return this.#xmlFault(faults.invalidRequest(`Request too big; max is ${MAX_BODY_BYTES}`));
    }
    const injection = this.#deps.injections.take(entry.requestName);
    if (injection !== undefined) {
      const handled = await this.#inject(injection, req, res, entry);
      if (handled !== null) return handled;
    }
    return this.#deps.dispatcher.dispatch(prepared);
  }

  /** Applies an injection; null means "carry on and handle the request normally". */
  async #inject(
    injection: InjectionAction,
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
  ): Promise<Omit<DispatchResult, 'requestName'> | undefined | null> {
    if (injection.delayMs > 0) await sleep(injection.delayMs);
    if (injection.drop) {
      entry.injected = 'drop';
      req.socket.destroy();
      return undefined;
    }
    if (injection.http !== undefined) {
      const { status, body, headers } = injection.http;
      Object.assign(entry, { injected: 'http', httpStatus: status });
      sendHtml(res, status, body ?? jettyErrorPage(status, req.url ?? '/'), headers);
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

  #xmlFault(fault: ReturnType<typeof faults.failure>) {
    const body = renderXmlFault(fault, this.#deps.nextTrace());
    return { status: 500, format: 'xml' as const, body, account: null, faultCode: fault.code };
  }

  #newEntry(): RequestLogEntry {
    return {
      requestName: null,
      account: null,
      faultCode: null,
      httpStatus: null,
      port: this.kind,
      timeMs: this.#deps.now(),
      injected: null,
    };
  }
}
