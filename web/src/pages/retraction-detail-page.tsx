import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/api-client.js';
import { useSession } from '../api/session-context.js';
import type { MailboxReport, RetractionDetail } from '../api/types.js';
import { adviceFor } from '../components/error-advice.js';
import { ErrorBanner, NoticeBanner } from '../components/error-banner.js';
import { LocalTime } from '../components/local-time.js';
import { ProgressBar } from '../components/progress-bar.js';
import { ReceiptsTable } from '../components/receipts-table.js';
import { StatusBadge } from '../components/status-badge.js';
import { useApiData } from '../hooks/use-api-data.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';
import { isSettled, useRetractionProgress } from '../hooks/use-retraction-progress.js';

/** One retraction: counts, live progress, errors with advice, receipts, restore. */
export function RetractionDetailPage() {
  const { id = '' } = useParams();
  useDocumentTitle(`Retraction ${id.slice(0, 8)}`);
  const loaded = useApiData(
    (signal) => api.get<RetractionDetail>(`/retractions/${encodeURIComponent(id)}`, {}, signal),
    id,
  );
  const [watchKey, setWatchKey] = useState(0);
  const live = useRetractionProgress(loaded.data ? [id] : [], watchKey);
  const detail = live[id] ?? loaded.data;

  if (loaded.error) return <ErrorBanner error={loaded.error} title="Cannot open this retraction" />;
  if (!detail) return <p role="status">Loading…</p>;
  const version = JSON.stringify([detail.counts, detail.status, detail.restoreStatus]);
  return (
    <section aria-labelledby="page-title">
      <p>
        <Link to="/retractions">← All retractions</Link>
      </p>
      <h1 id="page-title">
        {detail.dryRun ? 'Dry run' : 'Retraction'} of{' '}
        <code className="mono">{detail.messageId}</code>
      </h1>
      <Summary detail={detail} />
      <Actions detail={detail} onStarted={() => setWatchKey((k) => k + 1)} />
      <FailureSummary retractionId={id} version={version} failed={detail.counts.failed} />
      <ReceiptsTable retractionId={id} version={version} />
    </section>
  );
}

function Summary({ detail }: { detail: RetractionDetail }) {
  const c = detail.counts;
  return (
    <div className="card">
      <dl className="facts">
        <dt>Action</dt>
        <dd>
          {detail.action}
          {detail.dryRun ? ' (dry run: nothing changed)' : ''}
        </dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={detail.status} />
        </dd>
        <dt>Restore</dt>
        <dd>
          <StatusBadge status={detail.restoreStatus} />
        </dd>
        <dt>Requested</dt>
        <dd>
          <LocalTime value={detail.createdAt} /> by {detail.requestedBy}
        </dd>
        <dt>Finished</dt>
        <dd>
          <LocalTime value={detail.finishedAt} />
        </dd>
      </dl>
      <ProgressBar value={c.mailboxes - c.pending} max={c.mailboxes} label="Mailboxes done" />
      <dl className="counts" aria-label="Counts">
        <dt>Mailboxes</dt>
        <dd data-count="mailboxes">{c.mailboxes}</dd>
        <dt>Retracted</dt>
        <dd data-count="retracted">{c.retracted}</dd>
        <dt>Found (dry run)</dt>
        <dd data-count="found">{c.found}</dd>
        <dt>Not found</dt>
        <dd data-count="not_found">{c.not_found}</dd>
        <dt>Failed</dt>
        <dd data-count="failed">{c.failed}</dd>
        <dt>Restored</dt>
        <dd data-count="restored">{c.restored}</dd>
        <dt>Cancelled</dt>
        <dd data-count="cancelled">{c.cancelled}</dd>
        <dt>Pending</dt>
        <dd data-count="pending">{c.pending}</dd>
        <dt>Copies</dt>
        <dd data-count="copies">{c.copies}</dd>
      </dl>
    </div>
  );
}

function Actions({ detail, onStarted }: { detail: RetractionDetail; onStarted(): void }) {
  const { can } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const base = `/retractions/${encodeURIComponent(detail.id)}`;
  const restorable =
    !detail.dryRun &&
    detail.action !== 'delete' &&
    isSettled(detail) &&
    detail.counts.retracted > 0;

  async function call(path: string, done: string) {
    setError(null);
    setConfirming(false);
    try {
      await api.post(path);
      setNotice(done);
      onStarted();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="button-row">
      <a className="button-quiet" href={`/api/v1${base}/mailboxes/export.csv`} download>
        Export receipts (CSV)
      </a>
      {can('retractions:write') && detail.status === 'running' ? (
        <button
          type="button"
          className="button-quiet"
          onClick={() =>
            void call(`${base}/cancel`, 'Cancelling: queued mailboxes will be skipped.')
          }
        >
          Cancel retraction
        </button>
      ) : null}
      {can('retractions:write') && restorable && !confirming ? (
        <button type="button" className="button-primary" onClick={() => setConfirming(true)}>
          Restore…
        </button>
      ) : null}
      {confirming ? (
        <div className="confirm-box" role="alertdialog" aria-labelledby="restore-confirm">
          <p id="restore-confirm">
            Put {detail.counts.copies} copies in {detail.counts.retracted} mailboxes back in the
            folders they were found in?
          </p>
          <button
            type="button"
            className="button-primary"
            autoFocus
            onClick={() => void call(`${base}/restore`, 'Restore started.')}
          >
            Yes, restore
          </button>
          <button type="button" className="button-quiet" onClick={() => setConfirming(false)}>
            Back
          </button>
        </div>
      ) : null}
      <ErrorBanner error={error} />
      <NoticeBanner message={notice} />
    </div>
  );
}

/** Failed mailboxes grouped by error code, each with its class and what to do. */
function FailureSummary(props: { retractionId: string; version: string; failed: number }) {
  const failures = useApiData(
    (signal) =>
      props.failed === 0
        ? Promise.resolve({ mailboxes: [] as MailboxReport[] })
        : api.get<{ mailboxes: MailboxReport[] }>(
            `/retractions/${encodeURIComponent(props.retractionId)}/mailboxes`,
            { status: 'failed', limit: 1000 },
            signal,
          ),
    `${props.retractionId}:${props.version}`,
  );
  const groups = groupErrors(failures.data?.mailboxes ?? []);
  if (groups.length === 0) return null;
  return (
    <section className="card card-warn" aria-labelledby="errors-title">
      <h2 id="errors-title">Errors</h2>
      <ul className="error-list">
        {groups.map((g) => (
          <li key={g.code}>
            <p>
              <strong>
                {g.count} mailbox{g.count === 1 ? '' : 'es'}
              </strong>{' '}
              — class <strong>{g.failureClass}</strong>, <code>{g.code}</code>: {g.message}
            </p>
            <p className="advice">What to do: {adviceFor(g.failureClass, g.code)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function groupErrors(mailboxes: MailboxReport[]) {
  const groups = new Map<
    string,
    { code: string; failureClass: string; message: string; count: number }
  >();
  for (const m of mailboxes) {
    if (!m.error) continue;
    const g = groups.get(m.error.code);
    if (g) g.count += 1;
    else
      groups.set(m.error.code, {
        code: m.error.code,
        failureClass: m.error.class,
        message: m.error.message,
        count: 1,
      });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
