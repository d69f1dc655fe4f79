import { rule, type FaultRule } from './fault-rule.js';

/**
 * Every fault code of reference §2.7, keyed by Zimbra's `Detail.Error.Code`.
 * Sources: zm-mailbox ServiceException.java, AccountServiceException.java,
 * MailServiceException.java.
 */
export const FAULT_RULES: Readonly<Record<string, FaultRule>> = Object.freeze({
  'account.AUTH_FAILED': rule(
    'ZIMBRA_AUTH_FAILED',
    'config',
    'never',
    'Zimbra refused the PreAuth login: the domain key or the clock may be wrong, or the account may not exist, be locked or be closed (Zimbra gives one answer for all of these)',
  ),
  'account.MAINTENANCE_MODE': rule(
    'ZIMBRA_ACCOUNT_MAINTENANCE',
    'mailbox',
    'later',
    'The account is in maintenance mode; try again in a few minutes',
  ),
  'account.ACCOUNT_INACTIVE': rule(
    'ZIMBRA_ACCOUNT_INACTIVE',
    'mailbox',
    'never',
    'The account is not active',
  ),
  'account.NO_SUCH_ACCOUNT': rule(
    'ZIMBRA_NO_SUCH_ACCOUNT',
    'mailbox',
    'never',
    'Zimbra has no such account',
  ),
  'account.NO_SUCH_DISTRIBUTION_LIST': rule(
    'ZIMBRA_NO_SUCH_DISTRIBUTION_LIST',
    'mailbox',
    'never',
    'Zimbra has no such distribution list, or hides it from this account',
  ),
  'service.AUTH_EXPIRED': rule(
    'ZIMBRA_AUTH_EXPIRED',
    'config',
    'reauth',
    'The auth token expired or was revoked',
  ),
  'service.AUTH_REQUIRED': rule(
    'ZIMBRA_AUTH_REQUIRED',
    'config',
    'reauth',
    'Zimbra did not accept the auth token',
  ),
  'service.PERM_DENIED': rule(
    'ZIMBRA_PERM_DENIED',
    'mailbox',
    'never',
    'Zimbra denied permission for this item or account',
  ),
  'service.INVALID_REQUEST': rule(
    'ZIMBRA_INVALID_REQUEST',
    'internal',
    'never',
    'Zimbra rejected the request as invalid',
  ),
  'service.PARSE_ERROR': rule(
    'ZIMBRA_PARSE_ERROR',
    'internal',
    'never',
    'Zimbra could not parse the request',
  ),
  'service.UNKNOWN_DOCUMENT': rule(
    'ZIMBRA_UNKNOWN_DOCUMENT',
    'internal',
    'never',
    'Zimbra does not know this request',
  ),
  'mail.QUERY_PARSE_ERROR': rule(
    'ZIMBRA_QUERY_PARSE_ERROR',
    'internal',
    'never',
    'Zimbra could not parse the search query',
  ),
  'mail.NO_SUCH_MSG': rule(
    'ZIMBRA_NO_SUCH_MSG',
    'mailbox',
    'never',
    'The message no longer exists',
    true,
  ),
  'mail.NO_SUCH_ITEM': rule(
    'ZIMBRA_NO_SUCH_ITEM',
    'mailbox',
    'never',
    'The item no longer exists',
    true,
  ),
  'mail.NO_SUCH_CONV': rule(
    'ZIMBRA_NO_SUCH_CONV',
    'mailbox',
    'never',
    'The conversation no longer exists',
    true,
  ),
  'mail.NO_SUCH_FOLDER': rule(
    'ZIMBRA_NO_SUCH_FOLDER',
    'mailbox',
    'never',
    'The folder does not exist',
  ),
  'mail.ALREADY_EXISTS': rule(
    'ZIMBRA_ALREADY_EXISTS',
    'mailbox',
    'never',
    'An item with that name already exists',
  ),
  'mail.CANNOT_CONTAIN': rule(
    'ZIMBRA_CANNOT_CONTAIN',
    'config',
    'never',
    'The target folder cannot contain this item; check the configured folder',
  ),
  'mail.INVALID_NAME': rule(
    'ZIMBRA_INVALID_NAME',
    'config',
    'never',
    'Zimbra refused the folder name; check the configured folder',
  ),
  'mail.MAINTENANCE': rule(
    'ZIMBRA_MAILBOX_MAINTENANCE',
    'mailbox',
    'later',
    'The mailbox is locked for maintenance or a move; try again in a few minutes',
  ),
  'mail.MODIFY_CONFLICT': rule(
    'ZIMBRA_MODIFY_CONFLICT',
    'transient',
    'backoff',
    'The item changed while Zimbra worked on it',
  ),
  'service.PROXY_ERROR': rule(
    'ZIMBRA_PROXY_ERROR',
    'transient',
    'backoff',
    'Zimbra could not proxy the request to the mailbox home server',
  ),
  'service.RESOURCE_UNREACHABLE': rule(
    'ZIMBRA_RESOURCE_UNREACHABLE',
    'transient',
    'backoff',
    'A Zimbra back end was unreachable',
  ),
  'service.TEMPORARILY_UNAVAILABLE': rule(
    'ZIMBRA_TEMPORARILY_UNAVAILABLE',
    'transient',
    'backoff',
    'Zimbra user services are temporarily unavailable on that server',
  ),
  'service.FAILURE': rule(
    'ZIMBRA_SERVER_FAILURE',
    'transient',
    'backoff',
    'Zimbra reported a system failure',
  ),
  'service.TOO_MANY_HOPS': rule(
    'ZIMBRA_TOO_MANY_HOPS',
    'config',
    'never',
    'Zimbra found a proxy or mountpoint loop; check the installation',
  ),
});

// Per-request readings of a fault code that means something more precise there.
const REQUEST_RULES: Readonly<Record<string, Readonly<Record<string, FaultRule>>>> = {
  AuthRequest: {
    // LdapProvisioning.verifyPreAuth: "domain is not configured for preauth" is the
    // INVALID_REQUEST a correct signer meets in practice.
    'service.INVALID_REQUEST': rule(
      'ZIMBRA_PREAUTH_NOT_CONFIGURED',
      'config',
      'never',
      'Zimbra rejected the PreAuth request as invalid; most often the domain has no PreAuth key (zmprov generateDomainPreAuthKey)',
    ),
  },
};

const UNKNOWN_FAULT = rule(
  'ZIMBRA_UNKNOWN_FAULT',
  'internal',
  'never',
  'Zimbra answered with a fault Retract does not know',
);

/** The table row for a Zimbra fault code on a request; unknown codes get the internal row. */
export function ruleForFault(faultCode: string, soapRequest?: string): FaultRule {
  const special = soapRequest === undefined ? undefined : REQUEST_RULES[soapRequest]?.[faultCode];
  return special ?? FAULT_RULES[faultCode] ?? UNKNOWN_FAULT;
}
