import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { InputError } from '../errors/index.js';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Checks and lower-cases a mail domain name (`example.com`). Refuses IP
 * literals, single labels and anything that is not a DNS host name.
 */
export function parseDomainName(input: string): string {
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  const valid =
    name.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !isIP(name);
  if (!valid) {
    throw new InputError(
      'DOMAIN_BAD_NAME',
      'domain',
      `domain: "${truncate(input)}" is not a mail domain name such as example.com`,
    );
  }
  return name;
}

/**
 * Checks a PreAuth key as `zmprov generateDomainPreAuthKey` prints it: 64 hex
 * digits. The key itself never appears in the message.
 */
export function parsePreAuthKey(input: string): string {
  const key = input.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(key)) {
    const what = key.length === 0 ? 'is empty' : `has ${key.length} characters`;
    throw new InputError(
      'DOMAIN_BAD_PREAUTH_KEY',
      'preauthKey',
      `preauthKey: a Zimbra domain PreAuth key is 64 hex digits (from "zmprov generateDomainPreAuthKey <domain>"); the one given ${what}${/[^0-9a-fA-F]/.test(key) ? ' or holds characters that are not hex digits' : ''}`,
    );
  }
  return key;
}

/**
 * Checks a PEM bundle of CA certificates (one or more) and returns it
 * normalised. Private keys are refused outright: they do not belong here.
 */
export function parseCaBundle(pem: string): string {
  if (/PRIVATE KEY-----/.test(pem)) {
    throw new InputError(
      'DOMAIN_BAD_CA',
      'caFile',
      'caFile: the file holds a private key; give only the CA certificate(s)',
    );
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) {
    throw new InputError(
      'DOMAIN_BAD_CA',
      'caFile',
      'caFile: no "-----BEGIN CERTIFICATE-----" block found; give the CA certificate in PEM form',
    );
  }
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new InputError(
        'DOMAIN_BAD_CA',
        'caFile',
        `caFile: certificate ${i + 1} cannot be read`,
        err,
      );
    }
  });
  return blocks.join('\n') + '\n';
}

/** Checks the per-domain concurrency limit. */
export function parseConcurrency(value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InputError(
      'DOMAIN_BAD_CONCURRENCY',
      'maxConcurrency',
      `maxConcurrency: must be a whole number from 1 to ${max}`,
    );
  }
  return value;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A request-rate cap toward a Zimbra host: requests a second, or none at all. */
export type RequestsPerSecond = number | 'unlimited';

/**
 * Checks a request-rate cap: a whole number from 1 to 1000, `unlimited` (the
 * Zimbra admin listed Retract in zimbraHttpThrottleSafeIPs), or null for the
 * default.
 */
export function parseRequestsPerSecond(value: unknown): RequestsPerSecond | null {
  if (value === null || value === 'unlimited') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1000) {
    return value;
  }
  throw new InputError(
    'DOMAIN_BAD_REQUEST_RATE',
    'requestsPerSecond',
    'requestsPerSecond: a whole number from 1 to 1000, or "unlimited" once Retract is in zimbraHttpThrottleSafeIPs',
  );
}
