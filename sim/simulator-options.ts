import type { DosFilterOptions } from './filters/dos-filter.js';
import type { LoginSuspensionOptions } from './filters/login-suspension.js';
import type { LatencySpec } from './latency.js';
import type { SyslogTimestamps } from './mta/syslog-time.js';
import { TLS_MODES, type TlsMode } from './tls/certificates.js';

/** `false`: plain HTTP; `true`: HTTPS with the CA-signed certificate; or pick a bad one. */
export type SimTlsOption = boolean | { mode: TlsMode };

/** Everything `startSimulator` accepts; every field is optional. */
export interface SimulatorOptions {
  /** Listen address; default `127.0.0.1`. */
  host?: string;
  /** User SOAP port; default 0 (ephemeral). */
  port?: number;
  /** Admin SOAP port; default 0 (ephemeral). */
  adminPort?: number;
  /**
   * Serve both listeners over HTTPS; default false (plain HTTP). `true` is
   * `{mode: 'ok'}`: a certificate for localhost, 127.0.0.1 and ::1 signed by a CA the
   * simulator makes (read it from `sim.caPem`). `expired`, `wrong-host` and `self-signed`
   * serve certificates a careful client must refuse.
   */
  tls?: SimTlsOption;
  /** Mailbox server names behind the SOAP URL; default `['mbs1']`. */
  mailboxServers?: readonly string[];
  /**
   * The server that receives requests sent to the user SOAP URL: a server name (default
   * the first) or `'round-robin'` over all of them, as a load balancer would.
   */
  frontServer?: string;
  /** The server the admin port belongs to; default the first. */
  adminServer?: string;
  /** Jetty's DoS filter (HTTP 429); off when absent. Zimbra's default limit is 30/s. */
  dosFilter?: DosFilterOptions;
  /** ZimbraInvalidLoginFilter (HTTP 503 per IP after AUTH_FAILED storms); off when absent. */
  loginSuspension?: LoginSuspensionOptions;
  /** Added latency per request name (`*` for all others), e.g. `{'*': {baseMs: 5, jitterMs: 20}}`. */
  latency?: Readonly<Record<string, LatencySpec>>;
  /** Append Postfix lines here; no log when absent. */
  mtaLogPath?: string;
  /** `bsd` (default) `Dec  4 15:56:36` or `rfc3339` timestamps in the MTA log. */
  mtaLogTimestamps?: SyslogTimestamps;
  /**
   * Also log each Subject as a header_checks `/^Subject:/ INFO` rule makes
   * cleanup do (many sites add one); default false, as in a stock Zimbra.
   */
  mtaLogSubjects?: boolean;
  /** Clock, epoch ms; default Date.now. */
  now?: () => number;
  /** Default auth token lifetime in ms; default 172_800_000 (2 days). */
  tokenLifetimeMs?: number;
  /** Seed for queue ids, pids, log delays and latency draws; default 1. */
  seed?: number;
  /** Mailbox server name in the MTA log's lmtp relay; default `mail.example.com`. */
  mailboxHost?: string;
}

/** The TLS mode an option asks for, or null for plain HTTP; throws TypeError on a bad mode. */
export function tlsModeOf(option: SimTlsOption | undefined): TlsMode | null {
  if (option === undefined || option === false) return null;
  if (option === true) return 'ok';
  if (!TLS_MODES.includes(option.mode)) throw new TypeError(`unknown tls mode: ${option.mode}`);
  return option.mode;
}
