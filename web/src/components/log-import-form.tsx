import { useState, type FormEvent } from 'react';
import { apiUpload } from '../api/api-client.js';
import type { ImportReport } from '../api/types.js';
import { ErrorBanner, NoticeBanner } from './error-banner.js';

/** Uploads an MTA log (zimbra.log or a Postfix maillog, plain or .gz) into the trace. */
export function LogImportForm({ onImported }: { onImported?(report: ImportReport): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [timeZone, setTimeZone] = useState(
    () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const result = await apiUpload<ImportReport>('/trace/imports', file, {
        name: file.name,
        timeZone,
      });
      setReport(result);
      onImported?.(result);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="card import-card">
      <summary>Import an MTA log</summary>
      <form className="form-grid" onSubmit={(e) => void submit(e)} aria-label="Import an MTA log">
        <div className="field">
          <label htmlFor="import-file">Log file</label>
          <input
            id="import-file"
            type="file"
            required
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            aria-describedby="import-file-help"
          />
          <small id="import-file-help" className="help">
            <code>/var/log/zimbra.log</code> or a Postfix <code>maillog</code>, plain or gzip.
            Importing the same log twice changes nothing.
          </small>
        </div>
        <div className="field">
          <label htmlFor="import-zone">Time zone of the log</label>
          <input id="import-zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </div>
        <div className="field field-actions">
          <button type="submit" className="button-primary" disabled={busy || !file}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
        <ErrorBanner error={error} title="Import failed" />
        <NoticeBanner message={report ? describeImport(report) : null} />
      </form>
    </details>
  );
}

function describeImport(r: ImportReport): string {
  const parts = [
    `${r.name}: ${r.lines.toLocaleString()} lines read`,
    `${r.added.toLocaleString()} deliveries added`,
    `${r.updated.toLocaleString()} updated`,
    `${r.duplicates.toLocaleString()} already known`,
    `${r.delivered.toLocaleString()} delivered`,
    `${r.deferred.toLocaleString()} deferred`,
    `${r.rejected.toLocaleString()} bounced or expired`,
  ];
  if (r.filtered > 0) parts.push(`${r.filtered.toLocaleString()} kept by a content filter`);
  if (r.unparsed > 0) parts.push(`${r.unparsed.toLocaleString()} lines not understood`);
  return `Imported ${parts.join(', ')} in ${r.seconds} s.`;
}
