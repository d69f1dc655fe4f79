import type { SoapFault } from './soap-fault.js';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * A SOAP 1.2 fault in XML, as SoapServlet answers for a wrong port, a bad header context
 * or an oversized body whatever the request format (reference §2.1, §2.4, §8.2). Value,
 * Text, Code and Trace are child elements with text (Soap12Protocol.soapFault).
 */
export function renderXmlFault(fault: SoapFault, trace: string): string {
  const value = fault.receiver ? 'soap:Receiver' : 'soap:Sender';
  const args = fault.args
    .map((a) => `<a n="${escapeXml(a.name)}" t="${a.type}">${escapeXml(a.value)}</a>`)
    .join('');
  return (
    '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>' +
    `<soap:Fault><soap:Code><soap:Value>${value}</soap:Value></soap:Code>` +
    `<soap:Reason><soap:Text>${escapeXml(fault.message)}</soap:Text></soap:Reason>` +
    `<soap:Detail><Error xmlns="urn:zimbra"><Code>${escapeXml(fault.code)}</Code>` +
    `<Trace>${escapeXml(trace)}</Trace>${args}</Error></soap:Detail></soap:Fault>` +
    '</soap:Body></soap:Envelope>'
  );
}
