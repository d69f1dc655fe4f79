import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import type { Role, TokenView } from '../api/types.js';
import { useApiData } from '../hooks/use-api-data.js';
import { ErrorBanner } from './error-banner.js';
import { LocalTime } from './local-time.js';

const ROLES: Role[] = ['analyst', 'auditor', 'admin'];

/** API tokens for automation: listed without the secret, created once, revoked. */
export function ApiTokens() {
  const tokens = useApiData(
    (signal) => api.get<{ tokens: TokenView[] }>('/tokens', {}, signal),
    'all',
  );
  const [error, setError] = useState<unknown>(null);

  async function revoke(token: TokenView) {
    setError(null);
    try {
      await api.delete(`/tokens/${encodeURIComponent(token.id)}`);
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <ErrorBanner error={tokens.error ?? error} />
      <table className="data-table plain">
        <caption className="visually-hidden">API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {tokens.data?.tokens.length === 0 ? (
            <tr>
              <td colSpan={6}>No API token yet.</td>
            </tr>
          ) : null}
          {(tokens.data?.tokens ?? []).map((t) => (
            <tr key={t.id}>
              <th scope="row">{t.name}</th>
              <td>{t.role}</td>
              <td>
                <LocalTime value={t.createdAt} /> by {t.createdBy}
              </td>
              <td>
                <LocalTime value={t.expiresAt} />
              </td>
              <td>
                <LocalTime value={t.lastUsedAt} />
              </td>
              <td>
                {t.revoked ? (
                  'revoked'
                ) : (
                  <button type="button" className="button-quiet" onClick={() => void revoke(t)}>
                    Revoke <span className="visually-hidden">{t.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CreateToken onCreated={tokens.reload} />
    </section>
  );
}

function CreateToken({ onCreated }: { onCreated(): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [days, setDays] = useState('30');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setCreated(null);
    try {
      const answer = await api.post<TokenView & { token: string }>('/tokens', {
        name: name.trim(),
        role,
        expiresInDays: Number(days),
      });
      setCreated(answer.token);
      setName('');
      onCreated();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form
      className="form-grid spaced"
      onSubmit={(e) => void submit(e)}
      aria-label="Create an API token"
    >
      <ErrorBanner error={error} />
      {created ? (
        <div className="banner banner-ok" role="status">
          Copy this token now; it is not shown again: <code className="secret">{created}</code>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="token-name">Token name</label>
        <input id="token-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="token-role">Role</label>
        <select id="token-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="token-days">Expires after (days)</label>
        <input
          id="token-days"
          type="number"
          min={1}
          required
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
      </div>
      <div className="field field-actions">
        <button type="submit" className="button-primary">
          Create token
        </button>
      </div>
    </form>
  );
}
