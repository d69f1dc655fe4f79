/**
 * Every default of Retract, in one place. Entry points (CLI, server) read the
 * environment and files, validate, and pass typed, frozen values down; the
 * layers below never read `process.env`.
 */
export const DEFAULTS = Object.freeze({
  /** Where the SQLite file, master key and logs live, relative to the cwd. */
  dataDir: '.retract',
  databaseFile: 'retract.db',
  masterKeyFile: 'master.key',

  /** Mailboxes worked on at once for one Zimbra domain. */
  domainConcurrency: 8,
  /** Upper bound an admin may set per domain. */
  maxDomainConcurrency: 64,
  /** Timeout of one SOAP call, connect included. */
  soapTimeoutMs: 30_000,

  /** Name of the folder, under the mailbox root, that quarantine moves to. */
  quarantineFolder: 'Quarantine',
  /** Attempts for one mailbox task before it fails as `transient`. */
  taskAttempts: 3,
  /** First wait before a mailbox task is tried again; doubles each time. */
  taskRetryDelayMs: 1_000,
  /** Wait before retrying a mailbox in maintenance; grows linearly. */
  maintenanceRetryDelayMs: 60_000,

  /**
   * Failed logins on one domain, early in a run, after which its remaining
   * logins stop: Zimbra suspends a client address after ten (reference §1.7).
   */
  domainAuthFailureLimit: 3,
  /**
   * Failed logins on one domain in one run, after others worked, after which
   * each further address is looked up in Zimbra's directory before a login:
   * Zimbra counts failures per address with no reset on success.
   */
  domainLoginFailureBudget: 4,
  /** A process's claim on a retraction it works on; renewed every third of it. */
  retractionLeaseMs: 60_000,

  /** `retract serve` binds here unless told otherwise; loopback by default. */
  httpHost: '127.0.0.1',
  httpPort: 8080,
  /** A signed-in session ends this long after sign-in, however active. */
  sessionLifetimeMs: 12 * 3_600_000,
  /** A session unused this long ends. */
  sessionIdleMs: 30 * 60_000,
  /** Failed sign-ins in a row after which the user is locked out... */
  loginFailureLimit: 5,
  /** ...for this long. */
  loginLockoutMs: 15 * 60_000,
  /** Sign-in attempts per client address per minute, whatever the user name. */
  loginRateLimitPerMinute: 10,
  passwordMinLength: 12,
  /** API tokens expire; an admin picks up to this many days (30 if not said). */
  apiTokenMaxDays: 365,
  apiTokenDefaultDays: 30,
  /** Rows per page of trace search and receipts. */
  pageSizeDefault: 100,
  pageSizeMax: 1_000,
  /** Rows one CSV export may hold. */
  exportMaxRows: 100_000,
  /** Message-IDs one API call may retract (one retraction each). */
  maxMessageIdsPerRequest: 100,
});

export type Defaults = typeof DEFAULTS;
