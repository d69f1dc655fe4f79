/**
 * A Zimbra ServiceException as the wire shows it: code, Sender/Receiver, reason text and
 * typed arguments. Codes and texts come from zm-mailbox
 * common/src/java/com/zimbra/common/service/ServiceException.java,
 * store/src/java/com/zimbra/cs/account/AccountServiceException.java and
 * store/src/java/com/zimbra/cs/mailbox/MailServiceException.java.
 */
export type FaultArgType = 'IID' | 'ACCTID' | 'STR' | 'NUM';

export interface FaultArg {
  name: string;
  type: FaultArgType;
  value: string;
}

export class SoapFault extends Error {
  readonly code: string;
  readonly receiver: boolean;
  readonly args: readonly FaultArg[];

  constructor(code: string, reason: string, receiver: boolean, args: FaultArg[] = []) {
    super(reason);
    this.name = 'SoapFault';
    this.code = code;
    this.receiver = receiver;
    this.args = args;
  }
}

/** Codes whose Code.Value is soap:Receiver (the server's fault); every other is Sender. */
const RECEIVER_CODES = new Set([
  'service.FAILURE',
  'service.RESOURCE_UNREACHABLE',
  'service.TEMPORARILY_UNAVAILABLE',
  'service.PROXY_ERROR',
  'service.INTERRUPTED',
  'account.MAINTENANCE_MODE',
  'account.ACCOUNT_INACTIVE',
  'mail.MAINTENANCE',
  'mail.TRY_AGAIN',
]);

/** Whether Zimbra raises this code as the server's fault. */
export function isReceiverCode(code: string): boolean {
  return RECEIVER_CODES.has(code);
}

const sender = (code: string, reason: string, args?: FaultArg[]) =>
  new SoapFault(code, reason, false, args);
const iid = (value: string | number): FaultArg => ({
  name: 'itemId',
  type: 'IID',
  value: String(value),
});

/** Constructors for the faults the simulator raises, with Zimbra's reason texts. */
export const faults = {
  failure: (message: string) =>
    new SoapFault('service.FAILURE', `system failure: ${message}`, true),
  invalidRequest: (message: string) =>
    sender('service.INVALID_REQUEST', `invalid request: ${message}`),
  parseError: (message: string) => sender('service.PARSE_ERROR', `parse error: ${message}`),
  unknownDocument: (name: string) =>
    sender('service.UNKNOWN_DOCUMENT', `unknown document: ${name}`),
  authRequired: () => sender('service.AUTH_REQUIRED', 'no valid authtoken present'),
  authExpired: () => sender('service.AUTH_EXPIRED', 'auth credentials have expired'),
  authFailed: (account: string) =>
    sender('account.AUTH_FAILED', `authentication failed for [${account}]`),
  permDenied: (message: string) => sender('service.PERM_DENIED', `permission denied: ${message}`),
  noSuchDistributionList: (name: string) =>
    sender('account.NO_SUCH_DISTRIBUTION_LIST', `no such distribution list: ${name}`),
  maintenanceMode: () =>
    new SoapFault('account.MAINTENANCE_MODE', 'account is in maintenance mode', true),
  noSuchMsg: (id: string) => sender('mail.NO_SUCH_MSG', `no such message: ${id}`, [iid(id)]),
  noSuchItem: (id: string) => sender('mail.NO_SUCH_ITEM', `no such item: ${id}`, [iid(id)]),
  noSuchFolderId: (id: string) =>
    sender('mail.NO_SUCH_FOLDER', `no such folder id: ${id}`, [iid(id)]),
  noSuchFolderPath: (path: string) =>
    sender('mail.NO_SUCH_FOLDER', `no such folder path: ${path}`, [
      { name: 'path', type: 'STR', value: path },
    ]),
  alreadyExists: (name: string) =>
    sender('mail.ALREADY_EXISTS', `object with that name already exists: ${name}`, [
      { name: 'name', type: 'STR', value: name },
    ]),
  invalidName: (name: string) =>
    sender('mail.INVALID_NAME', `invalid name: ${name}`, [
      { name: 'name', type: 'STR', value: name },
    ]),
  cannotContain: () => sender('mail.CANNOT_CONTAIN', 'cannot put object in that folder'),
  queryParseError: (query: string, token: string, column: number, parserError: string) =>
    sender('mail.QUERY_PARSE_ERROR', `Couldn't parse query: ${query}`, [
      { name: 'curTok', type: 'STR', value: token },
      { name: 'colNo', type: 'NUM', value: String(column) },
      { name: 'parserErr', type: 'STR', value: parserError },
    ]),
};
