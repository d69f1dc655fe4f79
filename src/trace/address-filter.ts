import { InputError } from '../errors/index.js';

/**
 * An address as the trace stores it: trimmed, one pair of angle brackets
 * dropped (`<a@example.test>` as a log shows it), lower case. `<>`, the null
 * sender of bounces, is the empty address.
 */
export function bareAddress(text: string): string {
  const trimmed = text.trim();
  const bare = trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
  return bare.trim().toLowerCase();
}

/**
 * Reads an address typed as a search filter, as `bareAddress` does; `<>`
 * finds the null sender.
 *
 * @throws InputError `TRACE_EMPTY_FILTER` naming `field` for an empty value,
 *   which would otherwise match every delivery.
 */
export function readAddressFilter(text: string, field: string): string {
  const address = bareAddress(text);
  if (address === '' && text.trim() !== '<>') {
    throw new InputError(
      'TRACE_EMPTY_FILTER',
      field,
      `${field}: is empty; leave it out to match any address, or give <> for the null sender`,
    );
  }
  return address;
}
