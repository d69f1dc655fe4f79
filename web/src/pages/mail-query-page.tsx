import { useCallback, useRef, useState } from 'react';
import { api } from '../api/api-client.js';
import { useSession } from '../api/session-context.js';
import type { MessageReach, TraceFilter } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { LogImportForm } from '../components/log-import-form.js';
import { RecipientsPanel } from '../components/recipients-panel.js';
import { RetractPanel, type RetractTarget } from '../components/retract-panel.js';
import {
  describeFilter,
  labelFilterError,
  presetFilter,
  TraceFilterForm,
  type FilterPreset,
} from '../components/trace-filter-form.js';
import { reachedNobody, TraceTable } from '../components/trace-table.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/** The API's page limit; the widest messages come first, so a cap keeps the ones that matter. */
const MAX_MESSAGES = 1000;

/** Message Trace → Mail Query: search, pick messages, retract them. */
export function MailQueryPage() {
  useDocumentTitle('Mail Query');
  const { can } = useSession();
  const mayRetract = can('retractions:write');
  const results = useMessageSearch();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [target, setTarget] = useState<RetractTarget | null>(null);
  const [recipientsOf, setRecipientsOf] = useState<MessageReach | null>(null);
  const [preset, setPreset] = useState<{ key: number; preset: FilterPreset } | null>(null);
  // Mail without a Message-ID cannot be searched for in Zimbra; mail that
  // reached no mailbox (filtered, bounced) has no copy to take back.
  const retractable = results.messages.flatMap((m) =>
    m.messageId === null || reachedNobody(m) ? [] : [m.messageId],
  );
  const nameless = results.messages.filter((m) => m.messageId === null).length;
  const undelivered = results.messages.filter((m) => m.messageId !== null && reachedNobody(m));

  function search(filter: TraceFilter) {
    setSelected(new Set());
    setAllMatching(false);
    setTarget(null);
    setRecipientsOf(null);
    void results.search(filter);
  }

  function toggle(messageId: string) {
    setAllMatching(false);
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(messageId)) next.delete(messageId);
      else next.add(messageId);
      return next;
    });
  }

  function toggleShown() {
    setAllMatching(false);
    const every = retractable.every((id) => selected.has(id));
    setSelected(every ? new Set() : new Set(retractable));
  }

  /** Mail without a Message-ID: look for it, and its siblings, by sender, subject and time. */
  function findSimilar(m: MessageReach) {
    const next = { sender: m.sender, subject: m.subject, around: m.firstDelivered ?? m.firstSeen };
    setPreset((p) => ({ key: (p?.key ?? 0) + 1, preset: next }));
    search(presetFilter(next));
  }

  function openRetract() {
    if (allMatching && results.filter) {
      setTarget({
        kind: 'query',
        traceQuery: results.filter,
        description: describeFilter(results.filter)
          ? `every message matching: ${describeFilter(results.filter)}`
          : 'every message in the trace',
      });
    } else {
      setTarget({ kind: 'messages', messageIds: [...selected] });
    }
  }

  const count = allMatching ? null : selected.size;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Mail Query</h1>
      {can('trace:write') ? <LogImportForm /> : null}
      <TraceFilterForm
        key={preset?.key ?? 0}
        onSearch={search}
        {...(preset ? { preset: preset.preset } : {})}
      />
      <ErrorBanner error={labelFilterError(results.error)} title="Search failed" />
      {results.filter && !results.error ? (
        <div className="results-bar">
          <p className="muted" role="status">
            {results.loading
              ? 'Searching…'
              : describeResults(results.messages.length, results.filter, results.capped)}
            {!results.loading && nameless > 0
              ? ` ${nameless.toLocaleString()} of them carried no Message-ID: they cannot be retracted by one and are left out of a retraction.`
              : ''}
            {!results.loading && undelivered.length > 0
              ? ` ${describeUndeliveredCount(undelivered.length)} delivered to no mailbox (filtered, bounced or still deferred): there is nothing to retract.`
              : ''}
          </p>
          {mayRetract && retractable.length > 0 ? (
            <div className="selection-bar">
              <span>
                {allMatching
                  ? 'All matching messages selected.'
                  : `${count?.toLocaleString()} selected.`}
              </span>
              <button
                type="button"
                className="button-quiet"
                aria-pressed={allMatching}
                onClick={() => setAllMatching((v) => !v)}
              >
                {allMatching ? 'Only the ticked ones' : 'Select all matching'}
              </button>
              <button
                type="button"
                className="button-danger"
                disabled={!allMatching && selected.size === 0}
                onClick={openRetract}
              >
                Retract…
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      {target ? (
        <RetractPanel
          key={JSON.stringify(target)}
          target={target}
          onClose={() => setTarget(null)}
        />
      ) : null}
      {results.filter && !results.error ? (
        <TraceTable
          messages={results.messages}
          {...(mayRetract
            ? {
                selected: allMatching ? new Set(retractable) : selected,
                onToggle: toggle,
                onToggleAll: toggleShown,
              }
            : {})}
          onShowRecipients={setRecipientsOf}
          onFindSimilar={findSimilar}
        />
      ) : null}
      {recipientsOf ? (
        <RecipientsPanel message={recipientsOf} onClose={() => setRecipientsOf(null)} />
      ) : null}
    </section>
  );
}

function describeUndeliveredCount(n: number): string {
  return n === 1 ? '1 of them was' : `${n.toLocaleString()} of them were`;
}

function describeResults(count: number, filter: TraceFilter, capped: boolean): string {
  const where = describeFilter(filter);
  const found = `${count.toLocaleString()} message${count === 1 ? '' : 's'}${where ? ` matching ${where}` : ''}`;
  return capped ? `${found}: the widest shown; narrow the search to see others.` : `${found}.`;
}

/** The current search; a newer search drops the answer of an older one. */
function useMessageSearch() {
  const [filter, setFilter] = useState<TraceFilter | null>(null);
  const [messages, setMessages] = useState<MessageReach[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);

  const search = useCallback(async (f: TraceFilter) => {
    const mine = ++generation.current;
    setFilter(f);
    setMessages([]);
    setLoading(true);
    try {
      const page = await api.get<{ messages: MessageReach[] }>('/trace/messages', {
        ...f,
        limit: MAX_MESSAGES,
      });
      if (mine !== generation.current) return;
      setMessages(page.messages);
      setError(null);
    } catch (err) {
      if (mine === generation.current) setError(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  return { filter, messages, loading, error, search, capped: messages.length >= MAX_MESSAGES };
}
