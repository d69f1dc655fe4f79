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
      cell: (m) => (
        <code className="mono" title={m.messageId}>
          {m.messageId}
        </code>
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
            aria-label={`${m.recipients} recipients of ${m.subject ?? m.messageId}: show them`}
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
      rowKey={(m) => m.messageId}
      label="Messages found"
      {...(props.totalRows === undefined ? {} : { totalRows: props.totalRows })}
      {...(props.onNearEnd ? { onNearEnd: props.onNearEnd } : {})}
      rowClassName={(m) => (selected?.has(m.messageId) ? 'row-selected' : undefined)}
      empty="No message matches these filters."
    />
  );
}

function selectColumn(props: TraceTableProps, selected: ReadonlySet<string>): Column<MessageReach> {
  const all = props.messages.length > 0 && props.messages.every((m) => selected.has(m.messageId));
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
    cell: (m) => (
      <input
        type="checkbox"
        aria-label={`Select ${m.subject ?? m.messageId}`}
        checked={selected.has(m.messageId)}
        onChange={() => props.onToggle?.(m.messageId)}
      />
    ),
  };
}
