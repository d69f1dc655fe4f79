import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { useSession } from '../api/session-context.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/** Name and password, and the TOTP code once the API says the account needs one. */
export function SignInPage() {
  useDocumentTitle('Sign in');
  const { signIn } = useSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn({ name, password, ...(needsTotp ? { totpCode: totp } : {}) });
    } catch (err) {
      if (isTotpRequest(err)) setNeedsTotp(true);
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <form
        className="card sign-in-card"
        onSubmit={(e) => void submit(e)}
        aria-labelledby="sign-in-title"
      >
        <h1 id="sign-in-title">Sign in to Retract</h1>
        <ErrorBanner error={error} />
        <label htmlFor="sign-in-name">User name</label>
        <input
          id="sign-in-name"
          name="username"
          autoComplete="username"
          required
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {needsTotp ? (
          <>
            <label htmlFor="sign-in-totp">Authenticator code</label>
            <input
              id="sign-in-totp"
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              required
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
            />
          </>
        ) : null}
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function isTotpRequest(error: unknown): boolean {
  return error instanceof ApiError && (error.field === 'totpCode' || error.code.includes('TOTP'));
}
