import type { ConnectionCheck, ConnectionReport } from '../api/types.js';

const CHECK_TITLES: Record<string, string> = {
  dns: 'DNS',
  tls: 'TLS certificate',
  clock: 'Clock',
  endpoint: 'SOAP endpoint',
  preauth: 'PreAuth login',
};

/** The connection test in plain words: each check, what it found, what to do. */
export function ConnectionReportView({ report }: { report: ConnectionReport }) {
  return (
    <div
      className={`connection-report ${report.ok ? 'report-ok' : 'report-bad'}`}
      aria-live="polite"
    >
      <p className="report-verdict">
        {report.ok
          ? '✓ Retract can reach this domain.'
          : '✗ Retract cannot work with this domain yet.'}
      </p>
      <ul className="checks">
        {report.checks.map((check) => (
          <CheckLine key={check.name} check={check} />
        ))}
      </ul>
      <dl className="facts">
        <dt>Endpoint that answered</dt>
        <dd>
          <code>{report.soapUrlAnswered ?? 'none'}</code>
        </dd>
        {report.alternativeUrl ? (
          <>
            <dt>Use this SOAP URL instead</dt>
            <dd>
              <code>{report.alternativeUrl}</code>
            </dd>
          </>
        ) : null}
        <dt>Round trip</dt>
        <dd>{report.rttMs === null ? '—' : `${Math.round(report.rttMs)} ms`}</dd>
        <dt>Clock difference</dt>
        <dd>{describeSkew(report.clockSkewMs)}</dd>
        <dt>Retract’s traffic leaves from</dt>
        <dd>
          <code>{report.egressAddress ?? 'unknown'}</code>
          <small className="help">
            {' '}
            Put this address on the firewall’s allow list and in Zimbra’s throttling safe list (
            <code>zimbraHttpThrottleSafeIPs</code>).
          </small>
        </dd>
      </dl>
      {report.ok ? null : <p className="help">{report.warning}</p>}
    </div>
  );
}

function CheckLine({ check }: { check: ConnectionCheck }) {
  const state = !check.ok ? 'bad' : check.advice ? 'warn' : 'ok';
  return (
    <li className={`check-${state}`} data-check={check.name}>
      <span className="check-mark" aria-hidden="true">
        {MARKS[state]}
      </span>
      <span>
        <strong>{CHECK_TITLES[check.name] ?? check.name}:</strong>{' '}
        <span className="visually-hidden">{SPOKEN[state]}</span>
        {check.summary}
        {check.advice ? <span className="advice"> What to do: {check.advice}</span> : null}
        <CheckDetails details={check.details} />
      </span>
    </li>
  );
}

const MARKS = { ok: '✓', warn: '!', bad: '✗' } as const;
const SPOKEN = { ok: 'passed. ', warn: 'passed, with a warning. ', bad: 'failed. ' } as const;

/** Certificate subject, issuer, dates and the like, as the API reported them. */
function CheckDetails({ details }: { details: Record<string, unknown> | undefined }) {
  const entries = Object.entries(details ?? {}).filter(
    ([, v]) => v !== null && v !== undefined && v !== '',
  );
  if (entries.length === 0) return null;
  return (
    <details className="check-details">
      <summary>Details</summary>
      <dl>
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt>{humanise(k)}</dt>
            <dd>{formatValue(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function humanise(key: string): string {
  const spaced = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function describeSkew(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(Math.abs(ms) / 1000);
  if (s === 0) return 'in step (under a second)';
  return `Zimbra’s clock is ${s} s ${ms > 0 ? 'ahead of' : 'behind'} Retract’s`;
}
