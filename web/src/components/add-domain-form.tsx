import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import type { DomainView } from '../api/types.js';
import { ErrorBanner } from './error-banner.js';
import { KeyField } from './key-field.js';

/** Adds a domain: name, SOAP URL, PreAuth key, private CA, concurrency limit. */
export function AddDomainForm({ onAdded }: { onAdded(domain: DomainView): void }) {
  const [name, setName] = useState('');
  const [soapUrl, setSoapUrl] = useState('');
  const [key, setKey] = useState('');
  const [caPem, setCaPem] = useState<string | null>(null);
  const [caName, setCaName] = useState('');
  const [maxConcurrency, setMaxConcurrency] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const domain = await api.post<DomainView>('/domains', {
        name: name.trim(),
        soapUrl: soapUrl.trim(),
        preauthKey: key.trim(),
        caPem,
        ...(maxConcurrency ? { maxConcurrency: Number(maxConcurrency) } : {}),
      });
      setName('');
      setSoapUrl('');
      setCaPem(null);
      setCaName('');
      setMaxConcurrency('');
      onAdded(domain);
    } catch (err) {
      setError(err);
    } finally {
      // The key leaves the page after every attempt, whatever the answer.
      setKey('');
      setBusy(false);
    }
  }

  return (
    <form
      className="card form-grid"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="add-domain-title"
    >
      <h2 id="add-domain-title">Add a domain</h2>
      <ErrorBanner error={error} />
      <div className="field">
        <label htmlFor="domain-name">Domain</label>
        <input
          id="domain-name"
          required
          placeholder="example.com"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="domain-soap-url">SOAP URL</label>
        <input
          id="domain-soap-url"
          type="url"
          required
          placeholder="https://mail.example.com/service/soap/"
          value={soapUrl}
          onChange={(e) => setSoapUrl(e.target.value)}
          aria-describedby="domain-soap-url-help"
        />
        <small id="domain-soap-url-help" className="help">
          <code>https://host/service/soap/</code> or{' '}
          <code>https://host:7071/service/admin/soap/</code>
        </small>
      </div>
      <KeyField id="domain-key" value={key} onChange={setKey} />
      <CaFileField
        id="domain-ca"
        fileName={caName}
        onLoaded={(pem, file) => {
          setCaPem(pem);
          setCaName(file);
        }}
      />
      <div className="field">
        <label htmlFor="domain-concurrency">Mailboxes at once</label>
        <input
          id="domain-concurrency"
          type="number"
          min={1}
          max={64}
          placeholder="default"
          value={maxConcurrency}
          onChange={(e) => setMaxConcurrency(e.target.value)}
        />
      </div>
      <div className="field field-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Add domain
        </button>
      </div>
    </form>
  );
}

/** A private CA in PEM form, read in the browser and sent as text. */
export function CaFileField(props: {
  id: string;
  fileName: string;
  onLoaded(pem: string | null, fileName: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>Private CA (PEM, optional)</label>
      <input
        id={props.id}
        type="file"
        accept=".pem,.crt,.cer,text/plain"
        aria-describedby={`${props.id}-help`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (!file) return props.onLoaded(null, '');
          void file.text().then((text) => props.onLoaded(text, file.name));
        }}
      />
      <small id={`${props.id}-help`} className="help">
        Only when Zimbra’s certificate comes from your own CA. Retract never skips certificate
        checks.
      </small>
    </div>
  );
}
