import type { MessageReach } from '../api/types.js';
import { LocalTime } from './local-time.js';
import { VirtualTable, type Column } from './virtual-table.js';

export interface TraceTableProps {
  messages: readonly MessageReach[];
  /** Message-IDs ticked; absent when the reader may not retract. */
  selected?: ReadonlySet<string>;
  onToggle?(messageId: string): void;
  onToggleAll?(): void;
  onNearEnd?(): void;
  totalRows?: number;
  onShowRecipients?(message: MessageReach): void;
  /** For mail without a Message-ID: search by its sender, subject and time instead. */
  onFindSimilar?(message: MessageReach): void;
}

/** A row's key: the Message-ID, or the queue id of mail that carried none. */
export function messageKey(m: MessageReach): string {
  return m.messageId ?? `queue:${m.queueId ?? ''}`;
}

function nameOf(m: MessageReach): string {
  return m.subject || m.messageId || `the message in queue ${m.queueId ?? ''}`;
}

/** Statuses other than delivered, in the order the trace lists them. */
const UNDELIVERED = ['deferred', 'bounced', 'expired', 'filtered'] as const;

/** `2 filtered, 1 bounced`: its recipients in every status but delivered; empty when none. */
export function describeUndelivered(m: MessageReach): string {
  return UNDELIVERED.flatMap((s) => (m.byStatus[s] ? [`${m.byStatus[s]} ${s}`] : [])).join(', ');
}

/** Delivered to no mailbox (filtered, bounced, still deferred): nothing to retract. */
export function reachedNobody(m: MessageReach): boolean {
  return m.recipients === 0;
}

/**
 * The Mail Query's results: one row per message, with how many mailboxes it
 * was delivered to and, apart, its recipients in other statuses.
 */
export function TraceTable(props: TraceTableProps) {
  const { messages, selected } = props;
  const columns: Column<MessageReach>[] = [];
  if (selected && props.onToggle) columns.push(selectColumn(props, selected));
  columns.push(
    {
      key: 'time',
      header: 'First delivered',
      width: '13rem',
      cell: (m) =>
        m.firstDelivered !== null ? (
          <LocalTime value={m.firstDelivered} />
        ) : (
          <span title="Delivered to no mailbox">—</span>
        ),
    },
    {
      key: 'subject',
      header: 'Subject',
      cell: (m) => <span title={m.subject ?? ''}>{m.subject || <em>(no subject)</em>}</span>,
    },
    {
      key: 'messageId',
      header: 'Message-ID',
      width: '30%',
      cell: (m) =>
        m.messageId !== null ? (
          <code className="mono" title={m.messageId}>
            {m.messageId}
          </code>
        ) : (
          <NoMessageId
            message={m}
            {...(props.onFindSimilar ? { onFind: props.onFindSimilar } : {})}
          />
        ),
    },
    {
      key: 'recipients',
      header: 'Recipients',
      width: '8rem',
      className: 'num',
      cell: (m) =>
        props.onShowRecipients ? (
          <button
            type="button"
            className="link-button"
            onClick={() => props.onShowRecipients?.(m)}
            aria-label={`${m.recipients} delivered of ${m.allRecipients} recipients of ${nameOf(m)}: show them`}
          >
            {m.recipients.toLocaleString()}
          </button>
        ) : (
          m.recipients.toLocaleString()
        ),
    },
    {
      key: 'undelivered',
      header: 'Not delivered',
      width: '10rem',
      cell: (m) => <span className="muted">{describeUndelivered(m) || '—'}</span>,
    },
  );
  return (
    <VirtualTable
      rows={messages}
      columns={columns}
      rowKey={messageKey}
      label="Messages found"
      {...(props.totalRows === undefined ? {} : { totalRows: props.totalRows })}
      {...(props.onNearEnd ? { onNearEnd: props.onNearEnd } : {})}
      rowClassName={(m) => (selected?.has(messageKey(m)) ? 'row-selected' : undefined)}
      empty="No message matches these filters."
    />
  );
}

function selectColumn(props: TraceTableProps, selected: ReadonlySet<string>): Column<MessageReach> {
  const selectable = props.messages.filter((m) => m.messageId !== null && !reachedNobody(m));
  const all = selectable.length > 0 && selectable.every((m) => selected.has(messageKey(m)));
  return {
    key: 'select',
    width: '3rem',
    header: (
      <input
        type="checkbox"
        aria-label="Select every message shown"
        checked={all}
        onChange={() => props.onToggleAll?.()}
      />
    ),
    cell: (m) =>
      m.messageId === null ? (
        <input
          type="checkbox"
          disabled
          aria-label={`${nameOf(m)} has no Message-ID and cannot be retracted by one`}
          title="No Message-ID: it cannot be retracted by one"
        />
      ) : reachedNobody(m) ? (
        <input
          type="checkbox"
          disabled
          aria-label={`${nameOf(m)} was delivered to no mailbox: there is nothing to retract`}
          title={`Delivered to no mailbox (${describeUndelivered(m)}): nothing to retract`}
        />
      ) : (
        <input
          type="checkbox"
          aria-label={`Select ${nameOf(m)}`}
          checked={selected.has(m.messageId)}
          onChange={() => props.onToggle?.(m.messageId!)}
        />
      ),
  };
}

/** The Message-ID cell of mail that carried none: says so, and offers another way to find it. */
function NoMessageId(props: { message: MessageReach; onFind?(message: MessageReach): void }) {
  const m = props.message;
  return (
    <span className="no-message-id">
      <span className="badge badge-warn" title={`Queue id ${m.queueId ?? ''}`}>
        No Message-ID
      </span>{' '}
      {props.onFind ? (
        <button
          type="button"
          className="link-button"
          onClick={() => props.onFind?.(m)}
          aria-label={`Find by sender: search by the sender, subject and time of ${nameOf(m)}`}
          title="Search by its sender, subject and time"
        >
          Find by sender
        </button>
      ) : null}
    </span>
  );
}
