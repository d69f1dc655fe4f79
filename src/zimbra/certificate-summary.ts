import type { X509Certificate } from 'node:crypto';

/** What a person needs to know about a server certificate to act on it. */
export interface CertificateSummary {
  /** e.g. `CN=mail.example.com, O=Example`. */
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** e.g. `DNS:mail.example.com`, `IP Address:192.0.2.10`. */
  subjectAltNames: string[];
  /** Issuer and subject are the same: nobody vouches for it but itself. */
  selfSigned: boolean;
  /** SHA-256 fingerprint, colon-separated hex, for pinning or comparing. */
  fingerprint256: string;
}

export function summariseCertificate(cert: X509Certificate): CertificateSummary {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    validFrom: isoDate(cert.validFrom),
    validTo: isoDate(cert.validTo),
    subjectAltNames: (cert.subjectAltName ?? '')
      .split(/,\s*/)
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    selfSigned: cert.subject === cert.issuer,
    fingerprint256: cert.fingerprint256,
  };
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').join(', ');
}

/** OpenSSL's `Jan  1 00:00:00 2030 GMT` as ISO 8601; the text itself if it does not parse. */
function isoDate(text: string): string {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : text;
}
