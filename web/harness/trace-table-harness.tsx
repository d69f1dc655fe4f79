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

const messages: MessageReach[] = Array.from({ length: count }, (_, i) => ({
  messageId: `harness-${i}@sender.example`,
  queueId: null,
  sender: 'bulk@sender.example',
  recipients: 1 + (i % 60),
  subject: `Message number ${i}`,
  firstDelivered: new Date(START_MS + i * 60_000).toISOString(),
}));

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
