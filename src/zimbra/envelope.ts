import { ZIMBRA_DEFAULTS } from './defaults.js';
import { retryAfterMsOf } from './retry-after.js';
import {
  contentOf,
  elementList,
  firstElement,
  isJsonObject,
  type JsonObject,
} from './element-shape.js';
import { codeForHttpStatus, faultError, transportError, type FaultDetails } from './faults.js';
import { suggestSoapUrls } from './soap-url.js';
import { looksLikeXml, parseXmlFault } from './xml-fault.js';
import type { ZimbraError } from './zimbra-error.js';

export interface EnvelopeOptions {
  /** Sent in `Header.context.authToken`; omitted for AuthRequest. */
  authToken?: string;
  /** Sent as `userAgent.version`; Zimbra logs it as `Retract/<version>`. */
  userAgentVersion: string;
}

/**
 * A JSON SOAP envelope around one request element (reference §2.4):
 * `Header.context` carries `_jsns:"urn:zimbra"` (without it the server fails
 * with an XML service.FAILURE), `nosession` so no server session is created,
 * and the user agent.
 */
export function buildEnvelope(body: JsonObject, options: EnvelopeOptions): JsonObject {
  const context: JsonObject = { _jsns: 'urn:zimbra' };
  if (options.authToken !== undefined) context['authToken'] = options.authToken;
  context['nosession'] = {};
  context['userAgent'] = { name: ZIMBRA_DEFAULTS.userAgentName, version: options.userAgentVersion };
  return { Header: { context }, Body: body };
}

/** One HTTP answer as the transport returns it; header names are lower-case. */
export interface HttpAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  bodyText: string;
}

export interface ResponseSite {
  /** The request name, e.g. `SearchRequest`; the response element is `SearchResponse`. */
  soapRequest: string;
  /** The URL that was called, to suggest the right form on a wrong-port fault. */
  soapUrl?: string;
}

/**
 * The response element of a SOAP answer, e.g. the `SearchResponse` object.
 *
 * Zimbra sends HTTP 200 for answers and 500 for faults (reference §2.1). Any
 * other status is throttling or a proxy's page (429 and 503 carry a Jetty HTML
 * body, §9), so its body is never read as SOAP.
 *
 * @throws ZimbraError for a fault, an unexpected status or an unreadable body.
 */
export function readSoapResponse(answer: HttpAnswer, site: ResponseSite): JsonObject {
  const { status } = answer;
  if (status !== 200 && status !== 500) throw statusError(answer, site);

  if (looksLikeXml(answer.bodyText)) throw xmlAnswerError(answer, site);
  const envelope = parseJson(answer, site);
  const body = firstElement(envelope['Body']);
  if (body === undefined) throw badResponse(answer, site, 'no SOAP Body');

  const fault = firstElement(body['Fault']);
  if (fault !== undefined) throw faultError(readJsonFault(fault), { ...site, httpStatus: status });
  const responseName = site.soapRequest.replace(/Request$/, 'Response');
  const response = firstElement(body[responseName]);
  if (response === undefined) throw badResponse(answer, site, `no ${responseName} in the Body`);
  return response;
}

function statusError(answer: HttpAnswer, site: ResponseSite): ZimbraError {
  const retryAfterMs = retryAfterMsOf(answer);
  const context: Record<string, unknown> = {};
  if (retryAfterMs !== undefined) context['retryAfterMs'] = retryAfterMs;
  const dosFilter = answer.headers['dosfilter'];
  if (dosFilter !== undefined) context['dosFilter'] = dosFilter;
  return transportError(codeForHttpStatus(answer.status), {
    soapRequest: site.soapRequest,
    httpStatus: answer.status,
    detail: `HTTP ${answer.status}`,
    context,
  });
}

function xmlAnswerError(answer: HttpAnswer, site: ResponseSite): ZimbraError {
  const fault = parseXmlFault(answer.bodyText);
  if (fault === undefined) return badResponse(answer, site, 'an XML body that is not a SOAP fault');
  if (fault.faultCode !== 'service.FAILURE') {
    return faultError(fault, { ...site, httpStatus: answer.status, context: { format: 'xml' } });
  }

  // A JSON request answered with an XML service.FAILURE never reached a handler:
  // the servlet refused the port ("Request not allowed on port", reference §8.2).
  const suggested = site.soapUrl === undefined ? [] : suggestSoapUrls(site.soapUrl);
  const advice = suggested.length === 0 ? '' : `; use ${suggested.join(' or ')}`;
  return transportError('ZIMBRA_WRONG_SOAP_URL', {
    soapRequest: site.soapRequest,
    httpStatus: answer.status,
    faultCode: fault.faultCode,
    detail: `${fault.reason ?? 'no reason given'}${advice}`,
    context: { suggestedUrls: suggested, zimbraReason: fault.reason },
  });
}

function parseJson(answer: HttpAnswer, site: ResponseSite): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.bodyText);
  } catch (cause) {
    throw badResponse(answer, site, 'a body that is not JSON', cause);
  }
  if (!isJsonObject(parsed)) throw badResponse(answer, site, 'a JSON body that is not an object');
  return parsed;
}

function readJsonFault(fault: JsonObject): FaultDetails {
  const error = firstElement(firstElement(fault['Detail'])?.['Error']);
  const details: FaultDetails = { faultCode: contentOf(error?.['Code']) ?? 'unknown' };
  const reason = contentOf(firstElement(fault['Reason'])?.['Text']);
  if (reason !== undefined) details.reason = reason;
  const side = contentOf(firstElement(fault['Code'])?.['Value']);
  if (side !== undefined) details.side = side;

  const args = elementList(error?.['a']).map((a) => ({
    name: contentOf(a['n']) ?? '',
    type: contentOf(a['t']),
    value: contentOf(a['_content']) ?? '',
  }));
  if (args.length > 0) details.args = args;
  return details;
}

function badResponse(
  answer: HttpAnswer,
  site: ResponseSite,
  what: string,
  cause?: unknown,
): ZimbraError {
  // A 500 that is not a readable fault came from something in front of Zimbra.
  const code = answer.status === 500 ? 'ZIMBRA_HTTP_SERVER_ERROR' : 'ZIMBRA_BAD_RESPONSE';
  return transportError(code, {
    soapRequest: site.soapRequest,
    httpStatus: answer.status,
    detail: `HTTP ${answer.status} with ${what}`,
    cause,
    context: { contentType: answer.headers['content-type'] },
  });
}
