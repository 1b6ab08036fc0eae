import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventDetail } from '../../../../shared/contract';
import { errorMessage } from '../../api';
import { useApi } from '../../app/api-context';
import { ErrorText } from '../../components/ErrorText';
import { formatBytes, formatNumber, revealHidden, toIso } from '../../components/format';
import { formatPreciseDateTime } from './event-time';
import { className, severityName } from './event-labels';
import { quoteValue } from './quote-value';
import { OutcomeBadge } from './OutcomeBadge';

/** Raw records can be megabytes; the panel shows this much and says so. */
const RAW_MAX = 200_000;

/**
 * One event in full: the normalised fields and the record exactly as received. Everything is text;
 * Escape or the Close button closes it.
 */
export function EventDetailPanel({ seq, onClose }: { seq: number; onClose: () => void }) {
  const api = useApi();
  const [detail, setDetail] = useState<EventDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    setDetail(null);
    setError(null);
    api
      .call('events:get', { seq })
      .then((d) => live && setDetail(d))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [api, seq]);

  useEffect(() => {
    closeRef.current?.focus();
  }, [seq]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="detail-panel" aria-label="Event details">
      <header className="detail-header">
        <h2 className="card-title">Event #{formatNumber(seq)}</h2>
        <button type="button" className="btn btn-small" ref={closeRef} onClick={onClose} aria-label="Close event details">
          Close <kbd>Esc</kbd>
        </button>
      </header>
      <div className="detail-body">
        <ErrorText>{error}</ErrorText>
        {!detail && !error && (
          <p className="muted" role="status">
            Loading event…
          </p>
        )}
        {detail && <DetailContent detail={detail} />}
      </div>
    </aside>
  );
}

function DetailContent({ detail }: { detail: EventDetail }) {
  const { event, row } = detail;
  const user = event.actor?.user;
  const raw = detail.rawText.length > RAW_MAX ? detail.rawText.slice(0, RAW_MAX) : detail.rawText;
  return (
    <>
      <Section title="Event">
        {/* To the millisecond, with the zone: 23:59:59.999 is another day than the midnight after it. */}
        <Fact label="Time">
          <time dateTime={toIso(event.time)}>{formatPreciseDateTime(event.time)}</time>
        </Fact>
        <Fact label="Time (UTC)" value={toIso(event.time)} mono />
        <Fact label="Outcome">
          <OutcomeBadge statusId={event.status_id} /> {event.status_detail && <Text value={event.status_detail} />}
        </Fact>
        <Fact label="Class">{event.class_name ?? className(event.class_uid)}</Fact>
        <Fact label="Activity">{event.activity_name ?? String(event.activity_id)}</Fact>
        <Fact label="Severity">{severityName(event.severity_id)}</Fact>
        <Fact label="Message" value={event.message} />
      </Section>
      {/* A section with nothing to show is left out (an empty heading reads as a rendering fault). */}
      {(user?.name || user?.uid || user?.type || user?.email_addr || user?.uid_alt || user?.credential_uid) && (
        <Section title="Actor">
          <Fact label="User name" value={user.name} />
          <Fact label="User id" value={user.uid} mono />
          <Fact label="E-mail" value={user.email_addr} />
          <Fact label="Other user id" value={user.uid_alt} mono />
          <Fact label="Credential" value={user.credential_uid} mono />
          <Fact label="User type" value={user.type} />
        </Section>
      )}
      {(joinEndpoint(event.src_endpoint) || event.src_endpoint?.hostname || joinEndpoint(event.dst_endpoint) || event.dst_endpoint?.hostname) && (
        <Section title="Network">
          <Fact label="Source IP" value={joinEndpoint(event.src_endpoint)} mono />
          <Fact label="Source host" value={event.src_endpoint?.hostname} />
          <Fact label="Destination" value={joinEndpoint(event.dst_endpoint)} mono />
          <Fact label="Destination host" value={event.dst_endpoint?.hostname} />
        </Section>
      )}
      {(event.api?.operation || event.api?.service?.name || (event.resources?.length ?? 0) > 0) && (
        <Section title="Action">
          <Fact label="Operation" value={event.api?.operation} />
          <Fact label="Service" value={event.api?.service?.name} />
          {event.resources?.map((r, i) => (
            <Fact key={i} label={`Resource ${i + 1}`} value={[r.type, r.name, r.uid].filter(Boolean).join(' · ')} />
          ))}
        </Section>
      )}
      <Section title="Origin">
        <Fact label="Product" value={[event.metadata.product.vendor_name, event.metadata.product.name].filter(Boolean).join(' · ')} />
        <Fact label="Record id" value={event.metadata.uid} mono />
        <Fact label="Cloud" value={[event.cloud?.provider, event.cloud?.account?.name ?? event.cloud?.account?.uid, event.cloud?.region].filter(Boolean).join(' · ')} />
        <Fact label="Source" value={row.source} />
        <Fact label="Batch" value={row.batchId === null ? null : String(row.batchId)} />
      </Section>
      <Section title="Integrity">
        <Fact label="Chain hash" value={detail.hash} mono />
        <Fact label="Fingerprint" value={detail.fingerprint} mono />
        {detail.signature && (
          <Fact label="Signature">
            Verified at import against the source's JWKS
            {[
              detail.signature.alg !== null ? `algorithm ${detail.signature.alg}` : null,
              detail.signature.kid !== null ? `key ${quoteValue(detail.signature.kid)}` : null,
              detail.signature.issuer !== null ? `issuer ${quoteValue(detail.signature.issuer)}` : null,
            ]
              .filter((part) => part !== null)
              .map((part, i) => (i === 0 ? `: ${part}` : `, ${part}`))
              .join('')}
          </Fact>
        )}
        {detail.signedBatch && (
          <Fact label="Signed batch">
            Record {formatNumber(detail.signedBatch.recordIndex + 1)}
            {detail.signedBatch.records !== null ? ` of ${formatNumber(detail.signedBatch.records)}` : ''} in one JWS, kept once in the vault
            {detail.signedBatch.jwsBytes !== null ? ` (${formatBytes(detail.signedBatch.jwsBytes)})` : ' (missing from the vault: run a verification)'}; its SHA-256:{' '}
            <code className="mono">{detail.signedBatch.jwsSha256}</code>
          </Fact>
        )}
      </Section>
      {event.unmapped && Object.keys(event.unmapped).length > 0 && (
        <section className="detail-section">
          <h3 className="subhead">Other fields</h3>
          <pre className="raw">{revealHidden(JSON.stringify(event.unmapped, null, 2))}</pre>
        </section>
      )}
      <section className="detail-section">
        <h3 className="subhead">Raw record</h3>
        {raw.length < detail.rawText.length && (
          <p className="muted">
            Showing the first {formatNumber(RAW_MAX)} of {formatNumber(detail.rawText.length)} characters.
          </p>
        )}
        <pre className="raw" tabIndex={0} aria-label="Raw record as received">
          {revealHidden(raw)}
        </pre>
      </section>
    </>
  );
}

function joinEndpoint(ep: { ip?: string | undefined; port?: number | undefined } | undefined): string | undefined {
  if (!ep?.ip) return undefined;
  return ep.port === undefined ? ep.ip : `${ep.ip}:${ep.port}`;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="detail-section">
      <h3 className="subhead">{title}</h3>
      <dl className="facts facts-compact">{children}</dl>
    </section>
  );
}

function Text({ value }: { value: string }) {
  return <span className="break">{revealHidden(value)}</span>;
}

/** One labelled value; renders nothing when a plain value is missing. */
function Fact({ label, value, mono = false, children }: { label: string; value?: string | null | undefined; mono?: boolean; children?: ReactNode }) {
  if (children === undefined && !value) return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd className={`break${mono ? ' mono' : ''}`}>{children ?? (value ? revealHidden(value) : value)}</dd>
    </div>
  );
}
