/** qmgr's `from=<sender>, size=N, nrcpt=K (queue active)` or `from=<s>, status=expired, ...`. */
export interface QmgrLine {
  sender: string;
  sizeBytes: number | null;
  /** The message reached maximal_queue_lifetime and went back to its sender. */
  isExpired: boolean;
}

/** Reads a body that starts with `from=<`; null when it is neither form. */
export function parseQmgrLine(body: string): QmgrLine | null {
  const senderEnd = body.lastIndexOf('>, ');
  if (senderEnd < 5) return null;
  const sender = body.slice(6, senderEnd);
  const rest = body.slice(senderEnd + 3);

  if (rest.startsWith('status=expired')) return { sender, sizeBytes: null, isExpired: true };
  if (!rest.startsWith('size=')) return null;
  const comma = rest.indexOf(',');
  const sizeBytes = Number(rest.slice(5, comma === -1 ? rest.length : comma));
  return { sender, sizeBytes: Number.isFinite(sizeBytes) ? sizeBytes : null, isExpired: false };
}
