/**
 * The fields of a delivery agent's per-recipient line, as `log_adhoc()` in
 * Postfix's src/global/log_adhoc.c writes it:
 * `to=<r>, orig_to=<o>, relay=R, conn_use=N, delay=D, delays=a/b/c/d, dsn=X.Y.Z, status=S (detail)`.
 */
export interface DeliveryLine {
  recipient: string;
  originalRecipient: string | null;
  relay: string | null;
  dsn: string | null;
  /** Postfix's word: sent, deferred, bounced, expired, deliverable, undeliverable... */
  status: string;
  detail: string | null;
}

/** Index of the `>` that closes an address opened at `start`, followed by `, ` or the end. */
function findAddressEnd(body: string, start: number): number {
  let end = body.indexOf('>, ', start);
  if (end === -1) end = body.lastIndexOf('>');
  return end >= start ? end : -1;
}

function readDetail(body: string, statusEnd: number): string | null {
  if (body.charCodeAt(statusEnd) !== 32 || body.charCodeAt(statusEnd + 1) !== 40) return null;
  const close = body.endsWith(')') ? body.length - 1 : body.length;
  return body.slice(statusEnd + 2, close);
}

/** Whether `text` holds a C0 control character (NUL to US) or DEL. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Reads a body that starts with `to=<`; null when it has no `status=`, or
 * when its recipient or `orig_to` holds a control character (ESC, NUL, any
 * C0 or DEL). Postfix writes those as `?` in its logs (`msg_text()` in
 * src/util/msg_output.c), so such a line is damaged or forged, and an
 * address like that must never reach the store or a terminal: the line
 * counts as unparsed.
 */
export function parseDeliveryLine(body: string): DeliveryLine | null {
  const toEnd = findAddressEnd(body, 4);
  if (toEnd === -1) return null;
  const recipient = body.slice(4, toEnd);
  if (hasControlCharacter(recipient)) return null;
  const line: DeliveryLine = {
    recipient: recipient.toLowerCase(),
    originalRecipient: null,
    relay: null,
    dsn: null,
    status: '',
    detail: null,
  };

  let pos = toEnd + 1;
  while (body.startsWith(', ', pos)) {
    const keyStart = pos + 2;
    const eq = body.indexOf('=', keyStart);
    if (eq === -1) return null;
    const key = body.slice(keyStart, eq);

    if (key === 'status') {
      let end = eq + 1;
      while (end < body.length && body.charCodeAt(end) !== 32 && body.charCodeAt(end) !== 44) end++;
      line.status = body.slice(eq + 1, end);
      line.detail = readDetail(body, end);
      return line;
    }
    if (key === 'orig_to' && body.charCodeAt(eq + 1) === 60 /* < */) {
      const end = findAddressEnd(body, eq + 2);
      if (end === -1) return null;
      line.originalRecipient = body.slice(eq + 2, end);
      if (hasControlCharacter(line.originalRecipient)) return null;
      pos = end + 1;
      continue;
    }
    let end = body.indexOf(', ', eq);
    if (end === -1) end = body.length;
    if (key === 'relay') line.relay = body.slice(eq + 1, end);
    else if (key === 'dsn') line.dsn = body.slice(eq + 1, end);
    pos = end;
  }
  return null;
}
