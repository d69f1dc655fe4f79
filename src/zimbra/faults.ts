import { ruleForFault } from './fault-table.js';
import { TRANSPORT_RULES, type TransportErrorCode } from './transport-table.js';
import { ZimbraError } from './zimbra-error.js';

export type { FaultRule } from './fault-rule.js';
export { FAULT_RULES, ruleForFault } from './fault-table.js';
export { TRANSPORT_RULES, codeForHttpStatus, type TransportErrorCode } from './transport-table.js';

/** A parsed `Fault` (JSON or XML). */
export interface FaultDetails {
  faultCode: string;
  /** `Reason.Text`; for people, never branched on. */
  reason?: string;
  /** `soap:Sender` or `soap:Receiver`. */
  side?: string;
  args?: { name: string; type?: string; value: string }[];
}

export interface ErrorSite {
  soapRequest?: string;
  httpStatus?: number;
  cause?: unknown;
  context?: Record<string, unknown>;
}

/** Turns a SOAP fault into a ZimbraError that keeps Zimbra's code and text. */
export function faultError(fault: FaultDetails, site: ErrorSite): ZimbraError {
  const found = ruleForFault(fault.faultCode, site.soapRequest);
  const said = fault.reason === undefined ? '' : `: ${fault.reason}`;
  const message = `${found.summary} (Zimbra ${fault.faultCode} on ${site.soapRequest ?? 'request'}${said})`;
  return new ZimbraError(found.code, message, {
    failureClass: found.failureClass,
    retry: found.retry,
    gone: found.gone,
    faultCode: fault.faultCode,
    soapRequest: site.soapRequest,
    httpStatus: site.httpStatus,
    cause: site.cause,
    context: {
      ...site.context,
      zimbraReason: fault.reason,
      zimbraSide: fault.side,
      zimbraArgs: fault.args,
    },
  });
}

/** A failure that is not a SOAP fault; `detail` is appended to the summary. */
export function transportError(
  code: TransportErrorCode,
  site: ErrorSite & { detail?: string; faultCode?: string },
): ZimbraError {
  const found = TRANSPORT_RULES[code];
  const message = site.detail === undefined ? found.summary : `${found.summary}: ${site.detail}`;
  return new ZimbraError(found.code, message, {
    failureClass: found.failureClass,
    retry: found.retry,
    faultCode: site.faultCode,
    soapRequest: site.soapRequest,
    httpStatus: site.httpStatus,
    cause: site.cause,
    context: site.context,
  });
}
