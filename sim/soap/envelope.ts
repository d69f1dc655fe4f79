import type { JsonObject } from './json-element.js';
import type { SoapFault } from './soap-fault.js';

/** The JSON envelope namespaces of reference §2.3. */
export const NS_SOAP = 'urn:zimbraSoap';
export const NS_ZIMBRA = 'urn:zimbra';
export const NS_ACCOUNT = 'urn:zimbraAccount';
export const NS_MAIL = 'urn:zimbraMail';

/** Header.context of a response; `changeToken` only when a mailbox was involved. */
export function buildResponseHeader(changeToken: number | undefined): JsonObject {
  const context: JsonObject = {};
  if (changeToken !== undefined) context.change = { token: changeToken };
  context._jsns = NS_ZIMBRA;
  return { context };
}

/** A success envelope: Body holds one `<name>` element carrying its own `_jsns`. */
export function buildResponseEnvelope(
  name: string,
  ns: string,
  body: JsonObject,
  header: JsonObject | undefined,
): JsonObject {
  const envelope: JsonObject = {};
  if (header !== undefined) envelope.Header = header;
  envelope.Body = { [name]: { ...body, _jsns: ns } };
  envelope._jsns = NS_SOAP;
  return envelope;
}

/** The Fault element of reference §2.6, without its envelope. */
export function buildFaultElement(fault: SoapFault, trace: string): JsonObject {
  const error: JsonObject = { Code: fault.code, Trace: trace };
  if (fault.args.length > 0) {
    error.a = fault.args.map((arg) => ({ n: arg.name, t: arg.type, _content: arg.value }));
  }
  error._jsns = NS_ZIMBRA;
  return {
    Code: { Value: fault.receiver ? 'soap:Receiver' : 'soap:Sender' },
    Reason: { Text: fault.message },
    Detail: { Error: error },
  };
}

/**
 * A fault envelope. Faults raised before a context exists (unparseable body, expired
 * token) have no Header (reference §2.5).
 */
export function buildFaultEnvelope(
  fault: SoapFault,
  trace: string,
  header: JsonObject | undefined,
): JsonObject {
  const envelope: JsonObject = {};
  if (header !== undefined) envelope.Header = header;
  envelope.Body = { Fault: buildFaultElement(fault, trace) };
  envelope._jsns = NS_SOAP;
  return envelope;
}
