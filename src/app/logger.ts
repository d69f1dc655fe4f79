import { pino, type Logger } from 'pino';

/**
 * Paths pino blanks in every line, whatever a caller passes: PreAuth keys,
 * tokens, passwords, cookies. The layers also never put them in fields; this
 * is the second lock.
 */
export const REDACT_PATHS = [
  'preauthKey',
  '*.preauthKey',
  'key',
  '*.key',
  'authToken',
  '*.authToken',
  'password',
  '*.password',
  'cookie',
  '*.cookie',
  'headers.cookie',
  'headers.authorization',
  'req.headers.cookie',
  'req.headers.authorization',
];

/**
 * The root logger: JSON lines to a file (or a stream in tests). Writes are
 * synchronous so a CLI command that exits right after its work loses no line.
 */
export function createLogger(level: string, destination: string | NodeJS.WritableStream): Logger {
  const stream =
    typeof destination === 'string'
      ? pino.destination({ dest: destination, mkdir: true, sync: true })
      : destination;
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
}
