import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import type {
  CreatedRetraction,
  RetractionAction,
  RetractionDetail,
  TraceFilter,
} from '../api/types.js';
import { isSettled, useRetractionProgress } from '../hooks/use-retraction-progress.js';
import { ErrorBanner } from './error-banner.js';
import { ProgressBar } from './progress-bar.js';

/** What to retract: chosen messages, or every message the query matches. */
export type RetractTarget =
  | { kind: 'messages'; messageIds: string[] }
  | { kind: 'query'; traceQuery: TraceFilter; description: string };

type Step = 'choose' | 'previewing' | 'confirm' | 'running';

const ACTIONS: { value: RetractionAction; label: string; help: string }[] = [
  {
    value: 'quarantine',
    label: 'Move to quarantine',
    help: 'Each copy moves to a Quarantine folder the user cannot see in the usual views; Restore puts it back.',
  },
  {
    value: 'trash',
    label: 'Move to Trash',
    help: 'Each copy moves to the user’s Trash; Restore puts it back.',
  },
  {
    value: 'delete',
    label: 'Delete',
    help: 'Each copy is deleted for good. It cannot be restored.',
  },
];

/**
 * The retract flow: choose the action, run a dry run to see the reach,
 * confirm, then watch the real run and open its receipts.
 */
export function RetractPanel({ target, onClose }: { target: RetractTarget; onClose(): void }) {
  const [action, setAction] = useState<RetractionAction>('quarantine');
  const [step, setStep] = useState<Step>('choose');
  const [previewIds, setPreviewIds] = useState<string[]>([]);
  const [runIds, setRunIds] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const preview = useRetractionProgress(previewIds);
  const runs = useRetractionProgress(runIds);

  async function create(dryRun: boolean): Promise<string[]> {
    const source =
      target.kind === 'messages'
        ? { messageIds: target.messageIds }
        : { traceQuery: target.traceQuery };
    const answer = await api.post<{ retractions: CreatedRetraction[] }>('/retractions', {
      ...source,
      action,
      dryRun,
    });
    return answer.retractions.map((r) => r.id);
  }

  async function startPreview() {
    setError(null);
    try {
      setPreviewIds(await create(true));
      setStep('previewing');
    } catch (err) {
      setError(err);
    }
  }

  async function startRun() {
    setError(null);
    try {
      setRunIds(await create(false));
      setStep('running');
    } catch (err) {
      setError(err);
    }
  }

  const previewDone = previewIds.length > 0 && previewIds.every((id) => isSettled(preview[id]));
  return (
    <section className="card retract-panel" aria-labelledby="retract-title">
      <FocusedHeading level={2} id="retract-title">
        Retract {describeTarget(target)}
      </FocusedHeading>
      <ErrorBanner error={error} />
      {step === 'choose' ? (
        <ActionChoice action={action} onChange={setAction} />
      ) : (
        <p>
          Action: <strong>{ACTIONS.find((a) => a.value === action)?.label}</strong>
        </p>
      )}
      {step !== 'choose' ? (
        <RunSummary title="Dry run (nothing changed)" ids={previewIds} details={preview} />
      ) : null}
      {step === 'running' ? (
        <RunSummary title="Retraction" ids={runIds} details={runs} live />
      ) : null}
      <div className="button-row">
        {step === 'choose' ? (
          <button type="button" className="button-primary" onClick={() => void startPreview()}>
            Preview (dry run)
          </button>
        ) : null}
        {step === 'previewing' ? (
          <button
            type="button"
            className="button-danger"
            disabled={!previewDone}
            onClick={() => setStep('confirm')}
          >
            {previewDone ? 'Retract…' : 'Searching mailboxes…'}
          </button>
        ) : null}
        {step === 'confirm' ? (
          <ConfirmRun
            action={action}
            details={previewIds.map((id) => preview[id])}
            onConfirm={() => void startRun()}
            onCancel={() => setStep('previewing')}
          />
        ) : null}
        <button type="button" className="button-quiet" onClick={onClose}>
          {step === 'running' ? 'Close' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}

function ActionChoice(props: { action: RetractionAction; onChange(a: RetractionAction): void }) {
  return (
    <fieldset className="action-choice">
      <legend>What to do with each copy</legend>
      {ACTIONS.map((a) => (
        <label key={a.value} className="radio-line">
          <input
            type="radio"
            name="retract-action"
            value={a.value}
            checked={props.action === a.value}
            onChange={() => props.onChange(a.value)}
          />
          <span>
            <strong>{a.label}</strong> — {a.help}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function ConfirmRun(props: {
  action: RetractionAction;
  details: (RetractionDetail | undefined)[];
  onConfirm(): void;
  onCancel(): void;
}) {
  const mailboxes = props.details.reduce((n, d) => n + (d?.counts.found ?? 0), 0);
  const copies = props.details.reduce((n, d) => n + (d?.counts.copies ?? 0), 0);
  return (
    <div className="confirm-box" role="alertdialog" aria-labelledby="confirm-text">
      <p id="confirm-text">{confirmQuestion(props.action, copies, mailboxes)}</p>
      <button type="button" className="button-danger" autoFocus onClick={props.onConfirm}>
        Yes, retract
      </button>
      <button type="button" className="button-quiet" onClick={props.onCancel}>
        Back
      </button>
    </div>
  );
}

function RunSummary(props: {
  title: string;
  ids: string[];
  details: Record<string, RetractionDetail>;
  live?: boolean;
}) {
  const all = props.ids.map((id) => props.details[id]);
  const sum = (pick: (d: RetractionDetail) => number) =>
    all.reduce((n, d) => n + (d ? pick(d) : 0), 0);
  const mailboxes = sum((d) => d.counts.mailboxes);
  const done = mailboxes - sum((d) => d.counts.pending);
  return (
    <div className="run-summary" aria-live="polite">
      {props.live ? (
        <FocusedHeading level={3}>{props.title}</FocusedHeading>
      ) : (
        <h3>{props.title}</h3>
      )}
      <ProgressBar value={done} max={mailboxes} label={`${props.title}: mailboxes done`} />
      <dl className="counts">
        <dt>Mailboxes</dt>
        <dd data-count="mailboxes">{mailboxes}</dd>
        <dt>{props.live ? 'Retracted' : 'With copies'}</dt>
        <dd data-count={props.live ? 'retracted' : 'found'}>
          {sum((d) => (props.live ? d.counts.retracted : d.counts.found))}
        </dd>
        <dt>Copies found</dt>
        <dd data-count="copies">{sum((d) => d.counts.copies)}</dd>
        <dt>Not found</dt>
        <dd data-count="not_found">{sum((d) => d.counts.not_found)}</dd>
        <dt>Failed</dt>
        <dd data-count="failed">{sum((d) => d.counts.failed)}</dd>
      </dl>
      <ul className="run-links">
        {props.ids.map((id) => (
          <li key={id}>
            <Link to={`/retractions/${id}`}>
              {props.live ? 'Receipts' : 'Dry-run receipts'} for{' '}
              {props.details[id]?.messageId ?? id}
            </Link>{' '}
            <span className="muted">{props.details[id]?.status ?? 'starting'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A heading that takes focus when it appears: the control that opened it
 * (or the confirm button just pressed) is gone or far away, and keyboard
 * and screen reader users should land where the news is.
 */
function FocusedHeading(props: { level: 2 | 3; id?: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const Tag = props.level === 2 ? 'h2' : 'h3';
  return (
    <Tag ref={ref} id={props.id} tabIndex={-1} className="focus-target">
      {props.children}
    </Tag>
  );
}

function confirmQuestion(action: RetractionAction, copies: number, mailboxes: number): string {
  const what = `${copies.toLocaleString()} ${copies === 1 ? 'copy' : 'copies'} in ${mailboxes.toLocaleString()} ${mailboxes === 1 ? 'mailbox' : 'mailboxes'}`;
  if (action === 'quarantine') return `Move ${what} to quarantine?`;
  if (action === 'trash') return `Move ${what} to Trash?`;
  return `Delete ${what} for good? Deleted mail cannot be restored.`;
}

function describeTarget(target: RetractTarget): string {
  if (target.kind === 'query') return target.description;
  const n = target.messageIds.length;
  return n === 1 ? '1 message' : `${n} messages`;
}
