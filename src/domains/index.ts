/** The domains layer: Zimbra domains, their SOAP URLs and sealed PreAuth keys. */
export { DomainService } from './domain-service.js';
export type {
  AddDomainInput,
  DomainCredentials,
  DomainServiceOptions,
  DomainView,
} from './domain-service.js';
export {
  KeyVault,
  fingerprintKey,
  formatMasterKeys,
  generateMasterKey,
  parseMasterKeys,
} from './key-vault.js';
export type { MasterKey } from './key-vault.js';
export { parseDomainName, parsePreAuthKey, parseCaBundle } from './domain-input.js';
