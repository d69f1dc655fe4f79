import { InputError } from '../errors/index.js';
import type { DeliveryCursor } from './delivery-types.js';

const CURSOR = /^(\d{1,15})\.(\d{1,15})$/;

/**
 * A page cursor as the CLI prints it and the API returns it: `<time ms>.<row
 * id>` of the last row shown, so a search paged in one can go on in the other.
 */
export function formatDeliveryCursor(cursor: DeliveryCursor): string {
  return `${cursor.timeMs}.${cursor.id}`;
}

/**
 * Reads a cursor `formatDeliveryCursor` printed.
 *
 * @throws InputError `TRACE_BAD_CURSOR` naming `field`.
 */
export function parseDeliveryCursor(text: string, field: string): DeliveryCursor {
  const match = CURSOR.exec(text.trim());
  if (!match) {
    throw new InputError(
      'TRACE_BAD_CURSOR',
      field,
      `${field}: "${text.slice(0, 40)}" is not a cursor a search printed; pass the "next" value unchanged`,
    );
  }
  return { timeMs: Number(match[1]), id: Number(match[2]) };
}
