import { isRetractError, type RetractError } from '../errors/index.js';
import { terminalSafe } from './terminal-text.js';

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface Output {
  json: boolean;
  /** Prints a result: the object as one JSON document, or the human lines. */
  result(value: unknown, human: () => string[]): void;
  /** A progress note for people; silent in --json mode. */
  note(text: string): void;
  error(err: RetractError): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else
        process.stdout.write(
          human()
            .map((l) => `${terminalSafe(l)}\n`)
            .join(''),
        );
    },
    note(text) {
      if (!json) process.stderr.write(`${terminalSafe(text)}\n`);
    },
    error(err) {
      if (json) {
        const field = (err.context['field'] as string | undefined) ?? undefined;
        const body = {
          error: { code: err.code, class: err.failureClass, message: err.message, field },
        };
        process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      } else {
        const field = err.context['field'];
        const where = typeof field === 'string' ? `, field ${field}` : '';
        process.stderr.write(`retract: ${terminalSafe(err.message)} [${err.code}${where}]\n`);
      }
    },
  };
}

/** Formats rows as aligned columns, header first. */
export function table(header: string[], rawRows: string[][]): string[] {
  const rows = rawRows.map((r) => r.map(terminalSafe));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export { isRetractError };
