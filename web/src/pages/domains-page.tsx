import { api } from '../api/api-client.js';
import { useSession } from '../api/session-context.js';
import type { DomainView } from '../api/types.js';
import { AddDomainForm } from '../components/add-domain-form.js';
import { DomainCard } from '../components/domain-card.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApiData } from '../hooks/use-api-data.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/** Administration → Threat Remediation: the Zimbra domains Retract can reach. */
export function DomainsPage() {
  useDocumentTitle('Threat Remediation');
  const { can } = useSession();
  const canWrite = can('domains:write');
  const list = useApiData(
    (signal) => api.get<{ domains: DomainView[] }>('/domains', {}, signal),
    'all',
  );
  const domains = list.data?.domains ?? [];
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Threat Remediation</h1>
      <p className="lead">
        The Zimbra domains Retract can pull mail from. Each needs its SOAP URL and the domain’s
        PreAuth key; test the connection after every change.
      </p>
      <ErrorBanner error={list.error} />
      {!list.loading && domains.length === 0 ? <p>No domain yet.</p> : null}
      {domains.map((d) => (
        <DomainCard key={d.name} domain={d} canWrite={canWrite} onChanged={list.reload} />
      ))}
      {canWrite ? <AddDomainForm onAdded={list.reload} /> : null}
    </section>
  );
}
