import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import type { DeliveryStatus, TraceFilter } from '../api/types.js';

const QUICK_RANGES = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'all', label: 'Any time' },
  { value: 'custom', label: 'Custom range' },
] as const;

type RangeChoice = (typeof QUICK_RANGES)[number]['value'];

const STATUSES: { value: '' | DeliveryStatus; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'deferred', label: 'Deferred' },
  { value: 'bounced', label: 'Bounced' },
  { value: 'expired', label: 'Expired' },
  { value: 'filtered', label: 'Kept by a content filter' },
];

interface FormState {
  range: RangeChoice;
  from: string;
  to: string;
  sender: string;
  recipient: string;
  subject: string;
  subjectWords: string;
  clientAddress: string;
  messageId: string;
  queueId: string;
  status: '' | DeliveryStatus;
}

const EMPTY: FormState = {
  range: '7d',
  from: '',
  to: '',
  sender: '',
  recipient: '',
  subject: '',
  subjectWords: '',
  clientAddress: '',
  messageId: '',
  queueId: '',
  status: '',
};

/** The form's label of each filter the API may name in an error. */
const FILTER_LABELS: Readonly<Record<keyof TraceFilter, string>> = {
  messageId: 'Message-ID',
  sender: 'Sender',
  recipient: 'Recipient',
  subject: 'Subject contains',
  subjectWords: 'Subject has the words',
  clientAddress: 'Client IP address',
  queueId: 'Queue ID',
  status: 'Status',
  after: 'From (your time)',
  before: 'To (your time)',
};

/**
 * A search error as the form's reader knows the field: the API names its own
 * field (`clientAddress: must be an IPv4 or IPv6 address`), the form shows a
 * label (`Client IP address: ...`). Other errors pass through.
 */
export function labelFilterError(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.field === undefined) return error;
  const label = FILTER_LABELS[error.field as keyof TraceFilter] as string | undefined;
  if (label === undefined) return error;
  const prefix = `${error.field}: `;
  const text = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  return new ApiError(error.status, error.code, `${label}: ${text}`, error.field);
}

/** What a search by sender, subject and time around a delivery fills in. */
export interface FilterPreset {
  sender: string;
  subject: string | null;
  /** ISO 8601; the range becomes this instant ± `PRESET_WINDOW_MS`. */
  around: string;
}

/** How far either side of a message's time a "same sender, subject and time" search looks. */
const PRESET_WINDOW_MS = 60 * 60 * 1000;

/** `datetime-local` text of an instant, in the reader's zone. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** The filter a preset searches with: the same sender, subject and window the form shows. */
export function presetFilter(preset: FilterPreset): TraceFilter {
  const at = Date.parse(preset.around);
  return {
    sender: preset.sender,
    ...(preset.subject ? { subject: preset.subject } : {}),
    after: new Date(at - PRESET_WINDOW_MS).toISOString(),
    before: new Date(at + PRESET_WINDOW_MS).toISOString(),
  };
}

function formOf(preset: FilterPreset | undefined): FormState {
  if (!preset) return EMPTY;
  const at = Date.parse(preset.around);
  return {
    ...EMPTY,
    range: 'custom',
    from: toLocalInput(at - PRESET_WINDOW_MS),
    to: toLocalInput(at + PRESET_WINDOW_MS),
    sender: preset.sender,
    subject: preset.subject ?? '',
  };
}

/** The Mail Query's search form; hands the filter to `onSearch` as the API takes it. */
export function TraceFilterForm({
  onSearch,
  preset,
}: {
  onSearch(filter: TraceFilter): void;
  /** Fields to start from; remount the form (a new `key`) to apply another. */
  preset?: FilterPreset;
}) {
  const [form, setForm] = useState<FormState>(() => formOf(preset));
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(toFilter(form));
  }

  return (
    <form className="card filter-form" onSubmit={submit} aria-label="Search the message trace">
      <div className="field">
        <label htmlFor="q-range">Time range</label>
        <select
          id="q-range"
          value={form.range}
          onChange={(e) => set('range', e.target.value as RangeChoice)}
        >
          {QUICK_RANGES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      {form.range === 'custom' ? (
        <>
          <TextField
            id="q-from"
            label="From (your time)"
            type="datetime-local"
            value={form.from}
            onChange={(v) => set('from', v)}
          />
          <TextField
            id="q-to"
            label="To (your time)"
            type="datetime-local"
            value={form.to}
            onChange={(v) => set('to', v)}
          />
        </>
      ) : null}
      <TextField
        id="q-sender"
        label="Sender"
        value={form.sender}
        onChange={(v) => set('sender', v)}
      />
      <TextField
        id="q-recipient"
        label="Recipient"
        value={form.recipient}
        onChange={(v) => set('recipient', v)}
      />
      <TextField
        id="q-subject"
        label="Subject contains"
        value={form.subject}
        onChange={(v) => set('subject', v)}
      />
      <TextField
        id="q-subject-words"
        label="Subject has the words"
        value={form.subjectWords}
        onChange={(v) => set('subjectWords', v)}
      />
      <TextField
        id="q-message-id"
        label="Message-ID"
        value={form.messageId}
        onChange={(v) => set('messageId', v)}
      />
      <TextField
        id="q-client"
        label={FILTER_LABELS.clientAddress}
        value={form.clientAddress}
        onChange={(v) => set('clientAddress', v)}
      />
      <TextField
        id="q-queue-id"
        label={FILTER_LABELS.queueId}
        value={form.queueId}
        onChange={(v) => set('queueId', v)}
      />
      <div className="field">
        <label htmlFor="q-status">Status</label>
        <select
          id="q-status"
          value={form.status}
          onChange={(e) => set('status', e.target.value as FormState['status'])}
        >
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-actions">
        <button type="submit" className="button-primary">
          Search
        </button>
        <button type="button" className="button-quiet" onClick={() => setForm(EMPTY)}>
          Clear
        </button>
      </div>
    </form>
  );
}

function TextField(props: {
  id: string;
  label: string;
  value: string;
  type?: string;
  onChange(value: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

function toFilter(form: FormState): TraceFilter {
  const filter: TraceFilter = {};
  if (form.sender.trim()) filter.sender = form.sender.trim();
  if (form.recipient.trim()) filter.recipient = form.recipient.trim();
  if (form.subject.trim()) filter.subject = form.subject.trim();
  if (form.subjectWords.trim()) filter.subjectWords = form.subjectWords.trim();
  if (form.clientAddress.trim()) filter.clientAddress = form.clientAddress.trim();
  if (form.messageId.trim()) filter.messageId = form.messageId.trim();
  if (form.queueId.trim()) filter.queueId = form.queueId.trim();
  if (form.status) filter.status = form.status;
  if (form.range === 'custom') {
    // datetime-local is the reader's wall clock; the API wants an instant.
    if (form.from) filter.after = new Date(form.from).toISOString();
    if (form.to) filter.before = new Date(form.to).toISOString();
  } else if (form.range !== 'all') {
    filter.after = form.range === '1h' ? '60m' : form.range;
  }
  return filter;
}

/** A filter in words, for headings and confirmations; empty for no filter. */
export function describeFilter(filter: TraceFilter): string {
  const parts: string[] = [];
  if (filter.sender) parts.push(`from ${filter.sender}`);
  if (filter.recipient) parts.push(`to ${filter.recipient}`);
  if (filter.subject) parts.push(`subject containing “${filter.subject}”`);
  if (filter.subjectWords) parts.push(`subject with the words “${filter.subjectWords}”`);
  if (filter.clientAddress) parts.push(`sent in by ${filter.clientAddress}`);
  if (filter.messageId) parts.push(`Message-ID ${filter.messageId}`);
  if (filter.queueId) parts.push(`queue id ${filter.queueId}`);
  if (filter.status) parts.push(filter.status);
  if (filter.after) parts.push(`since ${filter.after}`);
  if (filter.before) parts.push(`before ${filter.before}`);
  return parts.join(', ');
}
