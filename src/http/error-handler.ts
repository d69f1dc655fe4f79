import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { InputError, isRetractError, RetractError } from '../errors/index.js';
import type { ApiServer } from './api-types.js';
import { httpStatusOf } from './error-table.js';

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Fastify's own error codes that are the caller's fault, as Retract errors. */
const FASTIFY_CODES: Readonly<Record<string, [string, string]>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'HTTP_UNSUPPORTED_MEDIA_TYPE',
    'send JSON (Content-Type: application/json)',
  ],
};

/**
 * A body that is not JSON is bad input like any other (400), named as the
 * field `body`. The parser's own words are left out: they quote the body,
 * which may hold a password.
 */
function badJson(thrown: unknown, empty = false): InputError {
  const message = empty
    ? 'body: is empty; send a JSON document'
    : 'body: is not valid JSON; send a JSON document (Content-Type: application/json)';
  return new InputError('HTTP_BAD_JSON', 'body', message, thrown);
}

/**
 * Turns every error into `{ error: { code, message, field? } }` with the
 * status from the error table. Schema failures become `HTTP_BAD_INPUT`
 * naming the first offending field. Unexpected errors are logged and
 * answered without their message.
 */
export function installErrorHandler(server: ApiServer): void {
  server.setErrorHandler((thrown: FastifyError, request, reply) => {
    const err =
      thrown.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? bodyTooLarge(thrown, request.routeOptions.bodyLimit ?? server.initialConfig.bodyLimit)
        : toApiError(thrown, request);
    const status = httpStatusOf(err);
    if (status >= 500) request.log.error({ err: thrown }, 'request failed');
    else request.log.info({ code: err.code, status }, 'request refused');
    return sendError(request, reply, err, status);
  });
}

/**
 * Errors Fastify raises before routing (a malformed URL, a path parameter
 * too long), in the same shape as every other error.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const err = new InputError(
    'HTTP_BAD_URL',
    'url',
    'url: the path is malformed or one of its parts is too long',
    error,
  );
  return sendError(request, reply, err, 400);
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  err: RetractError,
  status = httpStatusOf(err),
) {
  const retryAfter = err.context['retryAfterS'];
  if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  return reply.code(status).type('application/json').send(errorBody(request, err));
}

function errorBody(request: FastifyRequest, err: RetractError): ErrorBody {
  if (err.code === 'HTTP_INTERNAL') {
    return { error: { code: err.code, message: `internal error (request ${request.id})` } };
  }
  const raw = err instanceof InputError ? err.field : err.context['field'];
  const aliases = request.routeOptions?.config?.fieldAliases ?? {};
  const field = typeof raw === 'string' ? (aliases[raw] ?? raw) : undefined;
  return { error: { code: err.code, message: err.message, ...(field ? { field } : {}) } };
}

function toApiError(thrown: FastifyError, request: FastifyRequest): RetractError {
  if (isRetractError(thrown)) return thrown;
  if (hasZodFastifySchemaValidationErrors(thrown)) return schemaError(thrown, request);

  const known = thrown.code ? FASTIFY_CODES[thrown.code] : undefined;
  if (known) return new RetractError(known[0], known[1], { failureClass: 'config', cause: thrown });
  if (thrown.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return badJson(thrown, true);
  if (
    thrown.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    thrown.statusCode === 400 ||
    thrown instanceof SyntaxError
  ) {
    return badJson(thrown);
  }
  return new RetractError('HTTP_INTERNAL', 'internal error', {
    failureClass: 'internal',
    cause: thrown,
  });
}

/** Names the limit, so a gateway that sends too much knows how far to split its batches. */
function bodyTooLarge(thrown: FastifyError, limitBytes: number | undefined): RetractError {
  const limit = limitBytes === undefined ? '' : ` of ${describeBytes(limitBytes)}`;
  return new RetractError(
    'HTTP_BODY_TOO_LARGE',
    `the request body is larger than this endpoint's limit${limit}; send it in smaller parts`,
    { failureClass: 'config', cause: thrown, context: { maxBytes: limitBytes } },
  );
}

function describeBytes(n: number): string {
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

type SchemaFailure = Parameters<typeof hasZodFastifySchemaValidationErrors>[0] & {
  validation: { instancePath: string; message?: string; params: Record<string, unknown> }[];
  validationContext?: string;
};

function schemaError(thrown: SchemaFailure, request: FastifyRequest): InputError {
  const issue = thrown.validation[0]!;
  const steps = issue.instancePath.split('/').filter(Boolean);
  const path = steps.join('.');
  const keys = issue.params['keys'];
  const unknownKey = Array.isArray(keys) && typeof keys[0] === 'string' ? keys[0] : undefined;
  const field = unknownKey ? [path, unknownKey].filter(Boolean).join('.') : path;
  const where = thrown.validationContext ?? 'body';
  const missing = steps.length > 0 && valueAt(inputOf(request, where), steps) === undefined;
  const message = unknownKey
    ? `${field}: not a field of this call`
    : `${field || where}: ${missing ? 'required' : (issue.message ?? 'invalid')}`;
  return new InputError('HTTP_BAD_INPUT', field || where, message, thrown);
}

/** The part of the request a schema checked: `body`, `querystring`, `params` or `headers`. */
function inputOf(request: FastifyRequest, where: string): unknown {
  if (where === 'querystring') return request.query;
  if (where === 'params') return request.params;
  if (where === 'headers') return request.headers;
  return request.body;
}

/** What `input` holds at `steps` (object keys or array indexes); undefined when absent. */
function valueAt(input: unknown, steps: readonly string[]): unknown {
  let value = input;
  for (const step of steps) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}
