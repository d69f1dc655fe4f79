import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/api-client.js';
import type { MailboxReport } from '../api/types.js';
import { ErrorBanner } from './error-banner.js';
import { folderName } from './folder-name.js';
import { StatusBadge } from './status-badge.js';
import { VirtualTable, type Column } from './virtual-table.js';

const PAGE_SIZE = 500;

const COLUMNS: Column<MailboxReport>[] = [
  { key: 'account', header: 'Mailbox', cell: (m) => <span title={m.account}>{m.account}</span> },
  {
    key: 'status',
    header: 'Status',
    width: '8rem',
    cell: (m) => <StatusBadge status={m.status} />,
  },
  { key: 'copies', header: 'Copies', width: '5rem', className: 'num', cell: (m) => m.copies },
  {
    key: 'folders',
    header: 'Found in',
    width: '12rem',
    cell: (m) => {
      const ids = unique(m.items.map((i) => i.folderBefore));
      return (
        <span title={ids.map((id) => `folder id ${id}`).join(', ')}>
          {ids.map(folderName).join(', ') || '—'}
        </span>
      );
    },
  },
  {
    key: 'outcome',
    header: 'Outcome',
    width: '12rem',
    cell: (m) => unique(m.items.map((i) => i.restoreOutcome ?? i.outcome)).join(', ') || '—',
  },
  {
    key: 'error',
    header: 'Error',
    width: '16rem',
    cell: (m) =>
      m.error ? (
        <span title={m.error.message}>
          {m.error.class}: <code>{m.error.code}</code>
        </span>
      ) : (
        ''
      ),
  },
];

const FILTERS = [
  '',
  'retracted',
  'found',
  'not_found',
  'failed',
  'restored',
  'cancelled',
  'queued',
];

/**
 * Per-mailbox receipts of a retraction, a page at a time as the reader
 * scrolls; `version` changes when the retraction moved on, to read them again.
 */
export function ReceiptsTable({
  retractionId,
  version,
}: {
  retractionId: string;
  version: string;
}) {
  const [status, setStatus] = useState('');
  const { rows, error, loadMore, loading } = useReceipts(retractionId, status, version);
  return (
    <section aria-labelledby="receipts-title">
      <div className="page-head">
        <h2 id="receipts-title">Receipts</h2>
        <div className="field inline">
          <label htmlFor="receipt-status">Show</label>
          <select id="receipt-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {f ? f.replace('_', ' ') : 'every mailbox'}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBanner error={error} />
      <VirtualTable
        rows={rows}
        columns={COLUMNS}
        rowKey={(m) => m.account}
        label="Per-mailbox receipts"
        onNearEnd={loadMore}
        empty={loading ? 'Loading…' : 'No mailbox in this state.'}
      />
    </section>
  );
}

function useReceipts(id: string, status: string, version: string) {
  const [rows, setRows] = useState<MailboxReport[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  const load = useCallback(
    async (cursor: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const page = await api.get<{ mailboxes: MailboxReport[]; next: string | null }>(
          `/retractions/${encodeURIComponent(id)}/mailboxes`,
          { status, limit: PAGE_SIZE, cursor },
        );
        if (mine !== generation.current) return;
        setRows((prev) => (cursor ? [...prev, ...page.mailboxes] : page.mailboxes));
        setNext(page.next);
        setError(null);
      } catch (err) {
        if (mine === generation.current) setError(err);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [id, status],
  );

  // FIXME: while a retraction runs, every progress tick reloads the first
  // page and drops the pages the reader scrolled to: fine for hundreds of
  // mailboxes, jumpy for thousands. Merging changed rows in place would fix it.
  useEffect(() => {
    void load(null);
  }, [load, version]);

  const loadMore = useCallback(() => {
    if (next && !loading) void load(next);
  }, [load, next, loading]);
  return { rows, error, loadMore, loading };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
