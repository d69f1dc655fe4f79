import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  bodyText: string;
  /** Parsed JSON body, or undefined for a GET or a non-JSON body. */
  json: unknown;
  remoteAddress: string;
  remotePort: number;
}

export type Handler = (request: SeenRequest, res: ServerResponse) => void | Promise<void>;

/**
 * A tiny HTTP server on 127.0.0.1, port 0, standing in for Zimbra in one test.
 * GETs (the client's clock probe) get a 405 like a servlet without doGet; each
 * POST goes to the handler. It sends no Date header unless the handler does,
 * so requests built from an injected clock stay exact.
 */
export class FakeServer {
  readonly requests: SeenRequest[] = [];
  readonly #server: Server;
  #handler: Handler;
  /** When set, every answer, the GET probe's included, carries this as its Date header. */
  serverDateMs: number | undefined;

  private constructor(handler: Handler) {
    this.#handler = handler;
    this.#server = createServer((req, res) => void this.#serve(req, res));
  }

  static async start(handler: Handler): Promise<FakeServer> {
    const fake = new FakeServer(handler);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get soapUrl(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/service/soap/`;
  }

  /** The POSTed requests only. */
  get posts(): SeenRequest[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  setHandler(handler: Handler): void {
    this.#handler = handler;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.sendDate = false;
    if (this.serverDateMs !== undefined)
      res.setHeader('date', new Date(this.serverDateMs).toUTCString());
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString('utf8');
    const seen: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      bodyText,
      json: parseJson(bodyText),
      remoteAddress: req.socket.remoteAddress ?? '',
      remotePort: req.socket.remotePort ?? 0,
    };
    this.requests.push(seen);
    if (seen.method === 'GET') {
      res.writeHead(405, { 'content-type': 'text/html' }).end('<html>405</html>');
      return;
    }
    await this.#handler(seen, res);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Answers like Zimbra: JSON, 500 when the Body's first child is a Fault. */
export function sendSoap(res: ServerResponse, envelope: unknown, status?: number): void {
  const body = (envelope as { Body?: Record<string, unknown> }).Body ?? {};
  const code = status ?? ('Fault' in body ? 500 : 200);
  res.writeHead(code, { 'content-type': 'text/javascript; charset=utf-8' });
  res.end(JSON.stringify(envelope));
}

/** The request element name of a posted envelope, e.g. `SearchRequest`. */
export function requestNameOf(request: SeenRequest): string {
  const body = (request.json as { Body?: Record<string, unknown> } | undefined)?.Body ?? {};
  return Object.keys(body)[0] ?? '';
}
