import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import type { AuditRecord } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { LocalTime } from '../components/local-time.js';
import { VirtualTable, type Column } from '../components/virtual-table.js';
import { useApiData } from '../hooks/use-api-data.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

const LIMIT = 1000;

const COLUMNS: Column<AuditRecord>[] = [
  { key: 'seq', header: '#', width: '5rem', className: 'num', cell: (e) => e.seq },
  { key: 'at', header: 'When', width: '13rem', cell: (e) => <LocalTime value={e.at} /> },
  { key: 'actor', header: 'Who', width: '12rem', cell: (e) => e.actor },
  { key: 'action', header: 'What', width: '12rem', cell: (e) => <code>{e.action}</code> },
  { key: 'target', header: 'On', cell: (e) => <span title={e.target}>{e.target}</span> },
  {
    key: 'details',
    header: 'Details',
    cell: (e) => {
      const text = describeDetails(e.details);
      return <span title={text}>{text}</span>;
    },
  },
];

interface Filters {
  action: string;
  target: string;
}

/** The audit log, newest first, filtered by action and target. */
export function AuditPage() {
  useDocumentTitle('Audit');
  const [draft, setDraft] = useState<Filters>({ action: '', target: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const entries = useApiData(
    (signal) => api.get<{ entries: AuditRecord[] }>('/audit', { ...filters, limit: LIMIT }, signal),
    JSON.stringify(filters),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    setFilters({ action: draft.action.trim(), target: draft.target.trim() });
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Audit</h1>
      <form className="card filter-form" onSubmit={submit} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <input
            id="audit-action"
            placeholder="retraction.create"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-target">Target</label>
          <input
            id="audit-target"
            placeholder="a domain, a retraction id, a user"
            value={draft.target}
            onChange={(e) => setDraft({ ...draft, target: e.target.value })}
          />
        </div>
        <div className="field field-actions">
          <button type="submit" className="button-primary">
            Filter
          </button>
          <button type="button" className="button-quiet" onClick={entries.reload}>
            Refresh
          </button>
        </div>
      </form>
      <ErrorBanner error={entries.error} />
      <VirtualTable
        rows={entries.data?.entries ?? []}
        columns={COLUMNS}
        rowKey={(e) => String(e.seq)}
        label="Audit entries"
        empty={entries.loading ? 'Loading…' : 'No entry matches.'}
      />
    </section>
  );
}

function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}
