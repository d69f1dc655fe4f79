/** An error answer of the API: `{ error: { code, message, field? } }`, with its HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; field?: unknown };
}

/** Reads an error answer; a body that is not the API's shape still gives a readable error. */
export async function readApiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // A proxy's HTML error page: keep the status, say nothing more.
  }
  const e = body.error ?? {};
  const code = typeof e.code === 'string' ? e.code : `HTTP_${response.status}`;
  const message =
    typeof e.message === 'string' ? e.message : response.statusText || 'request failed';
  const field = typeof e.field === 'string' ? e.field : undefined;
  return new ApiError(response.status, code, message, field);
}

/** The message to show for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
