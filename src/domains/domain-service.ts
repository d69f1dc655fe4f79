import { randomUUID, X509Certificate } from 'node:crypto';
import { AuditLog } from '../audit/index.js';
import { DEFAULTS } from '../config/index.js';
import { RetractError } from '../errors/index.js';
import type { DomainRow, Store } from '../store/index.js';
import { parseSoapUrl } from '../zimbra/index.js';
import {
  parseCaBundle,
  parseConcurrency,
  parseDomainName,
  parsePreAuthKey,
  parseRequestsPerSecond,
  type RequestsPerSecond,
} from './domain-input.js';
import { fingerprintKey, type KeyVault } from './key-vault.js';

/** What anyone may see of a domain. The PreAuth key is write-only. */
export interface DomainView {
  name: string;
  soapUrl: string;
  /** `user` for /service/soap/, `admin` for :7071/service/admin/soap/. */
  soapUrlKind: 'user' | 'admin';
  /** First 8 hex digits of the key's SHA-256. */
  keyFingerprint: string;
  keySetAtMs: number;
  /** Subjects of the domain's own CA certificates, if any were given. */
  caSubjects: string[];
  maxConcurrency: number;
  /** Requests a second to the Zimbra host: a number, `unlimited`, or null for the default. */
  requestsPerSecond: RequestsPerSecond | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** What the retraction engine needs to reach a domain's mailboxes. */
export interface DomainCredentials {
  name: string;
  soapUrl: string;
  preauthKey: string;
  caPem: string | null;
  maxConcurrency: number;
  requestsPerSecond: RequestsPerSecond | null;
}

export interface AddDomainInput {
  name: string;
  soapUrl: string;
  preauthKey: string;
  caPem?: string | null;
  maxConcurrency?: number;
  requestsPerSecond?: RequestsPerSecond | null;
}

/** What `update` may change; an absent field stays as it is. */
export interface UpdateDomainInput {
  soapUrl?: string;
  /** A new CA bundle, or null to trust the system CAs only. */
  caPem?: string | null;
  maxConcurrency?: number;
  /** null goes back to the default pace. */
  requestsPerSecond?: RequestsPerSecond | null;
}

export interface DomainServiceOptions {
  store: Store;
  vault: KeyVault;
  tenantId: string;
  audit: AuditLog;
  /** Allows http:// and loopback SOAP URLs (the simulator and tests). */
  allowLoopback: boolean;
  now?: () => number;
}

/**
 * Adds, lists, changes and removes the Zimbra domains of a tenant. Keys are
 * sealed by the vault before they reach the store and leave it only through
 * `openCredentials`, for the engine.
 */
export class DomainService {
  readonly #o: Required<DomainServiceOptions>;

  constructor(options: DomainServiceOptions) {
    this.#o = { now: Date.now, ...options };
  }

  /** Validates every field, then stores the domain. */
  async add(input: AddDomainInput, actor: string): Promise<DomainView> {
    const name = parseDomainName(input.name);
    const soap = parseSoapUrl(input.soapUrl, { allowLoopback: this.#o.allowLoopback });
    const key = parsePreAuthKey(input.preauthKey);
    // An empty CA file is a mistake to report, not a request for system CAs.
    const caPem = input.caPem == null ? null : parseCaBundle(input.caPem);
    const concurrency = parseConcurrency(
      input.maxConcurrency ?? DEFAULTS.domainConcurrency,
      DEFAULTS.maxDomainConcurrency,
    );
    if (await this.#find(name)) {
      throw new RetractError('DOMAIN_EXISTS', `domain ${name} is already configured`, {
        failureClass: 'config',
        context: { domain: name, field: 'domain' },
      });
    }

    const nowMs = this.#o.now();
    const fingerprint = fingerprintKey(key);
    await this.#o.store.db
      .insertInto('domains')
      .values({
        id: randomUUID(),
        tenant_id: this.#o.tenantId,
        name,
        soap_url: soap.url,
        soap_url_kind: soap.kind,
        preauth_key_enc: this.#o.vault.seal(key, name),
        key_fingerprint: fingerprint,
        key_set_at: nowMs,
        ca_pem: caPem,
        max_concurrency: concurrency,
        requests_per_second: rateColumn(parseRequestsPerSecond(input.requestsPerSecond ?? null)),
        created_at: nowMs,
        updated_at: nowMs,
      })
      .execute();
    await this.#o.audit.append({
      actor,
      action: 'domain.add',
      target: name,
      details: { soapUrl: soap.url, keyFingerprint: fingerprint, hasCa: caPem !== null },
    });
    return this.get(name);
  }

  /**
   * Changes the SOAP URL, CA bundle or concurrency. Every given field is
   * checked before anything is written; the key is changed only by
   * `replaceKey`.
   */
  async update(domain: string, input: UpdateDomainInput, actor: string): Promise<DomainView> {
    const row = await this.#require(domain);
    const soap =
      input.soapUrl === undefined
        ? undefined
        : parseSoapUrl(input.soapUrl, { allowLoopback: this.#o.allowLoopback });
    const caPem =
      input.caPem === undefined
        ? undefined
        : input.caPem === null
          ? null
          : parseCaBundle(input.caPem);
    const concurrency =
      input.maxConcurrency === undefined
        ? undefined
        : parseConcurrency(input.maxConcurrency, DEFAULTS.maxDomainConcurrency);
    const rate =
      input.requestsPerSecond === undefined
        ? undefined
        : parseRequestsPerSecond(input.requestsPerSecond);

    await this.#o.store.db
      .updateTable('domains')
      .set({
        ...(soap ? { soap_url: soap.url, soap_url_kind: soap.kind } : {}),
        ...(caPem === undefined ? {} : { ca_pem: caPem }),
        ...(concurrency === undefined ? {} : { max_concurrency: concurrency }),
        ...(rate === undefined ? {} : { requests_per_second: rateColumn(rate) }),
        updated_at: this.#o.now(),
      })
      .where('id', '=', row.id)
      .execute();
    const changed = Object.keys(input).filter(
      (k) => input[k as keyof UpdateDomainInput] !== undefined,
    );
    await this.#o.audit.append({
      actor,
      action: 'domain.update',
      target: row.name,
      details: { changed, ...(soap ? { soapUrl: soap.url } : {}) },
    });
    return this.get(row.name);
  }

  /** Replaces the PreAuth key (after `zmprov generateDomainPreAuthKey` ran again). */
  async replaceKey(domain: string, preauthKey: string, actor: string): Promise<DomainView> {
    const row = await this.#require(domain);
    const key = parsePreAuthKey(preauthKey);
    const nowMs = this.#o.now();
    await this.#o.store.db
      .updateTable('domains')
      .set({
        preauth_key_enc: this.#o.vault.seal(key, row.name),
        key_fingerprint: fingerprintKey(key),
        key_set_at: nowMs,
        updated_at: nowMs,
      })
      .where('id', '=', row.id)
      .execute();
    await this.#o.audit.append({
      actor,
      action: 'domain.replace_key',
      target: row.name,
      details: { keyFingerprint: fingerprintKey(key) },
    });
    return this.get(row.name);
  }

  /** Removes a domain; its past retractions and receipts stay. */
  async remove(domain: string, actor: string): Promise<void> {
    const row = await this.#require(domain);
    await this.#o.store.db.deleteFrom('domains').where('id', '=', row.id).execute();
    await this.#o.audit.append({ actor, action: 'domain.remove', target: row.name });
  }

  async list(): Promise<DomainView[]> {
    const rows = await this.#o.store.db
      .selectFrom('domains')
      .selectAll()
      .where('tenant_id', '=', this.#o.tenantId)
      .orderBy('name')
      .execute();
    return rows.map(toView);
  }

  async get(domain: string): Promise<DomainView> {
    return toView(await this.#require(domain));
  }

  /** Decrypts the key, for the engine only: never return this to a user. */
  async openCredentials(domain: string): Promise<DomainCredentials> {
    const row = await this.#require(domain);
    return {
      name: row.name,
      soapUrl: row.soap_url,
      preauthKey: this.#o.vault.open(row.preauth_key_enc, row.name),
      caPem: row.ca_pem,
      maxConcurrency: row.max_concurrency,
      requestsPerSecond: rateOf(row.requests_per_second),
    };
  }

  /** The configured domain an address belongs to, or null. */
  async findForAddress(address: string): Promise<string | null> {
    const at = address.lastIndexOf('@');
    if (at < 0) return null;
    const row = await this.#find(address.slice(at + 1).toLowerCase());
    return row?.name ?? null;
  }

  async #find(name: string): Promise<DomainRow | undefined> {
    return this.#o.store.db
      .selectFrom('domains')
      .selectAll()
      .where('tenant_id', '=', this.#o.tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async #require(domain: string): Promise<DomainRow> {
    const name = domain.trim().toLowerCase();
    const row = await this.#find(name);
    if (!row) {
      throw new RetractError('DOMAIN_NOT_FOUND', `domain ${name} is not configured`, {
        failureClass: 'config',
        context: { domain: name, field: 'domain' },
      });
    }
    return row;
  }
}

function toView(row: DomainRow): DomainView {
  return {
    name: row.name,
    soapUrl: row.soap_url,
    soapUrlKind: row.soap_url_kind === 'admin' ? 'admin' : 'user',
    keyFingerprint: row.key_fingerprint,
    keySetAtMs: Number(row.key_set_at),
    caSubjects: row.ca_pem ? caSubjects(row.ca_pem) : [],
    maxConcurrency: row.max_concurrency,
    requestsPerSecond: rateOf(row.requests_per_second),
    createdAtMs: Number(row.created_at),
    updatedAtMs: Number(row.updated_at),
  };
}

/** 0 in the column means no cap; null, the default. */
function rateColumn(rate: RequestsPerSecond | null): number | null {
  return rate === 'unlimited' ? 0 : rate;
}

function rateOf(column: number | null): RequestsPerSecond | null {
  if (column === null) return null;
  return Number(column) === 0 ? 'unlimited' : Number(column);
}

function caSubjects(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b).subject.replace(/\n/g, ', '));
}
