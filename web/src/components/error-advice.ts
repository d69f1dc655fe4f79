/** What an analyst does about a failed mailbox, by failure class. */
const CLASS_ADVICE: Record<string, string> = {
  config:
    'The domain’s set-up is wrong (PreAuth key, SOAP URL, certificate or clock). Fix it under Administration → Threat Remediation, run Test connection, then retract again.',
  mailbox:
    'Only this mailbox could not be served: the account is unknown, locked, closed or in maintenance. Check it in Zimbra, then retract again.',
  transient:
    'Zimbra or the network kept failing until the retries ran out. Retract again later; if it persists, check the server’s load and Retract’s allow-listing.',
  internal:
    'Retract met an answer it does not understand or a bug. Keep the receipt and report it with the retraction id.',
};

/** Advice for codes whose fix is more specific than their class. */
const CODE_ADVICE: Record<string, string> = {
  RETRACTION_DOMAIN_LOGINS_STOPPED:
    'The first logins of the domain all failed, so Retract stopped before Zimbra suspends its address. Replace the domain’s PreAuth key and run Test connection.',
  RETRACTION_MAILBOX_LOGIN_FAILED:
    'Check the account in Zimbra (zmprov ga <address> zimbraAccountStatus). Once it is active again, retract again: mailboxes already done are not touched twice.',
  DOMAIN_NOT_FOUND: 'The recipient’s domain is not configured. Add it under Threat Remediation.',
  RETRACTION_VERIFY_FAILED:
    'Copies were still outside the target folder after acting. Retract again; report it with the receipt if it persists.',
};

export function adviceFor(failureClass: string, code: string): string {
  return CODE_ADVICE[code] ?? CLASS_ADVICE[failureClass] ?? CLASS_ADVICE.internal!;
}
