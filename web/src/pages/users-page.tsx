import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import type { Role, UserView } from '../api/types.js';
import { ApiTokens } from '../components/api-tokens.js';
import { ErrorBanner, NoticeBanner } from '../components/error-banner.js';
import { LocalTime } from '../components/local-time.js';
import { useApiData } from '../hooks/use-api-data.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

const ROLES: Role[] = ['admin', 'analyst', 'auditor'];

/** Administration → Users: who may sign in, and with which role. */
export function UsersPage() {
  useDocumentTitle('Users');
  const users = useApiData((signal) => api.get<{ users: UserView[] }>('/users', {}, signal), 'all');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Users</h1>
      <ErrorBanner error={users.error} />
      <div className="card">
        <table className="data-table plain">
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Second factor</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.users ?? []).map((u) => (
              <UserRow key={u.id} user={u} onChanged={users.reload} />
            ))}
          </tbody>
        </table>
      </div>
      <AddUserForm onAdded={users.reload} />
      <ApiTokens />
    </section>
  );
}

function UserRow({ user, onChanged }: { user: UserView; onChanged(): void }) {
  const [error, setError] = useState<unknown>(null);

  async function change(body: { role?: Role; disabled?: boolean }) {
    setError(null);
    try {
      await api.patch(`/users/${encodeURIComponent(user.name)}`, body);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <tr>
      <th scope="row">{user.name}</th>
      <td>
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          Role of {user.name}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          onChange={(e) => void change({ role: e.target.value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td>
        {user.disabled ? (
          'disabled'
        ) : user.lockedUntil ? (
          <>
            locked until <LocalTime value={user.lockedUntil} />
          </>
        ) : (
          'active'
        )}
      </td>
      <td>{user.totpEnabled ? 'TOTP' : 'none'}</td>
      <td>
        <LocalTime value={user.lastLoginAt} />
      </td>
      <td>
        <button
          type="button"
          className="button-quiet"
          onClick={() => void change({ disabled: !user.disabled })}
        >
          {user.disabled ? 'Enable' : 'Disable'}
        </button>
        <ErrorBanner error={error} />
      </td>
    </tr>
  );
}

function AddUserForm({ onAdded }: { onAdded(): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    try {
      await api.post('/users', { name: name.trim(), role, password });
      setNotice(`${name.trim()} can now sign in as ${role}.`);
      setName('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setPassword('');
    }
  }

  return (
    <form
      className="card form-grid"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="add-user-title"
    >
      <h2 id="add-user-title">Add a user</h2>
      <ErrorBanner error={error} />
      <NoticeBanner message={notice} />
      <div className="field">
        <label htmlFor="user-name">Name</label>
        <input
          id="user-name"
          required
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="user-role">Role</label>
        <select
          id="user-role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          aria-describedby="user-role-help"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <small id="user-role-help" className="help">
          admin: everything, domains, keys, users · analyst: trace, retract, restore · auditor: read
          only, audit
        </small>
      </div>
      <div className="field">
        <label htmlFor="user-password">First password</label>
        <input
          id="user-password"
          type="password"
          required
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <div className="field field-actions">
        <button type="submit" className="button-primary">
          Add user
        </button>
      </div>
    </form>
  );
}
