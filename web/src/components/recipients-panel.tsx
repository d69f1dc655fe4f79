import { api } from '../api/api-client.js';
import type { Delivery, MessageReach } from '../api/types.js';
import { useApiData } from '../hooks/use-api-data.js';
import { ErrorBanner } from './error-banner.js';
import { LocalTime } from './local-time.js';
import { VirtualTable, type Column } from './virtual-table.js';

const COLUMNS: Column<Delivery>[] = [
  // Rows of every status (bounced, filtered, …), not only deliveries that reached a mailbox.
  { key: 'time', header: 'Time', width: '13rem', cell: (d) => <LocalTime value={d.time} /> },
  { key: 'recipient', header: 'Recipient', cell: (d) => d.recipient },
  { key: 'sender', header: 'Sender', cell: (d) => d.sender || <em>(empty)</em> },
  { key: 'status', header: 'Status', width: '7rem', cell: (d) => d.status },
  {
    key: 'relay',
    header: 'Relay',
    cell: (d) => <span title={d.detail ?? ''}>{d.relay ?? '—'}</span>,
  },
];

/** Every delivery of one message: who got it, when, and what the MTA said. */
export function RecipientsPanel(props: { message: MessageReach; onClose(): void }) {
  const { messageId, queueId } = props.message;
  // Mail without a Message-ID is one queue id's deliveries.
  const query = messageId !== null ? { messageId } : { queueId: queueId ?? '' };
  const name = messageId ?? `queue ${queueId ?? ''}`;
  const deliveries = useApiData(
    (signal) =>
      api.get<{ deliveries: Delivery[] }>('/trace/deliveries', { ...query, limit: 1000 }, signal),
    name,
  );
  return (
    <section className="card" aria-labelledby="recipients-title">
      <div className="card-head">
        <h2 id="recipients-title">Deliveries of {props.message.subject ?? name}</h2>
        <button type="button" className="button-quiet" onClick={props.onClose}>
          Close
        </button>
      </div>
      <ErrorBanner error={deliveries.error} />
      <VirtualTable
        rows={deliveries.data?.deliveries ?? []}
        columns={COLUMNS}
        rowKey={(d, i) => `${d.recipient}-${i}`}
        label={`Deliveries of ${name}`}
        heightPx={360}
        empty={deliveries.loading ? 'Loading…' : 'No deliveries.'}
      />
    </section>
  );
}
