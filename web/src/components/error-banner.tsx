import { ApiError, describeError } from '../api/api-error.js';

/** An error said in words, announced to screen readers as it appears. */
export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="banner banner-error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {describeError(error)}
      {code ? <span className="code"> [{code}]</span> : null}
    </div>
  );
}

/** A short confirmation that something worked. */
export function NoticeBanner({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="banner banner-ok" role="status">
      {message}
    </div>
  );
}
