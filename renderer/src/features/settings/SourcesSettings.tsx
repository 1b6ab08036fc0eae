import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Source } from '../../../../shared/contract';
import { errorMessage } from '../../api';
import { useApi } from '../../app/api-context';
import { SELF_AUDIT_SOURCE } from '../../../../shared/domain/self-audit-source';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText, Notice } from '../../components/ErrorText';
import { revealHiddenLine } from '../../components/format';
import { useAction } from '../../components/use-action';
import { CsvMappingEditor, mappingFromPairs, mappingProblem, pairsFromMapping, type MappingPair } from './CsvMappingEditor';

interface Draft {
  isNew: boolean;
  name: string;
  signedOnly: boolean;
  issuer: string;
  jwksJson: string;
  /** Remove the stored key set (an existing source that no longer signs). */
  removeJwks: boolean;
  pairs: MappingPair[];
  syslogYear: string;
  syslogZone: string;
}

const draftFrom = (s: Source | null): Draft => ({
  isNew: s === null,
  name: s?.name ?? '',
  signedOnly: s?.signedOnly ?? false,
  issuer: s?.issuer ?? '',
  jwksJson: '',
  removeJwks: false,
  pairs: pairsFromMapping(s?.csvMapping ?? null),
  syslogYear: s?.syslogYear === null || s?.syslogYear === undefined ? '' : String(s.syslogYear),
  syslogZone: s?.syslogZone ?? '',
});

/** Per-source ingestion settings: signing keys, signed-only, CSV mapping, syslog defaults. */
export function SourcesSettings() {
  const api = useApi();
  const [sources, setSources] = useState<Source[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  // Each New/Edit click opens a fresh editor: a half-filled "New source" form must not survive "New source".
  const [editorKey, setEditorKey] = useState(0);
  // Unsaved input in the open editor is not thrown away by New, Edit or Close without asking.
  const dirty = useRef(false);
  const [pending, setPending] = useState<(() => void) | null>(null);
  const guarded = (action: () => void) => {
    if (dirty.current) setPending(() => action);
    else action();
  };
  const openEditor = (source: Source | null) =>
    guarded(() => {
      dirty.current = false;
      setSelected(source?.name ?? null);
      setDraft(draftFrom(source));
      setEditorKey((k) => k + 1);
    });

  const load = useCallback(async () => {
    try {
      setSources(await api.call('sources:list', {}));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const current = sources?.find((s) => s.name === selected) ?? null;

  return (
    <Card
      title="Sources"
      actions={
        <button type="button" className="btn btn-small" onClick={() => openEditor(null)}>
          New source
        </button>
      }
    >
      <ErrorText>{loadError}</ErrorText>
      {sources && sources.length === 0 && !draft && <p className="muted">No sources are configured. Events are imported with automatic detection.</p>}
      {sources && sources.length > 0 && (
        <table className="simple-table">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Signed only</th>
              <th scope="col">Signing keys</th>
              <th scope="col">CSV mapping</th>
              <th scope="col">Syslog defaults</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.name} aria-selected={s.name === selected}>
                <td className="cell-text">{revealHiddenLine(s.name)}</td>
                <td>{s.signedOnly ? 'Yes' : 'No'}</td>
                <td className="cell-text">{s.hasJwks ? (s.jwksKeyIds.length ? revealHiddenLine(s.jwksKeyIds.join(', ')) : 'JWKS loaded') : 'None'}</td>
                <td>{s.csvMapping ? `${Object.keys(s.csvMapping).length} columns` : '—'}</td>
                <td className="cell-text">{[s.syslogYear, s.syslogZone].filter((v) => v !== null).join(' · ') || '—'}</td>
                <td>
                  {s.name === SELF_AUDIT_SOURCE ? (
                    // Attest's own audit events: nothing to set, and the name cannot be saved.
                    <span className="muted">Attest&apos;s own log</span>
                  ) : (
                    <button type="button" className="btn btn-small" aria-label={`Edit source ${s.name}`} onClick={() => openEditor(s)}>
                      Edit
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {draft && (
        <SourceEditor
          key={editorKey}
          initial={draft}
          existing={current}
          onCancel={() =>
            guarded(() => {
              dirty.current = false;
              setDraft(null);
              setSelected(null);
            })
          }
          onDirtyChange={(value) => {
            dirty.current = value;
          }}
          onSaved={(saved) => {
            setSources((list) => [...(list ?? []).filter((s) => s.name !== saved.name), saved].sort((a, b) => a.name.localeCompare(b.name)));
            setSelected(saved.name);
            setDraft(draftFrom(saved));
          }}
        />
      )}
      <ConfirmDialog
        open={pending !== null}
        title="Discard the changes?"
        confirmLabel="Discard changes"
        danger
        onConfirm={() => {
          const action = pending;
          setPending(null);
          action?.();
        }}
        onCancel={() => setPending(null)}
      >
        <p>The source being edited has changes that are not saved.</p>
      </ConfirmDialog>
    </Card>
  );
}

function SourceEditor({
  initial,
  existing,
  onCancel,
  onSaved,
  onDirtyChange,
}: {
  initial: Draft;
  existing: Source | null;
  onCancel: () => void;
  onSaved: (s: Source) => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const api = useApi();
  const action = useAction();
  const [d, setD] = useState<Draft>(initial);
  // What was last saved (or opened): the form is dirty while it differs.
  const [saved, setSaved] = useState(() => JSON.stringify(initial));
  useEffect(() => onDirtyChange(JSON.stringify(d) !== saved), [d, saved, onDirtyChange]);
  const [formError, setFormError] = useState<string | null>(null);
  // A refusal of the last Save is about what was there then: an edit clears it.
  const set = (patch: Partial<Draft>) => {
    setFormError(null);
    setD((prev) => ({ ...prev, ...patch }));
  };

  async function readJwksFile(file: File | undefined) {
    if (!file) return;
    if (file.size > 1_000_000) return setFormError('That JWKS file is larger than 1 MB; a key set is normally a few KB.');
    set({ jwksJson: await file.text() });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const name = d.name.trim();
    if (!name) return setFormError('Give the source a name.');
    if (d.jwksJson.trim()) {
      try {
        JSON.parse(d.jwksJson);
      } catch {
        return setFormError('The JWKS is not valid JSON. Paste the key set exactly as the issuer publishes it.');
      }
    }
    // The editor already says what is wrong with the mapping (a second message, the host's or ours, only
    // repeated it): Save takes the officer to the first field to correct instead.
    if (mappingProblem(d.pairs) !== null) {
      e.currentTarget.querySelector<HTMLInputElement>('.mapping-row input[aria-invalid="true"]')?.focus();
      return;
    }
    const year = d.syslogYear.trim() ? Number(d.syslogYear) : null;
    if (year !== null && (!Number.isInteger(year) || year < 1970 || year > 2200)) return setFormError('The syslog year must be a year between 1970 and 2200.');
    setFormError(null);
    void action.run(async () => {
      const saved = await api.call('sources:save', {
        name,
        signedOnly: d.signedOnly,
        issuer: d.issuer.trim() || null,
        ...(d.jwksJson.trim() ? { jwksJson: d.jwksJson } : d.removeJwks ? { jwksJson: '' } : {}),
        csvMapping: mappingFromPairs(d.pairs),
        syslogYear: year,
        syslogZone: d.syslogZone.trim() || null,
      });
      // Saved: from now on this form edits that source (its name is fixed, a removal is done).
      const next = { ...d, name, isNew: false, removeJwks: false };
      setD(next);
      setSaved(JSON.stringify(next));
      onSaved(saved);
      return `Source “${revealHiddenLine(saved.name)}” saved.`;
    });
  }

  return (
    <form className="stack source-editor" onSubmit={submit} aria-label={d.isNew ? 'New source' : `Edit source ${d.name}`}>
      <h3 className="subhead">{d.isNew ? 'New source' : `Edit “${revealHiddenLine(d.name)}”`}</h3>
      <div className="grid-2">
        <div className="field">
          <label className="field-label" htmlFor="src-name">
            Name
          </label>
          <input id="src-name" className="input" value={d.name} disabled={!d.isNew} maxLength={128} onChange={(e) => set({ name: e.target.value })} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="src-issuer">
            Issuer (for signed records)
          </label>
          <input id="src-issuer" className="input" value={d.issuer} maxLength={512} onChange={(e) => set({ issuer: e.target.value })} />
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={d.signedOnly} onChange={(e) => set({ signedOnly: e.target.checked })} />
        <span>Accept only records signed by a key in this source's JWKS</span>
      </label>
      <div className="field">
        <label className="field-label" htmlFor="src-jwks">
          JWKS (public signing keys)
        </label>
        {existing?.hasJwks && (
          <p className="field-hint">
            Current keys: <span className="mono">{revealHiddenLine(existing.jwksKeyIds.join(', ')) || 'a key set without key ids'}</span>. Paste a new set to replace it.
          </p>
        )}
        {existing?.hasJwks && (
          <label className="checkbox">
            <input type="checkbox" checked={d.removeJwks} disabled={d.jwksJson.trim() !== ''} onChange={(e) => set({ removeJwks: e.target.checked })} />
            <span>Remove the current keys (signed files from this source are then refused until a key set is added)</span>
          </label>
        )}
        <textarea id="src-jwks" className="input mono textarea" rows={5} spellCheck={false} placeholder='{"keys": [ … ]}' value={d.jwksJson} onChange={(e) => set({ jwksJson: e.target.value })} />
        <label className="file-button">
          <input type="file" accept=".json,.jwks,application/json" className="visually-hidden" onChange={(e) => void readJwksFile(e.target.files?.[0])} />
          <span className="btn btn-small">Load from file…</span>
        </label>
      </div>
      <CsvMappingEditor pairs={d.pairs} onChange={(pairs) => set({ pairs })} />
      <div className="grid-2">
        <div className="field">
          <label className="field-label" htmlFor="src-year">
            Syslog year
          </label>
          <input id="src-year" className="input input-short" type="number" min={1970} max={2200} placeholder="inferred" value={d.syslogYear} onChange={(e) => set({ syslogYear: e.target.value })} />
          <p className="field-hint">BSD syslog lines carry no year; this one is used for them. Left empty, it is inferred from the file (its dated lines, else its latest date taken to be within the past year), and the import summary says which year was used.</p>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="src-zone">
            Syslog time zone
          </label>
          <input id="src-zone" className="input" placeholder="UTC, +02:00 or Europe/Berlin" maxLength={64} value={d.syslogZone} onChange={(e) => set({ syslogZone: e.target.value })} />
        </div>
      </div>
      <ErrorText>{formError ?? action.error}</ErrorText>
      {action.done && <Notice tone="success">{action.done}</Notice>}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={action.busy}>
          {action.busy ? 'Saving…' : 'Save source'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Close
        </button>
      </div>
    </form>
  );
}
