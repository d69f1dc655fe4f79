import { webcrypto } from 'node:crypto';

/**
 * What the HTTPS listeners present: a certificate signed by the simulator's CA (`ok`),
 * the same but expired (`expired`), one for another host name (`wrong-host`), or one
 * signed by nobody (`self-signed`).
 */
export type TlsMode = 'ok' | 'expired' | 'wrong-host' | 'self-signed';

export const TLS_MODES: readonly TlsMode[] = ['ok', 'expired', 'wrong-host', 'self-signed'];

/** PEM texts for one listener: the CA a client should trust, the served chain and key. */
export interface TlsMaterial {
  mode: TlsMode;
  /** The simulator's CA certificate (the same in every mode, even when it signed nothing). */
  caPem: string;
  /** The server certificate served (the leaf only, as most servers send it). */
  certPem: string;
  /** PKCS#8 private key of the server certificate. */
  keyPem: string;
}

/** Names the `ok`, `expired` and `self-signed` certificates are valid for. */
export const SERVER_NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] } as const;
/** The only name in the `wrong-host` certificate (.invalid is reserved, RFC 2606). */
export const WRONG_HOST_NAME = 'mail.wrong-host.invalid';

const DAY_MS = 86_400_000;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

type X509 = typeof import('@peculiar/x509');
type KeyPair = webcrypto.CryptoKeyPair;

interface Issuer {
  cert: import('@peculiar/x509').X509Certificate;
  keys: KeyPair;
}

let x509Module: Promise<X509> | undefined;
let caPromise: Promise<Issuer> | undefined;
const materials = new Map<TlsMode, Promise<TlsMaterial>>();

/**
 * Loaded on first use only, so a simulator without TLS never needs @peculiar/x509 (a
 * devDependency). Its dependency injection (tsyringe) needs the Reflect metadata
 * polyfill loaded first.
 */
async function loadX509(): Promise<X509> {
  await import('reflect-metadata');
  // Node may load the CommonJS build, whose exports then sit under `default`.
  const mod = (await import('@peculiar/x509')) as Partial<X509> & { default?: X509 };
  const x509 = (mod.X509CertificateGenerator === undefined ? mod.default : mod) as X509;
  type ProviderCrypto = Parameters<X509['cryptoProvider']['set']>[0];
  x509.cryptoProvider.set(webcrypto as unknown as ProviderCrypto);
  return x509;
}

function x509(): Promise<X509> {
  x509Module ??= loadX509();
  return x509Module;
}

function generateKeys(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<KeyPair>;
}

async function createCa(): Promise<Issuer> {
  const lib = await x509();
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Retract Zimbra Simulator CA, O=Retract',
    keys,
    signingAlgorithm: ALGORITHM,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    extensions: [
      new lib.BasicConstraintsExtension(true, 0, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign, true),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

/** The simulator CA, made once per process. */
function ca(): Promise<Issuer> {
  caPromise ??= createCa();
  return caPromise;
}

function altNames(mode: TlsMode) {
  if (mode === 'wrong-host') return [{ type: 'dns' as const, value: WRONG_HOST_NAME }];
  return [
    ...SERVER_NAMES.dns.map((value) => ({ type: 'dns' as const, value })),
    ...SERVER_NAMES.ip.map((value) => ({ type: 'ip' as const, value })),
  ];
}

function validity(mode: TlsMode): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  // Certificates are checked against the real clock, never the simulator's skewed one.
  if (mode === 'expired') {
    return { notBefore: new Date(now - 60 * DAY_MS), notAfter: new Date(now - DAY_MS) };
  }
  return { notBefore: new Date(now - DAY_MS), notAfter: new Date(now + 365 * DAY_MS) };
}

async function createLeaf(mode: TlsMode): Promise<TlsMaterial> {
  const lib = await x509();
  const issuer = await ca();
  const keys = await generateKeys();
  const selfSigned = mode === 'self-signed';
  const subject = mode === 'wrong-host' ? `CN=${WRONG_HOST_NAME}` : 'CN=localhost';
  const extensions: import('@peculiar/x509').Extension[] = [
    new lib.BasicConstraintsExtension(false, undefined, true),
    new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
    new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth]),
    new lib.SubjectAlternativeNameExtension(altNames(mode)),
    await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (!selfSigned) extensions.push(await lib.AuthorityKeyIdentifierExtension.create(issuer.cert));

  const cert = await lib.X509CertificateGenerator.create({
    subject,
    issuer: selfSigned ? subject : issuer.cert.subject,
    publicKey: keys.publicKey,
    signingKey: selfSigned ? keys.privateKey : issuer.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    ...validity(mode),
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    mode,
    caPem: issuer.cert.toString('pem'),
    certPem: cert.toString('pem'),
    keyPem: lib.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

/**
 * The key and certificates for `mode`, made once per process and shared by every
 * simulator in it (ECDSA P-256 keys, a few milliseconds each).
 */
export function loadTlsMaterial(mode: TlsMode): Promise<TlsMaterial> {
  let material = materials.get(mode);
  if (material === undefined) {
    material = createLeaf(mode);
    materials.set(mode, material);
  }
  return material;
}
