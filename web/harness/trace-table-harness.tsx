// Test page for test/web/trace-table.test.ts: the real TraceTable with as many
// generated messages as `?rows=` asks for. Served by Vite's dev server only;
// the production build ships index.html alone.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { MessageReach } from '../src/api/types.js';
import { TraceTable } from '../src/components/trace-table.js';
import '../src/styles.css';

const count = Number(new URLSearchParams(location.search).get('rows') ?? '10000');
const START_MS = Date.UTC(2026, 10, 1);

// Every 61st message (60, 121, …) reached no mailbox: a content filter took it for 3 recipients.
const messages: MessageReach[] = Array.from({ length: count }, (_, i) => {
  const time = new Date(START_MS + i * 60_000).toISOString();
  const nobody = i % 61 === 60;
  const recipients = nobody ? 0 : 1 + (i % 60);
  const byStatus: Record<string, number> = nobody ? { filtered: 3 } : { delivered: recipients };
  return {
    messageId: `harness-${i}@sender.example`,
    queueId: null,
    sender: 'bulk@sender.example',
    recipients,
    allRecipients: nobody ? 3 : recipients,
    byStatus,
    subject: `Message number ${i}`,
    firstSeen: time,
    firstDelivered: nobody ? null : time,
  };
});

function Harness() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <>
      <p id="selected-count">{selected.size} selected</p>
      <TraceTable
        messages={messages}
        selected={selected}
        onToggle={toggle}
        onToggleAll={() => setSelected(new Set(messages.map((m) => m.messageId!)))}
      />
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
