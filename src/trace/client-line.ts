/** The SMTP client of a message, from smtpd's `QUEUEID: client=...` line. */
export interface ClientLine {
  host: string;
  address: string;
  /** XFORWARD IDENT: the queue id a content filter received the message under. */
  origQueueId: string | null;
  /** XFORWARD client: the first hop's `host[addr]` as the filter passed it on. */
  origClient: { host: string; address: string } | null;
}

/** Splits `host[addr]` or `host[addr]:port`; null without brackets. */
export function splitHostAddress(value: string): { host: string; address: string } | null {
  const open = value.indexOf('[');
  const close = value.indexOf(']', open);
  if (open === -1 || close === -1) return null;
  return { host: value.slice(0, open), address: value.slice(open + 1, close) };
}

function readField(body: string, name: string): string | null {
  const start = body.indexOf(`, ${name}=`);
  if (start === -1) return null;
  const valueStart = start + name.length + 3;
  const end = body.indexOf(', ', valueStart);
  return body.slice(valueStart, end === -1 ? body.length : end);
}

/**
 * Reads a body that starts with `client=`. smtpd.c writes
 * `client=%s` then optional `, orig_queue_id=%s`, `, orig_client=%s`;
 * smtpd_sasl_proto.c puts `, sasl_method=`, `, sasl_username=` in between.
 */
export function parseClientLine(body: string): ClientLine | null {
  const end = body.indexOf(', ');
  const client = splitHostAddress(body.slice(7, end === -1 ? body.length : end));
  if (client === null) return null;

  if (end === -1) return { ...client, origQueueId: null, origClient: null };

  const origClient = readField(body, 'orig_client');
  return {
    ...client,
    origQueueId: readField(body, 'orig_queue_id'),
    origClient: origClient === null ? null : splitHostAddress(origClient),
  };
}
