/**
 * The Zimbra SOAP client. It speaks Zimbra's words (account, item, folder) and
 * knows nothing of retractions. Wire details: shared/reference/zimbra-soap.md.
 *
 * @example
 *   const client = new ZimbraClient({ soapUrl: parseSoapUrl(input).url, preauthKey });
 *   const mailbox = await client.openMailbox('alice@example.com');
 *   const hits = await mailbox.findMessages('CAF123abc@mail.evil.example');
 *   const quarantine = await mailbox.ensureFolder('Quarantine');
 *   await mailbox.moveMessages(hits.map((h) => h.id), quarantine.id);
 *   await client.close();
 */

/**
 * Client for one installation: PreAuth login per account, token cache in
 * memory, jittered retries of idempotent calls, one re-login on AUTH_EXPIRED /
 * AUTH_REQUIRED. See ZimbraClientOptions for defaults.
 */
export { ZimbraClient } from './client.js';
export type { ZimbraClientOptions } from './client.js';

/**
 * One logged-in mailbox. `findMessages(id)` takes the Message-ID WITHOUT angle
 * brackets and pages until every copy is found, Trash and Junk included.
 * `move`/`trash` are retried on transient errors; `delete` never is. An empty
 * id list does nothing. `getMessage(id).messageId` is the header with brackets.
 */
export type { MailboxSession } from './mailbox-session.js';

/**
 * Directory answers of a session. `lookupAddress(a)` is `account`, `list` or
 * `unknown` from the caller's GAL (SearchGalRequest, exact address or alias
 * match). `expandDistributionList(a)` pages GetDistributionListMembersRequest,
 * follows nested lists (each address once, so cycles end) and sorts members
 * into `accounts`, `lists` and `unknown`; use it before logging in so unknown
 * recipients cost no failed login (reference §1.7).
 */
export type { DirectoryEntryKind, ListExpansion } from './directory-lookup.js';

/** Search hit and page shapes; ids are exactly as Zimbra returned them (`301` or `acct:301`). */
export type { MessageHit, SearchPage } from './search-request.js';
/** A folder: `{ id, name, path (absFolderPath), parentId? }`. */
export type { Folder } from './folder-element.js';
/** GetMsg result: `{ id, folderId, messageId: string | null }`. */
export type { MessageInfo } from './get-msg-request.js';

/**
 * The error of every failed Zimbra call. Branch on `code` (Retract's) or
 * `faultCode` (Zimbra's), `failureClass`, `retry`/`retryable` and `gone`
 * (the item no longer exists: treat as already retracted). Never on the message.
 */
export { ZimbraError, isZimbraError } from './zimbra-error.js';
export type { RetryPolicy } from './zimbra-error.js';

/**
 * The fault table (Zimbra code → Retract code, class, retry policy) and the
 * transport-failure table, for docs/errors.md and for callers that map codes.
 */
export { FAULT_RULES, TRANSPORT_RULES, ruleForFault } from './faults.js';
export type { FaultRule, TransportErrorCode } from './faults.js';

/**
 * Validates and normalises a SOAP URL (`https://host/service/soap/` or
 * `https://host:7071/service/admin/soap/`). Throws InputError
 * `ZIMBRA_INVALID_SOAP_URL` (field `soapUrl`) saying what is wrong.
 * `suggestSoapUrls(url)` gives both forms for the host; `otherSoapUrlForm(parsed)`
 * the one form the URL is not (user ↔ admin on 7071).
 */
export { parseSoapUrl, suggestSoapUrls, otherSoapUrlForm } from './soap-url.js';
export type { SoapUrl, SoapUrlKind, ParseSoapUrlOptions } from './soap-url.js';

/**
 * PreAuth: HMAC-SHA1 over `account|by|expires|timestamp` with the key's 64
 * ASCII characters as the HMAC key (not hex-decoded); 40 lower-case hex digits.
 * `isValidPreAuthKey` checks for exactly 64 hex digits after trimming.
 */
export { computePreAuth, isValidPreAuthKey } from './preauth.js';
export type { PreAuthInput, PreAuthBy } from './preauth.js';

/**
 * `msgid:"<id>" is:anywhere` for a bracket-less Message-ID, with `"` escaped.
 * Throws InputError `ZIMBRA_UNSAFE_MESSAGE_ID` (field `messageId`) for ids that
 * cannot be quoted safely.
 */
export { messageIdQuery } from './query.js';

/**
 * Per-host pacing shared by every client of a process (DESIGN "Talking to
 * Zimbra at speed"): an adaptive concurrency limit (grows after clean, fast
 * answers; halves on HTTP 429/503, timeouts and rising latency), a request-
 * rate cap (default 10/s per host, none for loopback, `unlimited` for a host
 * that lists Retract as safe) that drops to 70% of what went through when the host throttles
 * anyway, and a pause of the host after 429/503 honouring Retry-After.
 * Create one per process and pass it as `limiters` to every ZimbraClient;
 * `stats()` feeds metrics.
 *
 * @example
 *   const limiters = new HostLimiterRegistry();
 *   const client = new ZimbraClient({ soapUrl, preauthKey, limiters });
 *   limiters.stats(); // [{ origin, limit, inFlight, waiting, throttled, ... }]
 */
export { HostLimiterRegistry } from './host-limiter-registry.js';
export type { HostLimiterRegistryOptions } from './host-limiter-registry.js';
export type { HostLimiterSettings, HostLimiterStats } from './host-limiter.js';
export type { RequestRate, RequestRateStats } from './request-rate.js';

/**
 * What a connection test needs below the SOAP layer: `probeConnection`
 * resolves the host (each address checked as the client checks it), connects,
 * describes the TLS certificate and whether it is trusted and names the host
 * (a failing one is described but nothing is sent on it), and GETs the SOAP
 * URL once for the round trip, the egress address and the server's clock. It
 * never throws for what it finds: failures are in the report.
 * `ZimbraClient.probePreAuth(account)` then tries one login (PreAuthProbe).
 */
export { probeConnection } from './connection-probe.js';
export type {
  ConnectionProbeOptions,
  ConnectionProbeReport,
  ProbeError,
  TlsReport,
} from './connection-probe.js';
export type { CertificateSummary } from './certificate-summary.js';
export type { PreAuthProbe } from './client.js';

/**
 * Every connection resolves the host and refuses link-local, metadata,
 * unspecified and multicast addresses, and loopback unless allowed
 * (`ZIMBRA_ADDRESS_REFUSED`). `HostLookup` replaces the resolver in tests.
 */
export type { HostLookup } from './address-guard.js';

/** Retry settings: `attempts` counts the first try; delays in ms. */
export type { RetryOptions } from './retry.js';

/** All client defaults (timeouts, pool size, retry, page size), frozen. */
export { ZIMBRA_DEFAULTS } from './defaults.js';

/** What the client's `onCall` hook is told of each finished SOAP call (for metrics). */
export type { SoapCallRecord } from './soap-exchange.js';
