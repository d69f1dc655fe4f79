import { useEffect, useState } from 'react';
import { api } from '../api/api-client.js';
import type { RetractionCounts, RetractionDetail } from '../api/types.js';

// Finished retractions do not change, so their counts are read once per page
// load; running ones are read again each time their row is drawn.
const settled = new Map<string, RetractionCounts>();

/**
 * A retraction's counts in one line, read when its row scrolls into view:
 * the list answer carries no counts, and the table draws only visible rows.
 */
export function RetractionCountsCell({ id }: { id: string }) {
  const [counts, setCounts] = useState<RetractionCounts | undefined>(() => settled.get(id));

  useEffect(() => {
    if (settled.has(id)) return;
    const controller = new AbortController();
    api.get<RetractionDetail>(`/retractions/${encodeURIComponent(id)}`, {}, controller.signal).then(
      (detail) => {
        if (detail.status !== 'running' && !detail.busy) settled.set(id, detail.counts);
        setCounts(detail.counts);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [id]);

  if (!counts) return <span className="muted">…</span>;
  return <span title={describe(counts)}>{summarise(counts)}</span>;
}

function summarise(c: RetractionCounts): string {
  const outcomes: [number, string][] = [
    [c.retracted, 'retracted'],
    [c.found, 'found'],
    [c.restored, 'restored'],
    [c.failed, 'failed'],
    [c.pending, 'pending'],
  ];
  const parts = outcomes.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
  return `${c.mailboxes}: ${parts.length > 0 ? parts.join(', ') : 'no copy found'}`;
}

function describe(c: RetractionCounts): string {
  return `${c.mailboxes} mailboxes: ${c.retracted} retracted, ${c.found} found by a dry run, ${c.not_found} not found, ${c.failed} failed, ${c.restored} restored, ${c.pending} pending; ${c.copies} copies`;
}
