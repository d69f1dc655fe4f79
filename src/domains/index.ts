/** The domains layer: Zimbra domains, their SOAP URLs and sealed PreAuth keys. */
export { DomainService } from './domain-service.js';
export type {
  AddDomainInput,
  DomainCredentials,
  DomainServiceOptions,
  DomainView,
  UpdateDomainInput,
} from './domain-service.js';
export {
  KeyVault,
  fingerprintKey,
  formatMasterKeys,
  generateMasterKey,
  parseMasterKeys,
} from './key-vault.js';
export type { MasterKey } from './key-vault.js';
export {
  parseDomainName,
  parsePreAuthKey,
  parseCaBundle,
  parseRequestsPerSecond,
} from './domain-input.js';
export type { RequestsPerSecond } from './domain-input.js';

/**
 * `testDomainConnection(domains, name, { account, allowLoopback })` tests the
 * way to a domain's Zimbra: checks `dns`, `tls`, `clock`, `endpoint` and
 * `preauth` (one login for `account`, never retried), each `{ ok, summary,
 * advice?, details }` in plain words, plus `soapUrlAnswered` (the URL that
 * accepted the login; the other URL form is tried when the configured port
 * refuses its servlet), `egressAddress`, `rttMs` and `clockSkewMs`.
 * Throws only for an unknown domain or a bad account address.
 */
export { testDomainConnection } from './connection-test.js';
export type {
  ConnectionCheck,
  ConnectionCheckName,
  ConnectionTestOptions,
  ConnectionTestReport,
} from './connection-test.js';
