import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import type { DomainView } from '../api/types.js';
import { CaFileField } from './add-domain-form.js';
import { ErrorBanner, NoticeBanner } from './error-banner.js';

interface Change {
  soapUrl?: string;
  caPem?: string | null;
  maxConcurrency?: number;
}

/** Changes a domain's SOAP URL, private CA or limit; the key has its own form. */
export function DomainSettingsForm(props: { domain: DomainView; onChanged(): void }) {
  const { domain } = props;
  const slug = domain.name.replace(/[^a-z0-9]/gi, '-');
  const [soapUrl, setSoapUrl] = useState(domain.soapUrl);
  const [limit, setLimit] = useState(String(domain.maxConcurrency));
  const [caPem, setCaPem] = useState<string | null>(null);
  const [caName, setCaName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function save(change: Change, done: string) {
    setError(null);
    setNotice(null);
    try {
      await api.patch(`/domains/${encodeURIComponent(domain.name)}`, change);
      setNotice(done);
      setCaPem(null);
      setCaName('');
      props.onChanged();
    } catch (err) {
      setError(err);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const change: Change = {};
    if (soapUrl.trim() !== domain.soapUrl) change.soapUrl = soapUrl.trim();
    if (Number(limit) !== domain.maxConcurrency) change.maxConcurrency = Number(limit);
    if (caPem !== null) change.caPem = caPem;
    if (Object.keys(change).length === 0) return setNotice('Nothing to change.');
    void save(change, 'Saved. Test the connection again.');
  }

  return (
    <details className="settings">
      <summary>Change settings</summary>
      <form
        className="form-grid"
        onSubmit={submit}
        aria-label={`Change the settings of ${domain.name}`}
      >
        <ErrorBanner error={error} />
        <NoticeBanner message={notice} />
        <div className="field">
          <label htmlFor={`soap-url-${slug}`}>SOAP URL</label>
          <input
            id={`soap-url-${slug}`}
            type="url"
            required
            value={soapUrl}
            onChange={(e) => setSoapUrl(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`limit-${slug}`}>Mailboxes at once</label>
          <input
            id={`limit-${slug}`}
            type="number"
            min={1}
            max={64}
            required
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
          />
        </div>
        <CaFileField
          id={`ca-${slug}`}
          fileName={caName}
          onLoaded={(pem, name) => {
            setCaPem(pem);
            setCaName(name);
          }}
        />
        <div className="field field-actions">
          <button type="submit" className="button-primary">
            Save
          </button>
          {domain.caSubjects.length > 0 ? (
            <button
              type="button"
              className="button-quiet"
              onClick={() => void save({ caPem: null }, 'Private CA removed: public CAs only.')}
            >
              Drop private CA
            </button>
          ) : null}
        </div>
      </form>
    </details>
  );
}
