const TONES: Record<string, string> = {
  retracted: 'ok',
  restored: 'ok',
  completed: 'ok',
  found: 'info',
  not_found: 'muted',
  running: 'info',
  queued: 'muted',
  failed: 'bad',
  partial: 'warn',
  cancelled: 'warn',
};

/** A state word with a colour that only repeats what the word says. */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span className="muted">—</span>;
  return (
    <span className={`badge badge-${TONES[status] ?? 'info'}`}>{status.replace('_', ' ')}</span>
  );
}
