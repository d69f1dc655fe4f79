import type { IncomingMessage, ServerResponse } from 'node:http';

/** zimbraSoapRequestMaxSize default, in bytes (reference §2.1). */
export const MAX_BODY_BYTES = 15_360_000;

const CONTENT_TYPES = {
  json: 'text/javascript; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/**
 * The `Date` header from the simulator clock, skew included, so a client that measures
 * clock skew from it sees the simulated server time (node would send the real time).
 */
function dateHeader(nowMs: number): string {
  return new Date(nowMs).toUTCString();
}

/** Reads the whole body; null once it passes MAX_BODY_BYTES (the rest is drained). */
export async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

/** A SOAP answer with SoapServlet's content type and cache headers. */
export function sendSoap(
  res: ServerResponse,
  nowMs: number,
  answer: { status: number; format: 'json' | 'xml'; body: string },
): void {
  res.writeHead(answer.status, {
    Date: dateHeader(nowMs),
    'Content-Type': CONTENT_TYPES[answer.format],
    'Cache-Control': 'no-store, no-cache',
    'Content-Length': Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}

/** A Jetty error page answer (filters, unknown paths, injected HTTP errors). */
export function sendHtml(
  res: ServerResponse,
  nowMs: number,
  answer: { status: number; body: string; headers?: Record<string, string> | undefined },
): void {
  res.writeHead(answer.status, {
    Date: dateHeader(nowMs),
    'Content-Type': 'text/html;charset=iso-8859-1',
    'Cache-Control': 'must-revalidate,no-cache,no-store',
    'Content-Length': Buffer.byteLength(answer.body),
    ...answer.headers,
  });
  res.end(answer.body);
}
