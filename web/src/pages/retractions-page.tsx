import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import type { RetractionSummary } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { LocalTime } from '../components/local-time.js';
import { RetractionCountsCell } from '../components/retraction-counts-cell.js';
import { StatusBadge } from '../components/status-badge.js';
import { VirtualTable, type Column } from '../components/virtual-table.js';
import { useApiData } from '../hooks/use-api-data.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

const LIST_LIMIT = 500;

const COLUMNS: Column<RetractionSummary>[] = [
  {
    key: 'created',
    header: 'Requested',
    width: '13.5rem',
    cell: (r) => <LocalTime value={r.createdAt} />,
  },
  {
    key: 'message',
    header: 'Message-ID',
    cell: (r) => (
      <Link to={`/retractions/${r.id}`} title={r.messageId}>
        {r.messageId}
      </Link>
    ),
  },
  {
    key: 'action',
    header: 'Action',
    width: '11rem',
    cell: (r) => (r.dryRun ? `${r.action} (dry run)` : r.action),
  },
  {
    key: 'status',
    header: 'Status',
    width: '7rem',
    cell: (r) => <StatusBadge status={r.status} />,
  },
  {
    key: 'restore',
    header: 'Restore',
    width: '7rem',
    cell: (r) => <StatusBadge status={r.restoreStatus} />,
  },
  {
    key: 'counts',
    header: 'Mailboxes',
    width: '14rem',
    cell: (r) => <RetractionCountsCell id={r.id} />,
  },
  { key: 'by', header: 'Requested by', width: '8rem', cell: (r) => r.requestedBy },
];

/** Every retraction, newest first; each links to its receipts. */
export function RetractionsPage() {
  useDocumentTitle('Retractions');
  const list = useApiData(
    (signal) =>
      api.get<{ retractions: RetractionSummary[] }>('/retractions', { limit: LIST_LIMIT }, signal),
    'all',
  );
  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Retractions</h1>
        <button type="button" className="button-quiet" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <ErrorBanner error={list.error} />
      <VirtualTable
        rows={list.data?.retractions ?? []}
        columns={COLUMNS}
        rowKey={(r) => r.id}
        label="Retractions"
        empty={list.loading ? 'Loading…' : 'No retraction yet. Start one from the Mail Query.'}
      />
    </section>
  );
}
