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

  /**
   * Failed logins on one domain, early in a run, after which its remaining
   * logins stop: Zimbra suspends a client address after ten (reference §1.7).
   */
  domainAuthFailureLimit: 3,
});

export type Defaults = typeof DEFAULTS;
