import type { SoapCallRecord } from '../zimbra/index.js';

/**
 * Every SOAP call any Zimbra client of the app finished, for whoever
 * listens (the metrics). A listener that throws is dropped from nothing and
 * stops nothing: the client catches and logs it.
 */
export class ZimbraCallFeed {
  readonly #listeners = new Set<(record: SoapCallRecord) => void>();

  subscribe(listener: (record: SoapCallRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(record: SoapCallRecord): void {
    for (const listener of this.#listeners) listener(record);
  }
}
