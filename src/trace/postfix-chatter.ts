/**
 * Starts of Postfix lines without a queue id that carry nothing for the trace
 * (connections, TLS, postscreen, warnings, rejects before queueing). Anything
 * else without a queue id is counted as unparsed, so new kinds of lines show.
 */
const CHATTER_PREFIXES = [
  'connect from ',
  'disconnect from ',
  'lost connection ',
  'timeout after ',
  'too many errors ',
  'improper command pipelining ',
  'NOQUEUE: ',
  'warning: ',
  'error: ',
  'fatal: ',
  'panic: ',
  'statistics: ',
  'Anonymous TLS ',
  'Trusted TLS ',
  'Untrusted TLS ',
  'Verified TLS ',
  'SSL_accept ',
  'SSL_connect ',
  'setting up TLS ',
  'TLS ',
  'CONNECT from ',
  'PASS ',
  'DNSBL rank ',
  'PREGREET ',
  'HANGUP ',
  'COMMAND ',
  'NON-SMTP COMMAND ',
  'BARE NEWLINE ',
  'DISCONNECT ',
  'WHITELISTED ',
  'BLACKLISTED ',
  'ALLOWLISTED ',
  'DENYLISTED ',
  'PASS NEW ',
  'PASS OLD ',
  'reject: ',
  'daemon started ',
  'reload ',
  'terminating on signal ',
  'connect to ',
  'mapping ',
  'addr ',
  'host ',
];

/** Whether a queue-less Postfix message is known noise. */
export function isPostfixChatter(text: string): boolean {
  for (const prefix of CHATTER_PREFIXES) if (text.startsWith(prefix)) return true;
  return false;
}
