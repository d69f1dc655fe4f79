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

/** The Mail Query's results: one row per message, with how many mailboxes it reached. */
export function TraceTable(props: TraceTableProps) {
  const { messages, selected } = props;
  const columns: Column<MessageReach>[] = [];
  if (selected && props.onToggle) columns.push(selectColumn(props, selected));
  columns.push(
    {
      key: 'time',
      header: 'First delivered',
      width: '13rem',
      cell: (m) => <LocalTime value={m.firstDelivered} />,
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
            aria-label={`${m.recipients} recipients of ${nameOf(m)}: show them`}
          >
            {m.recipients.toLocaleString()}
          </button>
        ) : (
          m.recipients.toLocaleString()
        ),
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
  const selectable = props.messages.filter((m) => m.messageId !== null);
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
