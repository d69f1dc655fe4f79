import { InputError } from '../errors/index.js';

/**
 * Reads an address typed as a search filter: trimmed, one pair of angle
 * brackets dropped (`<a@example.test>` as a log shows it), lower case. `<>`
 * is the null sender of bounces and reads as the empty address.
 *
 * @throws InputError `TRACE_EMPTY_FILTER` naming `field` for an empty value,
 *   which would otherwise match every delivery.
 */
export function readAddressFilter(text: string, field: string): string {
  let address = text.trim();
  if (address === '<>') return '';
  if (address.startsWith('<') && address.endsWith('>')) address = address.slice(1, -1).trim();
  if (address === '') {
    throw new InputError(
      'TRACE_EMPTY_FILTER',
      field,
      `${field}: is empty; leave it out to match any address, or give <> for the null sender`,
    );
  }
  return address.toLowerCase();
}
