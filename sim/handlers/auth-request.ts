import type { SimAccount } from '../model/directory.js';
import { isPreauthMatch, isWithinWindow } from '../model/preauth.js';
import { NS_ACCOUNT } from '../soap/envelope.js';
import type { RequestContext, SimState, SoapHandler } from '../soap/handler.js';
import { attrText, childElement, elementText, type JsonObject } from '../soap/json-element.js';
import { faults } from '../soap/soap-fault.js';

/** AccountBy enum names (zm-mailbox common/.../account/Key.java), case-sensitive. */
const ACCOUNT_BY = ['adminName', 'appAdminName', 'id', 'foreignPrincipal', 'name', 'krb5Principal'];

function findAccount(state: SimState, by: string, value: string): SimAccount | undefined {
  if (by === 'name') return state.directory.findByName(value);
  if (by === 'id') return state.directory.findById(value);
  // The simulator models no foreign or Kerberos principals and no admin names.
  return undefined;
}

function readLong(el: JsonObject, name: string, fallback?: number): number {
  const text = attrText(el, name);
  if (text === undefined) {
    if (fallback !== undefined) return fallback;
    throw faults.invalidRequest(`missing required attribute: ${name}`);
  }
  if (!/^-?[0-9]+$/.test(text.trim())) {
    throw faults.invalidRequest(`invalid long value '${text}' for attribute: ${name}`);
  }
  return Number(text.trim());
}

/** Status check of LdapProvisioning.checkAccountStatus, in the order of reference §1.7. */
function checkStatus(account: SimAccount, sent: string): void {
  if (account.status === 'maintenance') throw faults.maintenanceMode();
  if (account.status !== 'active') throw faults.authFailed(sent);
}

interface PreauthInput {
  account: SimAccount;
  sent: string;
  by: string;
  preauth: JsonObject;
}

/**
 * LdapProvisioning.preAuth/verifyPreAuth; returns the token expiry instant.
 * FIXME: no per-account password lockout (zimbraPasswordLockoutEnabled, default FALSE),
 * so a signer that fails 10 times never locks the account for an hour here; the per-IP
 * invalid-login suspension is modelled (filters/login-suspension.ts).
 */
function verifyPreauth(state: SimState, input: PreauthInput): number {
  const timestamp = readLong(input.preauth, 'timestamp');
  const expires = readLong(input.preauth, 'expires', 0);
  const value = (elementText(input.preauth) ?? '').trim();

  checkStatus(input.account, input.sent);
  if (value.length === 0) throw faults.invalidRequest('preAuth must not be empty');
  const key = state.directory.getDomain(input.account.domain)?.preauthKey ?? null;
  if (key === null) throw faults.invalidRequest('domain is not configured for preauth');

  const now = state.now();
  if (!isWithinWindow(timestamp, now)) throw faults.authFailed(input.sent);
  const fields = { account: input.sent, by: input.by, expires, timestamp };
  if (!isPreauthMatch(key, fields, value)) throw faults.authFailed(input.sent);
  return expires === 0 ? now + state.tokenLifetimeMs : expires;
}

function handleAuth(request: JsonObject, ctx: RequestContext) {
  const accountEl = childElement(request, 'account');
  if (accountEl === undefined) throw faults.invalidRequest('missing required element: account');
  const by = attrText(accountEl, 'by') ?? 'name';
  if (!ACCOUNT_BY.includes(by)) throw faults.invalidRequest(`unknown key: ${by}`);

  const sent = elementText(accountEl) ?? '';
  const account = findAccount(ctx.state, by, sent);
  if (account === undefined) throw faults.authFailed(sent);

  const preauth = childElement(request, 'preauth');
  if (preauth === undefined) {
    // Without a <preauth> element Zimbra falls back to password auth; the simulator
    // knows no passwords, so that fails as an empty password does (Auth.java).
    checkStatus(account, sent);
    throw faults.authFailed(sent);
  }

  const expiresAt = verifyPreauth(ctx.state, { account, sent, by, preauth });
  const token = ctx.state.tokens.issue(account.id, expiresAt);
  const body = {
    authToken: [{ _content: token }],
    lifetime: expiresAt - ctx.state.now(),
    skin: [{ _content: 'harmony' }],
  };
  return { body, account };
}

/** AuthRequest with `<preauth>` (reference §1). */
export const authRequest: SoapHandler = {
  name: 'AuthRequest',
  ns: NS_ACCOUNT,
  requiresAuth: false,
  handle: handleAuth,
};
