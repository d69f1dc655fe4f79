import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import type { ConnectionReport, DomainView } from '../api/types.js';
import { ConnectionReportView } from './connection-report-view.js';
import { DomainSettingsForm } from './domain-settings-form.js';
import { ErrorBanner, NoticeBanner } from './error-banner.js';
import { KeyField } from './key-field.js';
import { formatLocal, LocalTime } from './local-time.js';

/** One domain: its settings, key status, connection test and (for admins) changes. */
export function DomainCard(props: { domain: DomainView; canWrite: boolean; onChanged(): void }) {
  const { domain } = props;
  const slug = domain.name.replace(/[^a-z0-9]/gi, '-');
  return (
    <article
      className="card domain-card"
      aria-labelledby={`domain-${slug}`}
      data-domain={domain.name}
    >
      <h2 id={`domain-${slug}`}>{domain.name}</h2>
      <dl className="facts">
        <dt>SOAP URL</dt>
        <dd>
          <code>{domain.soapUrl}</code> (
          {domain.soapUrlKind === 'admin' ? 'admin port' : 'user SOAP'})
        </dd>
        <dt>PreAuth key</dt>
        <dd data-key-status>{describeKey(domain)}</dd>
        <dt>Certificate trust</dt>
        <dd>
          {domain.caSubjects.length > 0
            ? `private CA: ${domain.caSubjects.join('; ')}`
            : 'public CAs (system trust store)'}
        </dd>
        <dt>Limit</dt>
        <dd>{domain.maxConcurrency} mailboxes at once</dd>
        <dt>Changed</dt>
        <dd>
          <LocalTime value={domain.updatedAt} />
        </dd>
      </dl>
      {props.canWrite ? <ConnectionTest domain={domain.name} /> : null}
      {props.canWrite ? <DomainSettingsForm domain={domain} onChanged={props.onChanged} /> : null}
      {props.canWrite ? <KeyReplacement domain={domain.name} onChanged={props.onChanged} /> : null}
      {props.canWrite ? <RemoveDomain domain={domain.name} onChanged={props.onChanged} /> : null}
    </article>
  );
}

/** "set on <date>, fingerprint <8 hex>": the only thing ever shown of a key. */
function describeKey(domain: DomainView): string {
  const { setAt, fingerprint } = domain.keyStatus;
  return `set on ${formatLocal(new Date(setAt))}, fingerprint ${fingerprint}`;
}

function ConnectionTest({ domain }: { domain: string }) {
  const [account, setAccount] = useState('');
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = `test-account-${domain.replace(/[^a-z0-9]/gi, '-')}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(
        await api.post<ConnectionReport>(`/domains/${encodeURIComponent(domain)}/test`, {
          account: account.trim(),
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="inline-form"
      onSubmit={(e) => void submit(e)}
      aria-label={`Test the connection to ${domain}`}
    >
      <div className="field">
        <label htmlFor={id}>Test account</label>
        <input
          id={id}
          type="email"
          required
          placeholder={`someone@${domain}`}
          value={account}
          onChange={(e) => setAccount(e.target.value)}
          aria-describedby={`${id}-help`}
        />
        <small id={`${id}-help`} className="help">
          One PreAuth login as this account. Zimbra suspends an address after 10 failed logins, so
          test sparingly while the key is wrong.
        </small>
      </div>
      <button type="submit" className="button-primary" disabled={busy}>
        {busy ? 'Testing…' : 'Test connection'}
      </button>
      <ErrorBanner error={error} title="Test failed to run" />
      {report ? <ConnectionReportView report={report} /> : null}
    </form>
  );
}

function KeyReplacement({ domain, onChanged }: { domain: string; onChanged(): void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const id = `replace-key-${domain.replace(/[^a-z0-9]/gi, '-')}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    try {
      await api.put(`/domains/${encodeURIComponent(domain)}/preauth-key`, {
        preauthKey: key.trim(),
      });
      setNotice('Key replaced.');
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setKey('');
    }
  }

  return (
    <form
      className="inline-form"
      onSubmit={(e) => void submit(e)}
      aria-label={`Replace the PreAuth key of ${domain}`}
    >
      <KeyField id={id} label="New PreAuth key" value={key} onChange={setKey} />
      <button type="submit" className="button-quiet">
        Replace key
      </button>
      <ErrorBanner error={error} />
      <NoticeBanner message={notice} />
    </form>
  );
}

function RemoveDomain({ domain, onChanged }: { domain: string; onChanged(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function remove() {
    try {
      await api.delete(`/domains/${encodeURIComponent(domain)}`);
      onChanged();
    } catch (err) {
      setError(err);
      setConfirming(false);
    }
  }

  if (!confirming) {
    return (
      <div className="button-row">
        <button type="button" className="button-quiet" onClick={() => setConfirming(true)}>
          Remove domain…
        </button>
        <ErrorBanner error={error} />
      </div>
    );
  }
  return (
    <div className="confirm-box" role="alertdialog" aria-labelledby={`remove-${domain}`}>
      <p id={`remove-${domain}`}>Remove {domain} and its key? Past retractions stay.</p>
      <button type="button" className="button-danger" autoFocus onClick={() => void remove()}>
        Yes, remove
      </button>
      <button type="button" className="button-quiet" onClick={() => setConfirming(false)}>
        Back
      </button>
    </div>
  );
}
